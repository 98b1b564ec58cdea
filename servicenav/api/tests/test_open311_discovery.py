"""Anyone finds the Open311 endpoint through discovery.{xml,json}: the specification it
follows, its address, whether it is for testing, and both formats."""

from __future__ import annotations

import pytest

from servicenav.api.open311.testing import (
    JSON_CONTENT_TYPE,
    XML_CONTENT_TYPE,
    XML_DECLARATION,
    element_dict,
    parse_json,
    parse_xml,
)

BASE = "/open311/v2"
FIELDS = ["changeset", "contact", "key_service", "endpoints"]
ENDPOINT_FIELDS = ["specification", "url", "changeset", "type", "formats"]


def test_discovery_in_xml_names_the_specification_and_both_formats(client, settings):
    settings.SERVICENAV_SITE_URL = "https://synpunkter.example.se"

    response = client.get(f"{BASE}/discovery.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == XML_CONTENT_TYPE
    assert response.content.startswith(XML_DECLARATION)
    document = parse_xml(response)
    assert document.tag == "discovery"
    assert [child.tag for child in document] == FIELDS
    endpoints = document.find("endpoints")
    assert endpoints is not None
    [endpoint] = list(endpoints)
    assert endpoint.tag == "endpoint"
    assert [child.tag for child in endpoint] == ENDPOINT_FIELDS
    data = element_dict(endpoint)
    assert data["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert data["url"] == "https://synpunkter.example.se/open311/v2"
    assert data["type"] == "test"
    assert data["formats"] == ["text/xml", "application/json"]
    assert document.findtext("changeset", "").endswith("Z")


def test_discovery_in_json_is_one_object_with_a_list_of_endpoints(client):
    response = client.get(f"{BASE}/discovery.json")

    assert response.status_code == 200
    assert response["Content-Type"] == JSON_CONTENT_TYPE
    document = parse_json(response)
    assert list(document) == FIELDS
    [endpoint] = document["endpoints"]
    assert list(endpoint) == ENDPOINT_FIELDS
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["url"].endswith("/open311/v2")
    assert all(document[name] for name in ("changeset", "contact", "key_service"))


def test_a_production_server_says_production(client, settings):
    settings.ENVIRONMENT = "production"

    assert parse_json(client.get(f"{BASE}/discovery.json"))["endpoints"][0]["type"] == (
        "production"
    )


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_discovery_needs_no_key_no_login_and_no_database(client, fmt):
    # No django_db mark: discovery reads nothing from the database.
    response = client.get(f"{BASE}/discovery.{fmt}")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response


def test_discovery_only_answers_get(client):
    response = client.post(f"{BASE}/discovery.json")

    assert response.status_code == 400
    assert parse_json(response)[0]["code"] == 400
    assert response["Allow"] == "GET, HEAD"
