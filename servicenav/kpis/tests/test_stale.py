"""Computed measurements follow their data: a case change marks its unit stale from the
day the case was received, once per burst, and the background task recomputes exactly
the indicators and periods the change can have moved, then forgets the marks."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicenav.cases.services import case_close, case_move, case_reply
from servicenav.core.periods import add_months
from servicenav.kpis import stale
from servicenav.kpis.compute import compute_all
from servicenav.kpis.models import Indicator, Measurement, Source, StaleUnit, Statistic
from servicenav.kpis.stale import mark_stale, recompute_stale_units
from servicenav.kpis.tasks import recompute_stale
from servicenav.testing import make_case

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 6, 10)
RECOMPUTE_TASK = "servicenav.kpis.tasks.recompute_stale"


def received(unit, day: date, kind: str = "complaint"):
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=STOCKHOLM)
    return make_case(unit=unit, kind=kind, received_at=moment, at=moment)


def on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, tzinfo=STOCKHOLM)


def indicator(unit, code: str, **fields) -> Indicator:
    defaults = {
        "name_sv": "Besvarade inom tio dagar",
        "name_en": "Answered within ten days",
        "kind": "lead_time",
        "definition_sv": "Andel besvarade inom tio arbetsdagar från mottagandet.",
        "source": Source.CASES,
        "statistic": Statistic.SHARE_ANSWERED_WITHIN,
        "params": {"limit_days": 10},
        "unit_of_measure": "percent",
        "min_cases": 1,
    }
    return Indicator.objects.create(unit=unit, code=code, **(defaults | fields))


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=RECOMPUTE_TASK).count()


# --- Marking -------------------------------------------------------------------------------


def test_marking_twice_keeps_the_earliest_day_and_queues_once(
    tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert mark_stale(tree.gata.pk, date(2026, 5, 10)) is True
        assert mark_stale(tree.gata.pk, date(2026, 5, 3)) is False
        assert mark_stale(tree.gata.pk, date(2026, 5, 20)) is False

    assert StaleUnit.objects.get(unit=tree.gata).since == date(2026, 5, 3)
    assert len(callbacks) == 1
    assert queued() == 1


def test_marking_costs_one_statement_for_a_new_row_and_two_or_three_after(
    tree, django_assert_num_queries
):
    with django_assert_num_queries(1):
        mark_stale(tree.gata.pk, date(2026, 5, 10))
    with django_assert_num_queries(2):
        mark_stale(tree.gata.pk, date(2026, 5, 12))
    with django_assert_num_queries(3):
        mark_stale(tree.gata.pk, date(2026, 5, 1))


def test_a_case_change_marks_its_unit_from_the_local_day_it_was_received(
    tree, django_capture_on_commit_callbacks
):
    # 22:30 UTC on 3 May is half past midnight on 4 May in Sweden.
    moment = datetime(2026, 5, 3, 22, 30, tzinfo=ZoneInfo("UTC"))
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(unit=tree.gata, received_at=moment, at=moment)
    assert StaleUnit.objects.get(unit=tree.gata).since == date(2026, 5, 4)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_close(case=case, outcome="answered", by=None, at=on(date(2026, 6, 1)))

    assert StaleUnit.objects.get(unit=tree.gata).since == date(2026, 5, 4)
    assert callbacks == []  # the unit was stale already: no second task
    assert queued() == 1
    assert not StaleUnit.objects.exclude(unit=tree.gata).exists()


def test_a_case_without_a_unit_marks_nothing(db):
    make_case(unit=None)
    assert not StaleUnit.objects.exists()


def test_moving_a_case_marks_the_unit_it_leaves_and_the_one_it_joins(tree):
    case = received(tree.gata, date(2026, 3, 2))
    StaleUnit.objects.all().delete()

    case_move(case=case, unit=tree.hemtjanst, reason="Fel enhet", by=None)

    assert dict(StaleUnit.objects.values_list("unit", "since")) == {
        tree.gata.pk: date(2026, 3, 2),
        tree.hemtjanst.pk: date(2026, 3, 2),
    }


# --- Recomputing ---------------------------------------------------------------------------


@pytest.fixture
def computed(tree):
    """Three indicators computed up to TODAY: Teknik's and Gata's (whose figures a change in
    Gata moves) and Social's (which it cannot); the marks of the setup are cleared."""
    indicator(tree.teknik, "teknik")
    indicator(tree.gata, "gata")
    indicator(tree.social, "social")
    march = received(tree.gata, date(2026, 3, 2))
    case_reply(case=march, text="Tack, vi åtgärdar.", by=None, at=on(date(2026, 3, 3)))
    april = received(tree.gata, date(2026, 4, 6))  # unanswered: late in April
    received(tree.vatten, date(2026, 4, 7))
    received(tree.hemtjanst, date(2026, 4, 6))
    compute_all(today=TODAY)
    StaleUnit.objects.all().delete()
    return april


def stamps() -> dict[tuple[str, str, str], datetime]:
    rows = Measurement.objects.values_list("indicator__code", "unit__name_sv", "period")
    return dict(zip(rows, Measurement.objects.values_list("computed_at", flat=True), strict=True))


def value(code: str, unit: str, period: str) -> Decimal | None:
    return Measurement.objects.get(indicator__code=code, unit__name_sv=unit, period=period).value


def test_the_task_recomputes_the_figures_a_change_can_move_from_its_period_on(tree, computed):
    april = computed
    assert value("gata", "Gata", "2026-04") == Decimal("0.00")
    before = stamps()

    case_reply(case=april, text="Svar.", by=None, at=on(date(2026, 4, 8)))
    recompute_stale_units(today=TODAY)

    assert value("gata", "Gata", "2026-04") == Decimal("100.00")
    assert value("teknik", "Teknik", "2026-04") == Decimal("50.00")  # Vatten's case is late
    after = stamps()
    moved = {key for key in before if after[key] != before[key]}
    assert moved == {
        (code, unit, period)
        for code, unit in [("gata", "Gata"), ("teknik", "Teknik"), ("teknik", "Gata")]
        for period in ("2026-04", "2026-05")
    }
    assert not StaleUnit.objects.exists()


def test_a_change_far_back_is_recomputed_from_the_start_of_the_window(tree, computed):
    Measurement.objects.all().delete()
    mark_stale(tree.gata.pk, date(2020, 1, 15))

    recompute_stale_units(today=TODAY)

    first = Measurement.objects.order_by("period_start").first()
    assert first.period_start == add_months(TODAY.replace(day=1), -24)
    assert set(Measurement.objects.values_list("indicator__code", flat=True)) == {"gata", "teknik"}


def test_without_stale_units_the_task_does_nothing(tree, computed):
    before = stamps()
    assert recompute_stale_units(today=TODAY) == (0, 0)
    assert stamps() == before


def test_an_indicator_that_fails_keeps_its_units_stale_and_the_others_are_done(
    tree, computed, monkeypatch
):
    april = computed
    compute = stale.compute_periods

    def failing_for_teknik(indicator, periods, **kwargs):
        if indicator.code == "teknik":
            raise RuntimeError("database went away")
        return compute(indicator, periods, **kwargs)

    monkeypatch.setattr(stale, "compute_periods", failing_for_teknik)
    case_reply(case=april, text="Svar.", by=None, at=on(date(2026, 4, 8)))

    with pytest.raises(RuntimeError, match="went away"):
        recompute_stale_units(today=TODAY)

    assert value("gata", "Gata", "2026-04") == Decimal("100.00")
    assert StaleUnit.objects.get().since == date(2026, 4, 6)


def test_the_background_task_recomputes_last_months_change(tree):
    ind = indicator(tree.gata, "praise", statistic=Statistic.SHARE_PRAISE, params={})
    last_month = add_months(timezone.localdate().replace(day=1), -1) + timedelta(days=2)
    received(tree.gata, last_month, kind="praise")

    assert recompute_stale.call() == {"indicators": 1, "measurements": 1}

    assert ind.measurements.get().value == Decimal("100.00")
    assert not StaleUnit.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_task_leaves_a_unit_an_unfinished_change_holds_and_runs_again(tree):
    mark_stale(tree.gata.pk, date(2026, 5, 1), enqueue=False)
    holding, release = threading.Event(), threading.Event()

    def change() -> None:
        try:
            with transaction.atomic():
                mark_stale(tree.gata.pk, date(2026, 5, 3))
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=change)
    thread.start()
    try:
        assert holding.wait(10)
        assert recompute_stale_units(today=TODAY) == (0, 0)
        assert StaleUnit.objects.get().since == date(2026, 5, 1)
        # A follow-up run, a little later, as the change queued none.
        follow_up = DBTaskResult.objects.get(task_path=RECOMPUTE_TASK)
        assert follow_up.run_after > follow_up.enqueued_at
    finally:
        release.set()
        thread.join()

    recompute_stale_units(today=TODAY)
    assert not StaleUnit.objects.exists()
