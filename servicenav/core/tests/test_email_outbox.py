"""E-mail is queued with the change that caused it and delivered by the background worker
to a real SMTP server; an outage delays mail but loses none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicenav.core.emails import email_deliver, email_send, message_id, retry_pause
from servicenav.core.models import OutgoingEmail
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def queue_reset_mail(to: str = "anna@example.org") -> OutgoingEmail:
    user = make_user(email=to)
    context = {
        "protocol": "https",
        "domain": "example.org",
        "uid": "MQ",
        "token": "t-1",
        "user": user,
    }
    with transaction.atomic():
        return email_send(to=to, template="password_reset", context=context, language="en")


def test_a_queued_email_is_delivered_by_the_worker(smtp):
    email = queue_reset_mail()
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["to"] == ["anna@example.org"]
    assert "Subject: Reset your password for Servicenav" in message["data"]
    assert "https://example.org/en/konto/losenord/aterstall/MQ/t-1/" in message["data"]
    assert "text/html" in message["data"]


def test_an_email_is_rendered_in_the_language_asked_for(smtp):
    user = make_user()
    context = {
        "protocol": "https",
        "domain": "example.org",
        "uid": "MQ",
        "token": "t",
        "user": user,
    }
    with transaction.atomic():
        email = email_send(
            to="a@example.org", template="password_reset", context=context, language="sv"
        )
    assert "/konto/losenord/aterstall/MQ/t/" in email.body_text
    assert "/en/" not in email.body_text


def test_nothing_is_queued_when_the_change_is_rolled_back(smtp):
    def change_that_fails() -> None:
        with transaction.atomic():
            queue_reset_mail()
            raise RuntimeError("the surrounding change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    run_worker()
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert smtp.messages == []


def test_the_delivery_task_is_queued_in_the_emails_own_transaction(smtp):
    """One commit for the change, its e-mail and the task: no second one after it, and no
    moment when the e-mail is stored but its delivery not queued."""
    with transaction.atomic():
        email = queue_reset_mail()
        (task,) = DBTaskResult.objects.all()
        assert task.args_kwargs == {"args": [email.pk], "kwargs": {}}
    run_worker()
    assert len(smtp.messages) == 1


def test_an_smtp_outage_delays_the_email_and_a_later_try_delivers_it(smtp, settings):
    live_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens on the discard port: connection refused
    email = queue_reset_mail()
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.attempts == 1
    assert email.last_error == "ConnectionRefusedError"
    assert email.next_attempt_at > timezone.now()

    # The SMTP server is back and the pause is over.
    settings.EMAIL_PORT = live_port
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    call_command("send_pending_email", verbosity=0)
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2
    assert len(smtp.messages) == 1


def test_a_retry_scheduled_before_delivery_does_not_send_twice(smtp):
    email = queue_reset_mail()
    call_command("send_pending_email", verbosity=0)  # a second task for the same e-mail
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(smtp.messages) == 1


def test_a_refused_recipient_is_given_up_without_retrying(smtp, monkeypatch):
    import smtplib

    def refuse(email: OutgoingEmail) -> None:
        raise smtplib.SMTPRecipientsRefused({email.to: (550, b"no such user")})

    monkeypatch.setattr("servicenav.core.emails._smtp_send", refuse)
    email = queue_reset_mail()
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.last_error == "recipient refused"
    assert "example.org" not in email.last_error


def test_retry_pauses_grow_and_stop_at_an_hour():
    assert [retry_pause(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert retry_pause(30) == timedelta(hours=1)


def test_pruning_deletes_old_sent_and_failed_email_but_keeps_what_waits():
    old = timezone.now() - timedelta(days=40)
    for status in OutgoingEmail.Status.values:
        OutgoingEmail.objects.create(
            to="a@example.org",
            subject=status,
            body_text="x",
            body_html="x",
            status=status,
            created_at=old,
        )
    recent = OutgoingEmail.objects.create(
        to="b@example.org",
        subject="new",
        body_text="x",
        body_html="x",
        status=OutgoingEmail.Status.SENT,
    )
    call_command("prune_sent_email", days=30, verbosity=0)
    remaining = set(OutgoingEmail.objects.values_list("subject", flat=True))
    assert remaining == {"pending", recent.subject}


def test_a_message_sent_again_carries_the_same_message_id(smtp):
    # As when the database went away after the SMTP server took the message: the row is
    # still waiting, so it is sent again, and the copy can be told by its Message-ID.
    email = queue_reset_mail()
    run_worker()
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.PENDING)
    call_command("send_pending_email", verbosity=0)
    run_worker()
    ids = [
        line
        for message in smtp.messages
        for line in message["data"].splitlines()
        if line.startswith("Message-ID:")
    ]
    assert len(ids) == 2
    assert ids[0] == ids[1] == f"Message-ID: {message_id(email)}"


def fail_the_first_write_of(status: str, monkeypatch) -> None:
    """The database goes away just as the row would be saved with `status`."""
    save = OutgoingEmail.save
    failed: list[int] = []

    def save_or_fail(self, *args, **kwargs):
        if self.status == status and not failed:
            failed.append(self.pk)
            raise OperationalError("server closed the connection unexpectedly")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(OutgoingEmail, "save", save_or_fail)


def test_a_database_gone_after_the_smtp_server_took_the_message_is_waited_for(smtp, monkeypatch):
    fail_the_first_write_of(OutgoingEmail.Status.SENT, monkeypatch)
    email = queue_reset_mail()
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    # Nothing is left to send again.
    call_command("send_pending_email", verbosity=0)
    run_worker()
    assert len(smtp.messages) == 1


def test_a_database_that_does_not_return_leaves_the_email_to_be_sent_again(smtp, monkeypatch):
    fail_the_first_write_of(OutgoingEmail.Status.SENT, monkeypatch)
    monkeypatch.setattr("servicenav.core.emails.SENT_RECORD_PATIENCE", timedelta(0))

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    email = queue_reset_mail()
    monkeypatch.setattr(QuerySet, "update", unreachable)
    with pytest.raises(OperationalError):
        email_deliver(email_id=email.pk)
    monkeypatch.undo()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING  # at least once, never lost
    assert len(smtp.messages) == 1
