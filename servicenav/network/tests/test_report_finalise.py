"""Marking a report final is asked for on its page and done by the background worker: the
request returns at once and the page says the report is being marked final; the worker
freezes the figures and makes the PDFs; asking twice, or the task running twice, makes
one final report; if the work fails the report stays a draft, the page says so, and it
can be marked final again."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicenav.core.models import AuditEntry
from servicenav.core.periods import Period
from servicenav.network.models import Report
from servicenav.network.services import (
    FINALISE_STALE_AFTER,
    report_create,
    report_request_final,
    report_write,
)
from servicenav.network.tasks import finalise_report

pytestmark = pytest.mark.django_db

TASK_PATH = "servicenav.network.tasks.finalise_report"
TODAY = date(2026, 6, 1)


@pytest.fixture
def report(tree, people) -> Report:
    made = report_create(period=Period.parse("2026-T1"), by=people.chair, today=TODAY)
    report_write(report=made, summary="Bra tertial.", conclusions="Fortsätt.", by=people.chair)
    return made


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH))


def page_of(client, report: Report) -> str:
    return client.get("/en" + reverse("network:report", args=[report.pk])).content.decode()


def status_changes(report: Report) -> list[dict]:
    entries = AuditEntry.objects.filter(object_id=str(report.pk), changes__has_key="status")
    return [entry.changes["status"] for entry in entries.order_by("pk")]


def test_asking_returns_at_once_with_the_work_queued_and_the_page_says_so(
    client, people, report, django_capture_on_commit_callbacks
):
    client.force_login(people.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:report-finalise", args=[report.pk]))
    assert response.status_code == 302

    report.refresh_from_db()
    assert report.is_finalising
    assert (report.figures, report.pdf_sv, report.pdf_en) == (None, None, None)
    assert report.finalised_by == people.member
    [task] = queued()
    assert task.args_kwargs["args"] == [report.pk]
    page = page_of(client, report)
    assert "Being marked final…" in page
    assert "Mark the report final" not in page
    assert 'name="summary"' not in page


# The worker's own transactions must see the request: commit it, not roll back.
@pytest.mark.django_db(transaction=True)
def test_the_worker_marks_it_final_with_its_figures_and_pdfs(client, people, report):
    with transaction.atomic():
        report_request_final(report=report, by=people.chair)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    report.refresh_from_db()
    assert report.is_final
    assert report.figures["period"] == "2026-T1"
    assert bytes(report.pdf_sv).startswith(b"%PDF")
    assert bytes(report.pdf_en).startswith(b"%PDF")
    assert report.finalised_at is not None
    [task] = queued()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == "final"
    client.force_login(people.member)
    assert "Final since" in page_of(client, report)
    assert status_changes(report) == [
        {"from": "draft", "to": "finalising"},
        {"from": "finalising", "to": "final"},
    ]


def test_asking_twice_and_the_task_running_twice_make_one_final_report(
    people, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_request_final(report=report, by=people.chair)
        report_request_final(report=report, by=people.member)
    assert len(queued()) == 1

    assert finalise_report.call(report.pk) == "final"
    report.refresh_from_db()
    kept = (report.finalised_at, report.figures, bytes(report.pdf_sv))
    assert finalise_report.call(report.pk) == "final"
    report.refresh_from_db()
    assert (report.finalised_at, report.figures, bytes(report.pdf_sv)) == kept
    assert report.finalised_by == people.chair
    assert Report.objects.count() == 1
    assert status_changes(report) == [
        {"from": "draft", "to": "finalising"},
        {"from": "finalising", "to": "final"},
    ]
    with pytest.raises(ValidationError):
        report_request_final(report=report, by=people.chair)


def test_a_report_being_marked_final_refuses_changes(client, people, report):
    report_request_final(report=report, by=people.chair)
    with pytest.raises(ValidationError):
        report_write(report=report, summary="Annat", conclusions="Annat", by=people.chair)
    client.force_login(people.member)
    url = "/en" + reverse("network:report", args=[report.pk])
    assert client.post(url, {"summary": "Annat", "conclusions": "x"}).status_code == 400
    report.refresh_from_db()
    assert report.summary == "Bra tertial."


def test_a_failure_leaves_a_draft_that_says_so_and_can_be_marked_final_again(
    client, people, report, monkeypatch
):
    def broken_pdf(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr("weasyprint.HTML.write_pdf", broken_pdf)
    report_request_final(report=report, by=people.chair)
    with pytest.raises(OSError, match="no fonts"):
        finalise_report.call(report.pk)

    report.refresh_from_db()
    assert report.is_draft
    assert report.finalise_failed_at is not None
    assert (report.figures, report.pdf_sv, report.pdf_en) == (None, None, None)
    client.force_login(people.member)
    page = page_of(client, report)
    assert "Marking the report final failed" in page
    assert "It is still a draft and nothing was kept." in page
    assert "Try again to mark the report final" in page

    monkeypatch.undo()
    report_request_final(report=report, by=people.chair)
    report.refresh_from_db()
    assert report.finalise_failed_at is None
    assert finalise_report.call(report.pk) == "final"
    assert "Marking the report final failed" not in page_of(client, report)


def test_a_request_whose_worker_died_can_be_made_again(
    people, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_request_final(report=report, by=people.chair)
    Report.objects.filter(pk=report.pk).update(
        finalise_requested_at=timezone.now() - FINALISE_STALE_AFTER - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_request_final(report=report, by=people.chair)
    assert len(queued()) == 2
    assert finalise_report.call(report.pk) == "final"


def test_the_task_leaves_a_draft_alone_and_ignores_a_missing_report(report):
    assert finalise_report.call(report.pk) == "draft"
    report.refresh_from_db()
    assert report.is_draft
    assert report.figures is None
    assert finalise_report.call(987654) is None


def test_an_outsider_cannot_ask_for_it(client, people, report):
    client.force_login(people.outsider)
    response = client.post(reverse("network:report-finalise", args=[report.pk]))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.is_draft


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_queue_one_task(people, report):
    # The first request holds the report's row until it commits; the second waits for it,
    # then finds the report already being marked final.
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                report_request_final(report=report, by=people.chair)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def ask_again() -> None:
        try:
            report_request_final(report=report, by=people.member)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert holding.wait(10)
        second = threading.Thread(target=ask_again)
        second.start()
        second.join(0.5)
        assert second.is_alive()  # waiting for the first one's lock
    finally:
        release.set()
        thread.join()
    second.join(10)

    assert len(queued()) == 1
    assert status_changes(report) == [{"from": "draft", "to": "finalising"}]
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    report.refresh_from_db()
    assert report.is_final
    assert Report.objects.count() == 1
