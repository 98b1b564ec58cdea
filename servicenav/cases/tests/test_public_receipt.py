"""After sending feedback the citizen sees a receipt with the reference and the follow-up
code; with an e-mail address, the same receipt arrives by e-mail with a link that opens
the case page. Anonymous senders get no e-mail."""

from __future__ import annotations

import email
import email.policy
import re
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from servicenav.cases.models import Case
from servicenav.core.models import OutgoingEmail

SUBMIT = reverse("cases:submit")
RECEIPT = reverse("cases:receipt")
FOLLOW = reverse("cases:follow")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def feedback(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "suggestion",
        "unit": "",
        "text": "Fler bänkar längs älvpromenaden, tack.",
        "contact": "anonymous",
        "submission_token": str(uuid.uuid4()),
    }
    return data | changes


def case_path(case: Case) -> str:
    """The case page's Swedish address, whatever language the last request left active."""
    with override("sv"):
        return reverse("cases:public-case", args=[case.reference])


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def plain_text(message: dict[str, object]) -> str:
    parsed = email.message_from_string(str(message["data"]), policy=email.policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def code_on(page: str) -> str:
    match = re.search(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b", page)
    assert match, "no follow-up code on the page"
    return match.group(0)


@pytest.mark.django_db
def test_the_receipt_shows_the_reference_the_code_and_the_way_to_the_case_page(client, tree):
    client.post(SUBMIT, feedback(unit=tree.gata.pk))
    case = Case.objects.get()
    page = client.get("/en" + RECEIPT).content.decode()
    assert case.reference in page
    assert case.follow_up_code_matches(code_on(page))
    assert f'href="/en{case_path(case)}"' in page
    assert "Gata (en)" in page
    assert f"{case.acknowledge_by.day} " in page
    assert str(case.answer_by.year) in page
    assert "You chose to stay anonymous" in page


@pytest.mark.django_db
def test_the_code_on_the_receipt_opens_the_case_page_in_another_browser(client, tree):
    client.post(SUBMIT, feedback())
    case = Case.objects.get()
    code = code_on(client.get(RECEIPT).content.decode())
    other = Client()
    page = other.get(case_path(case), {"kod": code}, follow=True)
    assert page.status_code == 200
    assert case.text in page.content.decode()


@pytest.mark.django_db
def test_without_a_receipt_in_the_session_the_page_points_to_following_a_case(client, tree):
    response = client.get("/en" + RECEIPT)
    assert response.status_code == 200
    assert f'href="/en{FOLLOW}"' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_email_receipt_with_a_working_link_arrives_when_an_address_was_given(smtp, tree):
    browser = Client()
    browser.post(SUBMIT, feedback(contact="answer", email="kim@example.org"))
    case = Case.objects.get()
    run_worker()

    assert len(smtp.messages) == 1
    assert smtp.messages[0]["to"] == ["kim@example.org"]
    text = plain_text(smtp.messages[0])
    assert case.reference in text
    assert case.follow_up_code_matches(code_on(text))
    link = re.search(re.escape(settings.SERVICENAV_SITE_URL) + r"(\S+)", text)
    assert link

    reader = Client()  # the e-mail is opened on another device
    first = reader.get(link.group(1))
    assert first.status_code == 302
    assert first["Location"] == case_path(case)
    page = reader.get(first["Location"])
    assert page.status_code == 200
    assert case.text in page.content.decode()
    assert "We have also sent a receipt" in browser.get("/en" + RECEIPT).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_email_receipt_is_in_the_language_of_the_form(smtp, tree):
    Client().post("/en" + SUBMIT, feedback(contact="answer", email="kim@example.org"))
    run_worker()
    assert "Thank you for your feedback" in plain_text(smtp.messages[0])
    assert "/en/synpunkter/" in plain_text(smtp.messages[0])


@pytest.mark.django_db(transaction=True)
def test_no_email_is_sent_to_an_anonymous_sender_even_with_an_address_typed_in(smtp, tree):
    Client().post(SUBMIT, feedback(contact="anonymous", email="kim@example.org"))
    run_worker()
    assert Case.objects.count() == 1
    assert not OutgoingEmail.objects.exists()
    assert smtp.messages == []


@pytest.mark.django_db(transaction=True)
def test_no_email_is_sent_when_only_a_phone_number_was_given(smtp, tree):
    Client().post(SUBMIT, feedback(contact="answer", phone="0920-45 30 00"))
    run_worker()
    assert smtp.messages == []


@pytest.mark.django_db
def test_no_page_after_sending_shows_the_senders_contact_details(client, tree):
    details = {"name": "Kim Berg", "email": "kim.berg@example.org", "phone": "070-987 65 43"}
    client.post(SUBMIT, feedback(contact="answer", **details))
    case = Case.objects.get()
    assert case.reporter_email == details["email"]
    pages = [RECEIPT, case_path(case), FOLLOW, SUBMIT]
    for address in pages + ["/en" + page for page in pages]:
        content = client.get(address).content.decode()
        for value in details.values():
            assert value not in content, (address, value)


@pytest.mark.django_db
def test_the_receipt_with_its_code_is_never_cached(client, tree):
    client.post(SUBMIT, feedback())
    response = client.get(RECEIPT)
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get(case_path(Case.objects.get()))["Cache-Control"]
