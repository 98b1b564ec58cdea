"""An action goes proposed → decided → in progress → done; dropping needs a reason; only
coordinators, managers and administrators decide, complete, drop and publish."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from servicenav.core.models import AuditEntry
from servicenav.improvement.models import Action, ActionUpdate
from servicenav.improvement.services import (
    action_add_update,
    action_create,
    action_publish,
    action_set_status,
)
from servicenav.improvement.tests.factories import make_action
from servicenav.organisation.models import Role
from servicenav.testing import make_user

S = Action.Status


@pytest.fixture
def manager(tree):
    return make_user(role=Role.UNIT_MANAGER, unit=tree.gata)


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata)


def test_an_action_walks_through_every_state_and_records_dates(tree, manager, handler):
    action = action_create(unit=tree.gata, title="Skyltar", description="Nya skyltar.", by=handler)
    assert action.status == S.PROPOSED
    action_set_status(action=action, status=S.DECIDED, by=manager)
    action_set_status(action=action, status=S.IN_PROGRESS, by=handler)
    assert action.actual_start is not None
    action_set_status(action=action, status=S.DONE, outcome="Skyltarna sitter uppe.", by=manager)
    action.refresh_from_db()
    assert (action.status, action.progress, action.outcome) == (
        S.DONE,
        100,
        "Skyltarna sitter uppe.",
    )
    assert action.actual_end is not None
    action_set_status(action=action, status=S.IN_PROGRESS, by=manager)  # reopened
    entries = AuditEntry.objects.filter(object_id=str(action.pk), object_repr="Skyltar")
    assert entries.count() == 5


def test_dropping_needs_a_reason(tree, manager):
    action = make_action(unit=tree.gata)
    with pytest.raises(ValidationError) as error:
        action_set_status(action=action, status=S.DROPPED, reason="  ", by=manager)
    with translation.override("en"):
        assert "Say why the action is dropped." in str(error.value.messages)
    action.refresh_from_db()
    assert action.status == S.PROPOSED
    action_set_status(action=action, status=S.DROPPED, reason="Ingen budget.", by=manager)
    assert Action.objects.get(pk=action.pk).drop_reason == "Ingen budget."


def test_completing_needs_what_was_changed(tree, manager):
    action = make_action(unit=tree.gata)
    action_set_status(action=action, status=S.DECIDED, by=manager)
    action_set_status(action=action, status=S.IN_PROGRESS, by=manager)
    with pytest.raises(ValidationError):
        action_set_status(action=action, status=S.DONE, by=manager)


def test_a_step_the_state_does_not_allow_is_refused(tree, manager):
    action = make_action(unit=tree.gata)
    with pytest.raises(ValidationError):
        action_set_status(action=action, status=S.DONE, outcome="x", by=manager)


@pytest.mark.parametrize("status", [S.DECIDED, S.DROPPED])
def test_a_case_handler_may_not_decide_or_drop(tree, handler, status):
    action = make_action(unit=tree.gata)
    with pytest.raises(PermissionDenied):
        action_set_status(action=action, status=status, reason="x", by=handler)


def test_a_viewer_may_not_propose_and_staff_of_another_unit_may_not_update(tree):
    viewer = make_user(role=Role.VIEWER, unit=tree.gata)
    with pytest.raises(PermissionDenied):
        action_create(unit=tree.gata, title="x", description="y", by=viewer)
    outsider = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social)
    action = make_action(unit=tree.gata)
    with pytest.raises(PermissionDenied):
        action_add_update(action=action, text="Hej", by=outsider)


def test_updates_form_a_dated_timeline(tree, handler):
    action = make_action(unit=tree.gata)
    action_add_update(action=action, text="Beställt skyltar.", by=handler)
    with pytest.raises(ValidationError):
        action_add_update(action=action, text=" ", by=handler)
    assert list(ActionUpdate.objects.values_list("text", flat=True)) == ["Beställt skyltar."]


def test_only_a_done_action_is_published_and_only_by_a_decider(tree, manager, handler):
    action = make_action(unit=tree.gata)
    with pytest.raises(ValidationError):
        action_publish(action=action, text_sv="Vi gjorde.", by=manager)
    for status in (S.DECIDED, S.IN_PROGRESS):
        action_set_status(action=action, status=status, by=manager)
    action_set_status(action=action, status=S.DONE, outcome="Klart.", by=manager)
    with pytest.raises(PermissionDenied):
        action_publish(action=action, text_sv="Vi gjorde.", by=handler)
    action_publish(action=action, text_sv="Vi gjorde.", by=manager)
    assert action.is_published
    action_set_status(action=action, status=S.IN_PROGRESS, by=manager)
    assert not Action.objects.get(pk=action.pk).is_published
