"""Who may read and who may manage which key performance indicators.

An indicator belongs to its owning unit. Anyone with a role for that unit (or a unit above
it) reads the indicator, its targets and its measurements in the staff pages; quality
coordinators, unit managers and administrators manage it: define and change it, switch it
on and off, set its targets, enter its figures. Going past a unit's limit of active
indicators is further restricted to quality coordinators, in `kpis.services` itself.

Every staff page of the app goes through this module: `get_indicator_for_user` answers 404
to people who may not read the indicator (so its existence does not leak) and 403 to those
who may read but not manage it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from servicenav.kpis.models import Indicator
from servicenav.organisation.access import READERS, has_role_for
from servicenav.organisation.models import Role, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from servicenav.organisation.models import User

WRITERS = frozenset({Role.QUALITY_COORDINATOR, Role.UNIT_MANAGER, Role.ADMINISTRATOR})


def can_manage(user: User | AnonymousUser, unit: Unit) -> bool:
    """True when `user` may define and change the indicators of `unit`."""
    return has_role_for(user, unit, WRITERS)


def is_quality_coordinator(user: User | AnonymousUser, unit: Unit) -> bool:
    """True when `user` may write the reason that lets `unit` go past its limit."""
    return has_role_for(user, unit, {Role.QUALITY_COORDINATOR})


def managed_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """Active units whose indicators `user` manages: where new indicators may be made."""
    return Unit.objects.visible_to(user, WRITERS).active()


def indicators_visible_to(user: User | AnonymousUser) -> QuerySet[Indicator]:
    """Indicators owned by units where `user` holds any role, subtrees included."""
    return Indicator.objects.filter(unit__in=Unit.objects.visible_to(user, READERS))


def get_indicator_for_user(
    user: User | AnonymousUser, pk: int, *, write: bool = False
) -> Indicator:
    """The indicator `pk` if `user` may read it (and manage it, with `write`): 404 when they
    may not read it, 403 when they may read but not manage it."""
    indicator = Indicator.objects.select_related("unit").filter(pk=pk).first()
    if indicator is None or not has_role_for(user, indicator.unit, READERS):
        raise Http404
    if write and not can_manage(user, indicator.unit):
        raise PermissionDenied
    return indicator
