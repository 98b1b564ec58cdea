"""Who may use the network's workspace.

Network members and the quality coordinators and administrators of a top unit (the whole
municipality) read and write meetings, action items and reports; the chair, or such a
coordinator, adopts new versions of the directive. Everyone else signed in gets 403; a
meeting, action item or report that does not exist gets 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from servicenav.network.models import ActionItem, Meeting, Member, Report
from servicenav.organisation.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

COORDINATORS = frozenset({Role.QUALITY_COORDINATOR, Role.ADMINISTRATOR})
DIRECTIVE_WRITERS = frozenset({Role.QUALITY_COORDINATOR})


def _is_top_role(user: User | AnonymousUser, roles: frozenset[Role]) -> bool:
    # A top unit's path is "/<id>/": two slashes.
    if not isinstance(user, User):
        return False
    return any(path.count("/") == 2 for path in user.paths_with(roles))


def can_use_network(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or _is_top_role(user, COORDINATORS):
        return True
    return Member.objects.filter(user_id=user.pk).exists()


def can_edit_directive(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or _is_top_role(user, DIRECTIVE_WRITERS):
        return True
    return Member.objects.filter(user_id=user.pk, is_chair=True).exists()


def require_network(user: User | AnonymousUser) -> None:
    if not can_use_network(user):
        raise PermissionDenied


def get_meeting_for_user(user: User | AnonymousUser, pk: int) -> Meeting:
    require_network(user)
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def get_action_item_for_user(user: User | AnonymousUser, pk: int) -> ActionItem:
    require_network(user)
    item = ActionItem.objects.select_related("meeting", "owner").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def get_report_for_user(user: User | AnonymousUser, pk: int) -> Report:
    require_network(user)
    report = Report.objects.filter(pk=pk).first()
    if report is None:
        raise Http404
    return report
