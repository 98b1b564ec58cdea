"""The quality network's workspace in a real browser: a quality coordinator who is a member
holds a meeting (date and agenda), writes its minutes and a decision, gives an action item
an owner and a due date and marks it done, and marks a service report final (the page says
while the background worker is at it); axe-core finds no WCAG 2.1 A/AA violations on any
page of the network at desktop or phone size, and the meeting form works with the
keyboard alone."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from servicenav.core.periods import Period
from servicenav.network.models import ActionItem, Meeting
from servicenav.network.services import directive_adopt, member_add, report_create
from servicenav.network.tasks import finalise_report
from servicenav.organisation.models import Role
from servicenav.testing import make_user
from tests.browser.conftest import PASSWORD, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from conftest import Tree
    from servicenav.organisation.models import User
    from tests.browser.conftest import AssertAccessible, NewPage

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}
HOME = "/en/personal/natverket/"
AGENDA = "1. Kundenkäten\n2. Tertialrapporten"
MINUTES = "Vi gick igenom enkätens resultat."
DECISION = "Nätverket föreslår ett gemensamt tema för hösten."
TASK = "Sammanställ teman från synpunkterna"


def coordinator_in_network(tree: Tree) -> User:
    """A quality coordinator of the whole municipality who is the network's chair."""
    user = make_user(
        role=Role.QUALITY_COORDINATOR,
        unit=tree.kommun,
        username="kvalitet",
        password=PASSWORD,
        first_name="Kim",
        last_name="Kvalitet",
    )
    member_add(user=user, by=None)
    return user


def check(page: Page, axe: AssertAccessible, size: dict[str, int]) -> None:
    """axe finds nothing, and at phone size the page does not scroll sideways."""
    axe(page)
    if size == PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def hold_meeting(page: Page, axe: AssertAccessible, size: dict[str, int], day: date) -> None:
    page.get_by_role("link", name="New meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New meeting")
    check(page, axe, size)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Agenda").fill(AGENDA)
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Network meeting {day:%Y-%m-%d}")


def write_minutes_and_decision(page: Page) -> None:
    page.get_by_text("Edit the agenda and minutes").click()
    page.get_by_label("Minutes").fill(MINUTES)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("paragraph").filter(has_text=MINUTES)).to_be_visible()
    page.get_by_label("Decision").fill(DECISION)
    page.get_by_role("button", name="Add decision").click()
    expect(page.get_by_role("listitem").filter(has_text=DECISION)).to_be_visible()


def add_action_item(page: Page, owner: User, due: date) -> None:
    page.get_by_label("What to do").fill(TASK)
    page.get_by_label("Owner").select_option(value=str(owner.pk))
    page.get_by_label("Due").fill(due.isoformat())
    page.get_by_role("button", name="Add action item").click()
    row = page.get_by_role("row").filter(has_text=TASK)
    expect(row).to_contain_text("Kim Kvalitet")
    expect(row).to_contain_text(due.isoformat())
    expect(row).to_contain_text("open")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_meeting_with_minutes_a_decision_and_an_action_item_done_and_axe_finds_nothing(
    new_page: NewPage, axe: AssertAccessible, tree: Tree, size: dict[str, int]
) -> None:
    coordinator = coordinator_in_network(tree)
    held_on, due = date(2026, 3, 12), date(2026, 4, 30)
    page = new_page(viewport=size)
    log_in(page, coordinator, HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Quality network")
    check(page, axe, size)

    hold_meeting(page, axe, size, held_on)
    check(page, axe, size)
    write_minutes_and_decision(page)
    add_action_item(page, coordinator, due)
    check(page, axe, size)

    page.get_by_role("link", name="Back to the quality network").click()
    open_items = page.get_by_role("table", name="Open action items")
    expect(open_items.get_by_role("row").filter(has_text=TASK)).to_contain_text(due.isoformat())
    expect(page.get_by_role("listitem").filter(has_text="1 decision")).to_be_visible()
    check(page, axe, size)

    page.get_by_role("link", name=f"{held_on:%Y-%m-%d}").first.click()
    page.get_by_role("row").filter(has_text=TASK).get_by_role("button", name="Mark done").click()
    row = page.get_by_role("row").filter(has_text=TASK)
    expect(row).to_contain_text("done")
    expect(row.get_by_role("button", name="Reopen")).to_be_visible()
    check(page, axe, size)
    item = ActionItem.objects.get()
    assert (item.status, item.owner, item.due_on) == ("done", coordinator, due)
    meeting = Meeting.objects.get()
    assert (meeting.agenda, meeting.minutes) == (AGENDA.replace("\n", "\r\n"), MINUTES)

    page.get_by_role("link", name="Back to the quality network").click()
    expect(page.get_by_text("No open action items.")).to_be_visible()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_directive_and_the_report_pages_pass_axe(
    new_page: NewPage, axe: AssertAccessible, tree: Tree, size: dict[str, int]
) -> None:
    coordinator = coordinator_in_network(tree)
    directive_adopt(
        text="Nätverket ska hålla ihop kommunens syn på service.",
        adopted_on=date(2025, 1, 15),
        adopted_by="Kommundirektörens ledningsgrupp",
        by=None,
    )
    report = report_create(period=Period.parse("2025-T3"), by=coordinator)
    page = new_page(viewport=size)
    log_in(page, coordinator, HOME)

    page.get_by_role("link", name="Read the directive and its earlier versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The network's directive")
    check(page, axe, size)
    page.get_by_role("link", name="New version of the directive").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New version of the directive")
    check(page, axe, size)

    page.goto(HOME)
    page.get_by_role("link", name=str(report)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Service report")
    check(page, axe, size)
    page.get_by_role("button", name="Mark the report final").click()
    expect(page.get_by_text("Write the summary and the conclusions")).to_be_visible()
    check(page, axe, size)
    page.get_by_label("Summary").fill("Ett lugnt tertial.")
    page.get_by_label("Conclusions").fill("Vi fortsätter.")
    page.get_by_role("button", name="Save the summary and conclusions").click()
    page.get_by_role("button", name="Mark the report final").click()
    expect(page.get_by_text("Being marked final…")).to_be_visible()
    check(page, axe, size)

    assert finalise_report.call(report.pk) == "final"  # as the background worker would
    page.get_by_role("link", name="Reload the page to see whether it is done").click()
    expect(page.get_by_text("Final since")).to_be_visible()
    check(page, axe, size)


def tab_to(page: Page, element_id: str) -> None:
    for _press in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id}")


def type_date(page: Page, day: date, layout: tuple[str, ...]) -> bool:
    """Types `day` into the focused date field part by part in the order `layout` gives.
    Two-digit month and day move on by themselves; a year may have more digits, so the
    right arrow moves on from it. True when the field then holds `day`."""
    for part in layout:
        page.keyboard.type(f"{day:%{part}}")
        if part == "Y":
            page.keyboard.press("ArrowRight")
    return page.input_value("#id_held_on") == day.isoformat()


# The order of a date field's parts follows the browser's own locale (not the page's):
# month/day/year under C or en-US, year-month-day under Swedish. A date whose day equals
# its month leaves only the year's place to find.
DATE_LAYOUTS = (("m", "d", "Y"), ("Y", "m", "d"))


def test_the_meeting_form_is_filled_and_sent_with_the_keyboard_alone(
    new_page: NewPage, tree: Tree
) -> None:
    coordinator = coordinator_in_network(tree)
    page = new_page(viewport=DESKTOP)
    log_in(page, coordinator, HOME)
    day = date(2026, 11, 11)
    for layout in DATE_LAYOUTS:
        page.goto("/en/personal/natverket/moten/ny/")
        tab_to(page, "id_held_on")
        if type_date(page, day, layout):
            break
    else:
        pytest.fail("The date could not be typed in any known order of its parts")
    tab_to(page, "id_agenda")  # past the date field's calendar button
    page.keyboard.type("Verksamhetsplanen")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Save the meeting"
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Network meeting {day:%Y-%m-%d}")
    meeting = Meeting.objects.get()
    assert (meeting.held_on, meeting.agenda) == (day, "Verksamhetsplanen")
