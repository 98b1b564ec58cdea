"""The one way Servicenav sends e-mail.

Each e-mail is three templates, `emails/<name>-subject.txt`, `emails/<name>-body.txt` and
`emails/<name>-body.html`. `email_send` renders them into an outbox row in the caller's
transaction and enqueues a background task to deliver it: in the same transaction when the
task queue is in the same database (the default), otherwise once the row commits. A failed
delivery is retried with growing pauses until the SMTP server takes the message, so an
outage delays mail but loses none; `manage.py send_pending_email` re-enqueues anything
left waiting (for example after a worker crash).
"""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, connections, router, transaction
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone, translation

from servicenav.core.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_RETRY_PAUSE = timedelta(hours=1)
# How long a worker waits for the database to record an e-mail the SMTP server took.
SENT_RECORD_PATIENCE = timedelta(minutes=10)


def email_send(
    *, to: str, template: str, context: dict[str, Any], language: str | None = None
) -> OutgoingEmail:
    """Queue the e-mail `template` for `to`, rendered in `language` (default: current)."""
    with translation.override(language or translation.get_language()):
        subject = _render_text(f"emails/{template}-subject.txt", context)
        body_text = _render_text(f"emails/{template}-body.txt", context)
        body_html = render_to_string(f"emails/{template}-body.html", context)
    email = OutgoingEmail.objects.create(
        to=to,
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
    )
    if _queue_commits_with_the_outbox(email):
        _enqueue(email)
    else:
        transaction.on_commit(lambda: _enqueue(email))
    return email


def _queue_commits_with_the_outbox(email: OutgoingEmail) -> bool:
    """Whether the delivery task can be queued now, in the caller's transaction: when the
    task queue is a table in the outbox's database, the task commits or rolls back with
    the e-mail. That saves a second commit (a disk sync) per e-mail, and no crash between
    the two can leave an e-mail waiting for `send_pending_email`. Any other queue gets the
    task once the e-mail is committed, so that no worker looks for it before."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from servicenav.core.tasks import deliver_email

    if not isinstance(deliver_email.get_backend(), DatabaseBackend):
        return False
    return router.db_for_write(DBTaskResult) == router.db_for_write(OutgoingEmail, instance=email)


def _render_text(name: str, context: dict[str, Any]) -> str:
    """A plain-text template, with nothing HTML-escaped: no one reads it as HTML, and
    "&amp;" or "&lt;" in a reply would garble what staff wrote."""
    template = Engine.get_default().get_template(name)
    return template.render(Context(context, autoescape=False))


def _enqueue(email: OutgoingEmail) -> None:
    from servicenav.core.tasks import deliver_email

    deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)


def retry_pause(attempts: int) -> timedelta:
    """1, 2, 4, … minutes after each failure, at most an hour."""
    return min(timedelta(minutes=2 ** (attempts - 1)), MAX_RETRY_PAUSE)


def email_deliver(*, email_id: int) -> OutgoingEmail | None:
    """Try to send one queued e-mail now; on a passing failure, schedule the next try."""
    taken: OutgoingEmail | None = None  # the e-mail, once the SMTP server has taken it
    try:
        with transaction.atomic():
            email = (
                OutgoingEmail.objects.select_for_update()
                .filter(pk=email_id, status=OutgoingEmail.Status.PENDING)
                .first()
            )
            if email is None or email.next_attempt_at > timezone.now():
                return email  # already sent, given up, or another try is scheduled
            if _hand_over(email):
                taken = email
                _mark_sent(email)
    except DatabaseError:
        if taken is None or connections[_outbox_database()].in_atomic_block:
            raise
        _record_sent_when_the_database_returns(taken)
        email = taken
    if email.status == OutgoingEmail.Status.PENDING:
        _enqueue(email)
    return email


def _hand_over(email: OutgoingEmail) -> bool:
    """Whether the SMTP server took the e-mail; a failure is recorded on its row."""
    try:
        _smtp_send(email)
    except smtplib.SMTPRecipientsRefused:
        _record_failure(email, "recipient refused", permanent=True)
        return False
    except (OSError, smtplib.SMTPException) as error:
        _record_failure(email, type(error).__name__, permanent=False)
        return False
    return True


def _mark_sent(email: OutgoingEmail) -> None:
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = timezone.now()
    email.attempts += 1
    email.save(update_fields=["status", "sent_at", "attempts"])
    logger.info("e-mail %s sent", email.pk)


def _outbox_database() -> str:
    return router.db_for_write(OutgoingEmail)


def _record_sent_when_the_database_returns(email: OutgoingEmail) -> None:
    """The SMTP server took the message, but the database went away before the row said
    so. A later try would send a copy, so the worker, which knows, waits for the database
    (up to SENT_RECORD_PATIENCE) and records the delivery then. Only a worker that dies in
    this moment leaves the row waiting, and the copy then carries the same Message-ID."""
    database = connections[_outbox_database()]
    give_up_at = time.monotonic() + SENT_RECORD_PATIENCE.total_seconds()
    while True:
        database.close()  # the broken connection; the next query opens a new one
        try:
            OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.PENDING).update(
                status=email.status, sent_at=email.sent_at, attempts=email.attempts
            )
        except DatabaseError:
            if time.monotonic() >= give_up_at:
                logger.error("e-mail %s sent but not recorded: it may be sent again", email.pk)
                raise
            time.sleep(1)
        else:
            logger.info("e-mail %s sent, recorded once the database answered", email.pk)
            return


def _smtp_send(email: OutgoingEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": message_id(email)},
    )
    message.attach_alternative(email.body_html, "text/html")
    message.send()


def message_id(email: OutgoingEmail) -> str:
    """The same Message-ID on every try of one e-mail. Delivery is at least once: if the
    worker dies after the SMTP server took the message but before the row is marked sent,
    it is sent again, and the receiving mail system can then tell the copy by its
    Message-ID. (A database that dies in that moment is waited for instead.)"""
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = sender.rpartition("@")[2] or "servicenav.invalid"
    return f"<outbox-{email.pk}-{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def _record_failure(email: OutgoingEmail, error: str, *, permanent: bool) -> None:
    # The error names its kind only: SMTP messages can quote the recipient's address.
    email.attempts += 1
    email.last_error = error
    if permanent:
        email.status = OutgoingEmail.Status.FAILED
    else:
        email.next_attempt_at = timezone.now() + retry_pause(email.attempts)
    email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    logger.warning("e-mail %s not sent (attempt %s): %s", email.pk, email.attempts, error)


def pending_email_requeue() -> int:
    """Enqueue delivery of every e-mail still waiting whose time has come."""
    due = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
    )
    count = 0
    for email in due.iterator():
        _enqueue(email)
        count += 1
    return count


def sent_email_prune(*, older_than: timedelta) -> int:
    """Delete sent and undeliverable e-mail older than `older_than`: the outbox holds
    recipients' addresses and messages, which are kept no longer than delivery needs."""
    cutoff = timezone.now() - older_than
    deleted, _by_model = (
        OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.PENDING)
        .filter(created_at__lt=cutoff)
        .delete()
    )
    return deleted
