"""Anyone, with no key, reads requests (GET requests, requests/{id}) and their public
updates (servicerequestupdates): what the public may know about a case, in exactly the
specification's fields, and never the reporter's name, e-mail, phone, text or answers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicenav.api.open311.dates import w3c
from servicenav.api.open311.testing import (
    JSON_CONTENT_TYPE,
    XML_CONTENT_TYPE,
    listed,
    make_integrator_key,
    make_service,
    parse_xml,
)
from servicenav.cases.models import Channel, Outcome
from servicenav.cases.services import (
    case_close,
    case_note,
    case_publish,
    case_reopen,
    case_reply,
    case_start,
    case_wait,
)
from servicenav.declarations.tests.factories import ANSWER_PROMISE, published_declaration
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
FORMATS = ["xml", "json"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
UPDATE_FIELDS = [
    "update_id",
    "service_request_id",
    "status",
    "updated_datetime",
    "description",
    "media_url",
]
# What the reporter gave and staff wrote for them alone: none of it may appear on a GET.
SECRETS = {
    "reporter_name": "Zebulon Quixotesson",
    "reporter_email": "zebulon.quixotesson@example.org",
    "reporter_phone": "070-111 22 33",
    "text": "XYZZY-ORIGINAL-TEXT min granne på Hemligvägen",
    "place": "Hemligvägen 7",
}
REPLY = "PLUGH-REPLY Hej Zebulon, vi hör av oss."
NOTE = "INTERNAL-NOTE-FROTZ"
ANSWER = "SECRET-ATTRIBUTE-ANSWER"


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.kommun)


@pytest.fixture
def potholes(tree):
    return make_service(unit=tree.gata, name="Gropar i gatan", needs_location=True)


@pytest.fixture
def opening_hours(tree):
    return make_service(unit=tree.vatten, name="Öppettider", needs_location=False)


def requests(client, fmt, query=""):
    response = client.get(f"{BASE}/requests.{fmt}{query}")
    assert response.status_code == 200, response.content
    return listed(response, fmt, "service_requests", "request")


def ids(records):
    return [record["service_request_id"] for record in records]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_has_exactly_the_specifications_fields_in_order(client, potholes, fmt):
    case = make_case(unit=potholes.unit, category=potholes)

    response = client.get(f"{BASE}/requests.{fmt}")

    assert response["Content-Type"] == (XML_CONTENT_TYPE if fmt == "xml" else JSON_CONTENT_TYPE)
    assert response["Access-Control-Allow-Origin"] == "*"
    [record] = listed(response, fmt, "service_requests", "request")
    assert list(record) == REQUEST_FIELDS
    assert record["service_request_id"] == case.reference
    assert record["status"] == "open"
    assert record["service_code"] == str(potholes.pk)
    assert record["service_name"] == "Gropar i gatan"
    assert record["agency_responsible"] == "Gata"
    assert record["description"] == ""
    assert record["requested_datetime"] == w3c(case.received_at)
    assert record["expected_datetime"] == f"{case.answer_by.isoformat()}T23:59:59+01:00"
    assert f"{case.answer_days} " in record["service_notice"]


def test_json_types_are_those_of_the_specification(client, potholes):
    make_case(
        unit=potholes.unit,
        category=potholes,
        latitude=Decimal("65.584819"),
        longitude=Decimal("22.156702"),
    )

    [record] = requests(client, "json")

    assert isinstance(record["service_code"], str)
    assert isinstance(record["service_request_id"], str)
    assert (record["lat"], record["long"]) == (65.585, 22.157)


@pytest.mark.parametrize("fmt", FORMATS)
def test_datetimes_carry_a_time_zone(client, potholes, fmt):
    make_case(unit=potholes.unit, category=potholes)

    [record] = requests(client, fmt)

    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert record[name][-6:] in {"+01:00", "+02:00"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_get_response_ever_holds_the_reporters_details_or_text(
    client, tree, potholes, opening_hours, handler, fmt
):
    _key, raw = make_integrator_key()
    posted = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": raw,
            "service_code": str(opening_hours.pk),
            "description": SECRETS["text"],
            "first_name": "Zebulon",
            "last_name": "Quixotesson",
            "email": SECRETS["reporter_email"],
            "phone": SECRETS["reporter_phone"],
            "address_string": SECRETS["place"],
            "lat": "65.584819",
            "long": "22.156702",
            "token": "6f0d7f2e-8b1a-4c1e-9a57-1d8a2c3b4e5f",
        },
    )
    assert posted.status_code == 201
    placed = make_case(unit=tree.gata, category=potholes, **SECRETS, attributes={"x": ANSWER})
    case_reply(case=placed, text=REPLY, by=handler)
    case_note(case=placed, text=NOTE, by=handler)
    case_close(case=placed, outcome=Outcome.NO_ACTION, note=NOTE, by=handler)
    reference = listed(posted, "json", "", "")[0]["service_request_id"]

    bodies = [
        client.get(f"{BASE}/{path}").content.decode()
        for path in [
            f"requests.{fmt}",
            f"requests.{fmt}?extensions=true",
            f"requests/{reference}.{fmt}?extensions=true",
            f"requests/{placed.reference}.{fmt}",
            f"tokens/6f0d7f2e-8b1a-4c1e-9a57-1d8a2c3b4e5f.{fmt}",
            f"servicerequestupdates.{fmt}",
            f"services.{fmt}",
        ]
    ]

    assert len(bodies) == 7
    for body in bodies:
        for secret in [*SECRETS.values(), "Zebulon", "Quixotesson", REPLY, NOTE, ANSWER]:
            assert secret not in body
    assert placed.reference in bodies[0]
    assert placed.reference in bodies[5]  # its updates are listed, without their texts


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_published_case_shows_its_public_summary_and_never_the_citizens_text(
    client, potholes, handler, fmt
):
    case = make_case(unit=potholes.unit, category=potholes, text=SECRETS["text"])
    case_publish(case=case, summary="En grop på en cykelbana.", answer="Vi lagade den.", by=handler)

    [record] = requests(client, fmt)

    assert record["description"] == "En grop på en cykelbana."


@pytest.mark.parametrize("fmt", FORMATS)
def test_coordinates_are_rounded_and_only_for_services_that_need_a_place(
    client, potholes, opening_hours, fmt
):
    make_case(
        unit=potholes.unit,
        category=potholes,
        latitude=Decimal("65.584819"),
        longitude=Decimal("22.156702"),
        place="Storgatan 12",
    )
    make_case(
        unit=opening_hours.unit,
        category=opening_hours,
        latitude=Decimal("65.111111"),
        longitude=Decimal("22.111111"),
        place="Hemma",
    )

    place_based, other = sorted(
        requests(client, fmt), key=lambda r: r["service_code"] != str(potholes.pk)
    )

    assert str(place_based["lat"]) == "65.585"
    assert str(place_based["long"]) == "22.157"
    assert place_based["address"] == ""  # not published
    assert other["lat"] in ("", None)
    assert other["long"] in ("", None)
    assert other["address"] == ""


def test_the_address_of_a_place_based_case_is_shown_once_published(client, potholes, handler):
    case = make_case(unit=potholes.unit, category=potholes, place="Storgatan 12")
    case_publish(case=case, summary="En grop.", answer="Lagad.", by=handler)

    [record] = requests(client, "json")

    assert record["address"] == "Storgatan 12"


@pytest.mark.parametrize("fmt", FORMATS)
def test_closed_cases_say_closed_with_the_outcome_and_the_close_time(
    client, potholes, handler, fmt
):
    case = make_case(unit=potholes.unit, category=potholes)
    case_close(case=case, outcome=Outcome.ACTIONED, by=handler)
    case.refresh_from_db()

    [record] = requests(client, fmt, "?locale=en")

    assert record["status"] == "closed"
    assert record["status_notes"] == "actioned"
    assert record["updated_datetime"] == w3c(case.closed_at)
    assert record["service_notice"] == ""


def test_the_note_of_a_referral_is_shown_only_once_staff_published_the_case(
    client, potholes, handler
):
    case = make_case(unit=potholes.unit, category=potholes)
    case_close(case=case, outcome=Outcome.REFERRED, note="Trafikverket", by=handler)
    before = requests(client, "json", "?locale=en")[0]["status_notes"]

    case_publish(case=case, summary="Grop i riksväg.", answer="Trafikverkets väg.", by=handler)
    after = requests(client, "json", "?locale=en")[0]["status_notes"]

    assert before == "referred to another authority"
    assert after == "referred to another authority: Trafikverket"


@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions_add_the_detailed_status_outcome_and_kind(client, potholes, handler, fmt):
    waiting = make_case(unit=potholes.unit, category=potholes, kind="question")
    case_wait(case=waiting, by=handler, reason="Vilken gata?")
    closed = make_case(unit=potholes.unit, category=potholes)
    case_close(case=closed, outcome=Outcome.REFERRED, note="Trafikverket", by=handler)
    triage = make_case(unit=None)

    records = {r["service_request_id"]: r for r in requests(client, fmt, "?extensions=true")}

    assert records[waiting.reference]["extended_attributes"] == {
        "detailed_status": "waiting",
        "outcome": "",
        "kind": "question",
        "extended_status": "INVESTIGATING",
    }
    assert records[closed.reference]["extended_attributes"]["outcome"] == "referred"
    assert records[closed.reference]["extended_attributes"]["extended_status"] == (
        "NOT_COUNCILS_RESPONSIBILITY"
    )
    assert records[triage.reference]["extended_attributes"]["extended_status"] == "FOR_TRIAGE"
    assert records[triage.reference]["service_code"] == ""
    assert records[triage.reference]["agency_responsible"] == ""
    assert "extended_attributes" not in requests(client, fmt)[0]


def test_status_filters_open_closed_or_both(client, potholes, handler):
    open_case = make_case(unit=potholes.unit, category=potholes)
    closed = make_case(unit=potholes.unit, category=potholes)
    case_close(case=closed, outcome=Outcome.ANSWERED, by=handler)

    assert ids(requests(client, "json", "?status=open")) == [open_case.reference]
    assert ids(requests(client, "json", "?status=closed")) == [closed.reference]
    assert set(ids(requests(client, "json", "?status=open,closed"))) == {
        open_case.reference,
        closed.reference,
    }


def test_service_code_filters_on_a_comma_list(client, tree, potholes, opening_hours):
    third = make_service(unit=tree.hemtjanst, name="Bemötande")
    a = make_case(unit=potholes.unit, category=potholes)
    b = make_case(unit=opening_hours.unit, category=opening_hours)
    make_case(unit=third.unit, category=third)

    found = ids(requests(client, "json", f"?service_code={potholes.pk},{opening_hours.pk}"))

    assert sorted(found) == sorted([a.reference, b.reference])
    assert requests(client, "json", "?service_code=nej") == []


def test_dates_filter_on_the_time_received_and_default_to_the_last_90_days(client, potholes):
    now = timezone.now()
    recent = make_case(unit=potholes.unit, category=potholes)
    older = make_case(
        unit=potholes.unit,
        category=potholes,
        received_at=now - timedelta(days=100),
        at=now - timedelta(days=100),
    )
    start = quote(w3c(now - timedelta(days=120)))
    end = quote(w3c(now - timedelta(days=60)))

    assert ids(requests(client, "json")) == [recent.reference]
    assert ids(requests(client, "json", f"?start_date={start}&end_date={end}")) == [older.reference]
    assert ids(requests(client, "json", f"?start_date={start}")) == [older.reference]


def test_service_request_id_overrides_every_other_filter(client, potholes, handler):
    now = timezone.now()
    old = make_case(
        unit=potholes.unit,
        category=potholes,
        received_at=now - timedelta(days=200),
        at=now - timedelta(days=200),
    )
    new = make_case(unit=potholes.unit, category=potholes)

    found = ids(
        requests(
            client,
            "json",
            f"?service_request_id={old.reference},{new.reference.lower()},S-1999-00001"
            "&status=closed&service_code=0",
        )
    )

    assert sorted(found) == sorted([old.reference, new.reference])


@pytest.mark.parametrize("fmt", FORMATS)
def test_pages_split_the_list_newest_first(client, potholes, fmt):
    now = timezone.now()
    cases = [
        make_case(
            unit=potholes.unit,
            category=potholes,
            received_at=now - timedelta(hours=hours),
            at=now - timedelta(hours=hours),
        )
        for hours in range(5)
    ]

    first = ids(requests(client, fmt, "?page_size=2"))
    third = ids(requests(client, fmt, "?page_size=2&page=3"))
    beyond = requests(client, fmt, "?page_size=2&page=4")

    assert first == [cases[0].reference, cases[1].reference]
    assert third == [cases[4].reference]
    assert beyond == []


def test_the_number_of_queries_does_not_grow_with_the_number_of_requests(
    client, tree, potholes, opening_hours, handler
):
    def count_queries(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    def add_cases(count):
        for number in range(count):
            service = potholes if number % 2 else opening_hours
            case = make_case(unit=service.unit, category=service)
            case_close(case=case, outcome=Outcome.REFERRED, note="Trafikverket", by=handler)
            case_publish(case=case, summary="Sammanfattning.", answer="Svar.", by=handler)

    paths = [f"{BASE}/requests.xml?extensions=true", f"{BASE}/servicerequestupdates.json"]
    add_cases(2)
    few = [count_queries(path) for path in paths]
    add_cases(10)
    many = [count_queries(path) for path in paths]

    assert len(requests(client, "json")) == 12
    assert few == many, (few, many)
    assert many == [1, 1]


def test_the_reporters_details_text_and_answers_are_never_even_read(client, potholes, handler):
    case = make_case(unit=potholes.unit, category=potholes, **SECRETS, attributes={"x": ANSWER})
    _key, raw = make_integrator_key()
    token = "6f0d7f2e-8b1a-4c1e-9a57-1d8a2c3b4e5f"
    posted = client.post(
        f"{BASE}/requests.json",
        {"api_key": raw, "service_code": str(potholes.pk), "lat": "65.58", "long": "22.15"}
        | {"description": SECRETS["text"], "email": SECRETS["reporter_email"], "token": token},
    )
    assert posted.status_code == 201
    paths = [
        "requests.json?status=open",
        f"requests.json?service_code={potholes.pk}&extensions=true",
        f"requests/{case.reference}.xml",
        f"tokens/{token}.json",
    ]

    with CaptureQueriesContext(connection) as queries:
        for path in paths:
            assert client.get(f"{BASE}/{path}").status_code == 200

    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"cases_case"."reference"' in read
    for column in ["reporter_name", "reporter_email", "reporter_phone", "text", "attributes"]:
        assert f'"{column}"' not in read


def test_open_requests_of_a_service_page_newest_first_leaving_out_the_others(
    client, potholes, opening_hours, handler
):
    now = timezone.now()

    def received(hours: int, service=potholes):
        at = now - timedelta(hours=hours)
        return make_case(unit=service.unit, category=service, received_at=at, at=at)

    open_ones = [received(hours) for hours in (1, 3, 4, 6, 7)]
    closed = received(2)
    case_close(case=closed, outcome=Outcome.ANSWERED, by=handler)
    received(5, service=opening_hours)
    query = f"?status=open&service_code={potholes.pk}&page_size=2"

    pages = [ids(requests(client, "json", f"{query}&page={page}")) for page in (1, 2, 3, 4)]

    references = [case.reference for case in open_ones]
    assert pages == [references[:2], references[2:4], references[4:], []]


def test_each_open_request_names_the_promise_of_the_nearest_declaration(
    client, tree, potholes, opening_hours, handler
):
    # Teknik's declaration covers Vatten; Gata has one of its own, which comes first.
    published_declaration(tree.teknik, promises=[ANSWER_PROMISE])
    own = {**ANSWER_PROMISE, "text_sv": "Gata svarar inom 5 arbetsdagar.", "limit_days": 5}
    published_declaration(tree.gata, promises=[own])
    street = make_case(unit=tree.gata, category=potholes)
    water = make_case(unit=tree.vatten, category=opening_hours)
    closed = make_case(unit=tree.gata, category=potholes)
    case_close(case=closed, outcome=Outcome.ANSWERED, by=handler)

    notices = {
        record["service_request_id"]: record["service_notice"]
        for record in requests(client, "json")
    }

    assert notices[street.reference].endswith(own["text_sv"])
    assert notices[water.reference].endswith(ANSWER_PROMISE["text_sv"])
    assert notices[closed.reference] == ""


def test_one_request_reads_the_answer_promise_only_while_it_is_open(
    client, tree, potholes, handler
):
    published_declaration(tree.gata, promises=[ANSWER_PROMISE])
    case = make_case(unit=tree.gata, category=potholes)

    def notice_and_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/requests/{case.reference}.json")
        return response.json()[0]["service_notice"], len(queries)

    open_notice, open_queries = notice_and_queries()
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    closed_notice, closed_queries = notice_and_queries()

    assert open_notice.endswith(ANSWER_PROMISE["text_sv"])
    assert (closed_notice, open_queries, closed_queries) == ("", 2, 1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_by_its_id_in_the_list_format(client, potholes, fmt):
    case = make_case(unit=potholes.unit, category=potholes)

    response = client.get(f"{BASE}/requests/{case.reference}.{fmt}")

    assert response.status_code == 200
    [record] = listed(response, fmt, "service_requests", "request")
    assert list(record) == REQUEST_FIELDS
    assert record["service_request_id"] == case.reference
    if fmt == "xml":
        assert parse_xml(response).tag == "service_requests"


@pytest.mark.parametrize("fmt", FORMATS)
def test_updates_list_public_status_changes_with_generic_descriptions(
    client, potholes, handler, fmt
):
    case = make_case(unit=potholes.unit, category=potholes)
    case_start(case=case, by=handler)
    case_wait(case=case, by=handler, reason="FROTZ-WAIT-REASON")
    case_reply(case=case, text=REPLY, by=handler)
    case_close(case=case, outcome=Outcome.ACTIONED, note="FROTZ-CLOSE-NOTE", by=handler)
    case_reopen(case=case, by=handler, reason="FROTZ-REOPEN-REASON")

    response = client.get(f"{BASE}/servicerequestupdates.{fmt}?locale=en")

    records = listed(response, fmt, "service_request_updates", "request_update")
    assert [list(record) for record in records] == [UPDATE_FIELDS] * 4
    assert [record["status"] for record in records] == [
        "IN_PROGRESS",
        "INVESTIGATING",
        "FIXED",
        "REOPEN",
    ]
    assert [record["description"] for record in records] == [
        "In progress.",
        "Waiting for more information.",
        "Closed: actioned.",
        "Reopened.",
    ]
    assert {record["service_request_id"] for record in records} == {case.reference}
    assert len({record["update_id"] for record in records}) == 4
    assert "FROTZ" not in response.content.decode()
    assert REPLY not in response.content.decode()


def test_updates_default_to_the_last_24_hours_and_take_a_window(client, potholes, handler):
    now = timezone.now()
    case = make_case(
        unit=potholes.unit,
        category=potholes,
        received_at=now - timedelta(days=3),
        at=now - timedelta(days=3),
    )
    case_start(case=case, by=handler, at=now - timedelta(days=2))
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    start = quote(w3c(now - timedelta(days=3)))
    end = quote(w3c(now - timedelta(days=1)))

    recent = listed(client.get(f"{BASE}/servicerequestupdates.json"), "json", "", "")
    window = listed(
        client.get(f"{BASE}/servicerequestupdates.json?start_date={start}&end_date={end}"),
        "json",
        "",
        "",
    )

    assert [record["status"] for record in recent] == ["CLOSED"]
    assert [record["status"] for record in window] == ["IN_PROGRESS"]


def test_cases_from_every_channel_are_requests(client, potholes):
    web = make_case(unit=potholes.unit, category=potholes)
    phone = make_case(unit=potholes.unit, category=potholes, channel=Channel.PHONE)

    assert sorted(ids(requests(client, "json"))) == sorted([web.reference, phone.reference])


def test_names_follow_the_locale(client, potholes):
    make_case(unit=potholes.unit, category=potholes)

    assert requests(client, "json", "?locale=en")[0]["service_name"] == "Potholes"
    assert requests(client, "json", "?locale=en")[0]["agency_responsible"] == "Gata (en)"
    assert requests(client, "json")[0]["service_name"] == "Gropar i gatan"
