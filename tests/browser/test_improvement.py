""" "Du sa – vi gjorde" in a real browser: reachable, filterable and accessible at desktop
and phone sizes; and a good example edited by a quality coordinator, with axe-core finding
nothing on the library or its form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import expect

from servicenav.improvement.models import Action, GoodExample
from servicenav.improvement.services import (
    action_publish,
    action_set_status,
    good_example_create,
)
from servicenav.improvement.tests.factories import make_action
from servicenav.organisation.models import Role
from servicenav.testing import make_unit, make_user
from tests.browser.conftest import PASSWORD, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from conftest import Tree
    from tests.browser.conftest import AssertAccessible


def test_you_said_we_did_lists_published_actions_and_passes_axe(page: Page, axe: AssertAccessible):
    kommun = make_unit(name="Kommunen")
    gata = make_unit(name="Gata och park", parent=kommun)
    manager = make_user(role=Role.UNIT_MANAGER, unit=kommun)
    action = make_action(unit=gata, title="Snöröjning före kl. 7")
    for status in (Action.Status.DECIDED, Action.Status.IN_PROGRESS):
        action_set_status(action=action, status=status, by=manager)
    action_set_status(action=action, status=Action.Status.DONE, outcome="Klart.", by=manager)
    action_publish(action=action, text_sv="Nu röjer vi gångvägar först.", by=manager)

    page.goto("/en/du-sa-vi-gjorde/")
    assert page.get_by_role("heading", level=1).inner_text() == "You said – we did"
    assert page.get_by_text("Nu röjer vi gångvägar först.").is_visible()
    page.get_by_label("Unit").select_option(label="\u00a0\u00a0\u00a0Gata och park (en)")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("heading", level=2).first.inner_text() == "Snöröjning före kl. 7"
    axe(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)


def test_a_coordinator_edits_a_good_example_and_axe_finds_nothing(
    page: Page, axe: AssertAccessible, tree: Tree
):
    coordinator = make_user(
        role=Role.QUALITY_COORDINATOR, unit=tree.social, username="kvalitet", password=PASSWORD
    )
    example = good_example_create(
        title="Öppet hus", text="Vi bjöd in anhöriga.", unit=tree.hemtjanst, by=coordinator
    )
    log_in(page, coordinator, "/en/personal/forbattring/exempel/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Good examples")
    axe(page)

    page.get_by_role("link", name="Edit “Öppet hus”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the good example")
    axe(page)
    page.get_by_label("Title").fill("Öppet hus varje månad")
    page.get_by_label("What it led to").fill("Fler anhöriga hör av sig.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The good example is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Öppet hus varje månad")).to_be_visible()
    axe(page)
    example.refresh_from_db()
    assert example.result == "Fler anhöriga hör av sig."
    assert GoodExample.objects.count() == 1
