"""The analysis of a round: distributions, indices and their intervals, the overall and area
indices, changes between rounds with adjusted p-values, background breakdowns that hide
small groups (also from subtraction), the priority matrix, and the staff page around it.

Figures are checked against values computed independently in the test (by hand, scipy,
statsmodels). Pages are read in English (/en/) so that new texts can be compared."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from scipy import stats as scipy_stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from servicenav.organisation.models import Role
from servicenav.surveys import statistics as st
from servicenav.surveys.analysis import (
    Direction,
    Measure,
    analyse_round,
    cached_analysis,
    top_box_from,
)
from servicenav.surveys.charts import priority_matrix_svg
from servicenav.surveys.models import (
    DONT_KNOW,
    Area,
    Conclusion,
    Question,
    Response,
    Round,
    Survey,
)
from servicenav.surveys.round_data import RoundData, answer_matrix
from servicenav.surveys.services import response_submit, round_create, round_question_replace
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

SCALE, YES_NO, SINGLE, MULTIPLE, TEXT = (
    Question.Kind.SCALE,
    Question.Kind.YES_NO,
    Question.Kind.SINGLE,
    Question.Kind.MULTIPLE,
    Question.Kind.TEXT,
)
AGES = [{"sv": "16–39", "en": "16–39"}, {"sv": "40–64", "en": "40–64"}, {"sv": "65+", "en": "65+"}]
CHANNELS = [
    {"sv": "Telefon", "en": "Phone"},
    {"sv": "E-post", "en": "E-mail"},
    {"sv": "Besök", "en": "Visit"},
]


class Built:
    """A survey on the street unit: two areas, an overall question, yes/no, background,
    multiple choice and free text, with its first round."""

    def __init__(self, unit, *, overall_questions: int = 1) -> None:
        self.survey = Survey.objects.create(
            unit=unit, title_sv="Servicemätning", title_en="Service survey", target_group_sv="Alla"
        )
        self.treatment = Area.objects.create(
            survey=self.survey, name_sv="Bemötande", name_en="Treatment", order=1
        )
        self.access = Area.objects.create(
            survey=self.survey, name_sv="Tillgänglighet", name_en="Access", order=2
        )
        self.kind = self.question(SCALE, "Kind staff", area=self.treatment, allows_dont_know=True)
        self.reach = self.question(SCALE, "Easy to reach", area=self.access, scale_max=7)
        self.overall = [
            self.question(SCALE, f"Overall {i}", scale_max=10, is_overall=True)
            for i in range(overall_questions)
        ]
        self.answered = self.question(YES_NO, "Got an answer")
        self.age = self.question(SINGLE, "Age", options=AGES, is_background=True)
        self.channels = self.question(MULTIPLE, "How you contacted us", options=CHANNELS)
        self.comment = self.question(TEXT, "Anything else")
        self.round = round_create(
            survey=self.survey,
            name="2025",
            opens_on=date(2025, 3, 1),
            closes_on=date(2025, 3, 31),
            by=None,
        )

    def question(self, kind: str, text: str, **fields) -> Question:
        if kind == SCALE:
            fields.setdefault("scale_max", 5)
        order = self.survey.questions.count()
        return Question.objects.create(
            survey=self.survey, kind=kind, text_sv=text, text_en=text, order=order, **fields
        )

    def new_round(self, name: str, opens_on: date) -> Round:
        return round_create(
            survey=self.survey, name=name, opens_on=opens_on, closes_on=opens_on, by=None
        )

    def answer(self, round: Round | None = None, **answers) -> Response:
        """One response; keywords name the attributes above (overall=[…] for the overall)."""
        by_question: dict[int, Any] = {}
        for name, value in answers.items():
            if name == "overall":
                by_question |= {q.pk: v for q, v in zip(self.overall, value, strict=False)}
            else:
                by_question[getattr(self, name).pk] = value
        return response_submit(round=round or self.round, answers=by_question, channel="paper")


@pytest.fixture
def built(tree) -> Built:
    return Built(tree.gata)


def result_for(analysis, question):
    return next(
        r for section in analysis.sections for r in section.questions if r.question == question
    )


def t_interval(values, confidence=0.95):
    """The t interval of a mean, from scipy."""
    values = np.asarray(values, dtype=float)
    mean = values.mean()
    low, high = scipy_stats.t.interval(
        confidence, values.size - 1, loc=mean, scale=scipy_stats.sem(values)
    )
    return mean, low, high


# --- Reading the answers -----------------------------------------------------------------


def matrix_of(rows: list[str], width: int) -> list[list[int]]:
    return answer_matrix(",".join(rows), len(rows), width).tolist()


def test_the_answer_matrix_reads_json_rows_with_missing_answers_as_minus_one():
    rows = [json.dumps([5, None, 0, 7]), json.dumps([None, 2, 3, 1])]
    assert matrix_of(rows, 4) == [[5, -1, 0, 7], [-1, 2, 3, 1]]


def test_rows_of_another_length_or_with_odd_values_are_read_one_by_one():
    rows = ["[1, 2]", "[3, 4, 5]", '[1, "x", true]', "[7, 8, 9, 10]"]
    assert matrix_of(rows, 3) == [[1, 2, -1], [3, 4, 5], [1, -1, -1], [7, 8, 9]]
    # As many numbers in all as full rows would hold, but not one per row.
    assert matrix_of(["[1, 2]", "[3, 4, 5, 6]"], 3) == [[1, 2, -1], [3, 4, 5]]


def test_the_fast_and_the_slow_reading_agree_on_random_answers():
    generator = np.random.default_rng(7)
    values = generator.integers(-1, 12, size=(200, 9))
    rows = [json.dumps([None if v < 0 else int(v) for v in row]) for row in values]
    padded = [row.replace("]", ", null]") for row in rows]  # one column more: fast path fails
    assert matrix_of(rows, 9) == values.tolist()
    assert matrix_of(padded, 9) == values.tolist()


def test_a_round_is_read_from_the_database_in_one_query(built, django_assert_num_queries):
    built.answer(kind=5, reach=None, answered=1, channels=0b101)
    built.answer(kind=DONT_KNOW, reach=7, age=3, comment="Hej")

    with django_assert_num_queries(2):  # the questions, the answers
        data = RoundData(built.round)

    assert data.respondents == 2
    assert data.column(built.kind).tolist() == [5, DONT_KNOW]
    assert data.column(built.reach).tolist() == [-1, 7]
    assert data.column(built.channels).tolist() == [5, -1]
    assert data.column(built.comment).tolist() == [-1, -1]  # the text is kept apart


# --- Questions ---------------------------------------------------------------------------


def test_a_scale_question_has_its_distribution_mean_index_and_top_box(built):
    answers = [5, 5, 4, 4, 4, 3, 2, 1, DONT_KNOW, None]
    for value in answers:
        built.answer(kind=value)

    result = result_for(analyse_round(built.round), built.kind)

    assert result.answered == 9  # "don't know" is an answer, a skipped question is not
    assert [(o.value, o.count) for o in result.options] == [
        (1, 1),
        (2, 1),
        (3, 1),
        (4, 3),
        (5, 2),
        (None, 1),  # don't know
    ]
    assert result.options[3].share == pytest.approx(100 * 3 / 9)
    valid = [5, 5, 4, 4, 4, 3, 2, 1]
    mean, low, high = t_interval(valid)
    assert (result.mean.value, result.mean.low, result.mean.high) == pytest.approx(
        (mean, low, high)
    )
    scores = [(v - 1) / 4 * 100 for v in valid]
    _index, low, high = t_interval(scores)
    assert result.index.value == pytest.approx(62.5)
    assert (result.index.low, result.index.high) == pytest.approx((low, high))
    low, high = proportion_confint(5, 8, method="wilson")
    assert result.top_box.value == pytest.approx(100 * 5 / 8)
    assert (result.top_box.low, result.top_box.high) == pytest.approx((100 * low, 100 * high))


@pytest.mark.parametrize(("scale_max", "lowest"), [(5, 4), (7, 6), (10, 8)])
def test_the_top_box_is_the_two_highest_values_or_eight_to_ten(scale_max, lowest):
    assert top_box_from(scale_max) == lowest


def test_yes_no_gives_the_share_yes_and_multiple_choice_each_options_share(built):
    for got, channels in [(1, 0b001), (1, 0b011), (2, 0b100), (1, 0b101), (1, None), (2, 0b001)]:
        built.answer(answered=got, channels=channels)

    analysis = analyse_round(built.round)
    yes_no = result_for(analysis, built.answered)
    multiple = result_for(analysis, built.channels)

    low, high = proportion_confint(4, 6, method="wilson")
    assert yes_no.share_yes.value == pytest.approx(100 * 4 / 6)
    assert (yes_no.share_yes.low, yes_no.share_yes.high) == pytest.approx((100 * low, 100 * high))
    assert [o.count for o in yes_no.options] == [4, 2]
    assert multiple.answered == 5
    assert [o.count for o in multiple.options] == [4, 1, 2]
    assert multiple.options[0].share == pytest.approx(80)
    assert multiple.options[2].estimate.value == pytest.approx(40)


def test_a_question_with_fewer_answers_than_the_minimum_shows_no_figures(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    for value in [5, 4, 4, 3]:
        built.answer(kind=value, reach=value)
    built.answer(reach=1)

    analysis = analyse_round(built.round)
    few, enough = result_for(analysis, built.kind), result_for(analysis, built.reach)

    assert few.too_few
    assert few.answered == 4
    assert not enough.too_few
    assert enough.index is not None
    assert analysis.areas[0].estimate is None  # the area of the sparse question
    assert analysis.areas[1].estimate is not None


def test_dont_know_counts_as_an_answer_but_not_in_the_index(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    for value in [5, 4, DONT_KNOW, DONT_KNOW, DONT_KNOW]:
        built.answer(kind=value)

    result = result_for(analyse_round(built.round), built.kind)

    assert not result.too_few  # five answers: the distribution is shown …
    assert result.index is None  # … but the index rests on two and is not
    assert result.top_box is None


# --- Indices -----------------------------------------------------------------------------


def test_the_overall_index_averages_each_respondents_overall_scores(tree, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 3
    built = Built(tree.gata, overall_questions=2)
    for pair in [(10, 1), (10, None), (6, 7), (None, None), (1, 4)]:
        built.answer(overall=pair)

    analysis = analyse_round(built.round)

    def score(value):
        return (value - 1) / 9 * 100

    per_respondent = [
        (score(10) + score(1)) / 2,
        score(10),
        (score(6) + score(7)) / 2,
        (score(1) + score(4)) / 2,
    ]
    mean, low, high = t_interval(per_respondent)
    assert analysis.overall.key == "overall"
    assert analysis.overall.n == 4
    assert analysis.overall.estimate.value == pytest.approx(mean)
    assert (analysis.overall.estimate.low, analysis.overall.estimate.high) == pytest.approx(
        (max(low, 0), min(high, 100))
    )


def test_an_area_index_averages_each_respondents_scores_on_its_questions(tree, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 3
    built = Built(tree.gata)
    second = built.question(SCALE, "Listened", area=built.treatment)
    built.round.delete()
    built.round = built.new_round("2025", date(2025, 3, 1))
    for kind, listened in [(5, 3), (4, None), (None, 1), (2, 2), (None, None)]:
        response_submit(
            round=built.round, answers={built.kind.pk: kind, second.pk: listened}, channel="paper"
        )

    treatment = analyse_round(built.round).areas[0]

    per_respondent = [(100 + 50) / 2, 75, 0, (25 + 25) / 2]
    mean, low, _high = t_interval(per_respondent)
    assert treatment.key == f"area-{built.treatment.pk}"
    assert treatment.n == 4
    assert treatment.estimate.value == pytest.approx(mean)
    assert treatment.estimate.low == pytest.approx(max(low, 0))
    assert treatment.numbers == (1, 8)


# --- Changes -----------------------------------------------------------------------------


def test_changes_use_welch_and_two_proportion_tests_with_bh_adjusted_p_values(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    generator = np.random.default_rng(3)
    old_kind = generator.integers(1, 6, 60)
    old_yes = generator.integers(1, 3, 60)
    for kind, got in zip(old_kind, old_yes, strict=True):
        built.answer(kind=int(kind), answered=int(got), reach=4)
    later = built.new_round("2026", date(2026, 3, 1))
    new_kind = np.clip(generator.integers(2, 7, 80), 1, 5)
    new_yes = generator.integers(1, 3, 80)
    for kind, got in zip(new_kind, new_yes, strict=True):
        built.answer(later, kind=int(kind), answered=int(got), reach=5)

    analysis = analyse_round(later, built.round)
    rows = {(row.label, row.measure): row for row in analysis.changes}

    kind_index = rows[("1. Kind staff", Measure.INDEX)]
    old_scores, new_scores = (old_kind - 1) * 25.0, (new_kind - 1) * 25.0
    welch = scipy_stats.ttest_ind(new_scores, old_scores, equal_var=False)
    assert kind_index.comparison.difference == pytest.approx(new_scores.mean() - old_scores.mean())
    assert kind_index.comparison.p_value == pytest.approx(welch.pvalue)
    share = rows[("4. Got an answer", Measure.SHARE_YES)]
    assert share.comparison.difference == pytest.approx(
        100 * ((new_yes == 1).mean() - (old_yes == 1).mean())
    )
    top_box = rows[("1. Kind staff", Measure.TOP_BOX)]
    assert top_box.new.value == pytest.approx(100 * (new_kind >= 4).mean())
    # Everyone answered 4 and then 5 on "easy to reach": no spread, so no test.
    assert rows[("2. Easy to reach", Measure.INDEX)].direction == Direction.UNTESTABLE

    tested = [
        row for row in analysis.changes if row.comparison and row.comparison.p_value is not None
    ]
    _reject, expected, _s, _b = multipletests(
        [row.comparison.p_value for row in tested], method="fdr_bh"
    )
    assert [row.adjusted_p for row in tested] == pytest.approx(list(expected))
    for row in tested:
        significant = row.adjusted_p <= 0.05
        assert row.significant == significant
        if significant:
            direction = Direction.INCREASE if row.comparison.difference > 0 else Direction.DECREASE
            assert row.direction == direction
        else:
            assert row.direction == Direction.NO_CHANGE
    assert kind_index.direction == Direction.INCREASE


def test_only_questions_asked_in_both_rounds_are_compared(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 1
    built.answer(kind=4, reach=3)
    later = built.new_round("2026", date(2026, 3, 1))
    reworded = round_question_replace(round=later, question=built.kind, by=None, text_en="Nice?")
    response_submit(round=later, answers={reworded.pk: 5, built.reach.pk: 4}, channel="paper")

    labels = {row.label for row in analyse_round(later, built.round).changes}

    assert "2. Easy to reach" in labels
    assert not any("Nice?" in label or "Kind staff" in label for label in labels)
    assert "Bemötande" not in labels  # its question changed


def test_a_round_with_too_few_answers_is_not_tested(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    for value in [1, 2, 3]:
        built.answer(kind=value)
    later = built.new_round("2026", date(2026, 3, 1))
    for value in [5, 5, 4, 4, 5, 5]:
        built.answer(later, kind=value)

    rows = analyse_round(later, built.round).changes
    row = next(r for r in rows if r.label == "1. Kind staff" and r.measure == Measure.INDEX)

    assert row.direction == Direction.TOO_FEW
    assert row.old is None
    assert row.adjusted_p is None


def test_an_empty_round_has_too_few_answers_and_compares_with_nothing(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    later = built.new_round("2026", date(2026, 3, 1))
    for value in [5, 5, 4, 4, 5, 5]:
        built.answer(later, kind=value)

    empty = analyse_round(built.round)
    changes = analyse_round(later, built.round).changes

    assert empty.respondents == 0
    assert empty.too_few
    assert empty.priority is None
    assert changes
    assert {row.direction for row in changes} == {Direction.TOO_FEW}


# --- Breakdown by background -------------------------------------------------------------


def test_small_groups_are_hidden_together_with_the_next_smallest(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    for age, count in [(1, 20), (2, 12), (3, 3)]:
        for i in range(count):
            built.answer(age=age, kind=1 + i % 5, answered=1 + i % 2)

    analysis = analyse_round(built.round)
    (by_age,) = analysis.breakdowns
    kind_row = next(row for row in by_age.rows if row.label == "1. Kind staff")

    assert by_age.groups == ("16–39", "40–64", "65+")  # nobody skipped the age question
    assert kind_row.total.n == 35
    young, middle, old = kind_row.cells
    assert (young.n, middle.hidden, old.hidden) == (20, True, True)
    scores = [(1 + i % 5 - 1) * 25 for i in range(20)]
    assert young.estimate.value == pytest.approx(np.mean(scores))
    # The age question's own distribution hides the same groups.
    age = result_for(analysis, built.age)
    assert [option.hidden for option in age.options] == [False, True, True]


def test_respondents_without_a_background_answer_are_a_group_of_their_own(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    for age, count in [(1, 10), (2, 10), (None, 2)]:
        for _i in range(count):
            built.answer(age=age, kind=4)

    (by_age,) = analyse_round(built.round).breakdowns
    kind_row = next(row for row in by_age.rows if row.label == "1. Kind staff")

    assert len(by_age.groups) == 4  # the three ages and "no answer"
    # Two without an age would be total − 16–39 − 40–64: so one of those hides too.
    assert [cell.hidden for cell in kind_row.cells] == [True, False, True, True]


def test_a_breakdown_of_a_result_with_too_few_answers_hides_every_cell(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    for _i in range(10):
        built.answer(age=1, reach=3)
    for _i in range(3):
        built.answer(age=2, kind=5)

    (by_age,) = analyse_round(built.round).breakdowns
    kind_row = next(row for row in by_age.rows if row.label == "1. Kind staff")

    assert kind_row.total is None
    assert all(cell.hidden for cell in kind_row.cells)


# --- Priority matrix ---------------------------------------------------------------------


def test_the_priority_matrix_finds_the_area_that_drives_the_index(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    generator = np.random.default_rng(11)
    rows = []
    for _i in range(150):
        kind = int(generator.integers(1, 4))  # low-rated treatment …
        reach = int(generator.integers(3, 8))  # … well-rated access
        # The overall rating follows treatment closely and ignores access.
        overall = int(np.clip(round(1 + (kind - 1) * 4.5 + generator.normal(0, 0.4)), 1, 10))
        rows.append([kind, reach, overall])
    for kind, reach, overall in rows:
        built.answer(kind=kind, reach=reach, overall=[overall])

    matrix = analyse_round(built.round).priority

    treatment, access = matrix.points
    assert treatment.name == built.treatment.name_sv
    assert treatment.effect > 10 * abs(access.effect)
    assert matrix.r_squared > 0.8
    assert matrix.n == 150
    assert treatment.quadrant == st.Quadrant.PRIORITISE
    assert access.quadrant == st.Quadrant.LOWER_PRIORITY
    # Against an independent least-squares fit.
    data = np.array(rows, dtype=float)
    kind_scores = (data[:, 0] - 1) * 25
    reach_scores = (data[:, 1] - 1) / 6 * 100
    overall_scores = (data[:, 2] - 1) / 9 * 100
    design = np.column_stack([np.ones(len(rows)), kind_scores, reach_scores])
    beta, *_ = np.linalg.lstsq(design, overall_scores, rcond=None)
    assert treatment.effect == pytest.approx(beta[1] * 5)
    assert access.effect == pytest.approx(beta[2] * 5)


def test_the_priority_matrix_is_an_accessible_svg(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    generator = np.random.default_rng(5)
    for _i in range(40):
        built.answer(
            kind=int(generator.integers(1, 6)),
            reach=int(generator.integers(1, 8)),
            overall=[int(generator.integers(1, 11))],
        )
    with translation.override("en"):
        svg = str(priority_matrix_svg(analyse_round(built.round).priority))

    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert '<title id="priority-title">Priority matrix</title>' in svg
    assert 'aria-labelledby="priority-title priority-desc"' in svg
    assert "<desc" in svg
    assert "Treatment" in svg
    assert all(
        label in svg for label in ["Prioritise!", "Keep", "Improve if possible", "Lower priority"]
    )


# --- Cache -------------------------------------------------------------------------------


def test_a_new_answer_makes_the_cached_analysis_stale(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 1
    built.answer(kind=5)
    assert cached_analysis(built.round).respondents == 1
    assert cached_analysis(built.round).respondents == 1

    built.answer(kind=1)

    assert cached_analysis(built.round).respondents == 2


# --- The page ----------------------------------------------------------------------------


def page(round: Round, **query) -> str:
    with translation.override("en"):
        url = reverse("surveys:analysis", args=[round.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def two_rounds(built, settings) -> tuple[Built, Round]:
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    generator = np.random.default_rng(1)
    for _i in range(30):
        built.answer(
            kind=int(generator.integers(1, 4)),
            reach=int(generator.integers(1, 8)),
            overall=[int(generator.integers(1, 11))],
            answered=int(generator.integers(1, 3)),
            age=int(generator.integers(1, 4)),
            channels=int(generator.integers(1, 8)),
            comment="Bra!",
        )
    Conclusion.objects.create(
        round=built.round, text="Staff seem rushed.", actions="Hire one more.", outcome="Hired."
    )
    later = built.new_round("2026", date(2026, 3, 1))
    for _i in range(40):
        built.answer(
            later,
            kind=int(generator.integers(3, 6)),
            reach=int(generator.integers(1, 8)),
            overall=[int(generator.integers(3, 11))],
            answered=int(generator.integers(1, 3)),
            age=int(generator.integers(1, 4)),
        )
    return built, later


def test_a_reader_of_the_unit_sees_the_whole_report(client, tree, two_rounds):
    _built, later = two_rounds
    client.force_login(make_user(role=Role.VIEWER, unit=tree.teknik))

    response = client.get(page(later))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Service survey: analysis of 2026" in html
    assert "Index (equal weights)" in html
    assert "p-values adjusted for many comparisons (Benjamini–Hochberg)" in html
    assert "Statistically significant increase" in html  # treatment went up from 1–3 to 3–5
    assert "Changes from 2025 to 2026" in html
    assert 'role="img"' in html
    assert "<title" in html
    assert "Results by background" in html
    # The previous round's conclusion with what was done, at the top.
    assert html.index("Staff seem rushed.") < html.index("Changes from 2025 to 2026")
    assert "Hired." in html
    assert reverse("surveys:staff-round", args=[later.pk]) in html


def test_the_page_reads_the_database_a_fixed_number_of_times(client, tree, two_rounds):
    built, later = two_rounds
    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))

    with CaptureQueriesContext(connection) as before:
        client.get(page(later))
    for _i in range(20):
        built.answer(later, kind=5, reach=3, overall=[7], age=2)
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        client.get(page(later))

    # Session, user, gate, rounds, conclusions, cache stamp, and per round compared: its
    # questions and all its answers in one query each.
    assert len(after) == len(before) <= 20


def test_the_page_compares_with_a_chosen_round(client, tree, two_rounds):
    built, _later = two_rounds
    third = built.new_round("2027", date(2027, 3, 1))
    for value in [1, 2, 3, 4, 5, 5]:
        built.answer(third, kind=value)
    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))

    default = client.get(page(third)).content.decode()
    chosen = client.get(page(third, compare=built.round.pk)).content.decode()
    wrong = client.get(page(third, compare=third.pk))

    assert "Changes from 2026 to 2027" in default
    assert "Changes from 2025 to 2027" in chosen
    assert wrong.status_code == 200  # not a round to compare with: the form says so
    assert wrong.context["compare_form"].errors
    assert "Changes from 2026 to 2027" in wrong.content.decode()


def test_the_first_round_has_nothing_to_compare_with(client, tree, built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 1
    built.answer(kind=3)
    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))

    html = client.get(page(built.round)).content.decode()

    assert "no other round" in html
    assert "Changes from" not in html


def test_a_low_response_rate_is_warned_about(client, tree, built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 1
    Round.objects.filter(pk=built.round.pk).update(invitations_sent=10)
    for unused in range(9):  # one code of ten used (a used code's row is gone)
        built.round.invitations.create(code_hash=f"{unused}" * 64)
    built.answer(kind=3)
    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))

    html = client.get(page(built.round)).content.decode()

    assert "10 %" in html
    assert "the results may not represent the target group" in html


def test_staff_of_another_unit_get_404_and_visitors_the_login(client, tree, two_rounds):
    _built, later = two_rounds
    assert client.get(page(later)).status_code == 302

    client.force_login(make_user(role=Role.UNIT_MANAGER, unit=tree.social))

    assert client.get(page(later)).status_code == 404
    missing = Round.objects.order_by("-pk").first().pk + 1
    assert client.get(page(Round(pk=missing))).status_code == 404


def test_the_page_renders_in_swedish_too(client, tree, two_rounds):
    _built, later = two_rounds
    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))

    response = client.get(reverse("surveys:analysis", args=[later.pk]))

    assert response.status_code == 200
    assert math.isfinite(response.context["analysis"].overall.estimate.value)
