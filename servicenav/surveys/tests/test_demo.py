"""The demo has a yearly citizen survey in three rounds and a monthly service survey, with
valid answers that really move between rounds, an invitation round with a low response
rate, free text, conclusions, quotes and two focus groups.

Loading the demo takes seconds, so the module loads it once (without the demo cases, which
the surveys do not need) inside a transaction that is rolled back when the module is done."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from servicenav.surveys import statistics
from servicenav.surveys.answers import DONT_KNOW_VALUE, clean_answer
from servicenav.surveys.models import (
    DONT_KNOW,
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

CITIZEN, SERVICE = "Medborgarundersökning", "Servicemätning Kontaktcenter"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("load_demo", without_cases=True, stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def citizen(demo, db):
    return Survey.objects.get(unit__slug="lulea", title_sv=CITIZEN)


@pytest.fixture
def service(demo, db):
    return Survey.objects.get(unit__slug="kontaktcenter", title_sv=SERVICE)


def _column(round: Round, question: Question) -> list[int | None]:
    position = round.round_questions.get(question=question).position
    return [answers[position] for answers in round.responses.values_list("answers", flat=True)]


def _area_indices(round: Round, area_name: str) -> np.ndarray:
    """Each respondent's index for an area: the mean of their answers' indices, without
    "vet ej" and skipped questions (NaN when they answered none)."""
    places = round.round_questions.filter(
        question__area__name_sv=area_name, question__kind=Question.Kind.SCALE
    ).select_related("question")
    rows = np.array(
        [
            [np.nan if a[p.position] in (None, DONT_KNOW) else a[p.position] for p in places]
            for a in round.responses.values_list("answers", flat=True)
        ],
        dtype=np.float64,
    )
    scores = statistics.index_scores(rows, 1, places[0].question.scale_max or 10)
    answered = (~np.isnan(scores)).sum(axis=1)
    totals = np.nansum(scores, axis=1)
    with np.errstate(invalid="ignore"):
        return np.where(answered > 0, totals / answered, np.nan)


def test_a_citizen_survey_and_a_service_survey_are_loaded_with_a_summary(demo, citizen, service):
    assert "Demo surveys: 2 new with 22 rounds" in demo
    assert "2 new surveys" in demo
    assert citizen.target_group_sv == "Invånare 18–84 år i Luleå kommun"
    assert service.target_group_sv == "Besökare som fått hjälp"
    assert citizen.title_en
    assert citizen.intro_sv
    assert service.intro_en


def test_the_citizen_survey_asks_scale_questions_by_area_and_three_overall_ones(citizen):
    questions = list(citizen.questions.select_related("area"))
    scale = [q for q in questions if q.kind == Question.Kind.SCALE]
    assert 18 <= len(scale) <= 24
    assert {q.scale_max for q in scale} == {10}
    assert all(q.low_label_sv and q.high_label_sv for q in scale)
    assert any(q.allows_dont_know for q in scale)
    assert not all(q.allows_dont_know for q in scale)
    overall = [q for q in questions if q.is_overall]
    assert len(overall) == 3
    assert {q.area.name_sv for q in overall} == {"Helhet"}
    assert {q.area.name_sv for q in scale} >= {
        "Bemötande och tillgänglighet",
        "Information och delaktighet",
        "Boende och trygghet",
        "Kommunens verksamheter",
    }
    background = {q.text_sv: q for q in questions if q.is_background}
    age = background["Hur gammal är du?"]
    assert [o["sv"] for o in age.options] == ["18–29 år", "30–44 år", "45–64 år", "65–84 år"]
    district = background["I vilken del av kommunen bor du?"]
    assert {"Centrum", "Björkskatan", "Porsön", "Råneå"} <= {o["sv"] for o in district.options}
    contact = background["Har du haft kontakt med kommunen det senaste året?"]
    assert contact.kind == Question.Kind.YES_NO
    assert [q.text_sv for q in questions if q.kind == Question.Kind.TEXT] == [
        "Vad skulle göra Luleå till en bättre plats att bo på?"
    ]


def test_the_citizen_survey_has_three_closed_yearly_rounds_of_the_same_questions(citizen):
    rounds = list(citizen.rounds.order_by("opens_on"))
    assert len(rounds) == 3
    years = [r.opens_on.year for r in rounds]
    assert years == [years[0], years[0] + 1, years[0] + 2] == [int(r.name) for r in rounds]
    today = timezone.localdate()
    for round in rounds:
        assert round.opens_on.month == 3
        assert (round.closes_on - round.opens_on).days == 27
        assert round.closes_on < today
        assert 600 <= round.responses.count() <= 900
        assert list(round.questions.order_by("pk")) == list(citizen.questions.order_by("pk"))
        assert round.round_questions.filter(is_public=True).exists()


def test_the_service_survey_has_a_round_a_month_and_the_current_month_is_open(service):
    questions = list(service.questions.all())
    scale = [q for q in questions if q.kind == Question.Kind.SCALE]
    assert {q.scale_max for q in scale} == {5}
    assert (scale[0].low_label_sv, scale[0].high_label_sv) == ("Mycket dåligt", "Mycket bra")
    answered = next(q for q in questions if q.text_sv == "Fick du svar på din fråga?")
    assert answered.kind == Question.Kind.YES_NO
    channel = next(q for q in questions if q.is_background)
    assert [o["sv"] for o in channel.options] == ["Telefon", "E-post", "Besök", "Chatt"]
    assert any(q.kind == Question.Kind.MULTIPLE for q in questions)

    today = timezone.localdate()
    rounds = list(service.rounds.order_by("opens_on"))
    closed = [r for r in rounds if r.closes_on < today]
    assert len(closed) >= 12
    assert [r for r in rounds if r.is_open(today)] == [rounds[-1]]
    for round in closed:
        assert round.opens_on.day == 1
        assert round.closes_on.month == round.opens_on.month
        assert 40 <= round.responses.count() <= 120
    assert all(r.submitted_on <= today for r in rounds[-1].responses.all())


def test_every_stored_answer_is_what_clean_answer_makes_of_a_form_value(demo, db):
    """Posting each stored answer back through `clean_answer` gives the same value: scale
    values within the scale, "vet ej" only where offered, options and bitmasks within
    the options, yes/no as 1 or 2, and free text never among the answers."""
    checked = 0
    for round in Round.objects.all():
        questions = [rq.question for rq in round.round_questions.select_related("question")]
        for answers in round.responses.values_list("answers", flat=True):
            assert len(answers) == len(questions)
            for question, value in zip(questions, answers, strict=True):
                if question.kind == Question.Kind.TEXT or value is None:
                    assert value is None
                    continue
                assert isinstance(value, int)
                assert not isinstance(value, bool)
                if question.kind == Question.Kind.MULTIPLE:
                    assert 0 < value < 1 << len(question.options)
                    raw = [str(i + 1) for i in range(len(question.options)) if value >> i & 1]
                elif value == DONT_KNOW and question.kind == Question.Kind.SCALE:
                    raw = [DONT_KNOW_VALUE]
                else:
                    raw = [str(value)]
                assert clean_answer(question, raw) == value
                checked += 1
    assert checked > 50_000


def test_free_text_is_kept_apart_realistic_and_partly_tagged(citizen, service):
    for survey in (citizen, service):
        rounds = list(survey.rounds.filter(closes_on__lt=timezone.localdate()))
        texts = TextAnswer.objects.filter(response__round__survey=survey)
        assert {t.response.round_id for t in texts.select_related("response")} >= {
            r.pk for r in rounds
        }
        assert all(t.question.kind == Question.Kind.TEXT for t in texts.select_related("question"))
        assert texts.exclude(themes=[]).exists()
        assert texts.filter(themes=[]).exists()
    citizen_texts = TextAnswer.objects.filter(response__round__survey=citizen)
    assert 30 <= citizen_texts.values("text").distinct().count() <= 60
    for round in citizen.rounds.all():
        in_round = citizen_texts.filter(response__round=round)
        assert in_round.count() == in_round.values("text").distinct().count()


def test_information_improves_safety_drops_and_treatment_holds_between_rounds(citizen):
    first, _second, last = citizen.rounds.order_by("opens_on")

    def change(area: str) -> statistics.Comparison:
        return statistics.welch_test(_area_indices(first, area), _area_indices(last, area))

    information = change("Information och delaktighet")
    assert information.difference > 5
    assert information.p_value < 0.001
    housing_and_safety = change("Boende och trygghet")
    assert housing_and_safety.difference < -3
    assert housing_and_safety.p_value < 0.001
    treatment = change("Bemötande och tillgänglighet")
    assert abs(treatment.difference) < 2
    assert treatment.p_value > 0.05

    safety = citizen.questions.get(text_sv__startswith="Hur nöjd är du med tryggheten")
    old, new = ([v for v in _column(r, safety) if v] for r in (first, last))
    assert statistics.welch_test(old, new).difference < -0.5


def test_municipal_services_drive_the_overall_index_and_the_matrix_fills_four_quadrants(
    citizen,
):
    last = citizen.rounds.order_by("opens_on").last()
    areas = [
        "Bemötande och tillgänglighet",
        "Information och delaktighet",
        "Boende och trygghet",
        "Kommunens verksamheter",
    ]
    indices = {area: _area_indices(last, area) for area in areas}
    overall = _area_indices(last, "Helhet")
    fit = statistics.regression(overall, np.column_stack([indices[a] for a in areas]))
    assert fit is not None
    assert fit.r_squared > 0.5
    effects = dict(zip(areas, fit.effects(), strict=True))
    assert max(effects, key=effects.get) == "Kommunens verksamheter"
    positions = {
        area: statistics.AreaPosition(effect=effects[area], index=float(np.nanmean(indices[area])))
        for area in areas
    }
    placed = statistics.quadrants(positions)
    assert set(placed.values()) == set(statistics.Quadrant)
    assert placed["Information och delaktighet"] == statistics.Quadrant.PRIORITISE


def test_the_service_survey_dips_for_months_and_recovers(service):
    rounds = list(service.rounds.order_by("opens_on"))
    accessibility = [float(np.nanmean(_area_indices(r, "Tillgänglighet"))) for r in rounds]
    lowest = int(np.argmin(accessibility))
    assert 2 < lowest < len(rounds) - 3
    assert accessibility[lowest] < min(accessibility[0], accessibility[-2]) - 10
    assert accessibility[-2] > accessibility[lowest] + 10


def test_the_chat_group_is_small_enough_to_be_suppressed_in_some_months(service, settings):
    channel = service.questions.get(is_background=True)
    chat = 4
    small = large = 0
    for round in service.rounds.filter(closes_on__lt=timezone.localdate()):
        counts = {option: 0 for option in range(1, 5)}
        for value in _column(round, channel):
            if value is not None:
                counts[value] += 1
        hidden = statistics.suppress_small_cells(counts, settings.SERVICENAV_SURVEY_MIN_ANSWERS)
        small += chat in hidden
        large += chat not in hidden
    assert small >= 3
    assert large >= 2


def test_the_last_citizen_round_used_invitation_codes_and_a_third_were_used(citizen):
    rounds = list(citizen.rounds.order_by("opens_on"))
    assert [r.invitations_sent for r in rounds] == [0, 0, 2500]
    assert [r.open_link for r in rounds] == [True, True, False]
    invited = rounds[-1]
    assert invited.invitations_used == invited.responses.count()
    assert invited.invitations.count() == 2500 - invited.invitations_used  # the unused codes
    assert 30 < invited.response_rate < 40
    assert rounds[0].response_rate is None


def test_nothing_joins_an_invitation_to_a_response(demo, db):
    def related(model: type[Model]) -> set[object]:
        return {f.related_model for f in model._meta.get_fields() if f.is_relation}

    assert Invitation not in related(Response)
    assert Response not in related(Invitation)
    assert {f.name for f in Invitation._meta.concrete_fields} == {
        "id",
        "round",
        "code_hash",
    }


def test_older_citizen_rounds_have_conclusions_and_quotes_come_from_free_text(citizen, service):
    first, second, last = citizen.rounds.order_by("opens_on")
    for round in (first, second):
        conclusion = Conclusion.objects.get(round=round)
        assert conclusion.actions
        assert conclusion.outcome
        assert conclusion.created_by
    assert not last.conclusions.exists()
    assert Conclusion.objects.filter(round__survey=service).count() == 1
    quotes = Quote.objects.filter(round__survey__in=[citizen, service])
    assert quotes.count() >= 2
    for quote in quotes:
        assert TextAnswer.objects.filter(response__round=quote.round, text=quote.text).exists()
        assert quote.published_by is not None


def test_two_focus_groups_next_to_the_library_and_the_contact_centre(service):
    groups = {group.unit.slug: group for group in FocusGroup.objects.select_related("unit")}
    assert set(groups) == {"bibliotek", "kontaktcenter"}
    assert groups["kontaktcenter"].survey == service
    assert groups["bibliotek"].survey is None
    for group in groups.values():
        assert group.method == "Semistrukturerad gruppintervju, 90 min"
        assert group.participants > 1
        assert group.summary
        assert group.actions
        assert len(group.themes.splitlines()) >= 3
        assert len(group.quotes.splitlines()) >= 3
        assert group.held_on < timezone.localdate()


def test_loading_the_demo_again_adds_nothing(demo, db):
    def counts() -> list[int]:
        models = (Survey, Round, Response, TextAnswer, Invitation, Conclusion, Quote, FocusGroup)
        return [model.objects.count() for model in models]

    before = counts()
    output = StringIO()
    call_command("load_demo", without_cases=True, stdout=output)
    assert counts() == before
    assert "Demo surveys: 0 new with 0 rounds and 0 responses; 0 new focus groups." in (
        output.getvalue()
    )
