"""Scale-out of background work: two `manage.py db_worker` processes share one PostgreSQL
queue (django-tasks' database backend) and every task runs exactly once.

Each worker claims a task by locking its row with `SELECT … FOR UPDATE SKIP LOCKED` and
marking it running in the same transaction, so two workers never take the same task and
neither waits for the other. The probe task below is deliberately *not* idempotent (unlike
the e-mail outbox, which would hide a second run): each run sends one e-mail to the real
SMTP test server, so a task run twice would show as a second message and a task never run
as a missing one. SQLite has no row locks (it locks the whole database), so the test runs
on PostgreSQL only; CI runs the suite on both."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conftest import SmtpInbox

TASKS = 200
WORKERS = ("worker-a", "worker-b")
PROJECT = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS = 45
# Long enough that one worker cannot drain the queue before the other claims anything.
TASK_SECONDS = 0.02

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Workers claim tasks with row locks (SKIP LOCKED), which SQLite does not have.",
    ),
    pytest.mark.django_db(transaction=True),  # the workers must see the queued tasks
]


@task()
def record_run(number: int) -> None:
    """Send one e-mail saying this task ran: a second run would send a second one."""
    time.sleep(TASK_SECONDS)
    send_mail(f"run {number}", "ran", None, [f"run-{number}@example.org"])


def _database_url() -> str:
    """The test database, as the `DATABASE_URL` the workers read."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def _worker_environment(smtp: SmtpInbox) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": _database_url(),
        "SERVICENAV_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SERVICENAV_EMAIL_HOST": settings.EMAIL_HOST,
        "SERVICENAV_EMAIL_PORT": str(smtp.port),
    }


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {what}.")
        time.sleep(0.1)


@pytest.fixture
def workers(smtp: SmtpInbox, tmp_path: Path) -> Iterator[list[Path]]:
    """Two workers polling every 50 ms, running until the test ends; yields their logs
    once both have started."""
    logs = [tmp_path / f"{worker}.log" for worker in WORKERS]
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    processes = []
    try:
        for worker, log in zip(WORKERS, logs, strict=True):
            with log.open("w") as output:
                processes.append(
                    subprocess.Popen(  # noqa: S603  (our own command, no shell)
                        [*command, "--interval", "0.05", "--worker-id", worker],
                        cwd=PROJECT,
                        env=_worker_environment(smtp),
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )
        _wait_for(
            lambda: all("Starting worker" in log.read_text() for log in logs),
            "both workers to start",
        )
        yield logs
    finally:
        for process in processes:
            process.terminate()  # the worker finishes its current task and exits
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_two_workers_run_every_task_exactly_once(smtp, workers):
    for number in range(TASKS):
        record_run.enqueue(number)

    finished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    )
    _wait_for(lambda: finished.count() == TASKS, f"{TASKS} tasks to finish")
    _wait_for(lambda: len(smtp.messages) >= TASKS, f"{TASKS} e-mails")
    time.sleep(0.5)  # a task run twice would deliver its second e-mail by now

    runs = Counter(message["to"][0] for message in smtp.messages)
    assert runs == Counter(f"run-{number}@example.org" for number in range(TASKS))
    results = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    assert {status for status, _ids in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(ids) == 1 for _status, ids in results), "a task was claimed twice"
    claims = Counter(ids[0] for _status, ids in results)
    assert set(claims) == set(WORKERS), f"not both workers took part: {claims}"
