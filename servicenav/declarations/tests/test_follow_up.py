"""Measurable promises judged kept, not kept or not enough data from real cases, at the
edges of the threshold and of the smallest number of cases."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from servicenav.cases.services import case_acknowledge, case_close
from servicenav.declarations.follow_up import follow_up_declaration
from servicenav.declarations.models import FollowUp, Measure
from servicenav.declarations.services import (
    commitment_add,
    commitment_update,
    declaration_create,
    follow_up_explain,
    version_approve,
    version_new_draft,
    version_publish,
    version_submit,
)
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_user

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Cases received on Monday 2 March 2026 have a two-working-day limit on Wednesday 4 March.
RECEIVED = datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM)
IN_TIME = datetime(2026, 3, 4, 16, tzinfo=STOCKHOLM)
LATE = datetime(2026, 3, 5, 8, tzinfo=STOCKHOLM)
AFTER_MARCH = date(2026, 4, 15)


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.teknik)


def publish(unit, *, valid_from=date(2026, 3, 1), **promise):
    writer = make_user(role=Role.QUALITY_COORDINATOR, unit=unit)
    manager = make_user(role=Role.UNIT_MANAGER, unit=unit)
    version = declaration_create(unit=unit, by=writer, service_sv="Gator")
    fields = {"text_sv": "Vi svarar inom två arbetsdagar.", "limit_days": 2, **promise}
    commitment = commitment_add(version=version, by=writer, **fields)
    version_submit(version=version, by=writer)
    version_approve(version=version, by=manager)
    version_publish(version=version, by=writer, valid_from=valid_from)
    return commitment


def answered(unit, handler, *, within, late=0, unanswered=0):
    for moment in [IN_TIME] * within + [LATE] * late + [None] * unanswered:
        case = make_case(unit=unit, received_at=RECEIVED)
        if moment is not None:
            case_close(case=case, outcome="answered", by=handler, at=moment)


def march(commitment):
    follow_up_declaration(commitment.version.declaration, today=AFTER_MARCH)
    return FollowUp.objects.get(commitment_key=commitment.key, period="2026-03")


@pytest.mark.parametrize(
    ("within", "late", "threshold", "result", "share"),
    [
        (9, 1, "90.0", FollowUp.Result.KEPT, "90.0"),  # exactly at the threshold
        (9, 1, "90.1", FollowUp.Result.NOT_KEPT, "90.0"),  # just below it
        (8, 1, "88.9", FollowUp.Result.NOT_KEPT, "88.9"),  # 88.88… rounds up, still below
        (5, 0, "100.0", FollowUp.Result.KEPT, "100.0"),  # the fewest cases that count
        (4, 0, "90.0", FollowUp.Result.NOT_ENOUGH_DATA, "100.0"),  # one case too few
    ],
)
def test_a_promise_is_judged_at_the_edges(tree, handler, within, late, threshold, result, share):
    commitment = publish(
        tree.gata, measure=Measure.ANSWERED_WITHIN, threshold=Decimal(threshold), min_cases=5
    )
    answered(tree.gata, handler, within=within, late=late)
    follow_up = march(commitment)
    assert follow_up.result == result
    assert (follow_up.value, follow_up.cases) == (Decimal(share), within + late)


def test_cases_never_answered_count_against_the_promise(tree, handler):
    commitment = publish(tree.gata, measure=Measure.ANSWERED_WITHIN, threshold=Decimal(80))
    answered(tree.gata, handler, within=8, unanswered=2)
    follow_up = march(commitment)
    assert (follow_up.result, follow_up.cases) == (FollowUp.Result.KEPT, 10)
    answered(tree.gata, handler, within=0, unanswered=1)
    assert march(commitment).result == FollowUp.Result.NOT_KEPT


def test_a_unit_is_judged_on_its_own_cases_and_those_below_it(tree, handler):
    commitment = publish(tree.teknik, measure=Measure.ANSWERED_WITHIN, threshold=Decimal(100))
    answered(tree.gata, handler, within=3)
    answered(tree.vatten, handler, within=2)
    answered(tree.hemtjanst, make_user(role=Role.CASE_HANDLER, unit=tree.social), within=0, late=5)
    follow_up = march(commitment)
    assert (follow_up.result, follow_up.cases) == (FollowUp.Result.KEPT, 5)


def test_only_cases_due_in_the_period_count(tree, handler):
    commitment = publish(tree.gata, measure=Measure.ANSWERED_WITHIN, threshold=Decimal(90))
    answered(tree.gata, handler, within=5)
    # Received on 30 March, due on 1 April: April's promise, not March's.
    april_case = make_case(unit=tree.gata, received_at=datetime(2026, 3, 30, 9, tzinfo=STOCKHOLM))
    case_close(
        case=april_case,
        outcome="answered",
        by=handler,
        at=datetime(2026, 4, 9, 9, tzinfo=STOCKHOLM),
    )
    assert march(commitment).cases == 5
    follow_up_declaration(commitment.version.declaration, today=date(2026, 5, 2))
    april = FollowUp.objects.get(commitment_key=commitment.key, period="2026-04")
    assert (april.cases, april.result) == (1, FollowUp.Result.NOT_ENOUGH_DATA)


def test_acknowledgement_and_the_answer_deadline_are_measured_too(tree, handler):
    acknowledged = publish(
        tree.gata, measure=Measure.ACKNOWLEDGED_WITHIN, threshold=Decimal(60), min_cases=1
    )
    by_deadline = publish(
        tree.vatten,
        measure=Measure.ANSWERED_BY_DEADLINE,
        limit_days=None,
        threshold=Decimal(50),
        min_cases=1,
    )
    for moment in (IN_TIME, IN_TIME, LATE):
        case_acknowledge(
            case=make_case(unit=tree.gata, received_at=RECEIVED), by=handler, at=moment
        )
    # Answer deadline ten working days after 2 March: 16 March.
    for moment in (LATE, None):
        case = make_case(unit=tree.vatten, received_at=RECEIVED)
        if moment:
            case_close(case=case, outcome="answered", by=handler, at=moment)
    first, second = march(acknowledged), march(by_deadline)
    assert (first.result, first.value, first.cases) == ("kept", Decimal("66.7"), 3)
    assert (second.result, second.value, second.cases) == ("kept", Decimal("50.0"), 2)


def test_recomputing_keeps_staff_explanations_and_follows_the_version_in_force(tree, handler):
    commitment = publish(tree.gata, measure=Measure.ANSWERED_WITHIN, threshold=Decimal(90))
    answered(tree.gata, handler, within=1, late=4)
    follow_up = march(commitment)
    follow_up_explain(
        follow_up=follow_up, explanation="Sjukdom.", planned_action="Vikarie.", by=handler
    )
    # A second version from April with a looser promise judges April, not March.
    declaration = commitment.version.declaration
    draft = version_new_draft(declaration=declaration, by=handler)
    loose = draft.commitments.get()
    commitment_update(commitment=loose, by=handler, threshold=Decimal(10))
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.gata)
    version_submit(version=draft, by=handler)
    version_approve(version=draft, by=manager)
    version_publish(version=draft, by=handler, valid_from=date(2026, 4, 1))
    follow_up_declaration(declaration, today=date(2026, 5, 2))
    follow_up = march(commitment)
    assert (follow_up.commitment, follow_up.result) == (commitment, FollowUp.Result.NOT_KEPT)
    assert (follow_up.explanation, follow_up.planned_action) == ("Sjukdom.", "Vikarie.")
    april = FollowUp.objects.get(commitment_key=commitment.key, period="2026-04")
    assert april.commitment == loose


def test_periods_not_yet_ended_are_not_judged(tree, handler):
    commitment = publish(tree.gata, measure=Measure.ANSWERED_WITHIN, threshold=Decimal(90))
    answered(tree.gata, handler, within=5)
    assert follow_up_declaration(commitment.version.declaration, today=date(2026, 3, 31)) == 0
    assert not FollowUp.objects.exists()
