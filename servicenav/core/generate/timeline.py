"""Moments for many cases at once: when staff act, in office hours, on working days.

A moment is a number of seconds on the municipality's own wall clock (local time),
counted from day 1 of the proleptic calendar, so its day is `moment // DAY` and is a
`date.toordinal()`; only when written is it turned into text, in UTC.
`NEVER` stands for a step that does not happen."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

import numpy as np
from django.utils import timezone

from servicenav.kpis.case_statistics import WorkingDays

if TYPE_CHECKING:
    from servicenav.kpis.case_statistics import BoolArray, IntArray

DAY = 86_400
HOUR = 3_600
OPENS, CLOSES = 8 * HOUR, 16 * HOUR + 30 * 60
NEVER = np.int64(2**62)
# Day ordinal of 1970-01-01: local seconds minus this many days is Unix time (plus offset).
_UNIX_DAY = date(1970, 1, 1).toordinal()


class Timeline:
    def __init__(self, days: WorkingDays, rng: np.random.Generator) -> None:
        self.days = days
        self.rng = rng
        self._offsets: dict[int, int] = {}

    def happens(self, moments: IntArray) -> BoolArray:
        return moments < NEVER

    def moment(self, start: IntArray, working_days: IntArray | int) -> IntArray:
        """A moment in office hours `working_days` working days after each start (0: later
        the same working day when there is time left, else the next working day), drawn
        towards the morning; NEVER after NEVER."""
        happens = self.happens(start)
        start = np.where(happens, start, start[happens].min() if happens.any() else 0)
        day = self.days.add(start // DAY, working_days)
        day = np.where(self.days.is_working(day), day, self.days.add(day, 1))
        earliest = np.maximum(day * DAY + OPENS, start + 600)
        too_late = earliest >= day * DAY + CLOSES
        next_day = self.days.add(day, 1)
        day = np.where(too_late, next_day, day)
        earliest = np.where(too_late, next_day * DAY + OPENS, earliest)
        span = day * DAY + CLOSES - earliest
        drawn = earliest + (span * self.rng.random(start.size) ** 2).astype(np.int64)
        return np.where(happens, drawn, NEVER)

    def soon(self, at: IntArray) -> IntArray:
        """One to five minutes later."""
        later = at + 60 * self.rng.integers(1, 6, at.size)
        return np.where(self.happens(at), later, NEVER)

    def datetimes(self, moments: IntArray) -> list[str | None]:
        """The moments in UTC as ISO text without an offset (see `writer`); None for
        NEVER."""
        happens = self.happens(moments)
        local = np.where(happens, moments, 0)
        days, position = np.unique(local // DAY, return_inverse=True)
        offsets = np.array([self._offset(day) for day in days.tolist()], dtype=np.int64)
        unix = local - _UNIX_DAY * DAY - offsets[position]
        stamps = unix.astype("datetime64[s]").astype("U19").astype(object)
        stamps[~happens] = None
        return list(stamps.tolist())

    def _offset(self, day: int) -> int:
        """Seconds local time is ahead of UTC on that day (midday: no times are drawn
        in the night hour a daylight-saving switch moves)."""
        offset = self._offsets.get(day)
        if offset is None:
            noon = datetime.combine(
                date.fromordinal(max(day, 1)), time(12), tzinfo=timezone.get_default_timezone()
            )
            delta = noon.utcoffset()
            offset = self._offsets[day] = int(delta.total_seconds()) if delta else 0
        return offset


def dates(days: IntArray) -> list[str]:
    """The days as ISO text."""
    return list((days - _UNIX_DAY).astype("datetime64[D]").astype("U10").tolist())
