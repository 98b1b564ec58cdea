"""Reads for the public pages, built on `figures` (one query for all the figures a page
shows). The start page and the unit pages use `feedback_figures` the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from servicenav.core.periods import Period, PeriodKind
from servicenav.organisation.models import Unit
from servicenav.public.figures import (
    ALL,
    KINDS,
    Coverage,
    FeedbackFigures,
    feedback_figures,
    minimum_cases,
)


@dataclass(frozen=True)
class StatisticsPage:
    """The feedback statistics of `unit` (with the units below it) for `kind` in `period`:
    by kind, by the units directly below it, and month by month."""

    unit: Unit
    kind: str
    period: Period
    span: tuple[date, date] | None
    minimum: int
    by_kind: list[FeedbackFigures]
    by_unit: list[FeedbackFigures]
    by_month: list[FeedbackFigures]

    @property
    def total(self) -> FeedbackFigures:
        """The figures the filters chose: the unit, the kind, the period."""
        return self.by_unit[0]

    @property
    def shows_praise(self) -> bool:
        return self.kind == ALL


def units_below(unit: Unit) -> list[Unit]:
    """The active units directly below `unit`, by name."""
    children = list(Unit.objects.filter(parent=unit, active=True))
    return sorted(children, key=lambda child: (child.name.casefold(), child.pk))


def statistics_page(unit: Unit, kind: str, period: Period, cover: Coverage) -> StatisticsPage:
    """Everything the feedback statistics page shows: three queries."""
    children = units_below(unit)
    months = cover.months(period) if period.kind is not PeriodKind.MONTH else []
    minimum = minimum_cases()
    figures = feedback_figures([unit, *children], [period, *months], minimum=minimum)
    kinds = (ALL, *KINDS) if kind == ALL else (kind,)
    return StatisticsPage(
        unit=unit,
        kind=kind,
        period=period,
        span=cover.span(period),
        minimum=minimum,
        by_kind=[figures[unit.pk, shown, period.code] for shown in kinds],
        by_unit=[figures[shown.pk, kind, period.code] for shown in [unit, *children]],
        by_month=[figures[unit.pk, kind, month.code] for month in months],
    )
