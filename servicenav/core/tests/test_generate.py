"""Generated data: the same seed gives the same data, every case is what the services
would have left (clocks, references, history), and the statistics computed on it are
sane and agree with plain counts of the same cases."""

from __future__ import annotations

import contextlib
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from servicenav.cases.deadlines import deadlines_for, local_date
from servicenav.cases.models import Case, CaseEvent, Outcome, ReferenceCounter, Status
from servicenav.core.calendar import WorkingCalendar
from servicenav.core.generate import generate
from servicenav.core.generate.organisation import TOP_SLUG
from servicenav.core.models import ClosedDay
from servicenav.core.periods import Period
from servicenav.core.selectors import working_calendar
from servicenav.kpis.case_statistics import WorkingDays
from servicenav.kpis.compute import compute_all
from servicenav.kpis.models import Indicator, Measurement, Statistic
from servicenav.organisation.models import Unit
from servicenav.surveys.analysis import analyse_round
from servicenav.surveys.models import Response, Survey
from servicenav.testing import make_case

UNTIL = date(2026, 5, 1)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
Type = CaseEvent.Type


class Rollback(Exception):
    pass


def share(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


def make(cases: int = 400, seed: int = 7, years: int = 1, answers: int = 0) -> None:
    generate(cases=cases, answers=answers, seed=seed, years=years, until=UNTIL, stdout=StringIO())


def fingerprint() -> list[tuple[object, ...]]:
    """The generated cases and their histories, without database ids."""
    history = defaultdict(list)
    for case_id, type, at, text in CaseEvent.objects.values_list("case_id", "type", "at", "text"):
        history[case_id].append((type, at, text))
    return [
        (*fields, tuple(sorted(history[pk])))
        for pk, *fields in Case.objects.order_by("reference").values_list(
            "pk", "reference", "kind", "channel", "unit__slug", "status", "outcome", "text",
            "received_at", "acknowledged_at", "closed_at", "answer_by", "reporter_name",
        )
    ]  # fmt: skip


@pytest.fixture
def generated(db: None) -> None:
    ClosedDay.objects.create(date=date(2025, 12, 29), reason="Mellandag")
    make()


def generated_and_undone(**options: int) -> list[tuple[object, ...]]:
    """Generate, take the fingerprint, and roll the data back."""
    fingerprints = []
    with contextlib.suppress(Rollback), transaction.atomic():
        make(**options)
        fingerprints.append(fingerprint())
        raise Rollback
    return fingerprints[0]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data():
    first = generated_and_undone()
    make()
    assert len(first) == 400
    assert fingerprint() == first


@pytest.mark.django_db
def test_another_seed_gives_other_data():
    first = generated_and_undone(seed=1)
    make(seed=2)
    assert fingerprint() != first


def test_the_cases_are_spread_over_the_tree_kinds_and_channels(generated):
    cases = Case.objects.all()
    assert cases.count() == 400
    assert set(cases.values_list("kind", flat=True)) == {
        "complaint",
        "suggestion",
        "praise",
        "question",
    }
    assert len(set(cases.values_list("channel", flat=True))) >= 5
    top = Unit.objects.get(slug=TOP_SLUG)
    assert Unit.objects.filter(path__startswith=top.path).count() == 76
    teams = cases.filter(unit__kind=Unit.Kind.TEAM).count()
    assert 0.6 * 400 < teams < 0.95 * 400  # most cases go to a district team
    received = [local_date(moment) for moment in cases.values_list("received_at", flat=True)]
    assert UNTIL - timedelta(days=366) <= min(received)
    assert max(received) < UNTIL
    assert cases.filter(status=Status.CLOSED).count() > 0.9 * 400
    assert cases.exclude(status=Status.CLOSED).exists()  # the latest are still open


def test_references_follow_the_year_counters_and_go_on_from_there(generated):
    references = list(Case.objects.values_list("reference", "received_at"))
    by_year = defaultdict(list)
    for reference, received in references:
        _prefix, year, number = reference.split("-")
        assert int(year) == local_date(received).year
        by_year[int(year)].append(int(number))
    for year, numbers in by_year.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert ReferenceCounter.objects.get(year=year).last == len(numbers)
    # The next case through the services continues the count, with the next free id.
    received_at = Case.objects.order_by("-received_at").first().received_at
    case = make_case(received_at=received_at, at=received_at)
    year = local_date(received_at).year
    assert case.reference == f"S-{year}-{len(by_year[year]) + 1:05d}"
    assert case.pk > max(Case.objects.exclude(pk=case.pk).values_list("pk", flat=True))


def test_every_clock_is_the_one_the_services_would_set(generated):
    calendar = working_calendar()
    for case in Case.objects.select_related("unit"):
        received_on = local_date(case.received_at)
        rule = deadlines_for(case.unit, case.kind)
        assert case.acknowledge_by == calendar.add_working_days(received_on, rule.acknowledge_days)
        assert case.answer_days == rule.answer_days
        events = list(case.events.order_by("at", "pk"))
        reopenings = [e for e in events if e.type == Type.REOPENED]
        started = local_date(reopenings[-1].at) if reopenings else received_on
        assert case.clock_started_on == started, case.reference
        assert case.answer_by == calendar.add_working_days(
            started, case.answer_days + case.paused_days
        ), case.reference
        if case.acknowledged_at is not None:
            assert case.acknowledged_in_time == (
                local_date(case.acknowledged_at) <= case.acknowledge_by
            )


def test_every_case_carries_what_its_history_says(generated):
    for case in Case.objects.all():
        events = list(case.events.order_by("pk"))
        assert [e.at for e in events] == sorted(e.at for e in events), case.reference
        assert events[0].type == Type.CREATED
        assert events[0].at == case.registered_at >= case.received_at
        assert events[-1].at < _midnight(UNTIL)
        acknowledging = [
            e
            for e in events
            if e.actor_id and e.type in (Type.ACKNOWLEDGED, Type.ASSIGNED, Type.REPLY, Type.CLOSED)
        ]
        assert case.acknowledged_at == (acknowledging[0].at if acknowledging else None)
        replies = [e.at for e in events if e.type == Type.REPLY]
        assert case.first_reply_at == (replies[0] if replies else None)
        closes = [e for e in events if e.type == Type.CLOSED]
        transitions = [e for e in events if e.type in (Type.CLOSED, Type.REOPENED)]
        is_closed = bool(transitions) and transitions[-1].type == Type.CLOSED
        assert (case.status == Status.CLOSED) == is_closed, case.reference
        assert case.closed_at == (closes[-1].at if is_closed else None)
        assert (case.answered_in_time is None) == (not closes)
        if is_closed:
            assert case.outcome == closes[-1].data["outcome"]
        statuses = [e.data["status"]["to"] for e in events if e.type == Type.STATUS]
        if case.status == Status.WAITING:
            assert statuses[-1] == "waiting"
            assert case.waiting_since is not None


def test_duplicates_are_merged_into_an_earlier_case_of_the_same_unit(generated):
    merged = Case.objects.exclude(merged_into=None).select_related("merged_into")
    for case in merged:
        assert case.outcome == Outcome.DUPLICATE
        assert case.outcome_note == case.merged_into.reference
        assert case.merged_into.unit_id == case.unit_id
        assert case.merged_into.received_at < case.received_at
        assert case.merged_into.events.filter(type=Type.MERGED, data__duplicate=case.reference)


def test_the_statistics_on_generated_data_are_sane_and_agree_with_plain_counts(generated):
    indicators, written = compute_all(today=UNTIL, months=6)
    top = Unit.objects.get(slug=TOP_SLUG)
    assert indicators == Indicator.objects.count() == 9 + 2 * 7
    assert written == Measurement.objects.count() > 0
    april = Period.parse("2026-04")
    counted = Case.objects.filter(merged_into=None)

    def at_top(statistic: str) -> Measurement:
        return Measurement.objects.get(
            indicator__unit=top, indicator__statistic=statistic, unit=top, period=april.code
        )

    received = counted.filter(
        received_at__gte=_midnight(april.start), received_at__lt=_midnight(UNTIL)
    )
    praise = at_top(Statistic.SHARE_PRAISE)
    assert praise.n == received.count()
    assert praise.value == share(received.filter(kind="praise").count(), praise.n)
    due = counted.filter(answer_by__gte=april.start, answer_by__lte=april.end)
    by_deadline = at_top(Statistic.SHARE_ANSWERED_BY_DEADLINE)
    assert by_deadline.n == due.count()
    assert by_deadline.value == share(due.filter(answered_in_time=True).count(), by_deadline.n)
    median, p90 = at_top(Statistic.MEDIAN_DAYS_TO_ANSWER), at_top(Statistic.P90_DAYS_TO_ANSWER)
    assert 0 <= median.value <= p90.value <= 30
    for measurement in Measurement.objects.filter(indicator__unit_of_measure="percent"):
        if measurement.value is not None:
            assert 0 <= measurement.low <= measurement.value <= measurement.high <= 100
    # A unit's count is the sum of its own cases and those of the units below it.
    service = Unit.objects.get(slug="gen-gata-park")
    teams = Measurement.objects.filter(
        indicator=praise.indicator, unit__parent=service, period=april.code
    )
    own = received.filter(unit=service).count()
    below = Measurement.objects.get(indicator=praise.indicator, unit=service, period=april.code)
    assert below.n == own + sum(m.n for m in teams)


def test_the_vectorised_working_days_agree_with_the_calendar():
    calendar = WorkingCalendar(extra_closed=frozenset({date(2025, 5, 2), date(2026, 1, 5)}))
    rng = random.Random(3)
    first = date(2024, 1, 1).toordinal()
    starts = np.array([first + rng.randrange(1200) for _ in range(500)])
    ends = np.array([first + rng.randrange(1200) for _ in range(500)])
    counts = np.array([rng.randrange(25) for _ in range(500)])
    days = WorkingDays(calendar, first + 400, first + 430)  # grows as asked
    between, added = days.between(starts, ends), days.add(starts, counts)
    for start, end, count, n, day in zip(starts, ends, counts, between, added, strict=True):
        start_day, end_day = date.fromordinal(int(start)), date.fromordinal(int(end))
        assert calendar.working_days_between(start_day, end_day) == n
        assert calendar.add_working_days(start_day, int(count)) == date.fromordinal(int(day))


@pytest.mark.django_db
def test_the_command_generates_once_and_says_what_it_did():
    out = StringIO()
    call_command(
        "generate_data", "--cases", "60", "--seed", "3", "--years", "1", "--until", "2026-05-01",
        stdout=out,
    )  # fmt: skip
    assert "60 cases" in out.getvalue()
    assert Case.objects.count() == 60
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("generate_data", "--cases", "10", stdout=StringIO())
    assert Case.objects.count() == 60


@pytest.mark.django_db
def test_survey_responses_fill_a_round_a_year_and_the_analysis_finds_the_rise():
    make(cases=50, answers=3000, years=2)
    assert Response.objects.count() == 3000
    citizens = Survey.objects.get(title_en="Citizen survey")
    earlier, latest = citizens.rounds.order_by("opens_on")
    assert [latest.opens_on, latest.closes_on] == [date(2026, 3, 1), date(2026, 3, 31)]
    assert earlier.opens_on == date(2025, 3, 1)
    width = latest.round_questions.count()
    assert width == 30
    for response in latest.responses.all()[:200]:
        assert len(response.answers) == width
        assert latest.opens_on <= response.submitted_on <= latest.closes_on
        assert all(a is None or 0 <= a <= 10 for a in response.answers)

    analysis = analyse_round(latest, earlier, minimum=5)
    assert analysis.overall is not None
    assert analysis.overall.estimate is not None
    assert 40 < analysis.overall.estimate.value < 90  # an index on 0-100
    assert len(analysis.areas) == 5
    assert analysis.breakdowns
    overall = next(row for row in analysis.changes if row.label == analysis.overall.name)
    assert overall.comparison is not None
    assert overall.comparison.difference > 0  # satisfaction rises a little each year
