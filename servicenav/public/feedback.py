"""The stored feedback counts (`FeedbackMonth`): computing them, and refreshing them after
the cases of some units changed.

The counting itself is `public.counting`, on the KPIs' own definitions. Here: which units
and months to count, and writing the rows, month by month, each month in one transaction
(its old rows deleted, the new ones inserted) so that a reader never sees half a month.
Only ended months are counted: a month still running would change under the reader.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from servicenav.cases.deadlines import local_date
from servicenav.core.periods import Period, PeriodKind
from servicenav.core.selectors import working_calendar
from servicenav.kpis.case_statistics import unit_cases
from servicenav.organisation.models import Unit
from servicenav.public.counting import Cells, Tallies, count_months
from servicenav.public.models import FeedbackMonth


@dataclass(frozen=True)
class Plan:
    """What one computation covers: a root unit's subtree over a run of ended months."""

    root: Unit
    months: tuple[Period, ...]


@dataclass(frozen=True)
class Summary:
    units: int
    months: int
    rows: int


def by_month(cells: Cells) -> dict[date, dict[tuple[str, str], Tallies]]:
    """The tallies of each month (its first day), by unit path and kind."""
    months: dict[date, dict[tuple[str, str], Tallies]] = defaultdict(dict)
    for (path, kind, first_day), tallies in cells.items():
        months[first_day][path, kind] = tallies
    return months


@transaction.atomic
def store_month(
    unit_ids: dict[str, int], month: Period, cells: Mapping[tuple[str, str], Tallies]
) -> int:
    """Replace the rows of the units `unit_ids` (by path) for `month` with `cells`."""
    FeedbackMonth.objects.filter(unit_id__in=unit_ids.values(), month=month.start).delete()
    now = timezone.now()
    rows = [
        FeedbackMonth(
            unit_id=unit_ids[path],
            kind=kind,
            month=month.start,
            received=cell.received,
            answered=cell.answered,
            days_to_answer={str(days): n for days, n in sorted(cell.days.items())},
            due=cell.due,
            due_in_time=cell.due_in_time,
            computed_at=now,
        )
        for (path, kind), cell in sorted(cells.items())
        if path in unit_ids
    ]
    FeedbackMonth.objects.bulk_create(rows)
    return len(rows)


def last_ended_month(today: date) -> Period:
    return Period.containing(today, PeriodKind.MONTH).previous()


def _first_month(root: Unit, since: date | None) -> Period | None:
    if since is not None:
        return Period.containing(since, PeriodKind.MONTH)
    earliest = unit_cases(root.path).aggregate(first=Min("received_at"))["first"]
    return Period.containing(local_date(earliest), PeriodKind.MONTH) if earliest else None


def plan(*, unit: Unit | None = None, since: date | None = None, today: date) -> list[Plan]:
    """The subtrees and months to count: `unit`'s subtree (every top unit's when None),
    from the month of `since` (the month of the earliest case when None) to the last
    month ended before `today`."""
    roots = [unit] if unit is not None else list(Unit.objects.filter(parent__isnull=True))
    last = last_ended_month(today)
    plans = []
    for root in roots:
        first = _first_month(root, since)
        months: list[Period] = []
        while first is not None and first <= last:
            months.append(first)
            first = first.next()
        plans.append(Plan(root=root, months=tuple(months)))
    return plans


def subtree_ids(root: Unit) -> dict[str, int]:
    """Every unit in `root`'s subtree, active or not, by path: cases of a unit closed down
    since still count in the figures of the units above it."""
    return dict(Unit.objects.filter(path__startswith=root.path).values_list("path", "id"))


def _forget_outside(unit_ids: dict[str, int], months: Sequence[Period]) -> None:
    """A full count also drops rows of months it no longer covers (say, every case of
    a month was merged away)."""
    rows = FeedbackMonth.objects.filter(unit_id__in=unit_ids.values())
    if months:
        rows = rows.exclude(month__gte=months[0].start, month__lte=months[-1].start)
    rows.delete()


def feedback_statistics_compute(
    *,
    unit: Unit | None = None,
    since: date | None = None,
    today: date | None = None,
    below: bool = True,
    each_month: Callable[[Sequence[Period]], Iterable[Period]] = iter,
) -> Summary:
    """Count the feedback of `unit` and every unit below it (of every unit when None;
    only `unit`'s own cases when `below` is False) from the month of `since` (from the
    first case when None) up to the last ended month, and store it. `each_month` may wrap
    the months (a command's progress bar)."""
    today = today or timezone.localdate()
    calendar = working_calendar()
    units = months = rows = 0
    for part in plan(unit=unit, since=since, today=today):
        unit_ids = subtree_ids(part.root) if below else {part.root.path: part.root.pk}
        if since is None:
            _forget_outside(unit_ids, part.months)
        if not part.months:
            continue
        cells = by_month(count_months(part.root.path, list(part.months), calendar))
        for month in each_month(part.months):
            rows += store_month(unit_ids, month, cells.get(month.start, {}))
        units += len(unit_ids)
        months += len(part.months)
    return Summary(units=units, months=months, rows=rows)


def feedback_statistics_refresh(changed: Mapping[int, date], *, today: date | None = None) -> int:
    """After the cases of some units changed (unit id → the earliest day received of a
    changed case, as `kpis.stale` records it), count those units' own cases again from
    that day's month. The units above them need nothing: their figures are sums made when
    read. Returns the rows written."""
    written = 0
    for unit in Unit.objects.filter(pk__in=list(changed)):
        summary = feedback_statistics_compute(
            unit=unit, since=changed[unit.pk], today=today, below=False
        )
        written += summary.rows
    return written
