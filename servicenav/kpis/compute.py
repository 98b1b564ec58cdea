"""Computing the measurements of indicators whose source is the cases.

For each indicator and ended period one query loads the rows its statistic needs for the
owner unit's whole subtree; the owner and every active unit below it are then measured
from those rows, and the measurements are written in one upsert. Running it again writes
the same values from the same data."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from servicenav.core.periods import Period, PeriodKind, add_months
from servicenav.core.selectors import working_calendar
from servicenav.kpis.case_statistics import STATISTICS, CaseRow, load_rows
from servicenav.kpis.models import Indicator, Measurement, Source
from servicenav.organisation.models import Unit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from servicenav.core.calendar import WorkingCalendar


def measured_units(indicator: Indicator) -> list[Unit]:
    """The owner unit and every active unit below it."""
    owner = indicator.unit
    below = Unit.objects.filter(path__startswith=owner.path, active=True).exclude(pk=owner.pk)
    return [owner, *below.order_by("path")]


def _rows_of(unit: Unit, by_path: dict[str, list[CaseRow]]) -> list[CaseRow]:
    rows: list[CaseRow] = []
    for path, group in by_path.items():
        if path.startswith(unit.path):
            rows.extend(group)
    return rows


@transaction.atomic
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
    today = today or timezone.localdate()
    if period.end >= today:
        return []
    if indicator.source != Source.CASES or indicator.statistic not in STATISTICS:
        msg = f"Indicator {indicator.code} is not computed from cases"
        raise ValueError(msg)
    statistic = STATISTICS[indicator.statistic]
    owner_path = indicator.unit.path
    units = list(units) if units is not None else measured_units(indicator)
    if any(not unit.path.startswith(owner_path) for unit in units):
        msg = f"Indicator {indicator.code} measures only its owner unit and the units below it"
        raise ValueError(msg)
    calendar = calendar or working_calendar()
    by_path: dict[str, list[CaseRow]] = defaultdict(list)
    for row in load_rows(owner_path, statistic, period, indicator.params):
        by_path[row.unit_path].append(row)
    now = timezone.now()
    measurements = []
    for unit in units:
        result = statistic.measure(
            _rows_of(unit, by_path), period, calendar, indicator.params, indicator.min_cases
        )
        measurements.append(
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
        )
    Measurement.objects.bulk_create(
        measurements,
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
    return measurements


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
    `months` months. Returns (indicators, measurements written)."""
    today = today or timezone.localdate()
    calendar = working_calendar()
    indicators = Indicator.objects.filter(
        active=True, source=Source.CASES, statistic__in=list(STATISTICS)
    ).select_related("unit")
    counted = written = 0
    for indicator in indicators:
        counted += 1
        units = measured_units(indicator)
        for period in ended_periods(PeriodKind(indicator.period_kind), today, months):
            written += len(
                compute_indicator(indicator, period, units=units, today=today, calendar=calendar)
            )
    return counted, written
