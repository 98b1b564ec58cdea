"""Meetings keep their agenda, minutes and decisions in order; action items belong to a
member of the network and move between open and done."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from servicenav.network.models import ActionItem
from servicenav.network.services import (
    action_item_add,
    action_item_set_status,
    decision_add,
    meeting_create,
    meeting_update,
)
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def test_a_meeting_records_minutes_and_decisions_in_order(people):
    meeting = meeting_create(held_on=date(2026, 3, 4), agenda="1. Rapporten", by=people.chair)
    meeting_update(meeting=meeting, minutes="Vi gick igenom rapporten.", by=people.chair)
    decision_add(meeting=meeting, text="Rapporten skickas.", by=people.chair)
    decision_add(meeting=meeting, text="Nästa möte i maj.", by=people.member)
    meeting.refresh_from_db()
    assert meeting.minutes == "Vi gick igenom rapporten."
    assert [(d.order, d.text) for d in meeting.decisions.all()] == [
        (1, "Rapporten skickas."),
        (2, "Nästa möte i maj."),
    ]


def test_an_empty_decision_is_refused(people):
    meeting = meeting_create(held_on=date(2026, 3, 4), agenda="", by=people.chair)
    with pytest.raises(ValidationError):
        decision_add(meeting=meeting, text="  ", by=people.chair)
    assert not meeting.decisions.exists()


def test_an_action_item_is_owned_by_a_member_and_can_be_done_and_reopened(people):
    meeting = meeting_create(held_on=date(2026, 3, 4), agenda="", by=people.chair)
    item = action_item_add(
        meeting=meeting,
        text="Skriv utkast",
        owner=people.member,
        due_on=date(2026, 3, 20),
        by=people.chair,
    )
    assert item.status == ActionItem.Status.OPEN
    action_item_set_status(item=item, status="done", by=people.member, today=date(2026, 3, 18))
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("done", date(2026, 3, 18))
    action_item_set_status(item=item, status="open", by=people.member)
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("open", None)


def test_an_action_item_for_someone_outside_the_network_is_refused(people):
    meeting = meeting_create(held_on=date(2026, 3, 4), agenda="", by=people.chair)
    with pytest.raises(ValidationError):
        action_item_add(
            meeting=meeting, text="Gör", owner=make_user(), due_on=date(2026, 3, 20), by=None
        )
    assert not ActionItem.objects.exists()
