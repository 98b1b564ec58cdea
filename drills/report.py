"""The drills' table: for each drill and database, what was done and what held."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    drill: str
    database: str
    done: str
    held: str
    ok: bool


HEADERS = ("drill", "database", "what was done", "what held", "verdict")


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in rows:
        verdict = "held" if row.ok else "**NOT HELD**"
        cells = (row.drill, row.database, row.done, row.held, verdict)
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    return "\n".join(lines)


def answers(counts: dict[str, int]) -> str:
    """Answers by kind, the successful ones first."""
    ordered = sorted(counts.items(), key=lambda item: (item[0] != "ok", item[0]))
    return ", ".join(f"{kind} {count:,}" for kind, count in ordered) or "none"


def failed_except_rate_limit(counts: dict[str, int]) -> int:
    return sum(
        count for kind, count in counts.items() if kind not in {"ok", "refused by the rate limit"}
    )
