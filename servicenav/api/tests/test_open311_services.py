"""Anyone lists the services (one per active category of an active unit) and reads each
service's definition: its questions, their datatypes and their choices."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicenav.api.open311.testing import (
    JSON_CONTENT_TYPE,
    XML_CONTENT_TYPE,
    XML_DECLARATION,
    listed,
    make_question,
    make_service,
    parse_json,
    parse_xml,
)
from servicenav.cases.models import CategoryAttribute
from servicenav.organisation.services import unit_update

pytestmark = pytest.mark.django_db

Datatype = CategoryAttribute.Datatype
BASE = "/open311/v2"
FORMATS = ["xml", "json"]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
    "location_required",
]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]


@pytest.fixture
def potholes(tree):
    service = make_service(
        unit=tree.gata,
        name="Gropar i gatan",
        needs_location=True,
        keywords="grop, hål, asfalt",
        description="Gropar och sprickor i gator och cykelbanor.",
    )
    make_question(
        service,
        code="size",
        datatype=Datatype.SINGLEVALUELIST,
        required=True,
        choices=[("small", "Liten"), ("large", "Stor")],
        question="Hur stor?",
        order=5,
    )
    make_question(service, code="depth", datatype=Datatype.NUMBER, order=0, question="Djup?")
    return service


@pytest.fixture
def opening_hours(tree):
    return make_service(unit=tree.hemtjanst, name="Bemötande", name_en="Manner")


def services(client, fmt, query=""):
    response = client.get(f"{BASE}/services.{fmt}{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == (XML_CONTENT_TYPE if fmt == "xml" else JSON_CONTENT_TYPE)
    return {s["service_code"]: s for s in listed(response, fmt, "services", "service")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_active_category_is_a_service_with_the_specifications_fields(
    client, potholes, opening_hours, fmt
):
    listed_services = services(client, fmt)

    assert set(listed_services) == {str(potholes.pk), str(opening_hours.pk)}
    pothole = listed_services[str(potholes.pk)]
    assert list(pothole) == SERVICE_FIELDS
    assert pothole["service_name"] == "Gropar i gatan"
    assert pothole["description"] == "Gropar och sprickor i gator och cykelbanor."
    assert pothole["type"] == "realtime"
    assert pothole["keywords"] == "grop, hål, asfalt"
    assert pothole["group"] == "Gata"
    assert listed_services[str(opening_hours.pk)]["group"] == "Hemtjänst"


def test_json_codes_are_strings_and_flags_are_booleans(client, potholes, opening_hours):
    listed_services = services(client, "json")

    assert all(isinstance(code, str) for code in listed_services)
    assert listed_services[str(potholes.pk)]["metadata"] is True
    assert listed_services[str(opening_hours.pk)]["metadata"] is False
    assert listed_services[str(potholes.pk)]["location_required"] is True
    assert listed_services[str(opening_hours.pk)]["location_required"] is False


def test_xml_flags_are_true_and_false(client, potholes, opening_hours):
    listed_services = services(client, "xml")

    assert listed_services[str(potholes.pk)]["metadata"] == "true"
    assert listed_services[str(opening_hours.pk)]["metadata"] == "false"
    assert listed_services[str(opening_hours.pk)]["location_required"] == "false"


def test_inactive_categories_and_categories_of_inactive_units_are_not_services(
    client, tree, potholes
):
    make_service(unit=tree.gata, name="Gammal", active=False)
    closed_unit_service = make_service(unit=tree.vatten, name="Vattenkiosk")
    unit_update(unit=tree.vatten, by=None, active=False)

    assert set(services(client, "json")) == {str(potholes.pk)}
    assert client.get(f"{BASE}/services/{closed_unit_service.pk}.json").status_code == 404


def test_names_follow_the_locale_extension(client, potholes, opening_hours):
    english = services(client, "json", "?locale=en")

    assert english[str(opening_hours.pk)]["service_name"] == "Manner"
    assert english[str(opening_hours.pk)]["group"] == "Hemtjänst (en)"
    assert english[str(potholes.pk)]["description"].endswith("(en)")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_definition_lists_the_questions_in_order(client, potholes, fmt):
    response = client.get(f"{BASE}/services/{potholes.pk}.{fmt}")

    assert response.status_code == 200
    if fmt == "xml":
        assert response.content.startswith(XML_DECLARATION)
        document = parse_xml(response)
        assert document.tag == "service_definition"
        assert [child.tag for child in document] == ["service_code", "attributes"]
        questions = document.findall("attributes/attribute")
        assert [child.tag for child in questions[0]] == ATTRIBUTE_FIELDS
        assert document.findtext("service_code") == str(potholes.pk)
        assert [q.findtext("code") for q in questions] == ["depth", "size"]
        assert [q.findtext("order") for q in questions] == ["1", "2"]
        size = questions[1]
        assert size.findtext("variable") == "true"
        assert size.findtext("required") == "true"
        assert size.findtext("datatype") == "singlevaluelist"
        assert size.findtext("description") == "Hur stor?"
        assert [(v.findtext("key"), v.findtext("name")) for v in size.iter("value")] == [
            ("small", "Liten"),
            ("large", "Stor"),
        ]
        assert questions[0].findall("values/value") == []
    else:
        document = parse_json(response)
        assert list(document) == ["service_code", "attributes"]
        assert document["service_code"] == str(potholes.pk)
        depth, size = document["attributes"]
        assert list(size) == ATTRIBUTE_FIELDS
        assert (depth["order"], size["order"]) == (1, 2)
        assert (depth["datatype"], depth["required"], depth["values"]) == ("number", False, [])
        assert size["variable"] is True
        assert size["values"] == [
            {"key": "small", "name": "Liten"},
            {"key": "large", "name": "Stor"},
        ]
        assert depth["datatype_description"]


def test_a_definition_in_english_names_the_choices_in_english(client, potholes):
    document = parse_json(client.get(f"{BASE}/services/{potholes.pk}.json?locale=en"))

    assert document["attributes"][1]["values"][1]["name"] == "Stor (en)"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_without_questions_has_an_empty_definition(client, opening_hours, fmt):
    response = client.get(f"{BASE}/services/{opening_hours.pk}.{fmt}")

    assert response.status_code == 200
    if fmt == "json":
        assert parse_json(response) == {"service_code": str(opening_hours.pk), "attributes": []}
    else:
        assert parse_xml(response).findall("attributes/attribute") == []


def test_every_datatype_is_described(client, tree):
    service = make_service(unit=tree.gata)
    for order, datatype in enumerate(Datatype.values):
        make_question(service, code=datatype, datatype=datatype, order=order)

    attributes = parse_json(client.get(f"{BASE}/services/{service.pk}.json"))["attributes"]

    assert [a["datatype"] for a in attributes] == list(Datatype.values)
    assert all(a["datatype_description"] for a in attributes)


def test_listing_services_takes_one_query_however_many_there_are(client, tree, potholes):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(f"{BASE}/services.xml")
        return len(queries)

    few = count()
    for number in range(10):
        make_question(make_service(unit=tree.vatten, name=f"Tjänst {number}"), code="q")

    assert count() == few == 1
    assert len(services(client, "json")) == 11
