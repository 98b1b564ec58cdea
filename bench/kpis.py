"""How long recomputing every key performance indicator takes, over generated cases.

`generate_data` makes a municipality of 76 units with BENCH_CASES cases over four years
(default 1,000,000 on PostgreSQL, where the targets hold; 100,000 on SQLite, which writes
them row by row), and indicators: every case statistic at the top unit, two more at each
administration. The script times the generation, then `compute_all` over
the last BENCH_MONTHS months (default 24): every indicator for every unit below its
owner and every ended period, written as measurements. The issue's targets: generating a
million cases in under 10 minutes, recomputing in under 60 seconds, on PostgreSQL.

    make bench                                   # SQLite, a file under var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench

It works in a throw-away test database (`test_<name>` on PostgreSQL, `var/bench-kpis.sqlite3`
for SQLite) that it creates, fills and drops again; with BENCH_KEEP=1 it keeps the
database and a later run with the same size reuses the generated data. `bench.load`
times the same recomputation (workload 7) in its own database."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from bench.harness import (
    default_size,
    env_int,
    generated,
    machine_rows,
    print_heading,
    print_table,
    scratch_database,
)

MONTHS = env_int("BENCH_MONTHS", 24)


@dataclass(frozen=True)
class Recomputed:
    indicators: int
    written: int
    seconds: float  # into an empty table
    rewritten: float  # the same again, over the rows written


def recompute_all(until: date, months: int = MONTHS) -> Recomputed:
    """Every indicator for every unit and month, from an empty table, then once more."""
    from servicenav.kpis.compute import compute_all
    from servicenav.kpis.models import Measurement

    Measurement.objects.all().delete()
    started = time.perf_counter()
    indicators, written = compute_all(today=until, months=months)
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    compute_all(today=until, months=months)
    return Recomputed(indicators, written, seconds, time.perf_counter() - again)


def measure(until: date) -> None:
    from servicenav.cases.models import Case, CaseEvent
    from servicenav.core.periods import PeriodKind
    from servicenav.kpis.compute import ended_periods
    from servicenav.kpis.models import Indicator
    from servicenav.organisation.models import Unit

    seconds = generated(cases=default_size()[0], until=until)
    monthly = Indicator.objects.filter(period_kind=PeriodKind.MONTH.value).count()
    months = len(ended_periods(PeriodKind.MONTH, until, MONTHS))
    result = recompute_all(until)
    rows = [
        ("cases", f"{Case.objects.count():,}"),
        ("case events", f"{CaseEvent.objects.count():,}"),
        ("generated in", "kept from an earlier run" if seconds is None else f"{seconds:.1f} s"),
        ("indicators", f"{result.indicators} ({monthly} monthly, the others quarterly)"),
        ("units", f"{Unit.objects.count()}"),
        ("periods", f"{months} months"),
        ("measurements written", f"{result.written:,}"),
        (
            "seconds, all indicators × units × periods",
            f"{result.seconds:.1f} s (target: under 60 s)",
        ),
        ("seconds, the same again (rewriting them)", f"{result.rewritten:.1f} s"),
        *machine_rows(),
    ]
    print_table(("measure", "value"), rows)


def main() -> None:
    with scratch_database("bench-kpis.sqlite3"):
        from django.utils import timezone

        print_heading("Key performance indicators benchmark")
        measure(until=timezone.localdate().replace(day=1))


if __name__ == "__main__":
    main()
