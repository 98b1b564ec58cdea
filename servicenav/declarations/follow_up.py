"""Judging measurable promises from the case data, period by period.

A promise such as "we answer within 10 working days" is judged on the cases of the unit
(and the units below it) whose limit fell due in the period: a case counts once, in the
period its promise came due, whether it was answered in time, late or not at all, so an
unanswered backlog cannot hide. Only periods that have ended are judged, and every
judgement is recomputed from the data, so it can always be reproduced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from servicenav.core.periods import Period, PeriodKind
from servicenav.core.selectors import working_calendar
from servicenav.declarations.models import Commitment, Declaration, FollowUp, Measure, Version
from servicenav.kpis import case_statistics
from servicenav.kpis.case_statistics import Tally
from servicenav.kpis.models import Statistic

if TYPE_CHECKING:
    from servicenav.core.calendar import WorkingCalendar
    from servicenav.organisation.models import Unit


_STATISTICS = {
    Measure.ACKNOWLEDGED_WITHIN: Statistic.SHARE_ACKNOWLEDGED_WITHIN,
    Measure.ANSWERED_WITHIN: Statistic.SHARE_ANSWERED_WITHIN,
    Measure.ANSWERED_BY_DEADLINE: Statistic.SHARE_ANSWERED_BY_DEADLINE,
}


def tally(commitment: Commitment, unit: Unit, period: Period, calendar: WorkingCalendar) -> Tally:
    """Count the cases a measurable promise is judged on in `period` (the counting is the
    key performance indicators' own: `servicenav.kpis.case_statistics`)."""
    statistic = _STATISTICS[Measure(commitment.measure)]
    if statistic == Statistic.SHARE_ANSWERED_BY_DEADLINE:
        return case_statistics.tally(statistic, unit, period)
    limit_days = commitment.limit_days or 0  # services require it for these measures
    return case_statistics.tally(statistic, unit, period, limit_days=limit_days, calendar=calendar)


def judge(commitment: Commitment, counted: Tally) -> str:
    """Kept when the share reaches the threshold exactly or more; too few cases are not
    enough to say either way."""
    if counted.cases < commitment.min_cases:
        return FollowUp.Result.NOT_ENOUGH_DATA
    threshold = commitment.threshold or Decimal(0)  # services require it when measurable
    kept = Decimal(counted.within * 100) >= threshold * counted.cases
    return FollowUp.Result.KEPT if kept else FollowUp.Result.NOT_KEPT


def version_for_period(declaration: Declaration, period: Period) -> Version | None:
    """The version that judges a period: the newest one in force at some time in it."""
    return (
        declaration.versions.filter(
            status__in=[Version.Status.PUBLISHED, Version.Status.ARCHIVED],
            valid_from__lte=period.end,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=period.start))
        .order_by("-number")
        .first()
    )


def ended_periods(declaration: Declaration, kind: PeriodKind, today: date) -> list[Period]:
    """Every period of `kind` from the first day a version was in force to the last one
    that has ended."""
    first_day = (
        declaration.versions.filter(valid_from__isnull=False)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    if first_day is None:
        return []
    periods = []
    period = Period.containing(first_day, kind)
    while period.end < today:
        periods.append(period)
        period = period.next()
    return periods


@transaction.atomic
def follow_up_declaration(declaration: Declaration, *, today: date | None = None) -> int:
    """Judge every measurable promise of the declaration for every period that has ended
    since it was first published; staff's explanations are kept. Returns how many
    judgements were written."""
    today = today or timezone.localdate()
    current = declaration.current or declaration.versions.order_by("-number").first()
    if current is None:
        return 0
    calendar = working_calendar()
    written = 0
    for period in ended_periods(declaration, PeriodKind(current.period_kind), today):
        version = version_for_period(declaration, period)
        if version is None:
            continue
        for commitment in version.commitments.filter(kind=Commitment.Kind.MEASURABLE):
            counted = tally(commitment, declaration.unit, period, calendar)
            FollowUp.objects.update_or_create(
                commitment_key=commitment.key,
                period=period.code,
                defaults={
                    "commitment": commitment,
                    "period_start": period.start,
                    "period_end": period.end,
                    "result": judge(commitment, counted),
                    "value": counted.share,
                    "cases": counted.cases,
                    "updated_at": timezone.now(),
                },
            )
            written += 1
    return written
