"""Deadline reminders: staff hear about open cases when half the answer time is used, when
the answer is due and when it is overdue — each stage once per answer clock.

A daily command (`manage.py case_reminders`) calls `reminders_send`. Each person gets one
e-mail per run listing all their cases by stage. The e-mail names cases by reference,
kind, unit and date only: never the citizen's name, contact details or text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from servicenav.cases.models import Case, Kind, Reminder, Status
from servicenav.core.emails import email_send
from servicenav.core.progress import Writable, progress
from servicenav.core.selectors import working_calendar
from servicenav.organisation.models import Role, RoleAssignment

if TYPE_CHECKING:
    from collections.abc import Iterable

    from servicenav.core.calendar import WorkingCalendar
    from servicenav.organisation.models import User

# The headings of an e-mail, in the order listed: the most urgent first.
STAGE_HEADINGS = {
    Reminder.Stage.OVERDUE: _("Overdue: the answer-by date has passed"),
    Reminder.Stage.DUE: _("Due: answer today or on the next working day"),
    Reminder.Stage.HALF: _("Half of the answer time is used"),
}


@dataclass(frozen=True)
class CaseReminder:
    case: Case
    stage: Reminder.Stage


@dataclass(frozen=True)
class ReminderRun:
    """What one run did: reminders (a case at a stage) queued, and to how many people."""

    reminders: int
    people: int


def reminder_stage(case: Case, today: date, calendar: WorkingCalendar) -> Reminder.Stage | None:
    """The stage `case` has reached on its answer clock today, if any."""
    if today > case.answer_by:
        return Reminder.Stage.OVERDUE
    if case.answer_by <= calendar.add_working_days(today, 1):
        return Reminder.Stage.DUE  # due today or on the next working day
    period = case.answer_days + case.paused_days
    used = calendar.working_days_between(case.clock_started_on, today)
    if period and used * 2 >= period:
        return Reminder.Stage.HALF
    return None


def reminders_due(*, today: date, calendar: WorkingCalendar) -> list[CaseReminder]:
    """Open cases with a unit that reached a stage not yet reminded of. A case waiting for
    the citizen or another party has its clock stopped, so it is left alone meanwhile."""
    cases = (
        Case.objects.open()
        .exclude(status=Status.WAITING)
        .filter(unit__isnull=False)
        .select_related("unit", "assigned_to")
        .order_by("answer_by", "reference")
    )
    sent = set(Reminder.objects.filter(case__in=cases).values_list("case_id", "stage"))
    due = []
    for case in cases:
        stage = reminder_stage(case, today, calendar)
        if stage is not None and (case.pk, stage) not in sent:
            due.append(CaseReminder(case, stage))
    return due


def _unit_ids(case: Case) -> list[int]:
    """The case's unit and every unit above it (the ids in its path)."""
    path = case.unit.path if case.unit else ""
    return [int(part) for part in path.strip("/").split("/") if part]


def reminder_recipients(reminders: Iterable[CaseReminder]) -> dict[User, list[CaseReminder]]:
    """Who hears about which cases: the assigned handler (or, with none, every case handler
    of the unit) and the unit managers of the unit and every unit above it."""
    reminders = list(reminders)
    unit_ids = {unit_id for reminder in reminders for unit_id in _unit_ids(reminder.case)}
    handlers: dict[int, list[User]] = {}
    managers: dict[int, list[User]] = {}
    assignments = (
        RoleAssignment.objects.filter(
            unit_id__in=unit_ids,
            role__in=[Role.CASE_HANDLER, Role.UNIT_MANAGER],
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
    )
    for assignment in assignments:
        by_unit = handlers if assignment.role == Role.CASE_HANDLER else managers
        by_unit.setdefault(assignment.unit_id, []).append(assignment.user)
    people: dict[int, User] = {}
    lists: dict[int, list[CaseReminder]] = {}
    for reminder in reminders:
        case = reminder.case
        assigned = case.assigned_to
        if assigned and assigned.is_active and assigned.email:
            first = [assigned]
        else:
            first = handlers.get(case.unit_id or 0, [])
        above = [user for unit_id in _unit_ids(case) for user in managers.get(unit_id, [])]
        for user in {user.pk: user for user in [*first, *above]}.values():
            people.setdefault(user.pk, user)
            lists.setdefault(user.pk, []).append(reminder)
    return {people[pk]: lists[pk] for pk in sorted(people)}


def _case_link(case: Case) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("cases:case", args=[case.pk])
    return f"{settings.SERVICENAV_SITE_URL}{path}"


def _email_context(user: User, reminders: list[CaseReminder]) -> dict[str, Any]:
    """Only what a reminder needs; nothing the citizen wrote or told about themselves."""
    groups = []
    for stage, heading in STAGE_HEADINGS.items():
        rows = [
            {
                "reference": reminder.case.reference,
                "kind": Kind(reminder.case.kind).label,
                "unit": reminder.case.unit,
                "answer_by": reminder.case.answer_by,
                "link": _case_link(reminder.case),
            }
            for reminder in reminders
            if reminder.stage == stage
        ]
        if rows:
            groups.append({"stage": stage, "heading": heading, "cases": rows})
    recipient = user.get_full_name() or user.get_username()
    return {"recipient": recipient, "groups": groups, "count": len(reminders)}


@transaction.atomic
def reminders_send(*, today: date | None = None, stream: Writable | None = None) -> ReminderRun:
    """Queue today's reminders: one e-mail per person, each case stage marked as sent in the
    same transaction, so a failed run sends nothing and the next run tries again. A case
    nobody can be told about is not marked, so it is reminded of once someone can be."""
    today = today or timezone.localdate()
    due = reminders_due(today=today, calendar=working_calendar())
    recipients = reminder_recipients(due)
    people = list(recipients.items())
    steps = people if stream is None else progress(people, label="Reminders", stream=stream)
    for user, reminders in steps:
        email_send(
            to=user.email,
            template="case_reminder",
            context=_email_context(user, reminders),
            language=settings.LANGUAGE_CODE,
        )
    told = {reminder for reminders in recipients.values() for reminder in reminders}
    Reminder.objects.bulk_create(
        Reminder(case=reminder.case, stage=reminder.stage) for reminder in due if reminder in told
    )
    return ReminderRun(reminders=len(told), people=len(people))
