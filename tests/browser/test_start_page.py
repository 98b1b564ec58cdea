"""The public start page and staff login, in a real browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from servicenav.organisation.models import ServiceValue, User

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.conftest import AssertAccessible, NewPage


@pytest.fixture
def service_values() -> list[ServiceValue]:
    # Transactional tests flush the tables after each test, so the data migration's values
    # are there for the first browser test only; start from known values every time.
    ServiceValue.objects.all().delete()
    return [
        ServiceValue.objects.create(
            code="engagemang",
            name_sv="Engagemang",
            name_en="Engagement",
            description_sv="Vi bryr oss om den vi möter och om att tjänsten blir bra.",
            description_en="We care about the person we meet and about getting the service right.",
            position=0,
        ),
        ServiceValue.objects.create(
            code="ansvarstagande",
            name_sv="Ansvarstagande",
            name_en="Responsibility",
            description_sv="Vi tar ansvar för helheten, håller det vi lovar och återkopplar.",
            description_en="We take responsibility for the whole and keep our promises.",
            position=1,
        ),
    ]


def switch_language(page: Page, *, to: str) -> None:
    label = {"en": "In English", "sv": "På svenska"}[to]
    page.get_by_role("link", name=label).click()
    expect(page.locator("html")).to_have_attribute("lang", to)


@pytest.mark.usefixtures("service_values")
def test_the_swedish_start_page_has_lang_sv_one_h1_a_skip_link_to_main_and_no_axe_violations(
    page: Page, axe: AssertAccessible
) -> None:
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(
        f"Servicekvalitet i {settings.SERVICENAV_MUNICIPALITY_NAME}"
    )
    expect(page.locator(".card h3")).to_have_text(["Engagemang", "Ansvarstagande"])

    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    axe(page)


@pytest.mark.usefixtures("service_values")
def test_the_english_start_page_has_lang_en_english_text_and_no_axe_violations(
    page: Page, axe: AssertAccessible
) -> None:
    page.goto("/en/")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(
        f"Service quality in {settings.SERVICENAV_MUNICIPALITY_NAME}"
    )
    expect(page.get_by_role("heading", name="Our service values")).to_be_visible()
    expect(page.locator(".card h3")).to_have_text(["Engagement", "Responsibility"])

    axe(page)


def test_the_language_switch_goes_from_swedish_to_english_and_back(
    page: Page, live_server_url: str
) -> None:
    page.goto("/")

    switch_language(page, to="en")
    expect(page).to_have_url(f"{live_server_url}/en/")

    switch_language(page, to="sv")
    expect(page).to_have_url(f"{live_server_url}/")


@pytest.mark.usefixtures("service_values")
def test_at_320_px_wide_the_start_page_does_not_scroll_sideways_and_has_no_axe_violations(
    page: Page, axe: AssertAccessible
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    axe(page)


def test_the_staff_login_page_passes_axe_and_a_wrong_password_shows_an_error(
    page: Page, axe: AssertAccessible
) -> None:
    User.objects.create_user(
        username="anna", email="anna@example.org", password="rätt-lösenord-123"
    )
    with translation.override("sv"):
        login_url = reverse("login")

    page.goto(login_url)
    axe(page)

    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill("fel-lösenord-456")
    page.get_by_role("button", name="Logga in").click()

    expect(page.get_by_role("alert")).to_contain_text("korrekt användarnamn och lösenord")
    axe(page)


@pytest.mark.usefixtures("service_values")
def test_the_start_page_and_the_language_switch_work_without_javascript(
    new_page: NewPage, live_server_url: str
) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/")

    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator(".card h3")).to_have_text(["Engagemang", "Ansvarstagande"])

    switch_language(page, to="en")
    expect(page).to_have_url(f"{live_server_url}/en/")
    switch_language(page, to="sv")
    expect(page).to_have_url(f"{live_server_url}/")
