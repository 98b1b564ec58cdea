"""The Kolada comparison of an indicator: the own figure next to Riket, the group average and
the own quartile among municipalities, from stored figures only — never an invented one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from servicenav.kpis.comparison import (
    ComparisonYear,
    indicator_comparison,
    indicator_comparisons,
    quartile,
)
from servicenav.kpis.models import (
    Indicator,
    KoladaGroup,
    KoladaKpi,
    KoladaValue,
    Source,
    UnitOfMeasure,
)

LULEA = "2580"
KPI = "U00437"
TITLE = "Andel som får svar på e-post inom en dag, (%)"


def d(*values: float) -> list[Decimal]:
    return [Decimal(str(v)) for v in values]


# Quartiles -----------------------------------------------------------------------------------


def test_the_best_and_the_worst_of_eight_are_in_the_first_and_fourth_quartile():
    figures = d(1, 2, 3, 4, 5, 6, 7, 8)

    assert quartile(Decimal(8), figures, higher_is_better=True) == 1
    assert quartile(Decimal(1), figures, higher_is_better=True) == 4
    assert quartile(Decimal(6), figures, higher_is_better=True) == 2  # two better: 1 + 8 // 8
    assert quartile(Decimal(3), figures, higher_is_better=True) == 3  # five better: 1 + 20 // 8


def test_when_lower_is_better_the_lowest_figure_is_in_the_first_quartile():
    figures = d(1, 2, 3, 4, 5, 6, 7, 8)

    assert quartile(Decimal(1), figures, higher_is_better=False) == 1
    assert quartile(Decimal(8), figures, higher_is_better=False) == 4


def test_tied_municipalities_share_the_better_place():
    figures = d(5, 5, 5, 5, 1, 1, 1, 1)

    assert quartile(Decimal(5), figures, higher_is_better=True) == 1
    # Four are better, so the bottom four share the third quartile, not the fourth.
    assert quartile(Decimal(1), figures, higher_is_better=True) == 3
    assert quartile(Decimal(7), d(7, 7, 7, 7), higher_is_better=False) == 1


def test_fewer_than_four_municipalities_or_no_own_figure_give_no_quartile():
    assert quartile(Decimal(1), d(1, 2, 3), higher_is_better=True) is None
    assert quartile(None, d(1, 2, 3, 4, 5), higher_is_better=True) is None
    assert quartile(Decimal(1), d(1, 2, 3, 4), higher_is_better=True) == 4


# The comparison of an indicator --------------------------------------------------------------


@pytest.fixture
def kolada_settings(settings):
    settings.SERVICENAV_KOLADA_MUNICIPALITY = LULEA
    settings.SERVICENAV_KOLADA_GROUP = "G1"
    return settings


@pytest.fixture
def indicator(tree) -> Indicator:
    return Indicator.objects.create(
        unit=tree.kommun,
        code="epost",
        name_sv="Svar på e-post inom en dag",
        name_en="E-mail answered within a day",
        kind="reachability",
        definition_sv="Andel e-postfrågor som besvaras inom en arbetsdag.",
        source=Source.MANUAL,
        unit_of_measure=UnitOfMeasure.PERCENT,
        kolada_kpi=KPI,
    )


def figures(year: int, by_place: dict[str, float | None], *, demo: bool = False) -> None:
    KoladaValue.objects.bulk_create(
        KoladaValue(
            kpi=KPI,
            municipality=place,
            year=year,
            value=None if value is None else Decimal(str(value)),
            demo=demo,
        )
        for place, value in by_place.items()
    )


def a_year_of_figures(year: int = 2024, **options: bool) -> None:
    figures(
        year,
        {
            LULEA: 74,
            "2581": 70,
            "2582": None,  # a member without a figure
            "2584": 80,
            "2401": 50,
            "2403": 90,
            "0000": 64,  # Riket: compared with, not ranked
            "0025": 99,  # a region: not ranked
        },
        **options,
    )


@pytest.fixture
def group(db) -> KoladaGroup:
    return KoladaGroup.objects.create(
        id="G1", title="Större norrlandskommuner", members=[LULEA, "2581", "2582", "2584"]
    )


def test_a_year_shows_own_riket_the_group_average_and_the_quartile(
    kolada_settings, indicator, group
):
    KoladaKpi.objects.create(id=KPI, title=TITLE)
    a_year_of_figures()

    comparison = indicator_comparison(indicator)

    assert comparison is not None
    assert (comparison.kpi_id, comparison.kpi_title, comparison.demo) == (KPI, TITLE, False)
    assert (comparison.group_title, comparison.group_size) == ("Större norrlandskommuner", 4)
    assert comparison.years == (
        ComparisonYear(
            year=2024,
            own=Decimal(74),
            riket=Decimal(64),
            group_average=Decimal("74.6667"),  # (74 + 70 + 80) / 3, the member without excluded
            group_with_figure=3,
            ranked=5,  # five municipalities: not Riket, not the region
            quartile=2,  # two of five better: 1 + 4·2 // 5
        ),
    )


def test_the_quartile_follows_the_indicators_direction(kolada_settings, indicator):
    figures(2024, {LULEA: 80, "2581": 70, "2584": 60, "2401": 50, "0000": 64})
    best = indicator_comparison(indicator)

    indicator.higher_is_better = False
    worst = indicator_comparison(indicator)

    assert best is not None
    assert worst is not None
    assert (best.years[0].quartile, worst.years[0].quartile) == (1, 4)
    assert worst.higher_is_better is False


def test_a_year_without_an_own_figure_has_no_quartile_but_still_riket(
    kolada_settings, indicator, group
):
    figures(2023, {LULEA: None, "0000": 60, "2581": 65, "2584": 70, "2401": 50, "2403": 55})

    comparison = indicator_comparison(indicator)

    assert comparison is not None
    [row] = comparison.years
    assert (row.own, row.riket, row.quartile, row.ranked) == (None, Decimal(60), None, 4)
    assert (row.group_average, row.group_with_figure) == (Decimal("67.5000"), 2)


def test_with_fewer_than_four_municipalities_there_is_no_quartile(kolada_settings, indicator):
    figures(2024, {LULEA: 74, "2581": 70, "2584": 80, "0000": 64})

    comparison = indicator_comparison(indicator)

    assert comparison is not None
    assert (comparison.years[0].quartile, comparison.years[0].ranked) == (None, 3)


def test_the_latest_six_years_with_figures_are_shown_oldest_first(kolada_settings, indicator):
    for year in range(2016, 2025):
        figures(year, {LULEA: year - 1950, "0000": 60})
    figures(2025, {LULEA: None})  # asked for, nothing published yet

    comparison = indicator_comparison(indicator)

    assert comparison is not None
    assert [row.year for row in comparison.years] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert comparison.years[-1].own == Decimal(74)


def test_without_a_group_the_group_average_is_empty(kolada_settings, indicator):
    kolada_settings.SERVICENAV_KOLADA_GROUP = ""
    a_year_of_figures()

    comparison = indicator_comparison(indicator)

    assert comparison is not None
    assert comparison.has_group is False
    assert (comparison.years[0].group_average, comparison.years[0].group_with_figure) == (None, 0)


@pytest.mark.parametrize(
    "mark",
    ["value", "kpi", "group"],
)
def test_any_demo_figure_marks_the_comparison_as_demo(mark, kolada_settings, indicator, group):
    a_year_of_figures(demo=mark == "value")
    KoladaKpi.objects.create(id=KPI, title=TITLE, demo=mark == "kpi")
    group.demo = mark == "group"
    group.save(update_fields=["demo"])

    comparison = indicator_comparison(indicator)

    assert comparison is not None
    assert comparison.demo is True


def test_an_unlinked_indicator_has_no_comparison(kolada_settings, indicator):
    indicator.kolada_kpi = ""
    a_year_of_figures()

    assert indicator_comparison(indicator) is None


def test_no_comparable_figure_means_no_comparison_never_an_invented_one(
    kolada_settings, indicator, group
):
    assert indicator_comparison(indicator) is None

    figures(2024, {LULEA: None, "0000": None, "2401": 50, "2403": 55})  # only outsiders

    assert indicator_comparison(indicator) is None


# The table -----------------------------------------------------------------------------------


def render(comparison) -> str:
    with translation.override("en"):
        return render_to_string("kpis/includes/comparison.html", {"comparison": comparison})


def test_the_table_has_a_caption_headers_and_the_source(kolada_settings, indicator, group):
    KoladaKpi.objects.create(id=KPI, title=TITLE)
    a_year_of_figures(2023)
    figures(2024, {LULEA: 74.5, "0000": 64.2})

    html = render(indicator_comparison(indicator))

    assert f'<caption id="kolada-comparison-caption">{TITLE}: the own municipality' in html
    assert html.count('scope="col"') == 5
    assert '<th scope="row">2023</th>' in html
    assert "<td>74.5</td>" in html  # Kolada's own precision: one decimal
    assert '74.7 <span class="muted">(3 of 4 members with a figure)</span>' in html
    assert '2 <span class="muted">(among 5 municipalities)</span>' in html
    assert "no quartile" in html  # 2024: too few municipalities
    assert f"Source: Kolada (U00437: {TITLE})" in html
    assert "Demo figures" not in html


def test_demo_figures_are_said_to_be_demo_figures(kolada_settings, indicator, group):
    a_year_of_figures(demo=True)

    html = render(indicator_comparison(indicator))

    assert "Demo figures." in html
    assert "They are not real data from Kolada." in html


def test_without_a_group_there_is_no_group_column(kolada_settings, indicator):
    kolada_settings.SERVICENAV_KOLADA_GROUP = ""
    a_year_of_figures()

    html = render(indicator_comparison(indicator))

    assert html.count('scope="col"') == 4
    assert "Group average" not in html


def test_without_a_comparison_the_page_names_the_norms_used_instead():
    html = render(None)

    assert "Kolada has no comparable figure for this indicator." in html
    assert "its own earlier periods and its target" in html
    assert "<table" not in html


def test_the_comparison_reads_a_fixed_number_of_queries(
    kolada_settings, indicator, group, django_assert_num_queries
):
    KoladaKpi.objects.create(id=KPI, title=TITLE)
    for year in range(2019, 2025):
        a_year_of_figures(year)

    with django_assert_num_queries(3):  # the group, the figures, the KPI
        comparison = indicator_comparison(indicator)

    assert comparison is not None
    assert len(comparison.years) == 6


def test_several_indicators_are_compared_in_three_queries_as_each_alone(
    tree, kolada_settings, indicator, group, django_assert_num_queries
):
    KoladaKpi.objects.create(id=KPI, title=TITLE)
    for year in range(2017, 2025):
        a_year_of_figures(year)
    KoladaValue.objects.create(kpi="N00002", municipality=LULEA, year=2024, value=Decimal(3))
    other = Indicator.objects.create(
        unit=tree.teknik,
        code="annat",
        name_sv="Annat",
        name_en="Other",
        kind="result",
        source=Source.MANUAL,
        unit_of_measure=UnitOfMeasure.COUNT,
        kolada_kpi=" n00002 ",
        higher_is_better=False,
    )
    unlinked = Indicator.objects.create(
        unit=tree.teknik, code="ingen", name_sv="Ingen", name_en="None", kind="result"
    )

    with django_assert_num_queries(3):
        compared = indicator_comparisons([indicator, other, unlinked], years=4)

    assert set(compared) == {indicator.pk, other.pk}
    assert compared[indicator.pk] == indicator_comparison(indicator, years=4)
    assert [row.year for row in compared[indicator.pk].years] == [2021, 2022, 2023, 2024]
    assert compared[other.pk] == indicator_comparison(other, years=4)
    assert compared[other.pk].kpi_id == "N00002"
    assert compared[other.pk].years[0].own == Decimal(3)


def test_each_table_of_a_page_has_its_own_ids_and_heading(kolada_settings, indicator, group):
    a_year_of_figures()
    comparison = indicator_comparison(indicator)

    with translation.override("en"):
        html = render_to_string(
            "kpis/includes/comparison.html",
            {"comparison": comparison, "id_prefix": "kpi-7-comparison", "heading": "h4"},
        )

    assert '<section class="kolada-comparison" aria-labelledby="kpi-7-comparison-heading">' in html
    assert '<h4 id="kpi-7-comparison-heading">' in html
    assert 'aria-labelledby="kpi-7-comparison-caption"' in html
    assert '<caption id="kpi-7-comparison-caption">' in html
    assert "kolada-comparison-caption" not in html
