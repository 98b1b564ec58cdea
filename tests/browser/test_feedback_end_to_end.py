"""Feedback end to end, in a real browser against the live server: a citizen gives
feedback as a new user would and follows the case with its reference and follow-up code; a
case handler finds, assigns, answers and closes it; the citizen reads the reply, answers
it and reopens the case. E-mail goes through a real SMTP server on 127.0.0.1.

Fields and buttons are found by their visible labels, so a field without a label, or a
label not tied to its field, fails here. The labels are looked up in the translation
catalogue, so the Swedish steps follow the Swedish wording wherever it is translated.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email import policy
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect

from servicenav.cases.models import Case, Kind, Outcome, Status
from servicenav.cases.services import case_close, case_reply, case_submit
from servicenav.organisation.models import Role
from servicenav.testing import make_user
from tests.browser.conftest import PASSWORD

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Locator, Page

    from conftest import SmtpInbox, Tree
    from servicenav.organisation.models import Unit, User
    from tests.browser.conftest import AssertAccessible, NewPage

ADDRESS = "astrid.lindqvist@example.org"
PRAISE = "Tack för den snabba snöröjningen på Storgatan i morse. Det var lätt att gå till jobbet!"
COMPLAINT = "Gatlampan vid busshållplatsen på Skurholmsvägen har varit släckt i två veckor."
REPLY = "Tack för att du hörde av dig. Lampan är nu lagad."
# The kind choices as the form labels them (msgids; the helpers translate them).
KIND_LABELS = {
    Kind.COMPLAINT: "Complaint – something did not work as it should",
    Kind.SUGGESTION: "Suggestion – an idea for doing something better",
    Kind.PRAISE: "Praise – something that worked well",
    Kind.QUESTION: "Question – something you want to know",
}
FOLLOW_UP_CODE = re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4})+$")


@pytest.fixture(autouse=True)
def _no_earlier_submissions_counted() -> Iterator[None]:
    # The per-address limits count in the process's cache, which the live server shares
    # and which outlives a test; every request from the browser comes from 127.0.0.1.
    cache.clear()
    yield
    cache.clear()


@dataclass(frozen=True)
class Receipt:
    reference: str
    code: str


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def mail_to(smtp: SmtpInbox, address: str) -> list[str]:
    """Subject and plain-text body of each message the SMTP server received for `address`."""
    texts = []
    for message in smtp.messages:
        if address in message["to"]:
            parsed: Any = email.message_from_bytes(message["data"].encode(), policy=policy.default)
            body = parsed.get_body(preferencelist=("plain",))
            texts.append(f"Subject: {parsed['Subject']}\n{body.get_content()}")
    return texts


def label(unit: Unit) -> str:
    """A unit as the form's list shows it: indented by its depth in the tree."""
    return "\u00a0\u00a0\u00a0" * unit.depth + unit.name


def fill_feedback(
    page: Page,
    *,
    kind: str = Kind.PRAISE,
    unit: Unit | None = None,
    text: str = PRAISE,
    email_address: str = "",
) -> None:
    page.get_by_label(gettext(KIND_LABELS[Kind(kind)])).check()
    service = page.get_by_label(gettext("Which service is it about?"))
    service.select_option(label=gettext("Don't know") if unit is None else label(unit))
    page.get_by_label(gettext("Your feedback")).fill(text)
    if email_address:
        page.get_by_label(gettext("I want an answer")).check()
        page.get_by_label(gettext("E-mail")).fill(email_address)
    else:
        page.get_by_label(gettext("I want to stay anonymous")).check()


def send_feedback(page: Page) -> None:
    page.get_by_role("button", name=gettext("Send feedback")).click()


def read_receipt(page: Page) -> Receipt:
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(gettext("Thank you for your feedback"))
    codes = page.locator(".receipt__code")
    expect(codes).to_have_count(2)
    reference, code = (text.strip() for text in codes.all_inner_texts())
    assert re.fullmatch(rf"S-{timezone.localdate().year}-\d{{5}}", reference), reference
    assert FOLLOW_UP_CODE.match(code), code
    return Receipt(reference=reference, code=code)


def submit_feedback(page: Page, *, prefix: str = "", **fields: Any) -> Receipt:
    """Gives feedback through the form, as a citizen; returns what the receipt shows."""
    page.goto(f"{prefix}/synpunkter/ny/")
    fill_feedback(page, **fields)
    send_feedback(page)
    return read_receipt(page)


def case_heading(reference: str) -> str:
    return gettext("Case %(reference)s") % {"reference": reference}


def ask_for_case(page: Page, receipt: Receipt) -> None:
    """Sends the follow page's form with a reference and a code."""
    page.get_by_label(gettext("Reference")).fill(receipt.reference)
    page.get_by_label(gettext("Follow-up code")).fill(receipt.code)
    page.get_by_role("button", name=gettext("Show the case")).click()


def follow_case(page: Page, receipt: Receipt) -> None:
    """The citizen's way back to the case: the follow page, with reference and code."""
    page.goto("/synpunkter/folj/")
    ask_for_case(page, receipt)
    expect(page.get_by_role("heading", level=1)).to_have_text(case_heading(receipt.reference))


def log_in(page: Page, user: User) -> None:
    """Logs in through the login page; lands in the case inbox."""
    page.goto("/konto/logga-in/?next=/personal/arenden/")
    page.get_by_label(capfirst(gettext("username"))).fill(user.username)
    page.get_by_label(gettext("Password")).fill(PASSWORD)
    page.get_by_role("button", name=gettext("Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("Cases"))


def find_case(page: Page, reference: str) -> None:
    """Searches the inbox for the reference and opens the case."""
    page.get_by_label(gettext("Search reference or text")).fill(reference)
    page.get_by_role("button", name=gettext("Filter")).click()
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case_heading(reference))


def staff_action(page: Page, section: str) -> Locator:
    """The form of one action on the staff case page (`#svara`, `#stang`, …)."""
    return page.locator(f"section#{section}")


def case_handler(unit: Unit, username: str = "kim") -> User:
    return make_user(
        role=Role.CASE_HANDLER,
        unit=unit,
        username=username,
        first_name="Kim",
        last_name="Berg",
        password=PASSWORD,
    )


def closed_label() -> str:
    return capfirst(str(Status.CLOSED.label))


# The citizen gives feedback -------------------------------------------------------------


def test_a_new_user_gives_praise_fixes_an_error_gets_a_receipt_and_the_receipt_by_email(
    page: Page, axe: AssertAccessible, tree: Tree, smtp: SmtpInbox
) -> None:
    page.goto("/synpunkter/ny/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_count(1)
    axe(page)

    fill_feedback(page, text="", email_address=ADDRESS)
    send_feedback(page)

    summary = page.get_by_role("alert")
    missing_text = gettext("Write your feedback.")
    expect(summary).to_be_visible()
    text_field = page.get_by_label(gettext("Your feedback"))
    expect(text_field).to_have_attribute("aria-invalid", "true")
    expect(text_field).to_have_accessible_description(re.compile(re.escape(missing_text)))
    # What the person chose and typed stays; only the missing text is to be added.
    expect(page.get_by_label(gettext(KIND_LABELS[Kind.PRAISE]))).to_be_checked()
    expect(page.get_by_label(gettext("E-mail"))).to_have_value(ADDRESS)
    axe(page)
    # The summary's link takes the person to the field, below the fold, ready to type.
    expect(text_field).not_to_be_in_viewport()
    summary.get_by_role("link", name=missing_text).click()
    expect(text_field).to_be_focused()
    expect(text_field).to_be_in_viewport()
    assert Case.objects.count() == 0

    text_field.fill(PRAISE)
    send_feedback(page)
    receipt = read_receipt(page)
    axe(page)

    case = Case.objects.get(reference=receipt.reference)
    assert (case.kind, case.unit, case.reporter_email) == (Kind.PRAISE, None, ADDRESS)
    assert smtp.messages == []  # queued with the case; the worker delivers it
    run_worker()
    [receipt_mail] = mail_to(smtp, ADDRESS)
    assert receipt.reference in receipt_mail
    assert receipt.code in receipt_mail


@pytest.mark.parametrize("kind", list(Kind))
def test_an_anonymous_citizen_follows_the_case_in_a_fresh_browser_with_reference_and_code(
    kind: Kind,
    page: Page,
    new_page: NewPage,
    axe: AssertAccessible,
    tree: Tree,
    smtp: SmtpInbox,
) -> None:
    receipt = submit_feedback(page, kind=kind, unit=tree.vatten, text=COMPLAINT)
    assert Case.objects.get(reference=receipt.reference).is_anonymous

    elsewhere = new_page()  # another browser: no session, no grant
    elsewhere.goto(f"/synpunkter/{receipt.reference}/")
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text(gettext("Follow your case"))
    expect(elsewhere.get_by_text(COMPLAINT)).to_have_count(0)
    # An outsider who knows the reference but guesses the code sees nothing of the case.
    ask_for_case(elsewhere, Receipt(reference=receipt.reference, code="AAAA-BBBB-CCCC"))
    expect(elsewhere.get_by_role("alert")).to_contain_text(
        gettext(
            "We could not find a case with that reference and follow-up code. "
            "Check both and try again."
        )
    )
    expect(elsewhere.get_by_text(COMPLAINT)).to_have_count(0)

    follow_case(elsewhere, receipt)
    expect(elsewhere.get_by_text(COMPLAINT)).to_be_visible()
    expect(elsewhere.locator("dl.facts")).to_contain_text(capfirst(str(kind.label)))
    expect(elsewhere.locator("dl.facts")).to_contain_text(tree.vatten.name)
    axe(elsewhere)

    run_worker()
    assert smtp.messages == []


def test_the_english_form_has_lang_en_passes_axe_and_gives_an_english_receipt_and_email(
    page: Page, axe: AssertAccessible, tree: Tree, smtp: SmtpInbox, live_server_url: str
) -> None:
    with translation.override("en"):
        page.goto("/en/synpunkter/ny/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_have_text("Give feedback")
        axe(page)

        receipt = submit_feedback(page, prefix="/en", email_address=ADDRESS)
        expect(page).to_have_url(f"{live_server_url}/en/synpunkter/kvitto/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_text("Save these to follow your case")).to_be_visible()
        axe(page)

    assert Case.objects.get(reference=receipt.reference).language == "en"
    run_worker()
    [receipt_mail] = mail_to(smtp, ADDRESS)
    assert f"Subject: We have received your feedback ({receipt.reference})" in receipt_mail
    assert "Follow-up code: " + receipt.code in receipt_mail


def test_at_320_px_wide_the_form_receipt_and_case_page_do_not_scroll_sideways_and_pass_axe(
    page: Page, axe: AssertAccessible, tree: Tree
) -> None:
    def assert_fits() -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/synpunkter/ny/")
    assert_fits()
    axe(page)

    # A long unbroken word (a pasted link) must wrap, not widen the page.
    long_link = "https://www.lulea.se/karta?plats=" + "65.584819%2C22.156702" * 4
    fill_feedback(page, unit=tree.hemtjanst, text=f"{PRAISE} Se {long_link}")
    send_feedback(page)
    receipt = read_receipt(page)
    assert_fits()
    axe(page)

    case = Case.objects.get(reference=receipt.reference)
    case_reply(case=case, text=f"Tack! Läs mer på {long_link}", by=case_handler(tree.hemtjanst))
    page.get_by_role("link", name=gettext("Go to your case page")).click()
    expect(page.get_by_text(long_link)).to_have_count(2)
    assert_fits()
    axe(page)


def test_the_form_works_without_javascript(new_page: NewPage, tree: Tree) -> None:
    page = new_page(java_script_enabled=False)

    receipt = submit_feedback(page, kind=Kind.SUGGESTION, unit=tree.gata, text=COMPLAINT)

    case = Case.objects.get(reference=receipt.reference)
    assert (case.kind, case.unit, case.text) == (Kind.SUGGESTION, tree.gata, COMPLAINT)


# Staff handle the case; the citizen hears back ------------------------------------------


def test_a_handler_assigns_answers_and_closes_the_case_and_the_citizen_reads_the_reply(
    page: Page, new_page: NewPage, axe: AssertAccessible, tree: Tree, smtp: SmtpInbox
) -> None:
    handler = case_handler(tree.gata)
    receipt = submit_feedback(
        page, kind=Kind.COMPLAINT, unit=tree.gata, text=COMPLAINT, email_address=ADDRESS
    )

    staff = new_page()
    log_in(staff, handler)
    expect(staff.get_by_role("link", name=receipt.reference, exact=True)).to_be_visible()
    axe(staff)
    find_case(staff, receipt.reference)
    expect(staff.get_by_text(COMPLAINT)).to_be_visible()
    axe(staff)

    staff.get_by_role("button", name=gettext("Assign to me")).click()
    expect(staff.get_by_role("status")).to_have_text(gettext("The handler is saved."))
    expect(staff.locator("dl.case-facts").first).to_contain_text("Kim Berg")

    reply = staff_action(staff, "svara")
    reply.get_by_label(gettext("Reply")).fill(REPLY)
    reply.get_by_role("button", name=gettext("Send the reply")).click()
    expect(staff.get_by_role("status")).to_have_text(
        gettext("The reply is saved and shown to the citizen.")
    )

    close = staff_action(staff, "stang")
    close.get_by_label(gettext("Outcome"), exact=True).select_option(
        label=capfirst(str(Outcome.ANSWERED.label))
    )
    close.get_by_role("button", name=gettext("Close the case")).click()
    expect(staff.get_by_role("status")).to_have_text(gettext("The case is closed."))
    expect(staff.locator("dl.case-facts").first).to_contain_text(closed_label())
    expect(staff.locator("ol.history")).to_contain_text(REPLY)
    axe(staff)

    citizen = new_page()
    follow_case(citizen, receipt)
    expect(citizen.locator("ol.timeline")).to_contain_text(REPLY)
    expect(citizen.locator("ol.timeline")).to_contain_text(
        gettext("Reply from %(name)s") % {"name": "Kim"}
    )
    expect(citizen.locator("dl.facts")).to_contain_text(closed_label())
    expect(citizen.locator("dl.facts")).to_contain_text(str(Outcome.ANSWERED.label))
    expect(citizen.get_by_text(ADDRESS)).to_have_count(0)
    axe(citizen)

    run_worker()
    receipt_mail, reply_mail = mail_to(smtp, ADDRESS)
    assert receipt.code in receipt_mail
    assert receipt.reference in reply_mail
    assert REPLY in reply_mail
    assert receipt.code not in reply_mail


def test_a_handler_of_another_unit_neither_finds_nor_opens_the_case(
    page: Page, new_page: NewPage, tree: Tree
) -> None:
    receipt = submit_feedback(page, kind=Kind.COMPLAINT, unit=tree.gata, text=COMPLAINT)
    case = Case.objects.get(reference=receipt.reference)
    outsider = case_handler(tree.vatten, username="vera")

    staff = new_page()
    log_in(staff, outsider)
    staff.get_by_label(gettext("Search reference or text")).fill(receipt.reference)
    staff.get_by_role("button", name=gettext("Filter")).click()
    expect(staff.get_by_text(gettext("No cases match."))).to_be_visible()
    expect(staff.get_by_role("link", name=receipt.reference)).to_have_count(0)

    response = staff.goto(f"/personal/arenden/{case.pk}/")
    assert response is not None
    assert response.status == 404
    expect(staff.get_by_text(COMPLAINT)).to_have_count(0)


def test_the_citizen_answers_a_reply_reopens_the_closed_case_and_staff_see_it_in_the_history(
    new_page: NewPage, axe: AssertAccessible, tree: Tree
) -> None:
    handler = case_handler(tree.gata)
    case, code = case_submit(kind=Kind.QUESTION, unit=tree.gata, text=COMPLAINT)
    case_reply(case=case, text="Vilken hållplats gäller det?", by=handler)
    receipt = Receipt(reference=case.reference, code=code)
    answer = "Hållplatsen Skurholmen, mot centrum."
    reason = "Lampan är släckt igen sedan i går kväll."

    citizen = new_page()
    follow_case(citizen, receipt)
    citizen.get_by_label(gettext("Your answer")).fill(answer)
    citizen.get_by_role("button", name=gettext("Send"), exact=True).click()
    expect(citizen.get_by_role("status")).to_have_text(
        gettext("Thank you. Your message has been added to the case.")
    )
    expect(citizen.locator("ol.timeline")).to_contain_text(answer)

    case_close(case=Case.objects.get(pk=case.pk), outcome=Outcome.ACTIONED, by=handler)
    citizen.reload()
    expect(citizen.locator("dl.facts")).to_contain_text(closed_label())
    expect(citizen.get_by_label(gettext("Your answer"))).to_have_count(0)
    axe(citizen)
    citizen.get_by_label(gettext("Why do you want the case opened again?")).fill(reason)
    citizen.get_by_role("button", name=gettext("Open the case again")).click()
    expect(citizen.get_by_role("status")).to_have_text(
        gettext("The case is open again. We will get back to you.")
    )
    expect(citizen.locator("dl.facts")).to_contain_text(capfirst(str(Status.IN_PROGRESS.label)))
    axe(citizen)

    staff = new_page()
    log_in(staff, handler)
    find_case(staff, case.reference)
    history = staff.locator("ol.history")
    expect(history.locator("li", has_text=answer)).to_contain_text(gettext("the citizen"))
    expect(history.locator("li", has_text=reason)).to_contain_text(gettext("the citizen"))
    expect(staff.locator("dl.case-facts").first).to_contain_text(
        capfirst(str(Status.IN_PROGRESS.label))
    )
