"""Retention: a closed case keeps its personal data for a configured number of months
(SERVICENAV_RETENTION_MONTHS), then loses it. What statistics need stays: kind, unit,
category, channel, dates, deadlines and whether they were met, outcome, values and the
staff-written public summary and good-example summary.

`manage.py anonymise_cases` runs this; running it again changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from servicenav.cases.models import Attachment, Case, CaseEvent, CaseQuerySet, Status
from servicenav.core.audit import audit_record
from servicenav.core.models import AuditEntry
from servicenav.core.periods import add_months
from servicenav.core.progress import Writable, progress

if TYPE_CHECKING:
    from django.core.files.storage import Storage

PLACEHOLDER = _("[Anonymised]")
# Event texts are blanked (the citizen's messages, replies that may quote them, staff
# notes and reasons that may name them); that the events happened stays. Kept: the
# summaries staff wrote to be anonymous from the start.
EVENTS_WITH_ANONYMOUS_TEXT = (CaseEvent.Type.GOOD_EXAMPLE, CaseEvent.Type.PUBLISHED)


def months_before(moment: datetime, months: int) -> datetime:
    """The same local time `months` calendar months earlier (31 March - 1 = 28/29 Feb)."""
    local = timezone.localtime(moment)
    day = add_months(local.date(), -months)
    return local.replace(year=day.year, month=day.month, day=day.day)


def cases_to_anonymise(*, months: int | None = None, now: datetime | None = None) -> CaseQuerySet:
    """Closed cases whose retention time is over and which still hold personal data."""
    months = settings.SERVICENAV_RETENTION_MONTHS if months is None else months
    cutoff = months_before(now or timezone.now(), months)
    return Case.objects.filter(
        status=Status.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
    ).order_by("closed_at", "pk")


@transaction.atomic
def case_anonymise(*, case: Case) -> bool:
    """Remove the personal data of one closed case. False when there was nothing to do
    (already anonymised, or reopened meanwhile)."""
    locked = (
        Case.objects.select_for_update()
        .filter(pk=case.pk, status=Status.CLOSED, anonymised_at__isnull=True)
        .first()
    )
    if locked is None:
        return False
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        locked.text = str(PLACEHOLDER)
    locked.reporter_name = locked.reporter_email = locked.reporter_phone = ""
    locked.place, locked.latitude, locked.longitude = "", None, None
    locked.anonymised_at = now
    locked.save(
        update_fields=[
            "text",
            "reporter_name",
            "reporter_email",
            "reporter_phone",
            "place",
            "latitude",
            "longitude",
            "anonymised_at",
        ]
    )
    locked.events.exclude(type__in=EVENTS_WITH_ANONYMOUS_TEXT).update(text="")
    deleted = _attachments_delete(locked)
    CaseEvent.objects.create(
        case=locked,
        at=now,
        actor=None,
        type=CaseEvent.Type.ANONYMISED,
        data={"attachments_deleted": deleted},
    )
    audit_record(
        actor=None,
        action=AuditEntry.Action.UPDATE,
        obj=locked,
        unit=locked.unit,
        changes={
            "event": {"from": None, "to": CaseEvent.Type.ANONYMISED.value},
            "attachments": {"from": deleted, "to": 0},
        },
    )
    return True


def _attachments_delete(case: Case) -> int:
    """Delete the rows now and the files once that commits, so a rollback loses no file."""
    attachments = list(Attachment.objects.filter(case=case))
    files = [(attachment.file.storage, attachment.file.name) for attachment in attachments]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    transaction.on_commit(lambda: _files_delete(files))
    return len(attachments)


def _files_delete(files: list[tuple[Storage, str | None]]) -> None:
    for storage, name in files:
        if name:
            storage.delete(name)


def cases_anonymise(
    *, months: int | None = None, stream: Writable | None = None, now: datetime | None = None
) -> int:
    """Anonymise every case whose time is over, each in its own transaction (an interrupted
    run keeps what it did). Returns how many were anonymised."""
    cases = list(cases_to_anonymise(months=months, now=now))
    steps = cases if stream is None else progress(cases, label="Anonymising", stream=stream)
    return sum(case_anonymise(case=case) for case in steps)
