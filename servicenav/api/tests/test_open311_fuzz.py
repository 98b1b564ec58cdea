"""Whatever a client sends, Open311 answers in the specification's format and never with
a server error: random form data on POST requests (any text, huge strings, NUL bytes,
odd attribute names) and random filters on GET requests."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from servicenav.api.open311.testing import (
    make_integrator_key,
    make_question,
    make_service,
    parse_json,
    parse_xml,
)
from servicenav.cases.models import CategoryAttribute

pytestmark = pytest.mark.django_db

Datatype = CategoryAttribute.Datatype
BASE = "/open311/v2"
ANSWERS = {200, 201, 400, 403, 404, 429}
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,  # nothing written into the working tree
)

texts = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["", " ", "\x00", "a\x00b", "1e999", "NaN", "-0", "65.58", "22.15"]),
    st.integers(min_value=4000, max_value=20_000).map(lambda n: "å" * n),
)
field_names = st.one_of(
    st.sampled_from(
        [
            "service_code",
            "lat",
            "long",
            "address_string",
            "address_id",
            "description",
            "email",
            "first_name",
            "last_name",
            "phone",
            "media_url",
            "kind",
            "token",
            "locale",
            "jurisdiction_id",
            "device_id",
            "account_id",
            "attribute[size]",
            "attribute[size][]",
            "attribute[hazards][]",
            "attribute[depth]",
            "attribute[seen]",
            "attribute[x][y]",
            "attribute[]",
            "attribute[[size]]",
            "attribute[size",
        ]
    ),
    st.text(max_size=20),
)
VALID = {"description": "Hej.", "lat": "65.58", "long": "22.15", "attribute[size]": "small"}
form_data = st.dictionaries(field_names, st.one_of(texts, st.lists(texts, max_size=3)), max_size=8)


@pytest.fixture
def services(tree):
    place = make_service(unit=tree.gata, needs_location=True)
    make_question(
        place,
        code="size",
        datatype=Datatype.SINGLEVALUELIST,
        required=True,
        choices=[("small", "Liten"), ("large", "Stor")],
    )
    make_question(
        place,
        code="hazards",
        datatype=Datatype.MULTIVALUELIST,
        choices=[("bike", "Cykelbana"), ("bus", "Buss")],
    )
    make_question(place, code="depth", datatype=Datatype.NUMBER)
    make_question(place, code="seen", datatype=Datatype.DATETIME)
    other = make_service(unit=tree.vatten, needs_location=False)
    return [str(place.pk), str(other.pk)]


def assert_well_formed(response, fmt):
    event(f"HTTP {response.status_code}")  # shown by --hypothesis-show-statistics
    assert response.status_code in ANSWERS, response.content[:500]
    document = parse_xml(response) if fmt == "xml" else parse_json(response)
    if response.status_code >= 400:
        tag = document.tag if fmt == "xml" else "errors"
        assert tag == "errors"


@BOUNDED
@given(
    data=form_data,
    fmt=st.sampled_from(["xml", "json"]),
    key=st.sampled_from(["valid", "valid", "valid", "missing", "wrong"]),
    service=st.sampled_from([0, 1, None]),
    valid_start=st.booleans(),
)
def test_no_post_causes_a_server_error(client, services, data, fmt, key, service, valid_start):
    cache.clear()
    # Half the examples start from a valid request, so that the random fields reach the
    # checks deep inside, and the creation of the case itself.
    base = VALID if valid_start else {}
    raw = make_integrator_key()[1] if key == "valid" else "fel" if key == "wrong" else None
    if raw is not None:
        base = base | {"api_key": raw}
    if service is not None:
        base = base | {"service_code": services[service]}
    data = base | data

    response = client.post(f"{BASE}/requests.{fmt}", data)

    assert_well_formed(response, fmt)


filter_names = st.sampled_from(
    [
        "service_request_id",
        "service_code",
        "start_date",
        "end_date",
        "status",
        "page",
        "page_size",
        "extensions",
        "locale",
    ]
)


@BOUNDED
@given(
    query=st.dictionaries(filter_names, texts, max_size=5),
    path=st.sampled_from(["requests", "servicerequestupdates", "services", "discovery"]),
    fmt=st.sampled_from(["xml", "json"]),
)
def test_no_filter_causes_a_server_error(client, services, query, path, fmt):
    response = client.get(f"{BASE}/{path}.{fmt}", query)

    assert_well_formed(response, fmt)


@BOUNDED
@given(
    segment=st.text(min_size=1, max_size=60),
    resource=st.sampled_from(["requests", "tokens", "services"]),
    fmt=st.sampled_from(["xml", "json"]),
)
def test_no_identifier_causes_a_server_error(client, services, segment, resource, fmt):
    response = client.get(f"{BASE}/{resource}/{quote(segment, safe='')}.{fmt}")

    assert response.status_code in {200, 404}
    assert_well_formed(response, fmt)
