"""The table of `bench.load`: one row per workload, its figures, its ratios to the
baselines, the issue's target and whether this run met it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench.harness import markdown_table
from bench.server import TIMEOUT

if TYPE_CHECKING:
    from bench.server import Measured

HEADERS = (
    "#",
    "workload",
    "req/s",
    "p50",
    "p95",
    "p99",
    "errors",
    "× constant",
    "× DB baseline",
    "target",
    "met",
)
UNITS = {"rps": " req/s", "p95": " ms", "p99": " ms", "max": " ms", "seconds": " s"}
LABELS = {
    "rps": "",
    "db_ratio": "of the DB baseline ",
    "p95": "p95 ",
    "p99": "p99 ",
    "max": "slowest ",
    "seconds": "",
}


@dataclass(frozen=True)
class Target:
    metric: str  # a key of Row.values
    at_least: bool  # True: value ≥ bound; False: value < bound
    bound: float

    def describe(self) -> str:
        sign = "≥" if self.at_least else "<"
        if self.metric == "errors":
            return "no errors"
        if self.metric == "db_ratio":
            return f"≥ {self.bound:.0%} of the DB baseline"
        return f"{LABELS[self.metric]}{sign} {self.bound:,g}{UNITS[self.metric]}"

    def met_by(self, values: dict[str, float]) -> bool:
        value = values[self.metric]
        return value >= self.bound if self.at_least else value < self.bound


NO_ERRORS = Target("errors", False, 1)


def at_least(metric: str, bound: float) -> Target:
    return Target(metric, True, bound)


def below(metric: str, bound: float) -> Target:
    return Target(metric, False, bound)


@dataclass(frozen=True)
class Row:
    number: str
    name: str
    cells: dict[str, str]  # req/s … × DB baseline, as shown
    values: dict[str, float]  # what the targets judge
    targets: tuple[Target, ...]

    def missed(self) -> list[Target]:
        return [target for target in self.targets if not target.met_by(self.values)]

    def line(self) -> list[str]:
        missed = self.missed()
        verdict = (
            "met"
            if not missed
            else "**not met**: " + ", ".join(target.describe() for target in missed)
        )
        figures = [self.cells.get(name, "–") for name in HEADERS[2:9]]
        stated = [target for target in self.targets if target is not NO_ERRORS]
        target = "; ".join(target.describe() for target in stated) or "–"
        return [self.number, self.name, *figures, target, verdict if self.targets else "–"]


def _ms(value: float) -> str:
    if value >= TIMEOUT * 1000:  # more requests than the rest timed out: at least this
        return f"≥ {TIMEOUT} s (timeouts)"
    return f"{value:.1f} ms"


def http_row(
    number: str,
    name: str,
    measured: Measured,
    *,
    constant: Measured | None,
    database: Measured | None,
    targets: tuple[Target, ...] = (),
) -> Row:
    """A workload (or baseline) measured by wrk; ratios of requests/s to the baselines."""
    rate = measured.per_second
    values = {"rps": rate, "p95": measured.p95_ms, "p99": measured.p99_ms}
    values["errors"] = measured.errors
    cells = {
        "req/s": f"{rate:,.0f}",
        "p50": _ms(measured.p50_ms),
        "p95": _ms(measured.p95_ms),
        "p99": _ms(measured.p99_ms),
        "errors": f"{measured.errors:,} of {measured.requests:,}",
    }
    if constant is not None and constant.per_second:
        cells["× constant"] = f"{rate / constant.per_second:.2f}"
    if database is not None and database.per_second:
        values["db_ratio"] = rate / database.per_second
        cells["× DB baseline"] = f"{values['db_ratio']:.2f}"
    # A workload that fails requests meets no target, however fast the rest were.
    return Row(number, name, cells, values, (*targets, NO_ERRORS) if targets else ())


def cold_row(number: str, name: str, taken_ms: list[float], targets: tuple[Target, ...]) -> Row:
    """Requests timed one by one (the cache emptied before each): p50, p95 and the slowest."""
    ordered = sorted(taken_ms)
    p95 = statistics.quantiles(ordered, n=20, method="inclusive")[18]
    cells = {
        "p50": _ms(statistics.median(ordered)),
        "p95": _ms(p95),
        "p99": f"max {_ms(ordered[-1])}",
        "errors": f"0 of {len(ordered)}",
    }
    return Row(number, name, cells, {"max": ordered[-1], "p95": p95}, targets)


def timed_row(number: str, name: str, seconds: list[float], targets: tuple[Target, ...]) -> Row:
    """Work timed in the process (no HTTP): the median of the runs, in seconds."""
    median = statistics.median(seconds)
    cells = {"p50": f"{median:.2f} s", "p99": f"max {max(seconds):.2f} s"}
    return Row(number, name, cells, {"seconds": median}, targets)


def table(rows: list[Row]) -> str:
    return markdown_table(HEADERS, [row.line() for row in rows])
