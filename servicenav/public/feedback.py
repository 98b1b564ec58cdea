"""The stored feedback counts (`FeedbackMonth`): computing them, and refreshing them after
the cases of some units changed.

The counting itself is `public.counting`, on the KPIs' own definitions, over the cases
loaded once for every unit and month of a run. Here: which units and months to count,
and writing the rows: every row of a run in one transaction (the units' old rows of
those months deleted, the new ones inserted in bulk), so that a reader sees either the
old figures or the new ones, never a mixture. Only ended months are counted: a month
still running would change under the reader.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from servicenav.cases.deadlines import local_date
from servicenav.cases.models import Case
from servicenav.core.calendar import WorkingCalendar
from servicenav.core.periods import Period, PeriodKind
from servicenav.core.selectors import working_calendar
from servicenav.organisation.models import Unit
from servicenav.public.counting import Counts, count_months
from servicenav.public.models import FeedbackMonth

EachMonth = Callable[[Sequence[Period]], Iterable[Period]]
# Rows per INSERT: well inside every database's limit on parameters.
BATCH = 2000


@dataclass(frozen=True)
class Summary:
    units: int
    months: int
    rows: int


def last_ended_month(today: date) -> Period:
    return Period.containing(today, PeriodKind.MONTH).previous()


def months_between(first: Period, last: Period) -> list[Period]:
    """The months from `first` to `last`, both included; none when `first` is later."""
    months: list[Period] = []
    while first <= last:
        months.append(first)
        first = first.next()
    return months


def subtree(root: Unit) -> dict[int, str]:
    """Every unit in `root`'s subtree, active or not, id → path: cases of a unit closed
    down since still count in the figures of the units above it."""
    return dict(Unit.objects.filter(path__startswith=root.path).values_list("pk", "path"))


def first_case_month(units: Mapping[int, str]) -> Period | None:
    """The month the first of the units' own cases was received; None without cases.
    The units are named by id: a join on the path prefix makes PostgreSQL read every
    case (seconds at a million) where the index on the day received finds the first."""
    earliest = Case.objects.filter(unit_id__in=list(units), merged_into__isnull=True).aggregate(
        first=Min("received_at")
    )["first"]
    return Period.containing(local_date(earliest), PeriodKind.MONTH) if earliest else None


@dataclass(frozen=True)
class Recount:
    """What one run counts and replaces: the own cases of `units` (id → path), for each
    from its month in `first` to `last`; with `everything`, all the units' old rows go,
    those of months no longer counted too (say, every case of a month was merged away)."""

    units: Mapping[int, str]
    first: Mapping[int, Period]
    last: Period
    everything: bool = False

    @property
    def months(self) -> list[Period]:
        return months_between(min(self.first.values()), self.last) if self.first else []

    def old_rows(self) -> Q:
        if self.everything:
            return Q(unit_id__in=list(self.units))
        by_month: dict[Period, list[int]] = defaultdict(list)
        for pk, month in self.first.items():
            by_month[month].append(pk)
        since = [Q(unit_id__in=pks, month__gte=month.start) for month, pks in by_month.items()]
        return reduce(or_, since) & Q(month__lte=self.last.start)

    def rows(self, counts: Counts, each_month: EachMonth, now: datetime) -> list[FeedbackMonth]:
        ids = {path: pk for pk, path in self.units.items()}
        number = {month: position for position, month in enumerate(counts.months)}
        rows: list[FeedbackMonth] = []
        for month in each_month(counts.months):
            rows.extend(
                FeedbackMonth(
                    unit_id=ids[cell.unit_path],
                    kind=cell.kind,
                    month=cell.month,
                    received=cell.received,
                    answered=cell.answered,
                    days_to_answer={str(days): n for days, n in cell.days.items()},
                    due=cell.due,
                    due_in_time=cell.due_in_time,
                    computed_at=now,
                )
                for cell in counts.cells(number[month])
                if month >= self.first[ids[cell.unit_path]]
            )
        return rows


def recount(plan: Recount, *, calendar: WorkingCalendar, each_month: EachMonth = iter) -> Summary:
    """Count what `plan` covers (one load of the cases for all its units and months) and
    replace the units' rows with the counts in one transaction."""
    months = plan.months
    if not months and not plan.everything:
        return Summary(units=0, months=0, rows=0)
    counts = count_months(plan.units, months, calendar) if months else None
    with transaction.atomic():
        FeedbackMonth.objects.filter(plan.old_rows()).delete()
        rows = plan.rows(counts, each_month, timezone.now()) if counts is not None else []
        FeedbackMonth.objects.bulk_create(rows, batch_size=BATCH)
    return Summary(units=len(plan.units) if months else 0, months=len(months), rows=len(rows))


def feedback_statistics_compute(
    *,
    unit: Unit | None = None,
    since: date | None = None,
    today: date | None = None,
    below: bool = True,
    each_month: EachMonth = iter,
) -> Summary:
    """Count the feedback of `unit` and every unit below it (of every unit when None;
    only `unit`'s own cases when `below` is False) from the month of `since` (from the
    first case when None) up to the last ended month, and store it. `each_month` may wrap
    the months (a command's progress bar)."""
    last = last_ended_month(today or timezone.localdate())
    calendar = working_calendar()
    roots = [unit] if unit is not None else list(Unit.objects.filter(parent__isnull=True))
    units = months = rows = 0
    for root in roots:
        counted = subtree(root) if below else {root.pk: root.path}
        first = (
            first_case_month(counted)
            if since is None
            else Period.containing(since, PeriodKind.MONTH)
        )
        plan = Recount(
            units=counted,
            first=dict.fromkeys(counted, first) if first else {},
            last=last,
            everything=since is None,
        )
        summary = recount(plan, calendar=calendar, each_month=each_month)
        units, months, rows = units + summary.units, months + summary.months, rows + summary.rows
    return Summary(units=units, months=months, rows=rows)


def feedback_statistics_refresh(changed: Mapping[int, date], *, today: date | None = None) -> int:
    """After the cases of some units changed (unit id → the earliest day received of a
    changed case, as `kpis.stale` records it), count those units' own cases again from
    that day's month: one load of the cases for all of them. The units above them need
    nothing: their figures are sums made when read. Returns the rows written."""
    last = last_ended_month(today or timezone.localdate())
    units = dict(Unit.objects.filter(pk__in=list(changed)).values_list("pk", "path"))
    first = {pk: Period.containing(changed[pk], PeriodKind.MONTH) for pk in units}
    # A unit changed only in the running month has nothing to count yet.
    due = {pk: month for pk, month in first.items() if month <= last}
    plan = Recount(units={pk: units[pk] for pk in due}, first=due, last=last)
    return recount(plan, calendar=working_calendar()).rows
