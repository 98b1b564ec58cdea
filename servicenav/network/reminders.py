"""Reminders of the network's action items: the owner hears the day before an item is due
and once it is overdue — each stage once per item. A daily command
(`manage.py network_reminders`) calls `action_reminders_send`; each owner gets one e-mail
per run listing their items by stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from servicenav.core.emails import email_send
from servicenav.network.models import ActionItem, ActionReminder

if TYPE_CHECKING:
    from servicenav.organisation.models import User

STAGE_HEADINGS = {
    ActionReminder.Stage.OVERDUE: _("Overdue: the due date has passed"),
    ActionReminder.Stage.DUE: _("Due tomorrow"),
}


@dataclass(frozen=True)
class ReminderRun:
    reminders: int
    people: int


def reminder_stage(item: ActionItem, today: date) -> ActionReminder.Stage | None:
    if item.due_on < today:
        return ActionReminder.Stage.OVERDUE
    if item.due_on == today + timedelta(days=1):
        return ActionReminder.Stage.DUE
    return None


def reminders_due(*, today: date) -> list[tuple[ActionItem, ActionReminder.Stage]]:
    """Open items with an owner who can be told, at a stage not yet reminded of."""
    items = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )
    sent = set(ActionReminder.objects.filter(item__in=items).values_list("item_id", "stage"))
    due = []
    for item in items:
        stage = reminder_stage(item, today)
        if stage is not None and (item.pk, stage) not in sent:
            due.append((item, stage))
    return due


def _link(item: ActionItem) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("network:meeting", args=[item.meeting_id])
    return f"{settings.SERVICENAV_SITE_URL}{path}"


def _context(user: User, items: list[tuple[ActionItem, ActionReminder.Stage]]) -> dict[str, Any]:
    groups = []
    for stage, heading in STAGE_HEADINGS.items():
        rows = [
            {"text": item.text, "due_on": item.due_on, "link": _link(item)}
            for item, item_stage in items
            if item_stage == stage
        ]
        if rows:
            groups.append({"heading": heading, "items": rows})
    recipient = user.get_full_name() or user.get_username()
    return {"recipient": recipient, "groups": groups, "count": len(items)}


@transaction.atomic
def action_reminders_send(*, today: date | None = None) -> ReminderRun:
    """Queue today's reminders and mark each item's stage as sent in the same
    transaction, so a failed run sends nothing and the next run tries again."""
    today = today or timezone.localdate()
    due = reminders_due(today=today)
    by_owner: dict[int, list[tuple[ActionItem, ActionReminder.Stage]]] = {}
    for item, stage in due:
        by_owner.setdefault(item.owner_id, []).append((item, stage))
    for items in by_owner.values():
        owner = items[0][0].owner
        email_send(
            to=owner.email,
            template="network_action_reminder",
            context=_context(owner, items),
            language=settings.LANGUAGE_CODE,
        )
    ActionReminder.objects.bulk_create(
        ActionReminder(item=item, stage=stage) for item, stage in due
    )
    return ReminderRun(reminders=len(due), people=len(by_owner))
