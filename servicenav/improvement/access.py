"""Who may read and change which improvement actions and good examples.

Anyone with a role for the unit reads its actions; case handlers, quality coordinators, unit
managers and administrators propose them, keep them up to date and link what caused them;
only coordinators, managers and administrators decide, complete, drop, reopen and publish
them, because those steps commit the unit. Published actions are public and need no gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from servicenav.improvement.models import Action, GoodExample
from servicenav.organisation.access import READERS, has_role_for
from servicenav.organisation.models import Role, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from servicenav.improvement.models import ActionQuerySet
    from servicenav.organisation.models import User

PROPOSERS = frozenset(
    {Role.CASE_HANDLER, Role.QUALITY_COORDINATOR, Role.UNIT_MANAGER, Role.ADMINISTRATOR}
)
DECIDERS = frozenset({Role.QUALITY_COORDINATOR, Role.UNIT_MANAGER, Role.ADMINISTRATOR})


def can_propose(user: User | AnonymousUser, unit: Unit) -> bool:
    return has_role_for(user, unit, PROPOSERS)


def can_decide(user: User | AnonymousUser, unit: Unit) -> bool:
    return has_role_for(user, unit, DECIDERS)


def actions_visible_to(user: User | AnonymousUser) -> ActionQuerySet:
    return Action.objects.filter(unit__in=Unit.objects.visible_to(user))


def examples_visible_to(user: User | AnonymousUser) -> QuerySet[GoodExample]:
    """Good examples are for learning across units: every member of staff reads them all."""
    if not user.is_authenticated or not user.is_active:
        return GoodExample.objects.none()
    return GoodExample.objects.all()


def get_action_for_user(
    user: User | AnonymousUser, pk: int, *, write: bool = False, decide: bool = False
) -> Action:
    """The action `pk` if `user` may read it; with `write` they must be able to propose and
    update, with `decide` to decide. 404 when they may not read it, 403 when they may not
    change it."""
    action = Action.objects.select_related("unit", "responsible").filter(pk=pk).first()
    if action is None or not has_role_for(user, action.unit, READERS):
        raise Http404
    if write and not can_propose(user, action.unit):
        raise PermissionDenied
    if decide and not can_decide(user, action.unit):
        raise PermissionDenied
    return action


def get_example_for_user(
    user: User | AnonymousUser, pk: int, *, write: bool = False
) -> GoodExample:
    example = examples_visible_to(user).select_related("unit").filter(pk=pk).first()
    if example is None:
        raise Http404
    if write and not can_decide(user, example.unit):
        raise PermissionDenied
    return example
