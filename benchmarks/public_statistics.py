"""How long counting the public feedback statistics takes, over generated cases.

`generate_data` makes a municipality of 76 units with BENCH_CASES cases over four years
(default 1,000,000 on PostgreSQL; 100,000 on SQLite, which writes them row by row). The
script then times what the nightly `compute_public_statistics` and the stale-unit task
do: `feedback_statistics_compute` of every unit and every month since the first case
(into an empty table, then again over the rows it wrote), and `feedback_statistics_refresh`
of units' own cases since a month ago: of the district team with the most cases, and of
every unit at once (the stale-unit task after a day when every unit had a change). The
targets: the full count well under 60 seconds, the refresh of one unit under 2 seconds,
on PostgreSQL.

    make bench                                   # SQLite, a file under var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench

Like `benchmarks.kpis`, it works in a throw-away test database that it creates, fills and
drops again; with BENCH_KEEP=1 it keeps the database and a later run with the same size
reuses the generated data (on PostgreSQL also the data `benchmarks.kpis` kept: the test
database is the same)."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import django

from benchmarks.survey_analysis import cpu_model, database_version

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("BENCH_CASES", "0"))  # 0: by the database, see `size`
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
SEED = 1


def size() -> int:
    from django.db import connection

    return CASES or (1_000_000 if connection.vendor == "postgresql" else 100_000)


def prepare(until: date) -> float | None:
    """Generate the data unless a kept database already has it; seconds taken or None."""
    from servicenav.cases.models import Case
    from servicenav.core.generate import generate
    from servicenav.core.generate.organisation import TOP_SLUG
    from servicenav.organisation.models import Unit

    if Unit.objects.filter(slug=TOP_SLUG).exists():
        if Case.objects.count() != size():
            raise SystemExit("The kept database holds another size: drop it or change BENCH_CASES.")
        return None
    summary = generate(cases=size(), seed=SEED, years=4, until=until, stdout=StringIO())
    return summary.seconds


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def busiest_team() -> Any:
    """The unit without units below it that has the most cases of its own."""
    from django.db.models import Count

    from servicenav.organisation.models import Unit

    return (
        Unit.objects.filter(children__isnull=True)
        .annotate(count=Count("cases"))
        .order_by("-count", "pk")
        .first()
    )


def measure(until: date) -> None:
    from django.utils import timezone

    from servicenav.cases.models import Case, CaseEvent
    from servicenav.organisation.models import Unit
    from servicenav.public.feedback import (
        feedback_statistics_compute,
        feedback_statistics_refresh,
    )
    from servicenav.public.models import FeedbackMonth

    generated = prepare(until)
    FeedbackMonth.objects.all().delete()
    summary, seconds = timed(lambda: feedback_statistics_compute(today=until))
    _, again = timed(lambda: feedback_statistics_compute(today=until))
    since = until - timedelta(days=30)
    team = busiest_team()
    team_rows, team_seconds = timed(
        lambda: feedback_statistics_refresh({team.pk: since}, today=until)
    )
    every = dict.fromkeys(Unit.objects.values_list("pk", flat=True), since)
    every_rows, every_seconds = timed(lambda: feedback_statistics_refresh(every, today=until))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    rows = [
        ("cases", f"{Case.objects.count():,}"),
        ("case events", f"{CaseEvent.objects.count():,}"),
        ("generated in", "kept from an earlier run" if generated is None else f"{generated:.1f} s"),
        ("units", f"{Unit.objects.count()}"),
        ("months (since the first case)", f"{summary.months}"),
        ("rows written", f"{summary.rows:,}"),
        ("seconds, every unit × kind × month", f"{seconds:.1f} s (target: well under 60 s)"),
        ("seconds, the same again (rewriting them)", f"{again:.1f} s"),
        (
            f"seconds, refresh of one team since {since} ({team_rows} rows)",
            f"{team_seconds:.2f} s (target: under 2 s)",
        ),
        (
            f"seconds, refresh of all {len(every)} units since {since} ({every_rows} rows)",
            f"{every_seconds:.2f} s",
        ),
        ("CPU", f"{cpu_model()}, {os.cpu_count()} CPUs"),
        ("database", database_version()),
        ("date", timezone.localdate().isoformat()),
        ("load average after", load),
    ]
    print()
    print("| measure | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicenav.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import timezone

    setup_test_environment(debug=False)
    if connection.vendor == "sqlite":
        (ROOT / "var").mkdir(exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(ROOT / "var" / "bench-public.sqlite3")
    # Not serialised for tests that roll back to it: that would read the million cases
    # of a kept database, for minutes.
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=not KEEP, keepdb=KEEP, serialize=False
    )
    try:
        print("Public feedback statistics benchmark")
        print(f"  machine: {platform.platform()}, Python {platform.python_version()}")
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"  load average before: {load} (other work on the machine slows every figure)")
        measure(until=timezone.localdate().replace(day=1))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=KEEP)
        teardown_test_environment()


if __name__ == "__main__":
    main()
