"""Measurements computed for an indicator's owner unit and each unit below it, stored and
rewritten from the data, for ended periods only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.compute import compute_all, compute_indicator, ended_periods
from servicenav.kpis.models import Indicator, Measurement, Source, Statistic, UnitOfMeasure
from servicenav.organisation.services import unit_update
from servicenav.testing import make_case, make_unit

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MAY = Period.parse("2026-05")
AFTER_MAY = date(2026, 6, 1)


def received(unit, day: date, kind: str = "complaint"):
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=STOCKHOLM)
    return make_case(unit=unit, kind=kind, received_at=moment, at=moment)


def indicator(unit, *, code="praise", statistic=Statistic.SHARE_PRAISE, **fields) -> Indicator:
    defaults = {
        "name_sv": "Andel beröm",
        "name_en": "Share of praise",
        "kind": "result",
        "definition_sv": "Andel beröm bland synpunkter mottagna under månaden.",
        "source": Source.CASES,
        "unit_of_measure": UnitOfMeasure.PERCENT,
        "min_cases": 2,
    }
    return Indicator.objects.create(
        unit=unit, code=code, statistic=statistic, **(defaults | fields)
    )


def values(ind: Indicator, period: str = "2026-05") -> dict[str, tuple[Decimal | None, int | None]]:
    return {
        m.unit.name_sv: (m.value, m.n)
        for m in Measurement.objects.filter(indicator=ind, period=period).select_related("unit")
    }


def test_the_owner_and_each_active_unit_below_it_are_measured(tree):
    ind = indicator(tree.teknik)
    received(tree.gata, date(2026, 5, 4), kind="praise")
    received(tree.gata, date(2026, 5, 5))
    received(tree.vatten, date(2026, 5, 6), kind="praise")  # one case: too few for Vatten
    received(tree.hemtjanst, date(2026, 5, 6), kind="praise")  # not below Teknik
    closed_down = make_unit(name="Nedlagd", parent=tree.teknik)
    unit_update(unit=closed_down, by=None, active=False)

    measurements = compute_indicator(ind, MAY, today=AFTER_MAY)

    assert len(measurements) == 3
    assert values(ind) == {
        "Teknik": (Decimal("66.70"), 3),
        "Gata": (Decimal("50.00"), 2),
        "Vatten": (None, 1),
    }
    stored = Measurement.objects.get(indicator=ind, unit=tree.teknik, period="2026-05")
    assert (stored.period_start, stored.period_end) == (date(2026, 5, 1), date(2026, 5, 31))
    assert stored.low is not None
    assert stored.high is not None
    assert stored.low < stored.value < stored.high
    assert stored.source == Source.CASES


def test_recomputing_rewrites_the_same_rows_from_the_data(tree):
    ind = indicator(tree.gata)
    received(tree.gata, date(2026, 5, 4), kind="praise")
    received(tree.gata, date(2026, 5, 5))
    compute_indicator(ind, MAY, today=AFTER_MAY)
    received(tree.gata, date(2026, 5, 6), kind="praise")

    compute_indicator(ind, MAY, today=AFTER_MAY)

    assert Measurement.objects.filter(indicator=ind).count() == 1
    assert values(ind) == {"Gata": (Decimal("66.70"), 3)}


def test_a_period_that_has_not_ended_is_not_measured(tree):
    ind = indicator(tree.gata)
    received(tree.gata, date(2026, 5, 4), kind="praise")

    assert compute_indicator(ind, MAY, today=date(2026, 5, 31)) == []
    assert not Measurement.objects.exists()


def test_only_the_owner_subtree_can_be_measured(tree):
    ind = indicator(tree.teknik)
    with pytest.raises(ValueError, match="below it"):
        compute_indicator(ind, MAY, units=[tree.social], today=AFTER_MAY)


def test_one_query_loads_the_cases_however_many_there_are(tree):
    ind = indicator(tree.teknik, code="answered", statistic=Statistic.SHARE_ANSWERED_WITHIN)
    ind.params = {"limit_days": 2}
    ind.save()
    received(tree.gata, date(2026, 5, 4))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute_indicator(ind, MAY, today=AFTER_MAY)
        return len(captured.captured_queries)

    few = queries()
    for day in range(5, 15):
        received(tree.gata if day % 2 else tree.vatten, date(2026, 5, day))
    assert queries() == few


def test_ended_periods_in_the_window():
    months = ended_periods(PeriodKind.MONTH, date(2026, 11, 27), 24)
    quarters = ended_periods(PeriodKind.QUARTER, date(2026, 11, 27), 6)

    assert [months[0].code, months[-1].code, len(months)] == ["2024-11", "2026-10", 24]
    assert [quarter.code for quarter in quarters] == ["2026-Q2", "2026-Q3"]


def test_compute_all_and_the_command(tree):
    monthly = indicator(tree.gata)
    indicator(tree.gata, code="quarterly", period_kind=PeriodKind.QUARTER.value)
    indicator(tree.gata, code="inactive", active=False)
    indicator(tree.gata, code="manual", source=Source.MANUAL, statistic="")
    received(tree.gata, date(2026, 5, 4), kind="praise")
    received(tree.gata, date(2026, 5, 5), kind="praise")

    assert compute_all(today=date(2026, 7, 15), months=3) == (2, 4)  # Apr-Jun + Q2

    assert values(monthly) == {"Gata": (Decimal("100.00"), 2)}
    assert values(monthly, "2026-04") == {"Gata": (None, 0)}
    assert Measurement.objects.filter(indicator__code="quarterly", period="2026-Q2").exists()

    out = StringIO()
    call_command("compute_kpis", "--months", "1", "--today", "2026-07-15", stdout=out)
    assert "2 measurements written for 2 indicators." in out.getvalue()
