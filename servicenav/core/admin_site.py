"""The admin site, open to administrators of some unit rather than to Django's is_staff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from servicenav.core.audit import audit_record, field_changes, snapshot
from servicenav.core.models import AuditEntry
from servicenav.organisation.access import is_administrator, is_global_administrator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from servicenav.organisation.models import User


class ServicenavAdminSite(admin.AdminSite):
    site_header = _("Servicenav administration")
    site_title = _("Servicenav administration")
    index_title = _("Configuration")

    def has_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)


class AdministratorInline(admin.options.InlineModelAdmin):
    """Inline rows (a category's questions, a survey's areas) for administrators of any
    unit; the admin they sit in limits which units' objects those are."""

    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_administrator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_administrator(request.user)


class AdministratorAdmin(admin.ModelAdmin):
    """Model admin for what administrators of any unit may configure; saves are audited."""

    @staticmethod
    def allowed(user: User | AnonymousUser) -> bool:
        return is_administrator(user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.allowed(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.allowed(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.allowed(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.allowed(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.allowed(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        names = form.changed_data if change else form.fields
        model_fields = {field.name for field in obj._meta.concrete_fields} - {"password"}
        fields = [name for name in names if name in model_fields]
        # By now `obj` already holds the new values; the form remembers the old ones.
        before = {name: form.initial.get(name) for name in fields} if change else {}
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            obj=obj,
            changes=field_changes(before, snapshot(obj, fields)),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(actor=request.user, action=AuditEntry.Action.DELETE, obj=obj)  # type: ignore[arg-type]
        super().delete_model(request, obj)


class GlobalAdministratorAdmin(AdministratorAdmin):
    """Model admin for what belongs to no unit: only global administrators touch it."""

    @staticmethod
    def allowed(user: User | AnonymousUser) -> bool:
        return is_global_administrator(user)


class ReadOnly:
    """Records the system or a page with its own rules writes: shown here, never added,
    changed or deleted. Mixed in before an admin or inline class."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
