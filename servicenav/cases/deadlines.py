"""The two clocks of a case, counted in working days.

Acknowledge-by runs from the day the feedback was received. Answer-by runs from the day
the clock started (received, or reopened) and is pushed on by every working day the case
spends waiting for the citizen or another party.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from servicenav.cases.models import Case, DeadlineRule
from servicenav.core.calendar import WorkingCalendar
from servicenav.organisation.models import Unit


@dataclass(frozen=True)
class Deadlines:
    acknowledge_days: int
    answer_days: int


def local_date(moment: datetime) -> date:
    """The date in the municipality's own time zone, whoever is looking."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def deadlines_for(unit: Unit | None, kind: str) -> Deadlines:
    """The most specific rule: this kind in the nearest unit up the tree, then any kind."""
    default = Deadlines(settings.SERVICENAV_ACKNOWLEDGE_DAYS, settings.SERVICENAV_ANSWER_DAYS)
    if unit is None:
        return default
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/")]
    rules = DeadlineRule.objects.filter(unit_id__in=ancestor_ids, kind__in=[kind, ""])
    depth = {unit_id: position for position, unit_id in enumerate(ancestor_ids)}
    best = max(rules, key=lambda rule: (depth[rule.unit_id], rule.kind == kind), default=None)
    return default if best is None else Deadlines(best.acknowledge_days, best.answer_days)


def start_clocks(case: Case, calendar: WorkingCalendar) -> None:
    """Set both deadlines of a new case from its received time."""
    rule = deadlines_for(case.unit, case.kind)
    received = local_date(case.received_at)
    case.clock_started_on = received
    case.answer_days = rule.answer_days
    case.paused_days = 0
    case.acknowledge_by = calendar.add_working_days(received, rule.acknowledge_days)
    case.answer_by = calendar.add_working_days(received, rule.answer_days)


def pause(case: Case, now: datetime) -> None:
    case.waiting_since = now


def resume(case: Case, now: datetime, calendar: WorkingCalendar) -> None:
    """End a pause: the answer deadline moves on by the working days spent waiting."""
    if case.waiting_since is None:
        return
    waited = calendar.working_days_between(local_date(case.waiting_since), local_date(now))
    case.paused_days += max(waited, 0)
    case.waiting_since = None
    case.answer_by = calendar.add_working_days(
        case.clock_started_on, case.answer_days + case.paused_days
    )


def restart_answer_clock(case: Case, now: datetime, calendar: WorkingCalendar) -> None:
    """A reopened case gets a whole new answer period from today."""
    case.clock_started_on = local_date(now)
    case.paused_days = 0
    case.waiting_since = None
    case.answer_by = calendar.add_working_days(case.clock_started_on, case.answer_days)


def in_time(moment: datetime, deadline: date) -> bool:
    return local_date(moment) <= deadline
