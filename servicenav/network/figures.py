"""The figures of the service report, read from the data for one unit (the whole
municipality or a förvaltning) and one period, as plain JSON: the same reads the KPI pages,
the declarations' follow-up and the public feedback statistics make, so the report's
figures are theirs. A final report keeps this JSON and never reads the data again.

- **KPIs**: every active indicator owned by the unit or a unit below it (read for its
  owner), and those owned above it (read for the unit): the latest measurement of the
  indicator's own period kind inside the report period, judged by `kpis.selectors.reading`
  against the target of its year; its trend up to the period's end; Kolada's norm for the
  period's year where the indicator has one.
- **Declarations**: the follow-ups of the unit's (and its subtree's) promises for periods
  inside the report period: kept, not kept (with why and what will be done) and not enough
  data.
- **Feedback**: the public feedback figures (`public.figures.feedback_figures`) per kind.
- **Surveys**: rounds of the unit's surveys that closed in the period: respondents,
  response rate, the index (equal weights) and its change since the previous round."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q

from servicenav.core.periods import Period, PeriodKind
from servicenav.declarations.models import FollowUp
from servicenav.kpis.comparison import indicator_comparison
from servicenav.kpis.models import Indicator, Measurement
from servicenav.kpis.selectors import reading, targets_by_year, trend_readings
from servicenav.organisation.models import Unit
from servicenav.public.figures import ALL, KINDS, Figure, feedback_figures
from servicenav.surveys.analysis import Measure, analyse_round, previous_round
from servicenav.surveys.models import Round

TREND_SHOWN = 12


def _text(value: Decimal | float | None) -> str | None:
    return None if value is None else str(value)


def report_units() -> list[Unit]:
    """The whole municipality (the first active top unit) and each of its förvaltningar
    (its active children of that kind, or all its active children when none is)."""
    top = Unit.objects.filter(parent__isnull=True, active=True).order_by("pk").first()
    if top is None:
        return []
    children = Unit.objects.filter(parent=top, active=True).order_by("name_sv")
    administrations = children.filter(kind=Unit.Kind.ADMINISTRATION)
    return [top, *(administrations if administrations.exists() else children)]


def unit_figures(unit: Unit, period: Period) -> dict[str, Any]:
    return {
        "unit_id": unit.pk,
        "name_sv": unit.name_sv,
        "name_en": unit.name_en,
        "kpis": kpi_figures(unit, period),
        "declarations": declaration_figures(unit, period),
        "feedback": feedback_section(unit, period),
        "surveys": survey_figures(unit, period),
    }


# KPIs


def _ancestor_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def report_indicators(unit: Unit) -> list[tuple[Indicator, Unit]]:
    """The indicators the unit's report shows, each with the unit it is read for."""
    indicators = (
        Indicator.objects.filter(active=True)
        .filter(Q(unit__path__startswith=unit.path) | Q(unit_id__in=_ancestor_ids(unit)))
        .select_related("unit")
        .prefetch_related("targets")
        .order_by("unit__path", "code")
    )
    return [
        (indicator, unit if unit.is_within(indicator.unit) else indicator.unit)
        for indicator in indicators
    ]


def measurement_in(indicator: Indicator, unit: Unit, period: Period) -> Measurement | None:
    """The latest measurement of the indicator's own period kind inside `period`."""
    kind = PeriodKind(indicator.period_kind)
    found = Measurement.objects.filter(
        indicator=indicator, unit=unit, period_start__gte=period.start, period_end__lte=period.end
    ).order_by("-period_start")
    for measurement in found:
        try:
            if Period.parse(measurement.period).kind == kind:
                return measurement
        except ValueError:
            continue
    return None


def _comparison(indicator: Indicator, year: int) -> dict[str, Any] | None:
    if not indicator.kolada_kpi:
        return None
    comparison = indicator_comparison(indicator)
    if comparison is None:
        return None
    years = [row for row in comparison.years if row.year <= year]
    if not years:
        return None
    row = max(years, key=lambda row: row.year)
    return {
        "year": row.year,
        "own": _text(row.own),
        "riket": _text(row.riket),
        "group_average": _text(row.group_average),
        "quartile": row.quartile,
        "source": comparison.source,
        "demo": comparison.demo,
    }


def kpi_figures(unit: Unit, period: Period) -> list[dict[str, Any]]:
    rows = []
    day_after = period.end + timedelta(days=1)
    for indicator, at in report_indicators(unit):
        kind = PeriodKind(indicator.period_kind)
        last = Period.containing(period.end, kind)
        judged = reading(
            indicator,
            measurement_in(indicator, at, period),
            targets_by_year(indicator),
            period=last,
        )
        trend = [
            r for r in trend_readings(indicator, unit=at, today=day_after) if r.period <= last.code
        ][-TREND_SHOWN:]
        rows.append(
            {
                "indicator_id": indicator.pk,
                "code": indicator.code,
                "name_sv": indicator.name_sv,
                "name_en": indicator.name_en,
                "unit_name_sv": at.name_sv,
                "unit_name_en": at.name_en,
                "unit_of_measure": indicator.unit_of_measure,
                "higher_is_better": indicator.higher_is_better,
                "period": judged.period,
                "value": _text(judged.value),
                "n": judged.n,
                "target": _text(judged.target),
                "status": judged.status.value,
                "trend": [
                    {"period": r.period, "value": _text(r.value), "target": _text(r.target)}
                    for r in trend
                ],
                "comparison": _comparison(indicator, period.year),
            }
        )
    return rows


# Declarations


def report_follow_ups(unit: Unit, period: Period) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(
            commitment__version__declaration__unit__path__startswith=unit.path,
            period_start__gte=period.start,
            period_end__lte=period.end,
        )
        .select_related("commitment__version__declaration__unit")
        .order_by("commitment__version__declaration__unit__path", "period_start", "pk")
    )


def declaration_figures(unit: Unit, period: Period) -> dict[str, Any]:
    follow_ups = report_follow_ups(unit, period)
    counts = {result: 0 for result in FollowUp.Result.values}
    for follow_up in follow_ups:
        counts[follow_up.result] += 1
    not_kept = [
        {
            "unit_sv": f.commitment.version.declaration.unit.name_sv,
            "unit_en": f.commitment.version.declaration.unit.name_en,
            "service_sv": f.commitment.version.service_sv,
            "service_en": f.commitment.version.service_en,
            "promise_sv": f.commitment.text_sv,
            "promise_en": f.commitment.text_en,
            "period": f.period,
            "value": _text(f.value),
            "cases": f.cases,
            "explanation": f.explanation,
            "planned_action": f.planned_action,
        }
        for f in follow_ups
        if f.result == FollowUp.Result.NOT_KEPT
    ]
    return {"counts": counts, "not_kept": not_kept}


# Feedback


def _figure(figure: Figure | None) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {"value": _text(figure.value), "n": figure.n}


def feedback_section(unit: Unit, period: Period) -> list[dict[str, Any]]:
    """The public feedback figures of the unit's subtree, per kind and for all kinds."""
    found = feedback_figures([unit], [period], kinds=(ALL, *KINDS))
    rows = []
    for kind in (ALL, *KINDS):
        figures = found.get((unit.pk, kind, period.code))
        if figures is None:
            continue
        rows.append(
            {
                "kind": kind,
                "received": figures.received,
                "answered": figures.answered,
                "due": figures.due,
                "by_deadline": _figure(figures.by_deadline),
                "median_days": _figure(figures.median_days),
                "p90_days": _figure(figures.p90_days),
                "praise": _figure(figures.praise),
            }
        )
    return rows


# Surveys


def report_rounds(unit: Unit, period: Period) -> list[Round]:
    return list(
        Round.objects.filter(
            survey__unit__path__startswith=unit.path,
            closes_on__gte=period.start,
            closes_on__lte=period.end,
        )
        .select_related("survey")
        .order_by("closes_on", "pk")
    )


def survey_figures(unit: Unit, period: Period) -> list[dict[str, Any]]:
    rows = []
    for survey_round in report_rounds(unit, period):
        before = previous_round(survey_round)
        analysis = analyse_round(survey_round, before)
        overall = analysis.overall.estimate if analysis.overall else None
        change = next((row for row in analysis.changes if row.measure == Measure.INDEX), None)
        difference = change.comparison.difference if change and change.comparison else None
        rows.append(
            {
                "round_id": survey_round.pk,
                "survey_sv": survey_round.survey.title_sv,
                "survey_en": survey_round.survey.title_en,
                "round": survey_round.name,
                "closes_on": survey_round.closes_on.isoformat(),
                "respondents": analysis.respondents,
                "response_rate": analysis.response_rate,
                "index": None if overall is None else round_figure(overall.value),
                "index_low": None if overall is None else round_figure(overall.low),
                "index_high": None if overall is None else round_figure(overall.high),
                "previous_round": before.name if before else None,
                "change": None if difference is None else round_figure(difference),
                "direction": change.direction.value if change else None,
            }
        )
    return rows


def round_figure(value: float) -> float:
    return round(float(value), 1)
