"""Every action on a case page goes through one view: a form, the gate and a service. A
refusal shows the page again with the message at the form and changes nothing; replies
and good examples are e-mailed through a real SMTP server, internal notes never are."""

from __future__ import annotations

import email
from email import policy

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from servicenav.cases.models import Case, CaseEvent, Category, Outcome, Status
from servicenav.cases.services import case_close, case_wait
from servicenav.organisation.models import Role, ServiceValue, Unit
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

CITIZEN_EMAIL = "maja@example.org"


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def text_of(message: dict) -> str:
    parsed = email.message_from_bytes(message["data"].encode(), policy=policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Hedda")


@pytest.fixture
def case(tree) -> Case:
    return make_case(unit=tree.gata, reporter_email=CITIZEN_EMAIL, wants_answer=True)


@pytest.fixture
def act(client, handler):
    """POST one action as the handler, in English so messages can be read."""
    client.force_login(handler)

    def post(case: Case, action: str, **fields: object):
        with translation.override("en"):
            url = reverse("cases:case-action", args=[case.pk, action])
        data = {f"{action}-{name}": value for name, value in fields.items()}
        return client.post(url, data, follow=True)

    return post


def done(response, message: str) -> bool:
    """The action redirected back to the case page with its success message."""
    return (
        response.status_code == 200
        and response.redirect_chain[-1][1] == 302
        and message in [str(item) for item in response.context["messages"]]
    )


def refused(response, action: str, field: str | None = None) -> bool:
    form = response.context["forms"][action.replace("-", "_")]
    errors = form.errors.get(field or "__all__")
    return response.status_code == 400 and response.context["failed"] == action and bool(errors)


def test_acknowledging_stamps_the_case(act, case, handler):
    response = act(case, "kvittera")
    case.refresh_from_db()
    assert done(response, "The case is acknowledged.")
    assert case.acknowledged_at is not None
    assert case.acknowledged_in_time is True
    assert case.events.last().type == CaseEvent.Type.ACKNOWLEDGED


def test_assigning_to_a_handler_of_the_unit_or_above_or_to_oneself(act, tree, case, handler):
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
    assert done(act(case, "tilldela", handler=manager.pk), "The handler is saved.")
    case.refresh_from_db()
    assert case.assigned_to == manager
    act(case, "tilldela", handler=handler.pk)
    case.refresh_from_db()
    assert case.assigned_to == handler
    act(case, "tilldela", handler="")
    case.refresh_from_db()
    assert case.assigned_to is None


def test_moving_needs_a_reason_and_takes_the_case_out_of_the_unit(act, client, tree, case, handler):
    response = act(case, "flytta", unit=tree.vatten.pk, reason="   ")
    assert refused(response, "flytta", "reason")
    case.refresh_from_db()
    assert case.unit == tree.gata

    response = act(case, "flytta", unit=tree.vatten.pk, reason="Gäller en vattenläcka.")
    assert response.redirect_chain[-1][1] == 302
    case.refresh_from_db()
    assert case.unit == tree.vatten
    moved = case.events.get(type=CaseEvent.Type.MOVED)
    assert moved.text == "Gäller en vattenläcka."
    assert moved.actor == handler
    # The case is now another unit's: the gata handler is taken back to their inbox.
    assert done(response, "The case is moved.")
    assert response.redirect_chain[-1][0].endswith(reverse("cases:inbox"))
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404


def test_the_category_must_be_one_of_the_units_active_categories(act, tree, case):
    snow = Category.objects.create(unit=tree.gata, name_sv="Snöröjning", name_en="Snow")
    old = Category.objects.create(unit=tree.gata, name_sv="Gammal", name_en="Old", active=False)
    water = Category.objects.create(unit=tree.vatten, name_sv="Läcka", name_en="Leak")
    for wrong in (old, water):
        assert refused(act(case, "kategori", category=wrong.pk), "kategori", "category")
    assert done(act(case, "kategori", category=snow.pk), "The category is saved.")
    case.refresh_from_db()
    assert case.category == snow


def test_start_wait_with_a_reason_and_resume(act, case):
    act(case, "paborja")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS

    assert refused(act(case, "vanta", reason=""), "vanta", "reason")
    response = act(case, "vanta", reason="Väntar på foto från dig.")
    assert done(response, "The case is waiting. The answer clock is paused until it is resumed.")
    case.refresh_from_db()
    assert case.status == Status.WAITING
    assert case.waiting_since is not None

    act(case, "paborja")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.waiting_since is None


def test_closing_as_no_action_without_a_reason_is_refused_and_changes_nothing(act, case):
    events = case.events.count()
    response = act(case, "stang", outcome=Outcome.NO_ACTION, note="")
    assert refused(response, "stang", "note")
    content = response.content.decode()
    assert 'id="id_stang-note_error"' in content
    assert "Give the reason why nothing is done." in content
    assert 'class="case-action case-action--failed" id="stang"' in content
    case.refresh_from_db()
    assert case.status == Status.NEW
    assert case.outcome == ""
    assert case.events.count() == events


def test_closing_as_referred_names_the_authority(act, case):
    response = act(case, "stang", outcome=Outcome.REFERRED, note="Trafikverket")
    assert done(response, "The case is closed.")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.outcome_note) == (
        Status.CLOSED,
        Outcome.REFERRED,
        "Trafikverket",
    )
    assert case.answered_in_time is True


def test_a_duplicate_is_not_an_outcome_to_close_with_directly(act, case):
    assert refused(act(case, "stang", outcome=Outcome.DUPLICATE), "stang", "outcome")


def test_reopening_a_closed_case_keeps_the_outcome_in_the_history(act, case, handler):
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    assert done(act(case, "ateroppna", reason="Nytt fel"), "The case is reopened.")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.outcome == ""
    assert case.events.filter(type=CaseEvent.Type.CLOSED).exists()
    # Reopening an open case is refused by the service.
    assert refused(act(case, "ateroppna"), "ateroppna", "reason")


def test_values_are_ticked_and_unticked(act, case):
    engagement, competence = (
        ServiceValue.objects.get(code="engagemang"),
        ServiceValue.objects.get(code="kompetens"),
    )
    assert done(
        act(case, "vardegrunder", values=[engagement.pk, competence.pk]), "The values are saved."
    )
    assert set(case.values.all()) == {engagement, competence}
    act(case, "vardegrunder")
    assert not case.values.exists()


def test_linking_a_related_case_by_its_reference(act, tree, case):
    other = make_case(unit=tree.gata)
    response = act(case, "koppla", reference=f" {other.reference.lower()} ")
    assert done(response, "The cases are linked.")
    assert list(case.related.all()) == [other]
    assert list(other.related.all()) == [case]
    assert refused(act(case, "koppla", reference=case.reference), "koppla", "reference")
    assert refused(act(case, "koppla", reference="S-1999-00001"), "koppla", "reference")


def test_merging_closes_the_case_as_a_duplicate_of_the_other(act, tree, case):
    original = make_case(unit=tree.gata)
    response = act(case, "sammanfoga", reference=original.reference)
    assert done(response, "The case is merged and closed as a duplicate.")
    case.refresh_from_db()
    assert case.merged_into == original
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.DUPLICATE)
    assert original.events.filter(type=CaseEvent.Type.MERGED).exists()
    # A closed case cannot be merged again; nothing half-done is left behind.
    third = make_case(unit=tree.gata)
    response = act(case, "sammanfoga", reference=third.reference)
    assert refused(response, "sammanfoga", "reference")
    case.refresh_from_db()
    assert case.merged_into == original
    assert response.context["case"].merged_into_id == original.pk


def test_publishing_needs_a_summary_and_an_answer_and_can_be_undone(act, case):
    assert refused(act(case, "publicera", summary="Halt", answer=""), "publicera", "answer")
    response = act(case, "publicera", summary="Halt vid skolan.", answer="Vi sandade.")
    assert done(response, "The summary and the answer are published.")
    case.refresh_from_db()
    assert (case.is_published, case.public_summary, case.public_answer) == (
        True,
        "Halt vid skolan.",
        "Vi sandade.",
    )
    assert done(act(case, "avpublicera"), "The case is no longer published.")
    case.refresh_from_db()
    assert case.is_published is False


def test_only_closed_praise_becomes_a_good_example(act, case):
    response = act(case, "gott-exempel", summary="Bra bemötande.")
    assert refused(response, "gott-exempel", "summary")
    case.refresh_from_db()
    assert case.is_good_example is False


def test_a_waiting_case_shows_resume_instead_of_start(client, case, handler):
    case_wait(case=case, reason="Foto", by=handler)
    client.force_login(handler)
    with translation.override("en"):
        url = reverse("cases:case", args=[case.pk])
    content = client.get(url).content.decode()
    assert 'id="paborja-title">Resume<' in content
    assert 'id="vanta"' not in content


@pytest.mark.django_db(transaction=True)
def test_a_reply_is_emailed_to_the_citizen_and_shown_on_their_page(act, case, smtp):
    response = act(case, "svara", text="Vi sandar trottoaren i eftermiddag.")
    assert done(response, "The reply is saved and shown to the citizen.")
    reply = case.events.get(type=CaseEvent.Type.REPLY)
    assert reply.is_public
    case.refresh_from_db()
    assert case.first_reply_at is not None
    assert case.status == Status.IN_PROGRESS
    run_worker()
    replies = [m for m in smtp.messages if "Vi sandar trottoaren" in text_of(m)]
    assert len(replies) == 1
    assert replies[0]["to"] == [CITIZEN_EMAIL]


@pytest.mark.django_db(transaction=True)
def test_an_internal_note_is_never_emailed(act, case, smtp):
    response = act(case, "anteckning", text="Ring entreprenören först.")
    assert done(response, "The internal note is saved.")
    note = case.events.get(type=CaseEvent.Type.NOTE)
    assert note.is_public is False
    run_worker()
    assert len(smtp.messages) == 1  # only the receipt sent when the case came in
    assert all("Ring entreprenören" not in text_of(message) for message in smtp.messages)


@pytest.mark.django_db(transaction=True)
def test_a_good_example_is_forwarded_to_the_units_contact_address(act, tree, smtp, handler):
    Unit.objects.filter(pk=tree.gata.pk).update(contact_email="gata@example.org")
    praise = make_case(unit=tree.gata, kind="praise", text="Tack Hedda, Maja Nilsson här!")
    case_close(case=praise, outcome=Outcome.ANSWERED, by=handler)
    response = act(
        praise, "gott-exempel", summary="En invånare tackar för snabb snöröjning.", forward="on"
    )
    assert done(response, "The case is saved as a good example.")
    praise.refresh_from_db()
    assert praise.is_good_example
    run_worker()
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["to"] == ["gata@example.org"]
    assert "En invånare tackar för snabb snöröjning." in text_of(message)
    assert "Maja Nilsson" not in message["data"]


@pytest.mark.django_db(transaction=True)
def test_a_good_example_is_not_forwarded_unless_asked(act, tree, smtp, handler):
    Unit.objects.filter(pk=tree.gata.pk).update(contact_email="gata@example.org")
    praise = make_case(unit=tree.gata, kind="praise")
    case_close(case=praise, outcome=Outcome.ANSWERED, by=handler)
    act(praise, "gott-exempel", summary="Snabb hjälp.")
    praise.refresh_from_db()
    assert praise.is_good_example
    run_worker()
    assert smtp.messages == []


def test_a_quality_coordinator_routes_a_case_from_the_triage_queue(client, tree):
    unrouted = make_case(unit=None)
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun))
    response = client.post(
        reverse("cases:case-action", args=[unrouted.pk, "flytta"]),
        {"flytta-unit": tree.gata.pk, "flytta-reason": "Gäller gatubelysning."},
    )
    assert response.status_code == 302
    unrouted.refresh_from_db()
    assert unrouted.unit == tree.gata
    assert unrouted.events.filter(type=CaseEvent.Type.MOVED).count() == 1
