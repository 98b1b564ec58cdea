"""Concurrency: many clients send cases at once through the web form and Open311.

Held when every acknowledged reference is stored exactly once, the cases made are
numbered uniquely and increasingly in the order they were made, and no request failed
except by the rate limit."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from drills import config
from drills.clients import Plan
from drills.installation import free_port
from drills.processes import APP_WORKERS, App
from drills.report import Row, answers, failed_except_rate_limit

if TYPE_CHECKING:
    from drills.stage import Stage


def run(stage: Stage) -> Row:
    installation = stage.main
    quota = config.cases()
    web = config.CLIENTS // 2
    open311 = config.CLIENTS - web
    app = App(installation, mail_port=free_port())
    app.start()
    before = installation.inside("last-case")["id"]
    plan = Plan(tag="concurrency", quota=quota)
    started = time.monotonic()
    try:
        tally, threads = stage.start_clients(app.base, plan, config.CLIENTS)
        for thread in threads:
            thread.join()
    finally:
        app.stop()
    seconds = time.monotonic() - started
    references = [reference for reference, _email in tally.acknowledged]
    found = installation.inside("cases", str(before), data=references)
    failed = failed_except_rate_limit(tally.answers)
    ok = (
        found["missing"] == 0
        and found["stored_twice"] == 0
        and found["acknowledged_twice"] == 0
        and found["unique"]
        and found["increasing"]
        and failed == 0
        and found["acknowledged"] == quota
    )
    done = (
        f"{config.CLIENTS} clients ({web} web form, {open311} Open311) sent {quota:,} cases "
        f"at once to gunicorn with {APP_WORKERS} workers in {seconds:.0f} s "
        f"({quota / seconds:.0f}/s); "
        f"answers: {answers(tally.answers)}"
    )
    held = (
        f"acknowledged {found['acknowledged']:,}; lost {found['missing']}; "
        f"stored twice {found['stored_twice']}; {found['made']:,} cases made, numbers "
        f"{'unique' if found['unique'] else 'NOT unique'} and "
        f"{'increasing' if found['increasing'] else 'NOT increasing'} ({found['gaps']} gaps); "
        f"failed except by the rate limit {failed}"
    )
    return Row("concurrency", stage.label, done, held, ok)
