"""Feedback over the last twelve months counted, from the stored counts (`FeedbackMonth`),
summed and suppressed exactly as the feedback statistics do (`public.figures`), and the
bar charts of feedback received (a unit's page, the feedback statistics page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext

from servicenav.cases.models import Kind
from servicenav.core.periods import Period, periods_between
from servicenav.public.charts import Bar, bar_chart_svg
from servicenav.public.figures import (
    ALL,
    KINDS,
    FeedbackFigures,
    Sums,
    coverage,
    figures_of,
    minimum_cases,
    month_sums,
    period_sums,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import date

    from django.utils.safestring import SafeString

    from servicenav.organisation.models import Unit
    from servicenav.public.selectors import StatisticsPage

WINDOW_MONTHS = 12
TENTHS = 10


@dataclass(frozen=True)
class AnswerHeadline:
    """The headline: `part` of 10 got an answer within `days` working days (`within` of
    the `answered` answers did)."""

    part: int
    days: int
    within: int
    answered: int

    @property
    def text(self) -> str:
        return gettext("%(part)s of %(whole)s got an answer within %(days)s working days") % {
            "part": self.part,
            "whole": TENTHS,
            "days": self.days,
        }


@dataclass(frozen=True)
class FeedbackWindow:
    """A unit's feedback (with the units below it) in the months `first` to `last`: all
    kinds together (`total`, also first in `by_kind`), each kind, and (on a unit's page)
    month by month. The figures' `period` is the last month; the window is what they
    cover."""

    first: Period
    last: Period
    total: FeedbackFigures
    by_kind: list[FeedbackFigures]
    headline: AnswerHeadline | None
    by_month: list[FeedbackFigures] = field(default_factory=list)


def answer_headline(sums: Sums, minimum: int) -> AnswerHeadline | None:
    """Of the feedback answered, how many in ten within the standard answer time, rounded
    down; None below the public minimum."""
    if sums.answered < minimum or not sums.answered:
        return None
    days = int(settings.SERVICENAV_ANSWER_DAYS)
    within = sum(n for waited, n in sums.days.items() if waited <= days)
    return AnswerHeadline(
        part=within * TENTHS // sums.answered, days=days, within=within, answered=sums.answered
    )


def window_months(last: Period) -> list[Period]:
    """The `WINDOW_MONTHS` months up to `last`, oldest first."""
    first = last
    for _step in range(WINDOW_MONTHS - 1):
        first = first.previous()
    return periods_between(first, last)


def feedback_windows(units: Sequence[Unit], *, by_month: bool = False) -> dict[int, FeedbackWindow]:
    """Each unit's feedback over the last twelve counted months, by unit id; {} before the
    first count. Two queries (none while the stored counts are cached)."""
    cover = coverage()
    if cover is None or not units:
        return {}
    months = [month for month in window_months(cover.last) if month >= cover.first]
    minimum = minimum_cases()
    stored = month_sums(units, months[0].start, months[-1].end)
    starts = [month.start for month in months]
    windows = {}
    for unit in units:
        per_kind = period_sums(stored, unit.pk, starts)
        total = Sums()
        for sums in per_kind.values():
            total.add(sums)
        praise = per_kind[Kind.PRAISE].received
        last = months[-1]
        windows[unit.pk] = FeedbackWindow(
            first=months[0],
            last=last,
            total=figures_of(unit, ALL, last, total, praise=praise, minimum=minimum),
            by_kind=[
                figures_of(unit, ALL, last, total, praise=praise, minimum=minimum),
                *(
                    figures_of(unit, kind, last, per_kind[kind], praise=None, minimum=minimum)
                    for kind in KINDS
                ),
            ],
            headline=answer_headline(total, minimum),
            by_month=_by_month(unit, months, stored, minimum) if by_month else [],
        )
    return windows


def _by_month(
    unit: Unit,
    months: Sequence[Period],
    stored: Mapping[tuple[int, str, date], Sums],
    minimum: int,
) -> list[FeedbackFigures]:
    """All kinds month by month, as the feedback statistics give each month."""
    found = []
    for month in months:
        per_kind = period_sums(stored, unit.pk, [month.start])
        total = Sums()
        for sums in per_kind.values():
            total.add(sums)
        praise = per_kind[Kind.PRAISE].received
        found.append(figures_of(unit, ALL, month, total, praise=praise, minimum=minimum))
    return found


def received_bars(rows: Sequence[FeedbackFigures], *, by_kind: bool = False) -> list[Bar]:
    """A bar per row: the feedback received, labelled by month (its code) or by kind."""
    return [
        Bar(
            label=str(row.kind_label).capitalize() if by_kind else row.period.code,
            value=float(row.received),
            text=str(row.received),
        )
        for row in rows
    ]


def months_chart(unit: Unit, window: FeedbackWindow) -> SafeString:
    """Feedback received month by month, as bars."""
    return bar_chart_svg(
        received_bars(window.by_month),
        title=gettext("Feedback received by %(unit)s, month by month") % {"unit": unit.name},
        summary=gettext("Pieces of feedback received each month, %(first)s to %(last)s:")
        % {"first": window.first.label, "last": window.last.label},
        id_prefix="unit-months",
    )


def statistics_chart(page: StatisticsPage) -> SafeString | None:
    """The feedback statistics page's chart: what was received month by month in the
    period chosen, or by kind when it is a single month; None when there is nothing to
    draw (a single month of a single kind)."""
    names = {"unit": page.unit.name, "period": page.period.label}
    if page.by_month:
        return bar_chart_svg(
            received_bars(page.by_month),
            title=gettext("Feedback received by %(unit)s in %(period)s, month by month") % names,
            summary=gettext("Pieces of feedback received each month:"),
            id_prefix="statistics-chart",
        )
    if len(page.by_kind) > 1:
        return bar_chart_svg(
            received_bars(page.by_kind[1:], by_kind=True),
            title=gettext("Feedback received by %(unit)s in %(period)s, by kind") % names,
            summary=gettext("Pieces of feedback received of each kind:"),
            id_prefix="statistics-chart",
        )
    return None
