"""Browser tests: the system Chromium, driven by Playwright, against Django's live server.

No browser is ever downloaded: the tests use Debian's `chromium` (or the binary the
CHROMIUM environment variable names). Without it they are skipped with a visible reason,
unless REQUIRE_BROWSER=1, which turns the skip into a failure (for CI).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.utils.text import capfirst
from django.utils.translation import gettext, override
from playwright.sync_api import Browser, Page, sync_playwright

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from servicenav.organisation.models import User

BROWSER_DIR = Path(__file__).resolve().parent

# This machine's network is closed; these flags also stop Chromium calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

NewPage = Callable[..., Page]
AssertAccessible = Callable[[Page], None]

# The password of the staff the tests make (`make_user(password=PASSWORD)`).
PASSWORD = "rätt-lösenord-123"


def log_in(page: Page, user: User, next_url: str) -> None:
    """Logs in on the English login page and goes on to `next_url`."""
    page.goto(f"/en/konto/logga-in/?next={next_url}")
    with override("en"):
        page.get_by_label(capfirst(gettext("username"))).fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, so pick out the ones in this directory.
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)
            # The live server answers from its own thread, so the test's data must be
            # committed, not hidden in a transaction: flush instead of rollback. Works on
            # SQLite (an in-memory database shared with the server thread) and PostgreSQL.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwrights_event_loop() -> Iterator[None]:
    # Playwright's sync API runs an asyncio event loop in the test's own thread, so Django
    # thinks every ORM call there (creating a user, flushing the database after a test)
    # comes from async code and raises SynchronousOnlyOperation. The calls really are
    # synchronous, so allow them -- but only while this package's tests run: left set, the
    # variable reaches subprocesses such as `manage.py check --deploy`, which then fails
    # with async.E001. Package scope sets it before any per-test database fixture.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="package")
def browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    """One headless system Chromium for the browser tests. Package scope: Playwright's
    event loop must stop when they end, or later tests in the run could not use the ORM."""
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).is_file():
        reason = f"Chromium not found at {executable}; install Debian's chromium"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    # Create the test database before Playwright starts its event loop, so that it is also
    # destroyed after the loop has stopped (teardown runs in reverse order); otherwise
    # Django refuses to drop it at the end of the session.
    request.getfixturevalue("django_db_setup")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Browser, live_server: LiveServer) -> Iterator[NewPage]:
    """Opens a page in a fresh browser context; keyword arguments go to `new_context`.

    Relative URLs resolve against the live server, so `page.goto("/en/")` works.
    """
    contexts = []

    def open_page(**options: Any) -> Page:
        context = browser.new_context(**{"base_url": live_server.url, "locale": "sv-SE"} | options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def live_server_url(live_server: LiveServer) -> str:
    """The live server's root URL, without a trailing slash."""
    return str(live_server.url)


@pytest.fixture
def page(new_page: NewPage) -> Page:
    """A page in a fresh Swedish-locale browser context of its own."""
    return new_page()


@cache
def axe_source() -> str:
    # The axe-core that axe-playwright-python bundles; no copy of our own to keep current.
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n    {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
            lines.append(f"    at {target}\n        {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Runs axe-core on the page as it is now; fails listing any WCAG 2.1 A/AA violations."""
    page.evaluate(axe_source())
    results = page.evaluate(
        "options => axe.run(document, options)",
        {
            "runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS},
            "resultTypes": ["violations"],
        },
    )
    if results["violations"]:
        pytest.fail(format_violations(page.url, results["violations"]), pytrace=False)


@pytest.fixture
def axe() -> AssertAccessible:
    """`axe(page)` fails the test if axe-core finds WCAG 2.1 A/AA violations on the page."""
    return assert_accessible
