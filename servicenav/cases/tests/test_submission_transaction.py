"""A new case is one transaction: the case, its history, the audit entry, the queued
acknowledgement and its delivery task commit together, once (the web form's session, with
the receipt in it, is saved after the view, as every session is). The year's reference
number is taken last, has no gaps, and a rolled-back case leaves nothing behind."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicenav.api.open311.testing import make_integrator_key, make_service
from servicenav.cases.models import Case, Kind
from servicenav.core.models import OutgoingEmail
from servicenav.kpis.models import StaleUnit
from servicenav.testing import make_case

pytestmark = pytest.mark.django_db(transaction=True)

SUBMIT = reverse("cases:submit")
RECEIPT = reverse("cases:receipt")
OPEN311 = "/open311/v2/requests.json"
DELIVER = "servicenav.core.tasks.deliver_email"
CITIZEN = "kim@example.org"
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def gata(tree):
    """Gata with its KPI row already marked stale, as after its first case: a case then
    queues no recomputation, which would be a write of its own after the commit."""
    StaleUnit.objects.create(unit=tree.gata, since=timezone.localdate())
    return tree.gata


def feedback(unit_pk: int) -> dict[str, Any]:
    return {
        "kind": Kind.COMPLAINT,
        "unit": unit_pk,
        "text": "Gatlyktan vid busshållplatsen har varit släckt i en vecka.",
        "contact": "answer",
        "name": "Kim Berg",
        "email": CITIZEN,
        "submission_token": str(uuid.uuid4()),
    }


def transactions(captured: CaptureQueriesContext) -> tuple[int, list[str]]:
    """The number of commits, and every write made outside a transaction."""
    commits, inside, outside = 0, False, []
    for query in captured.captured_queries:
        sql = query["sql"].strip()
        if sql.startswith("BEGIN"):  # SQLite's is BEGIN IMMEDIATE
            inside = True
        elif sql == "COMMIT":
            commits, inside = commits + 1, False
        elif sql.startswith(WRITES) and not inside:
            outside.append(sql)
    return commits, outside


def test_the_web_form_commits_the_case_and_its_mail_at_once(client, gata):
    client.get(SUBMIT)  # the form as the browser shows it: the session starts here
    with CaptureQueriesContext(connection) as captured:
        response = client.post(SUBMIT, feedback(gata.pk))
    assert response.status_code == 302
    assert transactions(captured) == (2, [])  # the case with its mail; then the session
    case = Case.objects.get()
    assert OutgoingEmail.objects.filter(to=CITIZEN).count() == 1
    assert DBTaskResult.objects.filter(task_path=DELIVER).count() == 1
    receipt = client.get(RECEIPT).content.decode()
    assert case.reference in receipt


def test_a_sent_web_form_reads_only_the_chosen_unit_not_the_whole_tree(client, gata):
    client.get(SUBMIT)
    with CaptureQueriesContext(connection) as captured:
        client.post(SUBMIT, feedback(gata.pk))
    unit_reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and 'FROM "organisation_unit"' in query["sql"]
    ]
    assert len(unit_reads) == 1


def test_a_form_sent_before_any_session_still_keeps_its_receipt(client, gata):
    response = client.post(SUBMIT, feedback(gata.pk))
    assert response.status_code == 302
    assert Case.objects.get().reference in client.get(RECEIPT).content.decode()


def test_open311_commits_the_case_and_its_mail_at_once(client, gata):
    service = make_service(unit=gata)
    _key, raw = make_integrator_key()
    data = {"api_key": raw, "service_code": str(service.pk), "email": CITIZEN}
    client.post(OPEN311, data | {"description": "Den första."})  # notes the key's use
    with CaptureQueriesContext(connection) as captured:
        response = client.post(OPEN311, data | {"description": "Den andra."})
    assert response.status_code == 201
    assert transactions(captured) == (1, [])
    assert DBTaskResult.objects.filter(task_path=DELIVER).count() == 2


def test_an_integrator_key_is_noted_as_used_at_most_once_a_minute(client, gata):
    service = make_service(unit=gata)
    api_key, raw = make_integrator_key()
    data = {"api_key": raw, "service_code": str(service.pk), "description": "Hej."}
    client.post(OPEN311, data)
    api_key.refresh_from_db()
    first = api_key.last_used_at
    assert first is not None
    client.post(OPEN311, data)
    api_key.refresh_from_db()
    assert api_key.last_used_at == first
    earlier = timezone.now() - timedelta(minutes=2)
    type(api_key).objects.filter(pk=api_key.pk).update(last_used_at=earlier)
    client.post(OPEN311, data)
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None
    assert api_key.last_used_at > earlier + timedelta(minutes=1)


def test_a_rolled_back_case_gives_its_number_back_and_leaves_no_mail(gata):
    def change_that_fails() -> None:
        with transaction.atomic():
            make_case(unit=gata, reporter_email=CITIZEN, wants_answer=True)
            raise RuntimeError("the surrounding change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not Case.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=DELIVER).exists()
    year = timezone.localdate().year
    assert make_case(unit=gata).reference == f"S-{year}-00001"
    assert make_case(unit=gata).reference == f"S-{year}-00002"


def test_a_repeated_token_gives_the_first_case_back_and_uses_no_number(gata):
    token = uuid.uuid4()
    first = make_case(unit=gata, submission_token=token)
    again = make_case(unit=gata, submission_token=token)
    assert again.pk == first.pk
    year = timezone.localdate().year
    assert make_case(unit=gata).reference == f"S-{year}-00002"
