"""API keys in the admin: global administrators create and revoke them.

Only global administrators manage keys, staff tokens included: a staff token acts with its
owner's access, and granting that is as weighty as managing the owner's account, which is
also theirs alone. A key is made by `api_key_create` and shown in clear text once, in the
message after saving; only its hash is stored. Keys are never edited or deleted: they are
revoked, so the audit log and the cases filed with a key keep pointing at it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from servicenav.api.models import ApiKey
from servicenav.api.services import api_key_create, api_key_revoke
from servicenav.core.admin_site import GlobalAdministratorAdmin

if TYPE_CHECKING:
    from django.http import HttpRequest

    from servicenav.organisation.models import User

SHOWN = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")


class RevokedFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("active", _("active")), ("revoked", _("revoked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("staff", _("staff token (REST API)")), ("open311", _("integrator (Open311)"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "staff":
            return queryset.filter(user__isnull=False)
        if self.value() == "open311":
            return queryset.filter(user__isnull=True)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(GlobalAdministratorAdmin):
    list_display = [*SHOWN, "kind"]
    list_filter = [RevokedFilter, KindFilter]
    search_fields = ["name", "prefix", "user__username"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("name", "user") if obj is None else SHOWN

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> tuple[str, ...]:
        return () if obj is None else SHOWN

    @admin.display(description=_("kind"))
    def kind(self, obj: ApiKey) -> str:
        return str(_("staff token (REST API)") if obj.user_id else _("integrator (Open311)"))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # revoke instead

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # revoke instead

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return self.allowed(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Make the key through the service (which audits it) and show it this once."""
        by: User = request.user  # type: ignore[assignment]
        api_key, key = api_key_create(name=obj.name, user=obj.user, by=by)
        # The admin goes on with `obj` (its log entry, its redirect): make it the saved key.
        vars(obj).update(vars(api_key))
        text = _(
            "The key for %(name)s is %(key)s. Copy it now: it is not shown again, and only "
            "a hash of it is kept."
        )
        messages.success(request, text % {"name": api_key.name, "key": key})

    @admin.action(description=_("Revoke the selected keys"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        by: User = request.user  # type: ignore[assignment]
        count = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(api_key=api_key, by=by)
            count += 1
        messages.success(request, _("Keys revoked: %(count)d.") % {"count": count})
