"""The REST API describes itself: an OpenAPI 3 schema that drf-spectacular generates and
validates without a single warning, and a docs page that loads nothing from outside."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db  # the docs page's template context reads the database

PATHS = {
    "/api/v1/cases/",
    "/api/v1/cases/{id}/",
    "/api/v1/cases/{id}/reply/",
    "/api/v1/cases/{id}/notes/",
    "/api/v1/cases/{id}/status/",
    "/api/v1/cases/{id}/assign/",
    "/api/v1/cases/{id}/move/",
    "/api/v1/units/",
    "/api/v1/categories/",
    "/api/v1/declarations/",
    "/api/v1/declarations/{id}/",
    "/api/v1/declarations/{id}/follow-ups/",
    "/api/v1/indicators/",
    "/api/v1/indicators/{id}/",
    "/api/v1/measurements/",
    "/api/v1/kolada/values/",
}


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == PATHS


def test_every_operation_asks_for_a_bearer_key(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    scheme = schema["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert operation["security"] == [{"apiKey": []}]


@pytest.mark.parametrize(("format_", "parse"), [("json", None), ("yaml", yaml.safe_load)])
def test_the_schema_is_served_without_a_key(client, format_, parse):
    response = client.get(reverse("rest:schema"), {"format": format_})
    assert response.status_code == 200
    schema = response.json() if parse is None else parse(response.content)
    assert set(schema["paths"]) == PATHS


def test_a_wrong_key_does_not_lock_anyone_out_of_the_docs(client):
    headers = {"Authorization": "Bearer wrong"}
    assert client.get(reverse("rest:schema"), headers=headers).status_code == 200
    assert client.get(reverse("rest:docs"), headers=headers).status_code == 200


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(client):
    response = client.get(reverse("rest:docs"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r"https?://", html) == []
    assert "cdn" not in html.lower()
    for name in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        assert f"/static/vendor/swagger-ui/{name}" in html
        assert finders.find(f"vendor/swagger-ui/{name}") is not None
    # The page's own script is a file too (the CSP allows no inline script).
    script = client.get(reverse("rest:docs") + "?script").content.decode()
    assert "<script>" not in html
    assert reverse("rest:schema") in script
    assert '"validatorUrl": null' in script


def test_the_vendored_stylesheet_names_no_source_map_that_collectstatic_would_miss():
    found = finders.find("vendor/swagger-ui/swagger-ui.css")
    assert found is not None
    with open(found, encoding="utf-8") as stylesheet:
        assert "sourceMappingURL" not in stylesheet.read()
