"""The staff pages of surveys: who sees and who runs which survey, rounds and their
questions, invitation codes, paper answers, conclusions, free texts and focus groups.
Pages are read in English (/en/) so that new texts can be compared."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role
from servicenav.surveys.models import (
    Area,
    Conclusion,
    FocusGroup,
    Invitation,
    Question,
    Quote,
    Response,
    Round,
    Survey,
    TextAnswer,
)
from servicenav.surveys.services import (
    PAPER_GRACE_DAYS,
    conclusion_add,
    conclusion_update_outcome,
    hash_code,
    invitation_valid,
    response_submit,
    round_create,
)
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AGES = [{"sv": "Under 30", "en": "Under 30"}, {"sv": "30 eller äldre", "en": "30 or older"}]
SERVICES = [{"sv": "Hemtjänst", "en": "Home care"}, {"sv": "Matlåda", "en": "Meals"}]


def en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"surveys:{name}", args=args)


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def alert(response) -> str:
    """The error summary at the top of the page."""
    found = re.search(
        r'<div class="error-summary" role="alert">(.*?)</div>', response.content.decode(), re.S
    )
    return found.group(1) if found else ""


def make_survey(unit, title: str = "Brukarenkät") -> Survey:
    survey = Survey.objects.create(
        unit=unit,
        title_sv=title,
        title_en=f"{title} (en)",
        target_group_sv="Alla som har hemtjänst",
        target_group_en="Everyone with home care",
    )
    area = Area.objects.create(survey=survey, name_sv="Bemötande", name_en="Manner", order=1)
    Question.objects.create(
        survey=survey,
        area=area,
        kind=Question.Kind.SCALE,
        text_sv="Hur nöjd är du?",
        text_en="How satisfied are you?",
        scale_max=5,
        allows_dont_know=True,
        is_overall=True,
        order=1,
    )
    Question.objects.create(
        survey=survey,
        kind=Question.Kind.MULTIPLE,
        text_sv="Vilka tjänster?",
        text_en="Which services?",
        options=SERVICES,
        order=2,
    )
    Question.objects.create(
        survey=survey,
        kind=Question.Kind.TEXT,
        text_sv="Något mer?",
        text_en="Anything else?",
        order=3,
    )
    Question.objects.create(
        survey=survey,
        kind=Question.Kind.SINGLE,
        text_sv="Ålder",
        text_en="Age",
        options=AGES,
        is_background=True,
        order=4,
    )
    return survey


def make_round(survey: Survey, name: str = "2026", days_ago: int = 10) -> Round:
    opens = TODAY - timedelta(days=days_ago)
    return round_create(
        survey=survey, name=name, opens_on=opens, closes_on=opens + timedelta(days=30), by=None
    )


def questions_of(round: Round) -> list[Question]:
    return [place.question for place in round.round_questions.select_related("question")]


def answer(round: Round, scale=4, services=1, text="", age=1, channel="web") -> Response:
    scale_q, multiple_q, text_q, age_q = questions_of(round)
    answers = {scale_q.pk: scale, multiple_q.pk: services, text_q.pk: text or None, age_q.pk: age}
    return response_submit(round=round, answers=answers, channel=channel, today=round.opens_on)


@pytest.fixture
def survey(tree) -> Survey:
    return make_survey(tree.hemtjanst)


@pytest.fixture
def round(survey) -> Round:
    return make_round(survey)


@pytest.fixture
def runner(client, tree):
    user = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social)
    client.force_login(user)
    return user


@pytest.fixture
def reader(client, tree):
    user = make_user(role=Role.VIEWER, unit=tree.hemtjanst)
    client.force_login(user)
    return user


@pytest.fixture
def outsider(client, tree):
    user = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
    client.force_login(user)
    return user


# Who sees what


def test_anonymous_visitors_are_sent_to_log_in(client, round):
    for url in (en("staff-list"), en("staff-survey", round.survey_id), en("staff-round", round.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert "logga-in" in response["Location"]


def test_staff_of_another_unit_get_404_on_every_page(client, round, outsider):
    pages = [
        en("staff-survey", round.survey_id),
        en("staff-round", round.pk),
        en("paper", round.pk),
        en("free-texts", round.pk),
        en("export", round.pk, "csv"),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert client.post(en("invitations", round.pk), {"invitations-count": 3}).status_code == 404
    assert not Invitation.objects.exists()


def test_an_unknown_round_or_survey_is_404(client, runner):
    assert client.get(en("staff-round", 999999)).status_code == 404
    assert client.get(en("staff-survey", 999999)).status_code == 404


def test_readers_see_but_may_not_act(client, round, reader):
    assert client.get(en("staff-round", round.pk)).status_code == 200
    assert client.get(en("free-texts", round.pk)).status_code == 200
    assert client.get(en("export", round.pk, "csv")).status_code == 200
    assert client.get(en("paper", round.pk)).status_code == 403
    assert client.post(en("invitations", round.pk), {"invitations-count": 3}).status_code == 403
    place = round.round_questions.first()
    publish = {"action": "publish", "target": place.pk, "public": "1"}
    assert client.post(en("staff-round", round.pk), publish).status_code == 403
    new_round = {"name": "2027", "opens_on": "2027-01-01", "closes_on": "2027-02-01"}
    assert client.post(en("staff-survey", round.survey_id), new_round).status_code == 403
    assert client.get(en("export", round.pk, "csv") + "?texts=1").status_code == 403
    content = client.get(en("staff-round", round.pk)).content.decode()
    assert "Make and download the codes" not in content
    assert "Add a conclusion" not in content


def test_the_list_groups_visible_surveys_by_unit_with_their_rounds(client, tree, round, runner):
    make_survey(tree.gata, title="Gatuenkät")  # another unit's: not listed
    answer(round)
    round_create(
        survey=round.survey,
        name="2027",
        opens_on=TODAY + timedelta(days=100),
        closes_on=TODAY + timedelta(days=130),
        by=None,
    )
    Round.objects.filter(pk=round.pk).update(invitations_sent=4)
    # Four codes sent, one used: its row is gone.
    Invitation.objects.bulk_create(Invitation(round=round, code_hash=str(n)) for n in range(3))
    response = client.get(en("staff-list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Hemtjänst (en)" in content
    assert "Brukarenkät (en)" in content
    assert "Gatuenkät" not in content
    assert content.index(">2027<") < content.index(">2026<")  # newest first
    assert "25 %" in content
    assert "Not open yet" in content
    assert reverse("surveys:analysis", args=[round.pk]) in content


def test_the_list_reads_a_fixed_number_of_queries(client, tree, runner):
    for number in range(4):
        survey = make_survey(tree.hemtjanst, title=f"Enkät {number}")
        answer(make_round(survey, name="A"))
        make_round(survey, name="B", days_ago=5)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(en("staff-list")).status_code == 200
    few = len(queries)
    make_round(make_survey(tree.hemtjanst, title="Enkät 9"))
    with CaptureQueriesContext(connection) as queries:
        client.get(en("staff-list"))
    assert len(queries) == few


# A survey and its rounds


def test_the_survey_page_shows_the_target_group_questions_rounds_and_focus_groups(
    client, round, runner
):
    FocusGroup.objects.create(
        unit=round.survey.unit,
        survey=round.survey,
        held_on=TODAY,
        target_group="Anhöriga",
        participants=6,
        summary="Bra samtal.",
    )
    content = client.get(en("staff-survey", round.survey_id)).content.decode()
    assert "Everyone with home care" in content
    assert "Manner" in content
    assert "How satisfied are you?" in content
    assert ">background<" in content
    assert ">overall<" in content
    assert "Anhöriga" in content
    assert reverse("surveys:staff-round", args=[round.pk]) in content
    assert "New round" in content


def test_a_new_round_copies_the_questions_of_the_last(client, round, runner):
    data = {"name": "2027", "opens_on": "2027-03-01", "closes_on": "2027-03-31"}
    response = client.post(en("staff-survey", round.survey_id), data)
    new = Round.objects.get(name="2027")
    assert response.status_code == 302
    assert response["Location"] == en("staff-round", new.pk)
    assert questions_of(new) == questions_of(round)
    assert AuditEntry.objects.filter(object_id=str(new.pk), actor=runner).exists()


def test_a_round_that_closes_before_it_opens_is_refused_at_the_form(client, round, runner):
    data = {"name": "2027", "opens_on": "2027-03-31", "closes_on": "2027-03-01"}
    response = client.post(en("staff-survey", round.survey_id), data)
    assert response.status_code == 400
    assert "The round must close on or after the day it opens." in response.content.decode()
    assert not Round.objects.filter(name="2027").exists()


# A round: link, counts, questions


def test_the_round_page_shows_the_open_link_and_the_counts(client, settings, round, runner):
    settings.SERVICENAV_SITE_URL = "https://example.org"
    answer(round)
    answer(round, channel="paper")
    Round.objects.filter(pk=round.pk).update(invitations_sent=10)
    # Ten codes sent, three used.
    Invitation.objects.bulk_create(Invitation(round=round, code_hash=str(n)) for n in range(7))
    content = client.get(en("staff-round", round.pk)).content.decode()
    assert f"https://example.org/enkater/{round.link_token}/" in content
    assert "2 (1 on the web, 1 on paper)" in content
    assert "10 sent, 3 used" in content
    assert "30 %" in content
    assert "Open" in content


def test_publishing_a_question_toggles_it_and_is_audited(client, round, runner):
    place = round.round_questions.first()
    url = en("staff-round", round.pk)
    response = client.post(url, {"action": "publish", "target": place.pk, "public": "1"})
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.is_public
    assert AuditEntry.objects.filter(object_id=str(round.pk), changes__public__to=True).exists()
    assert "Take off the results site" in client.get(url).content.decode()
    client.post(url, {"action": "publish", "target": place.pk, "public": "0"})
    place.refresh_from_db()
    assert not place.is_public


def test_a_free_text_question_is_never_put_on_the_results_site(client, round, runner):
    place = round.round_questions.get(question__kind=Question.Kind.TEXT)
    url = en("staff-round", round.pk)
    toggle = f'value="publish"><input type="hidden" name="target" value="{place.pk}"'
    assert toggle not in client.get(url).content.decode()
    response = client.post(url, {"action": "publish", "target": place.pk, "public": "1"})
    assert response.status_code == 400
    assert "Free-text answers are not published" in alert(response)
    place.refresh_from_db()
    assert not place.is_public


def test_a_question_of_another_round_cannot_be_published_from_this_one(client, survey, runner):
    first, second = make_round(survey), make_round(survey, name="2027", days_ago=1)
    other = second.round_questions.first()
    url = en("staff-round", first.pk)
    response = client.post(url, {"action": "publish", "target": other.pk, "public": "1"})
    assert response.status_code == 404
    response = client.post(url, {"action": "unknown", "target": other.pk})
    assert response.status_code == 404


def test_rewording_replaces_the_question_only_in_this_round(client, survey, runner):
    first = make_round(survey, name="2025", days_ago=400)
    answer(first)
    second = make_round(survey, name="2026")
    place = second.round_questions.get(question__text_sv="Hur nöjd är du?")
    old = place.question
    prefix = f"reword-{place.pk}"
    data = {
        "action": "reword",
        "target": place.pk,
        f"{prefix}-text_sv": "Hur nöjd är du med hemtjänsten?",
        f"{prefix}-text_en": "How satisfied are you with home care?",
        f"{prefix}-scale_max": "7",
        f"{prefix}-low_label_sv": "",
        f"{prefix}-low_label_en": "",
        f"{prefix}-high_label_sv": "",
        f"{prefix}-high_label_en": "",
    }
    response = client.post(en("staff-round", second.pk), data)
    assert response.status_code == 302, response.content.decode()
    place.refresh_from_db()
    assert place.question != old
    assert (place.question.text_sv, place.question.scale_max) == (
        "Hur nöjd är du med hemtjänsten?",
        7,
    )
    assert place.question.is_overall
    assert old in questions_of(first)
    assert place.question not in questions_of(first)


def test_rewording_is_offered_only_until_the_round_has_answers(client, round, runner):
    place = round.round_questions.get(question__text_sv="Ålder")
    assert f'id="reword-{place.pk}"' in client.get(en("staff-round", round.pk)).content.decode()
    answer(round)
    content = client.get(en("staff-round", round.pk)).content.decode()
    assert f'id="reword-{place.pk}"' not in content
    prefix = f"reword-{place.pk}"
    data = {
        "action": "reword",
        "target": place.pk,
        f"{prefix}-text_sv": "Hur gammal är du?",
        f"{prefix}-text_en": "How old are you?",
        f"{prefix}-options": "Under 30 | Under 30\n30 eller äldre | 30 or older",
    }
    response = client.post(en("staff-round", round.pk), data)
    assert response.status_code == 400
    assert "The round has answers" in alert(response)
    place.refresh_from_db()
    assert place.question.text_sv == "Ålder"


def test_rewording_without_a_change_or_with_one_option_is_refused(client, round, runner):
    place = round.round_questions.get(question__text_sv="Vilka tjänster?")
    prefix = f"reword-{place.pk}"
    data = {
        "action": "reword",
        "target": place.pk,
        f"{prefix}-text_sv": "Vilka tjänster?",
        f"{prefix}-text_en": "Which services?",
        f"{prefix}-options": "Hemtjänst | Home care\nMatlåda | Meals",
    }
    response = client.post(en("staff-round", round.pk), data)
    assert response.status_code == 400
    assert "Nothing was changed." in response.content.decode()
    data[f"{prefix}-options"] = "Hemtjänst | Home care"
    response = client.post(en("staff-round", round.pk), data)
    assert "A choice question needs at least two options." in response.content.decode()
    place.refresh_from_db()
    assert place.question.text_sv == "Vilka tjänster?"


# Conclusions


def test_a_conclusion_is_added_and_its_outcome_recorded(client, round, runner):
    url = en("staff-round", round.pk)
    data = {
        "action": "conclude",
        "conclude-text": "Bemötandet brister.",
        "conclude-actions": "Kurs.",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    conclusion = Conclusion.objects.get()
    assert (conclusion.round, conclusion.actions, conclusion.created_by) == (round, "Kurs.", runner)
    outcome = {
        "action": "outcome",
        "target": conclusion.pk,
        f"outcome-{conclusion.pk}-outcome": "Kursen hölls i maj.",
    }
    client.post(url, outcome)
    conclusion.refresh_from_db()
    assert conclusion.outcome == "Kursen hölls i maj."
    assert AuditEntry.objects.filter(
        object_id=str(conclusion.pk), changes__outcome__to="Kursen hölls i maj."
    ).exists()


def test_an_empty_conclusion_is_refused_at_the_form(client, round, runner):
    response = client.post(en("staff-round", round.pk), {"action": "conclude", "conclude-text": ""})
    assert response.status_code == 400
    assert not Conclusion.objects.exists()


def test_the_next_round_shows_last_times_conclusions_with_what_was_done(client, survey, runner):
    first = make_round(survey, name="2025", days_ago=400)
    conclusion = conclusion_add(round=first, text="Svara snabbare.", actions="Ny rutin.", by=None)
    conclusion_update_outcome(conclusion=conclusion, outcome="Rutinen infördes.", by=None)
    second = make_round(survey, name="2026")
    content = client.get(en("staff-round", second.pk)).content.decode()
    assert "Last time we concluded… (round 2025)" in content
    assert content.index("Last time we concluded") < content.index("Svara snabbare.")
    assert "Rutinen infördes." in content
    # What was done is recorded from the later round's page too.
    data = {
        "action": "outcome",
        "target": conclusion.pk,
        f"outcome-{conclusion.pk}-outcome": "Rutinen infördes i mars.",
    }
    assert client.post(en("staff-round", second.pk), data).status_code == 302
    conclusion.refresh_from_db()
    assert conclusion.outcome == "Rutinen infördes i mars."


def test_a_conclusion_of_another_survey_cannot_be_changed_from_this_round(
    client, tree, round, runner
):
    other = make_round(make_survey(tree.hemtjanst, title="Annan"))
    foreign = conclusion_add(round=other, text="Annat.", actions="", by=None)
    data = {"action": "outcome", "target": foreign.pk, f"outcome-{foreign.pk}-outcome": "X"}
    assert client.post(en("staff-round", round.pk), data).status_code == 404
    foreign.refresh_from_db()
    assert foreign.outcome == ""


# Invitation codes


def test_invitations_are_downloaded_once_and_only_their_hashes_are_kept(
    client, settings, round, runner
):
    settings.SERVICENAV_SITE_URL = "https://example.org"
    response = client.post(en("invitations", round.pk), {"invitations-count": "25"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Code", "Link"]
    codes = [row[0] for row in rows[1:]]
    assert len(codes) == len(set(codes)) == 25
    for code, link in rows[1:]:
        assert link == f"https://example.org/enkater/kod/?kod={code}"
    hashes = set(Invitation.objects.filter(round=round).values_list("code_hash", flat=True))
    assert hashes == {hash_code(code) for code in codes}
    assert all(invitation_valid(round, code) for code in codes)
    round.refresh_from_db()
    assert round.invitations_sent == 25
    # No code is anywhere in the database in clear: not in the invitations, not in the log.
    stored = " ".join(str(row) for row in Invitation.objects.values_list())
    stored += " ".join(str(row) for row in AuditEntry.objects.values_list())
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored


def test_the_round_page_says_codes_are_never_shown_again(client, round, runner):
    content = client.get(en("staff-round", round.pk)).content.decode()
    assert "the codes can never be shown again" in content


def test_a_bad_number_of_codes_is_refused_at_the_form(client, round, runner):
    response = client.post(en("invitations", round.pk), {"invitations-count": "0"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not Invitation.objects.exists()


def test_invitations_are_made_only_by_post(client, round, runner):
    assert client.get(en("invitations", round.pk)).status_code == 405


# Paper answers


def paper_data(round: Round, **values) -> dict[str, object]:
    scale_q, multiple_q, text_q, age_q = questions_of(round)
    data: dict[str, object] = {
        f"q{scale_q.pk}": "5",
        f"q{multiple_q.pk}": ["1", "2"],
        f"q{text_q.pk}": "Tack för hjälpen.",
        f"q{age_q.pk}": "2",
    }
    data.update(values)
    return data


def test_a_paper_answer_is_saved_and_the_empty_form_shown_again(client, round, runner):
    url = en("paper", round.pk)
    response = client.post(url, paper_data(round))
    assert response.status_code == 302
    assert response["Location"] == url
    saved = Response.objects.get()
    assert saved.channel == Response.Channel.PAPER
    assert saved.answers == [5, 3, None, 2]
    assert TextAnswer.objects.get().text == "Tack för hjälpen."
    page = client.get(url)
    assert "The paper answer is saved. Enter the next." in said(page)
    content = page.content.decode()
    assert "1 paper answer entered in this round so far." in content
    assert "Tack för hjälpen." not in content
    assert AuditEntry.objects.filter(
        object_id=str(round.pk), changes__paper_responses__to=1, actor=runner
    ).exists()


def test_paper_answers_show_their_errors_and_are_not_saved(client, round, runner):
    scale_q = questions_of(round)[0]
    response = client.post(en("paper", round.pk), paper_data(round, **{f"q{scale_q.pk}": "9"}))
    assert response.status_code == 400
    assert "Choose one of the answers." in response.content.decode()
    assert not Response.objects.exists()


def test_an_empty_paper_form_is_not_saved(client, round, runner):
    response = client.post(en("paper", round.pk), {"csrfmiddlewaretoken": "x"})
    assert response.status_code == 400
    assert "Nothing was entered." in response.content.decode()
    assert not Response.objects.exists()


def test_paper_answers_are_taken_until_thirty_days_after_closing(client, survey, runner):
    closes = TODAY - timedelta(days=PAPER_GRACE_DAYS)
    late = round_create(
        survey=survey, name="Sen", opens_on=closes - timedelta(days=30), closes_on=closes, by=None
    )
    assert client.post(en("paper", late.pk), paper_data(late)).status_code == 302
    too_late = round_create(
        survey=survey,
        name="För sen",
        opens_on=closes - timedelta(days=31),
        closes_on=closes - timedelta(days=1),
        by=None,
    )
    response = client.post(en("paper", too_late.pk), paper_data(too_late))
    assert response.status_code == 400
    assert "30 days after the round closed" in response.content.decode()
    assert Response.objects.filter(round=too_late).count() == 0


# Free texts


@pytest.fixture
def texts(round):
    answer(round, text="Personalen var trevlig.")
    answer(round, text="Maten var kall, Anna på Storgatan 3 vet.")
    return list(TextAnswer.objects.order_by("pk"))


def test_free_texts_are_listed_for_readers_without_forms(client, round, texts, reader):
    content = client.get(en("free-texts", round.pk)).content.decode()
    assert "Personalen var trevlig." in content
    assert "Anything else?" in content
    assert "Save the themes" not in content
    data = {"action": "tag", "target": texts[0].pk, f"tag-{texts[0].pk}-themes": "Bemötande"}
    assert client.post(en("free-texts", round.pk), data).status_code == 403


def test_runners_tag_free_texts_and_filter_by_theme(client, round, texts, runner):
    url = en("free-texts", round.pk)
    first, second = texts
    data = {"action": "tag", "target": first.pk, f"tag-{first.pk}-themes": "Bemötande, personal,"}
    assert client.post(url, data).status_code == 302
    data = {"action": "tag", "target": second.pk, f"tag-{second.pk}-themes": "Mat, bemötande"}
    client.post(url, data)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.themes == ["Bemötande", "personal"]
    assert second.themes == ["Mat", "bemötande"]
    audit = AuditEntry.objects.filter(changes__themes__isnull=False).first()
    assert "Personalen" not in str(audit.changes) + audit.object_repr  # no free text in the log
    content = client.get(url + "?tema=mat").content.decode()
    assert "Maten var kall" in content
    assert "Personalen var trevlig." not in content
    assert "1 answer with the theme “mat”." in content


def test_too_many_themes_are_refused_at_the_form(client, round, texts, runner):
    answer_ = texts[0]
    many = ", ".join(f"tema {n}" for n in range(11))
    data = {"action": "tag", "target": answer_.pk, f"tag-{answer_.pk}-themes": many}
    response = client.post(en("free-texts", round.pk), data)
    assert response.status_code == 400
    answer_.refresh_from_db()
    assert answer_.themes == []


def test_a_free_text_is_published_as_an_edited_quote_and_withdrawn(client, round, texts, runner):
    url = en("free-texts", round.pk)
    source = texts[1]
    data = {"action": "quote", "target": source.pk, f"quote-{source.pk}-text": "Maten var kall."}
    assert client.post(url, data).status_code == 302
    quote = Quote.objects.get()
    assert (quote.text, quote.round, quote.question, quote.published_by) == (
        "Maten var kall.",
        round,
        source.question,
        runner,
    )
    source.refresh_from_db()
    assert source.text == "Maten var kall, Anna på Storgatan 3 vet."  # the answer is untouched
    assert "Maten var kall." in client.get(url).content.decode()
    assert client.post(url, {"action": "withdraw", "target": quote.pk}).status_code == 302
    assert not Quote.objects.exists()


def test_readers_cannot_publish_quotes(client, round, texts, reader):
    source = texts[0]
    data = {"action": "quote", "target": source.pk, f"quote-{source.pk}-text": "Trevlig."}
    assert client.post(en("free-texts", round.pk), data).status_code == 403
    assert not Quote.objects.exists()


def test_a_free_text_of_another_round_cannot_be_tagged(client, survey, runner):
    mine, other = make_round(survey), make_round(survey, name="Annan", days_ago=1)
    answer(other, text="Annan omgång.")
    foreign = TextAnswer.objects.get()
    data = {"action": "tag", "target": foreign.pk, f"tag-{foreign.pk}-themes": "X"}
    assert client.post(en("free-texts", mine.pk), data).status_code == 404


# Focus groups


def focus_group_data(unit, **values) -> dict[str, object]:
    data = {
        "unit": unit.pk,
        "survey": "",
        "held_on": (TODAY - timedelta(days=3)).isoformat(),
        "target_group": "Anhöriga till brukare",
        "participants": "7",
        "method": "Gruppintervju, 90 minuter",
        "summary": "Anhöriga vill ha mer information.",
        "themes": "Information\nKontinuitet",
        "quotes": "”Man vet aldrig vem som kommer.”",
        "actions": "Veckobrev till anhöriga.",
    }
    data.update(values)
    return data


def test_a_runner_records_a_focus_group_next_to_a_survey(client, tree, survey, runner):
    data = focus_group_data(tree.hemtjanst, survey=survey.pk)
    response = client.post(en("focus-groups"), data)
    assert response.status_code == 302
    group = FocusGroup.objects.get()
    assert (group.unit, group.survey, group.participants) == (tree.hemtjanst, survey, 7)
    assert AuditEntry.objects.filter(object_id=str(group.pk), actor=runner).exists()
    content = client.get(en("focus-groups")).content.decode()
    assert "Anhöriga till brukare" in content
    assert "Veckobrev till anhöriga." in content


def test_focus_groups_are_recorded_only_for_units_one_runs(client, tree, runner):
    response = client.post(en("focus-groups"), focus_group_data(tree.gata))
    assert response.status_code == 400
    assert not FocusGroup.objects.exists()


def test_a_survey_of_another_branch_is_refused_for_a_focus_group(client, tree, runner):
    other = make_survey(tree.social, title="Socialenkät")
    response = client.post(en("focus-groups"), focus_group_data(tree.hemtjanst, survey=other.pk))
    assert response.status_code == 400
    assert "Choose a survey of the unit or of a unit below it." in response.content.decode()


def test_a_focus_group_in_the_future_is_refused(client, tree, runner):
    later = (TODAY + timedelta(days=2)).isoformat()
    response = client.post(en("focus-groups"), focus_group_data(tree.hemtjanst, held_on=later))
    assert response.status_code == 400
    assert not FocusGroup.objects.exists()


def test_readers_see_their_units_focus_groups_but_cannot_record(client, tree, reader):
    for unit, name in ((tree.hemtjanst, "Brukare"), (tree.gata, "Trafikanter")):
        FocusGroup.objects.create(
            unit=unit, held_on=TODAY, target_group=name, participants=5, summary="S."
        )
    response = client.get(en("focus-groups"))
    content = response.content.decode()
    assert "Brukare" in content
    assert "Trafikanter" not in content
    assert "Record a focus group" not in content
    assert client.post(en("focus-groups"), focus_group_data(tree.hemtjanst)).status_code == 403
