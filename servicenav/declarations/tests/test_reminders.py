"""The daily commands: a published declaration that reaches its review-by date is reminded
of once to its owner and the quality coordinators of its unit and the units above, in
the staff language; and every declaration in force is followed up.

Each story is told on fixed dates through the services' `at` arguments;
`review_reminders_send(today=...)` decides what is due as if it were that day."""

from __future__ import annotations

import email
from datetime import date, datetime
from decimal import Decimal
from email import policy
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext, ngettext

from servicenav.core.models import OutgoingEmail
from servicenav.declarations.models import FollowUp, Measure, Version
from servicenav.declarations.reminders import review_reminders_send
from servicenav.declarations.services import (
    commitment_add,
    declaration_create,
    declaration_withdraw,
    version_approve,
    version_new_draft,
    version_publish,
    version_submit,
    version_update,
)
from servicenav.organisation.models import Role
from servicenav.organisation.services import role_grant
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
REVIEW_BY = date(2026, 3, 2)
APPROVED = datetime(2025, 3, 3, 10, tzinfo=STOCKHOLM)
PROMISE = {
    "text_sv": "Vi svarar inom 10 arbetsdagar.",
    "text_en": "We answer within 10 working days.",
    "measure": Measure.ANSWERED_WITHIN,
    "limit_days": 10,
    "threshold": Decimal("90.0"),
}


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=STOCKHOLM)


class People:
    def __init__(self, tree) -> None:
        self.owner = make_user(
            role=Role.UNIT_MANAGER, unit=tree.gata, first_name="Olle", last_name="Ågren"
        )
        self.teknik_coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
        # A coordinator for the whole municipality, and for Gata as well: told once.
        self.kommun_coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun)
        role_grant(
            user=self.kommun_coordinator, unit=tree.gata, role=Role.QUALITY_COORDINATOR, by=None
        )
        self.social_coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social)
        self.handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
        self.teknik_manager = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)

    @property
    def told(self) -> set[str]:
        return {self.owner.email, self.teknik_coordinator.email, self.kommun_coordinator.email}


@pytest.fixture
def people(tree) -> People:
    return People(tree)


def published(unit, owner, *, review_by=REVIEW_BY, approved=APPROVED) -> Version:
    """Gata's snow-clearing declaration, approved and published on `approved`."""
    version = declaration_create(
        unit=unit, by=owner, service_sv="Snöröjning", service_en="Snow clearing"
    )
    commitment_add(version=version, by=owner, **PROMISE)
    version_submit(version=version, by=owner, at=approved)
    version_approve(version=version, by=owner, review_by=review_by, at=approved)
    version_publish(version=version, by=owner, at=approved)
    version.refresh_from_db()
    return version


def recipients() -> list[str]:
    return sorted(OutgoingEmail.objects.values_list("to", flat=True))


def test_a_declaration_due_for_review_is_reminded_of_to_its_owner_and_coordinators_above(
    tree, people
):
    version = published(tree.gata, people.owner)

    run = review_reminders_send(today=REVIEW_BY)

    assert (run.declarations, run.people) == (1, 3)
    assert recipients() == sorted(people.told)
    for outsider in (people.social_coordinator, people.handler, people.teknik_manager):
        assert outsider.email not in recipients()
    version.refresh_from_db()
    assert version.review_reminded_for == REVIEW_BY


def test_each_review_by_date_is_reminded_of_once(tree, people):
    published(tree.gata, people.owner)
    sent = [
        (today, review_reminders_send(today=today).declarations)
        for today in [date(2026, 3, 1), REVIEW_BY, REVIEW_BY, date(2026, 3, 3), date(2026, 9, 1)]
    ]
    assert sent == [
        (date(2026, 3, 1), 0),  # not due yet
        (REVIEW_BY, 1),
        (REVIEW_BY, 0),
        (date(2026, 3, 3), 0),
        (date(2026, 9, 1), 0),
    ]
    assert len(recipients()) == 3


def test_a_new_version_with_a_new_review_by_date_is_reminded_of_again(tree, people):
    first = published(tree.gata, people.owner)
    assert review_reminders_send(today=REVIEW_BY).declarations == 1

    second = version_new_draft(declaration=first.declaration, by=people.owner)
    version_update(version=second, by=people.owner, service_sv="Snöröjning och sandning")
    version_submit(version=second, by=people.owner, at=at(2026, 3, 10))
    version_approve(
        version=second, by=people.owner, review_by=date(2027, 3, 10), at=at(2026, 3, 10)
    )
    version_publish(version=second, by=people.owner, at=at(2026, 3, 16))

    assert review_reminders_send(today=date(2027, 3, 9)).declarations == 0
    OutgoingEmail.objects.all().delete()
    run = review_reminders_send(today=date(2027, 3, 10))
    assert (run.declarations, run.people) == (1, 3)
    first.refresh_from_db()
    assert first.status == Version.Status.ARCHIVED
    assert first.review_reminded_for == REVIEW_BY


def test_drafts_unpublished_and_archived_versions_are_not_reminded_of(tree, people):
    withdrawn = published(tree.gata, people.owner)
    declaration_withdraw(declaration=withdrawn.declaration, by=people.owner, at=at(2025, 6, 1))
    waiting = declaration_create(unit=tree.gata, by=people.owner, service_sv="Parker")
    commitment_add(version=waiting, by=people.owner, **PROMISE)
    version_submit(version=waiting, by=people.owner, at=at(2025, 3, 3))
    version_approve(version=waiting, by=people.owner, review_by=REVIEW_BY, at=at(2025, 3, 3))
    declaration_create(unit=tree.gata, by=people.owner, service_sv="Lekplatser")

    assert review_reminders_send(today=date(2026, 9, 1)).declarations == 0
    assert not OutgoingEmail.objects.exists()
    assert set(Version.objects.values_list("status", flat=True)) == {
        Version.Status.ARCHIVED,
        Version.Status.APPROVED,
        Version.Status.DRAFT,
    }


def test_a_declaration_nobody_can_be_told_about_is_reminded_of_once_someone_can_be(tree):
    owner = make_user(role=Role.UNIT_MANAGER, unit=tree.vatten, email="")
    inactive = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.vatten, is_active=False)
    version = published(tree.vatten, owner)

    assert review_reminders_send(today=REVIEW_BY).declarations == 0
    version.refresh_from_db()
    assert version.review_reminded_for is None

    coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
    assert review_reminders_send(today=date(2026, 3, 3)).declarations == 1
    assert recipients() == [coordinator.email]
    assert inactive.email not in recipients()


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def parse(message: dict) -> tuple[str, str]:
    """The decoded subject and all decoded text of a received message."""
    # As bytes: parsed from a str, an 8-bit UTF-8 part would not decode.
    parsed = email.message_from_bytes(message["data"].encode(), policy=policy.default)
    parts = [part.get_content() for part in parsed.walk() if part.get_content_maintype() == "text"]
    return str(parsed["Subject"]), "\n".join(parts)


def intro(count: int) -> str:
    with translation.override("sv"):
        return ngettext(
            "This service declaration has reached its review-by date. Check that its promises "
            "still hold and can be kept; if anything should change, write a new version for "
            "the unit manager to approve.",
            "These service declarations have reached their review-by date. Check that their "
            "promises still hold and can be kept; if anything should change, write a new "
            "version for the unit manager to approve.",
            count,
        )


@pytest.mark.django_db(transaction=True)
def test_the_email_is_in_swedish_and_links_to_the_staff_page(tree, people, smtp, settings):
    settings.SERVICENAV_SITE_URL = "https://servicenav.example"
    version = published(tree.gata, people.owner)
    other = published(tree.vatten, people.teknik_manager, review_by=date(2026, 2, 20))

    with translation.override("en"):  # sent from an English page or command: still Swedish
        run = review_reminders_send(today=REVIEW_BY)
    run_worker()

    assert (run.declarations, run.people) == (2, 4)
    delivered = sorted(address for message in smtp.messages for address in message["to"])
    assert delivered == sorted([*people.told, people.teknik_manager.email])
    to_owner = [message for message in smtp.messages if message["to"] == [people.owner.email]]
    assert len(to_owner) == 1
    subject, body = parse(to_owner[0])
    with translation.override("sv"):
        greeting = gettext("Hello %(name)s,") % {"name": "Olle Ågren"}
        expected_subject = ngettext(
            "Time to review: %(counter)s service declaration",
            "Time to review: %(counter)s service declarations",
            1,
        ) % {"counter": 1}
    assert greeting in body
    assert intro(1) in body
    assert subject == expected_subject
    assert "Snöröjning" in body
    assert "Snow clearing" not in body
    assert "Gata" in body
    assert "2026-03-02" in body
    assert f"https://servicenav.example/personal/deklarationer/{version.declaration_id}/" in body
    assert f"/personal/deklarationer/{other.declaration_id}/" not in body  # Vatten's

    to_coordinator = [
        message for message in smtp.messages if message["to"] == [people.teknik_coordinator.email]
    ]
    _subject, both = parse(to_coordinator[0])
    assert both.index("2026-02-20") < both.index("2026-03-02")  # the longest overdue first
    assert intro(2) in both


def test_the_reminder_command_shows_progress_and_a_summary(tree, people):
    published(tree.gata, people.owner)
    out = StringIO()

    call_command("declaration_reminders", "--today", "2026-03-02", stdout=out)

    assert "3/3" in out.getvalue()  # the progress bar, one step per person
    assert "1 declarations due for review; reminders queued to 3 people." in out.getvalue()
    out = StringIO()
    call_command("declaration_reminders", "--today", "2026-03-02", stdout=out)
    assert "0 declarations due for review; reminders queued to 0 people." in out.getvalue()


def test_the_follow_up_command_judges_every_declaration_that_is_or_was_in_force(tree, people):
    in_force = published(tree.gata, people.owner, approved=at(2026, 1, 1))
    withdrawn = published(tree.vatten, people.teknik_manager, approved=at(2026, 1, 1))
    declaration_withdraw(declaration=withdrawn.declaration, by=None, at=at(2026, 2, 10))
    draft = declaration_create(unit=tree.gata, by=people.owner, service_sv="Parker")
    commitment_add(version=draft, by=people.owner, **PROMISE)
    out = StringIO()

    call_command("follow_up_declarations", "--today", "2026-04-10", stdout=out)

    # January to March for the one in force; January and February for the withdrawn one.
    assert "5 follow-ups written for 2 declarations." in out.getvalue()
    assert "2/2" in out.getvalue()
    periods = FollowUp.objects.filter(commitment__version=in_force).values_list("period", flat=True)
    assert sorted(periods) == ["2026-01", "2026-02", "2026-03"]
    assert not FollowUp.objects.filter(commitment__version=draft).exists()

    call_command("follow_up_declarations", "--today", "2026-04-10", stdout=StringIO())
    assert FollowUp.objects.count() == 5
