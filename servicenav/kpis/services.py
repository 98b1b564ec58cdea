"""Writes to key performance indicators: defining them, keeping them few, setting targets.

"Do not use too many KPIs" is a rule here, not advice: a unit has at most
`active_limit(unit)` active indicators, and going past it needs a quality coordinator of
the unit to write down why. Every write is audited against the indicator's unit."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from servicenav.core.audit import audit_record, field_changes, snapshot
from servicenav.core.models import AuditEntry
from servicenav.kpis.models import Indicator, IndicatorLimit, Source, Target
from servicenav.organisation.access import has_role_for
from servicenav.organisation.models import Role

if TYPE_CHECKING:
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


def _check_definition(fields: dict[str, Any]) -> None:
    if fields.get("source") == Source.CASES and not fields.get("statistic"):
        raise ValidationError(_("Choose the statistic an indicator computed from cases uses."))
    if not str(fields.get("definition_sv", "")).strip():
        raise ValidationError(_("Write the definition: what is counted, from when to when."))


@transaction.atomic
def indicator_create(*, unit: Unit, by: User | None, reason: str = "", **fields: Any) -> Indicator:
    """A new active indicator of `unit`; `reason` is needed past the unit's limit."""
    _check_definition(fields)
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
