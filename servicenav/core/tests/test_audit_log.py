"""The audit log records who changed what, and shows it only to those who may read it."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from servicenav.core.audit import audit_record, field_changes, snapshot
from servicenav.core.models import AuditEntry, ClosedDay
from servicenav.organisation.models import Role, Unit
from servicenav.organisation.services import unit_update
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def test_field_changes_lists_only_differing_fields():
    assert field_changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {
        "b": {"from": 2, "to": 3}
    }


def test_a_snapshot_names_related_objects_and_keeps_plain_values(tree):
    assert snapshot(tree.gata, ["parent", "active", "name_sv"]) == {
        "parent": "Teknik",
        "active": True,
        "name_sv": "Gata",
    }


def test_an_entry_records_actor_object_unit_and_changes(tree):
    actor = make_user(username="alva")
    entry = audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=tree.gata,
        unit=tree.gata,
        changes={"name_sv": {"from": "a", "to": "b"}},
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name, entry.object_repr) == (actor, "alva", "Gata")
    assert entry.content_type == ContentType.objects.get_for_model(Unit)
    assert entry.object_id == str(tree.gata.pk)


def test_an_entry_keeps_the_actors_name_after_the_account_is_deleted(tree):
    actor = make_user(username="borta")
    entry = audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=tree.gata)
    actor.delete()
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name) == (None, "borta")


def _entries_for(tree):
    gata = audit_record(actor=None, action="update", obj=tree.gata, unit=tree.gata)
    hemtjanst = audit_record(actor=None, action="update", obj=tree.hemtjanst, unit=tree.hemtjanst)
    closed = ClosedDay.objects.create(date=date(2026, 5, 15), reason="Klämdag")
    global_entry = audit_record(actor=None, action="create", obj=closed)
    return gata, hemtjanst, global_entry


@pytest.mark.parametrize(
    ("make", "visible"),
    [
        (lambda tree: AnonymousUser(), set()),
        (lambda tree: make_user(role=Role.UNIT_MANAGER, unit=tree.kommun, is_active=False), set()),
        (lambda tree: make_user(role=Role.CASE_HANDLER, unit=tree.kommun), set()),
        (lambda tree: make_user(role=Role.UNIT_MANAGER, unit=tree.teknik), {"gata"}),
        (lambda tree: make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social), {"hemtjanst"}),
        (lambda tree: make_user(role=Role.ADMINISTRATOR, unit=tree.teknik), {"gata"}),
        (
            lambda tree: make_user(role=Role.ADMINISTRATOR, unit=tree.kommun),
            {"gata", "hemtjanst", "global"},
        ),
        (lambda tree: make_user(is_superuser=True), {"gata", "hemtjanst", "global"}),
    ],
    ids=[
        "anonymous",
        "inactive",
        "case-handler",
        "unit-manager",
        "coordinator-elsewhere",
        "sub-administrator",
        "top-administrator",
        "superuser",
    ],
)
def test_who_reads_which_audit_entries(tree, make, visible):
    gata, hemtjanst, global_entry = _entries_for(tree)
    names = {gata.pk: "gata", hemtjanst.pk: "hemtjanst", global_entry.pk: "global"}
    entries = AuditEntry.objects.visible_to(make(tree)).filter(pk__in=names)
    seen = {names[entry.pk] for entry in entries}
    assert seen == visible


def test_the_audit_page_filters_by_object(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.kommun))
    unit_update(unit=tree.gata, by=None, name_sv="Gatuenheten ny")
    unit_update(unit=tree.vatten, by=None, name_sv="Vattenenheten ny")
    unit_type = ContentType.objects.get_for_model(Unit)
    response = client.get(
        reverse("core:audit-log"), {"object_type": unit_type.pk, "object_id": tree.gata.pk}
    )
    content = response.content.decode()
    assert "Gatuenheten ny" in content
    assert "Vattenenheten ny" not in content


def test_the_audit_page_filters_by_person(client, tree):
    viewer = make_user(role=Role.ADMINISTRATOR, unit=tree.kommun)
    alva, bo = make_user(username="alva"), make_user(username="bo")
    unit_update(unit=tree.gata, by=alva, name_sv="Ändrad av Alva")
    unit_update(unit=tree.vatten, by=bo, name_sv="Ändrad av Bo")
    client.force_login(viewer)
    content = client.get(reverse("core:audit-log"), {"person": alva.pk}).content.decode()
    assert "Ändrad av Alva" in content
    assert "Ändrad av Bo" not in content


def test_the_audit_page_hides_another_units_changes(client, tree):
    unit_update(unit=tree.hemtjanst, by=None, name_sv="Hemlig ändring")
    unit_update(unit=tree.gata, by=None, name_sv="Synlig ändring")
    client.force_login(make_user(role=Role.UNIT_MANAGER, unit=tree.teknik))
    content = client.get(reverse("core:audit-log")).content.decode()
    assert "Synlig ändring" in content
    assert "Hemlig ändring" not in content


def test_a_bad_filter_shows_a_message_and_no_error(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.kommun))
    response = client.get(reverse("core:audit-log"), {"person": "not-a-number", "sida": "x"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_the_audit_page_needs_a_login(client, db):
    response = client.get(reverse("core:audit-log"))
    assert response.status_code == 302


def test_the_audit_page_costs_the_same_queries_for_many_entries(
    client, tree, django_assert_max_num_queries
):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.kommun))
    for number in range(40):
        unit_update(unit=tree.gata, by=None, name_sv=f"Namn {number}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:audit-log"))
    assert "Namn 39" in response.content.decode()
