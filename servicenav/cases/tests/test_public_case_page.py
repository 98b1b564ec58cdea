"""The citizen's case page: opened with the follow-up code or the e-mail link, it shows the
case's status, deadlines, public replies and outcome, and lets the citizen answer and
reopen. It never shows internal notes or the reporter's contact details."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from servicenav.cases.models import Case, CaseEvent, Outcome, Status
from servicenav.cases.services import (
    case_close,
    case_note,
    case_reply,
    case_submit,
    case_wait,
    citizen_link,
)
from servicenav.organisation.models import Role
from servicenav.testing import make_user

NAME, EMAIL, PHONE = "Kim Berg", "kim.berg@example.org", "070-987 65 43"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def path(case: Case, name: str = "cases:public-case") -> str:
    with override("sv"):
        return reverse(name, args=[case.reference])


def submitted(unit=None, **fields) -> tuple[Case, str]:
    details = {"reporter_name": NAME, "reporter_email": EMAIL, "reporter_phone": PHONE}
    return case_submit(
        kind="complaint",
        text="Snövallen blockerar övergångsstället.",
        unit=unit,
        wants_answer=True,
        **(details | fields),
    )


def opened(client: Client, case: Case, code: str) -> str:
    """Open the case page with its code, as from the receipt, and return the page."""
    response = client.get(path(case), {"kod": code})
    assert response.status_code == 302
    assert response["Location"] == path(case)
    page = client.get(path(case))
    assert page.status_code == 200
    return page.content.decode()


def handler(tree, **fields):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata, **fields)


@pytest.mark.django_db
def test_the_code_opens_the_case_page_and_leaves_the_address_clean(client, tree):
    case, code = submitted(unit=tree.gata)
    page = opened(client, case, code)
    assert case.reference in page
    assert "Snövallen blockerar övergångsstället." in page
    assert code not in page


@pytest.mark.django_db
def test_the_page_shows_kind_unit_status_dates_and_whether_an_answer_was_wanted(client, tree):
    case, code = submitted(unit=tree.gata)
    client.get("/en" + path(case), {"kod": code})
    page = client.get("/en" + path(case)).content.decode()
    assert "Complaint" in page
    assert "Gata (en)" in page
    assert "New" in page
    assert "Yes, you asked for an answer." in page
    assert case.answer_by.strftime("%Y") in page


@pytest.mark.django_db
def test_a_case_without_a_unit_is_shown_as_not_yet_routed(client, tree):
    case, code = submitted()
    client.get("/en" + path(case), {"kod": code})
    assert "Not yet sent to a service" in client.get("/en" + path(case)).content.decode()


@pytest.mark.django_db
def test_the_signed_link_from_the_email_opens_the_case_page(client, tree):
    case, _code = submitted(unit=tree.gata)
    token = citizen_link(case).split("?l=")[1]
    response = client.get(path(case), {"l": token})
    assert response["Location"] == path(case)
    assert client.get(path(case)).status_code == 200


@pytest.mark.django_db
def test_a_visitor_without_the_code_is_sent_to_the_follow_page(client, tree):
    case, _code = submitted(unit=tree.gata)
    response = client.get(path(case))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('cases:follow')}?referens={case.reference}"


@pytest.mark.django_db
def test_a_wrong_code_gives_a_generic_error_and_shows_nothing_of_the_case(client, tree):
    case, _code = submitted(unit=tree.gata)
    response = client.get("/en" + path(case), {"kod": "AAAA-BBBB-CCCC"})
    content = response.content.decode()
    assert response.status_code == 404
    assert "We could not find a case with that reference and follow-up code" in content
    assert "Snövallen" not in content
    assert client.get(path(case)).status_code == 302  # no grant


@pytest.mark.django_db
def test_a_wrong_code_and_an_unknown_reference_look_the_same(client, tree):
    case, _code = submitted(unit=tree.gata)
    wrong = client.get("/en" + path(case), {"kod": "AAAA-BBBB-CCCC"})
    unknown = client.get("/en/synpunkter/S-1999-00042/", {"kod": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == unknown.status_code
    strip = [case.reference, "S-1999-00042"]
    texts = [
        r.content.decode().replace(strip[0], "X").replace(strip[1], "X") for r in (wrong, unknown)
    ]
    assert texts[0].split("csrfmiddlewaretoken")[0] == texts[1].split("csrfmiddlewaretoken")[0]


@pytest.mark.django_db
def test_another_cases_code_does_not_open_this_case(client, tree):
    case, _code = submitted(unit=tree.gata)
    _other, other_code = submitted(unit=tree.hemtjanst)
    response = client.get(path(case), {"kod": other_code})
    assert response.status_code == 404
    assert client.get(path(case)).status_code == 302


@pytest.mark.django_db
def test_a_link_signed_for_another_case_does_not_open_this_case(client, tree):
    case, _code = submitted(unit=tree.gata)
    other, _other_code = submitted(unit=tree.hemtjanst)
    token = citizen_link(other).split("?l=")[1]
    assert client.get(path(case), {"l": token}).status_code == 404


@pytest.mark.django_db
def test_internal_notes_never_appear_on_the_case_page(client, tree):
    case, code = submitted(unit=tree.gata)
    case_note(case=case, text="Internt: samma person har hört av sig förut.", by=handler(tree))
    page = opened(client, case, code)
    assert "Internt" not in page
    assert "samma person" not in page


@pytest.mark.django_db
def test_the_page_never_shows_the_reporters_name_email_or_phone(client, tree):
    case, code = submitted(unit=tree.gata)
    case_reply(case=case, text="Vi plogar i morgon.", by=handler(tree, first_name="Hedda"))
    for page in (opened(client, case, code), client.get("/en" + path(case)).content.decode()):
        assert NAME not in page
        assert EMAIL not in page
        assert PHONE not in page


@pytest.mark.django_db
def test_a_staff_reply_is_signed_with_the_handlers_first_name_only(client, tree):
    case, code = submitted(unit=tree.gata)
    by = handler(tree, first_name="Hedda", last_name="Lind")
    case_reply(case=case, text="Vi plogar övergångsstället i morgon bitti.", by=by)
    client.get("/en" + path(case), {"kod": code})
    page = client.get("/en" + path(case)).content.decode()
    assert "Reply from Hedda" in page
    assert "Lind" not in page
    assert by.username not in page
    assert "Vi plogar övergångsstället i morgon bitti." in page


@pytest.mark.django_db
def test_a_reply_from_a_handler_without_a_first_name_is_signed_case_handler(client, tree):
    case, code = submitted(unit=tree.gata)
    case_reply(case=case, text="Tack, vi tittar på det.", by=handler(tree))
    client.get("/en" + path(case), {"kod": code})
    assert "Reply from Case handler" in client.get("/en" + path(case)).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_staff_reply_appears_on_the_page_and_arrives_by_email(smtp, tree):
    case, code = submitted(unit=tree.gata)
    case_reply(case=case, text="Vi har plogat nu.", by=handler(tree, first_name="Hedda"))
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert [message["to"] for message in smtp.messages] == [[EMAIL], [EMAIL]]
    parsed = email.message_from_string(smtp.messages[1]["data"], policy=email.policy.default)
    assert "Vi har plogat nu." in parsed.get_body(preferencelist=("plain",)).get_content()
    assert "Vi har plogat nu." in opened(Client(), case, code)


@pytest.mark.django_db
def test_a_closed_case_shows_its_outcome_and_the_reason_for_no_action(client, tree):
    case, code = submitted(unit=tree.gata)
    case_close(case=case, outcome=Outcome.NO_ACTION, note="Gatan sköts av Trafikverket.", by=None)
    client.get("/en" + path(case), {"kod": code})
    page = client.get("/en" + path(case)).content.decode()
    assert "Closed: no action" in page
    assert "Gatan sköts av Trafikverket." in page


@pytest.mark.django_db
def test_the_note_of_an_actioned_case_is_not_shown(client, tree):
    case, code = submitted(unit=tree.gata)
    by = handler(tree)
    case_close(case=case, outcome=Outcome.ACTIONED, note="Fakturerat entreprenören.", by=by)
    page = opened(client, case, code)
    assert "Fakturerat" not in page


@pytest.mark.django_db
def test_the_citizens_answer_resumes_a_case_waiting_for_them(client, tree):
    case, code = submitted(unit=tree.gata)
    case_wait(case=case, by=handler(tree), reason="Vi behöver veta vilken korsning.")
    opened(client, case, code)
    response = client.post(path(case, "cases:public-message"), {"text": "Korsningen vid skolan."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    message = case.events.get(type=CaseEvent.Type.CITIZEN_MESSAGE)
    assert message.text == "Korsningen vid skolan."
    assert message.is_public
    assert "Korsningen vid skolan." in client.get(path(case)).content.decode()


@pytest.mark.django_db
def test_an_empty_answer_is_refused_with_a_message(client, tree):
    case, code = submitted(unit=tree.gata)
    opened(client, case, code)
    response = client.post("/en" + path(case, "cases:public-message"), {"text": "  "})
    assert response.status_code == 200
    assert "Write your message." in response.content.decode()
    assert not case.events.filter(type=CaseEvent.Type.CITIZEN_MESSAGE).exists()


@pytest.mark.django_db
def test_an_answer_to_a_closed_case_is_refused_with_a_message(client, tree):
    case, code = submitted(unit=tree.gata)
    opened(client, case, code)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler(tree))
    response = client.post("/en" + path(case, "cases:public-message"), {"text": "En sak till."})
    assert response.status_code == 200
    assert "The case is closed" in response.content.decode()
    assert not case.events.filter(type=CaseEvent.Type.CITIZEN_MESSAGE).exists()


@pytest.mark.django_db
def test_an_answer_without_access_to_the_case_is_not_stored(client, tree):
    case, _code = submitted(unit=tree.gata)
    response = client.post(path(case, "cases:public-message"), {"text": "Hej."})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:follow"))
    assert not case.events.filter(type=CaseEvent.Type.CITIZEN_MESSAGE).exists()


@pytest.mark.django_db
def test_the_answer_and_reopen_addresses_take_only_posts(client, tree):
    case, code = submitted(unit=tree.gata)
    opened(client, case, code)
    assert client.get(path(case, "cases:public-message")).status_code == 405
    assert client.get(path(case, "cases:public-reopen")).status_code == 405


@pytest.mark.django_db
def test_a_closed_case_can_be_reopened_by_the_citizen_within_the_window(client, tree):
    case, code = submitted(unit=tree.gata)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler(tree))
    page = opened(client, case, code)
    assert path(case, "cases:public-reopen") in page
    response = client.post(
        path(case, "cases:public-reopen"), {"reason": "Det är fortfarande halt."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.outcome == ""
    reopened = case.events.get(type=CaseEvent.Type.REOPENED)
    assert reopened.actor is None
    assert reopened.text == "Det är fortfarande halt."


@pytest.mark.django_db
def test_reopening_needs_a_reason(client, tree):
    case, code = submitted(unit=tree.gata)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler(tree))
    opened(client, case, code)
    response = client.post("/en" + path(case, "cases:public-reopen"), {"reason": ""})
    assert "Say why you want the case opened again." in response.content.decode()
    case.refresh_from_db()
    assert case.is_closed


@pytest.mark.django_db
def test_reopening_after_the_window_is_refused(client, tree, settings):
    case, code = submitted(unit=tree.gata)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler(tree))
    long_ago = timezone.now() - timedelta(days=settings.SERVICENAV_REOPEN_DAYS + 2)
    Case.objects.filter(pk=case.pk).update(closed_at=long_ago)
    page = opened(client, case, code)
    assert path(case, "cases:public-reopen") not in page
    response = client.post("/en" + path(case, "cases:public-reopen"), {"reason": "Hallå?"})
    assert response.status_code == 200
    assert "can no longer be reopened" in response.content.decode()
    case.refresh_from_db()
    assert case.is_closed


@pytest.mark.django_db
def test_an_open_case_cannot_be_reopened(client, tree):
    case, code = submitted(unit=tree.gata)
    opened(client, case, code)
    response = client.post("/en" + path(case, "cases:public-reopen"), {"reason": "Varför?"})
    assert response.status_code == 200
    assert not case.events.filter(type=CaseEvent.Type.REOPENED).exists()
