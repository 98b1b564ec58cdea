"""The Swedish working-day calendar that deadlines are counted in.

A working day is a weekday that is neither a Swedish public holiday, nor one of
the de facto days off that the Annual Leave Act treats like a Sunday
(midsommarafton, julafton, nyårsafton), nor an extra closed day that the
municipality has configured (for example a "klämdag").

This module is pure on purpose: it never touches the database, so that it can be
used from anywhere and tested without one. The caller loads the configured extra
closed days and passes them in as a frozenset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

# Monday is 0 in date.weekday(); Saturday and Sunday are 5 and 6.
_FIRST_WEEKEND_DAY = 5
_DAYS_PER_WEEK = 7
_WEEKDAYS_PER_WEEK = 5
_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=32)
def _holidays_for_year(year: int) -> dict[date, str]:
    """Return the closed holidays of one year, keyed by date, with Swedish names.

    Building the table from the holidays package is by far the most expensive
    step, and deadline arithmetic asks for the same year again and again, so the
    result is cached per year. The returned dict is shared: never mutate it.

    The "de_facto" category is what adds midsommarafton, julafton and nyårsafton.
    The language is given explicitly because the package otherwise guesses it from
    the process locale and falls back to English names.
    """
    # country_holidays() rather than holidays.Sweden: the class is only re-exported
    # implicitly, which mypy's no_implicit_reexport rejects.
    table = holidays.country_holidays(
        "SE", years=year, categories=("public", "de_facto"), language="sv"
    )
    return dict(table.items())


def _weekdays_up_to(day: date) -> int:
    """Count Monday-Friday dates from 0001-01-01 (a Monday) up to ``day`` inclusive.

    Counting by whole weeks makes spans of many years cost O(1) instead of a loop.
    """
    full_weeks, rest = divmod(day.toordinal(), _DAYS_PER_WEEK)
    return full_weeks * _WEEKDAYS_PER_WEEK + min(rest, _WEEKDAYS_PER_WEEK)


@dataclass(frozen=True)
class WorkingCalendar:
    """Answers which days are working days and counts deadlines in working days."""

    extra_closed: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        """Return True if ``day`` is a weekday that is not a holiday or extra closed day."""
        return day.weekday() < _FIRST_WEEKEND_DAY and not self._is_closed_weekday(day)

    def closed_reason(self, day: date) -> str | None:
        """Return why ``day`` is closed (holiday name in Swedish), or None on a working day.

        A holiday name wins over "it is a Saturday", because "Midsommardagen" tells
        a reader more than "lördag" does.
        """
        holiday_name = _holidays_for_year(day.year).get(day)
        if holiday_name is not None:
            return holiday_name
        if day in self.extra_closed:
            return str(_("Extra closed day"))
        if day.weekday() >= _FIRST_WEEKEND_DAY:
            return str(WEEKDAYS[day.weekday()])
        return None

    def add_working_days(self, start: date, days: int) -> date:
        """Return the date ``days`` working days after ``start`` (``start`` not counted).

        A closed ``start`` is handled the same way: Saturday + 1 is Monday.
        Zero days returns ``start`` unchanged, even if it is closed, because
        "no extra time" should not silently move a date.
        """
        if days < 0:
            msg = f"days must be zero or positive, got {days}"
            raise ValueError(msg)
        day = start
        remaining = days
        while remaining:
            day += _ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days d with start < d <= end; negative when end is before start.

        This is the inverse of add_working_days:
        ``working_days_between(s, add_working_days(s, n)) == n`` for every n >= 0.
        """
        if end < start:
            return -self.working_days_between(end, start)
        weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
        return weekdays - len(self._closed_weekdays_in(start, end))

    def _is_closed_weekday(self, day: date) -> bool:
        return day in self.extra_closed or day in _holidays_for_year(day.year)

    def _closed_weekdays_in(self, start: date, end: date) -> set[date]:
        """Return the closed Monday-Friday dates d with start < d <= end.

        A set, because a configured extra closed day may also be a holiday and
        must then only be subtracted once.
        """
        candidates = set(self.extra_closed)
        for year in range(start.year, end.year + 1):
            candidates.update(_holidays_for_year(year))
        return {
            day for day in candidates if start < day <= end and day.weekday() < _FIRST_WEEKEND_DAY
        }
