"""Statistics of a unit's cases in one period: the single place they are computed.

Each statistic counts the cases of a unit and every unit below it that were not merged
into another case. One query loads the few fields a statistic needs for the whole
subtree (`load_rows`); the arithmetic (`CaseStatistic.measure`) is pure, so the same rows
can be measured for the owner unit and each unit below it without asking again. Dates
are the municipality's own (Europe/Stockholm) and durations are Swedish working days
(`WorkingCalendar`).

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
  open again, and one reopened within it counts as open. The age is in working days from
  the day received to the period's last day. "Past the deadline" compares `answer_by` as it
  stands now with the period's last day: a pause or reopening after the period can move it
  later (this undercounts rather than invents a late case).
- **Shares** are in percent with Wilson's 95 % interval (`wilson_interval`); counts and
  durations have no interval. A value needs at least `min_cases` cases (n); fewer gives no
  value ("too few"), and no cases gives no value at all. A count of open cases past their
  deadline is a value even when it is zero or small: a small backlog is a real figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from servicenav.cases.deadlines import local_date
from servicenav.cases.models import Case, CaseEvent, Kind
from servicenav.core.calendar import WorkingCalendar
from servicenav.core.periods import Period
from servicenav.core.selectors import working_calendar
from servicenav.kpis.models import Statistic
from servicenav.organisation.models import Unit
from servicenav.surveys.statistics import wilson_interval

Params = Mapping[str, Any]
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


@dataclass(frozen=True, slots=True)
class CaseRow:
    """The facts about one case that the statistics use, as local dates."""

    unit_path: str
    kind: str
    received_on: date
    acknowledged_on: date | None
    answered_on: date | None
    answer_by: date
    answered_in_time: bool | None
    open_at_end: bool


# --- Measures: pure arithmetic over rows ------------------------------------------------


def _limit_days(params: Params) -> int:
    limit = params.get("limit_days")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        msg = f"This statistic needs a whole number of working days as limit_days, got {limit!r}"
        raise ValueError(msg)
    return limit


def _tally_within(
    rows: Iterable[CaseRow],
    period: Period,
    calendar: WorkingCalendar,
    limit_days: int,
    moment: Callable[[CaseRow], date | None],
) -> Tally:
    due_for: dict[date, date] = {}  # many cases share a day received
    within = cases = 0
    for row in rows:
        due = due_for.get(row.received_on)
        if due is None:
            due = due_for[row.received_on] = calendar.add_working_days(row.received_on, limit_days)
        if not period.start <= due <= period.end:
            continue
        cases += 1
        done = moment(row)
        within += done is not None and done <= due
    return Tally(within=within, cases=cases)


def _tally_by_deadline(rows: Iterable[CaseRow], period: Period) -> Tally:
    due = [row for row in rows if period.start <= row.answer_by <= period.end]
    return Tally(within=sum(row.answered_in_time is True for row in due), cases=len(due))


def _percentile(values: Sequence[int], percent: int, min_cases: int) -> Result:
    if not values or len(values) < min_cases:
        return Result(value=None, n=len(values))
    value = float(np.percentile(np.asarray(values, dtype=float), percent, method="linear"))
    return Result(value=_decimal(value), n=len(values))


def _days_to_answer(
    rows: Iterable[CaseRow], period: Period, calendar: WorkingCalendar
) -> list[int]:
    return [
        max(calendar.working_days_between(row.received_on, row.answered_on), 0)
        for row in rows
        if row.answered_on is not None and period.contains(row.answered_on)
    ]


def _open_ages(rows: Iterable[CaseRow], period: Period, calendar: WorkingCalendar) -> list[int]:
    return [
        max(calendar.working_days_between(row.received_on, period.end), 0)
        for row in rows
        if row.open_at_end
    ]


def _acknowledged(row: CaseRow) -> date | None:
    return row.acknowledged_on


def _answered(row: CaseRow) -> date | None:
    return row.answered_on


# --- Which cases each statistic needs ---------------------------------------------------


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the municipality's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def _received_in(first: date, last: date) -> Q:
    return Q(received_at__gte=start_of(first), received_at__lt=start_of(last + timedelta(days=1)))


def _within_window(period: Period, params: Params) -> Q:
    # Cases received up to this long before the period can fall due inside it.
    earliest = period.start - timedelta(days=_limit_days(params) * 2 + 30)
    return _received_in(earliest, period.end)


def _deadline_in(period: Period, params: Params) -> Q:
    return Q(answer_by__gte=period.start, answer_by__lte=period.end)


def _answered_in(period: Period, params: Params) -> Q:
    start, after = start_of(period.start), start_of(period.end + timedelta(days=1))
    return Q(received_at__lt=after) & (
        Q(first_reply_at__gte=start, first_reply_at__lt=after)
        | Q(first_closed_at__gte=start, first_closed_at__lt=after)
    )


def _open_at(period: Period, params: Params) -> Q:
    after = start_of(period.end + timedelta(days=1))
    return Q(received_at__lt=after) & (Q(closed_at__isnull=True) | Q(closed_at__gte=after))


def _received_during(period: Period, params: Params) -> Q:
    return _received_in(period.start, period.end)


# --- The statistics ---------------------------------------------------------------------

Measure = Callable[[Sequence[CaseRow], Period, WorkingCalendar, Params, int], Result]


@dataclass(frozen=True)
class CaseStatistic:
    code: str
    where: Callable[[Period, Params], Q]
    measure: Measure
    # Which extra facts from the case history the query must add.
    needs_answer: bool = False
    needs_state_at_end: bool = False


def _share_acknowledged(
    rows: Sequence[CaseRow], period: Period, calendar: WorkingCalendar, params: Params, least: int
) -> Result:
    return _tally_within(rows, period, calendar, _limit_days(params), _acknowledged).result(least)


def _share_answered(
    rows: Sequence[CaseRow], period: Period, calendar: WorkingCalendar, params: Params, least: int
) -> Result:
    return _tally_within(rows, period, calendar, _limit_days(params), _answered).result(least)


def _share_by_deadline(
    rows: Sequence[CaseRow], period: Period, calendar: WorkingCalendar, params: Params, least: int
) -> Result:
    return _tally_by_deadline(rows, period).result(least)


def _median_to_answer(
    rows: Sequence[CaseRow], period: Period, calendar: WorkingCalendar, params: Params, least: int
) -> Result:
    return _percentile(_days_to_answer(rows, period, calendar), 50, least)


def _p90_to_answer(
    rows: Sequence[CaseRow], period: Period, calendar: WorkingCalendar, params: Params, least: int
) -> Result:
    return _percentile(_days_to_answer(rows, period, calendar), 90, least)


def _open_age_median(
    rows: Sequence[CaseRow], period: Period, calendar: WorkingCalendar, params: Params, least: int
) -> Result:
    return _percentile(_open_ages(rows, period, calendar), 50, least)


def _open_age_p90(
    rows: Sequence[CaseRow], period: Period, calendar: WorkingCalendar, params: Params, least: int
) -> Result:
    return _percentile(_open_ages(rows, period, calendar), 90, least)


def _open_past_deadline(
    rows: Sequence[CaseRow], period: Period, calendar: WorkingCalendar, params: Params, least: int
) -> Result:
    still_open = [row for row in rows if row.open_at_end]
    late = sum(row.answer_by < period.end for row in still_open)
    return Result(value=Decimal(late), n=len(still_open))


def _share_praise(
    rows: Sequence[CaseRow], period: Period, calendar: WorkingCalendar, params: Params, least: int
) -> Result:
    received = [row for row in rows if period.contains(row.received_on)]
    praise = sum(row.kind == Kind.PRAISE for row in received)
    return Tally(within=praise, cases=len(received)).result(least)


STATISTICS: dict[str, CaseStatistic] = {
    statistic.code: statistic
    for statistic in [
        CaseStatistic(Statistic.SHARE_ACKNOWLEDGED_WITHIN, _within_window, _share_acknowledged),
        CaseStatistic(
            Statistic.SHARE_ANSWERED_WITHIN, _within_window, _share_answered, needs_answer=True
        ),
        CaseStatistic(Statistic.SHARE_ANSWERED_BY_DEADLINE, _deadline_in, _share_by_deadline),
        CaseStatistic(
            Statistic.MEDIAN_DAYS_TO_ANSWER, _answered_in, _median_to_answer, needs_answer=True
        ),
        CaseStatistic(
            Statistic.P90_DAYS_TO_ANSWER, _answered_in, _p90_to_answer, needs_answer=True
        ),
        CaseStatistic(
            Statistic.OPEN_AGE_MEDIAN, _open_at, _open_age_median, needs_state_at_end=True
        ),
        CaseStatistic(Statistic.OPEN_AGE_P90, _open_at, _open_age_p90, needs_state_at_end=True),
        CaseStatistic(
            Statistic.OPEN_OLDER_THAN_DEADLINE,
            _open_at,
            _open_past_deadline,
            needs_state_at_end=True,
        ),
        CaseStatistic(Statistic.SHARE_PRAISE, _received_during, _share_praise),
    ]
}


# --- Loading the rows -------------------------------------------------------------------


def _first_close() -> Coalesce:
    first = CaseEvent.objects.filter(case=OuterRef("pk"), type=CaseEvent.Type.CLOSED).order_by(
        "at", "id"
    )
    return Coalesce(Subquery(first.values("at")[:1]), F("closed_at"))


def _last_transition_before(moment: datetime) -> Subquery:
    last = CaseEvent.objects.filter(
        case=OuterRef("pk"),
        type__in=[CaseEvent.Type.CLOSED, CaseEvent.Type.REOPENED],
        at__lt=moment,
    ).order_by("-at", "-id")
    return Subquery(last.values("type")[:1])


def unit_cases(unit_path: str) -> QuerySet[Case]:
    """The cases of the unit with this path and every unit below it, merged ones left out."""
    return Case.objects.filter(unit__path__startswith=unit_path, merged_into__isnull=True)


def load_rows(
    unit_path: str, statistic: CaseStatistic, period: Period, params: Params
) -> list[CaseRow]:
    """In one query, the rows `statistic` needs for `period` in the unit's subtree."""
    cases = unit_cases(unit_path)
    if statistic.needs_answer:
        cases = cases.annotate(first_closed_at=_first_close())
    if statistic.needs_state_at_end:
        after = start_of(period.end + timedelta(days=1))
        cases = cases.annotate(last_transition=_last_transition_before(after))
    fields = [
        "unit__path",
        "kind",
        "received_at",
        "acknowledged_at",
        "first_reply_at",
        "answer_by",
        "answered_in_time",
        "first_closed_at" if statistic.needs_answer else "closed_at",
        "last_transition" if statistic.needs_state_at_end else "status",
    ]
    rows = []
    for path, kind, received, acknowledged, reply, answer_by, in_time, closed, state in (
        cases.filter(statistic.where(period, params)).values_list(*fields).iterator(2000)
    ):
        answered = min((moment for moment in (reply, closed) if moment), default=None)
        rows.append(
            CaseRow(
                unit_path=path,
                kind=kind,
                received_on=local_date(received),
                acknowledged_on=local_date(acknowledged) if acknowledged else None,
                answered_on=local_date(answered) if answered else None,
                answer_by=answer_by,
                answered_in_time=in_time,
                open_at_end=statistic.needs_state_at_end and state != CaseEvent.Type.CLOSED,
            )
        )
    return rows


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
    statistic = STATISTICS[code]
    params = params or {}
    rows = load_rows(unit.path, statistic, period, params)
    return statistic.measure(rows, period, calendar or working_calendar(), params, min_cases)


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
    statistic = STATISTICS[code]
    params = {"limit_days": limit_days} if limit_days is not None else {}
    rows = load_rows(unit.path, statistic, period, params)
    if code == Statistic.SHARE_ANSWERED_BY_DEADLINE:
        return _tally_by_deadline(rows, period)
    moments: dict[str, Callable[[CaseRow], date | None]] = {
        Statistic.SHARE_ACKNOWLEDGED_WITHIN: _acknowledged,
        Statistic.SHARE_ANSWERED_WITHIN: _answered,
    }
    if code not in moments:
        msg = f"{code} is not counted as a share of cases due"
        raise ValueError(msg)
    calendar = calendar or working_calendar()
    return _tally_within(rows, period, calendar, _limit_days(params), moments[code])


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
