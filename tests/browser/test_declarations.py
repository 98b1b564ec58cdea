"""A service declaration end to end, in a real browser: a quality coordinator drafts it, the
unit's manager approves and publishes it, a citizen reads it on the public pages, follows
"if we do not keep a promise" and files a complaint linked to that promise. axe checks every
public page on the way, in Swedish and in English.

Staff work on the English pages (the labels are the source strings); the citizen uses the
Swedish pages, with labels looked up in the translation catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from django.utils.translation import gettext
from playwright.sync_api import expect

from servicenav.cases.models import Case, Kind
from servicenav.declarations.models import Version
from servicenav.organisation.models import Role
from servicenav.testing import make_user
from tests.browser.conftest import PASSWORD, log_in

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Page

    from conftest import Tree
    from servicenav.organisation.models import Unit, User
    from tests.browser.conftest import AssertAccessible, NewPage

SERVICE = "Gator och cykelvägar"
PROMISE = "Vi svarar på din synpunkt inom 10 arbetsdagar."
COMPLAINT = "Jag väntade tre veckor på svar om den trasiga cykelbanan."


@pytest.fixture(autouse=True)
def _no_earlier_submissions_counted() -> Iterator[None]:
    # The public form's per-address limit counts in the cache the live server shares.
    cache.clear()
    yield
    cache.clear()


def staff(role: Role, unit: Unit, username: str) -> User:
    return make_user(role=role, unit=unit, username=username, password=PASSWORD)


def draft_declaration(page: Page, unit: Unit) -> None:
    """The coordinator writes a declaration with one measurable promise and sends it."""
    page.get_by_label("Unit").select_option(value=str(unit.pk))
    page.get_by_label("Service in Swedish", exact=True).fill(SERVICE)
    page.get_by_label("Service in English (optional)", exact=True).fill("Streets and cycle paths")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_label("Promise in Swedish")).to_be_visible()
    page.get_by_label("Promise in Swedish").fill(PROMISE)
    page.get_by_label("Measured by").select_option(value="answered_within")
    page.get_by_label("Limit in working days").fill("10")
    page.get_by_label("Kept when at least (%)").fill("90")
    page.get_by_role("button", name="Save the draft").click()
    page.goto(page.url.replace("redigera/", ""))
    page.get_by_role("button", name="Send for approval").click()


def approve_and_publish(page: Page) -> None:
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_role("button", name="Publish", exact=True).click()


def test_a_declaration_is_drafted_approved_published_and_a_citizen_complains_about_a_promise(
    new_page: NewPage, axe: AssertAccessible, tree: Tree
) -> None:
    coordinator = staff(Role.QUALITY_COORDINATOR, tree.teknik, "kvalitet")
    manager = staff(Role.UNIT_MANAGER, tree.teknik, "chef")

    writer_page = new_page()
    log_in(writer_page, coordinator, "/en/personal/deklarationer/ny/")
    draft_declaration(writer_page, tree.gata)
    version = Version.objects.get()
    assert version.status == Version.Status.PENDING
    pk = version.declaration_id

    manager_page = new_page()
    log_in(manager_page, manager, f"/en/personal/deklarationer/{pk}/")
    approve_and_publish(manager_page)
    version.refresh_from_db()
    assert (version.status, version.approved_by) == (Version.Status.PUBLISHED, manager)

    citizen = new_page()
    for prefix in ("/en", ""):
        citizen.goto(f"{prefix}/servicedeklarationer/")
        axe(citizen)
        citizen.get_by_role(
            "link", name=SERVICE if prefix == "" else "Streets and cycle paths"
        ).click()
        expect(citizen.get_by_role("heading", level=1)).to_contain_text(
            SERVICE if prefix == "" else "Streets and cycle paths"
        )
        expect(citizen.locator("html")).to_have_attribute("lang", prefix.strip("/") or "sv")
        axe(citizen)
    citizen.goto(f"/servicedeklarationer/{pk}/version/1/")
    axe(citizen)

    citizen.goto(f"/servicedeklarationer/{pk}/")
    link = gettext("Give feedback on the promise “%(promise)s”") % {"promise": PROMISE}
    citizen.get_by_role("link", name=link).click()
    expect(citizen.get_by_text(gettext("Your feedback concerns the promise:"))).to_be_visible()
    axe(citizen)
    citizen.get_by_label(gettext("Your feedback")).fill(COMPLAINT)
    citizen.get_by_label(gettext("I want to stay anonymous")).check()
    citizen.get_by_role("button", name=gettext("Send feedback")).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(
        gettext("Thank you for your feedback")
    )

    case = Case.objects.get()
    assert (case.kind, case.unit, case.text) == (Kind.COMPLAINT, tree.gata, COMPLAINT)
    assert case.commitment == version.commitments.get()
    citizen.goto(f"/servicedeklarationer/{pk}/")
    expect(citizen.locator(".promise__feedback")).to_contain_text("1")
