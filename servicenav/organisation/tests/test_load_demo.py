"""The demo data loads once, completely, and says it is demo data."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from servicenav.core.models import DemoDataset
from servicenav.organisation import demo
from servicenav.organisation.access import READERS, has_role_for
from servicenav.organisation.models import Role, Unit, User

pytestmark = pytest.mark.django_db


def test_demo_data_has_every_role_and_two_to_four_services_per_administration(capsys):
    call_command("load_demo", without_cases=True)
    root = Unit.objects.get(parent=None)
    administrations = root.children.all()
    assert root.name_sv == "Luleå kommun"
    assert all(2 <= administration.children.count() <= 4 for administration in administrations)
    roles = set(User.objects.values_list("role_assignments__role", flat=True))
    assert roles == set(Role.values)
    assert "servicenav-demo" in capsys.readouterr().out


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", without_cases=True)
    counts = (Unit.objects.count(), User.objects.count(), DemoDataset.objects.count())
    call_command("load_demo", without_cases=True)
    assert (Unit.objects.count(), User.objects.count(), DemoDataset.objects.count()) == counts


def test_the_demo_is_not_loaded_into_a_database_that_has_units(tree):
    call_command("load_demo", if_empty=True, without_cases=True)
    assert not User.objects.filter(username="admin").exists()


def test_the_demo_is_never_loaded_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo", without_cases=True)
    assert not Unit.objects.exists()


def test_demo_staff_of_one_unit_cannot_see_another(client):
    call_command("load_demo", without_cases=True)
    handler = User.objects.get(username="handlaggare2")
    assert not has_role_for(handler, Unit.objects.get(slug="gata-park"), READERS)
    assert demo.DEMO_PASSWORD


def test_every_page_shows_a_banner_while_demo_data_is_loaded(client):
    assert "demo-banner" not in client.get("/").content.decode()
    call_command("load_demo", without_cases=True)
    assert "demo-banner" in client.get("/").content.decode()
