"""The public feedback figures, read from the counts `feedback` stored, and suppressed.

One place turns stored counts into the figures the public sees, for the pages and the
open data alike, so the two can never disagree:

- A unit's figures are of its own cases and those of every unit below it (as its KPIs
  are), summed from the stored rows; "all kinds" is the sum of the four kinds.
- *Received*, *answered* and *answer deadline in the period* are counts and are always
  shown: a count of cases says how much feedback came in, nothing about anyone.
- The median and 90th percentile of working days to answer, the share answered by the
  deadline and the share of praise are *figures built on cases*: with fewer cases than
  `SERVICENAV_PUBLIC_MIN_CASES` (n kept) they have no value and are shown as "too few
  cases". A median of two cases would be read as a trend, and one of a single case is
  that person's case.
- Percentiles are type 7 (linear, like numpy, R and Excel's PERCENTILE.INC) on the summed
  histogram, computed exactly and rounded half up to one decimal, as the KPIs round.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext_lazy as _

from servicenav.cases.models import Kind
from servicenav.core.periods import Period, PeriodKind, periods_between
from servicenav.kpis.case_statistics import Tally
from servicenav.organisation.models import Unit
from servicenav.public.models import FeedbackMonth

ALL = "all"
KINDS: tuple[str, ...] = tuple(Kind.values)
KIND_CHOICES = [(ALL, _("all kinds")), *Kind.choices]
TOO_FEW = _("too few cases")
# The kinds of period the public figures are given for.
PUBLIC_PERIOD_KINDS = (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH)
_TENTH = Decimal("0.1")
CACHE_SECONDS = 24 * 3600
CACHE_VERSION = 1


@dataclass(frozen=True)
class Figure:
    """A figure built on `n` cases; `value` None when there were none or too few."""

    value: Decimal | None
    n: int
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def suppressed(self) -> bool:
        """There were cases, but fewer than the public minimum."""
        return self.value is None and self.n > 0


@dataclass
class Sums:
    """Stored counts added up: any units, kinds and months."""

    received: int = 0
    answered: int = 0
    days: dict[int, int] = field(default_factory=dict)
    due: int = 0
    due_in_time: int = 0

    def add(self, other: Sums) -> None:
        self.received += other.received
        self.answered += other.answered
        self.due += other.due
        self.due_in_time += other.due_in_time
        for days, n in other.days.items():
            self.days[days] = self.days.get(days, 0) + n

    @property
    def is_empty(self) -> bool:
        return not (self.received or self.answered or self.due)


@dataclass(frozen=True)
class FeedbackFigures:
    """The public figures of `unit` (and the units below it) for one kind (or `ALL`) in
    one period; `praise` is the share of praise, given for all kinds only."""

    unit: Unit
    kind: str
    period: Period
    received: int
    answered: int
    median_days: Figure
    p90_days: Figure
    due: int
    by_deadline: Figure
    praise: Figure | None

    @property
    def is_empty(self) -> bool:
        return not (self.received or self.answered or self.due)

    @property
    def kind_label(self) -> str:
        return str(dict(KIND_CHOICES)[self.kind])


@dataclass(frozen=True)
class Coverage:
    """The months the stored figures cover, from the first with cases to the last
    counted (the last ended month when the nightly count ran)."""

    first: Period
    last: Period

    def span(self, period: Period) -> tuple[date, date] | None:
        """The days of `period` the figures cover, None when it is outside them."""
        start, end = max(period.start, self.first.start), min(period.end, self.last.end)
        return (start, end) if start <= end else None

    def months(self, period: Period | None = None) -> list[Period]:
        """The covered months (of `period`, when given), oldest first."""
        span = self.span(period) if period is not None else (self.first.start, self.last.end)
        if span is None:
            return []
        first, last = (Period.containing(day, PeriodKind.MONTH) for day in span)
        return periods_between(first, last)

    def periods(self, kind: PeriodKind) -> list[Period]:
        """The periods of `kind` the figures cover at least in part, newest first."""
        first = Period.containing(self.first.start, kind)
        last = Period.containing(self.last.start, kind)
        return periods_between(first, last)[::-1]

    def public_periods(self) -> list[Period]:
        """Years, then quarters, then months, each newest first."""
        return [period for kind in PUBLIC_PERIOD_KINDS for period in self.periods(kind)]


def coverage() -> Coverage | None:
    """The months with stored figures; None before the first count."""
    found = FeedbackMonth.objects.aggregate(first=Min("month"), last=Max("month"))
    if found["first"] is None:
        return None
    return Coverage(
        first=Period.containing(found["first"], PeriodKind.MONTH),
        last=Period.containing(found["last"], PeriodKind.MONTH),
    )


def stamp() -> str:
    """Changes whenever the stored figures do: for cache keys."""
    found = FeedbackMonth.objects.aggregate(rows=Count("id"), at=Max("computed_at"))
    return f"{found['rows']}:{found['at'].timestamp() if found['at'] else 0}"


def minimum_cases() -> int:
    return int(settings.SERVICENAV_PUBLIC_MIN_CASES)


# --- From counts to figures --------------------------------------------------------------


def _nth(ordered: Sequence[tuple[int, int]], index: int) -> int:
    """The value at 0-based `index` of the sorted values a histogram stands for."""
    seen = 0
    for value, n in ordered:
        seen += n
        if index < seen:
            return value
    msg = f"index {index} is past the {seen} values of the histogram"
    raise IndexError(msg)


def percentile(days: Mapping[int, int], percent: int) -> Decimal | None:
    """Percentile `percent` (type 7, linear) of the values a histogram stands for, exact,
    rounded half up to one decimal; None when it stands for none."""
    ordered = sorted((value, n) for value, n in days.items() if n > 0)
    count = sum(n for _value, n in ordered)
    if count == 0:
        return None
    index, hundredths = divmod(percent * (count - 1), 100)
    low = _nth(ordered, index)
    high = _nth(ordered, index + 1) if hundredths else low
    exact = Decimal(low) + Decimal((high - low) * hundredths) / 100
    return exact.quantize(_TENTH, rounding=ROUND_HALF_UP)


def _percentile_figure(sums: Sums, percent: int, minimum: int) -> Figure:
    if sums.answered < minimum or not sums.answered:
        return Figure(value=None, n=sums.answered)
    return Figure(value=percentile(sums.days, percent), n=sums.answered)


def _share_figure(within: int, cases: int, minimum: int) -> Figure:
    result = Tally(within=within, cases=cases).result(minimum)
    return Figure(value=result.value, n=result.n, low=result.low, high=result.high)


def figures_of(
    unit: Unit, kind: str, period: Period, sums: Sums, *, praise: int | None, minimum: int
) -> FeedbackFigures:
    """The public figures of summed counts. `praise` is how many of the cases received
    were praise, for the share of praise (None: not given, as for a single kind)."""
    return FeedbackFigures(
        unit=unit,
        kind=kind,
        period=period,
        received=sums.received,
        answered=sums.answered,
        median_days=_percentile_figure(sums, 50, minimum),
        p90_days=_percentile_figure(sums, 90, minimum),
        due=sums.due,
        by_deadline=_share_figure(sums.due_in_time, sums.due, minimum),
        praise=None if praise is None else _share_figure(praise, sums.received, minimum),
    )


# --- Reading the stored counts -----------------------------------------------------------

FigureKey = tuple[int, str, str]  # unit id, kind, period code


def _tops(units: Iterable[Unit]) -> list[str]:
    """The paths of `units` that are not below another of them."""
    paths = sorted({unit.path for unit in units})
    return [path for path in paths if not any(path.startswith(p) and path != p for p in paths)]


def month_sums(units: Sequence[Unit], first: date, last: date) -> dict[tuple[int, str, date], Sums]:
    """Per unit (its subtree), kind and month, the stored counts added up: one query, or
    none while the stored counts are the same (kept in the cache, keyed by `stamp`)."""
    tree = ",".join(f"{unit.pk}{unit.path}" for unit in sorted(units, key=lambda u: u.pk))
    digest = hashlib.sha256(tree.encode()).hexdigest()[:32]
    key = f"public:feedback-sums:{CACHE_VERSION}:{stamp()}:{digest}:{first}:{last}"
    sums = cache.get(key)
    if sums is None:
        sums = _read_month_sums(units, first, last)
        cache.set(key, sums, CACHE_SECONDS)
    return sums


def _read_month_sums(
    units: Sequence[Unit], first: date, last: date
) -> dict[tuple[int, str, date], Sums]:
    """Each stored row is added once, to the deepest of `units` it is under; those sums
    are then added to the units above that one among `units` (`_roll_up`). Adding each
    row to every unit above it took twice the time on the start page, where every row is
    under two units. (Summing the histograms in the database instead was no faster.)"""
    subtrees = reduce(or_, (Q(unit__path__startswith=p) for p in _tops(units)), Q(pk__in=[]))
    rows = (
        FeedbackMonth.objects.filter(subtrees, month__gte=first, month__lte=last)
        .values_list(
            "unit__path",
            "kind",
            "month",
            "received",
            "answered",
            "days_to_answer",
            "due",
            "due_in_time",
        )
        .order_by()
    )
    deepest = sorted(units, key=lambda unit: -len(unit.path))
    owners: dict[str, int] = {}  # a row's unit path: the id of the deepest unit above it
    own: dict[tuple[int, str, date], Sums] = {}
    # Streamed: a list of all the rows outlives the young garbage collections, and made
    # the full ones (about 0.1 s each) three times as frequent on the start page.
    for path, kind, month, received, answered, days, due, in_time in rows.iterator(2000):
        if path not in owners:
            owners[path] = next(unit.pk for unit in deepest if path.startswith(unit.path))
        key = (owners[path], kind, month)
        sums = own.get(key)
        if sums is None:
            sums = own[key] = Sums()
        sums.received += received
        sums.answered += answered
        sums.due += due
        sums.due_in_time += in_time
        for waited, n in days.items():  # stored as text: made numbers once, in `_roll_up`
            sums.days[waited] = sums.days.get(waited, 0) + n
    return _roll_up(own, units)


def _roll_up(
    own: Mapping[tuple[int, str, date], Sums], units: Sequence[Unit]
) -> dict[tuple[int, str, date], Sums]:
    """The sums of each unit's own rows (and those of the units below it that are not
    among `units`) added to it and to every unit above it among `units`."""
    above = {unit.pk: {other.pk for other in units if unit.is_within(other)} for unit in units}
    sums: dict[tuple[int, str, date], Sums] = defaultdict(Sums)
    for (unit_id, kind, month), found in own.items():
        found.days = {int(waited): n for waited, n in found.days.items()}
        for target in above[unit_id]:
            sums[target, kind, month].add(found)
    return dict(sums)


def feedback_figures(
    units: Sequence[Unit],
    periods: Sequence[Period],
    *,
    kinds: Sequence[str] = (ALL, *KINDS),
    minimum: int | None = None,
) -> dict[FigureKey, FeedbackFigures]:
    """The figures of each of `units` (with the units below it) for each of `kinds` (a
    kind or `ALL`) in each of `periods`, keyed by (unit id, kind, period code). One query,
    however many units, kinds and periods."""
    if not units or not periods:
        return {}
    minimum = minimum_cases() if minimum is None else minimum
    first = min(period.start for period in periods)
    last = max(period.end for period in periods)
    by_month = month_sums(units, first, last)
    figures: dict[FigureKey, FeedbackFigures] = {}
    for period in periods:
        months = [month.start for month in periods_between(*_months_of(period))]
        for unit in units:
            per_kind = period_sums(by_month, unit.pk, months)
            total = Sums()
            for sums in per_kind.values():
                total.add(sums)
            for kind in kinds:
                if kind == ALL:
                    sums, praise = total, per_kind[Kind.PRAISE].received
                else:
                    sums, praise = per_kind[kind], None
                figures[unit.pk, kind, period.code] = figures_of(
                    unit, kind, period, sums, praise=praise, minimum=minimum
                )
    return figures


def period_sums(
    by_month: Mapping[tuple[int, str, date], Sums], unit_id: int, months: Sequence[date]
) -> dict[str, Sums]:
    """A unit's sums of `months` (of `month_sums`), per kind."""
    per_kind = {kind: Sums() for kind in KINDS}
    for kind, sums in per_kind.items():
        for month in months:
            found = by_month.get((unit_id, kind, month))
            if found is not None:
                sums.add(found)
    return per_kind


def _months_of(period: Period) -> tuple[Period, Period]:
    return (
        Period.containing(period.start, PeriodKind.MONTH),
        Period.containing(period.end, PeriodKind.MONTH),
    )


def public_units() -> list[Unit]:
    """The active units, in the order of the tree (each level by name)."""
    units = list(Unit.objects.filter(active=True))
    by_id = {unit.pk: unit for unit in units}

    def key(unit: Unit) -> tuple[tuple[str, int], ...]:
        ids = [int(part) for part in unit.path.strip("/").split("/")]
        return tuple((by_id[i].name.casefold() if i in by_id else "", i) for i in ids)

    return sorted(units, key=key)
