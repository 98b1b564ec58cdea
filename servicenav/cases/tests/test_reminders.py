"""Staff are reminded of open cases at half the answer time, when the answer is due and when
it is overdue — counted in working days, once per stage, never while the case waits for the
citizen, and without a word of the citizen's personal data.

Each case's story is told on fixed dates (Easter 2026, Christmas 2026) through the services'
`at` arguments; `reminders_send(today=...)` decides the stages as if it were that day."""

from __future__ import annotations

import email
from datetime import date, datetime
from email import policy
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from servicenav.cases.models import Case, Outcome, Reminder
from servicenav.cases.reminders import reminder_stage, reminders_send
from servicenav.cases.services import (
    case_assign,
    case_close,
    case_reopen,
    case_submit,
    case_wait,
    citizen_message,
)
from servicenav.core.calendar import WorkingCalendar
from servicenav.core.models import OutgoingEmail
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HALF, DUE, OVERDUE = Reminder.Stage.HALF, Reminder.Stage.DUE, Reminder.Stage.OVERDUE
CITIZEN = {
    "reporter_name": "Greta Gårdsfjäll",
    "reporter_email": "greta.gardsfjall@example.net",
    "reporter_phone": "070-111 22 33",
}
CITIZEN_TEXT = "Snövallen vid Storgatan 7 blockerar min infart varje morgon."


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=STOCKHOLM)


def received(moment: datetime, unit, **fields) -> Case:
    """A case from a named citizen with an e-mail address (10 working days to answer)."""
    case, _code = case_submit(
        kind="complaint",
        unit=unit,
        text=CITIZEN_TEXT,
        received_at=moment,
        at=moment,
        **(CITIZEN | fields),
    )
    return case


def reminder_emails() -> dict[str, list[OutgoingEmail]]:
    """Queued reminders by recipient (the citizen's receipt is not a reminder)."""
    by_recipient: dict[str, list[OutgoingEmail]] = {}
    for outgoing in OutgoingEmail.objects.exclude(to=CITIZEN["reporter_email"]).order_by("pk"):
        by_recipient.setdefault(outgoing.to, []).append(outgoing)
    return by_recipient


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Hanna", last_name="Holm")


# The stages on the working-day calendar.

EASTER = WorkingCalendar()


def clock(started: date, *, answer_days: int = 10, paused_days: int = 0) -> Case:
    answer_by = EASTER.add_working_days(started, answer_days + paused_days)
    return Case(
        clock_started_on=started,
        answer_days=answer_days,
        paused_days=paused_days,
        answer_by=answer_by,
    )


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        # Started Thursday 2 April 2026: Good Friday and Easter Monday are closed, so the
        # 10th working day is Monday 20 April.
        pytest.param(date(2026, 4, 9), None, id="thursday-after-easter-3-of-10-days"),
        pytest.param(date(2026, 4, 10), None, id="friday-4-of-10-days"),
        pytest.param(date(2026, 4, 13), HALF, id="monday-5-of-10-days"),
        pytest.param(date(2026, 4, 16), HALF, id="thursday-answer-by-is-two-days-off"),
        pytest.param(date(2026, 4, 17), DUE, id="friday-before-monday-answer-by"),
        pytest.param(date(2026, 4, 18), DUE, id="saturday-next-working-day-is-answer-by"),
        pytest.param(date(2026, 4, 20), DUE, id="answer-by-day-itself"),
        pytest.param(date(2026, 4, 21), OVERDUE, id="day-after-answer-by"),
    ],
)
def test_the_stage_counts_working_days_over_easter_and_a_weekend(today, stage):
    case = clock(date(2026, 4, 2))
    assert case.answer_by == date(2026, 4, 20)
    assert reminder_stage(case, today, EASTER) == stage


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        # Started Thursday 17 December 2026: julafton, juldagen, nyårsafton, nyårsdagen and
        # trettondedag jul are closed, so the 10th working day is Thursday 7 January 2027.
        pytest.param(date(2026, 12, 23), None, id="day-before-christmas-eve-4-of-10"),
        pytest.param(date(2026, 12, 24), None, id="christmas-eve-is-closed"),
        pytest.param(date(2026, 12, 28), HALF, id="monday-after-christmas-5-of-10"),
        pytest.param(date(2027, 1, 4), HALF, id="monday-answer-by-is-three-days-off"),
        pytest.param(date(2027, 1, 5), DUE, id="epiphany-makes-thursday-the-next-working-day"),
        pytest.param(date(2027, 1, 7), DUE, id="answer-by-day-itself"),
        pytest.param(date(2027, 1, 8), OVERDUE, id="day-after-answer-by"),
    ],
)
def test_the_stage_counts_working_days_over_christmas_and_new_year(today, stage):
    case = clock(date(2026, 12, 17))
    assert case.answer_by == date(2027, 1, 7)
    assert reminder_stage(case, today, EASTER) == stage


def test_days_spent_waiting_move_the_half_way_point_on():
    # Three working days of waiting: 13 days in all, half of it used after 7 (not 5).
    case = clock(date(2026, 4, 2), paused_days=3)
    assert reminder_stage(case, date(2026, 4, 13), EASTER) is None
    assert reminder_stage(case, date(2026, 4, 15), EASTER) == HALF


# Sending: once per stage, to the right people.


def test_each_stage_is_sent_once_and_a_second_run_sends_nothing_new(tree, handler):
    case = received(at(2026, 4, 2), tree.gata)
    assert reminders_send(today=date(2026, 4, 9)).reminders == 0

    sent = [
        (today, reminders_send(today=today).reminders)
        for today in [date(2026, 4, 13), date(2026, 4, 13), date(2026, 4, 14), date(2026, 4, 17),
                      date(2026, 4, 20), date(2026, 4, 21), date(2026, 4, 22)]
    ]  # fmt: skip

    assert sent == [
        (date(2026, 4, 13), 1),
        (date(2026, 4, 13), 0),
        (date(2026, 4, 14), 0),
        (date(2026, 4, 17), 1),
        (date(2026, 4, 20), 0),
        (date(2026, 4, 21), 1),
        (date(2026, 4, 22), 0),
    ]
    assert sorted(case.reminders.values_list("stage", flat=True)) == sorted([HALF, DUE, OVERDUE])
    assert len(reminder_emails()[handler.email]) == 3


def test_a_case_waiting_for_the_citizen_gets_no_reminders_until_it_resumes(tree, handler):
    case = received(at(2026, 4, 2), tree.gata)
    case_wait(case=case, by=handler, reason="Vi behöver en bild.", at=at(2026, 4, 7))

    assert reminders_send(today=date(2026, 4, 13)).reminders == 0
    assert reminders_send(today=date(2026, 4, 27)).reminders == 0

    # The citizen answers on Tuesday 28 April: 15 working days waited, answer by 12 May.
    citizen_message(case=case, text="Här är bilden.", at=at(2026, 4, 28))
    case.refresh_from_db()
    assert case.answer_by == date(2026, 5, 12)
    assert reminders_send(today=date(2026, 4, 28)).reminders == 1
    assert list(case.reminders.values_list("stage", flat=True)) == [HALF]


def test_closed_cases_and_cases_without_a_unit_get_no_reminders(tree, handler):
    closed = received(at(2026, 4, 2), tree.gata)
    case_close(case=closed, outcome=Outcome.ANSWERED, by=handler, at=at(2026, 4, 8))
    received(at(2026, 4, 2), None)  # waiting in the triage queue

    assert reminders_send(today=date(2026, 4, 21)).reminders == 0
    assert not Reminder.objects.exists()


def test_a_reopened_case_is_reminded_again_on_its_new_answer_clock(tree, handler):
    case = received(at(2026, 4, 2), tree.gata)
    assert reminders_send(today=date(2026, 4, 21)).reminders == 1  # overdue
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler, at=at(2026, 4, 22))
    case_reopen(case=case, by=handler, reason="Det halkar igen.", at=at(2026, 5, 4))
    case.refresh_from_db()
    assert case.answer_by == date(2026, 5, 19)  # Kristi himmelfärd, 14 May, is closed

    assert reminders_send(today=date(2026, 5, 20)).reminders == 1
    assert list(case.reminders.values_list("stage", flat=True)) == [OVERDUE]


def test_the_assigned_handler_and_the_managers_above_are_reminded_and_no_one_else(tree, handler):
    colleague = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    teknik_manager = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
    kommun_manager = make_user(role=Role.UNIT_MANAGER, unit=tree.kommun)
    vatten_handler = make_user(role=Role.CASE_HANDLER, unit=tree.vatten)
    vatten_manager = make_user(role=Role.UNIT_MANAGER, unit=tree.vatten)
    social_manager = make_user(role=Role.UNIT_MANAGER, unit=tree.social)
    gata_viewer = make_user(role=Role.VIEWER, unit=tree.gata)
    case = received(at(2026, 4, 2), tree.gata)
    case_assign(case=case, to=handler, by=teknik_manager, at=at(2026, 4, 2, 11))

    run = reminders_send(today=date(2026, 4, 13))

    assert set(reminder_emails()) == {handler.email, teknik_manager.email, kommun_manager.email}
    assert run.people == 3
    for outsider in [colleague, vatten_handler, vatten_manager, social_manager, gata_viewer]:
        assert outsider.email not in reminder_emails()


def test_without_an_assigned_handler_every_case_handler_of_the_unit_is_reminded(tree, handler):
    colleague = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    former = make_user(role=Role.CASE_HANDLER, unit=tree.gata, is_active=False)
    vatten_handler = make_user(role=Role.CASE_HANDLER, unit=tree.vatten)
    received(at(2026, 4, 2), tree.gata)

    reminders_send(today=date(2026, 4, 13))

    assert set(reminder_emails()) == {handler.email, colleague.email}
    assert former.email not in reminder_emails()
    assert vatten_handler.email not in reminder_emails()


def test_a_case_nobody_can_be_told_about_is_reminded_once_someone_can_be(tree):
    case = received(at(2026, 4, 2), tree.vatten)
    assert reminders_send(today=date(2026, 4, 13)).reminders == 0
    assert not case.reminders.exists()

    make_user(role=Role.CASE_HANDLER, unit=tree.vatten)
    assert reminders_send(today=date(2026, 4, 14)).reminders == 1


# The e-mail itself, through a real SMTP server.


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def parse(message: dict) -> tuple[str, str]:
    """The decoded subject and all decoded text of a received message."""
    parsed = email.message_from_string(message["data"], policy=policy.default)
    parts = [part.get_content() for part in parsed.walk() if part.get_content_maintype() == "text"]
    return str(parsed["Subject"]), "\n".join(parts)


@pytest.mark.django_db(transaction=True)
def test_one_email_per_person_lists_all_their_cases_by_stage_without_personal_data(
    tree, handler, smtp, settings
):
    settings.SERVICENAV_SITE_URL = "https://servicenav.example"
    overdue = received(at(2026, 4, 2), tree.gata)
    half = received(at(2026, 4, 14), tree.gata)
    other_unit = received(at(2026, 4, 2), tree.vatten)

    run = reminders_send(today=date(2026, 4, 21))
    run_worker()

    assert (run.reminders, run.people) == (2, 1)
    to_handler = [message for message in smtp.messages if message["to"] == [handler.email]]
    assert len(to_handler) == 1
    subject, body = parse(to_handler[0])
    assert "2" in subject
    assert f"https://servicenav.example/personal/arenden/{overdue.pk}/" in body
    assert f"https://servicenav.example/personal/arenden/{half.pk}/" in body
    assert overdue.reference in body
    assert half.reference in body
    assert other_unit.reference not in body
    assert "2026-04-20" in body  # the overdue case's answer-by date
    assert body.index(overdue.reference) < body.index(half.reference)  # most urgent first
    assert "Gata" in body
    for personal in [*CITIZEN.values(), CITIZEN_TEXT, "Greta", "Storgatan", "070"]:
        assert personal not in subject
        assert personal not in body


def test_the_command_shows_progress_and_a_summary(tree, handler):
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
    received(at(2026, 4, 2), tree.gata)
    received(at(2026, 4, 14), tree.gata)
    out = StringIO()

    call_command("case_reminders", "--today", "2026-04-21", stdout=out)

    assert "2/2" in out.getvalue()  # the progress bar, one step per person
    assert "2 reminders queued to 2 people." in out.getvalue()
    assert set(reminder_emails()) == {handler.email, manager.email}

    out = StringIO()
    call_command("case_reminders", "--today", "2026-04-21", stdout=out)
    assert "0 reminders queued to 0 people." in out.getvalue()
