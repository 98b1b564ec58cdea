"""Closed cases lose their personal data when the retention time is over; what statistics
need stays as it was. The command is safe to run again, and a dry run changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from servicenav.cases.models import Attachment, Case, CaseEvent, Category, Outcome
from servicenav.cases.retention import PLACEHOLDER, cases_to_anonymise, months_before
from servicenav.cases.services import (
    case_categorise,
    case_close,
    case_note,
    case_publish,
    case_reply,
    case_submit,
    case_tag_values,
    citizen_message,
)
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role, ServiceValue
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Everything that statistics and the public record are built from.
KEPT_FIELDS = [
    "reference", "kind", "channel", "unit_id", "category_id", "status", "outcome",
    "outcome_note", "assigned_to_id", "received_at", "registered_at", "acknowledge_by",
    "answer_by", "clock_started_on", "answer_days", "paused_days", "acknowledged_at",
    "first_reply_at", "closed_at", "acknowledged_in_time", "answered_in_time", "wants_answer",
    "language", "is_good_example", "good_example_summary", "is_published", "public_summary",
    "public_answer",
]  # fmt: skip


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata)


def closed_case(unit, handler, *, received: datetime, closed: datetime) -> Case:
    """A fully handled case from a named citizen, with a photo, messages and a reply."""
    case, _code = case_submit(
        kind="complaint",
        unit=unit,
        text="Min granne Olle Ek på Storgatan 7 skottar snö på min bil.",
        place="Storgatan 7",
        latitude=Decimal("65.584819"),
        longitude=Decimal("22.156703"),
        reporter_name="Greta Gårdsfjäll",
        reporter_email="greta@example.net",
        reporter_phone="070-111 22 33",
        wants_answer=True,
        received_at=received,
        at=received,
    )
    category = Category.objects.create(unit=unit, name_sv="Snöröjning", name_en="Snow")
    case_categorise(case=case, category=category, by=handler, at=received)
    case_tag_values(case=case, values=ServiceValue.objects.all()[:2], by=handler, at=received)
    citizen_message(case=case, text="Det hände igen i dag, ring mig på 070-111 22 33.", at=received)
    case_note(case=case, text="Pratat med fastighetsägaren.", by=handler, at=received)
    case_reply(case=case, text="Hej Greta, vi har pratat med Olle.", by=handler, at=received)
    case_close(case=case, outcome=Outcome.ACTIONED, by=handler, at=closed)
    case_publish(
        case=case, summary="Snö skottades på en bil.", answer="Vi har åtgärdat det.", by=handler
    )
    attachment = Attachment(
        case=case, token=f"t{case.pk}", extension=".jpg", content_type="image/jpeg", size=4
    )
    attachment.file.save("photo.jpg", ContentFile(b"jpeg"), save=False)
    attachment.save()
    case.refresh_from_db()
    return case


def kept(case: Case) -> dict:
    values = {name: getattr(case, name) for name in KEPT_FIELDS}
    values["values"] = sorted(case.values.values_list("code", flat=True))
    return values


def anonymise(*args: str) -> str:
    out = StringIO()
    call_command("anonymise_cases", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old(tree, handler):
    # Closed in June 2022: more than 36 months ago.
    return closed_case(tree.gata, handler, received=at(2022, 6, 1), closed=at(2022, 6, 20))


@pytest.fixture
def recent(tree, handler):
    # Closed in January 2026: well within 36 months.
    return closed_case(tree.gata, handler, received=at(2026, 1, 5), closed=at(2026, 1, 10))


def test_an_old_closed_case_loses_its_personal_data(old, django_capture_on_commit_callbacks):
    file_path = Path(old.attachments.get().file.path)
    assert file_path.read_bytes() == b"jpeg"

    with django_capture_on_commit_callbacks(execute=True):
        output = anonymise()

    old.refresh_from_db()
    assert old.reporter_name == old.reporter_email == old.reporter_phone == ""
    assert old.text == str(PLACEHOLDER)
    assert (old.place, old.latitude, old.longitude) == ("", None, None)
    assert old.anonymised_at is not None
    assert not old.attachments.exists()
    assert not Attachment.objects.filter(case=old).exists()
    assert not file_path.exists()
    assert "1 cases closed more than 36 months ago were anonymised." in output
    assert "1/1" in output  # the progress bar


def test_messages_replies_and_notes_keep_that_they_happened_but_not_their_text(old):
    types_before = list(old.events.values_list("type", flat=True))

    anonymise()

    assert list(old.events.values_list("type", flat=True)) == [
        *types_before,
        CaseEvent.Type.ANONYMISED,
    ]
    written = [CaseEvent.Type.CITIZEN_MESSAGE, CaseEvent.Type.REPLY, CaseEvent.Type.NOTE]
    for event in old.events.filter(type__in=written):
        assert event.text == ""
    everything = " ".join(old.events.values_list("text", flat=True))
    assert "Greta" not in everything
    assert "070-111" not in everything
    assert "Olle" not in everything


def test_statistics_fields_stay_exactly_as_they_were(old):
    before = kept(old)
    assert before["outcome"] == Outcome.ACTIONED
    assert before["category_id"] is not None
    assert len(before["values"]) == 2
    assert before["public_summary"] == "Snö skottades på en bil."

    anonymise()

    old.refresh_from_db()
    assert kept(old) == before


def test_the_anonymisation_is_recorded_by_the_system(old):
    anonymise()

    event = old.events.get(type=CaseEvent.Type.ANONYMISED)
    assert event.actor is None
    assert event.data == {"attachments_deleted": 1}
    entry = AuditEntry.objects.filter(object_id=str(old.pk)).order_by("-id").first()
    assert entry is not None
    assert entry.actor is None
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes["event"] == {"from": None, "to": "anonymised"}
    assert entry.unit_id == old.unit_id
    assert "greta" not in str(entry.changes).lower()


def test_recent_and_open_cases_are_left_alone(tree, old, recent):
    still_open, _code = case_submit(
        kind="question",
        unit=tree.gata,
        text="Gamla frågan",
        reporter_email="open@example.net",
        received_at=at(2022, 3, 1),
        at=at(2022, 3, 1),
    )

    output = anonymise()

    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.reporter_email == "greta@example.net"
    assert recent.anonymised_at is None
    assert recent.attachments.count() == 1
    assert still_open.reporter_email == "open@example.net"
    assert still_open.anonymised_at is None
    assert "1 cases" in output


def test_a_second_run_changes_nothing(old):
    anonymise()
    events, entries = CaseEvent.objects.count(), AuditEntry.objects.count()
    old.refresh_from_db()
    first_time = old.anonymised_at

    output = anonymise()

    old.refresh_from_db()
    assert old.anonymised_at == first_time
    assert (CaseEvent.objects.count(), AuditEntry.objects.count()) == (events, entries)
    assert "0 cases" in output


def test_a_dry_run_counts_and_changes_nothing(old, recent):
    events, entries = CaseEvent.objects.count(), AuditEntry.objects.count()

    output = anonymise("--dry-run")

    assert "1 cases closed more than 36 months ago would be anonymised." in output
    old.refresh_from_db()
    assert old.reporter_email == "greta@example.net"
    assert old.anonymised_at is None
    assert old.attachments.count() == 1
    assert (CaseEvent.objects.count(), AuditEntry.objects.count()) == (events, entries)


def test_the_retention_time_comes_from_settings_or_the_months_option(old, recent, settings):
    settings.SERVICENAV_RETENTION_MONTHS = 60
    assert "0 cases closed more than 60 months ago would be" in anonymise("--dry-run")

    output = anonymise("--months", "6")

    assert "2 cases closed more than 6 months ago were anonymised." in output
    recent.refresh_from_db()
    assert recent.anonymised_at is not None


def test_months_below_one_are_refused(old):
    with pytest.raises(CommandError):
        anonymise("--months", "0")
    old.refresh_from_db()
    assert old.anonymised_at is None


def test_the_cutoff_is_whole_calendar_months_back():
    assert months_before(at(2026, 5, 31), 3) == at(2026, 2, 28)
    assert months_before(at(2026, 11, 27), 36) == at(2023, 11, 27)
    assert months_before(at(2028, 3, 15), 1) == at(2028, 2, 15)


def test_a_case_closed_just_inside_the_retention_time_is_kept(tree, handler):
    closed_at = months_before(timezone.now(), 36) + timedelta(days=10)
    case = closed_case(tree.gata, handler, received=closed_at - timedelta(days=5), closed=closed_at)
    assert case not in cases_to_anonymise()
    assert case in cases_to_anonymise(months=35)
