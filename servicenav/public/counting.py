"""Counting a subtree's cases per unit, kind and month, with the KPIs' own definitions.

The cases are read and judged by `servicenav.kpis.case_statistics`, the one place that
says which case counts in which period: `load_facts` reads the facts about the subtree's
cases as arrays, and each statistic's `observe` says which case counts in which month —

- *received* as the share of praise counts its population (the day received),
- *answered*, with the working days to the answer, as the median and 90th percentile of
  working days to answer count them (the first reply or first close; waiting included),
- *due* and *due in time* as the share answered by the deadline counts them (the answer
  deadline in the month; answered by it or not, unanswered counting against).

What is added here is only the split by kind and by each unit's own cases, with numpy:
one load of the facts (two queries) and one pass over them, however many units, kinds
and months.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from servicenav.core.calendar import WorkingCalendar
from servicenav.core.periods import Period
from servicenav.kpis.case_statistics import (
    KINDS,
    STATISTICS,
    CaseFacts,
    Observations,
    Periods,
    WorkingDays,
    load_facts,
    received_from,
)
from servicenav.kpis.models import Statistic

IntArray = npt.NDArray[np.int64]
# The statistics whose cases the counts are.
RECEIVED = Statistic.SHARE_PRAISE
ANSWERED = Statistic.MEDIAN_DAYS_TO_ANSWER
DUE = Statistic.SHARE_ANSWERED_BY_DEADLINE


@dataclass
class Tallies:
    """The counts of one unit's own cases of one kind in one month."""

    received: int = 0
    answered: int = 0
    days: Counter[int] = field(default_factory=Counter)
    due: int = 0
    due_in_time: int = 0


Cells = dict[tuple[str, str, date], Tallies]  # (unit path, kind, first day of the month)


def load(root_path: str, first: date, last: date) -> CaseFacts:
    """The facts of the subtree's cases that can count from `first` to `last` in any of
    the three statistics."""
    earliest = min(received_from(code, first, {}) for code in (RECEIVED, ANSWERED, DUE))
    return load_facts(root_path, first, last, received_from=earliest)


def _observe(code: str, facts: CaseFacts, periods: Periods, days: WorkingDays) -> Observations:
    return STATISTICS[code].observe(facts, periods, days, {})


def _cell_keys(facts: CaseFacts, seen: Observations, months: int) -> IntArray:
    """One number per observation for its (own unit, kind, month)."""
    return (facts.unit[seen.case] * len(KINDS) + facts.kind[seen.case]) * months + seen.period


def _counts(keys: IntArray) -> list[tuple[int, int]]:
    """(key, how many times it occurs) for each distinct key."""
    found, counts = np.unique(keys, return_counts=True)
    return list(zip(found.tolist(), counts.tolist(), strict=True))


def count_months(root_path: str, months: list[Period], calendar: WorkingCalendar) -> Cells:
    """The tallies of every unit (by path) and kind in `root_path`'s subtree in each of
    `months` (in order, one after the other)."""
    first, last = months[0].start, months[-1].end
    facts = load(root_path, first, last)
    periods = Periods.of(months)
    earliest = int(min(first.toordinal(), facts.received.min(initial=first.toordinal())))
    days = WorkingDays(calendar, earliest, last.toordinal())
    cells: Cells = {}

    def cell(key: int) -> Tallies:
        owner_kind, month = divmod(key, len(months))
        owner, kind = divmod(owner_kind, len(KINDS))
        return cells.setdefault(
            (facts.unit_paths[owner], KINDS[kind], months[month].start), Tallies()
        )

    received = _observe(RECEIVED, facts, periods, days)
    for key, n in _counts(_cell_keys(facts, received, len(months))):
        cell(key).received = n
    due = _observe(DUE, facts, periods, days)
    due_keys = _cell_keys(facts, due, len(months))
    for key, n in _counts(due_keys):
        cell(key).due = n
    for key, n in _counts(due_keys[due.hit]):
        cell(key).due_in_time = n
    answered = _observe(ANSWERED, facts, periods, days)
    # One key per (cell, working days): the histogram of each cell.
    widest = int(answered.days.max(initial=0)) + 1
    for key, n in _counts(_cell_keys(facts, answered, len(months)) * widest + answered.days):
        tallies = cell(key // widest)
        tallies.answered += n
        tallies.days[key % widest] = n
    return cells
