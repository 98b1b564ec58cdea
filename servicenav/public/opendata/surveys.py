"""Open data: the published survey results.

What staff put on the public results site: the questions marked public
(`RoundQuestion.is_public`; free-text questions never are) of rounds that have closed, of
surveys of active units. Each question's results are computed exactly as the staff
analysis computes them (`surveys.analysis.question_result`): the index (0–100) and the
top-box share of a scale question, the share answering yes, the share giving each option,
each with its 95 percent confidence interval. A question answered by fewer than
`SERVICENAV_SURVEY_MIN_ANSWERS` has no values (`suppressed` true, `n` kept); an option of a
background question is hidden as in the analysis, with the next-smallest when needed, so
that the hidden ones cannot be found by subtraction. No free text and no single answer is
ever included.

A round's results change only when an answer comes (paper forms are accepted for a while
after a round closes), so they are kept in the cache until then."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.public.opendata.base import (
    IRREGULAR,
    UNIT_COLUMNS,
    Column,
    Dataset,
    Row,
    unit_cells,
)
from servicenav.surveys import statistics as st
from servicenav.surveys.analysis import QuestionResult, question_result
from servicenav.surveys.models import Question, Response, Round, RoundQuestion
from servicenav.surveys.round_data import RoundData

CACHE_SECONDS = 24 * 3600
_TENTH = Decimal("0.1")

COLUMNS = (
    Column("survey_id", "integer", _("The survey's number; stable across its rounds.")),
    Column("survey_title_sv", "string", _("The survey's title in Swedish.")),
    Column("survey_title_en", "string", _("The survey's title in English; may be empty.")),
    *UNIT_COLUMNS,
    Column("round_id", "integer", _("The round's number.")),
    Column("round_name", "string", _("The round's name, such as 2026.")),
    Column("opens_on", "date", _("The first day of the round.")),
    Column("closes_on", "date", _("The last day of the round.")),
    Column("respondents", "integer", _("Everyone who answered the round.")),
    Column("question_number", "integer", _("The question's number in the round.")),
    Column(
        "question_id",
        "integer",
        _("The question's number; the same in every round that asked it in these words."),
    ),
    Column("question_sv", "string", _("The question in Swedish.")),
    Column("question_en", "string", _("The question in English; may be empty.")),
    Column("question_kind", "string", _("scale, single, multiple or yes_no.")),
    Column(
        "measure",
        "string",
        _(
            "index (0–100, the mean answer on a scale from 0 to 100), top_box (percentage "
            "giving one of the highest answers), share_yes (percentage answering yes) or "
            "option_share (percentage giving the option)."
        ),
    ),
    Column("option", "integer", _("For option_share: the option's number.")),
    Column("option_sv", "string", _("For option_share: the option in Swedish.")),
    Column("option_en", "string", _("For option_share: the option in English.")),
    Column("value", "number", _("The figure; empty when suppressed.")),
    Column("low", "number", _("Lower end of the figure's 95 percent confidence interval.")),
    Column("high", "number", _("Upper end of the figure's 95 percent confidence interval.")),
    Column("n", "integer", _("The answers the figure is built on.")),
    Column(
        "suppressed",
        "boolean",
        _("true: too few answers (or a hidden background group), so no figure is given."),
    ),
)


def _tenth(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(float(value))).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _estimate_cells(estimate: st.Estimate | None, n: int) -> Row:
    if estimate is None:
        return {"value": None, "low": None, "high": None, "n": n, "suppressed": n > 0}
    return {
        "value": _tenth(estimate.value),
        "low": _tenth(estimate.low),
        "high": _tenth(estimate.high),
        "n": estimate.n,
        "suppressed": False,
    }


def _option_rows(question: Question, result: QuestionResult, minimum: int) -> list[Row]:
    labels = [(o.get("sv", ""), o.get("en", "")) for o in question.options]
    if question.kind == Question.Kind.YES_NO:
        return []
    rows = []
    for option in result.options:
        if option.value is None or not 1 <= option.value <= len(labels):
            continue
        estimate = option.estimate
        if estimate is None and option.count is not None and result.answered >= minimum:
            estimate = st.wilson_interval(option.count, result.answered)
        cells = _estimate_cells(estimate if option.count is not None else None, result.answered)
        sv, en = labels[option.value - 1]
        head: Row = {"measure": "option_share", "option": option.value}
        rows.append(head | {"option_sv": sv, "option_en": en} | cells)
    return rows


def question_rows(question: Question, result: QuestionResult, minimum: int) -> list[Row]:
    """The figures of one question, one row each."""
    if question.kind == Question.Kind.SCALE:
        return [
            _measure("index", result.index, result.answered),
            _measure("top_box", result.top_box, result.answered),
        ]
    rows: list[Row] = []
    if question.kind == Question.Kind.YES_NO and not question.is_background:
        rows.append(_measure("share_yes", result.share_yes, result.answered))
    return rows + _option_rows(question, result, minimum)


def _measure(name: str, estimate: st.Estimate | None, n: int) -> Row:
    row: Row = {"measure": name}
    return row | _estimate_cells(estimate, n)


def round_rows(data: RoundData, minimum: int) -> list[Row]:
    """The open-data rows of one round's published figures (as a unit's page shows them
    too), each suppressed below `minimum` answers."""
    survey_round = data.round
    survey = survey_round.survey
    head: Row = {
        "survey_id": survey.pk,
        "survey_title_sv": survey.title_sv,
        "survey_title_en": survey.title_en,
        **unit_cells(survey.unit),
        "round_id": survey_round.pk,
        "round_name": survey_round.name,
        "opens_on": survey_round.opens_on,
        "closes_on": survey_round.closes_on,
        "respondents": data.respondents,
    }
    rows: list[Row] = []
    for place in data.places:
        question = place.question
        if not place.is_public or question.kind == Question.Kind.TEXT:
            continue
        result = question_result(data, question, place.position + 1, minimum)
        asked = head | {
            "question_number": place.position + 1,
            "question_id": question.pk,
            "question_sv": question.text_sv,
            "question_en": question.text_en,
            "question_kind": question.kind,
        }
        rows.extend(asked | figures for figures in question_rows(question, result, minimum))
    return rows


def published_rounds(today: date | None = None) -> list[Round]:
    """Closed rounds of active units' surveys with at least one question made public."""
    today = today or timezone.localdate()
    public = RoundQuestion.objects.filter(is_public=True).exclude(question__kind=Question.Kind.TEXT)
    return list(
        Round.objects.filter(
            closes_on__lt=today,
            survey__unit__active=True,
            pk__in=public.values("round_id"),
        )
        .select_related("survey__unit")
        .order_by("survey__unit__path", "survey_id", "opens_on", "pk")
    )


def _cache_key(survey_round: Round, stamp: tuple[int, int], minimum: int) -> str:
    public = RoundQuestion.objects.filter(round=survey_round, is_public=True).values_list(
        "position", flat=True
    )
    parts: list[object] = [survey_round.pk, survey_round.created_at.timestamp(), *stamp, minimum]
    parts.append("-".join(str(position) for position in sorted(public)))
    return "public:survey-round:" + ":".join(str(part) for part in parts)


def rows() -> list[Row]:
    minimum = int(settings.SERVICENAV_SURVEY_MIN_ANSWERS)
    rounds = published_rounds()
    stamps = {
        row["round"]: (row["n"], row["last"])
        for row in Response.objects.filter(round__in=rounds)
        .values("round")
        .annotate(n=Count("id"), last=Max("id"))
        .order_by()
    }
    keys = {r.pk: _cache_key(r, stamps.get(r.pk, (0, 0)), minimum) for r in rounds}
    kept = cache.get_many(list(keys.values()))
    missing = [r for r in rounds if keys[r.pk] not in kept]
    computed = {
        keys[data.round.pk]: round_rows(data, minimum) for data in RoundData.of_rounds(missing)
    }
    cache.set_many(computed, CACHE_SECONDS)
    kept |= computed
    return [row for r in rounds for row in kept[keys[r.pk]]]


def temporal() -> tuple[date, date] | None:
    rounds = [survey_round.pk for survey_round in published_rounds()]
    span = Round.objects.filter(pk__in=rounds).aggregate(
        first=Min("opens_on"), last=Max("closes_on")
    )
    return (span["first"], span["last"]) if span["first"] else None


DATASET = Dataset(
    slug="enkatresultat",
    title=_("Survey results"),
    description=_(
        "The published results of the municipality's surveys of the people it serves: per "
        "question and round the index, the shares and their 95 percent confidence "
        "intervals, and how many answered. Results built on too few answers are left out "
        "and marked."
    ),
    keywords=(_("surveys"), _("satisfaction"), _("service quality")),
    columns=COLUMNS,
    rows=rows,
    temporal=temporal,
    periodicity=IRREGULAR,
)
