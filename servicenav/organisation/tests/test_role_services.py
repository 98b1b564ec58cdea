"""Granting and revoking roles is idempotent, audited and seen at once."""

from __future__ import annotations

import pytest

from servicenav.core.models import AuditEntry
from servicenav.organisation.access import READERS, has_role_for
from servicenav.organisation.models import Role, RoleAssignment
from servicenav.organisation.services import role_grant, role_revoke
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def test_granting_a_role_twice_keeps_one_assignment_and_one_audit_entry(tree):
    user, admin = make_user(), make_user(is_superuser=True)
    role_grant(user=user, unit=tree.gata, role=Role.CASE_HANDLER, by=admin)
    role_grant(user=user, unit=tree.gata, role=Role.CASE_HANDLER, by=admin)
    assert RoleAssignment.objects.filter(user=user).count() == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.GRANT, object_id=str(user.pk))
    assert (entry.actor, entry.unit) == (admin, tree.gata)
    assert entry.changes["role"] == {"from": None, "to": "case_handler"}


def test_one_user_can_hold_several_roles(tree):
    user = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    role_grant(user=user, unit=tree.social, role=Role.VIEWER, by=None)
    assert has_role_for(user, tree.hemtjanst, READERS)
    assert has_role_for(user, tree.gata, {Role.CASE_HANDLER})
    assert not has_role_for(user, tree.hemtjanst, {Role.CASE_HANDLER})


def test_a_granted_role_counts_at_once_for_the_same_user_object(tree):
    user = make_user()
    assert not has_role_for(user, tree.gata, READERS)
    role_grant(user=user, unit=tree.gata, role=Role.VIEWER, by=None)
    assert has_role_for(user, tree.gata, READERS)


def test_revoking_a_role_removes_access_and_is_audited(tree):
    user = make_user(role=Role.VIEWER, unit=tree.gata)
    assert has_role_for(user, tree.gata, READERS)
    role_revoke(assignment=user.role_assignments.get(), by=None)
    assert not has_role_for(user, tree.gata, READERS)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVOKE)
    assert entry.actor is None
    assert entry.changes["role"] == {"from": "viewer", "to": None}
