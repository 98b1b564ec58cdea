"""Indicators on the public pages: each active indicator's latest reading against its
target, its trend and its Kolada comparison, read for many indicators at once."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext

from servicenav.core.periods import Period, PeriodKind, periods_between
from servicenav.kpis.charts import ChartPoint, trend_svg
from servicenav.kpis.comparison import indicator_comparisons
from servicenav.kpis.models import Indicator, UnitOfMeasure
from servicenav.kpis.models import Measurement as KpiMeasurement
from servicenav.kpis.selectors import (
    TREND_LEAST,
    Reading,
    Status,
    Trend,
    reading,
    targets_by_year,
)
from servicenav.public.opendata.kpis import is_suppressed, minimum_for

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from django.db.models import QuerySet

    from servicenav.kpis.comparison import Comparison
    from servicenav.organisation.models import Unit

# The periods a trend shows on the public pages (the staff pages show up to 24).
PUBLIC_TREND_PERIODS = 12


@dataclass(frozen=True)
class KpiRow:
    """An active indicator of a unit: its latest reading for the unit (public: a value on
    too few cases is left out), and on a unit's page its trend and Kolada comparison."""

    indicator: Indicator
    latest: Reading
    trend: Trend | None = None
    comparison: Comparison | None = None

    @property
    def anchor(self) -> str:
        return f"kpi-{self.indicator.pk}"


def public_measurement(measurement: KpiMeasurement | None) -> KpiMeasurement | None:
    """The measurement as the public may see it: without its value (n kept) when built on
    fewer cases or answers than the public minimum. Never saved."""
    if measurement is None or not is_suppressed(measurement, minimum_for(measurement.source)):
        return measurement
    shown = copy.copy(measurement)
    shown.value = shown.low = shown.high = None
    return shown


def _active_indicators(units: Iterable[Unit]) -> QuerySet[Indicator]:
    """The active indicators `units` own, with their targets, in the order of the tree."""
    return (
        Indicator.objects.filter(unit__in=list(units), active=True)
        .select_related("unit")
        .prefetch_related("targets")
        .order_by("unit__path", "code")
    )


def kpi_rows(units: Iterable[Unit]) -> dict[int, list[KpiRow]]:
    """The active indicators each unit owns with their latest reading: three queries."""
    newest = (
        KpiMeasurement.objects.filter(indicator=OuterRef("pk"), unit=OuterRef("unit_id"))
        .order_by("-period_start", "-period")
        .values("pk")[:1]
    )
    indicators = list(_active_indicators(units).annotate(latest_id=Subquery(newest)))
    measurements = KpiMeasurement.objects.in_bulk(
        [i.latest_id for i in indicators if i.latest_id is not None]
    )
    rows: dict[int, list[KpiRow]] = {}
    for indicator in indicators:
        measurement = public_measurement(measurements.get(indicator.latest_id))
        latest = reading(indicator, measurement, targets_by_year(indicator))
        rows.setdefault(indicator.unit_id, []).append(KpiRow(indicator, latest))
    return rows


def _back(period: Period, count: int) -> Period:
    for _step in range(count):
        period = period.previous()
    return period


def _trend(indicator: Indicator, measured: dict[Period, KpiMeasurement], today: date) -> Trend:
    """The trend as the staff pages build it (`kpis.selectors.trend_readings`: every
    period from the earliest measured up to the last ended one, at least 5), at most
    `PUBLIC_TREND_PERIODS` of them, from measurements read already, with the public
    suppression."""
    kind = PeriodKind(indicator.period_kind)
    last = Period.containing(today, kind).previous()
    measured = {p: m for p, m in measured.items() if p >= _back(last, PUBLIC_TREND_PERIODS - 1)}
    if measured:
        last = max(last, max(measured))
    first = max(_back(last, PUBLIC_TREND_PERIODS - 1), min(measured, default=last))
    first = min(first, _back(last, TREND_LEAST - 1))
    targets = targets_by_year(indicator)
    readings = [
        reading(indicator, public_measurement(measured.get(period)), targets, period=period)
        for period in periods_between(first, last)
    ]
    points = [
        ChartPoint(
            label=one.period,
            value=as_float(one.value),
            low=as_float(one.measurement.low) if one.measurement else None,
            high=as_float(one.measurement.high) if one.measurement else None,
            target=as_float(one.target),
        )
        for one in readings
    ]
    unit_label = str(indicator.get_unit_of_measure_display())
    prefix = f"trend-{indicator.pk}"
    svg = trend_svg(
        points,
        title=gettext("Trend: %(name)s") % {"name": indicator.name},
        unit_label=unit_label,
        percent=indicator.unit_of_measure == UnitOfMeasure.PERCENT,
        id_prefix=prefix,
    )
    return Trend(indicator.name, unit_label, readings, svg, prefix)


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _measured(
    indicators: Sequence[Indicator], unit: Unit, today: date
) -> dict[int, dict[Period, KpiMeasurement]]:
    """The unit's measurements of `indicators` over the longest trend window, by indicator
    and period (of the indicator's own kind); one query."""
    since = min(
        (
            _back(Period.containing(today, PeriodKind(i.period_kind)), PUBLIC_TREND_PERIODS).start
            for i in indicators
        ),
        default=today,
    )
    kinds = {indicator.pk: PeriodKind(indicator.period_kind) for indicator in indicators}
    found: dict[int, dict[Period, KpiMeasurement]] = {pk: {} for pk in kinds}
    rows = KpiMeasurement.objects.filter(
        indicator__in=list(kinds), unit=unit, period_start__gte=since
    )
    for measurement in rows:
        try:
            period = Period.parse(measurement.period)
        except ValueError:
            continue
        if period.kind == kinds[measurement.indicator_id]:
            found[measurement.indicator_id][period] = measurement
    return found


def unit_kpis(unit: Unit, today: date) -> list[KpiRow]:
    """The unit's active indicators, each with its latest reading, trend and comparison:
    seven queries."""
    indicators = list(_active_indicators([unit]))
    measured = _measured(indicators, unit, today)
    compared = indicator_comparisons(indicators)
    rows = []
    for indicator in indicators:
        trend = _trend(indicator, measured[indicator.pk], today)
        with_value = [one for one in trend.readings if one.measurement is not None]
        latest = with_value[-1] if with_value else trend.readings[-1]
        rows.append(KpiRow(indicator, latest, trend, compared.get(indicator.pk)))
    return rows


@dataclass(frozen=True)
class KpiTally:
    """How a unit's indicators stand against their targets."""

    met: int = 0
    near: int = 0
    not_met: int = 0
    unjudged: int = 0

    @property
    def judged(self) -> int:
        return self.met + self.near + self.not_met


def kpi_tally(rows: Iterable[KpiRow]) -> KpiTally:
    counts = Counter(row.latest.status for row in rows)
    return KpiTally(
        met=counts[Status.MET],
        near=counts[Status.NEAR],
        not_met=counts[Status.NOT_MET],
        unjudged=counts[Status.NO_DATA] + counts[Status.NO_TARGET],
    )
