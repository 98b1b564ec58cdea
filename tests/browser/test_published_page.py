"""The page of published feedback, in a real browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from servicenav.cases.services import case_close, case_publish
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_unit, make_user

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.conftest import AssertAccessible


def test_published_feedback_is_reachable_from_the_start_page_and_passes_axe(
    page: Page, axe: AssertAccessible
):
    unit = make_unit(name="Gata och park")
    handler = make_user(role=Role.CASE_HANDLER, unit=unit)
    case = make_case(unit=unit, kind="suggestion", text="Fler bänkar i parken, tack!")
    case_close(case=case, outcome="actioned", by=handler)
    case_publish(
        case=case,
        summary="Någon önskade fler parkbänkar.",
        answer="Vi har ställt ut sex nya bänkar.",
        by=handler,
    )
    page.goto("/")
    page.get_by_role("link", name="Synpunkter och våra svar").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Synpunkter och våra svar"
    assert page.get_by_text("Vi har ställt ut sex nya bänkar.").is_visible()
    axe(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
