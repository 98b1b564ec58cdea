"""Who may see and handle which cases.

Staff see the cases of the units where they hold any role (a role covers the unit and
everything below it); they handle them with a handling role. Cases not yet routed to a
unit wait in the triage queue, which quality coordinators and administrators of a top
unit see. Everything else answers 404, so a case's existence does not leak.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from servicenav.cases.models import Case, hash_follow_up_code
from servicenav.organisation.access import has_role_for
from servicenav.organisation.models import Role, Unit

if TYPE_CHECKING:
    from collections.abc import Collection

    from django.contrib.auth.models import AnonymousUser

    from servicenav.organisation.models import User

HANDLERS = frozenset(
    {Role.CASE_HANDLER, Role.UNIT_MANAGER, Role.QUALITY_COORDINATOR, Role.ADMINISTRATOR}
)
TRIAGERS = frozenset({Role.QUALITY_COORDINATOR, Role.ADMINISTRATOR})
# What a citizen may type as a reference; anything else is not looked up at all.
REFERENCE_SHAPE = re.compile(r"[A-Z0-9-]{1,20}")


def can_triage(user: User | AnonymousUser) -> bool:
    """True for those who route cases that came in without a unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(path.count("/") == 2 for path in user.paths_with(TRIAGERS))


def can_register(user: User | AnonymousUser) -> bool:
    """True for those who may register feedback that came by other channels: those who
    triage and those who may handle cases of an active unit."""
    return can_triage(user) or Unit.objects.visible_to(user, HANDLERS).active().exists()


def case_visibility(user: User | AnonymousUser) -> Q:
    """The condition on cases that `user` may read."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    visible = Q(unit__in=Unit.objects.visible_to(user))
    if can_triage(user):
        visible |= Q(unit__isnull=True)
    return visible


def can_handle(user: User | AnonymousUser, case: Case) -> bool:
    if case.unit is None:
        return can_triage(user)
    return has_role_for(user, case.unit, HANDLERS)


def get_case_for_user(user: User | AnonymousUser, pk: int, *, write: bool = False) -> Case:
    """The case `pk` if `user` may read it (and handle it, with `write`)."""
    case = (
        Case.objects.visible_to(user)
        .select_related("unit", "category", "assigned_to")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    if write and not can_handle(user, case):
        raise PermissionDenied
    return case


def get_case_for_citizen(
    reference: str, *, code: str = "", link: str = "", granted: Collection[str] = ()
) -> Case | None:
    """The case `reference` when the citizen has shown they may follow it: with its
    follow-up code, with the signed link from their e-mail, or with either earlier in this
    session (`granted`, the references the session has been shown). None otherwise, alike
    for a wrong code and for a reference that does not exist."""
    from servicenav.cases.services import citizen_link_matches

    reference = reference.strip().upper()
    case = None
    if REFERENCE_SHAPE.fullmatch(reference):
        case = Case.objects.select_related("unit").filter(reference=reference).first()
    if case is None:
        hash_follow_up_code(code)  # the same work as a wrong code, so timing tells nothing
        return None
    if (
        reference in granted
        or (code and case.follow_up_code_matches(code))
        or (link and citizen_link_matches(case, link))
    ):
        return case
    return None
