""" "Du sa – vi gjorde" in a real browser: reachable, filterable and accessible at desktop
and phone sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from servicenav.improvement.models import Action
from servicenav.improvement.services import action_publish, action_set_status
from servicenav.improvement.tests.factories import make_action
from servicenav.organisation.models import Role
from servicenav.testing import make_unit, make_user

if TYPE_CHECKING:
    from playwright.sync_api import Page

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
