"""Crash: while clients send cases with e-mail addresses, the app server and the task
worker are killed with SIGKILL and restarted, then the database server too (PostgreSQL;
SQLite has no server, there only the application is killed).

Held when every submission that got a success answer is in the database, and every
queued receipt reaches the SMTP server after the restart exactly once. After the
restart the drill runs `send_pending_email` once, as the scheduler does every 5 minutes,
for e-mails whose delivery task was cut off by the crash."""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING

from drills import config
from drills.clients import Plan, Tally
from drills.processes import App, Mailbox, Worker, wait_for
from drills.report import Row, answers

if TYPE_CHECKING:
    from drills.stage import Stage

CLIENTS = 8
DELIVERY_TIMEOUT = 240


def _crash_app(app: App, worker: Worker) -> tuple[int, float]:
    """SIGKILL the app server and the worker; both back as soon as they start."""
    killed = app.kill() + worker.kill()
    down = time.monotonic()
    app.start()
    worker.start()
    return killed, time.monotonic() - down


def _crash_database(stage: Stage, worker: Worker) -> tuple[int, float]:
    if stage.cluster is None:
        return 0, 0.0
    killed = stage.cluster.kill()
    down = time.monotonic()
    time.sleep(1)
    stage.cluster.start()
    worker.ensure_running()
    return killed, time.monotonic() - down


def run(stage: Stage) -> Row:
    installation = stage.main
    mailbox = Mailbox()
    mailbox.start()
    app, worker = App(installation, mailbox.port), Worker(installation, mailbox.port)
    app.start()
    worker.start()
    before = installation.inside("last-case")["id"]
    plan = Plan(tag=f"crash-{stage.vendor}", with_email=True)
    events = []
    try:
        tally, threads = stage.start_clients(app.base, plan, CLIENTS)
        time.sleep(config.PHASE_SECONDS)
        killed, down = _crash_app(app, worker)
        events.append(f"app server and worker SIGKILLed ({killed} processes), back in {down:.1f} s")
        time.sleep(config.PHASE_SECONDS)
        if stage.cluster is not None:
            killed, down = _crash_database(stage, worker)
            events.append(f"database server SIGKILLed ({killed} processes), back in {down:.1f} s")
            time.sleep(config.PHASE_SECONDS)
        else:
            events.append("no database server to kill on SQLite (the database is a file)")
        plan.stop.set()
        for thread in threads:
            thread.join()
        worker.ensure_running()
        installation.manage("send_pending_email")
        expected = Counter(email for _reference, email in tally.acknowledged)
        recipients = list(expected)
        delivered = wait_for(
            lambda: installation.inside("outbox", data=recipients)["pending"] == 0,
            timeout=DELIVERY_TIMEOUT,
            every=3,
        )
        time.sleep(2)  # a message on its way would show as a duplicate now, not later
    finally:
        app.stop()
        worker.stop()
        mailbox.stop()
    return _row(stage, tally, before, expected, mailbox, events, delivered, worker.restarts)


def _row(
    stage: Stage,
    tally: Tally,
    before: int,
    expected: Counter[str],
    mailbox: Mailbox,
    events: list[str],
    delivered: bool,
    restarts: int,
) -> Row:
    references = [reference for reference, _email in tally.acknowledged]
    found = stage.main.inside("cases", str(before), data=references)
    mine = stage.main.inside("submissions", data=tally.acknowledged)
    arrived, missing, extra = mailbox.compare(expected)
    ok = (
        found["missing"] == 0
        and found["stored_twice"] == 0
        and mine["missing"] == 0
        and mine["stored_twice"] == 0
        and mine["shown_another_reference"] == 0
        and missing == 0
        and extra == 0
        and delivered
    )
    done = (
        f"{CLIENTS} clients sent cases for {(len(events) + 1) * config.PHASE_SECONDS} s; "
        + "; ".join(events)
        + f"; answers: {answers(tally.answers)}"
        + (f"; worker restarted {restarts}× after dying" if restarts else "")
    )
    held = (
        f"acknowledged {len(tally.acknowledged):,}, looked up by their own e-mail address: "
        f"lost {mine['missing']}, stored twice {mine['stored_twice']}, shown another case's "
        f"reference {mine['shown_another_reference']}"
        + (f" (shown → stored: {mine['examples']})" if mine["examples"] else "")
        + f"; acknowledged references lost {found['missing']}; receipts "
        f"{sum(expected.values()):,}: delivered {arrived:,}, not delivered {missing}, "
        f"duplicated {extra}"
    )
    return Row("crash", stage.label, done, held, ok)
