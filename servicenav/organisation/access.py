"""Access gates: who may read or change which unit's things.

A role held for a unit covers that unit and everything below it. Every view and API
endpoint that shows or changes a protected object goes through a gate here (or through a
`visible_to(user)` queryset method built on the same rules); none looks objects up by id
on its own. Objects a person may not read answer 404, so their existence does not leak;
objects they may read but not change answer 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from servicenav.organisation.models import Role, Unit, User

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser

READERS = frozenset(Role.values)
AUDIT_READERS = frozenset({Role.ADMINISTRATOR, Role.QUALITY_COORDINATOR, Role.UNIT_MANAGER})
UNIT_ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})


def has_role_for(user: User | AnonymousUser, unit: Unit, roles: Iterable[str]) -> bool:
    """True when `user` holds one of `roles` for `unit` or for a unit above it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(unit.path.startswith(path) for path in user.paths_with(roles))


def is_administrator(user: User | AnonymousUser) -> bool:
    """True for anyone who administers some unit: they may use the admin site for it."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(user.paths_with(UNIT_ADMINISTRATORS))


def is_global_administrator(user: User | AnonymousUser) -> bool:
    """True for superusers and administrators of a top unit: they manage what no unit owns
    (user accounts, closed days, values) and read the whole audit log."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(path.count("/") == 2 for path in user.paths_with(UNIT_ADMINISTRATORS))


def get_unit_for_user(user: User | AnonymousUser, pk: int, *, write: bool = False) -> Unit:
    """The unit `pk` if `user` may read it (and change it, with `write`)."""
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not has_role_for(user, unit, READERS):
        raise Http404
    if write and not has_role_for(user, unit, UNIT_ADMINISTRATORS):
        raise PermissionDenied
    return unit
