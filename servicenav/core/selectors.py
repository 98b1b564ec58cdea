"""Reads used across apps."""

from __future__ import annotations

from servicenav.core.calendar import WorkingCalendar
from servicenav.core.models import ClosedDay


def working_calendar() -> WorkingCalendar:
    """The calendar with this municipality's own extra closed days."""
    return WorkingCalendar(extra_closed=frozenset(ClosedDay.objects.values_list("date", flat=True)))
