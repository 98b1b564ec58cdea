"""What administrators configure for cases: categories, deadline rules and answer templates,
each only for the units they administer.

Cases and their events are deliberately not in the admin. They are read and changed on the
case pages, through the access gate and the services that write the history and the audit
log; an admin form would change a case without either, and an admin list would be a
second way to read personal data beside the gate.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, Model, Q, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from servicenav.cases.models import AnswerTemplate, Category, CategoryAttribute, DeadlineRule
from servicenav.core.admin_site import AdministratorInline
from servicenav.organisation.access import is_global_administrator
from servicenav.organisation.admin import UnitScopedAdmin, administered_units


class CategoryAttributeInline(AdministratorInline, admin.TabularInline):
    """The category's extra questions (Open311 service-definition attributes)."""

    model = CategoryAttribute


@admin.register(Category)
class CategoryAdmin(UnitScopedAdmin):
    list_display = ["name_sv", "name_en", "unit", "needs_location", "active"]
    list_filter = ["active", "needs_location"]
    search_fields = ["name_sv", "name_en"]
    inlines = [CategoryAttributeInline]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # categories are deactivated, never deleted: old cases keep theirs


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(UnitScopedAdmin):
    list_display = ["unit", "kind", "acknowledge_days", "answer_days"]
    list_filter = ["kind"]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(UnitScopedAdmin):
    """A template without a unit serves every unit: only global administrators write those."""

    list_display = ["title", "unit", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "body"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        mine = Q(unit__in=administered_units(request))
        if is_global_administrator(request.user):
            mine |= Q(unit__isnull=True)
        return AnswerTemplate.objects.filter(mine)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "unit":
            kwargs["required"] = not is_global_administrator(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
