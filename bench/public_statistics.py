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

Like `bench.kpis`, it works in a throw-away test database (`bench.harness`) that it
creates, fills and drops again; with BENCH_KEEP=1 it keeps the database and a later run
with the same size reuses the generated data (on PostgreSQL also the data `bench.kpis`
kept: the test database is the same)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bench.harness import (
    default_size,
    generated,
    machine_rows,
    print_heading,
    print_table,
    scratch_database,
)

if TYPE_CHECKING:
    from collections.abc import Callable


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
    from servicenav.cases.models import Case, CaseEvent
    from servicenav.organisation.models import Unit
    from servicenav.public.feedback import (
        feedback_statistics_compute,
        feedback_statistics_refresh,
    )
    from servicenav.public.models import FeedbackMonth

    generated_in = generated(cases=default_size()[0], until=until)
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
    rows = [
        ("cases", f"{Case.objects.count():,}"),
        ("case events", f"{CaseEvent.objects.count():,}"),
        (
            "generated in",
            "kept from an earlier run" if generated_in is None else f"{generated_in:.1f} s",
        ),
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
        *machine_rows(),
    ]
    print_table(("measure", "value"), rows)


def main() -> None:
    with scratch_database("bench-public.sqlite3"):
        from django.utils import timezone

        print_heading("Public feedback statistics benchmark")
        measure(until=timezone.localdate().replace(day=1))


if __name__ == "__main__":
    main()
