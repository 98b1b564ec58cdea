"""The Swedish working-day calendar, checked against real dates 2025-2028."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from servicenav.core.calendar import WorkingCalendar, _holidays_for_year

CALENDAR = WorkingCalendar()


# --- Easter -----------------------------------------------------------------

EASTERS = [
    # (year, skärtorsdagen, långfredagen, annandag påsk, tuesday after Easter)
    (2025, date(2025, 4, 17), date(2025, 4, 18), date(2025, 4, 21), date(2025, 4, 22)),
    (2026, date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 6), date(2026, 4, 7)),
    (2027, date(2027, 3, 25), date(2027, 3, 26), date(2027, 3, 29), date(2027, 3, 30)),
]


@pytest.mark.parametrize(
    ("year", "maundy_thursday", "good_friday", "easter_monday", "tuesday"), EASTERS
)
def test_good_friday_and_easter_monday_are_closed(
    year, maundy_thursday, good_friday, easter_monday, tuesday
):
    assert not CALENDAR.is_working_day(good_friday)
    assert not CALENDAR.is_working_day(easter_monday)
    assert CALENDAR.closed_reason(good_friday) == "Långfredagen"
    assert CALENDAR.closed_reason(easter_monday) == "Annandag påsk"


@pytest.mark.parametrize(
    ("year", "maundy_thursday", "good_friday", "easter_monday", "tuesday"), EASTERS
)
def test_maundy_thursday_is_an_ordinary_working_day(
    year, maundy_thursday, good_friday, easter_monday, tuesday
):
    assert CALENDAR.is_working_day(maundy_thursday)


@pytest.mark.parametrize(
    ("year", "maundy_thursday", "good_friday", "easter_monday", "tuesday"), EASTERS
)
def test_maundy_thursday_plus_one_working_day_is_the_tuesday_after_easter(
    year, maundy_thursday, good_friday, easter_monday, tuesday
):
    assert CALENDAR.add_working_days(maundy_thursday, 1) == tuesday
    assert CALENDAR.working_days_between(maundy_thursday, tuesday) == 1


# --- Midsummer --------------------------------------------------------------


def test_midsummer_eve_is_a_closed_friday():
    midsummer_eve = date(2026, 6, 19)
    assert midsummer_eve.weekday() == 4
    assert not CALENDAR.is_working_day(midsummer_eve)
    assert CALENDAR.closed_reason(midsummer_eve) == "Midsommarafton"


def test_midsummer_day_is_named_rather_than_called_a_saturday():
    assert CALENDAR.closed_reason(date(2026, 6, 20)) == "Midsommardagen"


def test_the_day_before_midsummer_eve_plus_one_working_day_is_the_monday_after():
    assert CALENDAR.add_working_days(date(2026, 6, 18), 1) == date(2026, 6, 22)


# --- Christmas and New Year ---------------------------------------------------


def test_christmas_eve_christmas_day_and_boxing_day_are_closed_on_weekdays():
    for day, name in [
        (date(2025, 12, 24), "Julafton"),
        (date(2025, 12, 25), "Juldagen"),
        (date(2025, 12, 26), "Annandag jul"),
    ]:
        assert day.weekday() < 5
        assert not CALENDAR.is_working_day(day)
        assert CALENDAR.closed_reason(day) == name


def test_the_day_before_christmas_eve_plus_one_working_day_is_the_monday_after():
    assert CALENDAR.add_working_days(date(2025, 12, 23), 1) == date(2025, 12, 29)


def test_new_years_eve_and_new_years_day_are_closed():
    assert CALENDAR.closed_reason(date(2025, 12, 31)) == "Nyårsafton"
    assert CALENDAR.closed_reason(date(2026, 1, 1)) == "Nyårsdagen"
    assert not CALENDAR.is_working_day(date(2025, 12, 31))
    assert not CALENDAR.is_working_day(date(2026, 1, 1))


def test_the_day_before_new_years_eve_plus_one_working_day_is_the_second_of_january():
    assert CALENDAR.add_working_days(date(2025, 12, 30), 1) == date(2026, 1, 2)


def test_epiphany_is_closed_and_skipped():
    assert CALENDAR.closed_reason(date(2026, 1, 6)) == "Trettondedag jul"
    assert CALENDAR.add_working_days(date(2026, 1, 5), 1) == date(2026, 1, 7)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # 24-27 December 2026 are Thursday-Sunday and all closed.
        (1, date(2026, 12, 28)),
        (2, date(2026, 12, 29)),
        (3, date(2026, 12, 30)),
        # 31 Dec (nyårsafton), 1 Jan (nyårsdagen) and the weekend are closed.
        (4, date(2027, 1, 4)),
        (5, date(2027, 1, 5)),
        # 6 January 2027 (trettondedag jul) is a Wednesday.
        (6, date(2027, 1, 7)),
    ],
)
def test_a_deadline_from_the_day_before_christmas_eve_crosses_the_year_boundary(days, expected):
    start = date(2026, 12, 23)
    assert CALENDAR.add_working_days(start, days) == expected
    assert CALENDAR.working_days_between(start, expected) == days


# --- Spring holidays ----------------------------------------------------------


def test_ascension_day_is_closed_and_skipped():
    assert CALENDAR.closed_reason(date(2026, 5, 14)) == "Kristi himmelsfärdsdag"
    assert CALENDAR.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)


def test_a_configured_bridge_day_after_ascension_day_moves_the_deadline_to_monday():
    calendar = WorkingCalendar(extra_closed=frozenset({date(2026, 5, 15)}))
    assert not calendar.is_working_day(date(2026, 5, 15))
    assert calendar.closed_reason(date(2026, 5, 15)) == "Extra stängd dag"
    assert calendar.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)
    assert calendar.working_days_between(date(2026, 5, 13), date(2026, 5, 18)) == 1


def test_an_extra_closed_day_that_is_already_a_holiday_is_not_subtracted_twice():
    calendar = WorkingCalendar(extra_closed=frozenset({date(2026, 5, 14), date(2026, 5, 16)}))
    assert calendar.working_days_between(date(2026, 5, 11), date(2026, 5, 18)) == 4


def test_national_day_on_a_saturday_gives_no_weekday_off_in_its_place():
    national_day = date(2026, 6, 6)
    assert national_day.weekday() == 5
    assert CALENDAR.closed_reason(national_day) == "Nationaldagen"
    assert CALENDAR.add_working_days(date(2026, 6, 5), 1) == date(2026, 6, 8)
    assert CALENDAR.is_working_day(date(2026, 6, 5))
    assert CALENDAR.is_working_day(date(2026, 6, 8))


def test_whit_monday_has_been_a_working_day_since_2005():
    whit_monday = date(2025, 6, 9)
    assert CALENDAR.is_working_day(whit_monday)
    assert CALENDAR.add_working_days(date(2025, 6, 5), 1) == whit_monday


# --- Weekends and edge cases ------------------------------------------------


@pytest.mark.parametrize("start", [date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 8)])
def test_friday_saturday_and_sunday_plus_one_working_day_are_all_the_next_monday(start):
    assert CALENDAR.add_working_days(start, 1) == date(2026, 3, 9)


def test_a_plain_weekend_day_is_closed_because_it_is_a_weekend_day():
    assert CALENDAR.closed_reason(date(2026, 3, 7)) == "lördag"
    assert CALENDAR.closed_reason(date(2026, 3, 8)) == "söndag"


def test_an_ordinary_weekday_has_no_closed_reason():
    assert CALENDAR.is_working_day(date(2026, 3, 9))
    assert CALENDAR.closed_reason(date(2026, 3, 9)) is None


def test_adding_zero_working_days_returns_the_start_even_when_it_is_closed():
    assert CALENDAR.add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)
    assert CALENDAR.add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)


def test_adding_negative_working_days_raises_a_value_error():
    with pytest.raises(ValueError, match="zero or positive"):
        CALENDAR.add_working_days(date(2026, 3, 9), -1)


def test_working_days_between_the_same_day_is_zero():
    assert CALENDAR.working_days_between(date(2026, 12, 25), date(2026, 12, 25)) == 0


def test_working_days_between_is_negative_when_the_end_is_before_the_start():
    start = date(2026, 12, 23)
    end = date(2027, 1, 7)
    assert CALENDAR.working_days_between(start, end) == 6
    assert CALENDAR.working_days_between(end, start) == -6


def test_working_days_between_is_the_inverse_of_add_working_days():
    calendar = WorkingCalendar(extra_closed=frozenset({date(2026, 5, 15), date(2027, 5, 7)}))
    start = date(2025, 1, 1)
    while start <= date(2028, 12, 31):
        for days in range(16):
            deadline = calendar.add_working_days(start, days)
            assert calendar.working_days_between(start, deadline) == days, (start, days)
        start += timedelta(days=1)


def test_working_days_between_over_years_matches_counting_day_by_day():
    calendar = WorkingCalendar(extra_closed=frozenset({date(2026, 5, 15), date(2026, 5, 16)}))
    start = date(2024, 11, 13)
    end = date(2028, 2, 29)
    counted = sum(
        calendar.is_working_day(start + timedelta(days=offset))
        for offset in range(1, (end - start).days + 1)
    )
    assert calendar.working_days_between(start, end) == counted


def test_2026_has_251_working_days():
    # 2026 starts on a Thursday and has 365 days: 52 whole weeks plus one Thursday,
    # so 261 weekdays. These are the closed ones; nationaldagen, annandag jul,
    # midsommardagen and alla helgons dag fall on Saturdays that year.
    closed_weekdays = [
        date(2026, 1, 1),
        date(2026, 1, 6),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 6, 19),
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 31),
    ]
    assert all(day.weekday() < 5 for day in closed_weekdays)
    assert CALENDAR.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 261 - 10


def test_adding_ten_working_days_builds_the_holiday_table_only_once():
    _holidays_for_year.cache_clear()
    WorkingCalendar().add_working_days(date(2026, 3, 2), 10)
    assert _holidays_for_year.cache_info().misses == 1


def test_a_day_has_a_closed_reason_exactly_when_it_is_not_a_working_day():
    calendar = WorkingCalendar(extra_closed=frozenset({date(2026, 5, 15)}))
    day = date(2026, 1, 1)
    while day <= date(2026, 12, 31):
        assert (calendar.closed_reason(day) is None) == calendar.is_working_day(day), day
        day += timedelta(days=1)
