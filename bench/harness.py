"""What every benchmark script shares: the throw-away test database, the generated data,
the facts about the machine, and the table printed at the end.

Settings: DATABASE_URL as for the application (SQLite in var/ by default); BENCH_CASES and
BENCH_ANSWERS for the size (0: by the database, see `default_size`); BENCH_KEEP=1 keeps
the test database, so that a later run of the same size reuses the generated data."""

from __future__ import annotations

import os
import platform
import time
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from datetime import date

ROOT = Path(__file__).resolve().parent.parent
SEED = 1


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; a clear message instead of a traceback."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        return int(text.replace("_", ""))
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {text!r}.") from None


KEEP = os.environ.get("BENCH_KEEP", "") == "1"


def default_size() -> tuple[int, int]:
    """Cases and survey answers: BENCH_CASES and BENCH_ANSWERS, or by the database (the
    issue's size on PostgreSQL; a tenth on SQLite, which writes them row by row)."""
    from django.db import connection

    large = connection.vendor == "postgresql"
    cases = env_int("BENCH_CASES", 0) or (1_000_000 if large else 100_000)
    answers = env_int("BENCH_ANSWERS", 0) or (2_000_000 if large else 200_000)
    return cases, answers


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    print()
    print(markdown_table(headers, rows))


def print_heading(title: str) -> None:
    print(title)
    print(f"  machine: {platform.platform()}, Python {platform.python_version()}")
    print(f"  load average before: {load_average()} (other work on the machine slows every figure)")


def machine_rows() -> list[tuple[str, str]]:
    """The closing rows of a measure/value table: where and when it was measured."""
    from django.utils import timezone

    return [
        ("CPU", f"{cpu_model()}, {os.cpu_count()} CPUs"),
        ("database", database_version()),
        ("date", timezone.localdate().isoformat()),
        ("load average after", load_average()),
    ]


def setup_django(settings: str = "servicenav.settings") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    django.setup()


@contextmanager
def scratch_database(sqlite_name: str, *, keep: bool = KEEP) -> Iterator[None]:
    """A test database of its own (`test_<name>` on PostgreSQL, `var/<sqlite_name>` on
    SQLite), created for the block and dropped after it unless `keep`."""
    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment(debug=False)
    if connection.vendor == "sqlite":
        (ROOT / "var").mkdir(exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(ROOT / "var" / sqlite_name)
    # Not serialised for tests that roll back to it: that would read the million cases
    # of a kept database, for minutes.
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=not keep, keepdb=keep, serialize=False
    )
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keep)
        teardown_test_environment()


def generated(
    *, cases: int, answers: int = 0, until: date, check_size: bool = True
) -> float | None:
    """Generate the municipality unless the (kept) database has it already; the seconds
    taken, or None when it was there. With `check_size`, a kept database of another size
    is refused."""
    from servicenav.cases.models import Case
    from servicenav.core.generate import generate
    from servicenav.core.generate.organisation import TOP_SLUG
    from servicenav.organisation.models import Unit

    if Unit.objects.filter(slug=TOP_SLUG).exists():
        if check_size and Case.objects.count() != cases:
            raise SystemExit("The kept database holds another size: drop it or change BENCH_CASES.")
        return None
    started = time.perf_counter()
    generate(cases=cases, answers=answers, seed=SEED, years=4, until=until, stdout=StringIO())
    return time.perf_counter() - started


def compute_public_figures(until: date) -> None:
    """What the public pages read: the indicators and the public feedback statistics, as
    the nightly commands compute them."""
    from servicenav.kpis.compute import compute_all
    from servicenav.kpis.survey_compute import compute_survey_indicators
    from servicenav.public.feedback import feedback_statistics_compute

    compute_all(today=until)
    compute_survey_indicators(today=until)
    feedback_statistics_compute(today=until)
