"""Every documented error answers in the specification's format, in the format asked for:
XML `<errors><error><code/><description/></error></errors>` or a JSON array of
`{"code", "description"}`, with the HTTP status the specification names. A refused POST
makes no case."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache

from servicenav.api.open311.testing import (
    JSON_CONTENT_TYPE,
    XML_CONTENT_TYPE,
    XML_DECLARATION,
    errors,
    make_integrator_key,
    make_question,
    make_service,
    parse_json,
    parse_xml,
)
from servicenav.api.services import api_key_revoke
from servicenav.cases.models import Case, CategoryAttribute

pytestmark = pytest.mark.django_db

Datatype = CategoryAttribute.Datatype
BASE = "/open311/v2"
FORMATS = ["xml", "json"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def potholes(tree):
    service = make_service(unit=tree.gata, needs_location=True)
    make_question(
        service,
        code="size",
        datatype=Datatype.SINGLEVALUELIST,
        required=True,
        choices=[("small", "Liten"), ("large", "Stor")],
    )
    make_question(
        service,
        code="hazards",
        datatype=Datatype.MULTIVALUELIST,
        choices=[("bike", "Cykelbana"), ("bus", "Busshållplats")],
    )
    make_question(service, code="depth", datatype=Datatype.NUMBER)
    make_question(service, code="seen", datatype=Datatype.DATETIME)
    make_question(service, code="note", datatype=Datatype.STRING)
    return service


@pytest.fixture
def opening_hours(tree):
    return make_service(unit=tree.vatten, name="Öppettider", needs_location=False)


@pytest.fixture
def raw_key():
    return make_integrator_key()[1]


def assert_error(response, fmt, status, *words):
    """The response is the error list with `status`, and a description names each word."""
    assert response.status_code == status
    if fmt == "xml":
        assert response["Content-Type"] == XML_CONTENT_TYPE
        assert response.content.startswith(XML_DECLARATION)
        document = parse_xml(response)
        assert document.tag == "errors"
        assert {child.tag for child in document} == {"error"}
        for error in document:
            assert [child.tag for child in error] == ["code", "description"]
    else:
        assert response["Content-Type"] == JSON_CONTENT_TYPE
        document = parse_json(response)
        assert isinstance(document, list)
        for error in document:
            assert set(error) == {"code", "description"}
            assert isinstance(error["code"], int)
    found = errors(response, fmt)
    assert found
    assert {code for code, _text in found} == {status}
    text = " ".join(description for _code, description in found)
    for word in words:
        assert word in text
    return found


def post(client, fmt, **data):
    return client.post(f"{BASE}/requests.{fmt}", {"locale": "en", **data})


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_without_api_key_is_403(client, opening_hours, fmt):
    response = post(client, fmt, service_code=str(opening_hours.pk), description="Hej.")

    assert_error(response, fmt, 403, "api_key")
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_with_an_unknown_api_key_is_403(client, opening_hours, fmt):
    response = post(
        client, fmt, api_key="not-a-key", service_code=str(opening_hours.pk), description="Hej."
    )

    assert_error(response, fmt, 403, "api_key")
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_with_a_revoked_api_key_is_403(client, opening_hours, fmt):
    api_key, raw = make_integrator_key()
    api_key_revoke(api_key=api_key, by=None)

    response = post(
        client, fmt, api_key=raw, service_code=str(opening_hours.pk), description="Hej."
    )

    assert_error(response, fmt, 403, "revoked")
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_without_service_code_is_400(client, raw_key, fmt):
    assert_error(post(client, fmt, api_key=raw_key, description="Hej."), fmt, 400, "service_code")


@pytest.mark.parametrize("code", ["999999", "abc", "1.5", "-1", "9" * 40])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_for_an_unknown_service_is_404(client, tree, raw_key, fmt, code):
    response = post(client, fmt, api_key=raw_key, service_code=code, description="Hej.")

    assert_error(response, fmt, 404, "service_code")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_for_an_inactive_service_is_404(client, tree, raw_key, fmt):
    closed = make_service(unit=tree.gata, active=False)

    response = post(client, fmt, api_key=raw_key, service_code=str(closed.pk), description="Hej.")

    assert_error(response, fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_for_a_place_service_without_a_location_is_400(client, potholes, raw_key, fmt):
    response = post(
        client,
        fmt,
        api_key=raw_key,
        service_code=str(potholes.pk),
        description="Grop.",
        **{"attribute[size]": "small"},
    )

    assert_error(response, fmt, 400, "location", "lat", "address_string", "address_id")
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_lat_without_long_is_400(client, potholes, raw_key, fmt):
    response = post(
        client,
        fmt,
        api_key=raw_key,
        service_code=str(potholes.pk),
        lat="65.58",
        **{"attribute[size]": "small"},
    )

    assert_error(response, fmt, 400, "long")


@pytest.mark.parametrize(("lat", "long"), [("91", "22"), ("65", "-181"), ("NaN", "1"), ("x", "1")])
def test_coordinates_outside_the_world_are_400(client, potholes, raw_key, lat, long):
    response = post(
        client,
        "json",
        api_key=raw_key,
        service_code=str(potholes.pk),
        lat=lat,
        long=long,
        **{"attribute[size]": "small"},
    )

    assert_error(response, "json", 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_required_attribute_is_400(client, potholes, raw_key, fmt):
    response = post(
        client, fmt, api_key=raw_key, service_code=str(potholes.pk), lat="65", long="22"
    )

    assert_error(response, fmt, 400, "attribute[size]")


@pytest.mark.parametrize(
    "answers",
    [
        {"attribute[size]": "huge"},
        {"attribute[size]": "small", "attribute[hazards][]": ["bike", "tram"]},
        {"attribute[size][]": ["small", "large"]},
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_key_that_is_not_in_the_list_is_400(client, potholes, raw_key, fmt, answers):
    response = post(
        client, fmt, api_key=raw_key, service_code=str(potholes.pk), lat="65", long="22", **answers
    )

    assert_error(response, fmt, 400, "attribute[")
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("depth", "tolv"),
        ("depth", "1e5"),
        ("depth", "12,5"),
        ("seen", "igår"),
        ("seen", "2026-13-01T00:00:00Z"),
        ("note", "x" * 501),
        ("note", "a\x00b"),
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_answer_of_the_wrong_datatype_is_400(client, potholes, raw_key, fmt, code, value):
    response = post(
        client,
        fmt,
        api_key=raw_key,
        service_code=str(potholes.pk),
        lat="65",
        long="22",
        **{"attribute[size]": "small", f"attribute[{code}]": value},
    )

    assert_error(response, fmt, 400, f"attribute[{code}]")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_description_longer_than_4000_characters_is_400(client, opening_hours, raw_key, fmt):
    response = post(
        client, fmt, api_key=raw_key, service_code=str(opening_hours.pk), description="x" * 4001
    )

    assert_error(response, fmt, 400, "description", "4000")
    assert not Case.objects.exists()


def test_a_description_of_exactly_4000_characters_with_line_breaks_is_accepted(
    client, opening_hours, raw_key
):
    text = "rad\r\n" * 800  # 4,000 characters once each break counts as one

    response = post(
        client, "json", api_key=raw_key, service_code=str(opening_hours.pk), description=text
    )

    assert response.status_code == 201


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_without_a_place_needs_a_description(client, opening_hours, raw_key, fmt):
    response = post(client, fmt, api_key=raw_key, service_code=str(opening_hours.pk))

    assert_error(response, fmt, 400, "description")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "inte-en-adress"),
        ("phone", "ring mig"),
        ("kind", "klagomålet"),
        ("token", "inte-en-uuid"),
        ("media_url", "file:///etc/passwd"),
        ("first_name", "x" * 101),
    ],
)
def test_bad_optional_fields_are_400_and_named(client, opening_hours, raw_key, field, value):
    response = post(
        client,
        "json",
        api_key=raw_key,
        service_code=str(opening_hours.pk),
        description="Hej.",
        **{field: value},
    )

    assert_error(response, "json", 400, field)


def test_several_problems_are_reported_at_once(client, potholes, raw_key):
    response = post(
        client,
        "xml",
        api_key=raw_key,
        service_code=str(potholes.pk),
        description="x" * 4001,
        email="nej",
    )

    found = assert_error(
        response, "xml", 400, "description", "email", "location", "attribute[size]"
    )
    assert len(found) == 4


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query",
    [
        "start_date=igår",
        "end_date=2026-02-30T00:00:00Z",
        "start_date=0001-01-01T00:00:00Z",
        "start_date=2026-01-01T00:00:00%2B99:00",
    ],
)
def test_bad_dates_are_400(client, fmt, query):
    assert_error(client.get(f"{BASE}/requests.{fmt}?{query}"), fmt, 400, "date")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_span_over_90_days_is_400(client, fmt):
    response = client.get(
        f"{BASE}/requests.{fmt}?locale=en"
        "&start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:01Z"
    )

    assert_error(response, fmt, 400, "end_date", "90 days")


def test_a_span_of_exactly_90_days_is_fine(client):
    response = client.get(
        f"{BASE}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z"
    )

    assert response.status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_end_before_the_start_is_400(client, fmt):
    response = client.get(
        f"{BASE}/requests.{fmt}?locale=en&start_date=2026-03-01&end_date=2026-02-01"
    )

    assert_error(response, fmt, 400, "end_date")


def test_the_updates_window_has_the_same_limits(client):
    response = client.get(
        f"{BASE}/servicerequestupdates.json?start_date=2026-01-01&end_date=2026-06-01"
    )

    assert_error(response, "json", 400, "end_date")


@pytest.mark.parametrize(
    "query",
    ["status=pending", "page=0", "page_size=1001", "page_size=tio", "extensions=yes"],
)
def test_bad_filters_are_400_and_named(client, query):
    name = query.split("=")[0]

    assert_error(client.get(f"{BASE}/requests.json?{query}"), "json", 400, name)


@pytest.mark.parametrize(
    "path",
    [
        "services.html",
        "services.XML",
        "discovery.yaml",
        "requests.csv",
        f"tokens/{uuid.uuid4()}.txt",
    ],
)
def test_a_format_other_than_xml_or_json_is_404_in_xml(client, path):
    assert_error(client.get(f"{BASE}/{path}"), "xml", 404, "format")


@pytest.mark.parametrize("path", ["services", "requests/", "nothing.json", "v3/services.xml"])
def test_an_unknown_address_is_404_in_the_error_format(client, path):
    fmt = "json" if path.endswith(".json") else "xml"

    assert_error(client.get(f"{BASE}/{path}"), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_request_or_token_or_service_is_404(client, fmt):
    for path in ["requests/S-2026-99999", f"tokens/{uuid.uuid4()}", "tokens/nej", "services/42"]:
        assert_error(client.get(f"{BASE}/{path}.{fmt}"), fmt, 404)


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_400_and_say_which_are_allowed(client, method):
    response = getattr(client, method)(f"{BASE}/requests.json")

    assert_error(response, "json", 400)
    assert response["Allow"] == "GET, HEAD, POST"


def test_a_post_to_a_read_only_endpoint_is_400_not_a_csrf_page(client):
    response = client.post(f"{BASE}/services.xml", {"api_key": "x"})

    assert_error(response, "xml", 400, "GET")


def test_errors_follow_the_locale(client):
    swedish = errors(client.get(f"{BASE}/requests.json?page_size=0"), "json")
    english = errors(client.get(f"{BASE}/requests.json?page_size=0&locale=en"), "json")

    assert swedish != english
    assert "page_size" in swedish[0][1]
    assert "page_size" in english[0][1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_body_too_large_to_read_is_400_in_the_error_format(client, settings, raw_key, fmt):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = post(client, fmt, api_key=raw_key, service_code="1", description="x" * 20_000)

    assert_error(response, fmt, 400)
    assert not Case.objects.exists()


def test_too_many_parameters_are_400_in_the_error_format(client, raw_key):
    many = {f"attribute[q{number}]": "x" for number in range(1001)}

    assert_error(post(client, "json", api_key=raw_key, **many), "json", 400)
    assert_error(client.get(f"{BASE}/requests.xml", many), "xml", 400)


def test_a_broken_multipart_body_is_400_in_the_error_format(client):
    response = client.generic(
        "POST", f"{BASE}/requests.json", b"x", content_type="multipart/form-data; boundary="
    )

    assert_error(response, "json", 400)


def test_a_json_body_is_not_read_so_the_key_is_missing(client):
    response = client.post(
        f"{BASE}/requests.json", {"api_key": "x"}, content_type="application/json"
    )

    assert_error(response, "json", 403, "api_key")
