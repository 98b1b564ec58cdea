"""The demo has five service declarations, told through the services: approved by a manager
of the unit, published about two years ago, one with a second version from about a year
ago and one long past its review-by date, followed up period by period with every kind of
result, explained where promises were not kept, with feedback linked to its promise.

Loading the whole demo takes seconds, so the module loads it once inside a transaction that
is rolled back when the module is done."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicenav.cases.models import Case, Kind
from servicenav.cases.services import case_acknowledge
from servicenav.core.models import AuditEntry, OutgoingEmail
from servicenav.core.periods import add_months
from servicenav.declarations.access import can_approve
from servicenav.declarations.models import Commitment, Declaration, FollowUp, Measure, Version
from servicenav.organisation.models import Unit, User
from servicenav.testing import make_case

UNITS = {"bibliotek", "bygglov", "avfall", "forskola", "kontaktcenter"}


# Without the demo cases. First in the module: it needs the database without the demo
# that the module-scoped fixture below loads for the rest.


@pytest.mark.django_db
def test_without_cases_promises_are_judged_on_the_cases_there_when_loaded_again():
    call_command("load_demo", without_cases=True, stdout=StringIO())
    assert {declaration.unit.slug for declaration in Declaration.objects.all()} == UNITS
    measured = FollowUp.objects.filter(commitment__kind=Commitment.Kind.MEASURABLE)
    assert set(measured.values_list("result", flat=True)) == {FollowUp.Result.NOT_ENOUGH_DATA}
    assert FollowUp.objects.filter(result=FollowUp.Result.KEPT).exists()  # assessed ones

    # Five complaints to the library in its first period, each acknowledged the next day.
    version = Declaration.objects.get(unit__slug="bibliotek").versions.get(number=1)
    library, handler = Unit.objects.get(slug="bibliotek"), User.objects.get(username="admin")
    received = datetime.combine(
        version.valid_from + timedelta(days=7), time(10), tzinfo=timezone.get_default_timezone()
    )
    for _ in range(5):
        case = make_case(unit=library, received_at=received)
        case_acknowledge(case=case, by=handler, at=received + timedelta(days=1))

    call_command("load_demo", without_cases=True, stdout=StringIO())

    acknowledged = version.commitments.get(measure=Measure.ACKNOWLEDGED_WITHIN)
    first = FollowUp.objects.get(commitment_key=acknowledged.key, period_start=version.valid_from)
    assert (first.result, first.cases, first.value) == (FollowUp.Result.KEPT, 5, 100)


# The whole demo.


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("load_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def declarations(demo, db):
    return Declaration.objects.select_related("unit")


def test_five_declarations_are_loaded_with_a_progress_bar_and_a_summary(demo, declarations):
    assert {declaration.unit.slug for declaration in declarations} == UNITS
    assert "Declarations [" in demo
    assert "5/5" in demo
    assert "Demo declarations: 5 new" in demo
    assert "5 new declarations." in demo


def test_each_was_approved_by_a_manager_and_published_about_two_years_ago(declarations):
    today = timezone.localdate()
    for declaration in declarations:
        first = declaration.versions.get(number=1)
        assert first.approved_by is not None
        assert can_approve(first.approved_by, declaration.unit)
        assert first.submitted_at < first.approved_at < first.published_at
        assert add_months(today, -25) < first.valid_from <= add_months(today, -19)
        assert timezone.localdate(first.published_at) == first.valid_from
        assert declaration.owner == first.approved_by
        assert declaration.current is not None
        for name in ("summary", "we_expect", "if_we_fail", "contact"):
            assert getattr(first, f"{name}_sv")
            assert getattr(first, f"{name}_en")


def test_each_has_three_to_five_promises_measurable_and_qualitative(declarations):
    for declaration in declarations:
        commitments = list(declaration.current.commitments.all())
        assert 3 <= len(commitments) <= 5
        kinds = {commitment.kind for commitment in commitments}
        assert kinds == {Commitment.Kind.MEASURABLE, Commitment.Kind.QUALITATIVE}
        for commitment in commitments:
            assert commitment.text_sv
            assert commitment.text_en
    measures = set(Commitment.objects.values_list("measure", flat=True))
    assert measures == {"", *Measure.values}


def test_the_library_has_a_second_version_from_about_a_year_ago(declarations):
    library = declarations.get(unit__slug="bibliotek")
    first, second = library.versions.order_by("number")
    today = timezone.localdate()
    assert (first.status, second.status) == (Version.Status.ARCHIVED, Version.Status.PUBLISHED)
    assert add_months(today, -13) < second.valid_from <= add_months(today, -7)
    assert first.valid_until == second.valid_from - timedelta(days=1)
    assert second.summary_sv != first.summary_sv
    old_keys = {commitment.key for commitment in first.commitments.all()}
    new_keys = {commitment.key for commitment in second.commitments.all()}
    assert old_keys < new_keys  # every promise carried on, one added
    reworded = second.commitments.exclude(text_sv__in=first.commitments.values("text_sv"))
    assert reworded.count() == 2  # one reworded, one new


def test_only_the_waste_collection_is_past_its_review_by_date(declarations):
    today = timezone.localdate()
    grace = timedelta(days=settings.SERVICENAV_DECLARATION_REVIEW_GRACE_DAYS)
    overdue = {
        declaration.unit.slug
        for declaration in declarations
        if declaration.current.review_by + grace < today
    }
    assert overdue == {"avfall"}
    for declaration in declarations.exclude(unit__slug="avfall"):
        assert declaration.current.review_by > today


def test_the_follow_up_has_every_result_with_comments_and_explanations(declarations):
    follow_ups = FollowUp.objects.select_related("commitment")
    results = Counter(follow_ups.values_list("result", flat=True))
    assert set(results) == set(FollowUp.Result.values)
    assert results[FollowUp.Result.KEPT] > results[FollowUp.Result.NOT_KEPT]
    today = timezone.localdate()
    assert all(follow_up.period_end < today for follow_up in follow_ups)
    assessed = follow_ups.filter(commitment__kind=Commitment.Kind.QUALITATIVE)
    assert assessed.exists()
    assert not assessed.filter(comment="").exists()
    assert not assessed.filter(assessed_by__isnull=True).exists()
    measured = follow_ups.filter(commitment__kind=Commitment.Kind.MEASURABLE)
    assert not measured.filter(cases__isnull=True).exists()
    missed = follow_ups.filter(result=FollowUp.Result.NOT_KEPT)
    explained = missed.exclude(explanation="")
    assert 0 < explained.count() < missed.count()
    assert not explained.filter(planned_action="").exists()
    assert not follow_ups.exclude(result=FollowUp.Result.NOT_KEPT).exclude(explanation="").exists()


def test_some_complaints_and_praise_are_linked_to_a_promise_in_force_when_they_came(
    declarations,
):
    linked = Case.objects.filter(commitment__isnull=False).select_related(
        "commitment__version__declaration"
    )
    assert linked.count() >= 10
    assert set(linked.values_list("kind", flat=True)) == {Kind.COMPLAINT, Kind.PRAISE}
    for case in linked:
        version = case.commitment.version
        assert case.unit_id == version.declaration.unit_id
        received = timezone.localdate(case.received_at)
        assert version.valid_from <= received
        assert version.valid_until is None or received <= version.valid_until


def test_nothing_was_sent(declarations):
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def _counts() -> tuple[int, ...]:
    return (
        Declaration.objects.count(),
        Version.objects.count(),
        Commitment.objects.count(),
        FollowUp.objects.count(),
        FollowUp.objects.exclude(explanation="").count(),
        Case.objects.filter(commitment__isnull=False).count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )


def test_loading_again_adds_nothing(declarations):
    before = _counts()
    output = StringIO()
    call_command("load_demo", stdout=output)
    assert _counts() == before
    assert "0 new declarations." in output.getvalue()
