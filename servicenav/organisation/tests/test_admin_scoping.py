"""The admin site is for administrators, and each sees only the units they administer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role, RoleAssignment, Unit
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def test_a_case_handler_is_kept_out_of_the_admin_site(client, tree):
    client.force_login(make_user(role=Role.CASE_HANDLER, unit=tree.kommun))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_unit_administrator_lists_only_the_units_they_administer(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.teknik))
    response = client.get(reverse("admin:organisation_unit_changelist"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Vatten" in content
    assert "Hemtjänst" not in content


def test_a_unit_administrator_cannot_open_another_units_unit(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.teknik))
    response = client.get(reverse("admin:organisation_unit_change", args=[tree.hemtjanst.pk]))
    assert response.status_code == 302  # Django's admin redirects away from unknown objects
    assert not response.url.endswith(f"/{tree.hemtjanst.pk}/change/")


def test_a_unit_administrator_cannot_manage_user_accounts(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.teknik))
    assert client.get(reverse("admin:organisation_user_changelist")).status_code == 403


def test_a_global_administrator_manages_user_accounts(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.kommun))
    assert client.get(reverse("admin:organisation_user_changelist")).status_code == 200


def test_adding_a_unit_in_the_admin_goes_through_the_service(client, tree):
    admin = make_user(role=Role.ADMINISTRATOR, unit=tree.teknik)
    client.force_login(admin)
    response = client.post(
        reverse("admin:organisation_unit_add"),
        {
            "parent": tree.teknik.pk,
            "kind": "verksamhet",
            "name_sv": "Park",
            "name_en": "Parks",
            "slug": "park",
            "contact_email": "park@example.org",
            "active": "on",
        },
    )
    assert response.status_code == 302
    park = Unit.objects.get(slug="park")
    assert park.path == f"{tree.teknik.path}{park.pk}/"
    assert AuditEntry.objects.filter(object_id=str(park.pk), actor=admin).exists()


def test_a_unit_administrator_cannot_add_a_top_unit(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.teknik))
    response = client.post(
        reverse("admin:organisation_unit_add"),
        {"kind": "kommun", "name_sv": "Ny", "name_en": "New", "slug": "ny", "active": "on"},
    )
    assert response.status_code == 200  # the form again, with an error
    assert not Unit.objects.filter(slug="ny").exists()


def test_moving_a_unit_below_itself_in_the_admin_shows_an_error(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.kommun))
    response = client.post(
        reverse("admin:organisation_unit_change", args=[tree.teknik.pk]),
        {
            "parent": tree.gata.pk,
            "kind": "forvaltning",
            "name_sv": "Teknik",
            "name_en": "Tech",
            "slug": tree.teknik.slug,
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert (
        "under sig själv" in response.content.decode()
        or "below itself" in response.content.decode()
    )
    tree.teknik.refresh_from_db()
    assert tree.teknik.parent == tree.kommun


def test_granting_a_role_in_the_admin_is_audited(client, tree):
    admin = make_user(role=Role.ADMINISTRATOR, unit=tree.teknik)
    member = make_user()
    client.force_login(admin)
    response = client.post(
        reverse("admin:organisation_roleassignment_add"),
        {"user": member.pk, "unit": tree.gata.pk, "role": "case_handler"},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=member, unit=tree.gata).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.GRANT, actor=admin).exists()


def test_a_unit_administrator_cannot_grant_roles_in_another_unit(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.teknik))
    member = make_user()
    response = client.post(
        reverse("admin:organisation_roleassignment_add"),
        {"user": member.pk, "unit": tree.hemtjanst.pk, "role": "administrator"},
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=member).exists()
