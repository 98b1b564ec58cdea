"""The daily command e-mails the owner of an action item the day before it is due and once
it is overdue — each stage once, through the real SMTP test server. Done items and items
not yet near their date are left alone."""

from __future__ import annotations

import email
from datetime import date
from email import policy
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from servicenav.network.models import ActionReminder
from servicenav.network.reminders import action_reminders_send
from servicenav.network.services import action_item_add, action_item_set_status, meeting_create

TODAY = date(2026, 4, 14)


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def bodies(smtp) -> list[tuple[list[str], str]]:
    found = []
    for message in smtp.messages:
        parsed = email.message_from_bytes(message["data"].encode(), policy=policy.default)
        text = "\n".join(
            part.get_content() for part in parsed.walk() if part.get_content_maintype() == "text"
        )
        found.append((message["to"], text))
    return found


@pytest.fixture
def items(people):
    meeting = meeting_create(held_on=date(2026, 3, 1), agenda="", by=people.chair)

    def add(text, owner, due):
        return action_item_add(meeting=meeting, text=text, owner=owner, due_on=due, by=None)

    return {
        "tomorrow": add("Boka lokal", people.member, date(2026, 4, 15)),
        "late": add("Skicka rapporten", people.member, date(2026, 4, 10)),
        "later": add("Planera hösten", people.chair, date(2026, 5, 30)),
        "done": add("Klart redan", people.chair, date(2026, 4, 1)),
    }


@pytest.mark.django_db(transaction=True)
def test_each_stage_is_mailed_once_to_the_owner(people, items, smtp):
    action_item_set_status(item=items["done"], status="done", by=None)

    run = action_reminders_send(today=TODAY)
    run_worker()

    assert (run.reminders, run.people) == (2, 1)
    received = bodies(smtp)
    assert [to for to, _text in received] == [[people.member.email]]
    text = received[0][1]
    assert "Boka lokal" in text
    assert "Skicka rapporten" in text
    assert "Planera hösten" not in text
    assert "Klart redan" not in text

    # The next day: the same stages are not sent again; "tomorrow" is now overdue.
    again = action_reminders_send(today=TODAY)
    assert again.reminders == 0
    later = action_reminders_send(today=date(2026, 4, 16))
    run_worker()
    assert later.reminders == 1
    assert len(smtp.messages) == 2
    assert "Boka lokal" in bodies(smtp)[1][1]
    assert set(ActionReminder.objects.values_list("item__text", "stage")) == {
        ("Boka lokal", "due"),
        ("Boka lokal", "overdue"),
        ("Skicka rapporten", "overdue"),
    }


@pytest.mark.django_db(transaction=True)
def test_the_command_sends_in_the_staff_language(people, items, smtp):
    out = StringIO()
    with translation.override("en"):
        call_command("network_reminders", today="2026-04-14", stdout=out)
    run_worker()
    assert "3 reminder(s) to 2 person(s)." in out.getvalue()  # "done" is still open here
    to_member = [m for m in smtp.messages if m["to"] == [people.member.email]]
    parsed = email.message_from_bytes(to_member[0]["data"].encode(), policy=policy.default)
    with translation.override("sv"):
        subject = translation.ngettext(
            "Quality network: %(counter)s action item to follow up",
            "Quality network: %(counter)s action items to follow up",
            2,
        ) % {"counter": 2}
    assert str(parsed["Subject"]) == subject


@pytest.mark.django_db
def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("network_reminders", today="2026-13-01", stdout=StringIO())
