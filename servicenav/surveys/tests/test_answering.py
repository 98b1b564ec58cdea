"""A respondent, with no login, answers a round through its link or with an invitation code:
what they chose is stored aligned to the round's positions, errors come back in the page's
language with nothing stored, a half-filled form waits in the session (never in the
survey's tables), closed rounds say so, and one browser session answers once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, override

from servicenav.surveys.forms import field_name
from servicenav.surveys.models import (
    DONT_KNOW,
    Area,
    Invitation,
    Question,
    Response,
    Round,
    Survey,
    TextAnswer,
)
from servicenav.surveys.services import hash_code, invitations_create, round_create
from servicenav.surveys.views.public import CODE_FAILURES_PER_HOUR

pytestmark = pytest.mark.django_db

CODE_PAGE = reverse("surveys:code")
NOT_VALID = "The code is not valid or has already been used."
ANSWER_THIS = "Answer this question."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


class SurveyRound:
    """A round of a small citizen survey: one area, every kind of question, one background
    question. Attributes name the questions."""

    def __init__(self, unit, *, open_link=True, opens_in=-1, closes_in=30):
        survey = Survey.objects.create(
            unit=unit,
            title_sv="Medborgarenkät",
            title_en="Citizen survey",
            target_group_sv="Alla som bor i kommunen",
            target_group_en="Everyone living in the municipality",
            intro_sv="Vi vill veta vad du tycker.",
            intro_en="We want to know what you think.",
        )
        area = Area.objects.create(survey=survey, name_sv="Bemötande", name_en="How we met you")

        def ask(kind, text, **fields):
            return Question.objects.create(
                survey=survey, kind=kind, text_sv=text, text_en=f"{text} (en)", **fields
            )

        options = [{"sv": "Telefon", "en": "Phone"}, {"sv": "E-post", "en": "E-mail"}]
        self.scale = ask(
            Question.Kind.SCALE,
            "Hur nöjd är du med bemötandet?",
            area=area,
            scale_max=5,
            low_label_sv="Mycket missnöjd",
            low_label_en="Very dissatisfied",
            high_label_sv="Mycket nöjd",
            high_label_en="Very satisfied",
            allows_dont_know=True,
            required=True,
            order=1,
        )
        self.single = ask(Question.Kind.SINGLE, "Hur kontaktade du oss?", options=options, order=2)
        self.multiple = ask(
            Question.Kind.MULTIPLE,
            "Vilka tjänster har du använt?",
            area=area,
            options=[{"sv": name, "en": name} for name in ("Bibliotek", "Bad", "Park")],
            order=3,
        )
        self.yes_no = ask(Question.Kind.YES_NO, "Fick du hjälp?", area=area, order=4)
        self.background = ask(
            Question.Kind.SINGLE,
            "Hur gammal är du?",
            options=[{"sv": "Under 30", "en": "Under 30"}, {"sv": "30 eller äldre", "en": "30+"}],
            is_background=True,
            order=5,
        )
        self.text = ask(Question.Kind.TEXT, "Något mer du vill säga?", order=6)
        today = timezone.localdate()
        self.round = round_create(
            survey=survey,
            name="2026",
            opens_on=today + timedelta(days=opens_in),
            closes_on=today + timedelta(days=closes_in),
            by=None,
        )
        if not open_link:
            Round.objects.filter(pk=self.round.pk).update(open_link=False)
            self.round.refresh_from_db()

    def url(self, language="sv"):
        with override(language):
            return reverse("surveys:answer", args=[self.round.link_token])

    def thanks(self):
        with override("sv"):
            return reverse("surveys:thanks", args=[self.round.link_token])

    def answers(self, action="send", **by_question):
        data = {"action": action}
        for name, values in by_question.items():
            data[field_name(getattr(self, name))] = values
        return data


@pytest.fixture
def survey(tree):
    return SurveyRound(tree.gata)


def test_an_unknown_link_is_not_found(client, survey):
    assert client.get(reverse("surveys:answer", args=["no-such-token"])).status_code == 404
    assert client.get(reverse("surveys:thanks", args=["no-such-token"])).status_code == 404


def test_the_page_shows_the_survey_and_its_questions_by_area_with_background_last(client, survey):
    content = client.get(survey.url()).content.decode()
    assert '<html lang="sv">' in content
    assert content.count("<h1") == 1
    for text in ("Medborgarenkät", "Vi vill veta vad du tycker.", "Alla som bor i kommunen"):
        assert text in content
    # Five questions to tick and one to write: about three minutes.
    minutes = ngettext("About %(minutes)s minute", "About %(minutes)s minutes", 3)
    assert minutes % {"minutes": 3} in content
    for question in ("Hur nöjd är du med bemötandet?", "Fick du hjälp?", "Hur gammal är du?"):
        assert re.search(rf"<legend>{re.escape(question)}", content)
    assert f'<label for="id_q{survey.text.pk}">Något mer du vill säga?' in content
    # The area's questions together under its heading; the one without an area apart.
    area, about_you = content.index(">Bemötande</h2>"), content.index(gettext("About you"))
    assert area < content.index("Vilka tjänster har du använt?") < about_you
    assert about_you < content.index("Hur gammal är du?")
    assert "Mycket missnöjd" in content
    assert "Mycket nöjd" in content
    assert gettext("Don't know") == "Vet ej"
    assert "Vet ej" in content
    assert gettext("Send answers") in content
    assert gettext("Save and continue later") in content


def test_english_pages_show_the_english_texts(client, survey):
    content = client.get(survey.url("en")).content.decode()
    assert '<html lang="en">' in content
    for text in ("Citizen survey", "Everyone living in the municipality", "Very satisfied"):
        assert text in content
    assert "How we met you" in content
    assert "Don&#x27;t know" in content


def test_the_answers_are_stored_aligned_to_the_rounds_positions_with_text_apart(client, survey):
    data = survey.answers(
        scale="4", single="2", multiple=["1", "3"], yes_no="1", background="2", text="Bra jobbat!"
    )
    response = client.post(survey.url(), data)
    assert response.status_code == 302
    assert response["Location"] == survey.thanks()
    stored = Response.objects.get()
    positions = {rq.question_id: rq.position for rq in survey.round.round_questions.all()}
    expected = [None] * len(positions)
    for question, value in [
        (survey.scale, 4),
        (survey.single, 2),
        (survey.multiple, 0b101),
        (survey.yes_no, 1),
        (survey.background, 2),
        (survey.text, None),
    ]:
        expected[positions[question.pk]] = value
    assert stored.answers == expected
    assert (stored.round, stored.channel) == (survey.round, Response.Channel.WEB)
    assert stored.submitted_on == timezone.localdate()
    text = TextAnswer.objects.get()
    assert (text.response, text.question, text.text) == (stored, survey.text, "Bra jobbat!")


def test_sending_reads_the_rounds_questions_once_and_stores_the_answers_in_one_statement(
    client, survey
):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(survey.url(), survey.answers(scale="4", single="1"))
    assert response.status_code == 302
    statements = [query["sql"] for query in captured.captured_queries]
    assert sum('FROM "surveys_roundquestion"' in sql for sql in statements) == 1
    survey_writes = [sql for sql in statements if sql.startswith('INSERT INTO "surveys_')]
    assert len(survey_writes) == 1
    assert Response.objects.get().answers.count(None) == survey.round.questions.count() - 2


def test_dont_know_is_stored_as_answered_but_apart_from_the_scale(client, survey):
    client.post(survey.url(), survey.answers(scale="dont_know"))
    position = survey.round.round_questions.get(question=survey.scale).position
    assert Response.objects.get().answers[position] == DONT_KNOW


def test_skipped_questions_are_stored_as_none_and_no_empty_text_is_kept(client, survey):
    client.post(survey.url(), survey.answers(scale="2", text="   "))
    answers = Response.objects.get().answers
    assert sorted(answers, key=lambda value: value is None) == [2] + [None] * 5
    assert not TextAnswer.objects.exists()


@pytest.mark.parametrize(
    ("multiple", "mask"), [(["1"], 1), (["2", "3"], 6), (["1", "2", "3"], 7), ([], None)]
)
def test_multiple_choice_is_stored_as_a_bitmask_of_the_options(client, survey, multiple, mask):
    client.post(survey.url(), survey.answers(scale="3", multiple=multiple))
    position = survey.round.round_questions.get(question=survey.multiple).position
    assert Response.objects.get().answers[position] == mask


def test_a_missing_required_answer_is_shown_in_swedish_and_nothing_is_stored(client, survey):
    response = client.post(survey.url(), survey.answers(single="1", text="Halvfärdigt"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="sv">' in content
    start = content.index('id="error-summary"')
    summary = content[start : content.index("</ul>", start)]
    assert f'href="#id_q{survey.scale.pk}_0"' in summary
    assert gettext(ANSWER_THIS) in summary
    assert f'id="id_q{survey.scale.pk}_0"' in content  # the link's target exists
    assert not Response.objects.exists()
    assert not TextAnswer.objects.exists()
    # What was filled in stays filled in.
    assert "Halvfärdigt</textarea>" in content


def test_validation_messages_come_in_english_on_english_pages(client, survey):
    response = client.post(survey.url("en"), survey.answers(scale="9"))
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Choose one of the answers." in content
    assert "Hur nöjd är du med bemötandet? (en)" in content
    assert not Response.objects.exists()
    content = client.post(survey.url("en"), survey.answers()).content.decode()
    assert ANSWER_THIS in content


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"single": "7"}, "Choose one of the answers."),
        ({"multiple": ["1", "4"]}, "Choose one of the answers."),
        ({"yes_no": "3"}, "Choose one of the answers."),
        ({"scale": ["2", "3"]}, "Choose only one answer."),
    ],
)
def test_tampered_values_are_refused_with_one_message(client, survey, changes, message):
    content = client.post(
        survey.url("en"),
        survey.answers(scale="3")
        | {field_name(getattr(survey, name)): value for name, value in changes.items()},
    ).content.decode()
    errors = re.findall(r'<p class="field-error"[^>]*>(.*?)</p>', content)
    assert errors == [message]
    assert not Response.objects.exists()


def test_save_and_continue_later_keeps_the_answers_in_the_session_only(client, survey):
    data = survey.answers("save", single="2", multiple=["1", "3"], text="Jag återkommer")
    response = client.post(survey.url(), data)
    assert response.status_code == 302
    assert response["Location"] == survey.url()
    assert not Response.objects.exists()
    assert not TextAnswer.objects.exists()

    content = client.get(survey.url()).content.decode()
    assert "Jag återkommer</textarea>" in content
    for question, value in ((survey.single, "2"), (survey.multiple, "1"), (survey.multiple, "3")):
        assert re.search(rf'value="{value}"[^>]*id="id_q{question.pk}_\d"[^>]*checked', content)
    assert not re.search(rf'value="1"[^>]*id="id_q{survey.single.pk}_0"[^>]*checked', content)


def test_a_saved_draft_shows_a_message_and_does_not_need_the_required_answers(client, survey):
    response = client.post(survey.url("en"), survey.answers("save", yes_no="2"), follow=True)
    content = response.content.decode()
    assert "Your answers are saved in this browser." in content
    assert "error-summary" not in content


def test_a_draft_is_kept_when_sending_fails_and_cleared_when_sending_succeeds(client, survey):
    client.post(survey.url(), survey.answers(text="Först detta"))  # the scale is required
    assert "Först detta</textarea>" in client.get(survey.url()).content.decode()
    client.post(survey.url(), survey.answers(scale="5", text="Först detta"))
    assert TextAnswer.objects.get().text == "Först detta"
    assert str(survey.round.pk) not in client.session.get("surveys_drafts", {})


def test_another_browser_does_not_see_the_draft(client, survey):
    client.post(survey.url(), survey.answers("save", text="Bara min"))
    assert "Bara min" not in Client().get(survey.url()).content.decode()


def test_a_second_visit_after_sending_says_already_answered(client, survey):
    client.post(survey.url(), survey.answers(scale="3"))
    response = client.get(survey.url())
    content = response.content.decode()
    assert response.status_code == 200
    assert gettext("You have already answered") in content
    assert "<form" not in content.split('id="main"')[1]
    client.post(survey.url(), survey.answers(scale="1"))
    assert Response.objects.count() == 1


def test_the_thanks_page_says_the_answers_are_anonymous(client, survey):
    content = client.get(survey.thanks()).content.decode()
    assert gettext("Thank you. Your answers are anonymous.") in content
    assert f'href="{reverse("core:home")}"' in content


@pytest.mark.parametrize(("opens_in", "closes_in"), [(-30, -1), (1, 30)])
def test_a_round_outside_its_dates_shows_a_polite_page_and_takes_no_answers(
    client, tree, opens_in, closes_in
):
    survey = SurveyRound(tree.gata, opens_in=opens_in, closes_in=closes_in)
    response = client.get(survey.url("en"))
    content = response.content.decode()
    assert response.status_code == 200
    heading = "This survey is closed" if closes_in < 0 else "This survey has not opened yet"
    assert f"<h1>{heading}</h1>" in content
    assert survey.round.closes_on.strftime("%B") in content
    assert 'name="action"' not in content
    client.post(survey.url(), survey.answers(scale="3"))
    assert not Response.objects.exists()


def test_a_round_without_an_open_link_sends_to_the_code_page(client, tree):
    survey = SurveyRound(tree.gata, open_link=False)
    response = client.get(survey.url())
    assert response.status_code == 302
    assert response["Location"] == f"{CODE_PAGE}?enkat={survey.round.link_token}"
    client.post(survey.url(), survey.answers(scale="3"))
    assert not Response.objects.exists()
    content = client.get(response["Location"]).content.decode()
    assert "Medborgarenkät" in content


def test_a_valid_code_opens_the_round_and_is_used_up_when_the_answers_are_sent(client, tree):
    survey = SurveyRound(tree.gata, open_link=False)
    code, other = invitations_create(round=survey.round, count=2, by=None)
    response = client.post(CODE_PAGE, {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert response["Location"] == survey.url()
    assert client.get(survey.url()).status_code == 200
    assert Invitation.objects.count() == 2  # entering it uses nothing up

    assert client.post(survey.url(), survey.answers(scale="4"))["Location"] == survey.thanks()
    assert Response.objects.count() == 1
    assert list(Invitation.objects.values_list("code_hash", flat=True)) == [hash_code(other)]
    assert "surveys_codes" not in client.session or not client.session["surveys_codes"]
    # The code does not open the round again; the other one still does.
    assert client.get(survey.url()).status_code == 200  # "already answered"
    assert NOT_VALID in client.post("/en" + CODE_PAGE, {"code": code}).content.decode()
    assert client.post(CODE_PAGE, {"code": other})["Location"] == survey.url()


def test_used_and_unknown_codes_get_the_same_message(client, tree):
    survey = SurveyRound(tree.gata, open_link=False)
    (code,) = invitations_create(round=survey.round, count=1, by=None)
    client.post(CODE_PAGE, {"code": code})
    client.post(survey.url(), survey.answers(scale="4"))

    def error(typed):
        content = client.post("/en" + CODE_PAGE, {"code": typed}).content.decode()
        return re.search(r'<p class="field-error"[^>]*>(.*?)</p>', content).group(1)

    assert error(code) == error("AAAAA-BBBBB") == NOT_VALID
    with override("sv"):
        content = client.post(CODE_PAGE, {"code": ""}).content.decode()
        assert gettext("Write your code.") in content


def test_a_code_in_a_link_is_filled_in_but_only_accepted_by_sending_the_form(client, tree):
    survey = SurveyRound(tree.gata, open_link=False)
    (code,) = invitations_create(round=survey.round, count=1, by=None)
    response = client.get(CODE_PAGE, {"kod": code})
    assert f'value="{code}"' in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert client.get(survey.url()).status_code == 302  # a GET accepted nothing
    assert client.post(CODE_PAGE, {"code": code})["Location"] == survey.url()


def test_a_code_used_on_another_device_meanwhile_no_longer_opens_the_form(client, tree):
    survey = SurveyRound(tree.gata, open_link=False)
    (code,) = invitations_create(round=survey.round, count=1, by=None)
    client.post(CODE_PAGE, {"code": code})
    elsewhere = Client()
    elsewhere.post(CODE_PAGE, {"code": code})
    elsewhere.post(survey.url(), survey.answers(scale="2"))
    content = client.get(survey.url("en")).content.decode()
    assert "This invitation has already been answered" in content
    assert 'name="action"' not in content
    client.post(survey.url(), survey.answers(scale="5"))
    assert Response.objects.count() == 1
    assert client.get(survey.url()).status_code == 302  # the used code is forgotten


def forget_the_answer(client):
    """The session as a second, simultaneous request finds it: before the first is done."""
    session = client.session
    del session["surveys_answered"]
    session.save()


def test_a_double_click_on_send_stores_the_answers_once(client, survey):
    content = client.get(survey.url()).content.decode()
    sending = re.search(r'name="sending" value="([^"]+)"', content).group(1)
    data = survey.answers(scale="3") | {"sending": sending}
    assert client.post(survey.url(), data)["Location"] == survey.thanks()
    forget_the_answer(client)
    assert client.post(survey.url(), data)["Location"] == survey.thanks()
    assert Response.objects.count() == 1
    # A new form is a new answer (the open link's one answer per session is a courtesy).
    forget_the_answer(client)
    assert client.post(survey.url(), survey.answers(scale="3"))["Location"] == survey.thanks()
    assert Response.objects.count() == 2


def test_a_new_code_in_the_same_browser_opens_the_form_again(client, tree):
    survey = SurveyRound(tree.gata, open_link=False)
    first, second = invitations_create(round=survey.round, count=2, by=None)
    client.post(CODE_PAGE, {"code": first})
    client.post(survey.url(), survey.answers(scale="2"))
    client.post(CODE_PAGE, {"code": second})
    assert client.post(survey.url(), survey.answers(scale="5"))["Location"] == survey.thanks()
    assert Response.objects.count() == 2
    assert not Invitation.objects.exists()


def test_a_code_on_an_open_link_round_is_used_up_too(client, survey):
    (code,) = invitations_create(round=survey.round, count=1, by=None)
    client.post(CODE_PAGE, {"code": code})
    client.post(survey.url(), survey.answers(scale="3"))
    assert not Invitation.objects.exists()


def test_an_address_that_keeps_guessing_codes_is_stopped(client, survey):
    (code,) = invitations_create(round=survey.round, count=1, by=None)
    for _ in range(CODE_FAILURES_PER_HOUR):
        assert client.post(CODE_PAGE, {"code": "AAAAA-BBBBB"}).status_code == 200
    assert client.post(CODE_PAGE, {"code": code}).status_code == 429
    assert client.get(CODE_PAGE).status_code == 200
