"""When an action is done, each person behind its linked feedback who left an e-mail
address is told what was changed: once, through the outbox, the worker and a real SMTP
server, with nothing about anyone else."""

from __future__ import annotations

import email
from email import policy

import pytest
from django.core.management import call_command

from servicenav.improvement.models import Action, ActionNotification
from servicenav.improvement.services import action_link_case, action_set_status
from servicenav.improvement.tests.factories import make_action
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db(transaction=True)
S = Action.Status


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def text_of(message: dict) -> str:
    parsed = email.message_from_bytes(message["data"].encode(), policy=policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None
    return f"Subject: {parsed['Subject']}\n{body.get_content()}"


def test_the_people_behind_the_feedback_are_told_once_through_smtp(tree, smtp):
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.gata)
    astrid = make_case(
        unit=tree.gata,
        text="Skylten syns inte, hälsningar Astrid",
        reporter_name="Astrid Lindqvist",
        reporter_email="astrid@example.org",
        reporter_phone="070-111 22 33",
    )
    again = make_case(unit=tree.gata, reporter_email="ASTRID@example.org")
    bertil = make_case(unit=tree.gata, reporter_name="Bertil", reporter_email="bertil@example.org")
    anonymous = make_case(unit=tree.gata, reporter_name="Cecilia utan adress")
    action = make_action(unit=tree.gata, title="Tydligare skyltar")
    for case in (astrid, again, bertil, anonymous):
        action_link_case(action=action, reference=case.reference, by=manager)
    run_worker()
    smtp.messages.clear()  # the receipts of the feedback itself

    for status in (S.DECIDED, S.IN_PROGRESS):
        action_set_status(action=action, status=status, by=manager)
    action_set_status(action=action, status=S.DONE, outcome="Nya skyltar i entrén.", by=manager)
    run_worker()

    assert sorted(m["to"][0] for m in smtp.messages) == ["astrid@example.org", "bertil@example.org"]
    for message in smtp.messages:
        body = text_of(message)
        assert "Tydligare skyltar" in body
        assert "Nya skyltar i entrén." in body
        for personal in ("Astrid", "Bertil", "Cecilia", "070-111", "Skylten syns inte", "@"):
            assert personal not in body.split("\n", 1)[1]
    assert ActionNotification.objects.filter(action=action).count() == 2
    assert not ActionNotification.objects.filter(address_hash__contains="@").exists()

    # Reopened and done again: nobody hears twice.
    action_set_status(action=action, status=S.IN_PROGRESS, by=manager)
    action_set_status(action=action, status=S.DONE, by=manager)
    run_worker()
    assert len(smtp.messages) == 2
