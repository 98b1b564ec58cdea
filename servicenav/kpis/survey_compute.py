"""Measurements of indicators computed from surveys: a question's or an area's index, or a
share of answers, per closed round.

An indicator's `params` name what is measured:

- `{"survey": id, "question": id, "measure": "index"}`: the question's index (0–100), for
  a question on a scale;
- `{"survey": id, "question": id, "measure": "share", "top": k}`: the share (%) answering
  one of the k highest values of the scale (default 2), or, for a yes/no question, the
  share answering yes;
- `{"survey": id, "area": id, "measure": "index"}`: the area's index.

Each closed round (`closes_on` before today) that asked the question (or a scale question
of the area) is one measurement of the survey's unit, in the period of the indicator's
`period_kind` that contains the day the round closed; when two rounds close in the same
period, the later one is that period's value. A reworded question is a new `Question`, so
an indicator follows exactly one wording and never compares unlike questions.

The figures are the analysis page's own: the round is read into a `RoundData` and the
index or share comes from the same functions (`analysis.index_of`, `analysis.share_of`,
`analysis.index_results`), with their 95 % interval; n is the number of answers that count
(on the scale, "don't know" excluded). With fewer than `SERVICENAV_SURVEY_MIN_ANSWERS` (or
the indicator's own `min_cases`, when higher) the value is None, with n."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.models import Indicator, Measurement, Source
from servicenav.surveys.analysis import index_of, index_results, share_of
from servicenav.surveys.models import Area, Question, Round, Survey
from servicenav.surveys.round_data import FloatArray, RoundData

if TYPE_CHECKING:
    from collections.abc import Mapping

    from servicenav.organisation.models import Unit
    from servicenav.surveys.statistics import Estimate

logger = logging.getLogger(__name__)

INDEX, SHARE = "index", "share"
DEFAULT_TOP = 2
KNOWN_PARAMS = {"survey", "question", "area", "measure", "top"}
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class SurveyMeasure:
    """What a survey-sourced indicator measures, checked: exactly one of `question` and
    `area` is set; `top` is how many of the highest scale values a share counts."""

    survey: Survey
    question: Question | None
    area: Area | None
    measure: str
    top: int = DEFAULT_TOP


# --- The parameters ------------------------------------------------------------------------


def _id(params: Mapping[str, Any], key: str) -> int | None:
    """An id in the parameters: a whole number (JSON has no other kind of id)."""
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("“%(name)s” must be an id: a whole number.") % {"name": key})
    return value


def _survey(params: Mapping[str, Any], unit: Unit | None) -> Survey:
    survey_id = _id(params, "survey")
    if survey_id is None:
        raise ValidationError(_("Choose the survey the indicator is computed from."))
    survey = Survey.objects.select_related("unit").filter(pk=survey_id).first()
    if survey is None:
        raise ValidationError(_("There is no survey %(id)d.") % {"id": survey_id})
    if unit is not None and not survey.unit.path.startswith(unit.path):
        raise ValidationError(
            _("The survey belongs to a unit outside the indicator's unit and the units below it.")
        )
    return survey


def _question(survey: Survey, question_id: int, measure: str, top: Any) -> SurveyMeasure:
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        raise ValidationError(_("There is no question %(id)d.") % {"id": question_id})
    if question.survey_id != survey.pk:
        raise ValidationError(_("Question %(id)d belongs to another survey.") % {"id": question_id})
    if question.kind == Question.Kind.YES_NO and measure == SHARE:
        return SurveyMeasure(survey, question, None, SHARE, 1)
    if not question.is_scale:
        if measure == INDEX:
            raise ValidationError(_("An index needs a question answered on a scale."))
        raise ValidationError(_("A share needs a question answered on a scale or yes/no."))
    if measure == INDEX:
        return SurveyMeasure(survey, question, None, INDEX)
    most = (question.scale_max or 0) - 1
    if top is None:
        top = DEFAULT_TOP
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= most:
        raise ValidationError(
            _(
                "“top” must be a whole number from 1 to %(most)d: how many of the highest "
                "values of the scale count."
            )
            % {"most": most}
        )
    return SurveyMeasure(survey, question, None, SHARE, top)


def _area(survey: Survey, area_id: int, measure: str) -> SurveyMeasure:
    area = Area.objects.filter(pk=area_id).first()
    if area is None:
        raise ValidationError(_("There is no question area %(id)d.") % {"id": area_id})
    if area.survey_id != survey.pk:
        raise ValidationError(
            _("Question area %(id)d belongs to another survey.") % {"id": area_id}
        )
    if measure != INDEX:
        raise ValidationError(_("A question area is measured by its index."))
    return SurveyMeasure(survey, None, area, INDEX)


def survey_measure(params: Mapping[str, Any], *, unit: Unit | None = None) -> SurveyMeasure:
    """The checked meaning of a survey-sourced indicator's `params`; with `unit` (the
    indicator's owner), the survey must belong to that unit or one below it. Raises a
    ValidationError that says what is wrong, in the user's language."""
    if not isinstance(params, dict):
        raise ValidationError(_("Give the survey, the question or area and the measure."))
    unknown = sorted(set(params) - KNOWN_PARAMS)
    if unknown:
        raise ValidationError(_("Unknown parameter: %(name)s.") % {"name": ", ".join(unknown)})
    survey = _survey(params, unit)
    measure = params.get("measure")
    if measure not in (INDEX, SHARE):
        raise ValidationError(_("The measure must be “index” or “share”."))
    question_id, area_id = _id(params, "question"), _id(params, "area")
    if question_id is not None and area_id is None:
        return _question(survey, question_id, measure, params.get("top"))
    if area_id is not None and question_id is None:
        return _area(survey, area_id, measure)
    raise ValidationError(_("Choose either a question or a question area of the survey."))


# --- Measuring one round -------------------------------------------------------------------


def _rounds(spec: SurveyMeasure, today: date) -> list[Round]:
    """The survey's rounds closed before `today` that asked what is measured, in the order
    they closed."""
    rounds = Round.objects.filter(survey=spec.survey, closes_on__lt=today)
    if spec.question is not None:
        rounds = rounds.filter(round_questions__question=spec.question)
    else:
        # The questions `analysis.area_questions` makes the area's index of.
        rounds = rounds.filter(
            round_questions__question__area=spec.area,
            round_questions__question__kind=Question.Kind.SCALE,
            round_questions__question__is_overall=False,
            round_questions__question__is_background=False,
        ).distinct()
    return list(rounds.order_by("closes_on", "opens_on", "pk"))


def _counted(values: FloatArray) -> int:
    return int((~np.isnan(values)).sum())


def _area_estimate(area: Area, data: RoundData, minimum: int) -> tuple[Estimate | None, int]:
    """The area's index exactly as the analysis page shows it."""
    _overall, areas = index_results(data, minimum)
    found = next((index for index in areas if index.key == f"area-{area.pk}"), None)
    return (found.estimate, found.n) if found else (None, 0)


def _estimate(spec: SurveyMeasure, data: RoundData, minimum: int) -> tuple[Estimate | None, int]:
    """The round's figure (None below the minimum) and how many answers it counts."""
    if spec.area is not None:
        return _area_estimate(spec.area, data, minimum)
    question = spec.question
    if question is None:  # not made by `survey_measure`
        return None, 0
    if question.kind == Question.Kind.YES_NO:
        yes = data.yes_values(question)
        return share_of(yes, minimum), _counted(yes)
    if spec.measure == INDEX:
        scores = data.scores(question)
        return index_of(scores, minimum), _counted(scores)
    values = data.scale_values(question)
    lowest_top = (question.scale_max or 0) - spec.top + 1
    in_top = np.where(np.isnan(values), np.nan, (values >= lowest_top).astype(np.float64))
    return share_of(in_top, minimum), _counted(values)


def _decimal(number: float | None) -> Decimal | None:
    if number is None:
        return None
    return Decimal(repr(float(number))).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _measurement(
    indicator: Indicator, spec: SurveyMeasure, round: Round, period: Period, minimum: int
) -> Measurement:
    estimate, n = _estimate(spec, RoundData(round), minimum)
    return Measurement(
        indicator=indicator,
        unit=spec.survey.unit,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        value=_decimal(estimate.value if estimate else None),
        n=n,
        low=_decimal(estimate.low if estimate else None),
        high=_decimal(estimate.high if estimate else None),
        source=Source.SURVEYS,
        computed_at=timezone.now(),
    )


# --- Storing -------------------------------------------------------------------------------


@transaction.atomic
def compute_survey_indicator(
    indicator: Indicator, *, today: date | None = None
) -> list[Measurement]:
    """Measure a survey-sourced indicator in every closed round and store the measurements
    (one per period; the latest round closed in it wins). Measurements from surveys that
    the data no longer gives (a round removed, the parameters changed) are deleted, so the
    stored figures are always those the survey answers give. Raises ValidationError for
    parameters that do not name a measurable question or area."""
    if indicator.source != Source.SURVEYS:
        msg = f"Indicator {indicator.code} is not computed from surveys"
        raise ValueError(msg)
    today = today or timezone.localdate()
    spec = survey_measure(indicator.params, unit=indicator.unit)
    minimum = max(settings.SERVICENAV_SURVEY_MIN_ANSWERS, indicator.min_cases)
    kind = PeriodKind(indicator.period_kind)
    latest: dict[str, tuple[Round, Period]] = {}
    for round in _rounds(spec, today):
        period = Period.containing(round.closes_on, kind)
        latest[period.code] = (round, period)
    measurements = [
        _measurement(indicator, spec, round, period, minimum) for round, period in latest.values()
    ]
    Measurement.objects.bulk_create(
        measurements,
        update_conflicts=True,
        unique_fields=["indicator", "unit", "period"],
        update_fields=[
            "period_start",
            "period_end",
            "value",
            "n",
            "low",
            "high",
            "source",
            "computed_at",
        ],
    )
    Measurement.objects.filter(indicator=indicator, source=Source.SURVEYS).exclude(
        unit=spec.survey.unit, period__in=list(latest)
    ).delete()
    return measurements


def compute_survey_indicators(
    *, survey_id: int | None = None, today: date | None = None
) -> tuple[int, int]:
    """Recompute every active survey-sourced indicator (of one survey, with `survey_id`).
    An indicator whose parameters no longer hold is skipped and logged, so one broken
    definition does not stop the others. Returns (indicators measured, measurements
    written)."""
    indicators = Indicator.objects.filter(active=True, source=Source.SURVEYS).select_related("unit")
    if survey_id is not None:
        indicators = indicators.filter(params__survey=survey_id)
    counted = written = 0
    for indicator in indicators:
        try:
            written += len(compute_survey_indicator(indicator, today=today))
        except ValidationError as error:
            logger.warning("Indicator %s not computed: %s", indicator.pk, " ".join(error.messages))
            continue
        counted += 1
    return counted, written
