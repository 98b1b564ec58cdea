""" "You said – we did" (improvement actions staff published), published case summaries
and published survey results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext

from servicenav.cases.models import Case
from servicenav.core.language import in_current_language
from servicenav.improvement.selectors import published_actions
from servicenav.public.opendata.surveys import round_rows
from servicenav.surveys.models import Question, Round, RoundQuestion
from servicenav.surveys.round_data import RoundData

if TYPE_CHECKING:
    from collections.abc import Sequence

    from servicenav.improvement.models import Action
    from servicenav.organisation.models import Unit
    from servicenav.public.opendata.base import Row


STORY_FIELDS = (
    "kind",
    "received_at",
    "public_summary",
    "public_answer",
    "unit__name_sv",
    "unit__name_en",
    "unit__slug",
    "unit__active",
    "unit__path",
)


def actions_by_unit(units: Sequence[Unit], count: int) -> dict[int, list[Action]]:
    """The `count` newest published improvement actions of each unit and the units below
    it (an action under several of `units` goes to the deepest): one query. It reads every
    published action in the tree of `units`: staff publish them one by one, so they are
    few beside the cases."""
    if not units:
        return {}
    deepest = sorted(units, key=lambda unit: -len(unit.path))
    top = deepest[-1]
    scope = top if all(unit.is_within(top) for unit in units) else None
    found: dict[int, list[Action]] = {unit.pk: [] for unit in units}
    for action in published_actions(unit=scope):
        owner = next((unit for unit in deepest if action.unit.is_within(unit)), None)
        if owner is not None and len(found[owner.pk]) < count:
            found[owner.pk].append(action)
    return found


def published_summaries(unit: Unit, count: int) -> list[Case]:
    """The `count` newest published cases of the unit and the units below it: one query.
    Only the staff-written summary and answer are read, never the citizen's text or
    contact details. The partial index of published cases on their date
    (`case_published_newest`) gives them newest first without reading the table."""
    return list(
        Case.objects.filter(is_published=True, unit__path__startswith=unit.path)
        .select_related("unit")
        .only(*STORY_FIELDS)
        .order_by("-received_at", "-pk")[:count]
    )


@dataclass(frozen=True)
class SurveyFigure:
    """One published figure of a question: what it is, its value (None: too few answers)
    with its interval, and n."""

    label: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    n: int
    suppressed: bool
    percent: bool


@dataclass(frozen=True)
class SurveyQuestion:
    number: int
    text: str
    figures: list[SurveyFigure]


@dataclass(frozen=True)
class SurveyResult:
    """The published results of a survey's latest closed round."""

    survey_round: Round
    respondents: int
    questions: list[SurveyQuestion]

    @property
    def title(self) -> str:
        return self.survey_round.survey.title


def _measure_label(row: Row) -> tuple[str, bool]:
    measure = row["measure"]
    if measure == "index":
        return gettext("Index (0–100)"), False
    if measure == "top_box":
        return gettext("Share giving one of the highest answers"), True
    if measure == "share_yes":
        return gettext("Share answering yes"), True
    option = in_current_language(str(row["option_sv"] or ""), str(row["option_en"] or ""))
    return gettext("Share answering “%(option)s”") % {"option": option}, True


def _survey_result(data: RoundData, minimum: int) -> SurveyResult:
    rows = round_rows(data, minimum)
    questions: dict[int, SurveyQuestion] = {}
    for row in rows:
        number = int(row["question_number"])  # type: ignore[arg-type]
        if number not in questions:
            text = in_current_language(str(row["question_sv"]), str(row["question_en"] or ""))
            questions[number] = SurveyQuestion(number, text, [])
        label, percent = _measure_label(row)
        questions[number].figures.append(
            SurveyFigure(
                label=label,
                value=row["value"],  # type: ignore[arg-type]
                low=row["low"],  # type: ignore[arg-type]
                high=row["high"],  # type: ignore[arg-type]
                n=int(row["n"] or 0),  # type: ignore[arg-type]
                suppressed=bool(row["suppressed"]),
                percent=percent,
            )
        )
    respondents = int(rows[0]["respondents"]) if rows else 0  # type: ignore[arg-type]
    return SurveyResult(data.round, respondents, list(questions.values()))


def survey_results(unit: Unit, today: date) -> list[SurveyResult]:
    """The published results of the latest closed round of each of the unit's surveys,
    computed as the open data computes them: three queries however many surveys."""
    public = RoundQuestion.objects.filter(is_public=True).exclude(question__kind=Question.Kind.TEXT)
    rounds = (
        Round.objects.filter(
            survey__unit=unit, closes_on__lt=today, pk__in=public.values("round_id")
        )
        .select_related("survey__unit")
        .order_by("survey__title_sv", "survey_id", "-closes_on", "-pk")
    )
    latest: dict[int, Round] = {}
    for survey_round in rounds:
        latest.setdefault(survey_round.survey_id, survey_round)
    minimum = int(settings.SERVICENAV_SURVEY_MIN_ANSWERS)
    chosen = list(latest.values())
    return [_survey_result(data, minimum) for data in RoundData.of_rounds(chosen)]
