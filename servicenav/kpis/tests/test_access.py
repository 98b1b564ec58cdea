"""The gate of indicators: every role reads its units' indicators, only writers manage
them, others get a 404 so that an indicator's existence does not leak."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from servicenav.kpis.access import (
    can_manage,
    get_indicator_for_user,
    indicators_visible_to,
    is_quality_coordinator,
    managed_units,
)
from servicenav.kpis.services import indicator_create
from servicenav.organisation.models import Role
from servicenav.testing import make_user


def new_indicator(unit, code="svar"):
    return indicator_create(
        unit=unit,
        by=None,
        code=code,
        name_sv="Svar",
        name_en="Answers",
        kind="lead_time",
        definition_sv="Andel besvarade inom tio arbetsdagar.",
        source="manual",
        unit_of_measure="percent",
    )


@pytest.mark.parametrize(
    ("role", "manages"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.QUALITY_COORDINATOR, True),
        (Role.UNIT_MANAGER, True),
        (Role.CASE_HANDLER, False),
        (Role.VIEWER, False),
    ],
)
def test_writers_manage_and_everyone_with_a_role_reads(tree, role, manages):
    user = make_user(role=role, unit=tree.teknik)
    indicator = new_indicator(tree.gata)  # a unit below: the role covers it
    assert get_indicator_for_user(user, indicator.pk) == indicator
    assert can_manage(user, tree.gata) is manages
    if manages:
        assert get_indicator_for_user(user, indicator.pk, write=True) == indicator
    else:
        with pytest.raises(PermissionDenied):
            get_indicator_for_user(user, indicator.pk, write=True)


def test_staff_of_another_unit_anonymous_visitors_and_missing_indicators_get_404(tree):
    indicator = new_indicator(tree.gata)
    outsider = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social)
    for user in (outsider, AnonymousUser(), make_user()):
        for write in (False, True):
            with pytest.raises(Http404):
                get_indicator_for_user(user, indicator.pk, write=write)
    with pytest.raises(Http404):
        get_indicator_for_user(outsider, indicator.pk + 1000)


def test_a_role_below_the_owner_does_not_reach_up(tree):
    indicator = new_indicator(tree.teknik)
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.gata)
    with pytest.raises(Http404):
        get_indicator_for_user(manager, indicator.pk)
    assert not can_manage(manager, tree.teknik)


def test_an_inactive_account_is_an_outsider(tree):
    indicator = new_indicator(tree.gata)
    user = make_user(role=Role.UNIT_MANAGER, unit=tree.gata, is_active=False)
    with pytest.raises(Http404):
        get_indicator_for_user(user, indicator.pk)


def test_superusers_manage_everything(tree):
    indicator = new_indicator(tree.hemtjanst)
    root = make_user(is_superuser=True)
    assert get_indicator_for_user(root, indicator.pk, write=True) == indicator


def test_lists_hold_the_units_the_person_reads_and_manages(tree):
    on_gata, on_teknik = new_indicator(tree.gata, "a"), new_indicator(tree.teknik, "b")
    new_indicator(tree.social, "c")
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
    assert list(indicators_visible_to(handler)) == [on_gata]
    assert set(indicators_visible_to(coordinator)) == {on_gata, on_teknik}
    assert list(indicators_visible_to(AnonymousUser())) == []
    assert list(managed_units(handler)) == []
    assert set(managed_units(coordinator)) == {tree.teknik, tree.gata, tree.vatten}


def test_only_a_quality_coordinator_may_go_past_the_limit(tree):
    coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
    assert is_quality_coordinator(coordinator, tree.gata)
    assert not is_quality_coordinator(manager, tree.gata)
    assert not is_quality_coordinator(coordinator, tree.social)
