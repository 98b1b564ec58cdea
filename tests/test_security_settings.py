"""The security settings hold: every page carries a Content-Security-Policy that lets no
inline script run, cookies are secure and HSTS is on in production, and every form needs its
CSRF token. The deploy checks, the login lockout and the rate limits are tested where they
are built (`core/tests/test_production_mode.py`, `organisation/tests/test_login.py`,
`cases/tests/test_spam_protection.py`, `api/tests/test_open311_post.py`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from servicenav.cases.models import Case
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_unit, make_user

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pytest_django.fixtures import Settings

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "SERVICENAV_ENV": "production",
    "SERVICENAV_SECRET_KEY": "k3y-" + "".join(chr(ord("a") + (n * 7) % 26) for n in range(60)),
    "SERVICENAV_ALLOWED_HOSTS": "servicenav.example.org",
}
PASSWORD = "rätt lösenord 123"


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    """manage.py in a fresh process with the production environment and nothing else of ours."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SERVICENAV_")}
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment | PRODUCTION,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# Production settings


def test_production_sends_cookies_only_over_https_and_asks_browsers_for_hsts() -> None:
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "DEBUG",
    ]
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    result = manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values.pop("SECURE_HSTS_SECONDS") >= 365 * 24 * 3600
    assert values == dict.fromkeys(values, True) | {"DEBUG": False}


@pytest.mark.django_db
def test_with_production_cookie_settings_the_session_cookie_is_secure_and_hidden_from_scripts(
    client: Client, settings: Settings
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    make_user(username="hedda", password=PASSWORD)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"]
    response = client.post(reverse("login"), {"username": "hedda", "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert response.status_code == 302
    assert session["secure"]
    assert session["httponly"]
    assert token["secure"]


@pytest.mark.django_db
def test_an_https_answer_carries_hsts_when_it_is_on(settings: Settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = Client().get(reverse("core:home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


# Content-Security-Policy


def directives(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


PAGES_FOR_EVERYONE = [
    "core:home",
    "cases:submit",
    "cases:follow",
    "cases:published",
    "declarations:list",
    "public:overview",
    "public:feedback-statistics",
    "improvement:public-list",
    "login",
    "rest:docs",
]
STAFF_PAGES = [
    "organisation:staff-home",
    "cases:inbox",
    "cases:register",
    "declarations:staff-list",
    "surveys:staff-list",
    "kpis:staff-list",
    "improvement:staff-list",
    "core:audit-log",
]


@pytest.fixture
def coordinator(db: None) -> Client:
    unit = make_unit(name="Kommun")
    make_case(unit=unit)
    client = Client()
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=unit))
    return client


def assert_no_inline_script(response: object) -> None:
    """What the policy would block must not be on the page: it would not work."""
    policy = directives(response)
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in " ".join(policy.get("script-src", []))
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"<[^>]+\son[a-z]+\s*=", html) == []
    assert "javascript:" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES_FOR_EVERYONE)
def test_public_pages_allow_only_our_own_script_files(name: str) -> None:
    assert_no_inline_script(Client().get(reverse(name)))


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_allow_only_our_own_script_files(name: str, coordinator: Client) -> None:
    assert_no_inline_script(coordinator.get(reverse(name)))


@pytest.mark.django_db
def test_the_api_docs_script_is_served_from_our_own_origin() -> None:
    response = Client().get(reverse("rest:docs") + "?script")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]


# CSRF

# Views that take no cookies and so need no CSRF token: the REST API authenticates by key
# only (no session authentication), Open311 by the api_key parameter.
CSRF_EXEMPT = ("rest:", "open311:")


def views(patterns: Sequence[object], namespace: str = "") -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            found += views(pattern.url_patterns, f"{namespace}{inner}:" if inner else namespace)
        elif isinstance(pattern, URLPattern):
            found.append((f"{namespace}{pattern.name}", pattern.callback))
    return found


def test_no_view_that_takes_cookies_is_exempt_from_csrf() -> None:
    assert "django.middleware.csrf.CsrfViewMiddleware" in django_settings.MIDDLEWARE
    exempt = [
        name
        for name, callback in views(get_resolver().url_patterns)
        if getattr(callback, "csrf_exempt", False) and not name.startswith(CSRF_EXEMPT)
    ]
    assert exempt == []


@pytest.mark.django_db
def test_the_public_form_without_its_csrf_token_is_refused_and_stores_nothing() -> None:
    make_unit(name="Kommun")
    browser = Client(enforce_csrf_checks=True)
    data = {
        "kind": "complaint",
        "text": "Papperskorgen är full.",
        "contact": "anonymous",
        "website": "",
        "submission_token": str(uuid.uuid4()),
    }
    assert browser.post(reverse("cases:submit"), data).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_staff_action_without_its_csrf_token_is_refused_and_changes_nothing() -> None:
    unit = make_unit(name="Kommun")
    case = make_case(unit=unit)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(role=Role.CASE_HANDLER, unit=unit))
    audited = AuditEntry.objects.count()
    url = reverse("cases:case-action", args=[case.pk, "kvittera"])
    assert browser.post(url).status_code == 403
    assert AuditEntry.objects.count() == audited
    case.refresh_from_db()
    assert case.acknowledged_at is None


@pytest.mark.django_db
def test_logging_in_without_the_csrf_token_is_refused() -> None:
    make_user(username="hedda", password=PASSWORD)
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("login"), {"username": "hedda", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session
