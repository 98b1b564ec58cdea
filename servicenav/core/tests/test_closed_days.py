"""The municipality's own closed days move deadlines like holidays do."""

from __future__ import annotations

from datetime import date

import pytest

from servicenav.core.models import ClosedDay
from servicenav.core.selectors import working_calendar

pytestmark = pytest.mark.django_db


def test_a_configured_closed_day_moves_a_deadline():
    # Friday 15 May 2026 follows Ascension Day; many municipalities close that day too.
    assert working_calendar().add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)
    ClosedDay.objects.create(date=date(2026, 5, 15), reason="Klämdag")
    assert working_calendar().add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)
