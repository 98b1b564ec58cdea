"""The network in the admin site: global administrators read it; meetings' texts can be
corrected through the audited service; final reports, directive versions, members and
sent reminders cannot be changed there, and only a draft report can be deleted."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from servicenav.core.models import AuditEntry
from servicenav.core.periods import Period
from servicenav.network.models import ActionReminder, Report
from servicenav.network.services import (
    action_item_add,
    directive_adopt,
    meeting_create,
    report_create,
)
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin_user(client, tree):
    user = make_user(role=Role.ADMINISTRATOR, unit=tree.kommun)
    client.force_login(user)
    return user


def final_report() -> Report:
    report = report_create(period=Period.parse("2026-T1"), by=None, today=TODAY)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.FINAL, summary="Klar")
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(
    "model", ["member", "directiveversion", "meeting", "actionitem", "actionreminder", "report"]
)
def test_a_global_administrator_reads_every_list(client, people, admin_user, model):
    meeting = meeting_create(held_on=TODAY, agenda="Dagordning", by=None)
    item = action_item_add(meeting=meeting, text="Gör", owner=people.chair, due_on=TODAY, by=None)
    ActionReminder.objects.create(item=item, stage="due")
    directive_adopt(text="Direktiv", adopted_on=TODAY, adopted_by="Ledningsgruppen", by=None)
    final_report()
    response = client.get(reverse(f"admin:network_{model}_changelist"))
    assert response.status_code == 200


def test_a_unit_administrator_does_not_see_the_network(client, tree):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.teknik))
    assert client.get(reverse("admin:network_report_changelist")).status_code == 403


def test_a_final_report_cannot_be_changed_or_deleted(client, admin_user):
    report = final_report()
    change = reverse("admin:network_report_change", args=[report.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="summary"' not in page.content.decode()
    assert client.post(change, {"summary": "Ändrad"}).status_code == 403
    delete = reverse("admin:network_report_delete", args=[report.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:network_report_add"), {"period": "2025"}).status_code == 403
    report.refresh_from_db()
    assert report.summary == "Klar"


def test_a_draft_report_can_be_deleted_and_that_is_audited(client, admin_user):
    report = report_create(period=Period.parse("2025-T3"), by=None, today=TODAY)
    delete = reverse("admin:network_report_delete", args=[report.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Report.objects.exists()
    assert AuditEntry.objects.filter(
        action="delete", object_id=str(report.pk), actor=admin_user
    ).exists()


def test_sent_reminders_and_directive_versions_are_read_only(client, people, admin_user):
    meeting = meeting_create(held_on=TODAY, agenda="Dagordning", by=None)
    item = action_item_add(meeting=meeting, text="Gör", owner=people.chair, due_on=TODAY, by=None)
    reminder = ActionReminder.objects.create(item=item, stage="due")
    version = directive_adopt(text="Text", adopted_on=TODAY, adopted_by="Ledningen", by=None)
    for model, pk in (("actionreminder", reminder.pk), ("directiveversion", version.pk)):
        change = reverse(f"admin:network_{model}_change", args=[pk])
        assert client.post(change, {"stage": "overdue", "text": "Ny"}).status_code == 403
        delete = reverse(f"admin:network_{model}_delete", args=[pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    reminder.refresh_from_db()
    version.refresh_from_db()
    assert (reminder.stage, version.text) == ("due", "Text")


def test_a_meetings_minutes_are_corrected_through_the_audited_service(client, admin_user):
    meeting = meeting_create(held_on=TODAY, agenda="Dagordning", by=None)
    change = reverse("admin:network_meeting_change", args=[meeting.pk])
    data = {
        "held_on": "2026-06-01",
        "agenda": "Dagordning",
        "minutes": "Rättat protokoll",
        "decisions-TOTAL_FORMS": "0",
        "decisions-INITIAL_FORMS": "0",
        "action_items-TOTAL_FORMS": "0",
        "action_items-INITIAL_FORMS": "0",
    }
    assert client.post(change, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Rättat protokoll"
    entry = AuditEntry.objects.get(action="update", object_id=str(meeting.pk))
    assert entry.actor == admin_user
    assert entry.changes == {"minutes": {"from": "", "to": "Rättat protokoll"}}
