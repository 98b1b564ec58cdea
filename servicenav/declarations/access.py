"""Who may read, write, approve and follow up which declarations.

Anyone with a role for the unit reads its declarations in the staff pages; quality
coordinators, unit managers and administrators write them and follow them up; only a unit
manager approves, because the manager answers for the promises being achievable. Published
versions are public and need no gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from servicenav.declarations.models import Declaration
from servicenav.organisation.access import READERS, has_role_for
from servicenav.organisation.models import Role, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from servicenav.declarations.models import DeclarationQuerySet
    from servicenav.organisation.models import User

WRITERS = frozenset({Role.QUALITY_COORDINATOR, Role.UNIT_MANAGER, Role.ADMINISTRATOR})
APPROVERS = frozenset({Role.UNIT_MANAGER})


def can_write(user: User | AnonymousUser, unit: Unit) -> bool:
    return has_role_for(user, unit, WRITERS)


def can_approve(user: User | AnonymousUser, unit: Unit) -> bool:
    return has_role_for(user, unit, APPROVERS)


def declarations_visible_to(user: User | AnonymousUser) -> DeclarationQuerySet:
    return Declaration.objects.filter(unit__in=Unit.objects.visible_to(user))


def get_declaration_for_user(
    user: User | AnonymousUser, pk: int, *, write: bool = False
) -> Declaration:
    """The declaration `pk` if `user` may read it (and write it, with `write`): 404 when they
    may not read it, so its existence does not leak; 403 when they may not write it."""
    declaration = Declaration.objects.select_related("unit").filter(pk=pk).first()
    if declaration is None or not has_role_for(user, declaration.unit, READERS):
        raise Http404
    if write and not can_write(user, declaration.unit):
        raise PermissionDenied
    return declaration
