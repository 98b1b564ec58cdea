"""API keys are made and revoked by global administrators in the admin (or by ops with a
command); the key is shown in clear text once and only its hash is kept; every change is
audited; a revoked key opens nothing.

A revoked key is refused with 401 on the REST API (tested here). Open311 POST answers a
revoked integrator key with 403, as GeoReport v2 prescribes for a bad api_key; that is
tested with the Open311 server."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse

from servicenav.api.models import KEY_PREFIX_LENGTH, ApiKey, hash_key
from servicenav.api.services import api_key_create
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

KEY_IN_MESSAGE = re.compile(r" ([A-Za-z0-9_-]{40,})\.")  # the key, in either language


@pytest.fixture
def global_admin(client, tree):
    admin = make_user(role=Role.ADMINISTRATOR, unit=tree.kommun)
    client.force_login(admin)
    return admin


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata, username="hedda")


def rest_status(client, key: str) -> int:
    headers = {"Authorization": f"Bearer {key}"}
    return int(client.get(reverse("rest:unit-list"), headers=headers).status_code)


def audit_of(api_key: ApiKey) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ApiKey), object_id=str(api_key.pk)
    )
    return list(entries.order_by("at", "id"))


def test_adding_a_key_in_the_admin_shows_it_once_and_keeps_only_its_hash(
    client, global_admin, handler
):
    response = client.post(
        reverse("admin:api_apikey_add"),
        {"name": "Hedda's planning tool", "user": handler.pk},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    keys = [match.group(1) for text in shown if (match := KEY_IN_MESSAGE.search(text))]
    api_key = ApiKey.objects.get()
    assert response.redirect_chain[0][1] == 302
    assert len(keys) == 1
    key = keys[0]
    assert key in response.content.decode()
    assert api_key.key_hash == hash_key(key)
    assert api_key.prefix == key[:KEY_PREFIX_LENGTH]
    assert api_key.user == handler
    assert key not in str(ApiKey.objects.values().get())
    again = client.get(reverse("admin:api_apikey_changelist")).content.decode()
    assert key not in again
    assert api_key.prefix in again
    assert rest_status(client, key) == 200


def test_adding_a_key_is_audited_with_the_administrator(client, global_admin, handler):
    client.post(reverse("admin:api_apikey_add"), {"name": "Verktyg", "user": handler.pk})
    [entry] = audit_of(ApiKey.objects.get())
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == global_admin


def test_an_integrator_key_is_added_without_a_user(client, global_admin):
    client.post(reverse("admin:api_apikey_add"), {"name": "E-tjänst Felanmälan"})
    api_key = ApiKey.objects.get()
    assert api_key.user is None
    assert api_key.name == "E-tjänst Felanmälan"


def test_revoking_in_the_admin_is_audited_and_the_key_is_refused(client, global_admin, handler):
    api_key, key = api_key_create(name="Verktyg", user=handler, by=None)
    response = client.post(
        reverse("admin:api_apikey_changelist"),
        {"action": "revoke", "_selected_action": [api_key.pk]},
    )
    api_key.refresh_from_db()
    revoked = audit_of(api_key)[-1]
    assert response.status_code == 302
    assert api_key.revoked_at is not None
    assert revoked.actor == global_admin
    assert revoked.changes == {"revoked": {"from": False, "to": True}}
    assert rest_status(client, key) == 401


def test_a_key_is_neither_edited_nor_deleted_in_the_admin(client, global_admin, handler):
    api_key, _key = api_key_create(name="Verktyg", user=handler, by=None)
    change = reverse("admin:api_apikey_change", args=[api_key.pk])
    edited = client.post(change, {"name": "Nytt namn", "user": global_admin.pk})
    deleted = client.post(reverse("admin:api_apikey_delete", args=[api_key.pk]), {"post": "yes"})
    api_key.refresh_from_db()
    assert edited.status_code == 403
    assert deleted.status_code == 403
    assert api_key.name == "Verktyg"
    assert client.get(change).status_code == 200  # still readable


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.QUALITY_COORDINATOR])
def test_only_global_administrators_manage_keys(client, tree, role):
    client.force_login(make_user(role=role, unit=tree.teknik))
    assert client.get(reverse("admin:api_apikey_changelist")).status_code in {302, 403}
    response = client.post(reverse("admin:api_apikey_add"), {"name": "Smuggel"})
    assert response.status_code in {302, 403}
    assert not ApiKey.objects.exists()


def test_the_command_prints_a_staff_token_once_and_alone(client, handler):
    out, err = StringIO(), StringIO()
    call_command("create_api_key", "--name", "Nattjobb", "--user", "hedda", stdout=out, stderr=err)
    key = out.getvalue().strip()
    api_key = ApiKey.objects.get()
    assert "\n" not in key
    assert api_key.key_hash == hash_key(key)
    assert api_key.user == handler
    assert key not in err.getvalue()
    assert audit_of(api_key)[0].actor is None  # made by the system, not a person
    assert rest_status(client, key) == 200


def test_the_command_makes_an_integrator_key_without_a_user(tree):
    out = StringIO()
    call_command("create_api_key", "--name", "E-tjänst", stdout=out, stderr=StringIO())
    assert ApiKey.objects.get().user is None
    assert ApiKey.objects.matching(out.getvalue().strip()) is not None


@pytest.mark.parametrize(("name", "user"), [("Jobb", "nobody"), ("   ", ""), ("x" * 101, "")])
def test_the_command_refuses_an_unknown_user_or_a_bad_name(handler, name, user):
    with pytest.raises(CommandError):
        call_command("create_api_key", "--name", name, "--user", user, stdout=StringIO())
    assert not ApiKey.objects.exists()


def test_the_command_refuses_a_deactivated_user(handler):
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        call_command("create_api_key", "--name", "Jobb", "--user", "hedda", stdout=StringIO())
