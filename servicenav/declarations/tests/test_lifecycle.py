"""The declaration lifecycle: draft → sent for approval → approved by the unit's manager →
published → archived, with published versions frozen for ever."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from servicenav.core.models import AuditEntry
from servicenav.declarations.models import Commitment, Measure, Version
from servicenav.declarations.services import (
    commitment_add,
    commitment_update,
    declaration_create,
    declaration_withdraw,
    version_approve,
    version_new_draft,
    version_publish,
    version_return,
    version_submit,
    version_update,
)
from servicenav.organisation.models import Role
from servicenav.testing import make_user

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ANSWER_PROMISE = {
    "text_sv": "Vi svarar inom 10 arbetsdagar.",
    "text_en": "We answer within 10 working days.",
    "measure": Measure.ANSWERED_WITHIN,
    "limit_days": 10,
    "threshold": Decimal("90.0"),
}


@pytest.fixture
def people(tree):
    class People:
        coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun)
        manager = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
        other_manager = make_user(role=Role.UNIT_MANAGER, unit=tree.social)
        handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
        administrator = make_user(role=Role.ADMINISTRATOR, unit=tree.kommun)

    return People


@pytest.fixture
def draft(tree, people):
    version = declaration_create(
        unit=tree.gata, by=people.coordinator, service_sv="Snöröjning", service_en="Snow"
    )
    commitment_add(version=version, by=people.coordinator, **ANSWER_PROMISE)
    return version


def approved(version, manager, *, at=None):
    version_submit(version=version, by=manager)
    version_approve(version=version, by=manager, at=at)
    return version


def test_a_new_declaration_is_a_first_draft_owned_by_its_writer(draft, people, tree):
    assert (draft.number, draft.status) == (1, Version.Status.DRAFT)
    assert draft.declaration.unit == tree.gata
    assert draft.declaration.owner == people.coordinator
    assert AuditEntry.objects.filter(unit=tree.gata, actor=people.coordinator).count() == 2


def test_a_declaration_needs_the_service_it_describes(tree, people):
    with pytest.raises(ValidationError):
        declaration_create(unit=tree.gata, by=people.coordinator, service_sv="  ")


def test_a_measurable_promise_needs_its_measure_limit_and_threshold(draft, people):
    for missing in ("measure", "limit_days", "threshold"):
        fields = {**ANSWER_PROMISE, missing: None if missing != "measure" else ""}
        with pytest.raises(ValidationError):
            commitment_add(version=draft, by=people.coordinator, **fields)
    qualitative = commitment_add(
        version=draft, by=people.coordinator, text_sv="Vi är trevliga.", kind="qualitative"
    )
    assert qualitative.order == 2
    assert draft.commitments.count() == 2


def test_only_a_draft_with_promises_is_sent_for_approval(tree, people):
    empty = declaration_create(unit=tree.gata, by=people.coordinator, service_sv="Parker")
    with pytest.raises(ValidationError):
        version_submit(version=empty, by=people.coordinator)
    assert empty.status == Version.Status.DRAFT


def test_only_a_manager_of_the_unit_approves(draft, people):
    version_submit(version=draft, by=people.coordinator)
    for outsider in (people.coordinator, people.handler, people.other_manager):
        with pytest.raises(PermissionDenied):
            version_approve(version=draft, by=outsider)
    draft.refresh_from_db()
    assert draft.status == Version.Status.PENDING
    version_approve(version=draft, by=people.manager, at=datetime(2026, 3, 31, 9, tzinfo=STOCKHOLM))
    draft.refresh_from_db()
    assert draft.status == Version.Status.APPROVED
    assert draft.approved_by == people.manager
    assert draft.review_by == date(2027, 3, 31)  # twelve months after approval


def test_the_manager_returns_a_version_with_a_comment(draft, people):
    version_submit(version=draft, by=people.coordinator)
    with pytest.raises(ValidationError):
        version_return(version=draft, by=people.manager, comment=" ")
    with pytest.raises(PermissionDenied):
        version_return(version=draft, by=people.coordinator, comment="Nej")
    version_return(version=draft, by=people.manager, comment="Tio dagar är för lång tid.")
    draft.refresh_from_db()
    assert draft.status == Version.Status.DRAFT
    assert draft.returned_comment == "Tio dagar är för lång tid."
    version_update(version=draft, by=people.coordinator, service_sv="Snöröjning i centrum")


def test_a_version_sent_for_approval_and_later_cannot_change(draft, people):
    version_submit(version=draft, by=people.coordinator)
    commitment = draft.commitments.get()
    with pytest.raises(ValidationError):
        version_update(version=draft, by=people.coordinator, service_sv="Något annat")
    approved_version = draft
    version_approve(version=approved_version, by=people.manager)
    version_publish(version=approved_version, by=people.coordinator)
    for change in (
        lambda: version_update(version=draft, by=people.administrator, summary_sv="Nytt"),
        lambda: commitment_update(commitment=commitment, by=people.administrator, limit_days=5),
        lambda: commitment_add(version=draft, by=people.administrator, **ANSWER_PROMISE),
    ):
        with pytest.raises(ValidationError):
            change()
    draft.refresh_from_db()
    commitment.refresh_from_db()
    assert (draft.service_sv, draft.summary_sv, commitment.limit_days) == ("Snöröjning", "", 10)


def test_publishing_a_new_version_archives_the_old_one_and_keeps_its_text(draft, people):
    approved(draft, people.manager)
    version_publish(version=draft, by=people.coordinator, valid_from=date(2025, 1, 1))
    second = version_new_draft(declaration=draft.declaration, by=people.coordinator)
    assert second.number == 2
    assert version_new_draft(declaration=draft.declaration, by=people.coordinator) == second
    old_promise, new_promise = draft.commitments.get(), second.commitments.get()
    assert new_promise.key == old_promise.key
    assert new_promise.pk != old_promise.pk
    commitment_update(commitment=new_promise, by=people.coordinator, limit_days=5)
    version_update(version=second, by=people.coordinator, service_sv="Snöröjning 2.0")
    approved(second, people.manager)
    with pytest.raises(ValidationError):  # must start after the version in force
        version_publish(version=second, by=people.coordinator, valid_from=date(2025, 1, 1))
    version_publish(version=second, by=people.coordinator, valid_from=date(2026, 1, 1))
    draft.refresh_from_db()
    old_promise.refresh_from_db()
    assert draft.status == Version.Status.ARCHIVED
    assert (draft.valid_from, draft.valid_until) == (date(2025, 1, 1), date(2025, 12, 31))
    assert (draft.service_sv, old_promise.limit_days) == ("Snöröjning", 10)
    assert draft.declaration.current == second


def test_only_one_version_is_ever_in_force(draft, people):
    approved(draft, people.manager)
    version_publish(version=draft, by=people.coordinator)
    extra = Version(declaration=draft.declaration, number=2, service_sv="X", status="published")
    with pytest.raises(IntegrityError), transaction.atomic():
        extra.save()


def test_withdrawing_archives_the_version_in_force(draft, people):
    with pytest.raises(ValidationError):
        declaration_withdraw(declaration=draft.declaration, by=people.coordinator)
    approved(draft, people.manager)
    version_publish(version=draft, by=people.coordinator)
    declaration_withdraw(declaration=draft.declaration, by=people.coordinator)
    draft.refresh_from_db()
    assert draft.status == Version.Status.ARCHIVED
    assert draft.declaration.current is None
    assert draft.valid_until is not None


def test_a_review_by_date_in_the_past_is_refused(draft, people):
    version_submit(version=draft, by=people.coordinator)
    with pytest.raises(ValidationError):
        version_approve(version=draft, by=people.manager, review_by=date(2000, 1, 1))
    assert Commitment.objects.filter(version=draft).exists()


def test_a_version_is_published_on_the_day_it_takes_effect_not_before(draft, people):
    approved(draft, people.manager)
    with pytest.raises(ValidationError):
        version_publish(version=draft, by=people.coordinator, valid_from=date(2999, 1, 1))
    draft.refresh_from_db()
    assert draft.status == Version.Status.APPROVED
