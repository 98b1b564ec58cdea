"""Open data: how the promises of the service declarations in force were kept, period by
period (the follow-up the public declaration pages show).

Every promise of every declaration in force (of an active unit), with each judgement of it
in the periods its declaration is followed up by now: a promise carried into a new version
keeps its history, as on the pages. The share of cases handled within the promise is left
out (`suppressed` true) when fewer cases than `SERVICENAV_PUBLIC_MIN_CASES` were counted;
the judgement itself stays, as the page shows it. Staff's explanations and assessments are
not included: they are text, the pages show them in context."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from servicenav.declarations.models import Commitment, FollowUp, Version
from servicenav.public.opendata.base import (
    DAILY,
    PERIOD_COLUMNS,
    UNIT_COLUMNS,
    Column,
    Dataset,
    Row,
    period_kind_of,
    unit_cells,
)

COLUMNS = (
    Column("declaration_id", "integer", _("The declaration's number; stable across versions.")),
    Column("version", "integer", _("The number of the version in force.")),
    Column("service_sv", "string", _("The service the declaration is about, in Swedish.")),
    Column("service_en", "string", _("The same in English; may be empty.")),
    *UNIT_COLUMNS,
    Column(
        "promise_key",
        "string",
        _("Identifies the promise across versions of the declaration."),
    ),
    Column("promise_sv", "string", _("The promise as worded in the version in force, Swedish.")),
    Column("promise_en", "string", _("The same in English; may be empty.")),
    Column(
        "promise_kind",
        "string",
        _("measurable (judged from the feedback) or qualitative (assessed by the unit)."),
    ),
    Column(
        "measure",
        "string",
        _(
            "How a measurable promise is judged: acknowledged_within or answered_within "
            "(a number of working days), or answered_by_deadline."
        ),
    ),
    Column("limit_days", "integer", _("The limit in working days, where there is one.")),
    Column(
        "threshold",
        "number",
        _("The promise is kept when at least this percentage of cases met it."),
    ),
    *PERIOD_COLUMNS,
    Column(
        "result",
        "string",
        _("kept, not_kept or not_enough_data (fewer cases than the promise needs)."),
    ),
    Column("share", "number", _("The percentage of the cases counted that met the promise.")),
    Column("cases", "integer", _("The cases counted in the period.")),
    Column(
        "suppressed",
        "boolean",
        _("true: fewer cases than the minimum were counted, so the share is not given."),
    ),
)


def _in_force() -> dict[str, Commitment]:
    """The promises of the versions in force of active units' declarations, by key."""
    commitments = Commitment.objects.filter(
        version__status=Version.Status.PUBLISHED, version__declaration__unit__active=True
    ).select_related("version__declaration__unit")
    return {str(commitment.key): commitment for commitment in commitments}


def _promise_cells(commitment: Commitment) -> Row:
    version = commitment.version
    return {
        "declaration_id": version.declaration_id,
        "version": version.number,
        "service_sv": version.service_sv,
        "service_en": version.service_en,
        **unit_cells(version.declaration.unit),
        "promise_key": str(commitment.key),
        "promise_sv": commitment.text_sv,
        "promise_en": commitment.text_en,
        "promise_kind": commitment.kind,
        "measure": commitment.measure,
        "limit_days": commitment.limit_days,
        "threshold": commitment.threshold,
    }


def rows() -> list[Row]:
    promises = _in_force()
    minimum = int(settings.SERVICENAV_PUBLIC_MIN_CASES)
    follow_ups = FollowUp.objects.filter(commitment_key__in=list(promises)).order_by(
        "period_start", "period"
    )
    by_key: dict[str, list[FollowUp]] = {}
    for follow_up in follow_ups:
        by_key.setdefault(str(follow_up.commitment_key), []).append(follow_up)
    found: list[Row] = []
    ordered = sorted(
        promises.values(),
        key=lambda c: (c.version.declaration.unit.path, c.version.declaration_id, c.order, c.pk),
    )
    for commitment in ordered:
        kind = commitment.version.period_kind
        for follow_up in by_key.get(str(commitment.key), []):
            if period_kind_of(follow_up.period) != kind:
                continue  # judged by another period kind before the version changed it
            hidden = follow_up.cases is not None and 0 < follow_up.cases < minimum
            found.append(
                _promise_cells(commitment)
                | {
                    "period_type": kind,
                    "period": follow_up.period,
                    "period_start": follow_up.period_start,
                    "period_end": follow_up.period_end,
                    "result": follow_up.result,
                    "share": None if hidden else follow_up.value,
                    "cases": follow_up.cases,
                    "suppressed": hidden,
                }
            )
    return found


def temporal() -> tuple[date, date] | None:
    keys = list(_in_force())
    span = FollowUp.objects.filter(commitment_key__in=keys).aggregate(
        first=Min("period_start"), last=Max("period_end")
    )
    return (span["first"], span["last"]) if span["first"] else None


DATASET = Dataset(
    slug="deklarationsuppfoljning",
    title=_("Service declarations: follow-up of the promises"),
    description=_(
        "Whether each promise of the municipality's service declarations in force was kept, "
        "period by period: the result, the share of cases that met the promise and how many "
        "cases were counted."
    ),
    keywords=(_("service declarations"), _("promises"), _("follow-up")),
    columns=COLUMNS,
    rows=rows,
    temporal=temporal,
    periodicity=DAILY,
)
