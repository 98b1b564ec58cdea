"""The analysis of one survey round: what the staff report shows, computed in one pass.

Every response of the round is read with one query into an integer matrix (one row per
respondent, one column per question position, `MISSING` where unanswered), and everything
after that is vectorised numpy; the formulas themselves live in `statistics`. That is what
keeps a round of 100,000 responses × 30 questions well under two seconds without a cache
(`bench/survey_analysis.py` measures it).

Definitions the report relies on:

- A question's *index* is the mean of its answers' index scores (0–100); "don't know" is an
  answer but in no mean, index or share. *Top box* is the share giving one of the highest
  values: 4–5 on 1–5, 6–7 on 1–7 and 8–10 on 1–10 (the two highest values on the short
  scales, the three highest on the long one, as SCB reads 8–10 as satisfied).
- An *area index* is, per respondent, the mean of their index scores on the area's scale
  questions (respondents with at least one such answer), estimated like any index. The
  *overall index* is the same over the overall questions, with equal weights; it is called
  "index (equal weights)", never NKI, which is SCB's weighted model.
- Nothing built on fewer than `SERVICENAV_SURVEY_MIN_ANSWERS` answers is shown, and in a
  breakdown the groups hidden together hold enough answers that subtraction from the total
  reveals nothing (`statistics.suppress_small_cells`).
- Changes are new − old against another round of the same survey, for questions both rounds
  asked (the same `Question` row); all p-values of the report are adjusted together with
  Benjamini–Hochberg before anything is called significant.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from servicenav.surveys import statistics as st
from servicenav.surveys.models import (
    DONT_KNOW,
    Conclusion,
    Question,
    Response,
    Round,
    TextAnswer,
)
from servicenav.surveys.round_data import FloatArray, RoundData

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.db.models import QuerySet
    from django.utils.functional import Promise

LOW_RESPONSE_RATE = 40.0
"""Below this response rate (%) the report warns that results may not represent the target
group: SKR's Insikt requires 40 % before a municipality's results are compared."""
CACHE_SECONDS = 600
CACHE_VERSION = 1
Kind = Question.Kind


def top_box_from(scale_max: int) -> int:
    """The lowest answer counted in the top box: 4 on 1–5, 6 on 1–7, 8 on 1–10."""
    return 8 if scale_max >= 10 else scale_max - 1


# --- Results -----------------------------------------------------------------------------


def _present(values: FloatArray) -> FloatArray:
    return values[~np.isnan(values)]


def index_of(values: FloatArray, minimum: int) -> st.Estimate | None:
    """The index of per-respondent scores (0–100, NaN for none), None below the minimum."""
    present = _present(values)
    if present.size < minimum:
        return None
    return st.mean_estimate(present, st.INDEX_MIN, st.INDEX_MAX)


def share_of(values: FloatArray, minimum: int) -> st.Estimate | None:
    """The share of 1s among 1/0 values (NaN for none) with its Wilson interval."""
    present = _present(values)
    if present.size < minimum:
        return None
    return st.wilson_interval(int(present.sum()), int(present.size))


@dataclass(frozen=True)
class OptionRow:
    """One answer option of a question: how many gave it and their share (%) of those who
    answered; for multiple choice the share of respondents who ticked it, with its
    interval. `count` is None when the cell is too small to show (background questions)."""

    label: str
    value: int | None
    count: int | None
    share: float | None
    estimate: st.Estimate | None = None

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    number: int
    answered: int
    minimum: int
    options: tuple[OptionRow, ...] = ()
    mean: st.Estimate | None = None
    index: st.Estimate | None = None
    top_box: st.Estimate | None = None
    share_yes: st.Estimate | None = None
    text_answers: int = 0

    @property
    def too_few(self) -> bool:
        """Fewer answers than the minimum: none of the question's figures is shown."""
        return self.answered < self.minimum

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def top_box_range(self) -> str:
        scale_max = self.question.scale_max or 0
        return f"{top_box_from(scale_max)}–{scale_max}"


@dataclass(frozen=True)
class IndexResult:
    """The overall index or an area's index."""

    key: str
    name: str
    questions: tuple[Question, ...]
    numbers: tuple[int, ...]
    estimate: st.Estimate | None
    n: int


@dataclass(frozen=True)
class Section:
    """The questions of one area (or the background or other questions) in round order."""

    name: str
    questions: tuple[QuestionResult, ...]


def _share(count: int, total: int) -> float | None:
    return 100 * count / total if total else None


def _scale_result(data: RoundData, question: Question, number: int, minimum: int) -> QuestionResult:
    scale_max = question.scale_max or 0
    column = data.column(question)
    counts = np.bincount(column[(column >= 0) & (column <= scale_max)], minlength=scale_max + 1)
    answered = int(counts.sum())
    rows = [
        OptionRow(_scale_label(question, value), value, int(counts[value]), None)
        for value in range(1, scale_max + 1)
    ]
    if question.allows_dont_know or counts[DONT_KNOW]:
        rows.append(OptionRow(str(_("Don't know")), None, int(counts[DONT_KNOW]), None))
    rows = [OptionRow(r.label, r.value, r.count, _share(r.count or 0, answered)) for r in rows]
    values = _present(data.scale_values(question))
    enough = values.size >= minimum
    top = int((values >= top_box_from(scale_max)).sum())
    return QuestionResult(
        question=question,
        number=number,
        answered=answered,
        minimum=minimum,
        options=tuple(rows),
        mean=st.mean_estimate(values, 1, scale_max) if enough else None,
        index=st.index_estimate(values, 1, scale_max) if enough else None,
        top_box=st.wilson_interval(top, int(values.size)) if enough else None,
    )


def _scale_label(question: Question, value: int) -> str:
    if value == 1 and question.low_label:
        return f"1 – {question.low_label}"
    if value == question.scale_max and question.high_label:
        return f"{value} – {question.high_label}"
    return str(value)


def _choice_result(
    data: RoundData, question: Question, number: int, minimum: int
) -> QuestionResult:
    """Single choice and yes/no: a count per option; background questions hide small
    options so their shares cannot single anyone out in the breakdowns."""
    labels = _option_labels(question)
    column = data.column(question)
    counts = np.bincount(column[(column >= 1) & (column <= len(labels))], minlength=len(labels) + 1)
    answered = int(counts[1:].sum())
    hidden: set[int] = set()
    if question.is_background:
        hidden = st.suppress_small_cells(
            {value: int(counts[value]) for value in range(1, len(labels) + 1)}, minimum
        )
    rows = tuple(
        OptionRow(label, value, None, None)
        if value in hidden
        else OptionRow(label, value, int(counts[value]), _share(int(counts[value]), answered))
        for value, label in enumerate(labels, start=1)
    )
    share_yes = None
    if question.kind == Kind.YES_NO and not question.is_background:
        share_yes = share_of(data.yes_values(question), minimum)
    return QuestionResult(
        question=question,
        number=number,
        answered=answered,
        minimum=minimum,
        options=rows,
        share_yes=share_yes,
    )


def _option_labels(question: Question) -> list[str]:
    if question.kind == Kind.YES_NO:
        return [str(_("Yes")), str(_("No"))]
    return question.option_labels


def _multiple_result(
    data: RoundData, question: Question, number: int, minimum: int
) -> QuestionResult:
    column = data.column(question)
    chosen = column[column >= 0]
    answered = int(chosen.size)
    rows = []
    for bit, label in enumerate(question.option_labels):
        ticked = int(((chosen >> bit) & 1).sum())
        estimate = st.wilson_interval(ticked, answered) if answered >= minimum else None
        rows.append(OptionRow(label, bit + 1, ticked, _share(ticked, answered), estimate))
    return QuestionResult(
        question=question, number=number, answered=answered, minimum=minimum, options=tuple(rows)
    )


def question_result(
    data: RoundData, question: Question, number: int, minimum: int, texts: int = 0
) -> QuestionResult:
    if question.kind == Kind.SCALE:
        return _scale_result(data, question, number, minimum)
    if question.kind in (Kind.SINGLE, Kind.YES_NO):
        return _choice_result(data, question, number, minimum)
    if question.kind == Kind.MULTIPLE:
        return _multiple_result(data, question, number, minimum)
    return QuestionResult(
        question=question, number=number, answered=texts, minimum=minimum, text_answers=texts
    )


# --- Indices -----------------------------------------------------------------------------


def overall_questions(data: RoundData) -> list[Question]:
    return [
        p.question for p in data.places if p.question.is_overall and p.question.kind == Kind.SCALE
    ]


def area_questions(data: RoundData) -> list[tuple[str, str, list[Question]]]:
    """(key, name, scale questions) per area in the area's order. Overall and background
    questions belong to no area's index: the priority matrix explains the one by the areas."""
    areas: dict[int, tuple[int, int, str, list[Question]]] = {}
    for place in data.places:
        question = place.question
        if question.area is None or question.kind != Kind.SCALE:
            continue
        if question.is_overall or question.is_background:
            continue
        area = question.area
        areas.setdefault(area.pk, (area.order, area.pk, area.name, []))[3].append(question)
    return [(f"area-{pk}", name, qs) for _order, pk, name, qs in sorted(areas.values())]


def index_results(data: RoundData, minimum: int) -> tuple[IndexResult | None, list[IndexResult]]:
    """The overall index (None without overall questions) and the areas' indices."""
    overall = None
    questions = overall_questions(data)
    if questions:
        overall = _index_result(
            data, "overall", str(_("Index (equal weights)")), questions, minimum
        )
    areas = [_index_result(data, key, name, qs, minimum) for key, name, qs in area_questions(data)]
    return overall, areas


def _index_result(
    data: RoundData, key: str, name: str, questions: list[Question], minimum: int
) -> IndexResult:
    scores = data.composite(questions)
    return IndexResult(
        key=key,
        name=name,
        questions=tuple(questions),
        numbers=tuple(data.column_of[question.pk] + 1 for question in questions),
        estimate=index_of(scores, minimum),
        n=int((~np.isnan(scores)).sum()),
    )


# --- Changes between rounds --------------------------------------------------------------


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    NO_CHANGE = "no_change"
    UNTESTABLE = "untestable"
    TOO_FEW = "too_few"


DIRECTION_LABELS: dict[Direction, Promise] = {
    Direction.INCREASE: _("Statistically significant increase"),
    Direction.DECREASE: _("Statistically significant decrease"),
    Direction.NO_CHANGE: _("No significant change"),
    Direction.UNTESTABLE: _("Cannot be tested"),
    Direction.TOO_FEW: _("Too few answers"),
}


class Measure(StrEnum):
    INDEX = "index"
    TOP_BOX = "top_box"
    SHARE_YES = "share_yes"


MEASURE_LABELS: dict[Measure, Promise] = {
    Measure.INDEX: _("Index (0–100)"),
    Measure.TOP_BOX: _("Share of top answers (%)"),
    Measure.SHARE_YES: _("Share answering yes (%)"),
}


@dataclass(frozen=True)
class ChangeRow:
    """One result compared between two rounds: new − old, in index points for indices and
    percentage points for shares. `comparison` is None when a round has too few answers;
    `adjusted_p` is the Benjamini–Hochberg adjusted p-value (None when not tested)."""

    label: str
    measure: Measure
    old: st.Estimate | None
    new: st.Estimate | None
    comparison: st.Comparison | None
    adjusted_p: float | None = None
    significant: bool = False

    @property
    def direction(self) -> Direction:
        if self.comparison is None:
            return Direction.TOO_FEW
        if self.comparison.p_value is None or self.comparison.difference is None:
            return Direction.UNTESTABLE
        if not self.significant:
            return Direction.NO_CHANGE
        return Direction.INCREASE if self.comparison.difference > 0 else Direction.DECREASE

    @property
    def statement(self) -> str:
        return str(DIRECTION_LABELS[self.direction])

    @property
    def measure_label(self) -> str:
        return str(MEASURE_LABELS[self.measure])

    @property
    def in_points(self) -> bool:
        """True for index points, False for percentage points."""
        return self.measure == Measure.INDEX


def _index_change(label: str, old: FloatArray, new: FloatArray, minimum: int) -> ChangeRow:
    """Per-respondent index scores (NaN for none) of two rounds, compared with Welch."""
    before, after = index_of(old, minimum), index_of(new, minimum)
    comparison = None
    if before is not None and after is not None:
        comparison = st.welch_test(_present(old), _present(new))
    return ChangeRow(label, Measure.INDEX, before, after, comparison)


def _share_change(
    label: str, measure: Measure, old: FloatArray, new: FloatArray, minimum: int
) -> ChangeRow:
    """1/0 values (NaN for none) of two rounds, compared with the two-proportion test."""
    before, after = share_of(old, minimum), share_of(new, minimum)
    comparison = None
    if before is not None and after is not None:
        old_values, new_values = _present(old), _present(new)
        comparison = st.two_proportion_test(
            int(old_values.sum()), int(old_values.size), int(new_values.sum()), int(new_values.size)
        )
    return ChangeRow(label, measure, before, after, comparison)


def _top_box_values(data: RoundData, question: Question) -> FloatArray:
    values = data.scale_values(question)
    top = top_box_from(question.scale_max or 0)
    return np.where(np.isnan(values), np.nan, (values >= top).astype(np.float64))


def change_rows(
    old: RoundData, new: RoundData, indices: Sequence[IndexResult], minimum: int
) -> list[ChangeRow]:
    """Every comparable result of `new` against `old`, with BH-adjusted p-values. Indices
    are compared only when both rounds asked all of their questions."""
    rows = [
        _index_change(
            index.name, old.composite(index.questions), new.composite(index.questions), minimum
        )
        for index in indices
        if all(old.asked(question) for question in index.questions)
    ]
    for place in new.places:
        question = place.question
        if not old.asked(question) or question.is_background:
            continue
        label = f"{place.position + 1}. {question.text}"
        if question.kind == Kind.SCALE:
            rows.append(_index_change(label, old.scores(question), new.scores(question), minimum))
            rows.append(
                _share_change(
                    label,
                    Measure.TOP_BOX,
                    _top_box_values(old, question),
                    _top_box_values(new, question),
                    minimum,
                )
            )
        elif question.kind == Kind.YES_NO:
            rows.append(
                _share_change(
                    label,
                    Measure.SHARE_YES,
                    old.yes_values(question),
                    new.yes_values(question),
                    minimum,
                )
            )
    return adjust(rows)


def adjust(rows: list[ChangeRow]) -> list[ChangeRow]:
    """The rows with their p-values adjusted together (Benjamini–Hochberg) and judged at 5 %."""
    p_values = [row.comparison.p_value if row.comparison else None for row in rows]
    adjusted = st.benjamini_hochberg(p_values)
    judged = st.significant(adjusted)
    return [
        ChangeRow(row.label, row.measure, row.old, row.new, row.comparison, p, flag)
        for row, p, flag in zip(rows, adjusted, judged, strict=True)
    ]


# --- Breakdown by background question ----------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One background group's result; n and estimate are None when the cell is hidden."""

    n: int | None
    estimate: st.Estimate | None

    @property
    def hidden(self) -> bool:
        return self.n is None


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    measure: Measure
    total: st.Estimate | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Breakdown:
    """Results per group of one background question. The last group is "no answer to the
    background question" when anyone skipped it: without it, the total minus the groups
    would be a group of its own."""

    question: Question
    number: int
    groups: tuple[str, ...]
    rows: tuple[BreakdownRow, ...]


@dataclass(frozen=True)
class Target:
    """A result broken down: per-respondent index scores or 1/0 values, NaN for none, and
    its estimate over everyone (None when too few), which the report has computed already."""

    label: str
    measure: Measure
    values: FloatArray
    total: st.Estimate | None


def _estimate(measure: Measure, values: FloatArray) -> st.Estimate | None:
    if measure == Measure.INDEX:
        return st.mean_estimate(values, st.INDEX_MIN, st.INDEX_MAX)
    return st.wilson_interval(int(values.sum()), int(values.size))


def breakdown_targets(
    data: RoundData, indices: Sequence[IndexResult], results: Sequence[QuestionResult]
) -> list[Target]:
    """What each background question breaks down: the indices, then every scale question's
    index and every yes/no question's share, in round order."""
    targets = [
        Target(i.name, Measure.INDEX, data.composite(i.questions), i.estimate) for i in indices
    ]
    for result in results:
        question = result.question
        label = f"{result.number}. {question.text}"
        if question.is_background:
            continue
        if question.kind == Kind.SCALE:
            targets.append(Target(label, Measure.INDEX, data.scores(question), result.index))
        elif question.kind == Kind.YES_NO:
            values = data.yes_values(question)
            targets.append(Target(label, Measure.SHARE_YES, values, result.share_yes))
    return targets


def breakdown(
    data: RoundData, background: Question, number: int, targets: Sequence[Target], minimum: int
) -> Breakdown:
    labels = _option_labels(background)
    groups = len(labels)
    column = data.column(background)
    group_of = np.where((column >= 1) & (column <= groups), column - 1, groups)
    # Sorting the respondents by group once turns every group into a slice.
    order = np.argsort(group_of, kind="stable")
    bounds = np.searchsorted(group_of[order], np.arange(groups + 2))
    shown_groups = groups + 1 if bounds[groups + 1] > bounds[groups] else groups
    rows = tuple(
        _breakdown_row(target, target.values[order], bounds, shown_groups, minimum)
        for target in targets
    )
    if shown_groups > groups:
        labels = [*labels, str(_("No answer"))]
    return Breakdown(question=background, number=number, groups=tuple(labels), rows=rows)


def _breakdown_row(
    target: Target, ordered: FloatArray, bounds: npt.NDArray[np.intp], groups: int, minimum: int
) -> BreakdownRow:
    segments = [_present(ordered[bounds[g] : bounds[g + 1]]) for g in range(groups)]
    total = sum(segment.size for segment in segments)
    hidden: set[int] = set(range(groups))
    if total >= minimum:
        hidden = st.suppress_small_cells(
            {g: int(segment.size) for g, segment in enumerate(segments)}, minimum
        )
    cells = tuple(
        Cell(None, None)
        if g in hidden
        else Cell(int(segment.size), _estimate(target.measure, segment))
        for g, segment in enumerate(segments)
    )
    return BreakdownRow(target.label, target.measure, target.total, cells)


# --- Priority matrix ---------------------------------------------------------------------


QUADRANT_LABELS: dict[st.Quadrant, Promise] = {
    st.Quadrant.PRIORITISE: _("Prioritise!"),
    st.Quadrant.KEEP: _("Keep"),
    st.Quadrant.IMPROVE_IF_POSSIBLE: _("Improve if possible"),
    st.Quadrant.LOWER_PRIORITY: _("Lower priority"),
}


@dataclass(frozen=True)
class PriorityPoint:
    number: int
    name: str
    index: st.Estimate
    effect: float
    quadrant: st.Quadrant

    @property
    def quadrant_label(self) -> str:
        return str(QUADRANT_LABELS[self.quadrant])


@dataclass(frozen=True)
class PriorityMatrix:
    """Each area's index (y) against its effect (x): how many points the overall index
    rises when the area's index rises by `statistics.EFFECT_STEP`, from a regression of the
    respondents' overall index on their area indices. Split at the medians of the areas."""

    points: tuple[PriorityPoint, ...]
    r_squared: float | None
    n: int
    identified: bool
    effect_split: float
    index_split: float
    step: float = st.EFFECT_STEP


def priority_matrix(
    data: RoundData, overall: IndexResult | None, areas: Sequence[IndexResult], minimum: int
) -> PriorityMatrix | None:
    """None without an overall index, with fewer than two areas to compare or with fewer
    respondents than the minimum who answered every area and the overall questions."""
    usable = [area for area in areas if area.estimate is not None]
    if overall is None or overall.estimate is None or len(usable) < 2:
        return None
    predictors = np.column_stack([data.composite(area.questions) for area in usable])
    fit = st.regression(data.composite(overall.questions), predictors)
    if fit is None or fit.n < minimum:
        return None
    effects = fit.effects()
    indices = [area.estimate.value for area in usable if area.estimate is not None]
    effect_split, index_split = float(np.median(effects)), float(np.median(indices))
    positions = {
        area.key: st.AreaPosition(effect=effect, index=index)
        for area, effect, index in zip(usable, effects, indices, strict=True)
    }
    placed = st.quadrants(positions, effect_split=effect_split, index_split=index_split)
    points = tuple(
        PriorityPoint(number, area.name, area.estimate, effect, placed[area.key])
        for number, (area, effect) in enumerate(zip(usable, effects, strict=True), start=1)
        if area.estimate is not None
    )
    return PriorityMatrix(
        points=points,
        r_squared=fit.r_squared,
        n=fit.n,
        identified=fit.identified,
        effect_split=effect_split,
        index_split=index_split,
    )


# --- The whole analysis ------------------------------------------------------------------


@dataclass(frozen=True)
class Analysis:
    round: Round
    compared: Round | None
    minimum: int
    respondents: int
    response_rate: float | None
    overall: IndexResult | None
    areas: tuple[IndexResult, ...]
    sections: tuple[Section, ...]
    changes: tuple[ChangeRow, ...]
    breakdowns: tuple[Breakdown, ...]
    priority: PriorityMatrix | None

    @property
    def too_few(self) -> bool:
        return self.respondents < self.minimum

    @property
    def low_response_rate(self) -> bool:
        return self.response_rate is not None and self.response_rate < LOW_RESPONSE_RATE

    @property
    def tested_changes(self) -> int:
        return sum(1 for row in self.changes if row.adjusted_p is not None)


def sections_of(results: Sequence[QuestionResult]) -> tuple[Section, ...]:
    """The questions grouped by area, background and other, in the order first asked."""
    grouped: dict[str, list[QuestionResult]] = {}
    for result in results:
        question = result.question
        if question.is_background:
            name = str(_("Background questions"))
        elif question.area is not None:
            name = question.area.name
        else:
            name = str(_("Other questions"))
        grouped.setdefault(name, []).append(result)
    return tuple(Section(name, tuple(items)) for name, items in grouped.items())


def analyse_round(round: Round, compared: Round | None = None, *, minimum: int = 0) -> Analysis:
    """The analysis of `round`, compared with `compared` when given (no cache)."""
    minimum = minimum or settings.SERVICENAV_SURVEY_MIN_ANSWERS
    data = RoundData(round)
    texts = dict(
        TextAnswer.objects.filter(response__round=round)
        .values_list("question")
        .annotate(n=Count("id"))
        .order_by()
    )
    results = [
        question_result(data, p.question, p.position + 1, minimum, texts.get(p.question_id, 0))
        for p in data.places
    ]
    overall, areas = index_results(data, minimum)
    indices = [*([overall] if overall else []), *areas]
    changes: list[ChangeRow] = []
    if compared is not None:
        changes = change_rows(RoundData(compared), data, indices, minimum)
    targets = breakdown_targets(data, indices, results)
    breakdowns = tuple(
        breakdown(data, r.question, r.number, targets, minimum)
        for r in results
        if r.question.is_background and r.kind in (Kind.SINGLE, Kind.YES_NO)
    )
    return Analysis(
        round=round,
        compared=compared,
        minimum=minimum,
        respondents=data.respondents,
        response_rate=round.response_rate,
        overall=overall,
        areas=tuple(areas),
        sections=sections_of(results),
        changes=tuple(changes),
        breakdowns=breakdowns,
        priority=priority_matrix(data, overall, areas, minimum),
    )


def _cache_key(round: Round, compared: Round | None, minimum: int) -> str | None:
    """A key that changes with every new (or removed) response in either round; None when
    the round has no responses yet, as its questions may still change."""
    pks = [round.pk] if compared is None else [round.pk, compared.pk]
    stamps = {
        row["round"]: (row["n"], row["last"])
        for row in Response.objects.filter(round__in=pks)
        .values("round")
        .annotate(n=Count("id"), last=Max("id"))
        .order_by()
    }
    if round.pk not in stamps:
        return None
    # Creation times too: a test database rolled back hands out the same ids again.
    parts = [CACHE_VERSION, get_language(), minimum, round.pk, round.created_at.timestamp()]
    parts += stamps[round.pk]
    if compared is not None:
        parts += [compared.pk, compared.created_at.timestamp(), *stamps.get(compared.pk, (0, 0))]
    return "surveys:analysis:" + ":".join(str(part) for part in parts)


def cached_analysis(round: Round, compared: Round | None = None) -> Analysis:
    """`analyse_round`, kept in the cache until an answer comes in (or ten minutes pass)."""
    minimum = settings.SERVICENAV_SURVEY_MIN_ANSWERS
    key = _cache_key(round, compared, minimum)
    analysis = cache.get(key) if key else None
    if analysis is None:
        analysis = analyse_round(round, compared, minimum=minimum)
        if key:
            cache.set(key, analysis, CACHE_SECONDS)
    return analysis


# --- The report around it ----------------------------------------------------------------


def previous_round(round: Round) -> Round | None:
    """The round of the same survey that came just before `round`."""
    earlier = Q(opens_on__lt=round.opens_on) | Q(opens_on=round.opens_on, pk__lt=round.pk)
    return (
        Round.objects.filter(earlier, survey_id=round.survey_id)
        .order_by("-opens_on", "-pk")
        .first()
    )


def other_rounds(round: Round) -> QuerySet[Round]:
    """The rounds `round` may be compared with: the survey's other rounds."""
    return Round.objects.filter(survey_id=round.survey_id).exclude(pk=round.pk)


@dataclass(frozen=True)
class Report:
    """The analysis with what staff wrote around it: the previous round's conclusions and
    what was done about them at the top, this round's at the end. Read fresh, not cached."""

    analysis: Analysis
    previous: Round | None
    previous_conclusions: tuple[Conclusion, ...]
    conclusions: tuple[Conclusion, ...]


def round_report(round: Round, compared: Round | None) -> Report:
    previous = previous_round(round)
    earlier: tuple[Conclusion, ...] = ()
    if previous is not None:
        earlier = tuple(Conclusion.objects.filter(round=previous))
    return Report(
        analysis=cached_analysis(round, compared),
        previous=previous,
        previous_conclusions=earlier,
        conclusions=tuple(Conclusion.objects.filter(round=round)),
    )
