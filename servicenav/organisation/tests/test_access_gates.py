"""Every branch of the organisation's access gates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from servicenav.organisation.access import (
    READERS,
    UNIT_ADMINISTRATORS,
    get_unit_for_user,
    has_role_for,
    is_administrator,
    is_global_administrator,
)
from servicenav.organisation.models import Role, Unit
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_hold_no_role_anywhere(tree):
    assert not has_role_for(AnonymousUser(), tree.gata, READERS)


def test_an_inactive_user_holds_no_role_even_with_assignments(tree):
    user = make_user(role=Role.ADMINISTRATOR, unit=tree.kommun, is_active=False)
    assert not has_role_for(user, tree.gata, READERS)


def test_a_superuser_holds_every_role_everywhere(tree):
    assert has_role_for(make_user(is_superuser=True), tree.hemtjanst, UNIT_ADMINISTRATORS)


def test_a_role_covers_the_unit_and_everything_below_it(tree):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
    assert has_role_for(handler, tree.teknik, READERS)
    assert has_role_for(handler, tree.gata, READERS)


def test_a_role_does_not_cover_the_unit_above_or_a_sibling(tree):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
    assert not has_role_for(handler, tree.kommun, READERS)
    assert not has_role_for(handler, tree.social, READERS)
    assert not has_role_for(handler, tree.hemtjanst, READERS)


def test_a_role_of_another_kind_does_not_count(tree):
    viewer = make_user(role=Role.VIEWER, unit=tree.kommun)
    assert not has_role_for(viewer, tree.gata, UNIT_ADMINISTRATORS)


def test_a_unit_whose_id_starts_like_another_is_not_inside_it(tree):
    # Paths end in "/" so that unit 1 does not contain unit 12.
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    lookalike = Unit(path=tree.gata.path.rstrip("/") + "9/")
    assert not has_role_for(handler, lookalike, READERS)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tree: AnonymousUser(), False),
        (lambda tree: make_user(role=Role.ADMINISTRATOR, unit=tree.gata, is_active=False), False),
        (lambda tree: make_user(is_superuser=True), True),
        (lambda tree: make_user(role=Role.ADMINISTRATOR, unit=tree.gata), True),
        (lambda tree: make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun), False),
    ],
    ids=["anonymous", "inactive", "superuser", "unit-administrator", "coordinator"],
)
def test_who_counts_as_an_administrator(tree, make, expected):
    assert is_administrator(make(tree)) is expected


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tree: AnonymousUser(), False),
        (lambda tree: make_user(role=Role.ADMINISTRATOR, unit=tree.kommun, is_active=False), False),
        (lambda tree: make_user(is_superuser=True), True),
        (lambda tree: make_user(role=Role.ADMINISTRATOR, unit=tree.kommun), True),
        (lambda tree: make_user(role=Role.ADMINISTRATOR, unit=tree.teknik), False),
        (lambda tree: make_user(role=Role.VIEWER, unit=tree.kommun), False),
    ],
    ids=["anonymous", "inactive", "superuser", "top-administrator", "sub-administrator", "viewer"],
)
def test_who_counts_as_a_global_administrator(tree, make, expected):
    assert is_global_administrator(make(tree)) is expected


def test_the_unit_gate_gives_a_readable_unit(tree):
    viewer = make_user(role=Role.VIEWER, unit=tree.teknik)
    assert get_unit_for_user(viewer, tree.gata.pk) == tree.gata


def test_the_unit_gate_hides_another_units_unit_as_not_found(tree):
    outsider = make_user(role=Role.ADMINISTRATOR, unit=tree.social)
    with pytest.raises(Http404):
        get_unit_for_user(outsider, tree.gata.pk)


def test_the_unit_gate_answers_not_found_for_a_missing_unit(tree):
    admin = make_user(is_superuser=True)
    with pytest.raises(Http404):
        get_unit_for_user(admin, 999_999)


def test_the_unit_gate_hides_units_from_anonymous_visitors(tree):
    with pytest.raises(Http404):
        get_unit_for_user(AnonymousUser(), tree.gata.pk)


def test_the_unit_gate_refuses_changes_to_a_reader(tree):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    with pytest.raises(PermissionDenied):
        get_unit_for_user(handler, tree.gata.pk, write=True)


def test_the_unit_gate_allows_changes_to_an_administrator_above(tree):
    admin = make_user(role=Role.ADMINISTRATOR, unit=tree.teknik)
    assert get_unit_for_user(admin, tree.gata.pk, write=True) == tree.gata


def test_visible_units_are_the_subtrees_of_the_users_roles(tree):
    user = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
    make_user(role=Role.VIEWER, unit=tree.hemtjanst)  # someone else's role must not count
    assert set(Unit.objects.visible_to(user)) == {tree.teknik, tree.gata, tree.vatten}


def test_visible_units_can_be_narrowed_to_some_roles(tree):
    user = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
    assert set(Unit.objects.visible_to(user, UNIT_ADMINISTRATORS)) == set()


def test_anonymous_and_inactive_users_see_no_units(tree):
    inactive = make_user(role=Role.VIEWER, unit=tree.kommun, is_active=False)
    assert not Unit.objects.visible_to(AnonymousUser()).exists()
    assert not Unit.objects.visible_to(inactive).exists()


def test_a_superuser_sees_every_unit(tree):
    assert Unit.objects.visible_to(make_user(is_superuser=True)).count() == 6


def test_role_lookups_cost_one_query_per_user_object(tree, django_assert_num_queries):
    user = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
    user.__dict__.pop("role_paths", None)
    with django_assert_num_queries(1):
        has_role_for(user, tree.gata, READERS)
        has_role_for(user, tree.vatten, READERS)
        is_administrator(user)
