"""Open data: the feedback statistics, by unit × kind × month (and quarter and year).

Exactly the figures of the public statistics page (`public.figures`), for every active
unit (with the units below it), every kind and all kinds together, and every month,
quarter and year the counts cover. A period without cases has no row."""

from __future__ import annotations

import hashlib
from datetime import date

from django.utils.translation import gettext_lazy as _

from servicenav.core.periods import Period
from servicenav.organisation.models import Unit
from servicenav.public.figures import (
    ALL,
    KINDS,
    PUBLIC_PERIOD_KINDS,
    Coverage,
    FeedbackFigures,
    coverage,
    feedback_figures,
    minimum_cases,
    public_units,
    stamp,
)
from servicenav.public.opendata.base import (
    DAILY,
    PERIOD_COLUMNS,
    UNIT_COLUMNS,
    Column,
    Dataset,
    Row,
    unit_cells,
)

COLUMNS = (
    *UNIT_COLUMNS,
    *PERIOD_COLUMNS,
    Column(
        "kind",
        "string",
        _("all (every kind together), complaint, suggestion, praise or question."),
    ),
    Column("received", "integer", _("Feedback received in the period.")),
    Column(
        "answered",
        "integer",
        _(
            "Feedback answered in the period: the first reply to the citizen or the first "
            "close, whichever came first. The number the times to answer are built on."
        ),
    ),
    Column(
        "median_working_days_to_answer",
        "number",
        _(
            "Median of the working days from the day received to the answer, of the feedback "
            "answered in the period. Waiting for the citizen is not subtracted."
        ),
    ),
    Column(
        "p90_working_days_to_answer",
        "number",
        _("90th percentile of the same working days: nine in ten were answered within it."),
    ),
    Column(
        "answer_times_suppressed",
        "boolean",
        _("true: fewer answered than the minimum, so no times to answer are given."),
    ),
    Column(
        "deadline_cases",
        "integer",
        _("Feedback whose answer deadline fell in the period, answered or not."),
    ),
    Column(
        "share_answered_by_deadline",
        "number",
        _("Of those, the percentage answered by the deadline."),
    ),
    Column(
        "share_answered_by_deadline_low",
        "number",
        _("Lower end of the share's 95 percent confidence interval (Wilson)."),
    ),
    Column(
        "share_answered_by_deadline_high",
        "number",
        _("Upper end of the share's 95 percent confidence interval (Wilson)."),
    ),
    Column(
        "deadline_share_suppressed",
        "boolean",
        _("true: fewer deadlines in the period than the minimum, so no share is given."),
    ),
    Column(
        "share_praise",
        "number",
        _("Percentage of praise among the feedback received; given on the rows of all kinds."),
    ),
    Column(
        "share_praise_low",
        "number",
        _("Lower end of the share of praise's 95 percent confidence interval (Wilson)."),
    ),
    Column(
        "share_praise_high",
        "number",
        _("Upper end of the share of praise's 95 percent confidence interval (Wilson)."),
    ),
    Column(
        "share_praise_suppressed",
        "boolean",
        _("true: less feedback received than the minimum, so no share of praise is given."),
    ),
)


def figure_cells(figures: FeedbackFigures) -> Row:
    """The figures of one unit, kind and period as they stand in the file."""
    praise = figures.praise
    return {
        "kind": figures.kind,
        "received": figures.received,
        "answered": figures.answered,
        "median_working_days_to_answer": figures.median_days.value,
        "p90_working_days_to_answer": figures.p90_days.value,
        "answer_times_suppressed": figures.median_days.suppressed,
        "deadline_cases": figures.due,
        "share_answered_by_deadline": figures.by_deadline.value,
        "share_answered_by_deadline_low": figures.by_deadline.low,
        "share_answered_by_deadline_high": figures.by_deadline.high,
        "deadline_share_suppressed": figures.by_deadline.suppressed,
        "share_praise": praise.value if praise else None,
        "share_praise_low": praise.low if praise else None,
        "share_praise_high": praise.high if praise else None,
        "share_praise_suppressed": praise.suppressed if praise else None,
    }


def _periods(cover: Coverage) -> list[Period]:
    """Months, then quarters, then years, each oldest first."""
    return [period for kind in PUBLIC_PERIOD_KINDS[::-1] for period in cover.periods(kind)[::-1]]


def rows() -> list[Row]:
    cover = coverage()
    if cover is None:
        return []
    units = public_units()
    periods = _periods(cover)
    figures = feedback_figures(units, periods)
    found: list[Row] = []
    for unit in units:
        unit_row = unit_cells(unit)
        for period in periods:
            span = cover.span(period)
            for kind in (ALL, *KINDS):
                shown = figures[unit.pk, kind, period.code]
                if shown.is_empty or span is None:
                    continue
                found.append(
                    unit_row
                    | {
                        "period_type": period.kind.value,
                        "period": period.code,
                        "period_start": span[0],
                        "period_end": span[1],
                    }
                    | figure_cells(shown)
                )
    return found


def rows_stamp() -> str:
    """Changes with the stored counts, the minimum, and any unit's name or place."""
    units = Unit.objects.order_by("pk").values_list(
        "pk", "path", "name_sv", "name_en", "kind", "active"
    )
    digest = hashlib.sha256(repr(list(units)).encode()).hexdigest()[:16]
    return f"{stamp()}:{minimum_cases()}:{digest}"


def temporal() -> tuple[date, date] | None:
    cover = coverage()
    return (cover.first.start, cover.last.end) if cover else None


DATASET = Dataset(
    slug="synpunktsstatistik",
    title=_("Feedback statistics"),
    description=_(
        "How much feedback (complaints, suggestions, praise and questions) each unit of the "
        "municipality received, how long it took to answer and how much was answered by the "
        "deadline, per month, quarter and year. A unit's figures include the units below "
        "it. Figures built on fewer cases than the minimum are left out and marked."
    ),
    keywords=(_("feedback"), _("complaints"), _("service quality"), _("answer times")),
    columns=COLUMNS,
    rows=rows,
    temporal=temporal,
    periodicity=DAILY,
    stamp=rows_stamp,
)
