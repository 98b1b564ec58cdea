"""How fast the public start page and a unit's page answer, over generated data.

`generate_data` makes a municipality of 76 units with BENCH_CASES cases (default 1,000,000
on PostgreSQL, 100,000 on SQLite) and BENCH_ANSWERS survey answers (default 2,000,000 and
200,000); the script then computes what the pages read (the indicators and the public
feedback statistics) and requests each page through Django's full request handling
(middleware, URL routing, templates, the cache) in this process:

- **cold**: the cache emptied before every request, so the page is built from the database;
- **cached**: the same page again and again, as visitors get it between two changes.

It prints p50 and p95 per page and mode with the machine's CPU and the date. The issue's
targets: p95 under 100 ms for the start page and a unit page (cold path set-based, so it
stays near that too), cached p95 under 20 ms, on PostgreSQL.

    make bench                                   # SQLite, a file under var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench

Like `benchmarks.kpis`, it works in a throw-away test database; BENCH_KEEP=1 keeps it."""

from __future__ import annotations

import os
import platform
import statistics
import time
from datetime import date
from io import StringIO
from pathlib import Path

import django

from benchmarks.survey_analysis import cpu_model, database_version

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("BENCH_CASES", "0"))  # 0: by the database, see `size`
ANSWERS = int(os.environ.get("BENCH_ANSWERS", "0"))
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
COLD_REQUESTS = 20
CACHED_REQUESTS = 300
SEED = 1


def size() -> tuple[int, int]:
    from django.db import connection

    large = connection.vendor == "postgresql"
    return (
        CASES or (1_000_000 if large else 100_000),
        ANSWERS or (2_000_000 if large else 200_000),
    )


def prepare(until: date) -> float | None:
    """Generate and compute unless a kept database has it already; seconds taken or None."""
    from servicenav.core.generate import generate
    from servicenav.core.generate.organisation import TOP_SLUG
    from servicenav.kpis.compute import compute_all
    from servicenav.kpis.survey_compute import compute_survey_indicators
    from servicenav.organisation.models import Unit
    from servicenav.public.feedback import feedback_statistics_compute

    if Unit.objects.filter(slug=TOP_SLUG).exists():
        return None
    cases, answers = size()
    started = time.perf_counter()
    generate(cases=cases, answers=answers, seed=SEED, years=4, until=until, stdout=StringIO())
    compute_all(today=until)
    compute_survey_indicators(today=until)
    feedback_statistics_compute(today=until)
    return time.perf_counter() - started


def timings(path: str, requests: int, *, cold: bool) -> list[float]:
    """Milliseconds per request of `path`; every answer must be a 200."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    taken = []
    for _ in range(requests):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        taken.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return taken


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def measure(until: date) -> None:
    from django.urls import reverse
    from django.utils import timezone

    from servicenav.cases.models import Case
    from servicenav.organisation.models import Unit
    from servicenav.surveys.models import Response

    prepared = prepare(until)
    top = Unit.objects.get(parent=None)
    administration = Unit.objects.filter(parent=top, active=True).order_by("path").first()
    if administration is None:
        raise SystemExit("The generated municipality has no administrations.")
    pages = [
        ("start page", reverse("public:overview")),
        (
            f"unit page ({administration.name_sv})",
            reverse("public:unit", args=[administration.slug]),
        ),
    ]
    timings(pages[0][1], 3, cold=False)  # warm the process: imports, templates, connections
    rows = []
    for name, path in pages:
        for mode, requests, cold in (
            ("cold", COLD_REQUESTS, True),
            ("cached", CACHED_REQUESTS, False),
        ):
            taken = timings(path, requests, cold=cold)
            target = "< 20 ms" if not cold else "< 100 ms"
            rows.append(
                (
                    f"{name}, {mode}",
                    f"{statistics.median(taken):.1f}",
                    f"{p95(taken):.1f}",
                    str(requests),
                    target,
                )
            )
    print()
    print(f"- cases: {Case.objects.count():,}; survey answers: {Response.objects.count():,}")
    print(
        "- generated and computed in: "
        + ("kept from an earlier run" if prepared is None else f"{prepared:.1f} s")
    )
    print(f"- CPU: {cpu_model()}, {os.cpu_count()} CPUs; database: {database_version()}")
    print(f"- date: {timezone.localdate().isoformat()}")
    print()
    print("| page | p50 ms | p95 ms | requests | target p95 |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


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
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=not KEEP, keepdb=KEEP, serialize=False
    )
    try:
        print("Public pages benchmark")
        print(f"  machine: {platform.platform()}, Python {platform.python_version()}")
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"  load average before: {load} (other work on the machine slows every figure)")
        measure(until=timezone.localdate().replace(day=1))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=KEEP)
        teardown_test_environment()


if __name__ == "__main__":
    main()
