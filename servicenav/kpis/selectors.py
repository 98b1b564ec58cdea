"""Reads of key performance indicators for the staff pages (and, later, the public site):
each value judged against the target of its year, the trend of an indicator over its
recent periods, the latest period per unit, and how full each unit's quota of active
indicators is.

The status rule, in one place (`status_against`):

- **met** when the value reaches the target in the better direction: value ≥ target when
  higher is better, value ≤ target when lower is better. Exactly the target is met.
- **near** when it misses by no more than 5 % of the target (relative: |value − target| ≤
  0.05 × |target|); for a target of 0, where a relative margin is empty, by no more than
  0.5 (absolute). Exactly 5 % off is still near.
- **not met** otherwise.
- **no data** when there is no measurement for the period, or the measurement has no value
  (too few cases: the page says how many there were).
- **no target** when there is a value but no target for the year of its period: nothing
  to judge it by, and no invented norm.

A measurement is judged by the target of the calendar year its period starts in."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.access import can_manage, indicators_visible_to
from servicenav.kpis.charts import ChartPoint, trend_svg
from servicenav.kpis.compute import measured_units
from servicenav.kpis.models import Indicator, IndicatorLimit, Measurement, UnitOfMeasure

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date

    from django.contrib.auth.models import AnonymousUser
    from django.utils.safestring import SafeString

    from servicenav.organisation.models import Unit, User

NEAR_SHARE = Decimal("0.05")
NEAR_AT_ZERO = Decimal("0.5")
TREND_PERIODS = 24  # the longest trend shown
TREND_LEAST = 5  # the shortest: at least five periods, even before there are values


class Status(models.TextChoices):
    """A value judged against its target (see the module's docstring for the rule)."""

    MET = "met", _("met")
    NEAR = "near", _("near the target")
    NOT_MET = "not_met", _("not met")
    NO_DATA = "no_data", _("no data")
    NO_TARGET = "no_target", _("no target")


# A cue besides colour, shown before the words (and hidden from screen readers, which
# read the words).
STATUS_SYMBOLS = {
    Status.MET: "✓",
    Status.NEAR: "≈",
    Status.NOT_MET: "✗",
    Status.NO_DATA: "–",
    Status.NO_TARGET: "–",
}


def status_against(
    value: Decimal | None, target: Decimal | None, *, higher_is_better: bool
) -> Status:
    """Judge `value` against `target` by the rule in the module's docstring."""
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    shortfall = (target - value) if higher_is_better else (value - target)
    if shortfall <= 0:
        return Status.MET
    margin = NEAR_AT_ZERO if target == 0 else abs(target) * NEAR_SHARE
    return Status.NEAR if shortfall <= margin else Status.NOT_MET


def format_number(value: Decimal | float) -> str:
    """A figure as the current language writes it, to two decimals at most and without
    trailing zeros ("87,5" on Swedish pages)."""
    rounded = Decimal(str(value)).quantize(Decimal("0.01"))
    decimals = next(d for d in (0, 1, 2) if rounded == round(rounded, d))
    return number_format(rounded, decimals)


def format_value(value: Decimal, unit_of_measure: str) -> str:
    """A value with its unit of measure, e.g. "87.5 %" or "3 working days"."""
    number = format_number(value)
    texts: dict[str, str] = {
        UnitOfMeasure.PERCENT: gettext("%(value)s %%"),
        UnitOfMeasure.WORKING_DAYS: gettext("%(value)s working days"),
        UnitOfMeasure.PER_THOUSAND: gettext("%(value)s per 1,000 inhabitants"),
    }
    return texts.get(unit_of_measure, "%(value)s") % {"value": number}


@dataclass(frozen=True)
class Reading:
    """One period's measurement of an indicator for one unit, judged against the target of
    its year. `measurement` is None when the period has none."""

    period: str
    label: str
    measurement: Measurement | None
    target: Decimal | None
    status: Status
    unit_of_measure: str

    @property
    def value(self) -> Decimal | None:
        return self.measurement.value if self.measurement else None

    @property
    def n(self) -> int | None:
        return self.measurement.n if self.measurement else None

    @property
    def value_text(self) -> str:
        if self.measurement is None:
            return gettext("no data")
        if self.measurement.value is None:
            if self.measurement.n is None:
                return gettext("no value")
            return gettext("too few cases (n = %(n)s)") % {"n": self.measurement.n}
        return format_value(self.measurement.value, self.unit_of_measure)

    @property
    def interval_text(self) -> str:
        low, high = (
            (self.measurement.low, self.measurement.high) if self.measurement else (None,) * 2
        )
        if low is None or high is None:
            return "–"
        return f"{format_number(low)}–{format_number(high)}"

    @property
    def target_text(self) -> str:
        if self.target is None:
            return "–"
        return format_value(self.target, self.unit_of_measure)

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]


def _period_label(code: str) -> str:
    try:
        return str(Period.parse(code).label)
    except ValueError:
        return code


def targets_by_year(indicator: Indicator) -> dict[int, Decimal]:
    """The indicator's targets per year (prefetched `targets` are used when there)."""
    return {target.year: target.value for target in indicator.targets.all()}


def reading(
    indicator: Indicator,
    measurement: Measurement | None,
    targets: Mapping[int, Decimal],
    *,
    period: Period | None = None,
) -> Reading:
    """Judge one measurement (or the lack of one in `period`) against its year's target."""
    if measurement is not None:
        code, year = measurement.period, measurement.period_start.year
    elif period is not None:
        code, year = period.code, period.year
    else:
        code, year = "", timezone.localdate().year
    target = targets.get(year)
    value = measurement.value if measurement else None
    return Reading(
        period=code,
        label=_period_label(code) if code else "",
        measurement=measurement,
        target=target,
        status=status_against(value, target, higher_is_better=indicator.higher_is_better),
        unit_of_measure=indicator.unit_of_measure,
    )


# The list: indicators per owning unit, with their latest value and the unit's quota


def active_limits(units: Iterable[Unit]) -> dict[int, int]:
    """Each unit's limit of active indicators in one query; the same rule as
    `services.active_limit` (its own `IndicatorLimit`, else the setting)."""
    pks = [unit.pk for unit in units]
    own = dict(IndicatorLimit.objects.filter(unit_id__in=pks).values_list("unit_id", "maximum"))
    return {pk: own.get(pk) or settings.SERVICENAV_KPI_MAX_ACTIVE for pk in pks}


@dataclass
class IndicatorRow:
    indicator: Indicator
    latest: Reading


@dataclass
class UnitGroup:
    """The indicators one unit owns, with how many of them are active against its limit."""

    unit: Unit
    limit: int
    can_manage: bool
    rows: list[IndicatorRow] = field(default_factory=list)

    @property
    def active(self) -> int:
        return sum(1 for row in self.rows if row.indicator.active)

    @property
    def full(self) -> bool:
        return self.active >= self.limit


def indicator_groups(user: User | AnonymousUser) -> list[UnitGroup]:
    """The indicators `user` may read, grouped by owning unit, each with its latest
    measurement for the owner judged against that year's target. A fixed number of
    queries, however many indicators there are."""
    latest = (
        Measurement.objects.filter(indicator=OuterRef("pk"), unit=OuterRef("unit_id"))
        .order_by("-period_start")
        .values("pk")[:1]
    )
    indicators = list(
        indicators_visible_to(user)
        .select_related("unit")
        .prefetch_related("targets")
        .annotate(latest_id=Subquery(latest))
        .order_by("unit__path", "-active", "code")
    )
    measurements = Measurement.objects.in_bulk(
        [i.latest_id for i in indicators if i.latest_id is not None]
    )
    limits = active_limits({i.unit for i in indicators})
    groups: dict[int, UnitGroup] = {}
    for indicator in indicators:
        unit = indicator.unit
        if unit.pk not in groups:
            groups[unit.pk] = UnitGroup(unit, limits[unit.pk], can_manage(user, unit))
        measurement = measurements.get(indicator.latest_id)
        row = IndicatorRow(indicator, reading(indicator, measurement, targets_by_year(indicator)))
        groups[unit.pk].rows.append(row)
    return list(groups.values())


@dataclass(frozen=True)
class Room:
    """How many active indicators a unit has, against its limit."""

    unit: Unit
    active: int
    limit: int

    @property
    def full(self) -> bool:
        return self.active >= self.limit


def rooms(units: Iterable[Unit]) -> list[Room]:
    """Each unit's active indicators against its limit, in two queries."""
    units = list(units)
    counts = dict(
        Indicator.objects.filter(unit__in=units, active=True)
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    limits = active_limits(units)
    return [Room(unit, counts.get(unit.pk, 0), limits[unit.pk]) for unit in units]


def full_units(units: Iterable[Unit]) -> list[Room]:
    """The units among `units` that have reached their limit of active indicators."""
    return [room for room in rooms(units) if room.full]


# The indicator page: trend and the latest period per unit


def _periods_back(last: Period, count: int) -> Period:
    period = last
    for _step in range(count):
        period = period.previous()
    return period


def _measured_periods(indicator: Indicator, unit: Unit, since: date) -> dict[Period, Measurement]:
    """The unit's measurements of the indicator from `since` on, by period; measurements
    of another period kind (stored before the indicator's period changed) are left out."""
    kind = PeriodKind(indicator.period_kind)
    found: dict[Period, Measurement] = {}
    for measurement in Measurement.objects.filter(
        indicator=indicator, unit=unit, period_start__gte=since
    ):
        try:
            period = Period.parse(measurement.period)
        except ValueError:
            continue
        if period.kind == kind:
            found[period] = measurement
    return found


def trend_readings(
    indicator: Indicator, *, unit: Unit | None = None, today: date | None = None
) -> list[Reading]:
    """One reading per period, oldest first, with no period skipped (a period without a
    value is a reading without one): from the earliest measured period, at most
    `TREND_PERIODS` back and at least `TREND_LEAST`, to the last ended period (or a later
    one that already has a value)."""
    unit = unit or indicator.unit
    kind = PeriodKind(indicator.period_kind)
    last = Period.containing(today or timezone.localdate(), kind).previous()
    window_start = _periods_back(last, TREND_PERIODS - 1)
    measured = _measured_periods(indicator, unit, window_start.start)
    if measured:
        last = max(last, max(measured))
    first = max(_periods_back(last, TREND_PERIODS - 1), min(measured, default=last))
    first = min(first, _periods_back(last, TREND_LEAST - 1))
    targets = targets_by_year(indicator)
    readings = []
    period = first
    while True:
        readings.append(reading(indicator, measured.get(period), targets, period=period))
        if period == last:
            return readings
        period = period.next()


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Trend:
    """An indicator's trend for one unit: the readings (oldest first) and their chart.
    `kpis/includes/trend.html` shows both, the chart and the same figures as a table."""

    title: str
    unit_label: str
    readings: list[Reading]
    svg: SafeString
    id_prefix: str

    @property
    def has_values(self) -> bool:
        return any(reading.value is not None for reading in self.readings)

    @property
    def newest_first(self) -> list[Reading]:
        return self.readings[::-1]


def indicator_trend(
    indicator: Indicator,
    *,
    unit: Unit | None = None,
    today: date | None = None,
    id_prefix: str = "trend",
) -> Trend:
    """The trend of `indicator` for `unit` (the owner by default), ready to show."""
    readings = trend_readings(indicator, unit=unit, today=today)
    points = [
        ChartPoint(
            label=reading.period,
            value=_float(reading.value),
            low=_float(reading.measurement.low) if reading.measurement else None,
            high=_float(reading.measurement.high) if reading.measurement else None,
            target=_float(reading.target),
        )
        for reading in readings
    ]
    unit_label = str(indicator.get_unit_of_measure_display())
    svg = trend_svg(
        points,
        title=gettext("Trend: %(name)s") % {"name": indicator.name},
        unit_label=unit_label,
        percent=indicator.unit_of_measure == UnitOfMeasure.PERCENT,
        id_prefix=id_prefix,
    )
    return Trend(indicator.name, unit_label, readings, svg, id_prefix)


@dataclass(frozen=True)
class UnitReading:
    unit: Unit
    reading: Reading


def latest_by_unit(indicator: Indicator) -> tuple[str, list[UnitReading]]:
    """The latest period with any measurement of the indicator, and each measured unit's
    reading in it (the owner first, then the units below it in tree order), so the units
    are compared on the same period. ("", []) before the first measurement."""
    code = (
        Measurement.objects.filter(indicator=indicator)
        .order_by("-period_start", "-period")
        .values_list("period", flat=True)
        .first()
    )
    if code is None:
        return "", []
    in_period = {m.unit_id: m for m in Measurement.objects.filter(indicator=indicator, period=code)}
    targets = targets_by_year(indicator)
    try:
        period: Period | None = Period.parse(code)
    except ValueError:
        period = None
    rows = [
        UnitReading(unit, reading(indicator, in_period.get(unit.pk), targets, period=period))
        for unit in measured_units(indicator)
    ]
    return _period_label(code), rows


def unit_room(unit: Unit) -> Room:
    return rooms([unit])[0]
