"""Who may see and run which surveys.

Anyone with a role for the unit reads its surveys and their analysis in the staff pages;
quality coordinators, unit managers and administrators run them (rounds, invitations,
paper answers, tagging, conclusions, focus groups). Respondents need no account: the
round's link or an invitation code is their way in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from servicenav.organisation.access import READERS, has_role_for
from servicenav.organisation.models import Role, Unit
from servicenav.surveys.models import Round, Survey

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from servicenav.organisation.models import User

RUNNERS = frozenset({Role.QUALITY_COORDINATOR, Role.UNIT_MANAGER, Role.ADMINISTRATOR})


def can_run(user: User | AnonymousUser, unit: Unit) -> bool:
    return has_role_for(user, unit, RUNNERS)


def surveys_visible_to(user: User | AnonymousUser) -> QuerySet[Survey]:
    return Survey.objects.filter(unit__in=Unit.objects.visible_to(user))


def get_survey_for_user(user: User | AnonymousUser, pk: int, *, write: bool = False) -> Survey:
    """The survey `pk` if `user` may read it (and run it, with `write`): 404 when they may
    not read it, 403 when they may read but not run it."""
    survey = Survey.objects.select_related("unit").filter(pk=pk).first()
    if survey is None or not has_role_for(user, survey.unit, READERS):
        raise Http404
    if write and not can_run(user, survey.unit):
        raise PermissionDenied
    return survey


def get_round_for_user(user: User | AnonymousUser, pk: int, *, write: bool = False) -> Round:
    """The round `pk` through its survey's gate: 404 when the person may not read the
    survey, 403 when they may read but not run it and `write` is asked for."""
    round = Round.objects.filter(pk=pk).first()
    if round is None:
        raise Http404
    round.survey = get_survey_for_user(user, round.survey_id, write=write)
    return round
