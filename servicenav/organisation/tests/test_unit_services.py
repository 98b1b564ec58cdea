"""Creating and moving units keeps the tree's paths true and leaves an audit trail."""

from __future__ import annotations

import pytest

from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Unit
from servicenav.organisation.services import unit_create, unit_update
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def test_a_new_unit_gets_a_path_below_its_parent(tree):
    assert tree.kommun.path == f"/{tree.kommun.pk}/"
    assert tree.gata.path == f"/{tree.kommun.pk}/{tree.teknik.pk}/{tree.gata.pk}/"
    assert tree.gata.depth == 2


def test_creating_a_unit_is_audited_with_its_fields(tree):
    admin = make_user(is_superuser=True)
    unit = unit_create(
        by=admin,
        kind=Unit.Kind.SERVICE,
        name_sv="Bad",
        name_en="Pools",
        slug="bad",
        parent=tree.kommun,
    )
    entry = AuditEntry.objects.get(object_id=str(unit.pk), action=AuditEntry.Action.CREATE)
    assert entry.actor == admin
    assert entry.unit == unit
    assert entry.changes["name_sv"] == {"from": None, "to": "Bad"}
    assert entry.changes["parent"]["to"] == str(tree.kommun)


def test_moving_a_unit_moves_its_whole_subtree(tree):
    unit_update(unit=tree.teknik, by=None, parent=tree.social)
    tree.gata.refresh_from_db()
    assert tree.teknik.path == f"{tree.social.path}{tree.teknik.pk}/"
    assert tree.gata.path == f"{tree.social.path}{tree.teknik.pk}/{tree.gata.pk}/"
    assert set(Unit.objects.within([tree.social])) == {
        tree.social,
        tree.hemtjanst,
        tree.teknik,
        tree.gata,
        tree.vatten,
    }


def test_moving_a_unit_to_the_top_makes_it_a_root(tree):
    unit_update(unit=tree.teknik, by=None, parent=None)
    tree.vatten.refresh_from_db()
    assert tree.teknik.path == f"/{tree.teknik.pk}/"
    assert tree.vatten.path == f"/{tree.teknik.pk}/{tree.vatten.pk}/"


def test_a_unit_cannot_be_moved_below_itself(tree):
    with pytest.raises(ValueError, match="below itself"):
        unit_update(unit=tree.teknik, by=None, parent=tree.gata)
    tree.teknik.refresh_from_db()
    assert tree.teknik.parent == tree.kommun


def test_changing_a_unit_records_only_what_changed(tree):
    user = make_user(is_superuser=True)
    unit_update(unit=tree.gata, by=user, name_sv="Gator", active=False)
    entry = AuditEntry.objects.get(object_id=str(tree.gata.pk), action=AuditEntry.Action.UPDATE)
    assert entry.changes == {
        "active": {"from": True, "to": False},
        "name_sv": {"from": "Gata", "to": "Gator"},
    }


def test_saving_a_unit_unchanged_records_nothing(tree):
    unit_update(unit=tree.gata, by=None, name_sv="Gata")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_unknown_fields_are_refused(tree):
    with pytest.raises(TypeError, match="path"):
        unit_update(unit=tree.gata, by=None, path="/1/")
