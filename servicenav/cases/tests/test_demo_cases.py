"""The demo has two years of realistic feedback, told through the services: every kind,
channel and outcome, anonymous and named, handled mostly in time, some still open and
overdue today — and not one e-mail queued.

Loading takes seconds, so the module loads it once (up to a fixed day) inside a
transaction that is rolled back when the module is done."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicenav.cases.demo import load_demo_cases
from servicenav.cases.models import Case, CaseEvent, Channel, Kind, Outcome, Status
from servicenav.core.models import AuditEntry, OutgoingEmail
from servicenav.organisation.models import Unit, User

TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", without_cases=True, stdout=StringIO())
        output = StringIO()
        loaded = load_demo_cases(stdout=output, today=TODAY)
        yield loaded, output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def cases(demo, db):
    return Case.objects.all()


def share(part: int, whole: int) -> float:
    return part / whole


def test_about_two_years_of_cases_are_loaded_with_a_progress_bar_and_a_summary(demo, cases):
    loaded, output = demo
    assert 600 <= loaded <= 900
    assert cases.count() == loaded
    first, last = cases.earliest("received_at"), cases.latest("received_at")
    assert timezone.localtime(first.received_at).date() <= TODAY - timedelta(days=700)
    assert timezone.localtime(last.received_at).date() <= TODAY
    assert f"{loaded}/{loaded}" in output
    assert f"Demo cases: {loaded}" in output


def test_every_kind_with_complaints_most_common_and_praise_about_a_fifth(cases):
    kinds = Counter(cases.values_list("kind", flat=True))
    assert set(kinds) == set(Kind.values)
    assert kinds.most_common(1)[0][0] == Kind.COMPLAINT
    assert 0.15 <= share(kinds[Kind.PRAISE], cases.count()) <= 0.25


def test_every_channel_with_the_web_form_most_common(cases):
    channels = Counter(cases.values_list("channel", flat=True))
    assert set(channels) == set(Channel.values) - {Channel.API}
    assert channels.most_common(1)[0][0] == Channel.WEB


def test_every_outcome_including_referrals_to_other_authorities(cases):
    outcomes = set(cases.values_list("outcome", flat=True))
    assert outcomes >= set(Outcome.values)
    notes = " ".join(cases.filter(outcome=Outcome.REFERRED).values_list("outcome_note", flat=True))
    assert all(name in notes for name in ("Trafikverket", "Polisen", "Region Norrbotten"))
    assert not cases.filter(outcome=Outcome.NO_ACTION, outcome_note="").exists()
    duplicates = cases.filter(outcome=Outcome.DUPLICATE)
    assert duplicates.exists()
    assert not duplicates.filter(merged_into=None).exists()


def test_about_a_quarter_is_anonymous_and_contact_details_are_made_up(cases):
    anonymous = cases.filter(reporter_name="", reporter_email="", reporter_phone="")
    assert 0.18 <= share(anonymous.count(), cases.count()) <= 0.32
    emails = list(cases.exclude(reporter_email="").values_list("reporter_email", flat=True))
    phones = list(cases.exclude(reporter_phone="").values_list("reporter_phone", flat=True))
    assert emails
    assert phones
    assert all(email.rsplit("@")[1].startswith("example.") for email in emails)
    assert all(phone.startswith("070-174 06 ") for phone in phones)


def test_some_cases_are_still_open_some_overdue_and_some_waiting_in_triage(cases):
    still_open = cases.open()
    assert 20 <= still_open.count() <= 40
    assert still_open.filter(answer_by__lt=TODAY).count() >= 5
    assert still_open.filter(unit=None).exists()
    assert not cases.filter(status=Status.CLOSED, unit=None).exists()


def test_most_are_acknowledged_and_answered_in_time_and_about_one_in_ten_late(cases):
    closed = cases.filter(status=Status.CLOSED)
    late = closed.filter(answered_in_time=False).count()
    assert 0.04 <= share(late, closed.count()) <= 0.15
    acknowledged = cases.exclude(acknowledged_at=None)
    late_acknowledged = acknowledged.filter(acknowledged_in_time=False).count()
    assert share(late_acknowledged, acknowledged.count()) <= 0.15


def test_the_history_is_real_and_dated_back_in_time(cases):
    reopened = CaseEvent.objects.filter(type=CaseEvent.Type.REOPENED)
    assert reopened.exists()
    assert CaseEvent.objects.filter(type=CaseEvent.Type.STATUS, data__status__to=Status.WAITING)
    for case in cases.filter(status=Status.CLOSED).order_by("?")[:50]:
        events = list(case.events.all())
        assert events[0].type == CaseEvent.Type.CREATED
        assert events[0].at >= case.received_at
        assert [event.at for event in events] == sorted(event.at for event in events)
        last_close = [event for event in events if event.type == CaseEvent.Type.CLOSED][-1]
        assert last_close.at == case.closed_at
    case_type = ContentType.objects.get_for_model(Case)
    assert AuditEntry.objects.filter(content_type=case_type).count() == CaseEvent.objects.count()


def test_good_examples_are_closed_praise_with_a_summary_and_publications_have_both_texts(
    cases,
):
    examples = cases.filter(is_good_example=True)
    assert examples.exists()
    assert set(examples.values_list("kind", "status").distinct()) == {(Kind.PRAISE, Status.CLOSED)}
    assert not examples.filter(good_example_summary="").exists()
    published = cases.filter(is_published=True)
    assert published.exists()
    assert not published.filter(public_summary="").exists()
    assert not published.filter(public_answer="").exists()
    for case in published:
        assert case.text not in case.public_summary
        assert not case.reporter_name or case.reporter_name not in case.public_summary


def test_values_are_tagged_on_a_share_of_the_cases(cases):
    tagged = cases.filter(values__isnull=False).distinct().count()
    assert 0.1 <= share(tagged, cases.count()) <= 0.5


def test_demo_cases_queue_no_email(cases):
    assert cases.exclude(reporter_email="").exists()
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_references_follow_the_order_received_within_each_year(cases):
    received_2025 = cases.filter(reference__startswith="S-2025-").order_by("received_at")
    references = list(received_2025.values_list("reference", flat=True))
    assert references[0] == "S-2025-00001"
    assert references == sorted(references)


def test_a_handler_sees_only_the_demo_cases_of_their_own_unit(cases):
    outsider = User.objects.get(username="handlaggare2")  # Hemtjänst
    visible = Case.objects.visible_to(outsider)
    assert visible.exists()
    assert set(visible.values_list("unit__slug", flat=True)) == {"hemtjanst"}
    assert cases.exclude(unit__slug="hemtjanst").count() > visible.count()


def test_loading_again_adds_nothing(cases):
    before = (cases.count(), CaseEvent.objects.count(), Unit.objects.count())
    output = StringIO()
    assert load_demo_cases(stdout=output, today=TODAY) == 0
    assert (cases.count(), CaseEvent.objects.count(), Unit.objects.count()) == before
    assert "already" in output.getvalue()
