"""Good examples can be edited with the form that creates them, by whoever may create one
for the example's unit; each change is audited, bad input changes nothing, and everyone
else is turned away."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from servicenav.core.models import AuditEntry
from servicenav.improvement.models import GoodExample
from servicenav.improvement.services import good_example_create, good_example_edit, theme_create
from servicenav.organisation.models import Role, ServiceValue
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(tree):
    """Decides for Social and everything under it."""
    return make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social)


@pytest.fixture
def example(tree, coordinator) -> GoodExample:
    return good_example_create(
        title="Öppet hus",
        text="Vi bjöd in anhöriga.",
        unit=tree.social,
        source_name="Grannkommunen",
        by=coordinator,
    )


def edit_url(example: GoodExample) -> str:
    with translation.override("en"):
        return reverse("improvement:example-edit", args=[example.pk])


def form_data(example: GoodExample, **changes) -> dict:
    data = {
        "title": example.title,
        "text": example.text,
        "result": example.result,
        "unit": example.unit_id,
        "source_name": example.source_name,
        "source_url": example.source_url,
    }
    return data | changes


def test_the_form_shows_the_example_and_saves_the_changes_with_an_audit_entry(
    client, tree, coordinator, example
):
    theme = theme_create(name_sv="Anhöriga", by=coordinator)
    value = ServiceValue.objects.create(code="respekt", name_sv="Respekt", name_en="Respect")
    client.force_login(coordinator)
    page = client.get(edit_url(example)).content.decode()
    assert "Edit the good example" in page
    assert 'value="Öppet hus"' in page

    data = form_data(
        example,
        title="Öppet hus varje månad",
        result="Fler anhöriga hör av sig.",
        unit=tree.hemtjanst.pk,
        themes=[theme.pk],
        values=[value.pk],
    )
    response = client.post(edit_url(example), data)
    assert response.status_code == 302

    example.refresh_from_db()
    assert example.title == "Öppet hus varje månad"
    assert example.result == "Fler anhöriga hör av sig."
    assert example.unit == tree.hemtjanst
    assert list(example.themes.all()) == [theme]
    assert list(example.values.all()) == [value]
    assert example.source == GoodExample.Source.EXTERNAL
    entry = AuditEntry.objects.filter(object_id=str(example.pk), action="update").get()
    assert entry.actor == coordinator
    assert entry.changes["title"] == {"from": "Öppet hus", "to": "Öppet hus varje månad"}
    # A unit is logged by its name in the editor's language (English here).
    assert entry.changes["unit"] == {"from": "Social (en)", "to": "Hemtjänst (en)"}
    assert entry.changes["themes"] == {"from": [], "to": ["Anhöriga"]}
    assert entry.changes["values"] == {"from": [], "to": ["respekt"]}


def test_saving_without_a_change_records_nothing_and_tags_not_given_stay(coordinator, example):
    theme = theme_create(name_sv="Anhöriga", by=coordinator)
    example.themes.set([theme])
    good_example_edit(example=example, by=coordinator, title="Öppet hus", unit=example.unit)
    assert not AuditEntry.objects.filter(object_id=str(example.pk), action="update").exists()
    assert list(example.themes.all()) == [theme]


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"text": "  "},
        {"source_url": "inte en länk"},
        {"source_name": "", "source_url": "https://example.org/oppet-hus"},
    ],
    ids=["no title", "no text", "bad link", "link without source"],
)
def test_bad_input_is_400_and_changes_nothing(client, coordinator, example, changes):
    client.force_login(coordinator)
    response = client.post(edit_url(example), form_data(example, **changes))
    assert response.status_code == 400
    example.refresh_from_db()
    assert (example.title, example.text, example.source_url) == (
        "Öppet hus",
        "Vi bjöd in anhöriga.",
        "",
    )


def test_only_those_who_may_create_one_for_its_unit_may_edit_it(client, tree, example):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.social)
    other = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
    for user in (handler, other):
        client.force_login(user)
        assert client.get(edit_url(example)).status_code == 403
        response = client.post(edit_url(example), form_data(example, title="Ändrad"))
        assert response.status_code == 403
    client.logout()
    assert client.get(edit_url(example)).status_code == 302  # to the login page
    example.refresh_from_db()
    assert example.title == "Öppet hus"
    with pytest.raises(PermissionDenied):
        good_example_edit(example=example, by=other, title="Ändrad")


def test_an_example_cannot_be_moved_to_a_unit_the_editor_does_not_decide_for(
    client, tree, coordinator, example
):
    client.force_login(coordinator)
    response = client.post(edit_url(example), form_data(example, unit=tree.gata.pk))
    assert response.status_code == 400
    with pytest.raises(PermissionDenied):
        good_example_edit(example=example, by=coordinator, unit=tree.gata)
    example.refresh_from_db()
    assert example.unit == tree.social


def test_a_missing_example_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("improvement:example-edit", args=[999999])).status_code == 404


def test_the_library_offers_editing_only_where_it_is_allowed(client, tree, coordinator, example):
    with translation.override("en"):
        url = reverse("improvement:examples")
    client.force_login(coordinator)
    assert edit_url(example) in client.get(url).content.decode()
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik))
    page = client.get(url).content.decode()
    assert "Öppet hus" in page
    assert edit_url(example) not in page
