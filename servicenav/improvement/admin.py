"""Improvement in the admin site. Actions, their timelines and good examples are made and
changed on the staff pages, whose services keep the rules (status steps, the one
notification when an action is done); here administrators read those of the units they
administer, and may remove a good example that should not be in the library. The notices
sent to citizens are a record and never change. The shared list of themes belongs to no
unit: global administrators keep it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicenav.core.admin_site import (
    AdministratorAdmin,
    AdministratorInline,
    GlobalAdministratorAdmin,
    ReadOnly,
)
from servicenav.improvement.models import (
    Action,
    ActionNotification,
    ActionUpdate,
    GoodExample,
    Theme,
)
from servicenav.organisation.admin import UnitScopedAdmin, administered_units

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest


class ThemeAdminForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name_sv", "name_en", "active"]

    def clean_name_sv(self) -> str:
        # The same rule as on the staff page: one theme per name, whatever its case.
        name: str = self.cleaned_data["name_sv"].strip()
        if Theme.objects.filter(name_sv__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("That theme is already on the list."))
        return name


@admin.register(Theme)
class ThemeAdmin(GlobalAdministratorAdmin):
    """A theme in use stays (switch it off instead), so tagged feedback keeps its theme."""

    form = ThemeAdminForm
    list_display = ["name_sv", "name_en", "active"]
    list_filter = ["active"]
    search_fields = ["name_sv", "name_en"]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ActionUpdateInline(ReadOnly, AdministratorInline, admin.TabularInline):
    model = ActionUpdate
    fields = ["date", "text", "by"]


@admin.register(Action)
class ActionAdmin(ReadOnly, UnitScopedAdmin):
    list_display = ["title", "unit", "status", "progress", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    list_select_related = ["unit"]
    inlines = [ActionUpdateInline]


@admin.register(ActionNotification)
class ActionNotificationAdmin(ReadOnly, AdministratorAdmin):
    """That a citizen was told about a done action (the address only as a hash)."""

    list_display = ["action", "sent_at"]
    fields = ["action", "sent_at"]
    list_select_related = ["action"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        return queryset.filter(action__unit__in=administered_units(request))


@admin.register(GoodExample)
class GoodExampleAdmin(UnitScopedAdmin):
    """Written and edited on the staff pages; here one that should go can be deleted."""

    list_display = ["title", "unit", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["title", "text"]
    list_select_related = ["unit"]
    fields = ["title", "text", "result", "unit", "source", "source_name", "source_url"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
