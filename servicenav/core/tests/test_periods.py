"""Periods: boundaries, stepping, codes and labels."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from servicenav.core.periods import Period, PeriodKind, periods_between

MONTH = PeriodKind.MONTH
QUARTER = PeriodKind.QUARTER
TERTIAL = PeriodKind.TERTIAL
YEAR = PeriodKind.YEAR


# --- Boundaries ---------------------------------------------------------------


def test_february_in_the_leap_year_2028_ends_on_the_29th():
    february = Period(MONTH, 2028, 2)
    assert february.start == date(2028, 2, 1)
    assert february.end == date(2028, 2, 29)


def test_february_in_an_ordinary_year_ends_on_the_28th():
    assert Period(MONTH, 2026, 2).end == date(2026, 2, 28)


def test_the_fourth_quarter_is_october_to_december():
    q4 = Period(QUARTER, 2026, 4)
    assert q4.start == date(2026, 10, 1)
    assert q4.end == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [
        (1, date(2026, 1, 1), date(2026, 4, 30)),
        (2, date(2026, 5, 1), date(2026, 8, 31)),
        (3, date(2026, 9, 1), date(2026, 12, 31)),
    ],
)
def test_tertials_are_january_may_and_september_to_the_end_of_the_fourth_month(number, start, end):
    tertial = Period(TERTIAL, 2026, number)
    assert tertial.start == start
    assert tertial.end == end


def test_a_year_runs_from_new_years_day_to_new_years_eve():
    year = Period(YEAR, 2026, 1)
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize("kind", list(PeriodKind))
def test_consecutive_periods_leave_no_gap_and_do_not_overlap(kind):
    period = Period.containing(date(2025, 1, 1), kind)
    while period.year < 2029:
        assert period.next().start == date.fromordinal(period.end.toordinal() + 1)
        period = period.next()


# --- Validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number"),
    [(MONTH, 0), (MONTH, 13), (QUARTER, 5), (TERTIAL, 0), (TERTIAL, 4), (YEAR, 2)],
)
def test_a_number_outside_the_year_is_rejected(kind, number):
    with pytest.raises(ValueError, match="must be between 1 and"):
        Period(kind, 2026, number)


def test_an_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="Unknown period kind"):
        Period("week", 2026, 1)


def test_a_plain_string_kind_is_stored_as_the_enum():
    period = Period("quarter", 2026, 1)
    assert period.kind is QUARTER
    assert period == Period(QUARTER, 2026, 1)


# --- containing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (MONTH, Period(MONTH, 2026, 8)),
        (QUARTER, Period(QUARTER, 2026, 3)),
        (TERTIAL, Period(TERTIAL, 2026, 2)),
        (YEAR, Period(YEAR, 2026, 1)),
    ],
)
def test_the_last_of_august_falls_in_month_8_quarter_3_and_tertial_2(kind, expected):
    day = date(2026, 8, 31)
    assert Period.containing(day, kind) == expected
    assert expected.contains(day)


def test_a_period_does_not_contain_the_day_after_its_end():
    assert not Period(TERTIAL, 2026, 1).contains(date(2026, 5, 1))
    assert not Period(TERTIAL, 2026, 2).contains(date(2026, 4, 30))


# --- next and previous ---------------------------------------------------------


@pytest.mark.parametrize(
    ("last_of_year", "first_of_next"),
    [
        (Period(MONTH, 2026, 12), Period(MONTH, 2027, 1)),
        (Period(QUARTER, 2026, 4), Period(QUARTER, 2027, 1)),
        (Period(TERTIAL, 2026, 3), Period(TERTIAL, 2027, 1)),
        (Period(YEAR, 2026, 1), Period(YEAR, 2027, 1)),
    ],
)
def test_next_and_previous_cross_the_year_boundary(last_of_year, first_of_next):
    assert last_of_year.next() == first_of_next
    assert first_of_next.previous() == last_of_year


def test_next_and_previous_within_a_year_step_the_number():
    assert Period(QUARTER, 2026, 2).next() == Period(QUARTER, 2026, 3)
    assert Period(QUARTER, 2026, 2).previous() == Period(QUARTER, 2026, 1)


# --- Codes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "code"),
    [
        (Period(YEAR, 2026, 1), "2026"),
        (Period(TERTIAL, 2026, 2), "2026-T2"),
        (Period(QUARTER, 2026, 3), "2026-Q3"),
        (Period(MONTH, 2026, 3), "2026-03"),
        (Period(MONTH, 2026, 12), "2026-12"),
    ],
)
def test_code_and_str_are_the_stable_machine_code(period, code):
    assert period.code == code
    assert str(period) == code
    assert Period.parse(code) == period


@pytest.mark.parametrize("kind", list(PeriodKind))
def test_parsing_the_code_of_every_period_gives_the_period_back(kind):
    for period in periods_between(
        Period.containing(date(2025, 1, 1), kind), Period.containing(date(2028, 12, 31), kind)
    ):
        assert Period.parse(period.code) == period


@pytest.mark.parametrize(
    "code",
    [
        "2026-Q5",
        "2026-13",
        "abc",
        "2026-T0",
        "2026-00",
        "2026-Q0",
        "2026-T4",
        "0000",
        "",
        "2026-3",
        "2026-q3",
        "26-Q3",
        "2026-Q3 ",
        "2026-W12",
        "\uff12\uff10\uff12\uff16",
    ],
)
def test_parse_rejects_a_bad_code_with_a_clear_message(code):
    with pytest.raises(ValueError, match="Invalid period code"):
        Period.parse(code)


# --- periods_between and ordering ----------------------------------------------


def test_periods_between_includes_both_ends_and_crosses_years():
    assert periods_between(Period(TERTIAL, 2025, 3), Period(TERTIAL, 2026, 2)) == [
        Period(TERTIAL, 2025, 3),
        Period(TERTIAL, 2026, 1),
        Period(TERTIAL, 2026, 2),
    ]


def test_periods_between_a_period_and_itself_is_just_that_period():
    assert periods_between(Period(MONTH, 2026, 3), Period(MONTH, 2026, 3)) == [
        Period(MONTH, 2026, 3)
    ]


def test_periods_between_is_empty_when_the_last_is_before_the_first():
    assert periods_between(Period(MONTH, 2026, 3), Period(MONTH, 2026, 2)) == []


def test_periods_between_can_end_in_the_last_supported_year():
    assert periods_between(Period(YEAR, 9998, 1), Period(YEAR, 9999, 1)) == [
        Period(YEAR, 9998, 1),
        Period(YEAR, 9999, 1),
    ]


def test_periods_between_different_kinds_is_rejected():
    with pytest.raises(ValueError, match="Cannot list periods"):
        periods_between(Period(MONTH, 2026, 1), Period(QUARTER, 2026, 1))


def test_periods_of_one_kind_sort_chronologically():
    periods = [Period(MONTH, 2027, 1), Period(MONTH, 2026, 12), Period(MONTH, 2026, 2)]
    assert sorted(periods) == [
        Period(MONTH, 2026, 2),
        Period(MONTH, 2026, 12),
        Period(MONTH, 2027, 1),
    ]
    assert Period(QUARTER, 2026, 4) < Period(QUARTER, 2027, 1)


def test_periods_are_hashable_values():
    assert len({Period(MONTH, 2026, 3), Period.parse("2026-03")}) == 1


# --- Labels -------------------------------------------------------------------


def test_a_month_label_uses_djangos_swedish_month_name():
    with translation.override("sv"):
        assert Period(MONTH, 2026, 3).label == "mars 2026"


def test_a_year_label_is_just_the_year():
    with translation.override("sv"):
        assert Period(YEAR, 2026, 1).label == "2026"


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period(MONTH, 2026, 3), "March 2026"),
        (Period(QUARTER, 2026, 3), "quarter 3 2026"),
        (Period(TERTIAL, 2026, 2), "tertial 2 2026"),
        (Period(YEAR, 2026, 1), "2026"),
    ],
)
def test_labels_in_english(period, label):
    with translation.override("en"):
        assert period.label == label


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period(QUARTER, 2026, 3), "kvartal 3 2026"),
        (Period(TERTIAL, 2026, 2), "tertial 2 2026"),
    ],
)
def test_labels_in_swedish(period, label):
    with translation.override("sv"):
        assert period.label == label
