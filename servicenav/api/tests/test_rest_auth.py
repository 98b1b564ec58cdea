"""The REST API opens only to an active staff key, sent as a bearer token: no key, a wrong
one, a revoked one, an integrator's and a deactivated owner's are all 401; a browser
session alone opens nothing; each key has its own rate limit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from servicenav.api.models import ApiKey
from servicenav.api.services import api_key_create, api_key_revoke
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata)


def new_key(user) -> tuple[ApiKey, str]:
    return api_key_create(name="Verksamhetssystem", user=user, by=None)


def get_units(client, authorization: str | None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return client.get(reverse("rest:unit-list"), headers=headers)


def refused(response) -> bool:
    return (
        response.status_code == 401
        and response["Content-Type"] == "application/json"
        and bool(response.json()["detail"])
        and response["WWW-Authenticate"].startswith("Bearer")
    )


def test_a_request_without_a_key_is_refused(client, tree):
    assert refused(get_units(client, None))


def test_a_key_nobody_was_given_is_refused(client, handler):
    new_key(handler)
    assert refused(get_units(client, "Bearer not-a-key-anyone-was-given"))


@pytest.mark.parametrize("header", ["Bearer", "Bearer two words", "Basic dXNlcjpwdw=="])
def test_a_malformed_or_foreign_authorization_header_is_refused(client, handler, header):
    assert refused(get_units(client, header))


def test_a_revoked_key_is_refused(client, handler):
    api_key, key = new_key(handler)
    assert get_units(client, f"Bearer {key}").status_code == 200
    api_key_revoke(api_key=api_key, by=None)
    response = get_units(client, f"Bearer {key}")
    assert refused(response)
    assert "revoked" in response.json()["detail"] or "återkall" in response.json()["detail"]


def test_the_key_of_a_deactivated_account_is_refused(client, handler):
    _api_key, key = new_key(handler)
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    assert refused(get_units(client, f"Bearer {key}"))


def test_an_open311_integrator_key_does_not_open_the_staff_api(client, tree):
    _api_key, key = api_key_create(name="E-tjänst", user=None, by=None)
    assert refused(get_units(client, f"Bearer {key}"))


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_valid_key_opens_the_api_and_its_use_is_noted(client, handler, keyword):
    api_key, key = new_key(handler)
    assert api_key.last_used_at is None
    response = get_units(client, f"{keyword} {key}")
    api_key.refresh_from_db()
    assert response.status_code == 200
    assert api_key.last_used_at is not None


def test_a_browser_session_alone_does_not_open_the_api(client, handler):
    client.force_login(handler)
    assert refused(get_units(client, None))


def test_a_key_over_its_rate_limit_gets_429_while_another_key_goes_on(client, handler, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "2/minute"},
    }
    _first, key = new_key(handler)
    _second, other_key = new_key(handler)
    statuses = [get_units(client, f"Bearer {key}").status_code for _ in range(3)]
    limited = get_units(client, f"Bearer {key}")
    assert statuses == [200, 200, 429]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert get_units(client, f"Bearer {other_key}").status_code == 200
    cache.clear()


def test_a_malformed_rate_setting_stops_the_start():
    environment = {key: value for key, value in os.environ.items() if key != "SERVICENAV_API_RATE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**environment, "SERVICENAV_API_RATE": "many"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SERVICENAV_API_RATE must look like" in result.stderr
