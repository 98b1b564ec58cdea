"""Keeping computed measurements up to date when their data changes.

Cases: every change to a case passes `cases.services._record`, which calls
`mark_case_stale`: the case's unit gets a `StaleUnit` row saying its case data changed from
the day the case was received on (moving a case marks both units). Only the change that
creates the row queues the background task, on commit; a burst of changes to one unit is
one row and one recomputation. The task (`recompute_stale_units`) takes every row, deletes
it, and recomputes the ended periods from the one containing `since` for each active
indicator computed from cases whose owner is the unit or above it — for the owner and the
units on the way down to the changed unit only; other units' figures cannot have changed.

Concurrency, so that no change is lost: a change that finds the row already there holds a
`FOR KEY SHARE` lock on it (PostgreSQL) until it commits. The task takes rows with
`SKIP LOCKED`, so it never recomputes before such a change is committed; a row it skipped
gets a follow-up run. A change arriving after the task took the rows finds none and makes
a new row and a new task. On SQLite the whole write transaction is the lock.

Surveys: a response stored for a closed round (a paper form that came late) changes that
round's figures, so the survey's indicators are recomputed in `recompute_survey_indicators`.
Answers to an open round change nothing measured yet: rounds are measured once closed, by
the nightly `compute_kpis`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Least
from django.utils import timezone

from servicenav.cases.deadlines import local_date
from servicenav.core.periods import PeriodKind
from servicenav.core.selectors import working_calendar
from servicenav.kpis.case_statistics import STATISTICS
from servicenav.kpis.compute import compute_periods, ended_periods, measured_units
from servicenav.kpis.models import Indicator, Source, StaleUnit
from servicenav.organisation.models import Unit
from servicenav.public.feedback import feedback_statistics_refresh

if TYPE_CHECKING:
    from servicenav.cases.models import Case
    from servicenav.core.calendar import WorkingCalendar
    from servicenav.surveys.models import Round

logger = logging.getLogger(__name__)

MONTHS_BACK = 24
"""The furthest back a change is recomputed, as the nightly `compute_kpis` window."""
FOLLOW_UP_AFTER = timedelta(seconds=5)
"""How long a follow-up run waits for the changes that held rows the task skipped."""

# Names are quoted by the database backend; values always go as parameters.
INSERT_UNLESS_THERE = (
    "INSERT INTO {table} ({unit}, {since}) VALUES (%s, %s) ON CONFLICT ({unit}) DO NOTHING"
)
SINCE_LOCKED_SHARED = "SELECT {since} FROM {table} WHERE {unit} = %s FOR KEY SHARE"


def _sql(template: str) -> str:
    quote = connection.ops.quote_name
    return template.format(
        table=quote(StaleUnit._meta.db_table),
        unit=quote(StaleUnit._meta.get_field("unit").column),
        since=quote(StaleUnit._meta.get_field("since").column),
    )


# --- Marking -------------------------------------------------------------------------------


def _insert(unit_id: int, day: date) -> bool:
    """Insert the unit's row unless it exists, in one statement; True when inserted.

    Raw SQL because the ORM cannot say whether `INSERT … ON CONFLICT DO NOTHING` inserted,
    and a get_or_create would cost a savepoint and two more queries on every case change."""
    if connection.vendor not in ("postgresql", "sqlite"):
        _row, created = StaleUnit.objects.get_or_create(unit_id=unit_id, defaults={"since": day})
        return created
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(INSERT_UNLESS_THERE), [unit_id, connection.ops.adapt_datefield_value(day)]
        )
        return cursor.rowcount == 1


def _hold(unit_id: int) -> date | None:
    """The row's `since`, locked against the task taking it until this transaction ends
    (shared: concurrent changes to the unit do not wait for each other). None when the
    row is gone (the task took it meanwhile)."""
    if connection.vendor != "postgresql":
        return StaleUnit.objects.filter(pk=unit_id).values_list("since", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(_sql(SINCE_LOCKED_SHARED), [unit_id])
        row = cursor.fetchone()
    return row[0] if row else None


def _enqueue_recompute() -> None:
    from servicenav.kpis.tasks import recompute_stale

    recompute_stale.enqueue()


def _enqueue_follow_up() -> None:
    """Another run a little later, when the changes now holding rows have committed."""
    from servicenav.kpis.tasks import recompute_stale

    recompute_stale.using(run_after=timezone.now() + FOLLOW_UP_AFTER).enqueue()


def mark_stale(unit_id: int, day: date, *, enqueue: bool = True) -> bool:
    """Say that the unit's case data changed from `day` on: the row keeps the earliest day.
    Only the call that creates the row queues the recomputation, when the transaction
    commits. True when it created the row. Cheap: one or two small statements."""
    for _attempt in range(3):
        if _insert(unit_id, day):
            if enqueue:
                transaction.on_commit(_enqueue_recompute, robust=True)
            return True
        since = _hold(unit_id)
        if since is not None:
            if day < since:
                StaleUnit.objects.filter(pk=unit_id).update(since=Least("since", Value(day)))
            return False
    # The task took the row between our two statements three times in a row.
    msg = f"Could not mark unit {unit_id} as changed"
    raise RuntimeError(msg)


def mark_case_stale(case: Case) -> None:
    """The case's unit (if it has one) changed from the day the case was received."""
    if case.unit_id is not None:
        mark_stale(case.unit_id, local_date(case.received_at))


def mark_survey_answered(round: Round, *, today: date) -> None:
    """A response was stored for `round` on `today`: once the round has closed (a late
    paper form), its survey's indicators are recomputed after the commit."""
    if round.closes_on >= today:
        return
    survey_id = round.survey_id

    def enqueue() -> None:
        from servicenav.kpis.tasks import recompute_survey_indicators

        recompute_survey_indicators.enqueue(survey_id)

    transaction.on_commit(enqueue, robust=True)


# --- Recomputing ---------------------------------------------------------------------------


def _take() -> dict[int, date]:
    """Take and delete the stale rows no unfinished change holds; when some were held,
    queue another run after this one, as the changes holding them queued none."""
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        seen = set(StaleUnit.objects.values_list("pk", flat=True))
        rows = dict(
            StaleUnit.objects.select_for_update(skip_locked=skip_locked).values_list("pk", "since")
        )
        StaleUnit.objects.filter(pk__in=list(rows)).delete()
        if seen - set(rows):
            transaction.on_commit(_enqueue_follow_up)
    return rows


@dataclass(frozen=True)
class _Work:
    """One indicator to recompute: for which units, from which day."""

    indicator: Indicator
    units: list[Unit]
    since: date


def _work(stale: dict[int, date]) -> list[_Work]:
    """The active indicators computed from cases that a change in a stale unit can move:
    those owned by the unit or a unit above it, each for the measured units on the path
    from its owner down to a changed unit."""
    paths = dict(Unit.objects.filter(pk__in=list(stale)).values_list("pk", "path"))
    indicators = Indicator.objects.filter(
        active=True, source=Source.CASES, statistic__in=list(STATISTICS)
    ).select_related("unit")
    work = []
    for indicator in indicators:
        changed = {
            path: stale[pk] for pk, path in paths.items() if path.startswith(indicator.unit.path)
        }
        if not changed:
            continue
        units = [
            unit
            for unit in measured_units(indicator)
            if any(path.startswith(unit.path) for path in changed)
        ]
        work.append(_Work(indicator, units, min(changed.values())))
    return work


def _recompute(item: _Work, today: date, months: int, calendar: WorkingCalendar) -> int:
    periods = [
        period
        for period in ended_periods(PeriodKind(item.indicator.period_kind), today, months)
        if period.end >= item.since
    ]
    # All periods at once: the cases are loaded once, not once per period.
    measured = compute_periods(
        item.indicator, periods, units=item.units, today=today, calendar=calendar
    )
    return len(measured)


def _put_back(stale: dict[int, date], failed: Sequence[_Work]) -> None:
    """The units under indicators that failed stay stale for the next run."""
    owners = [item.indicator.unit.path for item in failed]
    for pk, path in Unit.objects.filter(pk__in=list(stale)).values_list("pk", "path"):
        if any(path.startswith(owner) for owner in owners):
            mark_stale(pk, stale[pk], enqueue=False)


def recompute_stale_units(
    *, today: date | None = None, months: int = MONTHS_BACK
) -> tuple[int, int]:
    """Recompute what the stale units' changes can have moved, and forget the rows.
    Returns (indicators recomputed, measurements written). An indicator that fails is
    logged and its units stay stale; the others are recomputed all the same, and the
    first error is raised at the end so the task shows as failed."""
    today = today or timezone.localdate()
    stale = _take()
    if not stale:
        return 0, 0
    # The public feedback figures count the same cases, so one mark refreshes both.
    feedback_statistics_refresh(stale, today=today)
    calendar = working_calendar()
    done = written = 0
    failed: list[_Work] = []
    errors: list[Exception] = []
    for item in _work(stale):
        try:
            written += _recompute(item, today, months, calendar)
        except Exception as error:
            logger.exception("Recomputing indicator %s failed", item.indicator.pk)
            failed.append(item)
            errors.append(error)
            continue
        done += 1
    if failed:
        _put_back(stale, failed)
        raise errors[0]
    return done, written
