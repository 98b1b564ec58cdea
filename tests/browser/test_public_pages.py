"""Every public page type in a real browser, with the demo data (a municipality with its
administrations, two years of feedback, declarations with their follow-up, surveys, key
figures with targets and Kolada demo figures): axe finds no WCAG 2.1 A/AA violations at
desktop and phone sizes in Swedish and English, no page scrolls sideways on a phone, the
keyboard alone reaches every link, button and form control, and printing leaves the
navigation out and keeps the figures."""

from __future__ import annotations

import io
from importlib import import_module
from typing import TYPE_CHECKING

import pytest
from django.apps import apps
from django.core.management import call_command
from django.template.loader import render_to_string
from playwright.sync_api import expect

from servicenav.declarations.models import Version
from servicenav.kpis.models import Indicator
from servicenav.organisation.models import Unit

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.conftest import AssertAccessible, NewPage

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# Marks every element the keyboard should reach, in document order, and says how many.
MARK_FOCUSABLE = """() => {
  const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]),'
    + ' select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  const found = [...document.querySelectorAll(selector)].filter(
    (element) => element.getClientRects().length > 0 && !element.closest('[inert]'));
  found.forEach((element, index) => element.setAttribute('data-focus-index', index));
  return found.length;
}"""
FOCUSED = "() => document.activeElement && document.activeElement.getAttribute('data-focus-index')"


@pytest.fixture
def demo() -> dict[str, str]:
    """The demo data, and one address of each public page type (Swedish addresses)."""
    # Transactional tests flush every table after each test, the service values a data
    # migration adds included: add them again, as the migration does, for the demo cases.
    import_module("servicenav.organisation.migrations.0002_service_values").add_values(apps, None)
    call_command("load_demo", stdout=io.StringIO())
    administration = (
        Indicator.objects.filter(active=True, unit__kind=Unit.Kind.ADMINISTRATION)
        .values_list("unit__slug", flat=True)
        .first()
    )
    rich = (
        Indicator.objects.filter(active=True, unit__kind=Unit.Kind.SERVICE)
        .exclude(kolada_kpi="")
        .values_list("unit__slug", flat=True)
        .first()
    )
    declaration = Version.objects.filter(status=Version.Status.PUBLISHED).first()
    assert administration
    assert rich
    assert declaration
    return {
        "start": "/sa-gar-det/",
        "administration": f"/sa-gar-det/{administration}/",
        "unit": f"/sa-gar-det/{rich}/",
        "compare": "/sa-gar-det/jamfor/",
        "statistics": "/statistik/synpunkter/",
        "open data": "/oppna-data/",
        "declarations": "/servicedeklarationer/",
        "declaration": f"/servicedeklarationer/{declaration.declaration_id}/",
    }


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_public_page_passes_axe_and_fits_a_phone(
    new_page: NewPage, axe: AssertAccessible, demo: dict[str, str], size: str
) -> None:
    page = new_page(viewport=SIZES[size])
    for name, address in demo.items():
        for prefix, lang in (("", "sv"), ("/en", "en")):
            response = page.goto(prefix + address)
            assert response is not None
            assert response.status == 200, name
            expect(page.locator("html")).to_have_attribute("lang", lang)
            expect(page.locator("h1")).to_have_count(1)
            axe(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= SIZES[size]["width"], f"{name} scrolls sideways at {size} size"


def test_the_results_pages_show_tiles_charts_and_tables(page: Page, demo: dict[str, str]) -> None:
    page.goto("/en" + demo["start"])
    expect(page.locator(".overview-tile")).not_to_have_count(0)
    expect(page.locator(".headlines").first).to_contain_text("got an answer within")

    page.goto("/en" + demo["unit"])
    expect(page.locator("svg[role=img]")).not_to_have_count(0)
    expect(page.locator("#unit-by-month")).to_be_visible()
    expect(page.locator(".kolada-comparison").first).to_contain_text("Source: Kolada")

    page.goto("/en" + demo["compare"])
    expect(page.locator("svg[role=img] title")).to_have_count(1)
    expect(page.locator(".kolada-comparison table")).to_be_visible()
    expect(page.get_by_text("Demo figures.")).to_be_visible()

    page.goto("/en" + demo["statistics"])
    expect(page.locator("#statistics-chart-title")).to_have_count(1)


def reached_by_tab(page: Page) -> tuple[set[str], int]:
    """Tab from the top of the page until the focus comes back round; the marked
    elements reached, and how many were marked."""
    count = page.evaluate(MARK_FOCUSABLE)
    reached: set[str] = set()
    for _press in range(count + 20):
        page.keyboard.press("Tab")
        index = page.evaluate(FOCUSED)
        if index is not None:
            if index in reached and len(reached) == count:
                break
            reached.add(index)
    return reached, count


def test_the_keyboard_alone_reaches_every_control(page: Page, demo: dict[str, str]) -> None:
    for name in ("start", "administration", "unit", "compare", "statistics"):
        page.goto("/en" + demo[name])

        reached, count = reached_by_tab(page)

        assert count > 10, name
        missed = sorted(set(map(str, range(count))) - reached, key=int)
        described = [
            page.evaluate(
                'i => document.querySelector(`[data-focus-index="${i}"]`).outerHTML.slice(0, 120)',
                index,
            )
            for index in missed
        ]
        assert not missed, (name, described)


def test_the_chosen_comparison_is_shown_with_the_keyboard(page: Page, demo: dict[str, str]) -> None:
    page.goto("/en" + demo["compare"])
    select = page.locator("#id_kpi")
    first = select.input_value()
    select.focus()
    page.keyboard.press("ArrowDown")
    chosen = select.input_value()
    assert chosen != first
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{page.url.split('?')[0]}?kpi={chosen}")
    expect(page.locator("#id_kpi")).to_have_value(chosen)


def test_printing_leaves_the_navigation_out_and_keeps_the_figures(
    page: Page, demo: dict[str, str]
) -> None:
    page.goto("/en" + demo["unit"])
    page.emulate_media(media="print")

    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".page-contents")).to_be_hidden()
    expect(page.locator(".breadcrumbs")).to_be_hidden()
    expect(page.locator("#unit-by-kind")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()

    page.goto("/en" + demo["start"])
    expect(page.locator(".overview-tile").first).to_be_visible()


@pytest.mark.parametrize("template", ["500.html", "503.html"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_error_pages_pass_axe(
    new_page: NewPage, axe: AssertAccessible, template: str, size: str
) -> None:
    """The pages for a fault on our side and for a database that cannot be reached are
    plain files that need no database, so they are checked as files."""
    page = new_page(viewport=SIZES[size])
    page.set_content(render_to_string(template))
    expect(page.locator("h1")).to_have_count(1)
    axe(page)
