"""Reads for the indicator pages: status against target at its edges, the trend with its
gaps, the latest period per unit and the list grouped by owning unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.models import IndicatorLimit, Measurement, Source
from servicenav.kpis.selectors import (
    Status,
    format_value,
    indicator_groups,
    latest_by_unit,
    reading,
    status_against,
    trend_readings,
)
from servicenav.kpis.services import indicator_create, target_set
from servicenav.organisation.models import Role
from servicenav.testing import make_user

D = Decimal


def new_indicator(unit, code="svar", **overrides):
    fields = {
        "code": code,
        "name_sv": f"Svar inom tio dagar ({code})",
        "name_en": f"Answered within ten days ({code})",
        "kind": "lead_time",
        "definition_sv": "Andel synpunkter som besvarats inom tio arbetsdagar.",
        "source": "cases",
        "statistic": "share_answered_within",
        "params": {"limit_days": 10},
        "unit_of_measure": "percent",
    }
    return indicator_create(unit=unit, by=None, **(fields | overrides))


def measure(indicator, unit, code, value, n=20, **fields):
    period = Period.parse(code)
    return Measurement.objects.create(
        indicator=indicator,
        unit=unit,
        period=code,
        period_start=period.start,
        period_end=period.end,
        value=None if value is None else D(str(value)),
        n=n,
        source=Source.CASES,
        **fields,
    )


@pytest.mark.parametrize(
    ("value", "target", "higher_is_better", "expected"),
    [
        ("90", "90", True, Status.MET),  # exactly the target
        ("95", "90", True, Status.MET),
        ("85.5", "90", True, Status.NEAR),  # exactly 5 % of 90 short
        ("88", "90", True, Status.NEAR),
        ("85.49", "90", True, Status.NOT_MET),  # just outside
        ("10", "10", False, Status.MET),  # lower is better: exactly the target
        ("8", "10", False, Status.MET),
        ("10.5", "10", False, Status.NEAR),
        ("10.51", "10", False, Status.NOT_MET),
        ("0", "0", False, Status.MET),  # a target of zero: an absolute margin of 0.5
        ("0.5", "0", False, Status.NEAR),
        ("0.51", "0", False, Status.NOT_MET),
        ("-0.5", "0", True, Status.NEAR),
        ("-0.6", "0", True, Status.NOT_MET),
        ("-10", "-10", True, Status.MET),  # a negative target: the margin is of its size
        ("-10.5", "-10", True, Status.NEAR),
        ("-10.6", "-10", True, Status.NOT_MET),
    ],
)
def test_status_against_the_target_at_its_edges(value, target, higher_is_better, expected):
    assert status_against(D(value), D(target), higher_is_better=higher_is_better) == expected


def test_no_value_is_no_data_and_a_value_without_target_is_not_judged():
    assert status_against(None, D(90), higher_is_better=True) == Status.NO_DATA
    assert status_against(None, None, higher_is_better=True) == Status.NO_DATA
    assert status_against(D(95), None, higher_is_better=True) == Status.NO_TARGET


def test_a_value_is_judged_by_the_target_of_the_year_its_period_starts_in(tree):
    indicator = new_indicator(tree.gata)
    target_set(indicator=indicator, year=2024, value=D(90), by=None)
    target_set(indicator=indicator, year=2025, value=D(95), by=None)
    targets = {2024: D(90), 2025: D(95)}
    december = reading(indicator, measure(indicator, tree.gata, "2024-12", "92"), targets)
    january = reading(indicator, measure(indicator, tree.gata, "2025-01", "92"), targets)
    assert (december.target, december.status) == (D(90), Status.MET)
    assert (january.target, january.status) == (D(95), Status.NEAR)


def test_too_few_cases_say_how_many_there_were(tree):
    indicator = new_indicator(tree.gata)
    too_few = reading(indicator, measure(indicator, tree.gata, "2025-01", None, n=3), {})
    with translation.override("en"):
        assert too_few.value_text == "too few cases (n = 3)"
        assert reading(indicator, None, {}).value_text == "no data"
    assert too_few.status == Status.NO_DATA


def test_values_are_written_as_the_language_writes_numbers():
    with translation.override("sv"):
        assert format_value(D("87.50"), "percent") == "87,5 %"
    with translation.override("en"):
        assert format_value(D("87.50"), "percent") == "87.5 %"
        assert format_value(D("3.00"), "working_days") == "3 working days"
        assert format_value(D("12.25"), "count") == "12.25"


# The trend


def test_the_trend_has_every_period_with_gaps_where_there_is_no_value(tree):
    indicator = new_indicator(tree.gata)
    for code, value in [("2025-01", 80), ("2025-02", 85), ("2025-04", 90), ("2025-05", None)]:
        measure(indicator, tree.gata, code, value, n=2 if value is None else 20)
    measure(indicator, tree.vatten, "2025-03", 70)  # another unit's, not in the owner's trend
    readings = trend_readings(indicator, today=date(2025, 6, 10))
    assert [r.period for r in readings] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    assert [r.value for r in readings] == [D(80), D(85), None, D(90), None]
    assert readings[2].measurement is None
    assert readings[4].n == 2


def test_the_trend_shows_at_least_five_periods_and_at_most_24(tree):
    few = new_indicator(tree.gata, code="few", period_kind="quarter")
    measure(few, tree.gata, "2025-Q1", 80)
    readings = trend_readings(few, today=date(2025, 5, 1))
    assert [r.period for r in readings] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]

    many = new_indicator(tree.gata, code="many")
    period = Period(PeriodKind.MONTH, 2022, 1)
    for _month in range(36):
        measure(many, tree.gata, period.code, 50)
        period = period.next()
    readings = trend_readings(many, today=date(2025, 1, 15))
    assert len(readings) == 24
    assert (readings[0].period, readings[-1].period) == ("2023-01", "2024-12")


def test_a_value_already_entered_for_the_running_period_ends_the_trend(tree):
    indicator = new_indicator(tree.gata, source="manual", statistic="", params={})
    measure(indicator, tree.gata, "2025-06", 40)
    assert trend_readings(indicator, today=date(2025, 6, 10))[-1].period == "2025-06"


def test_values_of_another_period_kind_are_left_out_of_the_trend(tree):
    indicator = new_indicator(tree.gata, period_kind="quarter")
    measure(indicator, tree.gata, "2025-02", 40)  # stored while it was monthly
    readings = trend_readings(indicator, today=date(2025, 7, 1))
    assert readings[-1].period == "2025-Q2"
    assert all(r.measurement is None for r in readings)


# The latest period per unit


def test_the_latest_period_is_shown_for_the_owner_and_each_unit_below(tree):
    indicator = new_indicator(tree.teknik)
    target_set(indicator=indicator, year=2025, value=D(90), by=None)
    measure(indicator, tree.teknik, "2025-01", 50)
    measure(indicator, tree.teknik, "2025-02", 92)
    measure(indicator, tree.gata, "2025-02", 80)
    measure(indicator, tree.vatten, "2025-01", 99)  # an older period: not shown as latest
    with translation.override("en"):
        label, rows = latest_by_unit(indicator)
    assert label == "February 2025"
    assert [row.unit for row in rows] == [tree.teknik, tree.gata, tree.vatten]
    assert [row.reading.status for row in rows] == [Status.MET, Status.NOT_MET, Status.NO_DATA]


def test_before_any_measurement_there_is_no_latest_period(tree):
    assert latest_by_unit(new_indicator(tree.gata)) == ("", [])


# The list


def test_the_list_groups_indicators_by_owner_with_the_owners_latest_value(tree, settings):
    settings.SERVICENAV_KPI_MAX_ACTIVE = 8
    coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
    IndicatorLimit.objects.create(unit=tree.gata, maximum=1)
    on_gata = new_indicator(tree.gata, code="gata")
    on_teknik = new_indicator(tree.teknik, code="teknik")
    new_indicator(tree.social, code="social")
    target_set(indicator=on_teknik, year=2025, value=D(90), by=None)
    measure(on_teknik, tree.teknik, "2025-01", 88)
    measure(on_teknik, tree.gata, "2025-02", 99)  # a unit below: not the owner's value

    groups = indicator_groups(coordinator)
    assert [group.unit for group in groups] == [tree.teknik, tree.gata]
    teknik, gata = groups
    assert [row.indicator for row in teknik.rows] == [on_teknik]
    latest = teknik.rows[0].latest
    assert (latest.period, latest.value, latest.status) == ("2025-01", D(88), Status.NEAR)
    assert (teknik.active, teknik.limit, teknik.full) == (1, 8, False)
    assert (gata.rows[0].indicator, gata.active, gata.limit, gata.full) == (on_gata, 1, 1, True)
    assert teknik.can_manage
    assert gata.can_manage


def test_the_list_shows_a_case_handler_only_the_units_they_work_in(tree):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    new_indicator(tree.teknik, code="teknik")
    on_gata = new_indicator(tree.gata, code="gata")
    groups = indicator_groups(handler)
    assert [(g.unit, [r.indicator for r in g.rows]) for g in groups] == [(tree.gata, [on_gata])]
    assert not groups[0].can_manage
    assert indicator_groups(make_user()) == []
