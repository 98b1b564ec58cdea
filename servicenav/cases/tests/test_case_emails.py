"""The citizen who left an e-mail address hears from us: a receipt with the reference, the
follow-up code and a link to the case page, and every reply. Nobody else ever gets their
name, address or phone number. Mail goes through the outbox, the worker and a real SMTP
server on 127.0.0.1."""

from __future__ import annotations

import email
import re
from email import policy
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from servicenav.cases.models import Case, Kind, Outcome
from servicenav.cases.services import (
    case_close,
    case_mark_good_example,
    case_note,
    case_reply,
    case_submit,
    citizen_link,
    citizen_link_matches,
)
from servicenav.core.models import OutgoingEmail
from servicenav.organisation.models import Role, Unit
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db(transaction=True)

CITIZEN = {
    "reporter_name": "Astrid Lindqvist",
    "reporter_email": "astrid.lindqvist@example.org",
    "reporter_phone": "070-987 65 43",
}
CITIZEN_TEXT = "Tack till personalen på Örnäsets bibliotek, ni hjälpte min son Ville så fint!"


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def text_of(message: dict) -> str:
    """The plain-text body of a received message, decoded."""
    parsed = email.message_from_bytes(message["data"].encode(), policy=policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None
    return f"Subject: {parsed['Subject']}\n{body.get_content()}"


def token_in(body: str) -> str:
    """The signed token of the case-page link in a message (it carries a timestamp, so it
    is checked, not compared)."""
    link = re.search(r"https?://\S+\?l=(\S+)", body)
    assert link is not None
    return link.group(1)


def submit(unit: Unit | None, *, kind: str = Kind.COMPLAINT, **fields) -> tuple[Case, str]:
    return case_submit(kind=kind, unit=unit, text=CITIZEN_TEXT, wants_answer=True, **fields)


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata)


def test_a_web_submission_with_an_address_gets_a_receipt_with_code_and_a_working_link(
    tree, smtp, client
):
    case, code = submit(tree.gata, **CITIZEN)
    run_worker()
    assert [message["to"] for message in smtp.messages] == [[CITIZEN["reporter_email"]]]
    body = text_of(smtp.messages[0])
    assert case.reference in body
    assert code in body
    link = re.search(r"https?://\S+\?l=\S+", body)
    assert link is not None
    url = urlsplit(link.group())
    assert link.group().startswith(
        f"{settings.SERVICENAV_SITE_URL}/synpunkter/{case.reference}/?l="
    )
    assert citizen_link_matches(case, token_in(body))
    response = client.get(f"{url.path}?{url.query}", follow=True)
    assert response.status_code == 200
    assert case.reference in response.content.decode()


def test_a_tampered_or_another_cases_link_does_not_match(tree, smtp):
    case, _code = submit(tree.gata, **CITIZEN)
    other, _other_code = submit(tree.gata)
    token = parse_qs(urlsplit(citizen_link(case)).query)["l"][0]
    assert citizen_link_matches(case, token)
    assert not citizen_link_matches(other, token)
    assert not citizen_link_matches(case, token[:-2] + "xx")


def test_a_citizen_writing_in_english_gets_english_mail_with_an_english_link(tree, smtp):
    case, _code = submit(tree.gata, language="en", **CITIZEN)
    run_worker()
    body = text_of(smtp.messages[0])
    assert "We have received your feedback" in body
    assert f"/en/synpunkter/{case.reference}/?l=" in body


@pytest.mark.parametrize(
    "contact",
    [
        pytest.param({}, id="anonymous"),
        pytest.param({"reporter_name": "Bo Ek", "reporter_phone": "0920-45 30 00"}, id="phone"),
    ],
)
def test_no_receipt_is_sent_without_an_address(tree, smtp, contact):
    _case, code = submit(tree.gata, **contact)
    run_worker()
    assert code
    assert not OutgoingEmail.objects.exists()
    assert smtp.messages == []


def test_a_reply_is_mailed_to_the_citizen_but_an_internal_note_is_not(tree, smtp, handler):
    case, _code = submit(tree.gata, **CITIZEN)
    run_worker()
    case_note(case=case, text="Intern: ring entreprenören Snö AB.", by=handler)
    case_reply(case=case, text="Vi plogar Storgatan i morgon bitti.", by=handler)
    run_worker()
    assert len(smtp.messages) == 2
    reply = text_of(smtp.messages[1])
    assert smtp.messages[1]["to"] == [CITIZEN["reporter_email"]]
    assert "Vi plogar Storgatan i morgon bitti." in reply
    assert case.reference in reply
    assert citizen_link_matches(case, token_in(reply))
    assert "Snö AB" not in reply


def test_mail_to_the_praised_unit_carries_no_personal_data_of_the_citizen(tree, smtp, handler):
    Unit.objects.filter(pk=tree.gata.pk).update(contact_email="gata@lulea.example")
    tree.gata.refresh_from_db()
    case, _code = submit(tree.gata, kind=Kind.PRAISE, **CITIZEN)
    case_reply(case=case, text="Tack för dina fina ord!", by=handler)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    summary = "En förälder tackar biblioteket för ett varmt bemötande."
    case_mark_good_example(case=case, summary=summary, by=handler, forward=True)
    run_worker()
    to_others = [m for m in smtp.messages if m["to"] != [CITIZEN["reporter_email"]]]
    assert [message["to"] for message in to_others] == [["gata@lulea.example"]]
    forwarded = text_of(to_others[0])
    assert summary in forwarded
    for personal in [*CITIZEN.values(), "Astrid", "Lindqvist", "987 65 43", "Ville", CITIZEN_TEXT]:
        assert personal not in to_others[0]["data"]
        assert personal not in forwarded


def test_a_good_example_is_not_forwarded_unless_asked_or_without_a_unit_address(
    tree, smtp, handler
):
    case, _code = submit(tree.gata, kind=Kind.PRAISE)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    case_mark_good_example(case=case, summary="Bra jobbat.", by=handler, forward=True)
    run_worker()
    assert smtp.messages == []


def test_an_anonymised_case_gets_no_more_mail(tree, smtp, handler):
    case, _code = submit(tree.gata, **CITIZEN)
    run_worker()
    Case.objects.filter(pk=case.pk).update(anonymised_at=timezone.now())
    case.refresh_from_db()
    case_reply(case=case, text="Ett sent svar.", by=handler)
    run_worker()
    assert len(smtp.messages) == 1  # the receipt, before anonymisation
    assert OutgoingEmail.objects.count() == 1
