"""Published case summaries ("you said – we did") and published survey results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext

from servicenav.cases.models import Case
from servicenav.core.language import in_current_language
from servicenav.public.opendata.surveys import _round_rows
from servicenav.surveys.models import Question, Round, RoundQuestion

if TYPE_CHECKING:
    from collections.abc import Sequence

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


def stories_by_unit(units: Sequence[Unit], count: int) -> dict[int, list[Case]]:
    """The `count` newest published cases of each unit and the units below it (a case
    under several of `units` goes to the deepest): two queries. Only the staff-written
    summary and answer are read, never the citizen's text or contact details.

    The first query ranks the published cases on their date, unit and id only, so that a
    partial index of published cases on those columns answers it on its own; without
    one it reads the whole table (about 0.15 s at 1,000,000 cases)."""
    if not units:
        return {}
    deepest = sorted(units, key=lambda unit: -len(unit.path))
    tile = SqlCase(
        *[When(unit__path__startswith=unit.path, then=Value(unit.pk)) for unit in deepest],
        default=None,
        output_field=IntegerField(),
    )
    # Ranked on the few columns an index can hold, then the chosen rows read in full.
    ranked = (
        Case.objects.filter(is_published=True)
        .annotate(tile=tile)
        .filter(tile__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("tile")],
                order_by=[F("received_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=count)
        .values_list("pk", flat=True)
    )
    chosen = (
        Case.objects.filter(pk__in=list(ranked))
        .select_related("unit")
        .only(*STORY_FIELDS)
        .order_by("-received_at", "-pk")
    )
    found: dict[int, list[Case]] = {unit.pk: [] for unit in units}
    for case in chosen:
        owner = next(unit for unit in deepest if case.unit and case.unit.is_within(unit))
        found[owner.pk].append(case)
    return found


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


def _survey_result(survey_round: Round, minimum: int) -> SurveyResult:
    rows = _round_rows(survey_round, minimum)
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
    return SurveyResult(survey_round, respondents, list(questions.values()))


def survey_results(unit: Unit, today: date) -> list[SurveyResult]:
    """The published results of the latest closed round of each of the unit's surveys:
    one query, then the round's figures as the open data computes them."""
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
    return [_survey_result(survey_round, minimum) for survey_round in latest.values()]
