"""Every case statistic on hand-built cases, at its edges: holidays inside a limit, paused
clocks, reopened cases, empty periods, one case too few, a percentile exactly on a data
point, and which units' cases count."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from servicenav.cases.services import (
    case_acknowledge,
    case_close,
    case_merge,
    case_reopen,
    case_reply,
    case_start,
    case_wait,
)
from servicenav.core.calendar import WorkingCalendar
from servicenav.core.periods import Period
from servicenav.kpis import case_statistics as stats
from servicenav.kpis.case_statistics import Result
from servicenav.organisation.models import Role
from servicenav.surveys.statistics import wilson_interval
from servicenav.testing import make_case, make_user

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CALENDAR = WorkingCalendar()
MARCH = Period.parse("2026-03")
APRIL = Period.parse("2026-04")
MAY = Period.parse("2026-05")
JUNE = Period.parse("2026-06")
SEPTEMBER = Period.parse("2026-09")


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM)


def received(unit, day: date, kind: str = "complaint", hour: int = 10):
    moment = at(day, hour)
    return make_case(unit=unit, kind=kind, received_at=moment, at=moment)


def close(case, handler, day: date, hour: int = 12, minute: int = 0) -> None:
    case_close(case=case, outcome="answered", by=handler, at=at(day, hour, minute))


def interval(within: int, n: int) -> tuple[Decimal, Decimal]:
    estimate = wilson_interval(within, n)
    assert estimate is not None
    return (
        Decimal(str(round(estimate.low, 1))),
        Decimal(str(round(estimate.high, 1))),
    )


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.teknik)


# --- Acknowledged within N working days ---------------------------------------------------


def test_acknowledged_within_counts_easter_out_of_the_limit(tree, handler):
    # Received Thursday 2 April 2026: Good Friday, the weekend and Easter Monday are not
    # working days, so two working days run out on Wednesday 8 April.
    assert CALENDAR.add_working_days(date(2026, 4, 2), 2) == date(2026, 4, 8)
    in_time = received(tree.gata, date(2026, 4, 2))
    case_acknowledge(case=in_time, by=handler, at=at(date(2026, 4, 8), 23, 30))
    late = received(tree.gata, date(2026, 4, 2))
    # 00:30 on 9 April in Stockholm is still 8 April in UTC: the local date decides.
    case_acknowledge(case=late, by=handler, at=at(date(2026, 4, 9), 0, 30))
    received(tree.gata, date(2026, 4, 2))  # never acknowledged: counts against
    # Due on 2 April: counted in April although received in March.
    due_in_april = received(tree.gata, date(2026, 3, 31))
    case_acknowledge(case=due_in_april, by=handler, at=at(date(2026, 4, 1)))
    # Received Friday 27 March: due Tuesday 31 March, so it belongs to March.
    received(tree.gata, date(2026, 3, 27))

    result = stats.share_acknowledged_within(tree.gata, APRIL, limit_days=2)

    low, high = interval(2, 4)
    assert result == Result(value=Decimal("50.0"), n=4, low=low, high=high)
    march = stats.share_acknowledged_within(tree.gata, MARCH, limit_days=2)
    assert (march.value, march.n) == (Decimal("0.0"), 1)


def test_a_share_needs_the_fewest_cases(tree, handler):
    for _ in range(4):
        case = received(tree.gata, date(2026, 4, 2))
        case_acknowledge(case=case, by=handler, at=at(date(2026, 4, 7)))

    too_few = stats.share_acknowledged_within(tree.gata, APRIL, limit_days=2, min_cases=5)
    enough = stats.share_acknowledged_within(tree.gata, APRIL, limit_days=2, min_cases=4)

    assert too_few == Result(value=None, n=4)
    assert (enough.value, enough.n) == (Decimal("100.0"), 4)
    assert enough.high == Decimal("100.0")
    assert enough.low is not None
    assert enough.low < Decimal(100)


def test_an_empty_period_has_no_value(tree):
    for statistic in stats.STATISTICS:
        result = stats.measure(statistic, tree.gata, MAY, params={"limit_days": 2})
        assert result.n == 0, statistic
        if statistic == "open_older_than_deadline":
            assert result.value == Decimal(0)  # no backlog is a real figure
        else:
            assert result.value is None, statistic


def test_within_statistics_need_a_limit(tree):
    with pytest.raises(ValueError, match="limit_days"):
        stats.share_answered_within(tree.gata, MAY)


# --- Answered within N working days --------------------------------------------------------


def test_answered_within_over_midsommar_and_a_reopened_case(tree, handler):
    # Received Wednesday 17 June 2026: midsommarafton (19 June) is closed, so two working
    # days run out on Monday 22 June.
    assert CALENDAR.add_working_days(date(2026, 6, 17), 2) == date(2026, 6, 22)
    replied = received(tree.gata, date(2026, 6, 17))
    case_reply(case=replied, text="Vi tittar på det.", by=handler, at=at(date(2026, 6, 22), 16))
    close(replied, handler, date(2026, 7, 1))  # the reply was the answer
    closed_late = received(tree.gata, date(2026, 6, 17))
    close(closed_late, handler, date(2026, 6, 23))
    # Closed in time, then reopened and still open: it was answered in time all the same.
    reopened = received(tree.gata, date(2026, 6, 17))
    close(reopened, handler, date(2026, 6, 18))
    case_reopen(case=reopened, by=handler, reason="Mer att göra", at=at(date(2026, 6, 25)))
    received(tree.gata, date(2026, 6, 17))  # never answered

    result = stats.share_answered_within(tree.gata, JUNE, limit_days=2)

    assert (result.value, result.n) == (Decimal("50.0"), 4)


def test_merged_cases_do_not_count(tree, handler):
    kept = received(tree.gata, date(2026, 6, 17))
    duplicate = received(tree.gata, date(2026, 6, 17))
    case_merge(case=duplicate, into=kept, by=handler, at=at(date(2026, 6, 18)))

    result = stats.share_answered_within(tree.gata, JUNE, limit_days=2)

    assert (result.value, result.n) == (Decimal("0.0"), 1)


# --- Answered by the answer deadline -------------------------------------------------------


def test_a_paused_clock_moves_the_deadline_into_the_next_period(tree, handler):
    # Received Monday 16 March: ten working days end on Monday 30 March.
    paused = received(tree.gata, date(2026, 3, 16))
    assert paused.answer_by == date(2026, 3, 30)
    # Four working days waiting for the citizen (24-27 March) and Easter push it to 7 April.
    case_wait(case=paused, by=handler, reason="Väntar på foto", at=at(date(2026, 3, 23)))
    case_start(case=paused, by=handler, at=at(date(2026, 3, 27)))
    paused.refresh_from_db()
    assert paused.answer_by == date(2026, 4, 7)
    close(paused, handler, date(2026, 4, 7), 16)
    # Not paused: due 30 March and answered a day late.
    plain = received(tree.gata, date(2026, 3, 16))
    close(plain, handler, date(2026, 3, 31))

    march = stats.share_answered_by_deadline(tree.gata, MARCH)
    april = stats.share_answered_by_deadline(tree.gata, APRIL)

    assert (march.value, march.n) == (Decimal("0.0"), 1)
    assert (april.value, april.n) == (Decimal("100.0"), 1)


# --- Working days to answer ---------------------------------------------------------------


def answered_after(unit, handler, received_on: date, working_days: int) -> None:
    case = received(unit, received_on)
    close(case, handler, CALENDAR.add_working_days(received_on, working_days))


def test_median_and_90th_percentile_exactly_on_a_case(tree, handler):
    # Eleven cases answered after 0..10 working days: the 90th percentile sits exactly on
    # the tenth value (position 0.9 × 10 = 9), the median on the sixth.
    for days in range(11):
        answered_after(tree.gata, handler, date(2026, 9, 1), days)

    median = stats.median_days_to_answer(tree.gata, SEPTEMBER)
    p90 = stats.p90_days_to_answer(tree.gata, SEPTEMBER)

    assert median == Result(value=Decimal("5.0"), n=11)
    assert p90 == Result(value=Decimal("9.0"), n=11)


def test_the_90th_percentile_between_two_cases_is_interpolated(tree, handler):
    for days in range(1, 11):
        answered_after(tree.gata, handler, date(2026, 9, 1), days)

    p90 = stats.p90_days_to_answer(tree.gata, SEPTEMBER)
    median = stats.median_days_to_answer(tree.gata, SEPTEMBER)

    # Position 0.9 × 9 = 8.1: between 9 and 10, a tenth of the way.
    assert p90.value == Decimal("9.1")
    assert float(np.percentile(range(1, 11), 90)) == pytest.approx(9.1)
    assert median.value == Decimal("5.5")


def test_days_to_answer_count_the_answers_given_in_the_period(tree, handler):
    # Received in August, answered in September after 5 working days: counted in September.
    answered_after(tree.gata, handler, date(2026, 8, 25), 5)
    # Received and answered in August: not counted.
    answered_after(tree.gata, handler, date(2026, 8, 3), 2)
    # Waiting for the citizen is not subtracted: the citizen waited all the same.
    waited = received(tree.gata, date(2026, 9, 1))
    case_wait(case=waited, by=handler, at=at(date(2026, 9, 2)))
    case_start(case=waited, by=handler, at=at(date(2026, 9, 9)))
    close(waited, handler, date(2026, 9, 10))  # 7 working days after 1 September
    received(tree.gata, date(2026, 9, 1))  # not answered: not in this statistic

    median = stats.median_days_to_answer(tree.gata, SEPTEMBER, min_cases=3)
    p90 = stats.p90_days_to_answer(tree.gata, SEPTEMBER)

    assert median == Result(value=None, n=2)  # one case too few
    assert p90.value == Decimal("6.8")  # 5 + 0.9 × (7 − 5)


# --- Cases open at the period's end -------------------------------------------------------


def test_open_cases_at_the_end_of_the_period(tree, handler):
    # Still open: received 2 March, 21 working days old on 31 March, past its deadline.
    received(tree.gata, date(2026, 3, 2))
    # Closed in April: open on 31 March, 11 working days old, due 30 March so past it.
    closed_after = received(tree.gata, date(2026, 3, 16))
    close(closed_after, handler, date(2026, 4, 10))
    # Closed, reopened within March, closed again in April: open at the end of March, and
    # its new answer clock (from 25 March) had not run out.
    reopened_within = received(tree.gata, date(2026, 3, 23))
    close(reopened_within, handler, date(2026, 3, 24))
    case_reopen(case=reopened_within, by=handler, at=at(date(2026, 3, 25)))
    close(reopened_within, handler, date(2026, 4, 10))
    # Closed in March and reopened in April: closed at the end of March.
    reopened_after = received(tree.gata, date(2026, 3, 2))
    close(reopened_after, handler, date(2026, 3, 20))
    case_reopen(case=reopened_after, by=handler, at=at(date(2026, 4, 8)))
    # Closed in March: not open.
    done = received(tree.gata, date(2026, 3, 2))
    close(done, handler, date(2026, 3, 20))
    # Received after the end.
    received(tree.gata, date(2026, 4, 1))

    median = stats.open_age_median(tree.gata, MARCH)
    p90 = stats.open_age_p90(tree.gata, MARCH)
    late = stats.open_older_than_deadline(tree.gata, MARCH)

    # Ages 6, 11 and 21 working days.
    assert median == Result(value=Decimal("11.0"), n=3)
    assert p90 == Result(value=Decimal("19.0"), n=3)  # 11 + 0.8 × (21 − 11)
    assert late == Result(value=Decimal(2), n=3)


def test_a_case_closed_at_the_last_minute_of_the_period_is_not_open(tree, handler):
    case = received(tree.gata, date(2026, 3, 2))
    close(case, handler, date(2026, 3, 31), 23, 59)
    still_open = received(tree.gata, date(2026, 3, 2))
    close(still_open, handler, date(2026, 4, 1), 0, 1)

    assert stats.open_age_median(tree.gata, MARCH).n == 1


# --- Share of praise, and which units count -----------------------------------------------


def test_share_of_praise_counts_the_unit_and_those_below_it_only(tree):
    received(tree.gata, date(2026, 5, 4), kind="praise")
    received(tree.vatten, date(2026, 5, 29), kind="praise")
    received(tree.teknik, date(2026, 5, 12), kind="suggestion")
    received(tree.gata, date(2026, 5, 31), hour=23, kind="complaint")
    received(tree.gata, date(2026, 4, 30), hour=23, kind="praise")  # April
    received(tree.hemtjanst, date(2026, 5, 5), kind="praise")  # a sibling's case
    received(tree.social, date(2026, 5, 5), kind="complaint")

    teknik = stats.share_praise(tree.teknik, MAY)
    gata = stats.share_praise(tree.gata, MAY)
    kommun = stats.share_praise(tree.kommun, MAY)

    low, high = interval(2, 4)
    assert teknik == Result(value=Decimal("50.0"), n=4, low=low, high=high)
    assert (gata.value, gata.n) == (Decimal("50.0"), 2)
    assert (kommun.value, kommun.n) == (Decimal("50.0"), 6)
