"""Computing the measurements of indicators whose source is the cases.

The facts the statistics need are loaded once for the owner unit's whole subtree and the
whole span of periods (`case_statistics.load_facts`: three queries, however many units,
periods and cases there are); the owner and every active unit below it are then measured
in every period at once from those arrays, and the measurements are written in one
upsert. `compute_all` loads the facts once for all the indicators of a unit and the
units below it. Running it again writes the same values from the same data."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from servicenav.core.periods import Period, PeriodKind, add_months
from servicenav.core.selectors import working_calendar
from servicenav.kpis.case_statistics import STATISTICS, load_facts, measure_periods, received_from
from servicenav.kpis.models import Indicator, Measurement, Source
from servicenav.organisation.models import Unit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from servicenav.core.calendar import WorkingCalendar
    from servicenav.kpis.case_statistics import CaseFacts

UPSERT_BATCH = 1_000


def measured_units(indicator: Indicator) -> list[Unit]:
    """The owner unit and every active unit below it."""
    owner = indicator.unit
    below = Unit.objects.filter(path__startswith=owner.path, active=True).exclude(pk=owner.pk)
    return [owner, *below.order_by("path")]


def compute_indicator(
    indicator: Indicator,
    period: Period,
    *,
    units: Sequence[Unit] | None = None,
    today: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[Measurement]:
    """Measure a cases-sourced indicator in an ended `period` for the owner unit and each
    active unit below it (or `units`, which must lie in the owner's subtree) and store the
    measurements. A period that has not ended yet is not measured: returns []."""
    return compute_periods(indicator, [period], units=units, today=today, calendar=calendar)


@transaction.atomic
def compute_periods(
    indicator: Indicator,
    periods: Sequence[Period],
    *,
    units: Sequence[Unit] | None = None,
    today: date | None = None,
    calendar: WorkingCalendar | None = None,
    facts: CaseFacts | None = None,
) -> list[Measurement]:
    """`compute_indicator` for several periods of the indicator's kind, in order, at once.
    `facts` are those of the owner or a unit above it, loaded for (at least) these periods
    and this statistic; loaded here if not given. Periods that have not ended are left out."""
    today = today or timezone.localdate()
    periods = [period for period in periods if period.end < today]
    if not periods:
        return []
    units = _check(indicator, units)
    if facts is None:
        first, last = periods[0].start, periods[-1].end
        start = received_from(indicator.statistic, first, indicator.params)
        facts = load_facts(indicator.unit.path, first, last, received_from=start)
    results = measure_periods(
        indicator.statistic,
        facts,
        periods,
        [unit.path for unit in units],
        params=indicator.params,
        min_cases=indicator.min_cases,
        calendar=calendar or working_calendar(),
    )
    now = timezone.now()
    measurements = [
        Measurement(
            indicator=indicator,
            unit=unit,
            period=period.code,
            period_start=period.start,
            period_end=period.end,
            value=result.value,
            n=result.n,
            low=result.low,
            high=result.high,
            source=Source.CASES,
            computed_at=now,
        )
        for unit, per_period in zip(units, results, strict=True)
        for period, result in zip(periods, per_period, strict=True)
    ]
    _store(measurements)
    return measurements


def _check(indicator: Indicator, units: Sequence[Unit] | None) -> list[Unit]:
    """The units to measure (the owner and the active units below it by default), once
    the indicator is one computed from cases and they all lie in the owner's subtree."""
    if indicator.source != Source.CASES or indicator.statistic not in STATISTICS:
        msg = f"Indicator {indicator.code} is not computed from cases"
        raise ValueError(msg)
    units = list(units) if units is not None else measured_units(indicator)
    if any(not unit.path.startswith(indicator.unit.path) for unit in units):
        msg = f"Indicator {indicator.code} measures only its owner unit and the units below it"
        raise ValueError(msg)
    return units


def _store(measurements: list[Measurement]) -> None:
    """Insert the measurements, or overwrite the ones already there (one per indicator,
    unit and period)."""
    Measurement.objects.bulk_create(
        measurements,
        batch_size=UPSERT_BATCH,
        update_conflicts=True,
        unique_fields=["indicator", "unit", "period"],
        update_fields=[
            "period_start",
            "period_end",
            "value",
            "n",
            "low",
            "high",
            "source",
            "computed_at",
        ],
    )


def ended_periods(kind: PeriodKind, today: date, months: int) -> list[Period]:
    """The periods of `kind` that have ended before `today` and end within the last
    `months` whole months."""
    window_start = add_months(today.replace(day=1), -months)
    periods = []
    period = Period.containing(window_start, kind)
    while period.end < today:
        if period.end >= window_start:
            periods.append(period)
        period = period.next()
    return periods


def compute_all(today: date | None = None, months: int = 24) -> tuple[int, int]:
    """Recompute every active cases-sourced indicator for every ended period in the last
    `months` months. Returns (indicators, measurements written).

    The facts are loaded once for each topmost owner unit, for all the indicators of it
    and of the units below it: a case outside an owner's subtree counts for none of the
    units it measures, so one load serves them all."""
    today = today or timezone.localdate()
    calendar = working_calendar()
    indicators = Indicator.objects.filter(
        active=True, source=Source.CASES, statistic__in=list(STATISTICS)
    ).select_related("unit")
    plans = [
        (indicator, ended_periods(PeriodKind(indicator.period_kind), today, months))
        for indicator in indicators
    ]
    written = 0
    for root_path, group in _by_topmost_owner(plans).items():
        facts = _load_facts_for(root_path, group)
        units: dict[int, list[Unit]] = {}
        for indicator, periods in group:
            measured = units.setdefault(indicator.unit_id, measured_units(indicator))
            written += len(
                compute_periods(
                    indicator, periods, units=measured, today=today, calendar=calendar, facts=facts
                )
            )
    return len(plans), written


Plan = tuple[Indicator, list[Period]]


def _by_topmost_owner(plans: list[Plan]) -> dict[str, list[Plan]]:
    """The plans with periods to compute, under the path of the topmost owner above them."""
    groups: dict[str, list[Plan]] = {}
    for indicator, periods in sorted(plans, key=lambda plan: plan[0].unit.path):
        if periods:
            path = indicator.unit.path
            root = next((root for root in groups if path.startswith(root)), path)
            groups.setdefault(root, []).append((indicator, periods))
    return groups


def _load_facts_for(root_path: str, group: list[Plan]) -> CaseFacts:
    """One load covering every period and every statistic of the group."""
    first = min(periods[0].start for _indicator, periods in group)
    last = max(periods[-1].end for _indicator, periods in group)
    start = min(
        received_from(indicator.statistic, first, indicator.params) for indicator, _p in group
    )
    return load_facts(root_path, first, last, received_from=start)
