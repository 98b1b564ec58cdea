from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from servicenav.core.admin_site import AdministratorAdmin, GlobalAdministratorAdmin
from servicenav.organisation.access import UNIT_ADMINISTRATORS, is_global_administrator
from servicenav.organisation.models import RoleAssignment, ServiceValue, Unit, User
from servicenav.organisation.services import (
    UNIT_FIELDS,
    role_grant,
    role_revoke,
    unit_create,
    unit_update,
    validate_unit_slug,
)


def administered_units(request: HttpRequest) -> QuerySet[Unit]:
    return Unit.objects.visible_to(request.user, UNIT_ADMINISTRATORS)


class UnitScopedAdmin(AdministratorAdmin):
    """Rows belong to a unit; an administrator sees and picks only the units they
    administer."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(unit__in=administered_units(request))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "unit":
            kwargs["queryset"] = administered_units(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, GlobalAdministratorAdmin):
    """Accounts belong to no unit, so only global administrators manage them; unit
    administrators give existing accounts roles in their units."""


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = list(UNIT_FIELDS)

    def clean_parent(self) -> Unit | None:
        parent: Unit | None = self.cleaned_data["parent"]
        if parent and self.instance.pk and parent.is_within(self.instance):
            raise forms.ValidationError(_("A unit cannot be placed below itself."))
        return parent

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        validate_unit_slug(slug)
        return slug


@admin.register(Unit)
class UnitAdmin(AdministratorAdmin):
    form = UnitAdminForm
    list_display = ["indented_name", "kind", "slug", "contact_email", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name_sv", "name_en", "slug"]

    @admin.display(description=Unit._meta.verbose_name)
    def indented_name(self, unit: Unit) -> str:
        return "— " * unit.depth + unit.name

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return administered_units(request)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "parent":
            kwargs["queryset"] = administered_units(request)
            # Only a global administrator may add a new top unit (a municipality).
            kwargs["required"] = not is_global_administrator(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # units are deactivated, never deleted: their history stays

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in UNIT_FIELDS}
        if change:
            unit_update(unit=Unit.objects.get(pk=obj.pk), by=request.user, **values)  # type: ignore[arg-type]
        else:
            created = unit_create(by=request.user, **values)  # type: ignore[arg-type]
            obj.pk, obj.path = created.pk, created.path


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(UnitScopedAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name_sv"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a role is granted or revoked, never edited in place

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool
    ) -> None:
        created = role_grant(user=obj.user, unit=obj.unit, role=obj.role, by=request.user)  # type: ignore[arg-type]
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        role_revoke(assignment=obj, by=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for assignment in queryset:
            role_revoke(assignment=assignment, by=request.user)  # type: ignore[arg-type]


@admin.register(ServiceValue)
class ServiceValueAdmin(GlobalAdministratorAdmin):
    list_display = ["name_sv", "name_en", "code", "position"]
