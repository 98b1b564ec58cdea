"""Improvement in the admin site: administrators read the actions and good examples of the
units they administer and nothing else; the notices sent to citizens and the actions
cannot be changed there; a good example can be deleted, and that is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from servicenav.core.models import AuditEntry
from servicenav.improvement.models import ActionNotification, GoodExample, Theme
from servicenav.improvement.services import good_example_create
from servicenav.improvement.tests.factories import make_action
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def teknik_admin(client, tree):
    user = make_user(role=Role.ADMINISTRATOR, unit=tree.teknik)
    client.force_login(user)
    return user


def test_an_administrator_sees_only_their_units_actions_examples_and_notices(
    client, tree, teknik_admin
):
    for unit, title in ((tree.gata, "Skyltar vid gatan"), (tree.hemtjanst, "Nycklar hemma")):
        action = make_action(unit=unit, title=title)
        ActionNotification.objects.create(action=action, address_hash="a" * 64)
        good_example_create(title=f"Exempel: {title}", text="Gjort.", unit=unit, by=None)
    for model in ("action", "goodexample", "actionnotification"):
        page = client.get(reverse(f"admin:improvement_{model}_changelist")).content.decode()
        assert "Skyltar vid gatan" in page
        assert "Nycklar hemma" not in page


def test_actions_and_notices_cannot_be_changed_or_deleted(client, tree, teknik_admin):
    action = make_action(unit=tree.gata)
    notice = ActionNotification.objects.create(action=action, address_hash="b" * 64)
    for model, pk in (("action", action.pk), ("actionnotification", notice.pk)):
        assert (
            client.get(reverse(f"admin:improvement_{model}_change", args=[pk])).status_code == 200
        )
        change = reverse(f"admin:improvement_{model}_change", args=[pk])
        assert client.post(change, {"title": "Ändrad"}).status_code == 403
        delete = reverse(f"admin:improvement_{model}_delete", args=[pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    action.refresh_from_db()
    assert action.title == "Bättre skyltning"
    assert ActionNotification.objects.filter(pk=notice.pk).exists()


def test_a_good_example_can_be_deleted_and_that_is_audited(client, tree, teknik_admin):
    example = good_example_create(title="Lånat", text="Gjort.", unit=tree.gata, by=None)
    delete = reverse("admin:improvement_goodexample_delete", args=[example.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not GoodExample.objects.exists()
    assert AuditEntry.objects.filter(
        action="delete", object_id=str(example.pk), actor=teknik_admin
    ).exists()


def test_the_shared_themes_are_kept_by_global_administrators(client, tree, teknik_admin):
    assert client.get(reverse("admin:improvement_theme_changelist")).status_code == 403
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.kommun))
    response = client.post(
        reverse("admin:improvement_theme_add"),
        {"name_sv": "Bemötande", "name_en": "Treatment", "active": "on"},
    )
    assert response.status_code == 302
    theme = Theme.objects.get()
    assert AuditEntry.objects.filter(action="create", object_id=str(theme.pk)).exists()
    response = client.post(
        reverse("admin:improvement_theme_add"), {"name_sv": "bemötande ", "active": "on"}
    )
    assert response.status_code == 200
    assert "That theme is already on the list." in response.content.decode()
    assert Theme.objects.count() == 1
