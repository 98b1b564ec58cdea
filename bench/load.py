"""The load benchmark of issue 10: Servicenav under gunicorn (2 workers) on 127.0.0.1 against
PostgreSQL, loaded with wrk, beside baselines measured in the same run, at 1,000,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench
    DATABASE_URL=… BENCH_CASES=20000 BENCH_ANSWERS=20000 python -m bench.load   # a quick trial

The data: `bench.loaddata` (a database of its own, generated once and kept). The baselines
(`bench.baselines`): a constant JSON document; one INSERT; one SELECT by primary key. The
workloads through HTTP, each 2 s of warm-up then 10 s measured by wrk with 4 connections
(`bench.server`, `bench/wrk.lua`): 1 the web form, 2 Open311 POST, 3 the Open311 list
filtered by status and service (50 a page), 4 one Open311 request (random references),
5 the staff inbox filtered by unit, status and overdue (logged in as a handler),
6 the public start page and a unit page, cached (wrk) and cold (the shared cache emptied
before each of 20 requests, timed one by one), 9 a survey response through the public
form. Timed in this process once gunicorn has stopped: 7 all KPIs for all units and the
last 24 months (`bench.kpis`), 8 the analysis of a round of 100,000 responses × 30
questions (`bench.survey_analysis`).

It prints per workload requests/s, p50, p95, p99, errors (answers other than the expected
status, non-2xx/3xx among them, plus socket errors and timeouts), the ratios to the
baselines and the issue's target, and writes the same to bench/results/latest.md."""

from __future__ import annotations

import os
import platform
import random
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from bench import loaddata
from bench import report as r
from bench.harness import ROOT, cpu_model, database_version, env_int, load_average, setup_django
from bench.server import (
    CONNECTIONS,
    LOGS,
    SECONDS,
    THREADS,
    TIMEOUT,
    WARMUP,
    WORKERS,
    Browser,
    Load,
    gunicorn,
    measure_load,
    probe,
    wrk_binary,
)

if TYPE_CHECKING:
    from datetime import date

    from bench.loaddata import Fixtures

CASES = env_int("BENCH_CASES", 1_000_000)
ANSWERS = env_int("BENCH_ANSWERS", 2_000_000)
FRESH = os.environ.get("BENCH_FRESH", "") == "1"
COLD_REQUESTS = env_int("BENCH_COLD_REQUESTS", 20)
SHARED_CACHE = "redis://127.0.0.1:6379/13"
RESULTS = ROOT / "bench" / "results" / "latest.md"
FEEDBACK_TEXT = "Gatlyktan vid busshållplatsen har varit släckt i två veckor."
BASELINE_IDS = 1000
CREATE_TARGETS = (r.at_least("rps", 600), r.at_least("db_ratio", 0.40), r.below("p99", 50))


@dataclass(frozen=True)
class Workload:
    number: str
    name: str
    load: Load
    baseline: str  # the database baseline it is compared with: "insert" or "select"
    targets: tuple[r.Target, ...] = ()


def _body(fields: dict[str, str]) -> str:
    """A form body; "{uuid}" stays as it is, for wrk.lua to fill in per request."""
    return urlencode(fields).replace("%7Buuid%7D", "{uuid}")


def _paths(name: str, paths: list[str]) -> Load:
    """A load that takes one of `paths` at random for each request."""
    LOGS.mkdir(parents=True, exist_ok=True)
    file = LOGS / f"{name}-paths.txt"
    file.write_text("".join(f"{path}\n" for path in paths))
    return Load(paths=file)


def _form(base: str, path: str, fields: dict[str, str]) -> Load:
    """A form POST with the CSRF cookie and token fetched once from the form's page."""
    browser = Browser(base)
    token = browser.csrf_token(path)
    body = _body({"csrfmiddlewaretoken": token, **fields})
    return Load(path=path, method="POST", body=body, cookie=browser.cookie_header(), expect=302)


def baselines() -> dict[str, Load]:
    ids = random.Random(1).sample(range(1, loaddata.BASELINE_ROWS + 1), BASELINE_IDS)  # noqa: S311 - ids, not secrets
    return {
        "constant": Load(path="/bench/constant/"),
        "insert": Load(path="/bench/insert/", method="POST", body="text=row+{uuid}", expect=201),
        "select": _paths("select", [f"/bench/select/{pk}/" for pk in ids]),
    }


def _creates(base: str, data: Fixtures) -> list[Workload]:
    from django.urls import reverse

    form = {
        "kind": "complaint",
        "unit": str(data.unit_pk),
        "text": FEEDBACK_TEXT,
        "contact": "answer",
        "name": "Bench Mark",
        "email": "bench@example.se",
        "submission_token": "{uuid}",
    }
    open311 = {
        "api_key": data.api_key,
        "service_code": data.service_code,
        "description": FEEDBACK_TEXT,
        "lat": "65.584819",
        "long": "22.156702",
        "email": "bench@example.se",
    }
    post311 = Load(path="/open311/v2/requests.json", method="POST", body=_body(open311), expect=201)
    survey = {"action": "send", "sending": "{uuid}", **data.survey_answers}
    survey_path = reverse("surveys:answer", args=[data.survey_token])
    return [
        Workload(
            "1",
            "web form: new case",
            _form(base, reverse("cases:submit"), form),
            "insert",
            CREATE_TARGETS,
        ),
        Workload("2", "Open311 POST requests.json", post311, "insert", CREATE_TARGETS),
        Workload(
            "9",
            "survey response, public form",
            _form(base, survey_path, survey),
            "insert",
            (r.at_least("rps", 300),),
        ),
    ]


def _reads(base: str, data: Fixtures) -> list[Workload]:
    from django.urls import reverse

    from bench.public_pages import public_pages

    listed = [
        "/open311/v2/requests.json?"
        + urlencode({"status": "open", "service_code": code, "page_size": 50})
        for code in data.service_codes
    ]
    one = [f"/open311/v2/requests/{reference}.json" for reference in data.references]
    inbox = (
        reverse("cases:inbox")
        + "?"
        + urlencode({"enhet": data.handler_unit_pk, "status": "open", "forsenad": "on"})
    )
    session = Browser(base).log_in(data.handler_username, data.handler_password)
    cached = (r.below("p95", 20),)
    return [
        Workload(
            "3",
            "Open311 GET requests.json: open, by service, 50 a page",
            _paths("open311-list", listed),
            "select",
            (r.at_least("rps", 300), r.below("p99", 40)),
        ),
        Workload(
            "4",
            "Open311 GET requests/{id}.json, random ids",
            _paths("open311-one", one),
            "select",
            (r.at_least("rps", 1000),),
        ),
        Workload(
            "5",
            "staff inbox: unit, open, overdue (logged-in handler)",
            Load(path=inbox, cookie=f"sessionid={session}"),
            "select",
            (r.below("p99", 100),),
        ),
        *(
            Workload("6", f"public {name}, cached", Load(path=path), "select", cached)
            for name, path in public_pages()
        ),
    ]


def http_rows(base: str, data: Fixtures) -> list[r.Row]:
    """The baselines, then every workload over HTTP, then the cold public pages."""
    measured = {}
    for name, load in baselines().items():
        probe(base, load)
        measured[name] = measure_load(base, load, f"baseline-{name}")
    rows = [
        r.http_row("B", f"baseline: {name}", result, constant=measured["constant"], database=None)
        for name, result in measured.items()
    ]
    ordered = sorted(_creates(base, data) + _reads(base, data), key=_order)
    for position, workload in enumerate(ordered, 1):
        probe(base, workload.load)
        log_name = f"workload-{position:02d}-{workload.number}"
        result = measure_load(base, workload.load, log_name)
        rows.append(
            r.http_row(
                workload.number,
                workload.name,
                result,
                constant=measured["constant"],
                database=measured[workload.baseline],
                targets=workload.targets,
            )
        )
    return rows + cold_rows(base)


def _order(workload: Workload) -> str:
    return workload.number


def cold_rows(base: str) -> list[r.Row]:
    """Each public page COLD_REQUESTS times, the cache emptied before each request: over
    HTTP when the cache is shared with gunicorn's workers, else in this process."""
    from django.conf import settings
    from django.core.cache import cache

    from bench.public_pages import public_pages, timings

    shared = bool(settings.CACHE_URL)
    rows = []
    for name, path in public_pages():
        if shared:
            taken = []
            for _ in range(COLD_REQUESTS):
                cache.clear()
                started = time.perf_counter()
                status, _page = Browser(base).request(path)
                taken.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
        else:
            taken = timings(path, COLD_REQUESTS, cold=True, host="127.0.0.1")
        how = "HTTP" if shared else "in process"
        label = f"public {name}, cold ({COLD_REQUESTS} requests, cache emptied, {how})"
        rows.append(r.cold_row("6", label, taken, (r.below("max", 1000),)))
    return rows


def timed_rows(data: Fixtures, today: date) -> list[r.Row]:
    """Workloads 7 and 8, timed in this process as `bench.kpis` and
    `bench.survey_analysis` time them."""
    from bench.kpis import MONTHS, recompute_all
    from bench.survey_analysis import analysis_times
    from servicenav.surveys.models import Response

    kpis = recompute_all(today.replace(day=1))
    responses = Response.objects.filter(round=data.analysed_round).count()
    questions = data.analysed_round.questions.count()
    return [
        r.timed_row(
            "7",
            f"all KPIs × units × {MONTHS} months ({kpis.written:,} values; "
            f"rewriting them: {kpis.rewritten:.1f} s)",
            [kpis.seconds],
            (r.below("seconds", 60),),
        ),
        r.timed_row(
            "8",
            f"survey analysis, {responses:,} responses × {questions} questions",
            analysis_times(data.analysed_round, data.compared_round),
            (r.below("seconds", 2),),
        ),
    ]


def cache_url() -> str:
    """The cache gunicorn's workers share: SERVICENAV_CACHE_URL, or the local Redis when
    one answers, or none (each worker its own, and the cold pages timed in this process)."""
    if os.environ.get("SERVICENAV_CACHE_URL"):
        return os.environ["SERVICENAV_CACHE_URL"]
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return ""
    return SHARED_CACHE


def heading(database: loaddata.LoadDatabase, filled: float | None, load_before: str) -> str:
    from django.conf import settings
    from django.utils import timezone

    from bench import settings as bench_settings
    from servicenav.cases.models import Case
    from servicenav.surveys.models import Response

    generated = "kept from an earlier run" if filled is None else f"generated now in {filled:.0f} s"
    return "\n".join(
        [
            "# Load benchmark (`make bench`, `bench/load.py`)",
            "",
            f"- date: {timezone.now():%Y-%m-%d %H:%M %Z}",
            f"- CPU: {cpu_model()}, {os.cpu_count()} CPUs; {platform.platform()}",
            f"- Python {platform.python_version()}; {database_version()} on 127.0.0.1",
            f"- data: {Case.objects.count():,} cases, {Response.objects.count():,} survey "
            f"answers (generate_data --cases {database.cases} --answers {database.answers} "
            f"--seed 1; {generated})",
            f"- server: gunicorn, {WORKERS} sync workers, DEBUG off; cache: "
            + (settings.CACHE_URL or "per worker (local memory)"),
            f"- load: wrk, {THREADS} threads, {CONNECTIONS} connections, {WARMUP} s warm-up "
            f"then {SECONDS} s measured, {TIMEOUT} s timeout",
            f"- limits: {bench_settings.BENCH_LIMITS_NOTE}",
            f"- load average (1, 5, 15 min) before: {load_before}; after: {load_average()} "
            "(the machine is shared: other work slows every figure)",
        ]
    )


NOTES = """
- errors: answers other than the one expected (302 for the forms, 201 for Open311 POST and
  the INSERT baseline, 200 otherwise), non-2xx/3xx among them, plus socket errors and
  timeouts; a request that timed out counts in the percentiles as taking the timeout.
- × constant: requests/s over the constant-JSON baseline's; × DB baseline: over the
  one-INSERT baseline's for writes, the one-SELECT baseline's for reads.
- cold public pages: the cache emptied before each request, then the page fetched once;
  their p99 column holds the slowest. 7 and 8 are timed in the benchmark's process after
  gunicorn has stopped: 7 from an empty table (median of one run), 8 the median of
  BENCH_REPEAT runs.
- wrk's own output of every run is in var/bench-load/.
"""


def main() -> None:
    wrk_binary()  # missing wrk: say so before minutes of generating
    database = loaddata.load_database(cases=CASES, answers=ANSWERS)
    reusable = loaddata.database_reusable(database, fresh=FRESH)
    environment = {
        "DATABASE_URL": database.url,
        "SERVICENAV_CACHE_URL": cache_url(),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SERVICENAV_DEBUG": "0",
        # Static files are not served here: whitenoise's warning about them is noise.
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }
    os.environ.update(environment)
    setup_django("bench.settings")
    from django.core.management import call_command
    from django.utils import timezone

    print(f"Load benchmark in the database {database.name}; load average {load_average()}")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    filled = None if reusable else loaddata.fill(database, today)
    loaddata.ensure_baseline_table()
    data = loaddata.fixtures(today)
    load_before = load_average()
    with gunicorn(environment) as base:
        rows = http_rows(base, data)
    rows += timed_rows(data, today)
    rows.sort(key=lambda row: (row.number != "B", row.number))  # stable: cold after cached
    text = f"{heading(database, filled, load_before)}\n\n{r.table(rows)}\n{NOTES}"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print()
    print(text)
    print(f"Written to {RESULTS.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
