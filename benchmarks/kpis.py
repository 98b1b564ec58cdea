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
database and a later run with the same size reuses the generated data."""

from __future__ import annotations

import os
import platform
import time
from datetime import date
from io import StringIO
from pathlib import Path

import django

from benchmarks.survey_analysis import cpu_model, database_version

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("BENCH_CASES", "0"))  # 0: by the database, see `main`
MONTHS = int(os.environ.get("BENCH_MONTHS", "24"))
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


def measure(until: date) -> None:
    from django.utils import timezone

    from servicenav.cases.models import Case, CaseEvent
    from servicenav.core.periods import PeriodKind
    from servicenav.kpis.compute import compute_all, ended_periods
    from servicenav.kpis.models import Indicator, Measurement
    from servicenav.organisation.models import Unit

    generated = prepare(until)
    monthly = Indicator.objects.filter(period_kind=PeriodKind.MONTH.value).count()
    units = Unit.objects.count()
    months = len(ended_periods(PeriodKind.MONTH, until, MONTHS))
    Measurement.objects.all().delete()
    started = time.perf_counter()
    indicators, written = compute_all(today=until, months=MONTHS)
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    compute_all(today=until, months=MONTHS)
    rewritten = time.perf_counter() - again
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    rows = [
        ("cases", f"{Case.objects.count():,}"),
        ("case events", f"{CaseEvent.objects.count():,}"),
        ("generated in", "kept from an earlier run" if generated is None else f"{generated:.1f} s"),
        ("indicators", f"{indicators} ({monthly} monthly, the others quarterly)"),
        ("units", f"{units}"),
        ("periods", f"{months} months"),
        ("measurements written", f"{written:,}"),
        ("seconds, all indicators × units × periods", f"{seconds:.1f} s (target: under 60 s)"),
        ("seconds, the same again (rewriting them)", f"{rewritten:.1f} s"),
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
        connection.settings_dict["TEST"]["NAME"] = str(ROOT / "var" / "bench-kpis.sqlite3")
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=not KEEP, keepdb=KEEP, serialize=False
    )
    try:
        print("Key performance indicators benchmark")
        print(f"  machine: {platform.platform()}, Python {platform.python_version()}")
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"  load average before: {load} (other work on the machine slows every figure)")
        measure(until=timezone.localdate().replace(day=1))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=KEEP)
        teardown_test_environment()


if __name__ == "__main__":
    main()
