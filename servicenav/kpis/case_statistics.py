"""Statistics of a unit's cases in a period: the single place they are computed.

Each statistic counts the cases of a unit and every unit below it that were not merged
into another case. Dates are the municipality's own (Europe/Stockholm) and durations are
Swedish working days (`WorkingCalendar`).

How, so that every unit and every period costs little more than one: `load_facts` reads
the few facts the statistics need about each case of a subtree that can count in a span
of periods, in one query, plus the close and reopen history of the few cases ever
reopened, and keeps them as numpy arrays (`CaseFacts`). A statistic then says, with
array arithmetic over all cases at once, which case counts in which period and whether
it met the measure (`Observations`); those are added up per period for each unit, a case
counting for its own unit and every unit above it. `measure` is the same computation
for one unit and one period.

Choices made, so that each figure says what it claims:

- **The answer** is the first reply to the citizen or the first close, whichever came
  first. The first close is read from the case history, so a case that was closed and
  later reopened keeps the answer it got (its `closed_at` is cleared on reopening); data
  without a history falls back on `closed_at`.
- **"Within N working days"** counts a case once, in the period its limit (N working days
  after the day it was received) fell due, whether it was answered in time, late or not at
  all, so an unanswered backlog cannot hide. It is kept when the act's local date is on or
  before that day.
- **"By the answer deadline"** counts the cases whose `answer_by` falls in the period: the
  deadline the case itself carries, moved on by working days spent waiting for the citizen
  or another party (a paused clock), and restarted when a case is reopened. It is kept when
  `answered_in_time`, which the first close froze.
- **Working days to answer** are counted from the day received to the day of the answer,
  for the cases answered in the period. Time spent waiting for the citizen is *not*
  subtracted: the citizen waited all the same. Percentiles use numpy's "linear" method
  (type 7 of Hyndman and Fan, as in R and Excel's PERCENTILE.INC): the 90th percentile of
  n sorted values is at position 0.9·(n−1), interpolated between neighbours.
- **Open at the period's end**: received on or before the last day and not closed at its
  end. Whether a case was closed at that moment is read from its history (the last close
  or reopening before it), so a case reopened after the period does not turn a closed case
  open again, and one reopened within it counts as open; a case never reopened is closed
  from its `closed_at` on. The age is in working days from the day received to the
  period's last day. "Past the deadline" compares `answer_by` as it stands now with the
  period's last day: a pause or reopening after the period can move it later (this
  undercounts rather than invents a late case).
- **Shares** are in percent with Wilson's 95 % interval (`wilson_interval`); counts and
  durations have no interval. A value needs at least `min_cases` cases (n); fewer gives no
  value ("too few"), and no cases gives no value at all. A count of open cases past their
  deadline is a value even when it is zero or small: a small backlog is a real figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from servicenav.cases.models import Case, CaseEvent, Kind
from servicenav.core.calendar import WorkingCalendar
from servicenav.core.periods import Period
from servicenav.core.selectors import working_calendar
from servicenav.kpis.models import Statistic
from servicenav.organisation.models import Unit
from servicenav.surveys.statistics import wilson_interval

Params = Mapping[str, Any]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
KINDS: list[str] = list(Kind.values)
_PRAISE = KINDS.index(Kind.PRAISE)
NEVER = date.max.toordinal() + 1
"""A day after every real one: what has not happened happens "never"."""
_TENTH = Decimal("0.1")


def _decimal(number: float) -> Decimal:
    return Decimal(repr(float(number))).quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Result:
    """A statistic's value for a unit and period; `value` None when there were no cases or
    fewer than the minimum. `low`/`high` is the 95 % interval where one applies."""

    value: Decimal | None
    n: int
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass(frozen=True)
class Tally:
    """Of `cases` counted in the period, `within` met the measure."""

    within: int
    cases: int

    @property
    def share(self) -> Decimal | None:
        if not self.cases:
            return None
        exact = Decimal(self.within * 100) / Decimal(self.cases)
        return exact.quantize(_TENTH, rounding=ROUND_HALF_UP)

    def result(self, min_cases: int = 1) -> Result:
        estimate = wilson_interval(self.within, self.cases)
        if estimate is None or self.cases < min_cases:
            return Result(value=None, n=self.cases)
        return Result(
            value=self.share,
            n=self.cases,
            low=_decimal(estimate.low),
            high=_decimal(estimate.high),
        )


class WorkingDays:
    """`WorkingCalendar`'s arithmetic for whole arrays of days at once, as numpy lookups.

    Days are proleptic ordinals (`date.toordinal()`). A table marks each day from `first`
    to `last` as working or not, once, from the calendar itself; its running count
    answers both questions: the working days between two days are a difference of
    counts, and N working days after a day is the first day whose count is N higher. The
    table grows by itself when a day outside it is asked about."""

    def __init__(self, calendar: WorkingCalendar, first: int, last: int) -> None:
        self.calendar = calendar
        self._build(first, last)

    def _build(self, first: int, last: int) -> None:
        self.first, self.last = first, last
        working = np.fromiter(
            (self.calendar.is_working_day(date.fromordinal(day)) for day in range(first, last + 1)),
            dtype=bool,
            count=last - first + 1,
        )
        self.working = working
        # counts[i]: working days from `first` up to and including day first + i.
        self.counts = np.cumsum(working, dtype=np.int64)

    def _cover(self, *arrays: IntArray) -> None:
        present = [array for array in arrays if array.size]
        if not present:
            return
        low = min(int(array.min()) for array in present)
        high = max(int(array.max()) for array in present)
        if low < self.first or high > self.last:
            # A year's margin on each side keeps rebuilding rare.
            self._build(min(low, self.first) - 366, max(high, self.last) + 366)

    def between(self, start: IntArray, end: IntArray) -> IntArray:
        """Working days d with start < d <= end, negative when end is before start (as
        `WorkingCalendar.working_days_between`)."""
        self._cover(start, end)
        return self.counts[end - self.first] - self.counts[start - self.first]

    def add(self, start: IntArray, days: int | IntArray) -> IntArray:
        """The day `days` working days after each start, the start not counted; zero days
        leaves a start as it is (as `WorkingCalendar.add_working_days`)."""
        days = np.asarray(days, dtype=np.int64)
        if np.any(days < 0):
            msg = "days must be zero or positive"
            raise ValueError(msg)
        self._cover(start)
        while True:
            wanted = self.counts[start - self.first] + days
            found = np.searchsorted(self.counts, wanted, side="left")
            if not found.size or int(found.max()) < self.counts.size:
                return np.where(days == 0, start, self.first + found)
            self._build(self.first, self.last + 2 * int(np.max(days)) + 366)

    def is_working(self, days: IntArray) -> BoolArray:
        self._cover(days)
        return self.working[days - self.first]


# --- The facts about the cases ----------------------------------------------------------


@dataclass(frozen=True)
class History:
    """The closes and reopenings of the cases that were ever reopened, in the order they
    happened to each case: the case (its position in the facts), the day, and whether it
    was a close."""

    case: IntArray
    day: IntArray
    closed: BoolArray


@dataclass(frozen=True)
class CaseFacts:
    """What the statistics use about each case: one entry per case, in id order, days as
    ordinals and NEVER for what has not happened."""

    unit_paths: list[str]  # the units of the subtree
    unit: IntArray  # each case's own unit: its position in `unit_paths`
    kind: IntArray  # its position in `KINDS`
    received: IntArray
    acknowledged: IntArray
    answered: IntArray  # the first reply or the first close, whichever came first
    answer_by: IntArray
    in_time: BoolArray  # `answered_in_time` is True
    closed: IntArray  # `closed_at`: the last close, NEVER while the case is open
    history: History

    def open_at_end_of(self, day: int) -> BoolArray:
        """Received by `day` and not closed at its end: `closed_at` after it, and the last
        close or reopening by then (for a case ever reopened) not a close."""
        still = (self.received <= day) & (self.closed > day)
        history = self.history
        before = np.flatnonzero(history.day <= day)
        if before.size:
            cases = history.case[before]
            last = before[np.append(cases[1:] != cases[:-1], True)]
            still[history.case[last[history.closed[last]]]] = False
        return still


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the municipality's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def unit_cases(unit_path: str) -> QuerySet[Case]:
    """The cases of the unit with this path and every unit below it, merged ones left out."""
    return Case.objects.filter(unit__path__startswith=unit_path, merged_into__isnull=True)


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_default_timezone())


def _days(values: Sequence[date | None]) -> IntArray:
    return np.fromiter(
        (NEVER if day is None else day.toordinal() for day in values),
        dtype=np.int64,
        count=len(values),
    )


def _columns(rows: Iterable[tuple[Any, ...]], count: int) -> list[list[Any]]:
    columns = [list(column) for column in zip(*rows, strict=True)]
    return columns or [[] for _ in range(count)]


def load_facts(unit_path: str, first: date, last: date, *, received_from: date) -> CaseFacts:
    """The facts about the cases of the unit at `unit_path` and the units below it that
    can count in a period from `first` to `last`: received by `last`, and received from
    `received_from` on, due, replied to or closed from `first` on, or open now."""
    paths = dict(Unit.objects.filter(path__startswith=unit_path).values_list("pk", "path"))
    return load_unit_facts(paths, first, last, received_from=received_from)


def load_unit_facts(
    paths: Mapping[int, str], first: date, last: date, *, received_from: date
) -> CaseFacts:
    """As `load_facts`, for the cases of exactly the units `paths` names (id → path), not
    of the units below them unless named too: a unit's *own* cases, say, or a subtree
    whose units are already known."""
    start = start_of(first)
    cases = Case.objects.filter(
        Q(received_at__gte=start_of(min(received_from, first)))
        | Q(answer_by__gte=first)
        | Q(first_reply_at__gte=start)
        | Q(closed_at__gte=start)
        | Q(closed_at__isnull=True),
        unit_id__in=list(paths),  # better estimated than a join on the path
        merged_into__isnull=True,
        received_at__lt=start_of(last + timedelta(days=1)),
    )
    rows = (
        cases.annotate(
            received_on=_local_day("received_at"),
            acknowledged_on=_local_day("acknowledged_at"),
            replied_on=_local_day("first_reply_at"),
            closed_on=_local_day("closed_at"),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "unit_id",
            "kind",
            "received_on",
            "acknowledged_on",
            "replied_on",
            "closed_on",
            "answer_by",
            "answered_in_time",
        )
    )
    ids, units, kinds, received, acknowledged, replied, closed, answer_by, in_time = _columns(
        rows, 9
    )
    unit_ids = np.array(sorted(paths), dtype=np.int64)
    case_ids = np.array(ids, dtype=np.int64)
    history = _history(cases, case_ids)
    closed_days = _days(closed)
    return CaseFacts(
        unit_paths=[paths[pk] for pk in unit_ids.tolist()],
        unit=np.searchsorted(unit_ids, np.array(units, dtype=np.int64)),
        kind=np.fromiter((KINDS.index(kind) for kind in kinds), dtype=np.int64, count=len(kinds)),
        received=_days(received),
        acknowledged=_days(acknowledged),
        answered=np.minimum(_days(replied), _first_close(closed_days, history)),
        answer_by=_days(answer_by),
        in_time=np.fromiter((kept is True for kept in in_time), dtype=bool, count=len(in_time)),
        closed=closed_days,
        history=history,
    )


def _history(cases: QuerySet[Case], case_ids: IntArray) -> History:
    """Closes and reopenings of those of `cases` (in id order: `case_ids`) that were ever
    reopened."""
    reopened = CaseEvent.objects.filter(
        type=CaseEvent.Type.REOPENED, case_id__in=cases.values("pk")
    ).values("case_id")
    events = list(
        CaseEvent.objects.filter(
            case_id__in=reopened, type__in=[CaseEvent.Type.CLOSED, CaseEvent.Type.REOPENED]
        )
        .order_by("case_id", "at", "pk")
        .values_list("case_id", "type", _local_day("at"))
    )
    owners = np.array([event[0] for event in events], dtype=np.int64)
    return History(
        case=np.searchsorted(case_ids, owners),
        day=_days([event[2] for event in events]),
        closed=np.array([event[1] == CaseEvent.Type.CLOSED for event in events], dtype=bool),
    )


def _first_close(closed: IntArray, history: History) -> IntArray:
    """The day of each case's first close: from its history when it has one."""
    first = closed.copy()
    cases, days = history.case[history.closed], history.day[history.closed]
    if cases.size:
        earliest = np.append(True, cases[1:] != cases[:-1])  # history is in time order
        first[cases[earliest]] = days[earliest]
    return first


# --- Which case counts in which period ------------------------------------------------


@dataclass(frozen=True)
class Periods:
    """Periods in order, without overlaps, as ordinals of their first and last days."""

    start: IntArray
    end: IntArray

    @classmethod
    def of(cls, periods: Sequence[Period]) -> Periods:
        starts = np.array([period.start.toordinal() for period in periods], dtype=np.int64)
        ends = np.array([period.end.toordinal() for period in periods], dtype=np.int64)
        if np.any(starts[1:] <= ends[:-1]):
            msg = "Periods must be in order and must not overlap"
            raise ValueError(msg)
        return cls(starts, ends)

    def index(self, days: IntArray) -> IntArray:
        """For each day, the position of the period it falls in; -1 for none."""
        position = np.searchsorted(self.start, days, side="right") - 1
        inside = (position >= 0) & (days <= self.end[np.maximum(position, 0)])
        return np.where(inside, position, -1)


@dataclass(frozen=True)
class Observations:
    """What a statistic counts: case `case[i]` (its position in the facts) in period
    `period[i]`, whether it met the measure (`hit`), and its working days where the
    statistic is a duration."""

    case: IntArray
    period: IntArray
    hit: BoolArray
    days: IntArray


Observe = Callable[[CaseFacts, Periods, WorkingDays, Params], Observations]
_NONE = np.zeros(0, dtype=np.int64)


def _limit_days(params: Params) -> int:
    limit = params.get("limit_days")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        msg = f"This statistic needs a whole number of working days as limit_days, got {limit!r}"
        raise ValueError(msg)
    return limit


def _counted(period: IntArray) -> IntArray:
    return np.flatnonzero(period >= 0)


def _within(moment: Callable[[CaseFacts], IntArray]) -> Observe:
    """Each case in the period its limit falls due; met when the act came by then."""

    def observe(
        facts: CaseFacts, periods: Periods, days: WorkingDays, params: Params
    ) -> Observations:
        due = days.add(facts.received, _limit_days(params))
        period = periods.index(due)
        case = _counted(period)
        return Observations(case, period[case], moment(facts)[case] <= due[case], _NONE)

    return observe


def _by_deadline(
    facts: CaseFacts, periods: Periods, days: WorkingDays, params: Params
) -> Observations:
    period = periods.index(facts.answer_by)
    case = _counted(period)
    return Observations(case, period[case], facts.in_time[case], _NONE)


def _to_answer(
    facts: CaseFacts, periods: Periods, days: WorkingDays, params: Params
) -> Observations:
    period = periods.index(facts.answered)
    case = _counted(period)
    case = case[facts.received[case] <= periods.end[period[case]]]
    working = days.between(facts.received[case], facts.answered[case])
    return Observations(case, period[case], np.ones(case.size, bool), np.maximum(working, 0))


def _open_at_end(
    facts: CaseFacts, periods: Periods, days: WorkingDays, params: Params
) -> Observations:
    parts = []
    for position, end in enumerate(periods.end.tolist()):
        case = np.flatnonzero(facts.open_at_end_of(end))
        age = days.between(facts.received[case], np.full(case.size, end, dtype=np.int64))
        late = facts.answer_by[case] < end
        parts.append((case, np.full(case.size, position), late, np.maximum(age, 0)))
    return Observations(*(np.concatenate(column) for column in zip(*parts, strict=True)))


def _received(
    facts: CaseFacts, periods: Periods, days: WorkingDays, params: Params
) -> Observations:
    period = periods.index(facts.received)
    case = _counted(period)
    return Observations(case, period[case], facts.kind[case] == _PRAISE, _NONE)


# --- The statistics ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseStatistic:
    code: str
    observe: Observe
    # The working days' percentile; None: a share of the cases counted that met it.
    percentile: int | None = None
    # The number that met it, a figure even when it is small (no fewest cases).
    is_count: bool = False
    # Counts cases in the period their limit (params["limit_days"]) falls due.
    has_limit: bool = False

    def measure(
        self,
        rows: Sequence[CaseRow],
        period: Period,
        calendar: WorkingCalendar,
        params: Params,
        min_cases: int,
    ) -> Result:
        """This statistic in `period` over rows from `load_rows` (all, or some of them)."""
        facts = _facts_of_rows(rows, period)
        results = measure_periods(
            self.code, facts, [period], [""], params=params, min_cases=min_cases, calendar=calendar
        )
        return results[0][0]


STATISTICS: dict[str, CaseStatistic] = {
    statistic.code: statistic
    for statistic in [
        CaseStatistic(
            Statistic.SHARE_ACKNOWLEDGED_WITHIN,
            _within(lambda facts: facts.acknowledged),
            has_limit=True,
        ),
        CaseStatistic(
            Statistic.SHARE_ANSWERED_WITHIN, _within(lambda facts: facts.answered), has_limit=True
        ),
        CaseStatistic(Statistic.SHARE_ANSWERED_BY_DEADLINE, _by_deadline),
        CaseStatistic(Statistic.MEDIAN_DAYS_TO_ANSWER, _to_answer, percentile=50),
        CaseStatistic(Statistic.P90_DAYS_TO_ANSWER, _to_answer, percentile=90),
        CaseStatistic(Statistic.OPEN_AGE_MEDIAN, _open_at_end, percentile=50),
        CaseStatistic(Statistic.OPEN_AGE_P90, _open_at_end, percentile=90),
        CaseStatistic(Statistic.OPEN_OLDER_THAN_DEADLINE, _open_at_end, is_count=True),
        CaseStatistic(Statistic.SHARE_PRAISE, _received),
    ]
}
SHARES_OF_CASES_DUE = {
    Statistic.SHARE_ACKNOWLEDGED_WITHIN,
    Statistic.SHARE_ANSWERED_WITHIN,
    Statistic.SHARE_ANSWERED_BY_DEADLINE,
}


def received_from(code: str, first: date, params: Params) -> date:
    """The earliest day a case can have been received and still count in a period from
    `first` on: for the "within" statistics, cases received up to this long before it
    can fall due inside it."""
    if STATISTICS[code].has_limit:
        return first - timedelta(days=_limit_days(params) * 2 + 30)
    return first


# --- Adding up per unit and period -----------------------------------------------------


def _membership(facts: CaseFacts, unit_paths: Sequence[str]) -> BoolArray:
    """[own unit, measured unit]: whether a case of the one counts for the other (it is
    the same unit or below it)."""
    return np.array(
        [[own.startswith(path) for path in unit_paths] for own in facts.unit_paths], dtype=bool
    ).reshape(len(facts.unit_paths), len(unit_paths))


def _tallies(
    seen: Observations, facts: CaseFacts, member: BoolArray, periods: int
) -> tuple[IntArray, IntArray]:
    """Per measured unit and period: how many cases counted, and how many met it."""
    cell = facts.unit[seen.case] * periods + seen.period
    size = len(facts.unit_paths) * periods
    counted = np.bincount(cell, minlength=size).reshape(-1, periods)
    met = np.bincount(cell[seen.hit], minlength=size).reshape(-1, periods)
    weights = member.T.astype(np.int64)
    return weights @ counted, weights @ met


def _working_days(
    seen: Observations, facts: CaseFacts, member: BoolArray, periods: int
) -> Iterator[list[IntArray]]:
    """Per measured unit: the working days counted in each period."""
    order = np.lexsort((seen.days, seen.period))
    own, period, days = facts.unit[seen.case][order], seen.period[order], seen.days[order]
    for column in member.T:
        mine = column[own]
        values = days[mine]
        bounds = np.searchsorted(period[mine], np.arange(periods + 1)).tolist()
        yield [values[bounds[i] : bounds[i + 1]] for i in range(periods)]


def _percentile(values: IntArray, percent: int, min_cases: int) -> Result:
    if not values.size or values.size < min_cases:
        return Result(value=None, n=int(values.size))
    value = float(np.percentile(values.astype(float), percent, method="linear"))
    return Result(value=_decimal(value), n=int(values.size))


def _observe(
    code: str,
    facts: CaseFacts,
    periods: Sequence[Period],
    params: Params,
    calendar: WorkingCalendar,
) -> Observations:
    spans = Periods.of(periods)
    first = int(min(spans.start.min(), facts.received.min(initial=NEVER)))
    return STATISTICS[code].observe(
        facts, spans, WorkingDays(calendar, first, int(spans.end.max())), params
    )


def measure_periods(
    code: str,
    facts: CaseFacts,
    periods: Sequence[Period],
    unit_paths: Sequence[str],
    *,
    params: Params,
    min_cases: int,
    calendar: WorkingCalendar,
) -> list[list[Result]]:
    """Statistic `code` for each unit (by path, within the facts' subtree) in each of
    `periods` (in order, of one kind): results[unit][period]."""
    statistic = STATISTICS[code]
    seen = _observe(code, facts, periods, params, calendar)
    member = _membership(facts, unit_paths)
    if statistic.percentile is not None:
        return [
            [_percentile(values, statistic.percentile, min_cases) for values in per_period]
            for per_period in _working_days(seen, facts, member, len(periods))
        ]
    counted, met = _tallies(seen, facts, member, len(periods))
    if statistic.is_count:
        return [
            [Result(value=Decimal(m), n=c) for c, m in zip(cs, ms, strict=True)]
            for cs, ms in zip(counted.tolist(), met.tolist(), strict=True)
        ]
    return [
        [Tally(within=m, cases=c).result(min_cases) for c, m in zip(cs, ms, strict=True)]
        for cs, ms in zip(counted.tolist(), met.tolist(), strict=True)
    ]


# --- One unit, one period ---------------------------------------------------------------


def _facts_for(code: str, unit_path: str, period: Period, params: Params) -> CaseFacts:
    start = received_from(code, period.start, params)
    return load_facts(unit_path, period.start, period.end, received_from=start)


def measure(
    code: str,
    unit: Unit,
    period: Period,
    *,
    params: Params | None = None,
    min_cases: int = 1,
    calendar: WorkingCalendar | None = None,
) -> Result:
    """Statistic `code` for the cases of `unit` and the units below it in `period`."""
    params = params or {}
    facts = _facts_for(code, unit.path, period, params)
    results = measure_periods(
        code,
        facts,
        [period],
        [unit.path],
        params=params,
        min_cases=min_cases,
        calendar=calendar or working_calendar(),
    )
    return results[0][0]


def tally(
    code: str,
    unit: Unit,
    period: Period,
    *,
    limit_days: int | None = None,
    calendar: WorkingCalendar | None = None,
) -> Tally:
    """How many cases a share statistic counted and how many of them met it (the
    declarations' follow-up judges promises on these counts)."""
    if code not in SHARES_OF_CASES_DUE:
        msg = f"{code} is not counted as a share of cases due"
        raise ValueError(msg)
    params = {"limit_days": limit_days} if limit_days is not None else {}
    facts = _facts_for(code, unit.path, period, params)
    seen = _observe(code, facts, [period], params, calendar or working_calendar())
    counted, met = _tallies(seen, facts, _membership(facts, [unit.path]), 1)
    return Tally(within=int(met[0, 0]), cases=int(counted[0, 0]))


# --- Rows, for callers that count the same cases their own way -------------------------


@dataclass(frozen=True, slots=True)
class CaseRow:
    """The facts about one case that the statistics use, as local dates."""

    unit_path: str
    kind: str
    received_on: date
    acknowledged_on: date | None
    answered_on: date | None
    answer_by: date
    answered_in_time: bool  # True when the first close came by the deadline
    open_at_end: bool  # open at the end of the period the rows were loaded for


def _date(day: int) -> date | None:
    return None if day == NEVER else date.fromordinal(day)


def load_rows(
    unit_path: str,
    statistic: CaseStatistic,
    period: Period,
    params: Params,
    *,
    calendar: WorkingCalendar | None = None,
) -> list[CaseRow]:
    """The cases `statistic` counts in `period` in the unit's subtree, one row each, for
    callers that count them their own way (by kind, say); `CaseStatistic.measure` then
    measures such rows as `measure` does."""
    facts = _facts_for(statistic.code, unit_path, period, params)
    seen = _observe(statistic.code, facts, [period], params, calendar or working_calendar())
    open_at_end = facts.open_at_end_of(period.end.toordinal())
    return [
        CaseRow(
            unit_path=facts.unit_paths[facts.unit[case]],
            kind=KINDS[facts.kind[case]],
            received_on=date.fromordinal(int(facts.received[case])),
            acknowledged_on=_date(int(facts.acknowledged[case])),
            answered_on=_date(int(facts.answered[case])),
            answer_by=date.fromordinal(int(facts.answer_by[case])),
            answered_in_time=bool(facts.in_time[case]),
            open_at_end=bool(open_at_end[case]),
        )
        for case in np.unique(seen.case).tolist()
    ]


def _facts_of_rows(rows: Sequence[CaseRow], period: Period) -> CaseFacts:
    """Facts that say of each row what it says of itself; a row open at the period's
    end is open until NEVER, any other closed by then."""
    paths = sorted({row.unit_path for row in rows})
    position = {path: i for i, path in enumerate(paths)}
    end = period.end.toordinal()
    none = np.zeros(0, dtype=np.int64)
    return CaseFacts(
        unit_paths=paths,
        unit=np.array([position[row.unit_path] for row in rows], dtype=np.int64),
        kind=np.array([KINDS.index(row.kind) for row in rows], dtype=np.int64),
        received=_days([row.received_on for row in rows]),
        acknowledged=_days([row.acknowledged_on for row in rows]),
        answered=_days([row.answered_on for row in rows]),
        answer_by=_days([row.answer_by for row in rows]),
        in_time=np.array([row.answered_in_time is True for row in rows], dtype=bool),
        closed=np.array([NEVER if row.open_at_end else end for row in rows], dtype=np.int64),
        history=History(case=none, day=none, closed=np.zeros(0, dtype=bool)),
    )


# The statistics one by one, for a unit and a period.


def _public(code: str) -> Callable[..., Result]:
    def statistic(
        unit: Unit,
        period: Period,
        *,
        min_cases: int = 1,
        calendar: WorkingCalendar | None = None,
        **params: Any,
    ) -> Result:
        return measure(code, unit, period, params=params, min_cases=min_cases, calendar=calendar)

    statistic.__name__ = statistic.__qualname__ = str(code)
    statistic.__doc__ = (
        "The statistic of this name for `unit` in `period` (see the module's notes)."
    )
    return statistic


share_acknowledged_within = _public(Statistic.SHARE_ACKNOWLEDGED_WITHIN)
share_answered_within = _public(Statistic.SHARE_ANSWERED_WITHIN)
share_answered_by_deadline = _public(Statistic.SHARE_ANSWERED_BY_DEADLINE)
median_days_to_answer = _public(Statistic.MEDIAN_DAYS_TO_ANSWER)
p90_days_to_answer = _public(Statistic.P90_DAYS_TO_ANSWER)
open_age_median = _public(Statistic.OPEN_AGE_MEDIAN)
open_age_p90 = _public(Statistic.OPEN_AGE_P90)
open_older_than_deadline = _public(Statistic.OPEN_OLDER_THAN_DEADLINE)
share_praise = _public(Statistic.SHARE_PRAISE)
