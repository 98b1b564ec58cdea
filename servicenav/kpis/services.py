"""Writes to key performance indicators: defining them, keeping them few, setting targets,
and storing figures measured elsewhere.

"Do not use too many KPIs" is a rule here, not advice: a unit has at most
`active_limit(unit)` active indicators, and going past it needs a quality coordinator of
the unit to write down why. Every write is audited against the indicator's unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.audit import audit_record, field_changes, snapshot
from servicenav.core.models import AuditEntry
from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.models import (
    Indicator,
    IndicatorLimit,
    Measurement,
    Source,
    Target,
    UnitOfMeasure,
)
from servicenav.kpis.survey_compute import survey_measure
from servicenav.organisation.access import has_role_for
from servicenav.organisation.models import Role

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from servicenav.organisation.models import Unit, User

SHOWN_FIELDS = ("code", "name_sv", "kind", "source", "statistic", "params", "active")


def active_limit(unit: Unit) -> int:
    limit = IndicatorLimit.objects.filter(unit=unit).values_list("maximum", flat=True).first()
    return limit or settings.SERVICENAV_KPI_MAX_ACTIVE


def _check_room(unit: Unit, *, by: User | None, reason: str) -> str:
    """The reason to keep when one more active indicator is one too many for the unit."""
    active = Indicator.objects.filter(unit=unit, active=True).count()
    if active < active_limit(unit):
        return ""
    if not reason.strip():
        raise ValidationError(
            _(
                "The unit already has %(count)d active indicators, its limit. Deactivate one, "
                "or have a quality coordinator write why this one is needed too."
            )
            % {"count": active}
        )
    if by is None or not has_role_for(by, unit, {Role.QUALITY_COORDINATOR}):
        raise PermissionDenied(_("Only a quality coordinator may go past the limit."))
    return reason.strip()


def _check_definition(fields: dict[str, Any], unit: Unit) -> None:
    if fields.get("source") == Source.CASES and not fields.get("statistic"):
        raise ValidationError(_("Choose the statistic an indicator computed from cases uses."))
    if fields.get("source") == Source.SURVEYS:
        survey_measure(fields.get("params") or {}, unit=unit)
    if not str(fields.get("definition_sv", "")).strip():
        raise ValidationError(_("Write the definition: what is counted, from when to when."))


@transaction.atomic
def indicator_create(*, unit: Unit, by: User | None, reason: str = "", **fields: Any) -> Indicator:
    """A new active indicator of `unit`; `reason` is needed past the unit's limit."""
    _check_definition(fields, unit)
    exception = _check_room(unit, by=by, reason=reason)
    indicator = Indicator.objects.create(unit=unit, exception_reason=exception, **fields)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=indicator,
        unit=unit,
        changes=field_changes({}, snapshot(indicator, SHOWN_FIELDS)),
    )
    return indicator


@transaction.atomic
def indicator_set_active(
    *, indicator: Indicator, active: bool, by: User | None, reason: str = ""
) -> None:
    """Switch an indicator on (within the limit, or with a coordinator's reason) or off."""
    if indicator.active == active:
        return
    if active:
        indicator.exception_reason = _check_room(indicator.unit, by=by, reason=reason)
    indicator.active = active
    indicator.save(update_fields=["active", "exception_reason"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj=indicator,
        unit=indicator.unit,
        changes={"active": {"from": not active, "to": active}},
    )


@transaction.atomic
def target_set(*, indicator: Indicator, year: int, value: Decimal, by: User | None) -> Target:
    """The indicator's target for `year`; a target can change when a year's plan does."""
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Give a year between 2000 and 2100."))
    previous = Target.objects.filter(indicator=indicator, year=year).first()
    target, _created = Target.objects.update_or_create(
        indicator=indicator, year=year, defaults={"value": value}
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE if previous else AuditEntry.Action.CREATE,
        obj=indicator,
        unit=indicator.unit,
        changes={
            f"target {year}": {
                "from": str(previous.value) if previous else None,
                "to": str(value),
            }
        },
    )
    return target


# What `indicator_update` changes; the owner, whether the indicator is active and the
# reason for an exception to the limit each change through their own service.
EDITABLE_FIELDS = frozenset(
    {
        "code",
        "name_sv",
        "name_en",
        "kind",
        "definition_sv",
        "definition_en",
        "source",
        "statistic",
        "params",
        "unit_of_measure",
        "higher_is_better",
        "period_kind",
        "min_cases",
        "kolada_kpi",
    }
)


@transaction.atomic
def indicator_update(*, indicator: Indicator, by: User | None, **fields: Any) -> Indicator:
    """Change what an indicator says and how it is measured, audited field by field.
    Measurements already stored stay until the next computation rewrites them."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        msg = f"indicator_update cannot change {sorted(unknown)}"
        raise ValueError(msg)
    _check_definition(
        {name: getattr(indicator, name) for name in EDITABLE_FIELDS} | fields, indicator.unit
    )
    code = fields.get("code", indicator.code)
    taken = Indicator.objects.filter(unit_id=indicator.unit_id, code=code).exclude(pk=indicator.pk)
    if taken.exists():
        raise ValidationError(
            _("The unit already has an indicator with the code %(code)s.") % {"code": code}
        )
    shown = sorted(EDITABLE_FIELDS)
    before = snapshot(indicator, shown)
    for name, value in fields.items():
        setattr(indicator, name, value)
    changes = field_changes(before, snapshot(indicator, shown))
    if changes:
        indicator.save(update_fields=sorted(fields))
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=indicator,
            unit=indicator.unit,
            changes=changes,
        )
    return indicator


# Figures measured elsewhere (telephony, e-mail tests): typed in by staff or imported.
# The same checks serve the import preview (`kpis.imports`) and the writes below, so a
# preview without errors is what the save accepts.

MANUAL_SHOWN_FIELDS = ("unit", "period", "value", "n", "comment")
_CENT = Decimal("0.01")
# Measurement.value has 12 digits, two of them decimals.
_LARGEST_VALUE = Decimal("9999999999.99")
# PositiveIntegerField is a 32-bit integer on PostgreSQL.
_LARGEST_N = 2_147_483_647
_COMMENT_LENGTH = 300
_UPSERT_FIELDS = ["value", "n", "low", "high", "comment", "source", "computed_at", "entered_by"]
_NOT_NEGATIVE = frozenset(
    {UnitOfMeasure.WORKING_DAYS, UnitOfMeasure.COUNT, UnitOfMeasure.PER_THOUSAND}
)


@dataclass(frozen=True)
class ManualFigure:
    """One figure measured elsewhere, ready to store. `line` is its row in an imported
    file, so that a refusal can point at it; None when typed in."""

    unit: Unit
    period: Period
    value: Decimal
    n: int | None = None
    line: int | None = None


def manual_unit_problem(indicator: Indicator, unit: Unit) -> str:
    """Why `unit` cannot have values of `indicator` ("" when it can): an indicator
    measures its owner and the units below it, nothing else."""
    if unit.is_within(indicator.unit):
        return ""
    return str(
        _("%(unit)s is not %(owner)s or a unit below it.")
        % {"unit": unit.name, "owner": indicator.unit.name}
    )


def manual_period_problem(indicator: Indicator, period: Period, today: date | None = None) -> str:
    """Why `period` cannot have a value of `indicator` ("" when it can): it must be of the
    indicator's kind and have started (a figure of the running month is allowed)."""
    today = today or timezone.localdate()
    kind = PeriodKind(indicator.period_kind)
    if period.kind != kind:
        return str(
            _("This indicator is measured per %(kind)s: write the period like %(example)s.")
            % {
                "kind": indicator.get_period_kind_display(),
                "example": Period.containing(today, kind).code,
            }
        )
    if period.start > today:
        return str(_("%(period)s has not started yet.") % {"period": period.label})
    return ""


def manual_value_problem(indicator: Indicator, value: Decimal, n: int | None = None) -> str:
    """Why `value` (with `n`, the number measured) cannot be a value of `indicator`."""
    if not value.is_finite() or abs(value) > _LARGEST_VALUE:
        return str(_("The value is too large."))
    measure = indicator.unit_of_measure
    if measure == UnitOfMeasure.PERCENT and not 0 <= value <= 100:
        return str(_("A percentage must be between 0 and 100."))
    if measure in _NOT_NEGATIVE and value < 0:
        return str(_("The value cannot be negative."))
    if n is not None and not 0 <= n <= _LARGEST_N:
        return str(_("The number measured must be a whole number of zero or more."))
    return ""


def manual_figure_problems(
    indicator: Indicator, figure: ManualFigure, today: date | None = None
) -> list[str]:
    """Every reason `figure` cannot be stored as a value of `indicator`."""
    found = [
        manual_unit_problem(indicator, figure.unit),
        manual_period_problem(indicator, figure.period, today),
        manual_value_problem(indicator, figure.value, figure.n),
    ]
    return [problem for problem in found if problem]


def _require_manual(indicator: Indicator) -> None:
    if indicator.source != Source.MANUAL:
        raise ValidationError(
            _(
                "The values of this indicator are %(source)s. Only values of indicators "
                "measured elsewhere are entered by staff."
            ),
            params={"source": indicator.get_source_display()},
        )


def _check_figures(indicator: Indicator, figures: list[ManualFigure], comment: str) -> None:
    """Raise one ValidationError with every problem of every figure (row numbers first)."""
    if not figures:
        raise ValidationError(_("There are no values to save."))
    if len(comment) > _COMMENT_LENGTH:
        raise ValidationError(_("The comment may be at most 300 characters."))
    today = timezone.localdate()
    problems: list[str] = []
    seen: set[tuple[int, str]] = set()
    for figure in figures:
        found = manual_figure_problems(indicator, figure, today)
        key = (figure.unit.pk, figure.period.code)
        if key in seen:
            found.append(str(_("This unit and period are given more than once.")))
        seen.add(key)
        if figure.line is not None:
            found = [
                str(_("Row %(line)s: %(problem)s") % {"line": figure.line, "problem": problem})
                for problem in found
            ]
        problems.extend(found)
    if problems:
        raise ValidationError(problems)


def _manual_before(indicator: Indicator, figures: list[ManualFigure]) -> dict[tuple[int, str], Any]:
    """What the log should say the stored values were, keyed by unit id and period code."""
    existing = Measurement.objects.filter(
        indicator=indicator, period__in={figure.period.code for figure in figures}
    ).select_related("unit")
    return {(m.unit_id, m.period): snapshot(m, MANUAL_SHOWN_FIELDS) for m in existing}


def _manual_store(
    indicator: Indicator, figures: list[ManualFigure], *, by: User | None, comment: str
) -> list[Measurement]:
    """Check every figure, then upsert all of them and audit each value that changed."""
    _require_manual(indicator)
    comment = comment.strip()
    _check_figures(indicator, figures, comment)
    before = _manual_before(indicator, figures)
    now = timezone.now()
    measurements = [
        Measurement(
            indicator=indicator,
            unit=figure.unit,
            period=figure.period.code,
            period_start=figure.period.start,
            period_end=figure.period.end,
            value=figure.value.quantize(_CENT, rounding="ROUND_HALF_UP"),
            n=figure.n,
            source=Source.MANUAL,
            computed_at=now,
            entered_by=by,
            comment=comment,
        )
        for figure in figures
    ]
    Measurement.objects.bulk_create(
        measurements,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["indicator", "unit", "period"],
        update_fields=_UPSERT_FIELDS,
    )
    _audit_manual(indicator, measurements, before, by)
    return measurements


def _audit_manual(
    indicator: Indicator,
    measurements: list[Measurement],
    before: dict[tuple[int, str], Any],
    by: User | None,
) -> None:
    stored = {
        (m.unit_id, m.period): m.pk
        for m in Measurement.objects.filter(
            indicator=indicator, period__in={m.period for m in measurements}
        ).only("pk", "unit_id", "period")
    }
    for measurement in measurements:
        measurement.pk = stored[(measurement.unit_id, measurement.period)]
        old = before.get((measurement.unit_id, measurement.period))
        changes = field_changes(old or {}, snapshot(measurement, MANUAL_SHOWN_FIELDS))
        if old is not None and not changes:
            continue
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE if old is None else AuditEntry.Action.UPDATE,
            obj=measurement,
            unit=measurement.unit,
            changes=changes,
        )


@transaction.atomic
def measurement_enter(
    *,
    indicator: Indicator,
    unit: Unit,
    period: Period,
    value: Decimal,
    n: int | None = None,
    comment: str = "",
    by: User | None,
) -> Measurement:
    """Store one figure measured elsewhere, typed in by staff; it replaces the value the
    unit had for the period (the log keeps the old one)."""
    figure = ManualFigure(unit=unit, period=period, value=value, n=n)
    return _manual_store(indicator, [figure], by=by, comment=comment)[0]


@transaction.atomic
def measurements_import(
    *,
    indicator: Indicator,
    rows: Iterable[ManualFigure],
    by: User | None,
    comment: str = "",
) -> list[Measurement]:
    """Store every row of an imported file or, when any row is refused, none of them:
    half an import would be a wrong picture that looks right."""
    return _manual_store(indicator, list(rows), by=by, comment=comment)
