"""A respondent answers a survey on a phone, in a real browser: opens the round's link, sends
with a required answer missing and gets the error summary, saves to continue later, finds
the answers again after a reload, completes and sends. axe checks every page on the way, and
no page scrolls sideways at 320 px. An invited respondent comes from the link in an e-mail,
on the English pages, and enters the code.

The survey's own texts are Swedish data; on the Swedish pages the labels are looked up in
the translation catalogue, as the tests run in Swedish."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect

from servicenav.organisation.models import Role
from servicenav.surveys.models import (
    Area,
    Invitation,
    Question,
    Response,
    Round,
    Survey,
    TextAnswer,
)
from servicenav.surveys.services import invitations_create, response_submit, round_create
from servicenav.testing import make_user
from tests.browser.conftest import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, ViewportSize

    from conftest import Tree
    from servicenav.organisation.models import Unit
    from tests.browser.conftest import AssertAccessible, NewPage

PHONE_SIZE: ViewportSize = {"width": 375, "height": 740}
SCALE = "Hur nöjd är du med hur vi bemötte dig?"
CHANNEL = "Hur kontaktade du oss?"
SERVICES = "Vilka av våra tjänster har du använt?"
HELPED = "Fick du den hjälp du behövde?"
FREE_TEXT = "Vad kan vi göra bättre?"
AGE = "Hur gammal är du?"


def citizen_survey(unit: Unit) -> Round:
    """An open round with one area, every kind of question and a background question."""
    survey = Survey.objects.create(
        unit=unit,
        title_sv="Medborgarenkät om gator",
        target_group_sv="Alla som bor i kommunen och har kontaktat oss om gator",
        intro_sv="Dina svar hjälper oss att bli bättre.",
    )
    area = Area.objects.create(survey=survey, name_sv="Bemötande")

    def ask(kind: str, text: str, **fields: object) -> None:
        Question.objects.create(survey=survey, area=area, kind=kind, text_sv=text, **fields)

    ask(
        Question.Kind.SCALE,
        SCALE,
        scale_max=5,
        low_label_sv="Mycket missnöjd",
        high_label_sv="Mycket nöjd",
        allows_dont_know=True,
        required=True,
        is_overall=True,
        order=1,
    )
    ask(
        Question.Kind.SINGLE,
        CHANNEL,
        options=[{"sv": "Telefon"}, {"sv": "E-post"}, {"sv": "Besök"}],
        order=2,
    )
    ask(
        Question.Kind.MULTIPLE,
        SERVICES,
        options=[{"sv": "Snöröjning"}, {"sv": "Gatubelysning"}, {"sv": "Cykelvägar"}],
        order=3,
    )
    ask(Question.Kind.YES_NO, HELPED, order=4)
    ask(Question.Kind.TEXT, FREE_TEXT, order=5)
    ask(
        Question.Kind.SINGLE,
        AGE,
        options=[{"sv": "Under 30 år"}, {"sv": "30–64 år"}, {"sv": "65 år eller äldre"}],
        is_background=True,
        order=6,
    )
    today = timezone.localdate()
    return round_create(
        survey=survey,
        name="2026",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        by=None,
    )


def group(page: Page, legend: str) -> Locator:
    return page.get_by_role("group", name=legend)


def assert_fits_a_narrow_phone(page: Page) -> None:
    """Nothing sticks out sideways at 320 px, then back to the phone's own width."""
    page.set_viewport_size({"width": 320, "height": 740})
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 320, f"the page is {scroll} px wide at 320 px"
    page.set_viewport_size(PHONE_SIZE)


def test_a_respondent_answers_a_survey_on_a_phone(
    new_page: NewPage, axe: AssertAccessible, tree: Tree
) -> None:
    survey_round = citizen_survey(tree.gata)
    page = new_page(viewport=PHONE_SIZE, is_mobile=True, has_touch=True)

    page.goto(f"/enkater/{survey_round.link_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medborgarenkät om gator")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_text("Mycket missnöjd")).to_be_visible()
    axe(page)
    assert_fits_a_narrow_phone(page)

    # Send without the required scale answer: the error summary links to the question.
    group(page, CHANNEL).get_by_label("E-post").check()
    page.get_by_label(FREE_TEXT).fill("Skotta cykelvägen tidigare på morgonen.")
    page.get_by_role("button", name=gettext("Send answers")).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(gettext("Something needs to be fixed"))
    expect(summary.get_by_role("link")).to_contain_text(SCALE)
    expect(page.get_by_label(FREE_TEXT)).to_have_value("Skotta cykelvägen tidigare på morgonen.")
    axe(page)
    summary.get_by_role("link").click()
    assert page.url.endswith("_0")
    assert not Response.objects.exists()

    # Save half-way and come back: the answers are still there.
    group(page, SCALE).get_by_role("radio", name="4", exact=True).check()
    group(page, SERVICES).get_by_label("Snöröjning").check()
    page.get_by_role("button", name=gettext("Save and continue later")).click()
    expect(page.get_by_role("status")).to_be_visible()
    axe(page)
    page.reload()
    expect(group(page, SCALE).get_by_role("radio", name="4", exact=True)).to_be_checked()
    expect(group(page, CHANNEL).get_by_label("E-post")).to_be_checked()
    expect(group(page, SERVICES).get_by_label("Snöröjning")).to_be_checked()
    expect(page.get_by_label(FREE_TEXT)).to_have_value("Skotta cykelvägen tidigare på morgonen.")
    assert not Response.objects.exists()

    # Complete and send.
    group(page, SERVICES).get_by_label("Cykelvägar").check()
    group(page, HELPED).get_by_label("Ja", exact=True).check()
    group(page, AGE).get_by_label("30–64 år").check()
    page.get_by_role("button", name=gettext("Send answers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        gettext("Your answers have been sent")
    )
    axe(page)
    assert_fits_a_narrow_phone(page)

    stored = Response.objects.get()
    assert sorted(value for value in stored.answers if value is not None) == [1, 2, 2, 4, 5]
    assert TextAnswer.objects.get().text == "Skotta cykelvägen tidigare på morgonen."

    # The same phone comes back: no second form.
    page.goto(f"/enkater/{survey_round.link_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("You have already answered"))
    axe(page)


def test_an_invited_respondent_comes_from_the_e_mail_link_and_answers_in_english(
    new_page: NewPage, axe: AssertAccessible, tree: Tree
) -> None:
    survey_round = citizen_survey(tree.gata)
    Round.objects.filter(pk=survey_round.pk).update(open_link=False)
    (code,) = invitations_create(round=survey_round, count=1, by=None)
    page = new_page(viewport=PHONE_SIZE, is_mobile=True, has_touch=True)

    page.goto(f"/en/enkater/{survey_round.link_token}/")  # without a code: to the code page
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.get_by_label("Your code").fill("WRONG-CODE1")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The code is not valid or has already been used."
    )
    axe(page)

    page.goto(f"/en/enkater/kod/?kod={code}")  # the link in the e-mail
    expect(page.get_by_label("Your code")).to_have_value(code)
    axe(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medborgarenkät om gator")
    group(page, SCALE).get_by_label("Don't know").check()
    page.get_by_role("button", name="Send answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")
    assert not Invitation.objects.exists()  # the code is used up: its row is gone
    assert Response.objects.count() == 1

    Round.objects.filter(pk=survey_round.pk).update(closes_on=survey_round.opens_on)
    page.goto(f"/en/enkater/{survey_round.link_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This survey is closed")
    axe(page)


def test_the_analysis_page_of_a_round_is_accessible(
    new_page: NewPage, axe: AssertAccessible, tree: Tree
) -> None:
    """A viewer reads the analysis of a round of 40 answers (entered as paper forms), on a
    wide screen and on a phone, in Swedish and in English."""
    survey_round = citizen_survey(tree.gata)
    columns = [rq.question for rq in survey_round.round_questions.all()]
    for number in range(40):
        answers: dict[int, int | str | None] = {
            columns[0].pk: 1 + number % 5,
            columns[1].pk: 1 + number % 3,
            columns[2].pk: 1 + number % 7,
            columns[3].pk: 1 + number % 2,
            columns[5].pk: 1 + number % 3,
        }
        response_submit(round=survey_round, answers=answers, channel="paper")
    viewer = make_user(role=Role.VIEWER, unit=tree.gata, username="ledning", password=PASSWORD)

    page = new_page()
    page.goto(f"/konto/logga-in/?next=/personal/enkater/omgang/{survey_round.pk}/analys/")
    page.get_by_label(capfirst(gettext("username"))).fill(viewer.username)
    page.get_by_label(gettext("Password")).fill(PASSWORD)
    page.get_by_role("button", name=gettext("Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Medborgarenkät om gator")
    axe(page)
    page.set_viewport_size(PHONE_SIZE)
    axe(page)
    page.goto(f"/en/personal/enkater/omgang/{survey_round.pk}/analys/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe(page)
