"""Units and categories through the REST API: a key lists the units its owner holds a role
for (and those below them) and those units' categories, nothing of other units."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servicenav.api.services import api_key_create
from servicenav.cases.models import Category
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def get(client, tree):
    """GET as a case handler of Teknik (so Teknik, Gata and Vatten), with their key."""
    user = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
    _api_key, key = api_key_create(name="Planeringsverktyg", user=user, by=None)

    def request(name: str, **params: object):
        return client.get(reverse(name), params, headers={"Authorization": f"Bearer {key}"})

    return request


@pytest.fixture
def categories(tree) -> dict[str, Category]:
    return {
        "snow": Category.objects.create(unit=tree.gata, name_sv="Snöröjning", name_en="Snow"),
        "leak": Category.objects.create(unit=tree.vatten, name_sv="Läcka", name_en="Leak"),
        "food": Category.objects.create(unit=tree.hemtjanst, name_sv="Mat", name_en="Meals"),
    }


def test_the_units_are_those_the_owner_holds_a_role_for_and_below(get, tree):
    response = get("rest:unit-list")
    assert response.status_code == 200
    assert [unit["id"] for unit in response.json()] == [
        tree.teknik.pk,
        tree.gata.pk,
        tree.vatten.pk,
    ]


def test_a_unit_is_described_in_both_languages_with_its_parent(get, tree):
    tree.gata.contact_email = "gata@example.org"
    tree.gata.save(update_fields=["contact_email"])
    gata = next(unit for unit in get("rest:unit-list").json() if unit["id"] == tree.gata.pk)
    assert gata == {
        "id": tree.gata.pk,
        "name_sv": "Gata",
        "name_en": "Gata (en)",
        "kind": "verksamhet",
        "parent": tree.teknik.pk,
        "active": True,
        "contact_email": "gata@example.org",
    }


def test_the_categories_are_those_of_the_owners_units(get, categories):
    response = get("rest:category-list")
    assert response.status_code == 200
    assert {item["name_en"] for item in response.json()} == {"Snow", "Leak"}


def test_the_categories_narrow_to_one_unit(get, tree, categories):
    response = get("rest:category-list", unit=tree.vatten.pk)
    assert [item["id"] for item in response.json()] == [categories["leak"].pk]
    assert response.json()[0]["unit"] == tree.vatten.pk


@pytest.mark.parametrize("unit", ["hemtjanst", "not-a-number"])
def test_asking_for_another_units_categories_is_refused(get, tree, categories, unit):
    value = getattr(tree, unit).pk if hasattr(tree, unit) else unit
    response = get("rest:category-list", unit=value)
    assert response.status_code == 400
    assert "unit" in response.json()


def test_a_staff_member_without_a_role_sees_no_units_or_categories(client, categories):
    _api_key, key = api_key_create(name="Ny", user=make_user(), by=None)
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get(reverse("rest:unit-list"), headers=headers).json() == []
    assert client.get(reverse("rest:category-list"), headers=headers).json() == []


@pytest.mark.parametrize("name", ["rest:unit-list", "rest:category-list"])
def test_units_and_categories_need_a_key(client, tree, name):
    assert client.get(reverse(name)).status_code == 401
