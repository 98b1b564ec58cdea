"""The demo's key performance indicators: about six for each of three demo units across the
four kinds, defined by the quality coordinator with targets for two years, computed from the
data, with the Contact Centre's imported telephony figures and Kolada figures that are all
marked as demo figures, four indicators linked to them by title.

The module loads the demo without its two years of cases (which take seconds), adds a
month of cases to Gata och park and runs the indicator step again, inside a transaction
that is rolled back when the module is done."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from servicenav.cases.services import case_acknowledge
from servicenav.core.models import AuditEntry
from servicenav.core.periods import Period, PeriodKind, add_months
from servicenav.kpis.demo import INDICATORS, TELEPHONY_COMMENT, load_demo_kpis
from servicenav.kpis.models import (
    Indicator,
    Kind,
    KoladaGroup,
    KoladaKpi,
    KoladaValue,
    Measurement,
    Source,
)
from servicenav.kpis.services import active_limit
from servicenav.organisation.models import Unit, User
from servicenav.surveys.models import Question
from servicenav.testing import make_case

RIKET, LULEA = "0000", "2580"
WORDS_SV = ("start", "stopp", "population", "mått", "period")
WORDS_EN = ("start", "stop", "population", "statistic", "period")


def _month_of_cases(today):
    """Six cases to Gata och park early in the month before last, three acknowledged the
    next working day: Teknik's acknowledgement share for that month is 50 %."""
    month = add_months(today.replace(day=1), -2)
    received = datetime.combine(
        month + timedelta(days=7), time(10), tzinfo=timezone.get_default_timezone()
    )
    received -= timedelta(days=received.weekday())  # a Monday, so the next day works
    gata, handler = Unit.objects.get(slug="gata-park"), User.objects.get(username="handlaggare")
    for number in range(6):
        case = make_case(unit=gata, received_at=received)
        if number % 2:
            case_acknowledge(case=case, by=handler, at=received + timedelta(days=1))
    return Period.containing(received.date(), PeriodKind.MONTH)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        first = StringIO()
        call_command("load_demo", without_cases=True, stdout=first)
        today = timezone.localdate()
        counts = (Indicator.objects.count(), Measurement.objects.count())
        month = _month_of_cases(today)
        again = StringIO()
        added = load_demo_kpis(stdout=again, today=today)
        yield {
            "output": first.getvalue(),
            "again": again.getvalue(),
            "added_again": added,
            "counts": counts,
            "month": month,
            "today": today,
        }
        transaction.set_rollback(True)


@pytest.fixture
def indicators(demo, db):
    return Indicator.objects.select_related("unit")


def test_the_step_shows_a_progress_bar_and_a_summary(demo):
    output = demo["output"]
    assert "Indicators [" in output
    assert "Demo indicators: 18 new;" in output
    assert "24 new telephony figures" in output
    assert "18 new indicators," in output


def test_each_demo_unit_has_about_six_indicators_of_every_kind_within_its_limit(indicators):
    by_unit: dict[Unit, list[Indicator]] = {}
    for indicator in indicators:
        by_unit.setdefault(indicator.unit, []).append(indicator)
    assert {unit.slug for unit in by_unit} == set(INDICATORS)
    for unit, owned in by_unit.items():
        assert 5 <= len(owned) <= active_limit(unit)
        assert {indicator.kind for indicator in owned} == set(Kind.values), unit.slug
        assert all(indicator.active and not indicator.exception_reason for indicator in owned)


def test_every_source_is_used(indicators):
    assert Counter(indicators.values_list("source", flat=True)).keys() == set(Source.values)


def test_every_definition_names_start_stop_population_statistic_and_period(indicators):
    for indicator in indicators:
        swedish, english = indicator.definition_sv.lower(), indicator.definition_en.lower()
        assert all(word in swedish for word in WORDS_SV), indicator.code
        assert all(word in english for word in WORDS_EN), indicator.code


def test_the_coordinator_defined_every_indicator_and_set_targets_for_two_years(demo, indicators):
    coordinator = User.objects.get(username="kvalitet")
    years = [demo["today"].year - 1, demo["today"].year]
    changed = 0
    for indicator in indicators:
        targets = dict(indicator.targets.values_list("year", "value"))
        assert sorted(targets) == years, indicator.code
        changed += targets[years[0]] != targets[years[1]]
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Indicator),
            object_id=str(indicator.pk),
        )
        assert {entry.actor for entry in entries} == {coordinator}
        assert entries.count() == 3  # created, and a target for each year
    assert 0 < changed < len(indicators)


def test_the_telephony_figures_are_two_years_of_imported_monthly_shares(demo):
    telephony = Indicator.objects.get(unit__slug="kontaktcenter", source=Source.MANUAL)
    figures = list(telephony.measurements.order_by("period_start"))
    last_month = Period.containing(add_months(demo["today"], -1), PeriodKind.MONTH)
    assert len(figures) == 24
    assert figures[-1].period == last_month.code
    assert (
        figures[0].period
        == Period.containing(add_months(demo["today"], -24), PeriodKind.MONTH).code
    )
    coordinator = User.objects.get(username="kvalitet")
    for figure in figures:
        assert (figure.source, figure.entered_by, figure.comment) == (
            Source.MANUAL,
            coordinator,
            TELEPHONY_COMMENT,
        )
        assert "(demo)" in figure.comment
        assert figure.value is not None
        assert 30 <= figure.value <= 95
        assert figure.n is not None
        assert figure.n > 1000


def test_every_kolada_figure_is_a_demo_figure(demo):
    assert KoladaValue.objects.exists()
    assert not KoladaValue.objects.filter(demo=False).exists()
    assert not KoladaKpi.objects.filter(demo=False).exists()
    assert not KoladaGroup.objects.filter(demo=False).exists()
    assert all("(demo)" in kpi.title for kpi in KoladaKpi.objects.all())


def test_kolada_has_luleå_riket_the_group_and_enough_for_a_quartile_over_five_years(demo):
    last_year = demo["today"].year - 1
    [group] = KoladaGroup.objects.all()
    assert len(group.members) == 8
    for kpi in KoladaKpi.objects.all():
        figures = KoladaValue.objects.filter(kpi=kpi.pk)
        assert sorted(set(figures.values_list("year", flat=True))) == list(
            range(last_year - 4, last_year + 1)
        )
        newest = set(figures.filter(year=last_year).values_list("municipality", flat=True))
        assert {LULEA, RIKET} <= newest
        assert len(set(group.members) & newest) >= 6
        assert len(newest - {RIKET}) >= 40
        riket = figures.get(year=last_year, municipality=RIKET)
        assert riket.count == len(newest - {RIKET})


def test_four_indicators_are_compared_with_the_demo_kpis_found_by_title(indicators):
    linked = indicators.exclude(kolada_kpi="")
    assert linked.count() == 4
    kpis = set(KoladaKpi.objects.values_list("id", flat=True))
    assert set(linked.values_list("kolada_kpi", flat=True)) == kpis


def test_the_kolada_sourced_indicator_takes_luleås_yearly_figures(demo):
    indicator = Indicator.objects.get(source=Source.KOLADA)
    own = dict(
        KoladaValue.objects.filter(kpi=indicator.kolada_kpi, municipality=LULEA).values_list(
            "year", "value"
        )
    )
    measured = {int(m.period): m.value for m in indicator.measurements.filter(source=Source.KOLADA)}
    assert measured == own
    assert len(measured) == 5


def test_the_survey_indicators_measure_the_demo_surveys_questions(indicators):
    surveyed = indicators.filter(source=Source.SURVEYS)
    assert surveyed.count() == 5
    for indicator in surveyed:
        question = Question.objects.get(pk=indicator.params["question"])
        assert question.survey_id == indicator.params["survey"]
        assert question.survey.unit == indicator.unit
        values = indicator.measurements.exclude(value=None)
        assert values.exists(), indicator.code
        assert all(Decimal(0) <= m.value <= Decimal(100) for m in values)


def test_the_case_indicators_are_computed_for_every_month_of_two_years(demo):
    acknowledged = Indicator.objects.get(unit__slug="teknik", code="kvittens-2d")
    teknik = acknowledged.unit
    months = acknowledged.measurements.filter(unit=teknik)
    assert months.count() == 24
    measured = months.get(period=demo["month"].code)
    assert (measured.value, measured.n) == (Decimal("50.0"), 6)
    assert measured.low is not None
    assert measured.high is not None
    below = set(acknowledged.measurements.values_list("unit__slug", flat=True))
    assert {"teknik", "gata-park", "vatten-avlopp", "avfall"} <= below


def test_loading_again_adds_nothing_and_recomputes(demo):
    assert demo["added_again"] == 0
    assert "Demo indicators: 0 new; 0 new telephony figures; 0 new Kolada" in demo["again"]
    indicators, _measurements = demo["counts"]
    assert Indicator.objects.count() == indicators
