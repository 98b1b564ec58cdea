from __future__ import annotations

from django.contrib import admin

from servicenav.kpis.models import IndicatorLimit
from servicenav.organisation.admin import UnitScopedAdmin


@admin.register(IndicatorLimit)
class IndicatorLimitAdmin(UnitScopedAdmin):
    """A unit's own limit of active indicators, set by its administrator."""

    list_display = ["unit", "maximum"]
