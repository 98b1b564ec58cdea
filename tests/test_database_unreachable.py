"""While the database cannot be reached, every kind of request is answered 503 with
Retry-After, in the format its client reads, never a 500; other faults stay a 500.
The outage is every SQL statement failing as it does when the server is down."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from servicenav.api.open311.testing import parse_json, parse_xml
from servicenav.cases.models import Case
from servicenav.errors import RETRY_AFTER_SECONDS
from servicenav.testing import feedback_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    def outage() -> None:
        monkeypatch.setattr(CursorWrapper, "execute", unreachable)
        monkeypatch.setattr(CursorWrapper, "executemany", unreachable)

    return outage


def assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


@pytest.mark.parametrize("path", [reverse("core:home"), reverse("cases:submit")])
def test_a_page_is_a_503_in_both_languages(visitor, database_down, path):
    database_down()
    response = visitor.get(path)
    assert_unavailable(response)
    page = response.content.decode()
    assert "Tillfälligt otillgänglig" in page
    assert "Temporarily unavailable" in page


def test_a_form_sent_during_the_outage_is_a_503_and_can_be_sent_again(visitor, database_down):
    visitor.get(reverse("cases:submit"))
    database_down()
    assert_unavailable(visitor.post(reverse("cases:submit"), feedback_form()))


def test_nothing_is_stored_by_a_form_refused_in_the_outage(visitor, tree, monkeypatch):
    # The database answers until the case is written, then goes away.
    def unreachable(**fields):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("servicenav.cases.views.public.case_submit", unreachable)
    assert_unavailable(visitor.post(reverse("cases:submit"), feedback_form()))
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_503_in_its_error_format(visitor, database_down, fmt):
    database_down()
    response = visitor.post(
        f"/open311/v2/requests.{fmt}", {"api_key": "k", "service_code": "1", "description": "x"}
    )
    assert_unavailable(response)
    parse = parse_json if fmt == "json" else parse_xml
    document = parse(response)
    text = json.dumps(document) if fmt == "json" else "".join(document.itertext())
    assert "503" in text
    assert "en minut" in text


def test_the_rest_api_answers_503_in_json(visitor, database_down):
    database_down()
    response = visitor.get(
        "/api/v1/cases/", HTTP_AUTHORIZATION="Bearer sn_key", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert_unavailable(response)
    assert response.json() == {
        "detail": "The service is unavailable for a moment. Please try again in a minute."
    }


def test_any_other_fault_is_still_a_500(visitor, monkeypatch):
    def broken(**fields):
        raise RuntimeError("a bug")

    monkeypatch.setattr("servicenav.cases.views.public.case_submit", broken)
    response = visitor.post(reverse("cases:submit"), feedback_form())
    assert response.status_code == 500
    assert "Retry-After" not in response
