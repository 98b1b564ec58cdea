"""Counting units' own cases per kind and month, with the KPIs' own definitions.

The cases are read and judged by `servicenav.kpis.case_statistics`, the one place that
says which case counts in which period: `load_unit_facts` reads the facts about the
units' cases as arrays, once for every unit and month, and each statistic's `observe`
says which case counts in which month —

- *received* as the share of praise counts its population (the day received),
- *answered*, with the working days to the answer, as the median and 90th percentile of
  working days to answer count them (the first reply or first close; waiting included),
- *due* and *due in time* as the share answered by the deadline counts them (the answer
  deadline in the month; answered by it or not, unanswered counting against).

What is added here is only the split by each unit's own cases, kind and month, with
numpy: every count is one `bincount` over all cases into an array of (month, unit, kind)
cells, and the histograms of working days one sort of (cell, days) keys. Three queries
(units aside) and a few array operations, however many units, kinds and months.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
    load_unit_facts,
    received_from,
)
from servicenav.kpis.models import Statistic

IntArray = npt.NDArray[np.int64]
# The statistics whose cases the counts are.
RECEIVED = Statistic.SHARE_PRAISE
ANSWERED = Statistic.MEDIAN_DAYS_TO_ANSWER
DUE = Statistic.SHARE_ANSWERED_BY_DEADLINE


@dataclass(frozen=True)
class Cell:
    """The counts of one unit's own cases of one kind in one month."""

    unit_path: str
    kind: str
    month: date  # its first day
    received: int
    answered: int
    days: dict[int, int]  # working days to answer → how many cases, in ascending order
    due: int
    due_in_time: int


@dataclass(frozen=True)
class Counts:
    """The counts of every (month, unit, kind) cell, each an array of that shape (units
    in the order of `unit_paths`, kinds of `KINDS`), and the histograms of working days
    to answer as (cell, days, how many) in the order of the cells' flat positions."""

    unit_paths: list[str]
    months: list[Period]
    received: IntArray
    answered: IntArray
    due: IntArray
    due_in_time: IntArray
    histogram_cell: IntArray
    histogram_days: IntArray
    histogram_count: IntArray

    def cells(self, month: int) -> Iterator[Cell]:
        """The cells of month number `month` with any case, by unit and kind."""
        counted = self.received[month] + self.answered[month] + self.due[month]
        found = np.flatnonzero(counted)
        # The month's histograms, one after the other: its cells' flat positions are
        # month × cells per month onwards.
        begin, end = np.searchsorted(
            self.histogram_cell, np.array([month, month + 1]) * counted.size
        )
        cells = self.histogram_cell[begin:end] - month * counted.size
        low = np.searchsorted(cells, found, side="left").tolist()
        high = np.searchsorted(cells, found, side="right").tolist()
        days = self.histogram_days[begin:end].tolist()
        counts = self.histogram_count[begin:end].tolist()
        first_day = self.months[month].start
        for position, unit_kind in enumerate(found.tolist()):
            unit, kind = divmod(unit_kind, len(KINDS))
            start, stop = low[position], high[position]
            yield Cell(
                unit_path=self.unit_paths[unit],
                kind=KINDS[kind],
                month=first_day,
                received=int(self.received[month, unit, kind]),
                answered=int(self.answered[month, unit, kind]),
                days=dict(zip(days[start:stop], counts[start:stop], strict=True)),
                due=int(self.due[month, unit, kind]),
                due_in_time=int(self.due_in_time[month, unit, kind]),
            )


def load(units: Mapping[int, str], first: date, last: date) -> CaseFacts:
    """The facts of the units' own cases (id → path) that can count from `first` to
    `last` in any of the three statistics."""
    earliest = min(received_from(code, first, {}) for code in (RECEIVED, ANSWERED, DUE))
    return load_unit_facts(units, first, last, received_from=earliest)


def _observe(code: str, facts: CaseFacts, periods: Periods, days: WorkingDays) -> Observations:
    return STATISTICS[code].observe(facts, periods, days, {})


def _cells(facts: CaseFacts, seen: Observations) -> IntArray:
    """The flat (month, unit, kind) position of each observation."""
    units = len(facts.unit_paths)
    return (seen.period * units + facts.unit[seen.case]) * len(KINDS) + facts.kind[seen.case]


def count_months(
    units: Mapping[int, str], months: list[Period], calendar: WorkingCalendar
) -> Counts:
    """The counts of the own cases of each of `units` (id → path) by kind in each of
    `months` (in order, one after the other)."""
    first, last = months[0].start, months[-1].end
    facts = load(units, first, last)
    periods = Periods.of(months)
    earliest = int(min(first.toordinal(), facts.received.min(initial=first.toordinal())))
    days = WorkingDays(calendar, earliest, last.toordinal())
    shape = (len(months), len(facts.unit_paths), len(KINDS))
    size = int(np.prod(shape))

    def count(cells: IntArray) -> IntArray:
        return np.bincount(cells, minlength=size).reshape(shape)

    received = _observe(RECEIVED, facts, periods, days)
    due = _observe(DUE, facts, periods, days)
    due_cells = _cells(facts, due)
    answered = _observe(ANSWERED, facts, periods, days)
    answered_cells = _cells(facts, answered)
    # One key per (cell, working days): sorted, they are each cell's histogram in turn.
    widest = int(answered.days.max(initial=0)) + 1
    keys, key_counts = np.unique(answered_cells * widest + answered.days, return_counts=True)
    return Counts(
        unit_paths=facts.unit_paths,
        months=months,
        received=count(_cells(facts, received)),
        answered=count(answered_cells),
        due=count(due_cells),
        due_in_time=count(due_cells[due.hit]),
        histogram_cell=keys // widest,
        histogram_days=keys % widest,
        histogram_count=key_counts.astype(np.int64),
    )
