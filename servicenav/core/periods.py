"""Calendar periods (month, quarter, tertial, year) as a small value type.

Statistics are reported per period, and periods travel through URLs and forms,
so each one has a stable machine ``code`` ("2026-03", "2026-Q3", "2026-T2",
"2026") that ``Period.parse`` turns back into the same period.

Tertials follow Swedish municipal practice: T1 = January-April,
T2 = May-August, T3 = September-December.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

_MONTHS_PER_YEAR = 12
# date() accepts years 1-9999; codes are always four digits.
_MIN_YEAR = 1
_MAX_YEAR = 9999


class PeriodKind(StrEnum):
    """How long a period is; the value is stable and safe to store."""

    MONTH = "month"
    QUARTER = "quarter"
    TERTIAL = "tertial"
    YEAR = "year"

    @property
    def months(self) -> int:
        """Number of calendar months one period of this kind spans."""
        return _MONTHS_PER_KIND[self]

    @property
    def periods_per_year(self) -> int:
        """How many periods of this kind a year is divided into."""
        return _MONTHS_PER_YEAR // self.months


# For model fields that store a PeriodKind value.
PERIOD_KIND_CHOICES = [
    (PeriodKind.MONTH.value, _("month")),
    (PeriodKind.QUARTER.value, _("quarter")),
    (PeriodKind.TERTIAL.value, _("tertial")),
    (PeriodKind.YEAR.value, _("year")),
]

_MONTHS_PER_KIND: dict[PeriodKind, int] = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.TERTIAL: 4,
    PeriodKind.YEAR: 12,
}

# The letter in a code, for the kinds whose code has one.
_CODE_LETTERS: dict[PeriodKind, str] = {PeriodKind.QUARTER: "Q", PeriodKind.TERTIAL: "T"}
_KINDS_BY_LETTER: dict[str, PeriodKind] = {letter: kind for kind, letter in _CODE_LETTERS.items()}

# [0-9] rather than \d, which would also accept non-ASCII digits.
_CODE_PATTERN = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?:(?P<month>[0-9]{2})|(?P<letter>[QT])(?P<number>[0-9])))?"
)


@dataclass(frozen=True, order=True)
class Period:
    """One month, quarter, tertial or year.

    ``number`` is the 1-based index within the year (month 1-12, quarter 1-4,
    tertial 1-3, year 1). Ordering compares kind first, so it is chronological
    only among periods of the same kind.
    """

    kind: PeriodKind
    year: int
    number: int

    def __post_init__(self) -> None:
        # Accept the plain string value ("quarter") too, but always store the enum,
        # so that equality and hashing do not depend on how the period was built.
        try:
            kind = PeriodKind(self.kind)
        except ValueError:
            msg = f"Unknown period kind {self.kind!r}"
            raise ValueError(msg) from None
        object.__setattr__(self, "kind", kind)
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            msg = f"Year must be between {_MIN_YEAR} and {_MAX_YEAR}, got {self.year}"
            raise ValueError(msg)
        if not 1 <= self.number <= kind.periods_per_year:
            msg = (
                f"A {kind} number must be between 1 and {kind.periods_per_year}, got {self.number}"
            )
            raise ValueError(msg)

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> Period:
        """Return the period of ``kind`` that ``day`` falls in."""
        kind = PeriodKind(kind)
        return cls(kind, day.year, (day.month - 1) // kind.months + 1)

    @classmethod
    def parse(cls, code: str) -> Period:
        """Return the period whose ``code`` is ``code``; ValueError if there is none."""
        match = _CODE_PATTERN.fullmatch(code)
        if match is None:
            msg = f"Invalid period code {code!r}: expected YYYY, YYYY-Tn, YYYY-Qn or YYYY-MM"
            raise ValueError(msg)
        kind, number = _kind_and_number(match)
        try:
            return cls(kind, int(match["year"]), number)
        except ValueError as error:
            msg = f"Invalid period code {code!r}: {error}"
            raise ValueError(msg) from error

    @property
    def start(self) -> date:
        """The first day of the period."""
        return date(self.year, self._first_month, 1)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        last_month = self._first_month + self.kind.months - 1
        if last_month == _MONTHS_PER_YEAR:
            return date(self.year, 12, 31)
        return date(self.year, last_month + 1, 1) - timedelta(days=1)

    @property
    def code(self) -> str:
        """Stable machine code: "2026", "2026-T2", "2026-Q3" or "2026-03"."""
        year = f"{self.year:04d}"
        if self.kind is PeriodKind.YEAR:
            return year
        if self.kind is PeriodKind.MONTH:
            return f"{year}-{self.number:02d}"
        return f"{year}-{_CODE_LETTERS[self.kind]}{self.number}"

    @property
    def label(self) -> str:
        """Human-readable label in the active language, e.g. "mars 2026"."""
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        if self.kind is PeriodKind.MONTH:
            return _("%(month)s %(year)s") % {"month": MONTHS[self.number], "year": self.year}
        if self.kind is PeriodKind.QUARTER:
            return _("quarter %(number)s %(year)s") % {"number": self.number, "year": self.year}
        return _("tertial %(number)s %(year)s") % {"number": self.number, "year": self.year}

    def contains(self, day: date) -> bool:
        """Return True if ``day`` falls within the period."""
        return self.start <= day <= self.end

    def next(self) -> Period:
        """The period of the same kind right after this one."""
        if self.number < self.kind.periods_per_year:
            return Period(self.kind, self.year, self.number + 1)
        return Period(self.kind, self.year + 1, 1)

    def previous(self) -> Period:
        """The period of the same kind right before this one."""
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, self.kind.periods_per_year)

    def __str__(self) -> str:
        return self.code

    @property
    def _first_month(self) -> int:
        return (self.number - 1) * self.kind.months + 1


def _kind_and_number(match: re.Match[str]) -> tuple[PeriodKind, int]:
    """Read the kind and number out of a match of ``_CODE_PATTERN``."""
    if match["month"] is not None:
        return PeriodKind.MONTH, int(match["month"])
    if match["letter"] is not None:
        return _KINDS_BY_LETTER[match["letter"]], int(match["number"])
    return PeriodKind.YEAR, 1


def periods_between(first: Period, last: Period) -> list[Period]:
    """Return every period from ``first`` to ``last``, both included.

    Both must be of the same kind. Like ``range``, a ``last`` before ``first``
    gives an empty list rather than an error.
    """
    if first.kind != last.kind:
        msg = f"Cannot list periods between a {first.kind} and a {last.kind}"
        raise ValueError(msg)
    if last < first:
        return []
    # Stop on reaching ``last`` instead of stepping past it, so that a range
    # ending in year 9999 does not try to build a period in year 10000.
    periods = [first]
    while periods[-1] != last:
        periods.append(periods[-1].next())
    return periods


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier, when negative); the
    month's last day when it is shorter (31 March + 1 month = 30 April)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
