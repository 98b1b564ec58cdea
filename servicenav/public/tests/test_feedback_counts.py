"""The stored feedback counts and the figures made from them agree with the KPIs of the
same cases (`kpis.case_statistics`), for every unit with the units below it, every kind,
a month and a quarter; refreshing units, moving a unit and the nightly command; the
cases are read once however many months are counted, and rows are replaced all or
nothing."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from servicenav.cases.models import Case
from servicenav.core.periods import Period
from servicenav.kpis import case_statistics as stats
from servicenav.kpis.models import Statistic
from servicenav.organisation.services import unit_update
from servicenav.public.feedback import feedback_statistics_compute, feedback_statistics_refresh
from servicenav.public.figures import ALL, KINDS, feedback_figures, percentile
from servicenav.public.models import FeedbackMonth
from servicenav.public.tasks import refresh_feedback_statistics
from servicenav.public.tests.conftest import TODAY, answered_after, received

MONTHS = [Period.parse(code) for code in ("2026-03", "2026-04", "2026-05")]
QUARTER = Period.parse("2026-Q2")


CODES = (
    Statistic.MEDIAN_DAYS_TO_ANSWER,
    Statistic.P90_DAYS_TO_ANSWER,
    Statistic.SHARE_ANSWERED_BY_DEADLINE,
    Statistic.SHARE_PRAISE,
)


def kpis_of(units, periods, kind: str) -> dict[tuple[int, str, str], stats.Result]:
    """The KPIs of each unit and period as `case_statistics.measure` gives them, of the
    cases of one kind (or all): the others are taken off their units, in a savepoint
    that is rolled back."""
    with transaction.atomic():
        if kind != ALL:
            Case.objects.exclude(kind=kind).update(unit=None)
        results: dict[tuple[int, str, str], stats.Result] = {
            (unit.pk, period.code, str(code)): stats.measure(code, unit, period)
            for unit in units
            for period in periods
            for code in CODES
        }
        transaction.set_rollback(True)
    return results


def as_result(figure) -> stats.Result:
    return stats.Result(value=figure.value, n=figure.n, low=figure.low, high=figure.high)


@pytest.mark.django_db
def test_every_figure_equals_the_kpi_of_the_same_cases(tree, seeder):
    units = [tree.kommun, tree.teknik, tree.gata, tree.vatten, tree.social, tree.hemtjanst]
    seeder.seed([tree.gata, tree.vatten, tree.teknik, tree.hemtjanst], date(2026, 2, 20), 95, 90)
    feedback_statistics_compute(today=date(2026, 7, 1))  # the quarter has ended

    periods = [*MONTHS, QUARTER]
    figures = feedback_figures(units, periods, minimum=1)

    compared = 0
    for kind in (ALL, *KINDS):
        kpis = kpis_of(units, periods, kind)
        for unit in units:
            for period in periods:
                shown = figures[unit.pk, kind, period.code]
                key = (unit.pk, period.code)
                median = kpis[*key, Statistic.MEDIAN_DAYS_TO_ANSWER]
                assert as_result(shown.median_days) == median, (unit, period, kind)
                assert as_result(shown.p90_days) == kpis[*key, Statistic.P90_DAYS_TO_ANSWER]
                assert (
                    as_result(shown.by_deadline) == kpis[*key, Statistic.SHARE_ANSWERED_BY_DEADLINE]
                )
                praise = kpis[*key, Statistic.SHARE_PRAISE]
                assert (shown.received, shown.answered) == (praise.n, median.n)
                if kind == ALL:
                    assert as_result(shown.praise) == praise
                compared += shown.answered
    assert compared > 200  # the comparison was not of empty periods


@pytest.mark.django_db
def test_only_ended_months_are_counted(tree, handler):
    answered_after(tree.gata, handler, date(2026, 5, 29), 2, "complaint")
    received(tree.gata, date(2026, 6, 2))

    feedback_statistics_compute(today=TODAY)

    months = set(FeedbackMonth.objects.values_list("month", flat=True))
    assert months == {date(2026, 5, 1)}  # answered in June: not counted yet


@pytest.mark.django_db
def test_figures_below_the_minimum_have_no_value_but_keep_n(tree, handler):
    for days in (1, 2, 3, 4):
        answered_after(tree.gata, handler, date(2026, 4, 6), days, "complaint")
    feedback_statistics_compute(today=TODAY)

    april = Period.parse("2026-04")
    figures = feedback_figures([tree.gata], [april], minimum=5)[tree.gata.pk, ALL, "2026-04"]
    shown = feedback_figures([tree.gata], [april], minimum=4)[tree.gata.pk, ALL, "2026-04"]

    assert (figures.received, figures.answered) == (4, 4)
    assert figures.median_days.value is None
    assert figures.median_days.suppressed
    assert figures.by_deadline.suppressed
    assert figures.praise is not None
    assert figures.praise.suppressed
    assert shown.median_days.value == Decimal("2.5")
    assert not shown.median_days.suppressed


@pytest.mark.django_db
def test_refreshing_a_unit_recounts_its_own_cases_and_nothing_else(tree, handler):
    answered_after(tree.gata, handler, date(2026, 4, 6), 3, "complaint")
    answered_after(tree.vatten, handler, date(2026, 4, 6), 3, "praise")
    feedback_statistics_compute(today=TODAY)
    vatten_before = FeedbackMonth.objects.get(unit=tree.vatten)
    # A phone call from March registered late.
    answered_after(tree.gata, handler, date(2026, 3, 10), 7, "question")

    written = feedback_statistics_refresh({tree.gata.pk: date(2026, 3, 10)}, today=TODAY)

    assert written == 2
    rows = FeedbackMonth.objects.filter(unit=tree.gata).order_by("month")
    assert [(row.month, row.kind, row.answered) for row in rows] == [
        (date(2026, 3, 1), "question", 1),
        (date(2026, 4, 1), "complaint", 1),
    ]
    assert FeedbackMonth.objects.get(unit=tree.vatten) == vatten_before
    assert FeedbackMonth.objects.get(unit=tree.vatten).computed_at == vatten_before.computed_at
    teknik = feedback_figures([tree.teknik], [Period.parse("2026-Q1")], minimum=1)
    assert teknik[tree.teknik.pk, ALL, "2026-Q1"].received == 1


def stored() -> dict[tuple[int, str, date], tuple[int, int, dict[str, int], int, int]]:
    return {
        (row.unit_id, row.kind, row.month): (
            row.received,
            row.answered,
            row.days_to_answer,
            row.due,
            row.due_in_time,
        )
        for row in FeedbackMonth.objects.all()
    }


@pytest.mark.django_db
def test_refreshing_several_units_at_once_gives_what_a_full_count_gives(tree, handler, seeder):
    seeder.seed([tree.gata, tree.vatten, tree.teknik, tree.hemtjanst], date(2026, 2, 2), 100, 40)
    feedback_statistics_compute(today=TODAY)
    hemtjanst_before = {
        row.month: row.computed_at for row in FeedbackMonth.objects.filter(unit=tree.hemtjanst)
    }
    # Late registrations: Teknik's own case (Teknik has units below it) and Gata's in
    # April, Vatten's in May; Social had no cases at all before.
    answered_after(tree.teknik, handler, date(2026, 4, 14), 4, "suggestion")
    answered_after(tree.gata, handler, date(2026, 4, 20), 12, "praise")
    answered_after(tree.vatten, handler, date(2026, 5, 5), 1, "question")
    answered_after(tree.social, handler, date(2026, 3, 2), 2, "complaint")
    changed = {
        tree.teknik.pk: date(2026, 4, 14),
        tree.gata.pk: date(2026, 4, 20),
        tree.vatten.pk: date(2026, 5, 5),
        tree.social.pk: date(2026, 3, 2),
        tree.hemtjanst.pk: date(2026, 6, 1),  # the running month: nothing to count yet
    }

    written = feedback_statistics_refresh(changed, today=TODAY)
    refreshed = stored()
    hemtjanst_after = {
        row.month: row.computed_at for row in FeedbackMonth.objects.filter(unit=tree.hemtjanst)
    }
    feedback_statistics_compute(today=TODAY)

    assert refreshed == stored()
    assert written == len(
        [key for key in refreshed if key[0] in changed and key[2] >= changed[key[0]].replace(day=1)]
    )
    assert written > 5
    assert hemtjanst_after == hemtjanst_before  # changed in June only: not rewritten


@pytest.mark.django_db
def test_a_refresh_rewrites_only_the_units_own_rows_from_the_month_changed(tree, handler):
    for unit in (tree.teknik, tree.gata):
        answered_after(unit, handler, date(2026, 3, 9), 3, "complaint")
        answered_after(unit, handler, date(2026, 4, 6), 3, "complaint")
    feedback_statistics_compute(today=TODAY)
    before = {(row.unit_id, row.month): row.computed_at for row in FeedbackMonth.objects.all()}
    answered_after(tree.teknik, handler, date(2026, 4, 8), 5, "praise")

    written = feedback_statistics_refresh({tree.teknik.pk: date(2026, 4, 8)}, today=TODAY)

    after = {(row.unit_id, row.month): row.computed_at for row in FeedbackMonth.objects.all()}
    assert written == 2  # Teknik's own April: a complaint and a praise
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed == {(tree.teknik.pk, date(2026, 4, 1))}
    teknik_april = FeedbackMonth.objects.filter(unit=tree.teknik, month=date(2026, 4, 1))
    assert sorted(teknik_april.values_list("kind", "received")) == [
        ("complaint", 1),
        ("praise", 1),
    ]


@pytest.mark.django_db
def test_the_cases_are_read_once_however_many_months_are_counted(tree, handler):
    answered_after(tree.gata, handler, date(2026, 3, 9), 3, "complaint")
    answered_after(tree.hemtjanst, handler, date(2026, 4, 6), 3, "praise")

    with CaptureQueriesContext(connection) as three_months:
        feedback_statistics_compute(today=TODAY)
    with CaptureQueriesContext(connection) as fifteen_months:
        summary = feedback_statistics_compute(today=date(2027, 6, 15))
    with CaptureQueriesContext(connection) as refresh:
        feedback_statistics_refresh(
            {tree.gata.pk: date(2026, 3, 9), tree.hemtjanst.pk: date(2026, 4, 6)},
            today=date(2027, 6, 15),
        )

    assert summary.months == 15  # March 2026 to May 2027
    assert len(fifteen_months) == len(three_months)
    cases_read = [query for query in refresh if query["sql"].startswith('SELECT "cases_case"')]
    assert len(cases_read) == 1  # both units at once (the history reads their events)


@pytest.mark.django_db
def test_a_count_that_fails_while_writing_leaves_the_old_rows(tree, handler, monkeypatch):
    answered_after(tree.gata, handler, date(2026, 4, 6), 3, "complaint")
    feedback_statistics_compute(today=TODAY)
    before = stored()
    answered_after(tree.gata, handler, date(2026, 5, 4), 3, "praise")

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(FeedbackMonth.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        feedback_statistics_compute(today=TODAY)
    with pytest.raises(RuntimeError):
        feedback_statistics_refresh({tree.gata.pk: date(2026, 5, 4)}, today=TODAY)

    assert stored() == before


@pytest.mark.django_db
def test_a_refresh_of_unknown_units_or_of_the_running_month_changes_nothing(tree, handler):
    answered_after(tree.gata, handler, date(2026, 4, 6), 3, "complaint")
    feedback_statistics_compute(today=TODAY)
    before = list(FeedbackMonth.objects.values_list("pk", "computed_at"))

    assert feedback_statistics_refresh({999999: date(2026, 4, 1)}, today=TODAY) == 0
    assert feedback_statistics_refresh({tree.gata.pk: date(2026, 6, 1)}, today=TODAY) == 0
    assert feedback_statistics_refresh({}, today=TODAY) == 0

    assert list(FeedbackMonth.objects.values_list("pk", "computed_at")) == before


@pytest.mark.django_db
def test_a_unit_moved_in_the_tree_takes_its_figures_along(tree, handler):
    answered_after(tree.vatten, handler, date(2026, 4, 6), 3, "complaint")
    feedback_statistics_compute(today=TODAY)

    unit_update(unit=tree.vatten, by=None, parent=tree.social)
    tree.social.refresh_from_db()
    tree.teknik.refresh_from_db()

    april = Period.parse("2026-04")
    figures = feedback_figures([tree.social, tree.teknik], [april], minimum=1)
    assert figures[tree.social.pk, ALL, "2026-04"].received == 1
    assert figures[tree.teknik.pk, ALL, "2026-04"].received == 0


@pytest.mark.django_db
def test_a_full_count_forgets_months_without_cases_any_more(tree, handler):
    case = answered_after(tree.gata, handler, date(2026, 3, 10), 2, "complaint")
    feedback_statistics_compute(today=TODAY)
    assert FeedbackMonth.objects.exists()
    case.delete()  # as if it had never been

    feedback_statistics_compute(today=TODAY)

    assert not FeedbackMonth.objects.exists()


@pytest.mark.parametrize("seed", range(40))
def test_percentiles_of_a_histogram_equal_numpy_on_the_values(seed):
    rng = random.Random(seed)
    days = {rng.randrange(60): rng.randint(1, 9) for _ in range(rng.randint(1, 12))}
    values = np.repeat(list(days), list(days.values())).astype(float)
    for percent in (50, 90, 25, 99):
        expected = Decimal(repr(float(np.percentile(values, percent, method="linear"))))
        assert percentile(days, percent) == expected.quantize(Decimal("0.1"), "ROUND_HALF_UP")


def test_a_histogram_of_nothing_has_no_percentile():
    assert percentile({}, 50) is None
    assert percentile({3: 0}, 90) is None


@pytest.mark.django_db
def test_the_command_shows_progress_and_what_it_wrote(tree, handler):
    answered_after(tree.gata, handler, date(2026, 4, 6), 3, "complaint")
    out = StringIO()

    call_command("compute_public_statistics", "--today", "2026-06-15", stdout=out)

    assert "Months [" in out.getvalue()
    assert "2/2" in out.getvalue()  # April and May
    assert "1 rows written for 6 units over 2 months." in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--since", "2026"], "takes a month"),
        (["--since", "maj"], "Invalid period code"),
        (["--unit", "999999"], "no unit with id 999999"),
    ],
)
def test_the_command_refuses_bad_arguments(tree, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("compute_public_statistics", *arguments, stdout=StringIO())
    assert not FeedbackMonth.objects.exists()


@pytest.mark.django_db
def test_the_background_task_refreshes_the_units_it_is_given(tree, handler):
    answered_after(tree.gata, handler, date(2026, 4, 6), 3, "complaint")

    result = refresh_feedback_statistics.call({str(tree.gata.pk): "2026-04-06"})

    assert result == {"rows": 1}
    assert FeedbackMonth.objects.get().unit == tree.gata
