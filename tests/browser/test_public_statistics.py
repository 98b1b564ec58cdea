"""The public feedback statistics page in a real browser: axe finds no WCAG 2.1 A/AA
violations at desktop and phone sizes in Swedish and English, the page does not scroll
sideways on a phone, the filters are reached and used with the keyboard alone, and the
filters are left out when the page is printed."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from servicenav.cases.services import case_close
from servicenav.core.calendar import WorkingCalendar
from servicenav.organisation.models import Role
from servicenav.public.feedback import feedback_statistics_compute
from servicenav.testing import make_case, make_user

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from conftest import Tree
    from tests.browser.conftest import AssertAccessible, NewPage

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
KINDS = ("complaint", "praise", "question", "suggestion")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM)


@pytest.fixture
def counted(tree: Tree) -> Tree:
    """Feedback to Gata and Vatten in March to May 2026, most of it answered, counted."""
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.kommun)
    calendar = WorkingCalendar()
    for number in range(40):
        day = date(2026, 3 + number % 3, 2 + number % 20)
        unit = tree.gata if number % 4 else tree.vatten
        case = make_case(unit=unit, kind=KINDS[number % 4], received_at=at(day), at=at(day))
        if number % 5:
            answered = calendar.add_working_days(day, number % 13)
            case_close(case=case, outcome="answered", by=handler, at=at(answered, 14))
    feedback_statistics_compute(today=date(2026, 6, 15))
    return tree


@pytest.mark.usefixtures("counted")
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_statistics_page_passes_axe_at_desktop_and_phone_size(
    new_page: NewPage, axe: AssertAccessible, size: str
) -> None:
    page = new_page(viewport=SIZES[size])
    for prefix, lang in (("", "sv"), ("/en", "en")):
        page.goto(f"{prefix}/statistik/synpunkter/")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_count(1)
        expect(page.locator("#by-kind")).to_be_visible()
        axe(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"], f"the page scrolls sideways at {size} size"
    page.goto("/en/statistik/synpunkter/?period=2026-04&kind=praise")
    axe(page)
    page.goto("/en/statistik/synpunkter/?period=1999")
    expect(page.get_by_role("alert")).to_contain_text("We could not show these statistics.")
    axe(page)


def test_the_filters_are_reached_and_used_with_the_keyboard_alone(
    page: Page, counted: Tree
) -> None:
    page.goto("/en/statistik/synpunkter/")
    wanted = ["id_unit", "id_kind", "id_period"]
    reached = []
    for _press in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.tagName")
        reached.append(focused)
        if focused == "id_period":
            break
    assert [name for name in reached if name in wanted] == wanted

    page.keyboard.press("Shift+Tab")  # back to the kind of feedback
    expect(page.locator("#id_kind")).to_be_focused()
    page.keyboard.press("ArrowDown")  # all kinds → complaint
    expect(page.locator("#id_kind")).to_have_value("complaint")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"kind=complaint"))
    expect(page.locator("#by-kind-complaint")).to_be_visible()
    expect(page.locator("#by-kind-all")).to_have_count(0)


@pytest.mark.usefixtures("counted")
def test_printing_leaves_the_filters_out_and_keeps_the_tables(page: Page) -> None:
    page.goto("/en/statistik/synpunkter/")
    page.emulate_media(media="print")

    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("#by-kind")).to_be_visible()
    expect(page.locator("#by-month")).to_be_visible()


@pytest.mark.usefixtures("counted")
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_open_data_page_passes_axe_and_links_the_files(
    new_page: NewPage, axe: AssertAccessible, size: str
) -> None:
    page = new_page(viewport=SIZES[size])
    for prefix in ("", "/en"):
        page.goto(f"{prefix}/oppna-data/")
        axe(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    link = page.locator('a[href="/oppna-data/synpunktsstatistik.csv"]')
    expect(link).to_have_count(1)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "synpunktsstatistik.csv"
