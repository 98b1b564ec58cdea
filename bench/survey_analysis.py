"""How long the analysis of one large survey round takes, without a warm cache.

A survey of 30 questions (25 scale questions in 5 areas, 3 of them the overall questions,
2 yes/no questions, 3 background questions) gets a round of 100,000 responses and an
earlier round of 20,000 to compare with. The script times, N times each with the cache
cleared: reading the answers, the whole analysis, and the whole staff page through the
Django test client as a logged-in reader. The issue's target is under 2 seconds.

    make bench                                   # SQLite, a file under var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench

It works in a throw-away test database (`test_<name>` on PostgreSQL, `var/bench-*.sqlite3`
for SQLite) that it creates, fills and drops again. Sizes: BENCH_RESPONSES, BENCH_PREVIOUS,
BENCH_REPEAT. `bench.load` times the same analysis (workload 8) in its own database."""

from __future__ import annotations

import os
import platform
import statistics
import time
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from bench.harness import cpu_model, database_version, env_int, load_average, scratch_database

if TYPE_CHECKING:
    from collections.abc import Callable

RESPONSES = env_int("BENCH_RESPONSES", 100_000)
PREVIOUS = env_int("BENCH_PREVIOUS", 20_000)
REPEAT = env_int("BENCH_REPEAT", 3)
AREAS = 5
AREA_QUESTIONS = (5, 5, 4, 4, 4)  # 22 scale questions in areas, plus 3 overall ones
BACKGROUND = (
    ("Ålder", ["16–29", "30–49", "50–64", "65–79", "80+"]),
    ("Kommundel", ["Norr", "Söder", "Öster", "Väster", "Centrum", "Landsbygd"]),
    ("Använder tjänsten", ["Ja, ofta", "Ibland", "Nej"]),
)


def build_survey(unit: Any = None, title: str = "Medborgarenkät") -> tuple[Any, list[Any]]:
    """The survey and its questions in order (ORM, as an editor would have made them), of
    `unit` or of a new unit "Benchmark"."""
    from servicenav.surveys.models import Area, Question, Survey
    from servicenav.testing import make_unit

    survey = Survey.objects.create(
        unit=unit or make_unit(name="Benchmark"), title_sv=title, target_group_sv="Invånare"
    )
    questions: list[Any] = []

    def add(kind: str, text: str, **fields: Any) -> None:
        questions.append(
            Question.objects.create(
                survey=survey, kind=kind, text_sv=text, order=len(questions), **fields
            )
        )

    for a, count in enumerate(AREA_QUESTIONS):
        area = Area.objects.create(survey=survey, name_sv=f"Område {a + 1}", order=a)
        for q in range(count):
            add("scale", f"Fråga {a + 1}.{q + 1}", area=area, scale_max=5, allows_dont_know=True)
    for q in range(3):
        add("scale", f"Helhet {q + 1}", scale_max=10, is_overall=True)
    add("yes_no", "Fick du hjälp?")
    add("yes_no", "Skulle du rekommendera kommunen?")
    for text, options in BACKGROUND:
        add("single", text, options=[{"sv": o, "en": o} for o in options], is_background=True)
    return survey, questions


def generated_answers(count: int, questions: list[Any], seed: int, lift: float) -> list[list[Any]]:
    """Answers driven by each respondent's satisfaction with each area, so indices, changes
    and the priority matrix have something real to find; 4 % skip, 3 % say "don't know"."""
    rng = np.random.default_rng(seed)
    general = rng.normal(0, 0.8, count)
    areas = general[:, None] + rng.normal(0, 0.7, (count, AREAS)) + lift
    columns = []
    area_of = [a for a, n in enumerate(AREA_QUESTIONS) for _ in range(n)]
    for a in area_of:
        columns.append(np.clip(np.rint(3.4 + areas[:, a] + rng.normal(0, 0.6, count)), 1, 5))
    driver = areas @ np.array([0.45, 0.25, 0.15, 0.1, 0.05])
    for _ in range(3):
        columns.append(np.clip(np.rint(6.5 + 1.8 * driver + rng.normal(0, 1, count)), 1, 10))
    for shift in (0.5, 0.0):
        columns.append(np.where(general + rng.normal(0, 1, count) > -shift, 1, 2))
    for _text, options in BACKGROUND:
        columns.append(rng.integers(1, len(options) + 1, count))
    matrix = np.column_stack(columns).astype(np.int64)
    scale = [i for i, q in enumerate(questions) if q.kind == "scale" and q.allows_dont_know]
    dont_know = rng.random((count, len(scale))) < 0.03
    matrix[:, scale] = np.where(dont_know, 0, matrix[:, scale])
    rows: list[list[Any]] = matrix.tolist()
    skipped = np.argwhere(rng.random(matrix.shape) < 0.04)
    for i, j in skipped:
        rows[i][j] = None
    return rows


def fill(round: Any, rows: list[list[Any]]) -> None:
    from servicenav.surveys.models import Response

    Response.objects.bulk_create(
        (Response(round=round, answers=row, submitted_on=round.opens_on) for row in rows),
        batch_size=5000,
    )


def timed(work: Callable[[], Any], before: Callable[[], Any] = lambda: None) -> list[float]:
    times = []
    for _ in range(REPEAT):
        before()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float]) -> None:
    print(f"  {label:<44} median {statistics.median(times):6.3f} s   max {max(times):6.3f} s")


def filled_rounds(unit: Any = None, title: str = "Medborgarenkät") -> tuple[Any, Any, list[Any]]:
    """A survey with an earlier round of PREVIOUS responses and a later one of RESPONSES:
    the later round, the earlier one and the questions."""
    from servicenav.surveys.services import round_create

    survey, questions = build_survey(unit, title)
    earlier = round_create(
        survey=survey, name="2025", opens_on=date(2025, 3, 1), closes_on=date(2025, 3, 31), by=None
    )
    fill(earlier, generated_answers(PREVIOUS, questions, seed=1, lift=0.0))
    latest = round_create(
        survey=survey, name="2026", opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 31), by=None
    )
    fill(latest, generated_answers(RESPONSES, questions, seed=2, lift=0.08))
    return latest, earlier, questions


def analysis_times(latest: Any, earlier: Any) -> list[float]:
    """Seconds of the whole analysis of `latest` compared with `earlier`, REPEAT times."""
    from servicenav.surveys.analysis import analyse_round

    return timed(lambda: analyse_round(latest, earlier))


def measure() -> None:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from servicenav.organisation.models import Role
    from servicenav.surveys.round_data import RoundData
    from servicenav.testing import make_user

    started = time.perf_counter()
    latest, earlier, questions = filled_rounds()
    survey = latest.survey
    print(
        f"  filled {RESPONSES:,} + {PREVIOUS:,} responses in {time.perf_counter() - started:.1f} s"
    )

    reader = make_user(role=Role.VIEWER, unit=survey.unit)
    client = Client()
    client.force_login(reader)
    url = reverse("surveys:analysis", args=[latest.pk])
    response = client.get(url)
    assert response.status_code == 200, response.status_code  # noqa: S101 - a broken run
    analysis = response.context["analysis"]
    print(
        f"  page: {len(response.content) / 1024:.0f} KiB, {len(analysis.changes)} compared "
        f"results, {len(analysis.breakdowns)} breakdowns, priority matrix "
        f"{'yes' if analysis.priority else 'no'}"
    )
    print(f"\n  {RESPONSES:,} responses × {len(questions)} questions, compared with {PREVIOUS:,}:")
    report("read the answers into a matrix", timed(lambda: RoundData(latest)))
    report("analysis, cold (both rounds)", analysis_times(latest, earlier))
    report("whole page, cold cache (test client)", timed(lambda: client.get(url), cache.clear))
    report("whole page, warm cache", timed(lambda: client.get(url)))


def main() -> None:
    with scratch_database("bench-survey.sqlite3", keep=False):
        print("Survey analysis benchmark")
        print(f"  machine: {platform.platform()}, {cpu_model()}, {os.cpu_count()} CPUs")
        print(f"  Python {platform.python_version()}, numpy {np.__version__}, {database_version()}")
        print(
            f"  load average before: {load_average()} "
            "(other work on the machine slows every figure)"
        )
        measure()


if __name__ == "__main__":
    main()
