"""An integrator files a request with POST requests.{xml,json}: it becomes a case through
the same `case_submit` as the web form, answers at once with the case's reference, and a
token (its own or ours) finds the request again."""

from __future__ import annotations

import email
import re
import uuid
from decimal import Decimal
from email import policy

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils.translation import gettext

from servicenav.api.models import ApiKey
from servicenav.api.open311.testing import (
    JSON_CONTENT_TYPE,
    XML_CONTENT_TYPE,
    listed,
    make_integrator_key,
    make_question,
    make_service,
    parse_json,
)
from servicenav.api.services import api_key_create, api_key_revoke
from servicenav.cases.models import Case, CaseEvent, CategoryAttribute, Channel, Kind, Status
from servicenav.declarations.tests.factories import ANSWER_PROMISE, published_declaration
from servicenav.testing import make_case, make_user

Datatype = CategoryAttribute.Datatype
BASE = "/open311/v2"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def potholes(tree):
    service = make_service(unit=tree.gata, name="Gropar i gatan", needs_location=True)
    make_question(
        service,
        code="size",
        datatype=Datatype.SINGLEVALUELIST,
        required=True,
        choices=[("small", "Liten"), ("large", "Stor")],
        question="Hur stor är gropen?",
    )
    make_question(
        service,
        code="hazards",
        datatype=Datatype.MULTIVALUELIST,
        choices=[("bike", "Cykelbana"), ("bus", "Busshållplats"), ("school", "Skolväg")],
    )
    make_question(service, code="depth", datatype=Datatype.NUMBER)
    make_question(service, code="seen", datatype=Datatype.DATETIME)
    return service


@pytest.fixture
def opening_hours(tree):
    """A service with no place: feedback on the library's opening hours."""
    return make_service(unit=tree.vatten, name="Öppettider", needs_location=False)


@pytest.fixture
def key():
    return make_integrator_key()


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def created(response, fmt="json"):
    return listed(response, fmt, "service_requests", "request")


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_request_for_a_place_becomes_a_case_of_the_services_unit(
    client, tree, potholes, key, fmt
):
    api_key, raw = key
    response = post(
        client,
        fmt,
        api_key=raw,
        service_code=str(potholes.pk),
        lat="65.5848191234",
        long="22.1567029",
        description="Djup grop mitt i cykelbanan.",
        **{"attribute[size]": "large", "attribute[hazards][]": ["bike", "school"]},
    )

    assert response.status_code == 201
    assert response["Content-Type"] == (XML_CONTENT_TYPE if fmt == "xml" else JSON_CONTENT_TYPE)
    case = Case.objects.get()
    [answer] = created(response, fmt)
    assert answer["service_request_id"] == case.reference
    assert "token" not in answer  # an id or a token, never both
    assert str(case.answer_days) in answer["service_notice"]
    assert case.answer_by.isoformat() in answer["service_notice"]
    assert answer["account_id"] in ("", None)
    assert case.channel == Channel.API
    assert case.api_key == api_key
    assert case.unit == tree.gata
    assert case.category == potholes
    assert case.kind == Kind.COMPLAINT
    assert case.status == Status.NEW
    assert case.text == "Djup grop mitt i cykelbanan."
    assert case.attributes == {"size": "large", "hazards": ["bike", "school"]}
    assert (case.latitude, case.longitude) == (Decimal("65.584819"), Decimal("22.156703"))
    assert case.submission_token is not None
    assert case.events.get().type == CaseEvent.Type.CREATED


def test_the_answers_are_checked_by_datatype_and_stored_in_a_standard_form(client, potholes, key):
    response = post(
        client,
        api_key=key[1],
        service_code=str(potholes.pk),
        address_string="Storgatan 12, Luleå",
        **{
            "attribute[size]": "small",
            "attribute[hazards]": "bus",
            "attribute[depth]": "12.5",
            "attribute[seen]": "2026-11-20T08:15:00Z",
        },
    )

    assert response.status_code == 201
    case = Case.objects.get()
    assert case.place == "Storgatan 12, Luleå"
    assert case.attributes == {
        "size": "small",
        "hazards": ["bus"],
        "depth": "12.5",
        "seen": "2026-11-20T09:15:00+01:00",
    }


def test_a_place_based_request_without_a_description_gets_a_text_from_its_answers(
    client, potholes, key
):
    post(
        client,
        api_key=key[1],
        service_code=str(potholes.pk),
        address_id="LM-4711",
        **{
            "attribute[size]": "large",
            "attribute[hazards][]": ["bike", "bus"],
        },
    )

    case = Case.objects.get()
    assert case.text.startswith(gettext("Sent through Open311 without a description."))
    assert "Hur stor är gropen?: Stor" in case.text
    assert "Cykelbana, Busshållplats" in case.text
    assert case.place == gettext("Address id: %(id)s") % {"id": "LM-4711"}


def test_a_service_without_a_place_takes_requests_without_a_location(client, opening_hours, key):
    response = post(
        client,
        "xml",
        api_key=key[1],
        service_code=str(opening_hours.pk),
        description="Biblioteket borde ha öppet längre på lördagar.",
        kind="förslag",
    )

    assert response.status_code == 201
    case = Case.objects.get()
    assert case.kind == Kind.SUGGESTION
    assert case.place == ""
    assert case.latitude is None


@pytest.mark.parametrize(
    ("given", "kind"),
    [
        ("klagomål", Kind.COMPLAINT),
        ("Förslag", Kind.SUGGESTION),
        ("beröm", Kind.PRAISE),
        ("fraga", Kind.QUESTION),
        ("praise", Kind.PRAISE),
        ("QUESTION", Kind.QUESTION),
        ("", Kind.COMPLAINT),
    ],
)
def test_the_kind_extension_takes_swedish_and_english_names(
    client, opening_hours, key, given, kind
):
    post(client, api_key=key[1], service_code=str(opening_hours.pk), description="Hej.", kind=given)

    assert Case.objects.get().kind == kind


def test_contact_details_mean_the_citizen_wants_an_answer_as_on_the_web_form(
    client, opening_hours, key
):
    post(
        client,
        api_key=key[1],
        service_code=str(opening_hours.pk),
        description="Varför stänger ni klockan 16?",
        first_name="Astrid",
        last_name="Lindqvist",
        phone="070-987 65 43",
    )

    case = Case.objects.get()
    assert case.reporter_name == "Astrid Lindqvist"
    assert case.reporter_phone == "070-987 65 43"
    assert case.reporter_email == ""
    assert case.wants_answer


def test_a_request_without_contact_details_is_anonymous(client, opening_hours, key):
    post(client, api_key=key[1], service_code=str(opening_hours.pk), description="Bra service!")

    case = Case.objects.get()
    assert case.is_anonymous
    assert not case.wants_answer


def test_the_locale_extension_sets_the_language_of_the_case_and_the_answer(
    client, opening_hours, key
):
    response = post(
        client,
        api_key=key[1],
        service_code=str(opening_hours.pk),
        description="Great library.",
        locale="en-GB",
    )

    assert Case.objects.get().language == "en"
    assert "working days" in created(response)[0]["service_notice"]


def test_a_media_url_is_kept_as_a_line_of_the_text_and_never_fetched(client, opening_hours, key):
    # 192.0.2.0/24 is reserved for documentation: fetching it would hang, not succeed.
    url = "http://192.0.2.1/bild.jpg"
    response = post(
        client,
        api_key=key[1],
        service_code=str(opening_hours.pk),
        description="Se bilden.",
        media_url=url,
    )

    assert response.status_code == 201
    media_line = gettext("Picture or other media (not fetched): %(url)s") % {"url": url}
    assert Case.objects.get().text == f"Se bilden.\n\n{media_line}"


def test_a_post_notes_when_the_key_was_last_used(client, opening_hours, key):
    api_key, raw = key
    assert api_key.last_used_at is None

    post(client, api_key=raw, service_code=str(opening_hours.pk), description="Hej.")

    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_then_get_by_id_finds_the_request(client, opening_hours, key, fmt):
    response = post(
        client, fmt, api_key=key[1], service_code=str(opening_hours.pk), description="Hej."
    )
    [answer] = created(response, fmt)

    found = client.get(f"{BASE}/requests/{answer['service_request_id']}.{fmt}")

    assert found.status_code == 200
    [request] = listed(found, fmt, "service_requests", "request")
    assert request["service_request_id"] == answer["service_request_id"]
    assert request["service_code"] == str(opening_hours.pk)
    assert request["status"] == "open"
    assert request["agency_responsible"] == "Vatten"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_with_a_token_then_the_token_gives_the_id_and_the_id_the_request(
    client, opening_hours, key, fmt
):
    token = str(uuid.uuid4())
    response = post(
        client,
        fmt,
        api_key=key[1],
        service_code=str(opening_hours.pk),
        description="Hej.",
        token=token,
    )
    [answer] = created(response, fmt)

    by_token = client.get(f"{BASE}/tokens/{token}.{fmt}")

    assert by_token.status_code == 200
    [mapping] = listed(by_token, fmt, "service_requests", "request")
    assert mapping == {"service_request_id": answer["service_request_id"], "token": token}
    by_id = client.get(f"{BASE}/requests/{mapping['service_request_id']}.{fmt}")
    assert (
        listed(by_id, fmt, "service_requests", "request")[0]["service_request_id"]
        == (answer["service_request_id"])
    )


def test_every_post_gets_a_token_that_finds_its_request(client, opening_hours, key):
    response = post(client, api_key=key[1], service_code=str(opening_hours.pk), description="Hej.")
    case = Case.objects.get()

    by_token = client.get(f"{BASE}/tokens/{case.submission_token}.json")

    assert (
        parse_json(by_token)[0]["service_request_id"]
        == (created(response)[0]["service_request_id"])
    )


def test_a_repeated_post_with_the_same_token_returns_the_first_request(client, opening_hours, key):
    token = str(uuid.uuid4())
    data = {
        "api_key": key[1],
        "service_code": str(opening_hours.pk),
        "description": "Hej.",
        "token": token,
    }
    first = client.post(f"{BASE}/requests.json", data)

    again = client.post(f"{BASE}/requests.json", data)

    assert (first.status_code, again.status_code) == (201, 200)
    assert created(first) == created(again)
    assert Case.objects.count() == 1


def test_another_keys_token_is_refused_and_changes_nothing(client, opening_hours, key):
    token = str(uuid.uuid4())
    post(
        client, api_key=key[1], service_code=str(opening_hours.pk), description="Hej.", token=token
    )
    _other, other_raw = make_integrator_key("Kontaktcenter")

    response = post(
        client,
        api_key=other_raw,
        service_code=str(opening_hours.pk),
        description="Nej.",
        token=token,
    )

    assert response.status_code == 400
    assert "token" in response.content.decode()
    assert Case.objects.get().text == "Hej."


def test_the_token_of_a_web_form_case_finds_nothing(client, tree):
    token = uuid.uuid4()
    make_case(unit=tree.gata, submission_token=token)

    assert client.get(f"{BASE}/tokens/{token}.json").status_code == 404


def test_a_staff_rest_token_cannot_file_open311_requests(client, tree, opening_hours):
    staff = make_user()
    _token, raw = api_key_create(name="Min token", by=staff, user=staff)

    response = post(client, api_key=raw, service_code=str(opening_hours.pk), description="Hej.")

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_a_key_that_used_up_its_hour_gets_429_and_other_keys_go_on(
    client, settings, opening_hours, key
):
    settings.SERVICENAV_OPEN311_POSTS_PER_HOUR = 2
    data = {"service_code": str(opening_hours.pk), "description": "Hej."}
    for _ in range(2):
        assert post(client, api_key=key[1], **data).status_code == 201

    refused = post(client, "xml", api_key=key[1], **data)
    _other, other_raw = make_integrator_key("Kontaktcenter")
    other = post(client, api_key=other_raw, **data)

    assert refused.status_code == 429
    assert b"<errors><error><code>429</code>" in refused.content
    assert other.status_code == 201
    assert Case.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_citizen_who_gave_an_email_gets_the_receipt_with_the_follow_up_code(client, smtp, tree):
    service = make_service(unit=tree.gata, needs_location=False)
    _api_key, raw = make_integrator_key()

    response = post(
        client,
        api_key=raw,
        service_code=str(service.pk),
        description="Snön är inte plogad på Storgatan.",
        email="astrid.lindqvist@example.org",
        first_name="Astrid",
    )
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    case = Case.objects.get()
    assert response.status_code == 201
    assert case.wants_answer
    [message] = smtp.messages
    assert message["to"] == ["astrid.lindqvist@example.org"]
    parsed = email.message_from_string(message["data"], policy=policy.default)
    body = parsed.get_body(preferencelist=("plain",)).get_content()
    assert case.reference in body
    assert re.search(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b", body)  # the follow-up code


@pytest.mark.django_db(transaction=True)
def test_no_email_is_sent_without_an_address(client, smtp, tree):
    service = make_service(unit=tree.gata, needs_location=False)
    _api_key, raw = make_integrator_key()

    post(
        client, api_key=raw, service_code=str(service.pk), description="Hej.", phone="0920-45 30 00"
    )
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    assert Case.objects.get().wants_answer
    assert smtp.messages == []


def test_revoking_a_key_does_not_touch_the_cases_it_filed(client, opening_hours, key):
    api_key, raw = key
    post(client, api_key=raw, service_code=str(opening_hours.pk), description="Hej.")

    api_key_revoke(api_key=api_key, by=None)

    assert Case.objects.get().api_key == ApiKey.objects.get()
    assert (
        post(
            client, api_key=raw, service_code=str(opening_hours.pk), description="Igen."
        ).status_code
        == 403
    )


def test_the_notice_names_the_answer_promise_of_the_declaration_covering_the_service(
    client, tree, opening_hours, key
):
    # The declaration belongs to the administration above the service's unit.
    published_declaration(tree.teknik, promises=[ANSWER_PROMISE])

    response = post(client, api_key=key[1], service_code=str(opening_hours.pk), description="Hej.")

    notice = created(response)[0]["service_notice"]
    assert notice.endswith(ANSWER_PROMISE["text_sv"])
    assert str(Case.objects.get().answer_days) in notice
