"""Indicators computed from surveys: a question's or an area's index, or a share, per closed
round, equal to the figures on the round's analysis page; suppressed below the minimum;
bad parameters refused with a clear message; late answers recomputed in the background."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from servicenav.kpis.models import Indicator, Measurement, Source, UnitOfMeasure
from servicenav.kpis.survey_compute import (
    compute_survey_indicator,
    compute_survey_indicators,
    survey_measure,
)
from servicenav.kpis.tasks import recompute_survey_indicators
from servicenav.organisation.models import Role
from servicenav.surveys import statistics as st
from servicenav.surveys.models import DONT_KNOW, Area, Question, Round, Survey
from servicenav.surveys.services import (
    paper_response_enter,
    response_submit,
    round_create,
    round_question_replace,
)
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

SCALE, YES_NO, TEXT = Question.Kind.SCALE, Question.Kind.YES_NO, Question.Kind.TEXT
AFTER_2025_ROUND = date(2025, 4, 1)
# The first round's answers to "kind" (1–5, "don't know" allowed): seven on the scale.
KIND_ANSWERS = [5, 4, 4, 3, 2, 5, DONT_KNOW, 1]


class Built:
    """A survey of the street unit: two areas, a yes/no and a free-text question, and its
    first round (March 2025)."""

    def __init__(self, unit) -> None:
        self.survey = Survey.objects.create(
            unit=unit, title_sv="Servicemätning", title_en="Service survey", target_group_sv="Alla"
        )
        self.treatment = Area.objects.create(survey=self.survey, name_sv="Bemötande", order=1)
        self.access = Area.objects.create(survey=self.survey, name_sv="Tillgänglighet", order=2)
        self.kind = self.question(SCALE, "Vänlig personal", area=self.treatment, dont_know=True)
        self.helpful = self.question(SCALE, "Hjälpsam personal", area=self.treatment)
        self.reach = self.question(SCALE, "Lätt att nå", area=self.access, scale_max=7)
        self.answered = self.question(YES_NO, "Fick du svar?")
        self.comment = self.question(TEXT, "Något mer?")
        self.round = self.new_round("2025", date(2025, 3, 1), date(2025, 3, 31))

    def question(self, kind: str, text: str, *, dont_know: bool = False, **fields) -> Question:
        if kind == SCALE:
            fields.setdefault("scale_max", 5)
        return Question.objects.create(
            survey=self.survey,
            kind=kind,
            text_sv=text,
            text_en=text,
            order=self.survey.questions.count(),
            allows_dont_know=dont_know,
            **fields,
        )

    def new_round(self, name: str, opens_on: date, closes_on: date) -> Round:
        return round_create(
            survey=self.survey, name=name, opens_on=opens_on, closes_on=closes_on, by=None
        )

    def answer(self, round: Round, **answers) -> None:
        by_question = {getattr(self, name).pk: value for name, value in answers.items()}
        response_submit(round=round, answers=by_question, channel="paper", today=round.closes_on)


@pytest.fixture
def built(tree, settings) -> Built:
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    built = Built(tree.gata)
    generator = np.random.default_rng(7)
    for value in KIND_ANSWERS:
        built.answer(
            built.round,
            kind=value,
            helpful=int(generator.integers(1, 6)),
            reach=int(generator.integers(1, 8)),
            answered=int(generator.integers(1, 3)),
            comment="Bra",
        )
    return built


def indicator(unit, params, *, code="kpi", period_kind="year", **fields) -> Indicator:
    defaults = {
        "name_sv": "Nöjdhet",
        "name_en": "Satisfaction",
        "kind": "result",
        "definition_sv": "Index för frågan i enkätens omgångar.",
        "source": Source.SURVEYS,
        "unit_of_measure": UnitOfMeasure.INDEX,
        "min_cases": 1,
    }
    return Indicator.objects.create(
        unit=unit, code=code, params=params, period_kind=period_kind, **(defaults | fields)
    )


def tenth(number: float) -> Decimal:
    return Decimal(repr(number)).quantize(Decimal("0.1"))


def assert_equal(measurement: Measurement, estimate: st.Estimate) -> None:
    """The stored figure is the analysis figure, to the tenth it is stored with."""
    assert measurement.value == tenth(estimate.value)
    assert measurement.low == tenth(estimate.low)
    assert measurement.high == tenth(estimate.high)
    assert measurement.n == estimate.n


def analysis_page(client, tree, round: Round):
    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))
    with translation.override("en"):
        url = reverse("surveys:analysis", args=[round.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response


def result_on(page, question: Question):
    sections = page.context["analysis"].sections
    return next(r for s in sections for r in s.questions if r.question == question)


# --- Equal to the analysis page ------------------------------------------------------------


def test_a_question_index_is_the_figure_on_the_rounds_analysis_page(client, tree, built):
    ind = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"}
    )

    (measurement,) = compute_survey_indicator(ind, today=AFTER_2025_ROUND)

    page = analysis_page(client, tree, built.round)
    shown = result_on(page, built.kind).index
    assert_equal(measurement, shown)
    # By hand: 100, 75, 75, 50, 25, 100, 0 ("don't know" is in no index): 425 / 7.
    assert measurement.value == Decimal("60.7")
    assert measurement.n == 7
    assert f'<span class="figure">{floatformat(measurement.value, 0)}</span>' in (
        page.content.decode()
    )
    stored = Measurement.objects.get(indicator=ind)
    assert (stored.unit, stored.period, stored.source) == (tree.gata, "2025", Source.SURVEYS)
    assert (stored.period_start, stored.period_end) == (date(2025, 1, 1), date(2025, 12, 31))


def test_a_share_of_the_top_two_is_the_analysis_pages_top_box(client, tree, built):
    ind = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.kind.pk, "measure": "share"}
    )

    (measurement,) = compute_survey_indicator(ind, today=AFTER_2025_ROUND)

    assert_equal(
        measurement, result_on(analysis_page(client, tree, built.round), built.kind).top_box
    )
    assert measurement.value == Decimal("57.1")  # 4 of the 7 answered 4 or 5


def test_a_share_of_the_top_three_counts_the_three_highest_values(tree, built):
    ind = indicator(
        tree.gata,
        {"survey": built.survey.pk, "question": built.reach.pk, "measure": "share", "top": 3},
    )

    (measurement,) = compute_survey_indicator(ind, today=AFTER_2025_ROUND)

    answers = [
        r.answers[built.round.round_questions.get(question=built.reach).position]
        for r in built.round.responses.all()
    ]
    expected = st.wilson_interval(sum(1 for a in answers if a >= 5), len(answers))
    assert_equal(measurement, expected)


def test_a_yes_no_share_is_the_analysis_pages_share_answering_yes(client, tree, built):
    ind = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.answered.pk, "measure": "share"}
    )

    (measurement,) = compute_survey_indicator(ind, today=AFTER_2025_ROUND)

    page = analysis_page(client, tree, built.round)
    assert_equal(measurement, result_on(page, built.answered).share_yes)


def test_an_area_index_is_the_analysis_pages_area_index(client, tree, built):
    ind = indicator(
        tree.gata, {"survey": built.survey.pk, "area": built.treatment.pk, "measure": "index"}
    )

    (measurement,) = compute_survey_indicator(ind, today=AFTER_2025_ROUND)

    areas = analysis_page(client, tree, built.round).context["analysis"].areas
    (treatment,) = [a for a in areas if a.key == f"area-{built.treatment.pk}"]
    assert_equal(measurement, treatment.estimate)
    assert measurement.n == treatment.n == len(KIND_ANSWERS)  # everyone answered "helpful"


# --- Which rounds, which periods -----------------------------------------------------------


def test_below_the_minimum_there_is_no_value_but_the_number_of_answers(tree, built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 8
    ind = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"}
    )

    (measurement,) = compute_survey_indicator(ind, today=AFTER_2025_ROUND)

    assert (measurement.value, measurement.low, measurement.high, measurement.n) == (
        None,
        None,
        None,
        7,
    )


def test_an_indicator_asking_more_answers_than_the_survey_minimum_gets_them(tree, built):
    ind = indicator(
        tree.gata,
        {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"},
        min_cases=20,
    )

    (measurement,) = compute_survey_indicator(ind, today=AFTER_2025_ROUND)

    assert (measurement.value, measurement.n) == (None, 7)


def test_a_round_is_measured_only_once_it_has_closed(tree, built):
    later = built.new_round("2026", date(2026, 3, 1), date(2026, 3, 31))
    for value in (5, 5, 5, 4, 4):
        built.answer(later, kind=value)
    ind = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"}
    )

    compute_survey_indicator(ind, today=date(2026, 3, 31))
    assert list(ind.measurements.values_list("period", flat=True)) == ["2025"]

    compute_survey_indicator(ind, today=date(2026, 4, 1))
    assert dict(ind.measurements.values_list("period", "value")) == {
        "2025": Decimal("60.7"),
        "2026": Decimal("90.0"),
    }


def test_the_period_is_the_one_of_the_indicator_that_holds_the_closing_day(tree, built):
    ind = indicator(
        tree.gata,
        {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"},
        period_kind="quarter",
    )

    (measurement,) = compute_survey_indicator(ind, today=AFTER_2025_ROUND)

    assert (measurement.period, measurement.period_end) == ("2025-Q1", date(2025, 3, 31))


def test_of_two_rounds_closing_in_one_period_the_later_is_its_value(tree, built):
    autumn = built.new_round("Hösten 2025", date(2025, 10, 1), date(2025, 10, 31))
    for value in (1, 1, 1, 1, 1):
        built.answer(autumn, kind=value)
    ind = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"}
    )

    compute_survey_indicator(ind, today=date(2025, 11, 1))

    assert list(ind.measurements.values_list("period", "value", "n")) == [
        ("2025", Decimal("0.0"), 5)
    ]


def test_a_reworded_question_is_another_question(tree, built):
    later = built.new_round("2026", date(2026, 3, 1), date(2026, 3, 31))
    reworded = round_question_replace(
        round=later, question=built.kind, by=None, text_sv="Bemöttes du vänligt?"
    )
    by_question = {reworded.pk: 5}
    for _i in range(5):
        response_submit(round=later, answers=by_question, channel="paper", today=later.closes_on)
    old = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"}
    )
    new = indicator(
        tree.gata,
        {"survey": built.survey.pk, "question": reworded.pk, "measure": "index"},
        code="new",
    )

    compute_survey_indicator(old, today=date(2026, 4, 1))
    compute_survey_indicator(new, today=date(2026, 4, 1))

    assert list(old.measurements.values_list("period", flat=True)) == ["2025"]
    assert list(new.measurements.values_list("period", "value")) == [("2026", Decimal("100.0"))]


def test_recomputing_rewrites_the_rows_and_drops_what_the_data_no_longer_gives(tree, built):
    later = built.new_round("2026", date(2026, 3, 1), date(2026, 3, 31))
    for value in (5, 5, 5, 4, 4):
        built.answer(later, kind=value)
    ind = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"}
    )
    compute_survey_indicator(ind, today=date(2026, 4, 1))
    built.answer(later, kind=1)
    built.round.delete()

    compute_survey_indicator(ind, today=date(2026, 4, 1))

    assert list(ind.measurements.values_list("period", "value", "n")) == [
        ("2026", Decimal("75.0"), 6)
    ]


# --- Parameters ----------------------------------------------------------------------------


@pytest.fixture
def other_survey(tree):
    survey = Survey.objects.create(unit=tree.gata, title_sv="Annan", target_group_sv="Alla")
    question = Question.objects.create(survey=survey, kind=SCALE, text_sv="Nöjd?", scale_max=5)
    area = Area.objects.create(survey=survey, name_sv="Annat")
    return survey, question, area


@pytest.mark.parametrize(
    ("make_params", "message"),
    [
        (lambda b, o: {}, "Choose the survey"),
        (lambda b, o: {"survey": "one"}, "must be an id"),
        (lambda b, o: {"survey": 10**9, "question": 1, "measure": "index"}, "There is no survey"),
        (
            lambda b, o: {"survey": b.survey.pk, "question": 10**9, "measure": "index"},
            "There is no question",
        ),
        (
            lambda b, o: {"survey": b.survey.pk, "question": o[1].pk, "measure": "index"},
            "belongs to another survey",
        ),
        (
            lambda b, o: {"survey": b.survey.pk, "area": o[2].pk, "measure": "index"},
            "belongs to another survey",
        ),
        (
            lambda b, o: {"survey": b.survey.pk, "question": b.answered.pk, "measure": "index"},
            "An index needs a question answered on a scale",
        ),
        (
            lambda b, o: {"survey": b.survey.pk, "question": b.comment.pk, "measure": "share"},
            "A share needs a question answered on a scale or yes/no",
        ),
        (
            lambda b, o: {"survey": b.survey.pk, "area": b.access.pk, "measure": "share"},
            "measured by its index",
        ),
        (
            lambda b, o: {"survey": b.survey.pk, "question": b.kind.pk, "measure": "mean"},
            "must be “index” or “share”",
        ),
        (
            lambda b, o: {
                "survey": b.survey.pk,
                "question": b.kind.pk,
                "area": b.treatment.pk,
                "measure": "index",
            },
            "either a question or a question area",
        ),
        (
            lambda b, o: {"survey": b.survey.pk, "measure": "index"},
            "either a question or a question area",
        ),
        (
            lambda b, o: {
                "survey": b.survey.pk,
                "question": b.kind.pk,
                "measure": "share",
                "top": 5,
            },
            "from 1 to 4",
        ),
        (
            lambda b, o: {"survey": b.survey.pk, "question": b.kind.pk, "measure": "index", "x": 1},
            "Unknown parameter: x",
        ),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(
    tree, built, other_survey, make_params, message
):
    ind = indicator(tree.gata, make_params(built, other_survey))

    with translation.override("en"), pytest.raises(ValidationError, match=message):
        compute_survey_indicator(ind, today=AFTER_2025_ROUND)
    assert not Measurement.objects.exists()


def test_the_survey_must_belong_to_the_indicators_unit_or_one_below_it(tree, built):
    params = {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"}
    assert survey_measure(params, unit=tree.teknik).question == built.kind
    elsewhere = indicator(tree.hemtjanst, params)

    with translation.override("en"), pytest.raises(ValidationError, match="outside"):
        compute_survey_indicator(elsewhere, today=AFTER_2025_ROUND)
    assert not Measurement.objects.exists()


def test_an_indicator_from_another_source_is_not_computed_here(tree, built):
    ind = indicator(tree.gata, {}, source=Source.CASES, statistic="share_praise")
    with pytest.raises(ValueError, match="not computed from surveys"):
        compute_survey_indicator(ind)


# --- All of a survey's indicators, and late answers ----------------------------------------


def test_one_broken_indicator_does_not_stop_the_others(tree, built):
    good = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"}
    )
    indicator(
        tree.gata,
        {"survey": built.survey.pk, "question": built.comment.pk, "measure": "index"},
        code="broken",
    )
    indicator(
        tree.gata,
        {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"},
        code="off",
        active=False,
    )

    assert compute_survey_indicators(survey_id=built.survey.pk, today=AFTER_2025_ROUND) == (1, 1)
    assert list(Measurement.objects.values_list("indicator", flat=True)) == [good.pk]


def test_a_late_paper_answer_recomputes_the_surveys_indicators_after_commit(
    tree, built, django_capture_on_commit_callbacks
):
    ind = indicator(
        tree.gata, {"survey": built.survey.pk, "question": built.kind.pk, "measure": "index"}
    )
    compute_survey_indicator(ind)
    with django_capture_on_commit_callbacks(execute=True):
        paper_response_enter(
            round=built.round, answers={built.kind.pk: 5}, by=None, today=date(2025, 4, 10)
        )

    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "servicenav.kpis.tasks.recompute_survey_indicators"
    assert queued.args_kwargs["args"] == [built.survey.pk]
    assert recompute_survey_indicators.call(built.survey.pk) == {
        "indicators": 1,
        "measurements": 1,
    }
    assert ind.measurements.get().n == 8


def test_answers_to_an_open_round_queue_nothing(tree, built, django_capture_on_commit_callbacks):
    later = built.new_round("2026", date(2026, 3, 1), date(2026, 3, 31))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response_submit(round=later, answers={built.kind.pk: 5}, today=date(2026, 3, 15))

    assert callbacks == []
    assert not DBTaskResult.objects.exists()
