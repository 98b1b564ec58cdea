"""Background tasks of the core app; each calls a service."""

from __future__ import annotations

from django_tasks import task

from servicenav.core.emails import email_deliver


@task()
def deliver_email(email_id: int) -> None:
    email_deliver(email_id=email_id)
