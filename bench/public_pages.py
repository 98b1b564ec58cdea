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

Like `bench.kpis`, it works in a throw-away test database (`bench.harness`); BENCH_KEEP=1
keeps it. `bench.load` measures the same pages over HTTP (workload 6)."""

from __future__ import annotations

import os
import statistics
import time
from datetime import date

from bench.harness import (
    compute_public_figures,
    cpu_model,
    database_version,
    default_size,
    generated,
    print_heading,
    print_table,
    scratch_database,
)

COLD_REQUESTS = 20
CACHED_REQUESTS = 300


def prepare(until: date) -> float | None:
    """Generate and compute unless a kept database has it already; seconds taken or None."""
    cases, answers = default_size()
    started = time.perf_counter()
    if generated(cases=cases, answers=answers, until=until, check_size=False) is None:
        return None
    compute_public_figures(until)
    return time.perf_counter() - started


def public_pages() -> list[tuple[str, str]]:
    """The start page and the first administration's page: name and path."""
    from django.urls import reverse

    from servicenav.organisation.models import Unit

    top = Unit.objects.get(parent=None)
    administration = Unit.objects.filter(parent=top, active=True).order_by("path").first()
    if administration is None:
        raise SystemExit("The generated municipality has no administrations.")
    return [
        ("start page", reverse("public:overview")),
        (
            f"unit page ({administration.name_sv})",
            reverse("public:unit", args=[administration.slug]),
        ),
    ]


def timings(path: str, requests: int, *, cold: bool, host: str = "testserver") -> list[float]:
    """Milliseconds per request of `path`; every answer must be a 200."""
    from django.core.cache import cache
    from django.test import Client

    client = Client(HTTP_HOST=host)
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
    from django.utils import timezone

    from servicenav.cases.models import Case
    from servicenav.surveys.models import Response

    prepared = prepare(until)
    pages = public_pages()
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
    print_table(("page", "p50 ms", "p95 ms", "requests", "target p95"), rows)


def main() -> None:
    with scratch_database("bench-public.sqlite3"):
        from django.utils import timezone

        print_heading("Public pages benchmark")
        measure(until=timezone.localdate().replace(day=1))


if __name__ == "__main__":
    main()
