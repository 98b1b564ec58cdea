"""The staff pages show a person their roles and units, and nothing of other units."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servicenav.organisation.models import Role
from servicenav.testing import make_unit, make_user

pytestmark = pytest.mark.django_db


def test_staff_pages_send_anonymous_visitors_to_login(client, tree):
    response = client.get(reverse("organisation:unit-detail", args=[tree.gata.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_staff_home_lists_the_users_roles_and_visible_units(client, tree):
    user = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
    client.force_login(user)
    response = client.get(reverse("organisation:staff-home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Handläggare – Teknik" in content or "handläggare – Teknik" in content.lower()
    assert "Vatten" in content
    assert "Hemtjänst" not in content


def test_the_staff_home_costs_the_same_queries_for_many_units(
    client, tree, django_assert_max_num_queries
):
    user = make_user(role=Role.VIEWER, unit=tree.kommun)
    for number in range(30):
        make_unit(parent=tree.social, name=f"Extra {number}")
    client.force_login(user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("organisation:staff-home"))
    assert "Extra 29" in response.content.decode()


def test_a_unit_page_shows_its_staff_to_staff_of_the_unit(client, tree):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Hedda")
    client.force_login(make_user(role=Role.VIEWER, unit=tree.teknik))
    response = client.get(reverse("organisation:unit-detail", args=[tree.gata.pk]))
    assert response.status_code == 200
    assert str(handler) in response.content.decode()


def test_staff_of_another_unit_get_not_found_for_a_unit_page(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.social))
    response = client.get(reverse("organisation:unit-detail", args=[tree.gata.pk]))
    assert response.status_code == 404


def test_the_english_staff_pages_show_english_unit_names(client, tree):
    client.force_login(make_user(role=Role.VIEWER, unit=tree.teknik))
    response = client.get("/en" + reverse("organisation:unit-detail", args=[tree.gata.pk]))
    assert "<h1>Gata (en)</h1>" in response.content.decode()
