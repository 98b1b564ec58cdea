"""The two clocks of a case run on the Swedish working-day calendar, in Stockholm time.

Times are passed explicitly (`received_at`, and `at` on every service), so each test tells
its case's story on fixed dates, whatever day the suite runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from servicenav.cases import deadlines
from servicenav.cases.models import Case, DeadlineRule, Kind, Outcome, Status
from servicenav.cases.services import (
    case_acknowledge,
    case_assign,
    case_close,
    case_note,
    case_reopen,
    case_reply,
    case_start,
    case_submit,
    case_wait,
    citizen_message,
)
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Stockholm time."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def received(moment: datetime, *, unit=None, kind: str = Kind.COMPLAINT) -> Case:
    case, _code = case_submit(
        kind=kind, unit=unit, text="Gatlampan är trasig.", received_at=moment, at=moment
    )
    return case


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata)


# Acknowledge-by (2 working days) and answer-by (10) from the day received.


@pytest.mark.parametrize(
    ("moment", "acknowledge_by", "answer_by"),
    [
        pytest.param(at(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 16), id="monday"),
        pytest.param(at(2026, 3, 6), date(2026, 3, 10), date(2026, 3, 20), id="friday"),
        pytest.param(at(2026, 3, 7), date(2026, 3, 10), date(2026, 3, 20), id="saturday"),
        pytest.param(at(2026, 4, 2), date(2026, 4, 8), date(2026, 4, 20), id="before-easter"),
        pytest.param(at(2026, 6, 18), date(2026, 6, 23), date(2026, 7, 3), id="before-midsummer"),
        pytest.param(
            at(2026, 12, 23), date(2026, 12, 29), date(2027, 1, 13), id="christmas-new-year"
        ),
    ],
)
def test_deadlines_are_counted_in_working_days_from_the_day_received(
    tree, moment, acknowledge_by, answer_by
):
    case = received(moment, unit=tree.gata)
    assert (case.acknowledge_by, case.answer_by) == (acknowledge_by, answer_by)
    case.refresh_from_db()
    assert (case.acknowledge_by, case.answer_by) == (acknowledge_by, answer_by)


def test_easter_midsummer_and_christmas_days_are_not_working_days():
    calendar = deadlines.WorkingCalendar()
    closed = [date(2026, 4, 3), date(2026, 4, 6), date(2026, 6, 19), date(2026, 12, 24)]
    closed += [date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 6)]
    assert not any(calendar.is_working_day(day) for day in closed)
    assert calendar.is_working_day(date(2026, 12, 30))


def test_a_case_received_late_on_friday_evening_in_stockholm_counts_from_friday(tree):
    case = received(at(2026, 3, 6, 23, 30), unit=tree.gata)  # 22:30 UTC, still Friday
    assert case.acknowledge_by == date(2026, 3, 10)
    assert case.clock_started_on == date(2026, 3, 6)


def test_just_after_midnight_in_stockholm_is_the_next_day_though_utc_is_still_the_last(tree):
    # 23:30 UTC on Thursday 5 March is 00:30 on Friday in Stockholm.
    case = received(datetime(2026, 3, 5, 23, 30, tzinfo=UTC), unit=tree.gata)
    assert case.clock_started_on == date(2026, 3, 6)
    assert case.acknowledge_by == date(2026, 3, 10)  # from Thursday it would be Monday 9


def test_the_clock_uses_stockholm_time_whatever_time_zone_is_active(tree):
    with timezone.override(UTC):
        case = received(datetime(2026, 3, 5, 23, 30, tzinfo=UTC), unit=tree.gata)
    assert case.clock_started_on == date(2026, 3, 6)


# Rules per unit and kind.


def rule(unit, kind: str = "", *, acknowledge: int, answer: int) -> DeadlineRule:
    return DeadlineRule.objects.create(
        unit=unit, kind=kind, acknowledge_days=acknowledge, answer_days=answer
    )


def test_without_a_rule_the_defaults_from_the_settings_apply(tree, settings):
    settings.SERVICENAV_ACKNOWLEDGE_DAYS, settings.SERVICENAV_ANSWER_DAYS = 1, 5
    case = received(at(2026, 3, 2), unit=tree.gata)
    assert (case.acknowledge_by, case.answer_by) == (date(2026, 3, 3), date(2026, 3, 9))


def test_a_unit_rule_sets_both_deadlines_of_its_cases(tree):
    rule(tree.gata, acknowledge=1, answer=5)
    case = received(at(2026, 3, 2), unit=tree.gata)
    assert (case.acknowledge_by, case.answer_by) == (date(2026, 3, 3), date(2026, 3, 9))
    assert case.answer_days == 5


def test_a_rule_is_inherited_by_the_units_below(tree):
    rule(tree.teknik, acknowledge=1, answer=5)
    assert deadlines.deadlines_for(tree.vatten, Kind.COMPLAINT) == deadlines.Deadlines(1, 5)


def test_a_rule_does_not_reach_units_in_another_branch_or_cases_without_a_unit(tree, settings):
    rule(tree.teknik, acknowledge=1, answer=5)
    default = deadlines.Deadlines(
        settings.SERVICENAV_ACKNOWLEDGE_DAYS, settings.SERVICENAV_ANSWER_DAYS
    )
    assert deadlines.deadlines_for(tree.hemtjanst, Kind.COMPLAINT) == default
    assert deadlines.deadlines_for(None, Kind.COMPLAINT) == default


def test_a_rule_for_one_kind_applies_only_to_that_kind(tree, settings):
    rule(tree.gata, Kind.QUESTION, acknowledge=1, answer=3)
    assert deadlines.deadlines_for(tree.gata, Kind.QUESTION) == deadlines.Deadlines(1, 3)
    assert (
        deadlines.deadlines_for(tree.gata, Kind.PRAISE).answer_days
        == settings.SERVICENAV_ANSWER_DAYS
    )


def test_in_one_unit_the_rule_for_the_kind_wins_over_the_rule_for_any_kind(tree):
    rule(tree.gata, acknowledge=2, answer=10)
    rule(tree.gata, Kind.QUESTION, acknowledge=1, answer=3)
    assert deadlines.deadlines_for(tree.gata, Kind.QUESTION) == deadlines.Deadlines(1, 3)
    assert deadlines.deadlines_for(tree.gata, Kind.COMPLAINT) == deadlines.Deadlines(2, 10)


def test_a_deeper_unit_rule_wins_over_an_ancestor_rule_even_for_the_same_kind(tree):
    rule(tree.kommun, Kind.COMPLAINT, acknowledge=1, answer=3)
    rule(tree.teknik, acknowledge=2, answer=15)
    rule(tree.gata, acknowledge=3, answer=20)
    assert deadlines.deadlines_for(tree.gata, Kind.COMPLAINT) == deadlines.Deadlines(3, 20)
    assert deadlines.deadlines_for(tree.vatten, Kind.COMPLAINT) == deadlines.Deadlines(2, 15)
    assert deadlines.deadlines_for(tree.hemtjanst, Kind.COMPLAINT) == deadlines.Deadlines(1, 3)


# The pause while waiting.


def test_waiting_moves_the_answer_deadline_by_the_working_days_spent_waiting(tree, handler):
    case = received(at(2026, 3, 2), unit=tree.gata)  # answer by Monday 16 March
    case_wait(case=case, by=handler, reason="Väntar på foto", at=at(2026, 3, 3))
    assert case.answer_by == date(2026, 3, 16)  # unchanged while waiting
    case_start(case=case, by=handler, at=at(2026, 3, 5))  # Wednesday and Thursday waited
    case.refresh_from_db()
    assert (case.paused_days, case.answer_by, case.waiting_since) == (2, date(2026, 3, 18), None)


def test_several_pauses_add_up(tree, handler):
    case = received(at(2026, 3, 2), unit=tree.gata)
    case_wait(case=case, by=handler, at=at(2026, 3, 3))
    case_start(case=case, by=handler, at=at(2026, 3, 5))
    case_wait(case=case, by=handler, at=at(2026, 3, 6))  # Friday to Monday: one working day
    citizen_message(case=case, text="Här är fotot.", at=at(2026, 3, 9))
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert (case.paused_days, case.answer_by) == (3, date(2026, 3, 19))


def test_a_pause_over_easter_counts_only_the_working_days(tree, handler):
    case = received(at(2026, 3, 30), unit=tree.gata)
    case_wait(case=case, by=handler, at=at(2026, 4, 2))
    case_start(case=case, by=handler, at=at(2026, 4, 7))  # Fri 3 and Mon 6 are holidays
    assert case.paused_days == 1


def test_waiting_and_resuming_the_same_day_moves_nothing(tree, handler):
    case = received(at(2026, 3, 2), unit=tree.gata)
    case_wait(case=case, by=handler, at=at(2026, 3, 3, 9))
    case_start(case=case, by=handler, at=at(2026, 3, 3, 15))
    assert (case.paused_days, case.answer_by) == (0, date(2026, 3, 16))


def test_closing_a_waiting_case_ends_the_pause_before_judging_the_deadline(tree, handler):
    case = received(at(2026, 3, 2), unit=tree.gata)
    case_wait(case=case, by=handler, at=at(2026, 3, 3))
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler, at=at(2026, 3, 20))
    case.refresh_from_db()
    assert case.paused_days == 13
    assert case.answered_in_time is True


# Reopening and the frozen verdicts.


def test_reopening_starts_a_new_answer_clock_from_the_day_reopened(tree, handler):
    case = received(at(2026, 3, 2), unit=tree.gata)
    case_wait(case=case, by=handler, at=at(2026, 3, 3))
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler, at=at(2026, 3, 5))
    case_reopen(case=case, by=handler, reason="Nytt foto", at=at(2026, 4, 2))
    case.refresh_from_db()
    assert case.clock_started_on == date(2026, 4, 2)
    assert (case.paused_days, case.waiting_since) == (0, None)
    assert case.answer_by == date(2026, 4, 20)  # ten working days past Easter


def test_the_first_close_decides_answered_in_time_and_a_late_second_close_does_not(tree, handler):
    case = received(at(2026, 3, 2), unit=tree.gata)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler, at=at(2026, 3, 9))
    assert case.answered_in_time is True
    case_reopen(case=case, by=handler, at=at(2026, 3, 10))
    case_close(case=case, outcome=Outcome.ACTIONED, by=handler, at=at(2026, 5, 4))
    case.refresh_from_db()
    assert case.answered_in_time is True
    assert case.closed_at == at(2026, 5, 4)


def test_a_late_first_close_stays_late_after_reopening_and_a_quick_second_close(tree, handler):
    case = received(at(2026, 3, 2), unit=tree.gata)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler, at=at(2026, 3, 17))
    assert case.answered_in_time is False
    case_reopen(case=case, by=handler, at=at(2026, 3, 18))
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler, at=at(2026, 3, 18, 15))
    case.refresh_from_db()
    assert case.answered_in_time is False


def test_the_answer_deadline_day_itself_is_still_in_time(tree, handler):
    case = received(at(2026, 3, 2), unit=tree.gata)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler, at=at(2026, 3, 16, 23, 59))
    assert case.answered_in_time is True


ACKNOWLEDGING_ACTIONS = {
    "assign": lambda case, by, when: case_assign(case=case, to=by, by=by, at=when),
    "acknowledge": lambda case, by, when: case_acknowledge(case=case, by=by, at=when),
    "reply": lambda case, by, when: case_reply(case=case, text="Tack!", by=by, at=when),
    "close": lambda case, by, when: case_close(case=case, outcome=Outcome.ANSWERED, by=by, at=when),
}


@pytest.mark.parametrize("action", ACKNOWLEDGING_ACTIONS)
def test_the_first_staff_action_acknowledges_the_case(tree, handler, action):
    case = received(at(2026, 3, 6), unit=tree.gata)  # acknowledge by Tuesday 10 March
    ACKNOWLEDGING_ACTIONS[action](case, handler, at(2026, 3, 10, 16))
    case.refresh_from_db()
    assert (case.acknowledged_at, case.acknowledged_in_time) == (at(2026, 3, 10, 16), True)


@pytest.mark.parametrize("action", ACKNOWLEDGING_ACTIONS)
def test_a_first_staff_action_after_the_deadline_acknowledges_late(tree, handler, action):
    case = received(at(2026, 3, 6), unit=tree.gata)
    ACKNOWLEDGING_ACTIONS[action](case, handler, at(2026, 3, 11, 8))
    case.refresh_from_db()
    assert case.acknowledged_in_time is False


def test_a_later_acknowledging_action_does_not_change_the_first(tree, handler):
    case = received(at(2026, 3, 6), unit=tree.gata)
    case_acknowledge(case=case, by=handler, at=at(2026, 3, 9))
    case_reply(case=case, text="Vi åtgärdar.", by=handler, at=at(2026, 3, 20))
    case.refresh_from_db()
    assert (case.acknowledged_at, case.acknowledged_in_time) == (at(2026, 3, 9), True)


def test_a_citizen_message_or_an_internal_note_does_not_acknowledge_the_case(tree, handler):
    case = received(at(2026, 3, 6), unit=tree.gata)
    citizen_message(case=case, text="Har ni sett min synpunkt?", at=at(2026, 3, 9))
    case_note(case=case, text="Kolla med entreprenören.", by=handler, at=at(2026, 3, 9))
    case.refresh_from_db()
    assert (case.acknowledged_at, case.acknowledged_in_time) == (None, None)


def test_the_first_reply_is_dated_and_kept(tree, handler):
    case = received(at(2026, 3, 6), unit=tree.gata)
    case_reply(case=case, text="Tack!", by=handler, at=at(2026, 3, 9))
    case_reply(case=case, text="Nu är det lagat.", by=handler, at=at(2026, 3, 12))
    case.refresh_from_db()
    assert case.first_reply_at == at(2026, 3, 9)
