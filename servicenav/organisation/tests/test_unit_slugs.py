"""A unit's short name is the address of its public page (/sa-gar-det/<slug>/), so a name
another public page has there ("jamfor", the comparison page) is refused, in the service
and in the admin alike, with a message that says why."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from servicenav.organisation.models import Role, Unit
from servicenav.organisation.services import RESERVED_SLUGS, unit_create, unit_update
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_pages_beside_the_unit_pages_have_reserved_addresses():
    overview = reverse("public:overview")
    compare = reverse("public:compare")
    assert compare.startswith(overview)
    assert compare.removeprefix(overview).strip("/") in RESERVED_SLUGS


@pytest.mark.parametrize("slug", ["jamfor", "Jamfor"])
def test_a_unit_cannot_be_created_with_a_reserved_short_name(tree, slug):
    with pytest.raises(ValidationError) as raised:
        unit_create(by=None, kind=Unit.Kind.SERVICE, name_sv="J", name_en="J", slug=slug)
    assert raised.value.code == "reserved"
    assert slug in raised.value.messages[0]
    assert not Unit.objects.filter(slug=slug).exists()


def test_a_unit_cannot_be_renamed_to_a_reserved_short_name(tree):
    with pytest.raises(ValidationError):
        unit_update(unit=tree.gata, by=None, slug="jamfor")
    tree.gata.refresh_from_db()
    assert tree.gata.slug != "jamfor"


def test_a_short_name_that_only_contains_a_reserved_one_is_allowed(tree):
    unit = unit_create(
        by=None, kind=Unit.Kind.SERVICE, name_sv="J", name_en="J", slug="jamfor-priser"
    )
    assert unit.slug == "jamfor-priser"


def test_the_admin_shows_why_a_reserved_short_name_is_refused(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.teknik))
    response = client.post(
        reverse("admin:organisation_unit_add"),
        {
            "parent": tree.teknik.pk,
            "kind": "verksamhet",
            "name_sv": "Jämför",
            "name_en": "Compare",
            "slug": "jamfor",
            "active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the error at the short name
    assert response.context["adminform"].form.has_error("slug", code="reserved")
    assert not Unit.objects.filter(slug="jamfor").exists()
