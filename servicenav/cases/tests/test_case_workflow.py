"""A case goes new → in progress → waiting → closed and back through the services, and every
step is written into the case's history and the audit log."""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from servicenav.cases.access import get_case_for_user
from servicenav.cases.models import (
    Case,
    CaseEvent,
    Category,
    Kind,
    Outcome,
    ReferenceCounter,
    Status,
)
from servicenav.cases.services import (
    case_acknowledge,
    case_assign,
    case_categorise,
    case_close,
    case_link,
    case_mark_good_example,
    case_merge,
    case_move,
    case_note,
    case_publish,
    case_reopen,
    case_reply,
    case_start,
    case_submit,
    case_tag_values,
    case_unpublish,
    case_wait,
    citizen_message,
)
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role, ServiceValue
from servicenav.testing import make_case, make_user

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
Event = CaseEvent.Type


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=STOCKHOLM)


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.teknik)


def submit(**fields: Any) -> tuple[Case, str]:
    fields.setdefault("kind", Kind.COMPLAINT)
    fields.setdefault("text", "Det är inte plogat på Storgatan.")
    return case_submit(**fields)


def event_types(case: Case) -> list[str]:
    return list(case.events.values_list("type", flat=True))


# Reference numbers and follow-up codes.


def test_reference_numbers_count_up_within_the_year_received_and_restart_each_year(tree):
    now = at(2026, 3, 1)
    references = [
        submit(received_at=at(2025, 11, 3), at=now)[0].reference,
        submit(received_at=at(2026, 1, 2), at=now)[0].reference,
        submit(received_at=at(2026, 2, 2), at=now)[0].reference,
        submit(received_at=at(2025, 12, 30), at=now)[0].reference,
    ]
    assert references == ["S-2025-00001", "S-2026-00001", "S-2026-00002", "S-2025-00002"]


def test_the_year_of_a_reference_is_the_year_in_stockholm(tree):
    new_year_in_stockholm = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    case, _code = submit(received_at=new_year_in_stockholm, at=at(2026, 1, 5))
    assert case.reference == "S-2026-00001"


def test_the_follow_up_code_is_stored_only_as_a_hash(tree):
    case, code = submit(unit=tree.gata, reporter_name="Anna Andersson")
    assert len(code.replace("-", "")) == 12
    stored = json.dumps(
        [
            list(Case.objects.values()),
            list(CaseEvent.objects.values()),
            list(AuditEntry.objects.values()),
        ],
        default=str,
    )
    assert code not in stored
    assert code.replace("-", "") not in stored
    assert case.follow_up_hash


@pytest.mark.parametrize(
    "typed",
    [str.lower, lambda code: code.replace("-", ""), lambda code: f" {code} ".replace("-", " ")],
)
def test_the_follow_up_code_matches_whatever_the_case_dashes_or_spaces(tree, typed):
    case, code = submit(unit=tree.gata)
    assert Case.objects.get(pk=case.pk).follow_up_code_matches(typed(code))


def test_another_code_does_not_match(tree):
    case, code = submit(unit=tree.gata)
    _other_case, other_code = submit(unit=tree.gata)
    assert not case.follow_up_code_matches(other_code)
    assert not case.follow_up_code_matches(code[:-1])


def test_a_repeated_submission_token_returns_the_first_case_and_no_new_code(tree):
    token = uuid.uuid4()
    first, code = submit(unit=tree.gata, submission_token=token)
    again, no_code = submit(unit=tree.gata, submission_token=token)
    assert again.pk == first.pk
    assert code
    assert not no_code
    assert Case.objects.count() == 1
    assert event_types(first) == [Event.CREATED]
    assert ReferenceCounter.objects.get(year=first.received_at.year).last == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_form_at_the_same_moment_make_one_case(tree):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time anyway")
    # Not the year's first case: creating the year's counter would serialise them anyway.
    ReferenceCounter.objects.create(year=timezone.localdate().year, last=7)
    token = uuid.uuid4()
    barrier = threading.Barrier(2)

    def submit_in_thread(_number: int) -> int:
        try:
            barrier.wait()
            return submit(unit=tree.gata, submission_token=token)[0].pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        pks = list(pool.map(submit_in_thread, range(2)))
    assert pks[0] == pks[1]
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"kind": "rant"}, id="unknown-kind"),
        pytest.param({"channel": "pigeon"}, id="unknown-channel"),
        pytest.param({"text": "   "}, id="empty-text"),
        pytest.param({"text": "x" * 4001}, id="too-long"),
        pytest.param({"received_at": datetime(2099, 1, 1, tzinfo=UTC)}, id="future"),
    ],
)
def test_bad_feedback_is_refused_and_nothing_is_stored(tree, fields):
    with pytest.raises(ValidationError):
        submit(unit=tree.gata, **fields)
    assert not Case.objects.exists()
    assert not ReferenceCounter.objects.filter(last__gt=0).exists()


def test_feedback_cannot_carry_another_units_category(tree):
    category = Category.objects.create(unit=tree.vatten, name_sv="Läcka", name_en="Leak")
    with pytest.raises(ValidationError):
        submit(unit=tree.gata, category=category)
    assert not Case.objects.exists()


# Status, outcome and reopening.


def test_a_case_goes_from_new_to_in_progress_to_waiting_and_back_to_closed(tree, handler):
    case = make_case(unit=tree.gata)
    assert case.status == Status.NEW
    case_start(case=case, by=handler)
    assert case.status == Status.IN_PROGRESS
    case_wait(case=case, by=handler, reason="Väntar på entreprenören")
    assert case.status == Status.WAITING
    case_start(case=case, by=handler)
    case_close(case=case, outcome=Outcome.ACTIONED, by=handler)
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.ACTIONED)
    assert case.closed_at is not None
    changes = [event.data["status"] for event in case.events.filter(type=Event.STATUS)]
    assert changes == [
        {"from": Status.NEW, "to": Status.IN_PROGRESS},
        {"from": Status.IN_PROGRESS, "to": Status.WAITING},
        {"from": Status.WAITING, "to": Status.IN_PROGRESS},
    ]
    assert event_types(case)[-1] == Event.CLOSED


def test_a_reply_to_a_new_case_puts_it_in_progress(tree, handler):
    case = make_case(unit=tree.gata)
    case_reply(case=case, text="Vi tittar på det.", by=handler)
    assert case.status == Status.IN_PROGRESS
    assert event_types(case)[-2:] == [Event.REPLY, Event.STATUS]


def test_closing_needs_an_outcome(tree, handler):
    case = make_case(unit=tree.gata)
    with pytest.raises(ValidationError):
        case_close(case=case, outcome="", by=handler)
    case.refresh_from_db()
    assert case.status == Status.NEW


@pytest.mark.parametrize("outcome", [Outcome.NO_ACTION, Outcome.REFERRED])
def test_no_action_and_referred_need_a_note(tree, handler, outcome):
    case = make_case(unit=tree.gata)
    with pytest.raises(ValidationError):
        case_close(case=case, outcome=outcome, by=handler, note="  ")
    case_close(case=case, outcome=outcome, by=handler, note="Trafikverket")
    case.refresh_from_db()
    assert (case.outcome, case.outcome_note) == (outcome, "Trafikverket")


def test_a_closed_case_cannot_be_closed_again_with_another_outcome(tree, handler):
    case = make_case(unit=tree.gata)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    with pytest.raises(ValidationError):
        case_close(case=case, outcome=Outcome.ACTIONED, by=handler)
    case.refresh_from_db()
    assert case.outcome == Outcome.ANSWERED
    assert event_types(case).count(Event.CLOSED) == 1


def test_changing_an_outcome_takes_a_reopen_and_a_close_and_both_are_in_the_history(tree, handler):
    case = make_case(unit=tree.gata)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    case_reopen(case=case, by=handler, reason="Fel utfall")
    assert (case.status, case.outcome, case.closed_at) == (Status.IN_PROGRESS, "", None)
    case_close(case=case, outcome=Outcome.ACTIONED, by=handler)
    events = list(case.events.filter(type__in=[Event.CLOSED, Event.REOPENED]))
    assert [(event.type, event.data["outcome"]) for event in events] == [
        (Event.CLOSED, Outcome.ANSWERED),
        (Event.REOPENED, {"from": Outcome.ANSWERED, "to": None}),
        (Event.CLOSED, Outcome.ACTIONED),
    ]
    assert all(event.is_public and event.actor == handler for event in events)


def test_an_open_case_cannot_be_reopened_and_a_closed_one_cannot_be_started(tree, handler):
    case = make_case(unit=tree.gata)
    with pytest.raises(ValidationError):
        case_reopen(case=case, by=handler)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    for action in (case_start, case_wait):
        with pytest.raises(ValidationError):
            action(case=case, by=handler)


def test_a_citizen_can_reopen_within_the_window_but_not_after_it(tree, handler, settings):
    settings.SERVICENAV_REOPEN_DAYS = 30
    case = make_case(unit=tree.gata, received_at=at(2026, 3, 2))
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler, at=at(2026, 3, 5))
    with pytest.raises(ValidationError):
        case_reopen(case=case, by=None, at=at(2026, 4, 20))
    case_reopen(case=case, by=None, reason="Det är inte lagat", at=at(2026, 3, 20))
    assert case.status == Status.IN_PROGRESS
    assert case.events.last().actor is None


def test_a_citizen_cannot_write_on_a_closed_case(tree, handler):
    case = make_case(unit=tree.gata)
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    with pytest.raises(ValidationError):
        citizen_message(case=case, text="Hallå?")


# Merge, link, values, good examples, publishing.


def test_merging_closes_the_duplicate_and_both_histories_say_so(tree, handler):
    original = make_case(unit=tree.gata)
    duplicate = make_case(unit=tree.gata)
    case_merge(case=duplicate, into=original, by=handler)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.outcome) == (Status.CLOSED, Outcome.DUPLICATE)
    assert duplicate.merged_into == original
    assert original in duplicate.related.all()
    assert original.events.get(type=Event.MERGED).data == {"duplicate": duplicate.reference}
    closing = duplicate.events.get(type=Event.CLOSED)
    assert (closing.text, closing.actor) == (original.reference, handler)


def test_a_merged_duplicate_that_is_reopened_is_handled_on_its_own_again(tree, handler):
    original, duplicate = make_case(unit=tree.gata), make_case(unit=tree.gata)
    case_merge(case=duplicate, into=original, by=handler)
    case_reopen(case=duplicate, by=handler, reason="Inte samma sak")
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Status.IN_PROGRESS, None)
    reopened = duplicate.events.get(type=Event.REOPENED)
    assert reopened.data["merged_into"] == {"from": original.reference, "to": None}
    assert reopened.data["outcome"] == {"from": Outcome.DUPLICATE, "to": None}


@pytest.mark.parametrize("target", ["itself", "a-merged-case", "closed-source"])
def test_a_merge_that_makes_no_sense_is_refused_and_changes_nothing(tree, handler, target):
    case = make_case(unit=tree.gata)
    other = make_case(unit=tree.gata)
    into = case
    if target == "a-merged-case":
        case_merge(case=other, into=make_case(unit=tree.gata), by=handler)
        into = other
    elif target == "closed-source":
        case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
        into = other
    before = event_types(case)
    with pytest.raises(ValidationError):
        case_merge(case=case, into=into, by=handler)
    case.refresh_from_db()
    assert case.merged_into is None
    assert event_types(case) == before


def test_linking_shows_the_link_and_an_event_on_both_cases(tree, handler):
    case, other = make_case(unit=tree.gata), make_case(unit=tree.vatten)
    case_link(case=case, other=other, by=handler)
    assert list(other.related.all()) == [case]
    assert case.events.get(type=Event.LINKED).data == {"related": other.reference}
    assert other.events.get(type=Event.LINKED).data == {"related": case.reference}
    with pytest.raises(ValidationError):
        case_link(case=case, other=case, by=handler)


def test_tagging_values_records_an_event_only_when_they_change(tree, handler):
    case = make_case(unit=tree.gata)
    engagemang, kompetens = (
        ServiceValue.objects.get(code="engagemang"),
        ServiceValue.objects.get(code="kompetens"),
    )
    case_tag_values(case=case, values=[engagemang], by=handler)
    case_tag_values(case=case, values=[engagemang], by=handler)
    case_tag_values(case=case, values=[engagemang, kompetens], by=handler)
    tagged = [event.data["values"] for event in case.events.filter(type=Event.TAGGED)]
    assert tagged == [
        {"from": [], "to": ["engagemang"]},
        {"from": ["engagemang"], "to": ["engagemang", "kompetens"]},
    ]


@pytest.mark.parametrize(
    ("kind", "closed"),
    [(Kind.PRAISE, False), (Kind.COMPLAINT, True), (Kind.SUGGESTION, True)],
)
def test_only_closed_praise_can_become_a_good_example(tree, handler, kind, closed):
    case = make_case(unit=tree.gata, kind=kind)
    if closed:
        case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    with pytest.raises(ValidationError):
        case_mark_good_example(case=case, summary="Snabb snöröjning.", by=handler)
    case.refresh_from_db()
    assert not case.is_good_example


def test_closed_praise_becomes_a_good_example_with_a_summary(tree, handler):
    case = make_case(unit=tree.gata, kind=Kind.PRAISE, text="Tack till Kalle för plogningen!")
    case_close(case=case, outcome=Outcome.ANSWERED, by=handler)
    with pytest.raises(ValidationError):
        case_mark_good_example(case=case, summary=" ", by=handler)
    case_mark_good_example(case=case, summary="En boende tackar för snabb plogning.", by=handler)
    case.refresh_from_db()
    assert case.is_good_example
    assert case.good_example_summary == "En boende tackar för snabb plogning."
    assert event_types(case)[-1] == Event.GOOD_EXAMPLE


@pytest.mark.parametrize(("summary", "answer"), [("", "Svar"), ("Sammanfattning", " ")])
def test_publishing_needs_both_a_summary_and_an_answer(tree, handler, summary, answer):
    case = make_case(unit=tree.gata)
    with pytest.raises(ValidationError):
        case_publish(case=case, summary=summary, answer=answer, by=handler)
    case.refresh_from_db()
    assert not case.is_published


def test_a_published_case_can_be_unpublished(tree, handler):
    case = make_case(unit=tree.gata)
    case_publish(case=case, summary="Halka på gångväg", answer="Vi sandar oftare.", by=handler)
    assert (case.is_published, case.public_summary) == (True, "Halka på gångväg")
    case_unpublish(case=case, by=handler)
    case.refresh_from_db()
    assert not case.is_published
    assert event_types(case)[-2:] == [Event.PUBLISHED, Event.PUBLISHED]


def test_moving_a_case_needs_a_reason_and_drops_its_category_and_handler(tree, handler):
    category = Category.objects.create(unit=tree.gata, name_sv="Snöröjning", name_en="Snow")
    case = make_case(unit=tree.gata, category=category)
    case_assign(case=case, to=handler, by=handler)
    with pytest.raises(ValidationError):
        case_move(case=case, unit=tree.vatten, reason=" ", by=handler)
    case_move(case=case, unit=tree.vatten, reason="Gäller en vattenläcka", by=handler)
    case.refresh_from_db()
    assert (case.unit, case.category, case.assigned_to) == (tree.vatten, None, None)
    with pytest.raises(ValidationError):
        case_categorise(case=case, category=category, by=handler)


# Every service leaves a trace: a case event and an audit entry, with who and which unit.


def closed(case: Case, by: Any) -> Case:
    case_close(case=case, outcome=Outcome.ANSWERED, by=by)
    return case


SERVICES: dict[str, Callable[[Case, Any, Any], Any]] = {
    "acknowledge": lambda case, by, tree: case_acknowledge(case=case, by=by),
    "assign": lambda case, by, tree: case_assign(case=case, to=by, by=by),
    "move": lambda case, by, tree: case_move(case=case, unit=tree.vatten, reason="Fel", by=by),
    "categorise": lambda case, by, tree: case_categorise(
        case=case,
        category=Category.objects.create(unit=tree.gata, name_sv="Park", name_en="Park"),
        by=by,
    ),
    "start": lambda case, by, tree: case_start(case=case, by=by),
    "wait": lambda case, by, tree: case_wait(case=case, by=by, reason="Foto"),
    "note": lambda case, by, tree: case_note(case=case, text="Ring entreprenören", by=by),
    "reply": lambda case, by, tree: case_reply(case=case, text="Tack!", by=by),
    "close": lambda case, by, tree: closed(case, by),
    "reopen": lambda case, by, tree: case_reopen(case=closed(case, by), by=by),
    "link": lambda case, by, tree: case_link(case=case, other=make_case(unit=tree.gata), by=by),
    "merge": lambda case, by, tree: case_merge(case=case, into=make_case(unit=tree.gata), by=by),
    "tag": lambda case, by, tree: case_tag_values(
        case=case, values=ServiceValue.objects.all(), by=by
    ),
    "good-example": lambda case, by, tree: case_mark_good_example(
        case=closed(case, by), summary="Bra bemötande", by=by
    ),
    "publish": lambda case, by, tree: case_publish(case=case, summary="S", answer="A", by=by),
    "unpublish": lambda case, by, tree: case_unpublish(case=case, by=by),
}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_records_a_case_event_and_an_audit_entry_with_actor_and_unit(
    tree, handler, service
):
    case = make_case(unit=tree.gata, kind=Kind.PRAISE)
    events_before = case.events.count()
    audit = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk)
    )
    audit_before = audit.count()
    SERVICES[service](case, handler, tree)
    case.refresh_from_db()
    assert case.events.count() > events_before
    assert audit.count() > audit_before
    assert case.events.last().actor == handler
    entry = audit.latest("id")
    assert (entry.actor, entry.actor_name, entry.unit) == (handler, handler.username, case.unit)


def test_the_outsider_a_handler_of_another_unit_cannot_reach_the_case(tree):
    case = make_case(unit=tree.gata)
    outsider = make_user(role=Role.CASE_HANDLER, unit=tree.hemtjanst)
    with pytest.raises(Http404):
        get_case_for_user(outsider, case.pk, write=True)
    assert not Case.objects.visible_to(outsider).exists()


# Anonymous feedback is handled exactly like named feedback.


CONTACTS = {
    "named": {
        "reporter_name": "Anna Andersson",
        "reporter_phone": "070-123 45 67",
        "wants_answer": True,
    },
    "anonymous": {},
}


@pytest.mark.parametrize("who", CONTACTS)
def test_anonymous_and_named_feedback_follow_the_same_workflow(tree, handler, who):
    case, code = submit(
        unit=tree.gata, received_at=at(2026, 3, 2), at=at(2026, 3, 2), **CONTACTS[who]
    )
    assert case.is_anonymous == (who == "anonymous")
    case_assign(case=case, to=handler, by=handler, at=at(2026, 3, 3))
    case_reply(case=case, text="Kan du skicka ett foto?", by=handler, at=at(2026, 3, 3))
    case_wait(case=case, by=handler, reason="Foto", at=at(2026, 3, 3))
    citizen_message(case=case, text="Här är det.", at=at(2026, 3, 5))
    case_close(case=case, outcome=Outcome.ACTIONED, by=handler, at=at(2026, 3, 12))
    case_reopen(case=case, by=None, reason="Trasig igen", at=at(2026, 3, 16))
    case_close(case=case, outcome=Outcome.ACTIONED, by=handler, at=at(2026, 3, 18))
    case.refresh_from_db()
    assert case.follow_up_code_matches(code)
    assert event_types(case) == [
        Event.CREATED,
        Event.ASSIGNED,
        Event.REPLY,
        Event.STATUS,
        Event.STATUS,
        Event.CITIZEN_MESSAGE,
        Event.STATUS,
        Event.CLOSED,
        Event.REOPENED,
        Event.CLOSED,
    ]
    assert (case.acknowledged_in_time, case.answered_in_time) == (True, True)
    assert (case.clock_started_on, case.answer_by) == (date(2026, 3, 16), date(2026, 3, 30))
    public = list(case.events.filter(is_public=True).values_list("type", flat=True))
    assert Event.REPLY in public
    assert Event.ASSIGNED not in public
