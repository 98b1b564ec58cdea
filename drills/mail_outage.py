"""Mail outage: the SMTP server is down while citizens send cases (each queues a receipt)
and staff answer half of them (each queues a reply). Deliveries fail and are retried with
growing pauses (1, 2, 4 … minutes, `core/emails.py`); an administrator sees the backlog on
the outbox page of the admin site; when the server returns every message arrives, once.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import TYPE_CHECKING

import requests

from drills import config
from drills.clients import TOKEN, Plan
from drills.processes import App, Mailbox, Worker, wait_for
from drills.report import Row, answers

if TYPE_CHECKING:
    from drills.installation import Installation
    from drills.stage import Stage

CLIENTS = 4
DELIVERY_TIMEOUT = 300
# The demo's administrator (`load_demo`), who may read the outbox in the admin site.
STAFF = {"username": "admin", "password": "servicenav-demo"}
OUTBOX_PAGE = "/en/admin/core/outgoingemail/?status__exact=pending"
# The paginator ends with the count ("1 2 180 outgoing e-mail" past one page).
SHOWN_COUNT = re.compile(r'class="paginator">.*?(\d+)\s+outgoing e-mail', re.DOTALL)


def staff_sees_backlog(base: str) -> int | None:
    """How many waiting e-mails the admin's outbox page lists (None: not shown)."""
    session = requests.Session()
    page = session.get(f"{base}/en/konto/logga-in/", timeout=30).text
    token = TOKEN.search(page)
    if token is None:
        return None
    session.post(
        f"{base}/en/konto/logga-in/",
        data={**STAFF, "csrfmiddlewaretoken": token.group(1)},
        timeout=30,
    )
    found = SHOWN_COUNT.search(session.get(base + OUTBOX_PAGE, timeout=30).text)
    return int(found.group(1)) if found else None


def _queue_mail(stage: Stage, app: App) -> tuple[Counter[str], dict[str, int]]:
    """Cases with addresses, then staff replies to half of them; the messages expected."""
    plan = Plan(tag=f"mail-{stage.vendor}", quota=config.MAIL_CASES, with_email=True)
    tally, threads = stage.start_clients(app.base, plan, CLIENTS)
    for thread in threads:
        thread.join()
    answered = tally.acknowledged[::2]
    stage.main.inside("reply", data=[reference for reference, _email in answered])
    expected = Counter(email for _reference, email in tally.acknowledged)
    expected.update(email for _reference, email in answered)
    return expected, dict(tally.answers)


def _wait_until_all_tried(installation: Installation, recipients: list[str]) -> dict[str, int]:
    def tried() -> bool:
        box = installation.inside("outbox", data=recipients)
        return box["tried_and_waiting"] == box["total"]

    wait_for(tried, timeout=90, every=2)
    return installation.inside("outbox", data=recipients)


def run(stage: Stage) -> Row:
    mailbox = Mailbox()  # its port is known, but nothing listens: the outage
    app, worker = App(stage.main, mailbox.port), Worker(stage.main, mailbox.port)
    app.start()
    worker.start()
    outage_started = time.monotonic()
    try:
        expected, sent_answers = _queue_mail(stage, app)
        recipients = list(expected)
        during = _wait_until_all_tried(stage.main, recipients)
        shown = staff_sees_backlog(app.base)
        time.sleep(max(0.0, config.OUTAGE_SECONDS - (time.monotonic() - outage_started)))
        mailbox.start()
        outage = time.monotonic() - outage_started
        delivered = wait_for(
            lambda: stage.main.inside("outbox", data=recipients)["pending"] == 0,
            timeout=DELIVERY_TIMEOUT,
            every=3,
        )
        after = time.monotonic() - outage_started - outage
        time.sleep(2)
        final = stage.main.inside("outbox", data=recipients)
    finally:
        app.stop()
        worker.stop()
        mailbox.stop()
    arrived, missing, extra = mailbox.compare(expected)
    ok = (
        delivered
        and missing == 0
        and extra == 0
        and shown is not None
        and shown >= during["pending"]
    )
    done = (
        f"SMTP server down {outage:.0f} s while {config.MAIL_CASES} cases were sent "
        f"({answers(sent_answers)}) and staff answered half: {sum(expected.values())} e-mails "
        f"queued; {during['tried_and_waiting']} tried and waiting for their retry"
    )
    held = (
        f"admin outbox page listed {shown if shown is not None else 'NOTHING'} waiting "
        f"(outbox: {during['all_pending']}); after the return all delivered in {after:.0f} s, "
        f"most attempts {final['most_attempts']}: delivered {arrived}, lost {missing}, "
        f"duplicated {extra}"
    )
    return Row("mail outage", stage.label, done, held, ok)
