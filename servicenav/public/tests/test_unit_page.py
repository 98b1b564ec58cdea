"""A unit's public page: its promises period by period, its active key figures with target,
trend and Kolada comparison, its feedback by kind and month by month, its published survey
results and case summaries, and links up and down the tree. Every figure equals the open
data's figure for the same unit and period, figures on too few cases are hidden, unknown
and closed-down units are not found, and the page is read with a fixed number of queries.
Read in English."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from servicenav.cases.services import case_publish
from servicenav.declarations.models import FollowUp
from servicenav.declarations.tests.factories import published_declaration
from servicenav.kpis.models import Indicator, KoladaKpi, KoladaValue, Measurement, Target
from servicenav.public.overview import unit_page
from servicenav.public.tests.conftest import TODAY, received

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def page_of(unit) -> str:
    return f"/en/sa-gar-det/{unit.slug}/"


class Tables(HTMLParser):
    """Every table's rows as cell texts, by caption; and every row with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.rows: dict[str, list[str]] = {}
        self.caption: list[str] | None = None
        self.current: list[list[str]] | None = None
        self.row: list[str] | None = None
        self.row_id = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.current = []
        elif tag == "caption":
            self.caption = []
        elif tag == "tr":
            self.row, self.row_id = [], dict(attrs).get("id") or ""
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self.caption is not None:
            name = " ".join("".join(self.caption).split())
            self.tables[name] = self.current = []
            self.caption = None
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.current is not None:
            self.current.append(self.row)
            if self.row_id:
                self.rows[self.row_id] = self.row
            self.row = None

    def handle_data(self, data):
        for target in (self.cell, self.caption):
            if target is not None:
                target.append(data)


def parsed(response) -> Tables:
    assert response.status_code == 200
    tables = Tables()
    tables.feed(response.content.decode())
    return tables


def text(response) -> str:
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    return re.sub(r" ([:,.)])", r"\1", words)


def open_rows(client, slug: str) -> list[dict]:
    return json.loads(client.get(f"/oppna-data/{slug}.json").content)["rows"]


def shown(value, suppressed, percent=False, low=None, high=None) -> str:
    """How the page writes an open-data feedback figure."""
    if value is None:
        return "too few cases" if suppressed else "–no cases"
    written = f"{value:.1f}" + (" %" if percent else "")
    return f"{written} ({low:.1f}–{high:.1f})" if low is not None else written


def feedback_cells(row: dict) -> list[str]:
    """A row of the open feedback statistics as the page's table writes it."""
    praise = ""
    if row["kind"] == "all":
        praise = shown(
            row["share_praise"],
            row["share_praise_suppressed"],
            percent=True,
            low=row["share_praise_low"],
            high=row["share_praise_high"],
        )
    return [
        str(row["received"]),
        str(row["answered"]),
        shown(row["median_working_days_to_answer"], row["answer_times_suppressed"]),
        shown(row["p90_working_days_to_answer"], row["answer_times_suppressed"]),
        str(row["deadline_cases"]),
        shown(
            row["share_answered_by_deadline"],
            row["deadline_share_suppressed"],
            percent=True,
            low=row["share_answered_by_deadline_low"],
            high=row["share_answered_by_deadline_high"],
        ),
        praise,
    ]


@pytest.mark.parametrize("slug", ["no-such-unit", "UNIT", "a" * 300])
def test_an_unknown_unit_is_not_found(client, world, slug):
    assert client.get(f"/en/sa-gar-det/{slug}/").status_code == 404


def test_a_closed_down_unit_is_not_found_nor_linked(client, world):
    tree = world.tree
    tree.vatten.active = False
    tree.vatten.save(update_fields=["active"])

    assert client.get(page_of(tree.vatten)).status_code == 404
    html = client.get(page_of(tree.teknik)).content.decode()
    assert f'href="/en/sa-gar-det/{tree.gata.slug}/"' in html
    assert tree.vatten.slug not in html


def test_the_page_is_only_read(client, world):
    assert client.post(page_of(world.tree.gata)).status_code == 405


def test_the_page_links_up_to_the_start_and_the_unit_above_and_down_to_the_units_below(
    client, world
):
    tree = world.tree
    html = client.get(page_of(tree.teknik)).content.decode()

    assert "<h1>How Teknik (en) is doing</h1>" in html
    assert html.count("<h1>") == 1
    assert '<a href="/en/sa-gar-det/">How we are doing</a>' in html
    assert f'<a href="/en/sa-gar-det/{tree.kommun.slug}/">Kommun (en)</a>' in html
    assert f'<a href="/en/sa-gar-det/{tree.gata.slug}/">Gata (en)</a>' in html
    assert f'<a href="/en/sa-gar-det/{tree.vatten.slug}/">Vatten (en)</a>' in html
    swedish = client.get(f"/sa-gar-det/{tree.teknik.slug}/").content.decode()
    assert '<html lang="sv">' in swedish
    assert f'<a href="/sa-gar-det/{tree.gata.slug}/">Gata</a>' in swedish


@pytest.mark.parametrize("unit", ["kommun", "teknik", "gata"])
def test_feedback_month_by_month_equals_the_open_data(client, world, unit):
    unit = getattr(world.tree, unit)
    data = {
        (row["kind"], row["period"]): row
        for row in open_rows(client, "synpunktsstatistik")
        if row["unit_id"] == unit.pk
    }
    rows = parsed(client.get(page_of(unit))).rows

    months = [key for key in rows if key.startswith("unit-by-month-")]
    assert months == [f"unit-by-month-2026-{month:02d}" for month in (2, 3, 4, 5)]
    for key in months:
        assert rows[key][1:] == feedback_cells(data["all", key.removeprefix("unit-by-month-")])


@pytest.mark.parametrize("unit", ["kommun", "social", "gata"])
def test_feedback_by_kind_over_the_twelve_months_equals_the_open_data_year(client, world, unit):
    """The counts cover February to May 2026, so the twelve months counted are the year
    2026 of the open data, figure for figure (medians of the summed months included)."""
    unit = getattr(world.tree, unit)
    data = {
        row["kind"]: row
        for row in open_rows(client, "synpunktsstatistik")
        if row["unit_id"] == unit.pk and row["period"] == "2026"
    }
    rows = parsed(client.get(page_of(unit))).rows

    for kind in ("all", "complaint", "suggestion", "praise", "question"):
        cells = rows[f"unit-by-kind-{kind}"][1:]
        if kind not in data:
            assert cells[:2] == ["0", "0"]
            continue
        assert cells == feedback_cells(data[kind]), kind


def test_feedback_figures_on_too_few_cases_are_hidden(client, world, settings):
    settings.SERVICENAV_PUBLIC_MIN_CASES = 1000
    rows = parsed(client.get(page_of(world.tree.teknik))).rows

    total = rows["unit-by-kind-all"]
    assert int(total[1]) > 0
    assert total[3:5] == ["too few cases", "too few cases"]
    assert total[6:8] == ["too few cases", "too few cases"]
    assert all(
        row[3] in ("too few cases", "–no cases") for key, row in rows.items() if "month" in key
    )


def test_key_figures_equal_the_open_data_measurements(client, world):
    tree = world.tree
    measurements = {
        (row["indicator_code"], row["unit_id"], row["period"]): row
        for row in open_rows(client, "nyckeltal")
    }
    tables = parsed(client.get(page_of(tree.teknik))).tables

    trend = tables["Share of praise per period, newest first"]
    april = next(row for row in trend if row[0] == "April 2026")
    row = measurements["berom", tree.teknik.pk, "2026-04"]
    value = Decimal(str(row["value"]))
    assert april[1] == f"{value.normalize():f} %"
    assert april[3] == str(row["n"])
    assert april[4] == "30 %"
    assert april[5].endswith("Met" if value >= 30 else "Not met")
    assert len(trend) - 1 == 5  # a header and five months: at least five periods


def test_a_key_figure_on_too_few_cases_is_hidden_as_in_the_open_data(client, world):
    tree = world.tree
    row = next(
        row
        for row in open_rows(client, "nyckeltal")
        if row["indicator_code"] == "nojd" and row["unit_id"] == tree.gata.pk
    )
    assert (row["value"], row["n"], row["suppressed"]) == (None, 3, True)
    response = client.get(page_of(tree.gata))

    assert "Latest too few cases (n = 3) (2025)" in text(response)
    assert "71" not in text(response).split("Satisfied")[1].split("Compared")[0]


def test_only_active_key_figures_of_the_unit_itself(client, world):
    html = client.get(page_of(world.tree.kommun)).content.decode()

    assert "E-mail in a day" in html
    assert "Retired" not in html
    assert "Share of praise</h3>" not in html  # Teknik's, on Teknik's page


def test_a_key_figure_linked_to_kolada_is_compared_with_riket_and_the_group(
    client, world, settings
):
    settings.SERVICENAV_KOLADA_MUNICIPALITY = "2580"
    html = client.get(page_of(world.tree.kommun)).content.decode()
    assert "Compared with other municipalities" not in html  # no Kolada figures yet

    KoladaKpi.objects.create(id="U00401", title="E-post inom en dag")
    for place, value in (("2580", "64"), ("0000", "70"), ("1480", "80"), ("0180", "55")):
        KoladaValue.objects.create(
            kpi="U00401", municipality=place, year=2025, value=Decimal(value)
        )
    cache.clear()
    response = client.get(page_of(world.tree.kommun))

    shown = text(response)
    caption = (
        "E-post inom en dag: the own municipality compared with Riket and other "
        "municipalities, per year"
    )
    assert parsed(response).tables[caption] == [
        ["Year", "Own municipality", "Riket (Sweden)", "Quartile (1 = best)"],
        ["2025", "64", "70", "no quartile"],  # three municipalities only
    ]
    assert "Source: Kolada (U00401: E-post inom en dag)" in shown
    assert 'href="/en/sa-gar-det/jamfor/?kpi=U00401"' in response.content.decode()
    assert "Demo figures." not in shown


def test_each_comparison_on_the_page_has_its_own_ids_and_heading_in_place(client, world, settings):
    settings.SERVICENAV_KOLADA_MUNICIPALITY = "2580"
    KoladaKpi.objects.create(id="U00401", title="E-post inom en dag")
    KoladaValue.objects.create(kpi="U00401", municipality="2580", year=2025, value=Decimal(64))
    kommun = world.tree.kommun
    second = Indicator.objects.create(
        unit=kommun,
        code="kolada2",
        name_sv="Andra",
        name_en="Second",
        kind="result",
        source="kolada",
        unit_of_measure="percent",
        period_kind="year",
        kolada_kpi="U00401",
    )
    first = Indicator.objects.get(unit=kommun, code="kolada")

    html = client.get(page_of(kommun)).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an element id is used twice"
    for indicator in (first, second):
        prefix = f"kpi-{indicator.pk}-comparison"
        assert f'<h4 id="{prefix}-heading">Compared with other municipalities</h4>' in html
        assert f'aria-labelledby="{prefix}-caption"' in html
        assert f'<caption id="{prefix}-caption">' in html


def test_each_promise_period_by_period_with_the_share_only_on_enough_cases(client, world, settings):
    settings.SERVICENAV_PUBLIC_MIN_CASES = 7
    promise = world.declaration.commitments.get()
    files = {
        row["period"]: row
        for row in open_rows(client, "deklarationsuppfoljning")
        if row["promise_key"] == str(promise.key)
    }
    rows = parsed(client.get(page_of(world.tree.gata))).rows

    cells = rows[f"promise-{promise.pk}"]
    assert cells[0].startswith(promise.text_en)
    assert "We kept this promise 0 of 3 months." in cells[0]
    assert cells[1:] == [
        "– Not enough data",  # January 2026: the first month followed up
        "– Not enough data",
        "✗ Not kept too few cases",  # 6 cases, under the minimum of 7
        "✗ Not kept 28.6 % of 7 cases",
        "✗ Not kept 44.4 % of 9 cases",
    ]
    assert files["2026-03"]["suppressed"] is True
    assert files["2026-04"]["share"] == 28.6
    assert files["2026-05"]["share"] == 44.4
    headers = parsed(client.get(page_of(world.tree.gata))).tables
    caption = next(name for name in headers if "whether each promise was kept" in name)
    assert headers[caption][0][1:] == [
        "January 2026",
        "February 2026",
        "March 2026",
        "April 2026",
        "May 2026",
    ]


def test_a_unit_without_declarations_of_its_own_says_so(client, world):
    assert "This unit has no service declaration of its own." in text(
        client.get(page_of(world.tree.vatten))
    )


def test_survey_results_equal_the_open_data_with_intervals(client, world):
    files = [
        row
        for row in open_rows(client, "enkatresultat")
        if row["round_id"] == world.survey_round.pk
    ]
    tables = parsed(client.get(page_of(world.tree.gata))).tables

    table = tables[
        "Street survey, 2025: the published results with their 95 percent confidence intervals"
    ]
    figures = [row[-2] for row in table[1:]]
    assert len(figures) == len(files) > 3
    for cell, row in zip(figures, files, strict=True):
        if row["value"] is None:
            assert cell == "too few answers"
            continue
        percent = " %" if row["measure"] != "index" else ""
        assert cell == f"{row['value']:.1f}{percent} ({row['low']:.1f}–{row['high']:.1f})"
    assert [row[-1] for row in table[1:]] == [str(row["n"]) for row in files]
    shown = text(client.get(page_of(world.tree.gata)))
    assert "Internal" not in shown  # not a public question
    assert "Anything else?" not in shown  # free text never is
    assert "12 people answered" in shown


def test_survey_results_on_too_few_answers_are_hidden_with_n_kept(client, world, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 100
    tables = parsed(client.get(page_of(world.tree.gata))).tables

    table = next(rows for name, rows in tables.items() if name.startswith("Street survey, 2025"))
    assert {row[-2] for row in table[1:]} == {"too few answers"}
    assert {row[-1] for row in table[1:]} == {"12"}


def test_published_summaries_of_the_unit_and_below(client, world):
    tree = world.tree
    case = received(tree.gata, date(2026, 5, 4), "praise", text="Citizen's own words")
    case_publish(case=case, summary="Snabb snöröjning", answer="Tack!", by=world.staff)

    teknik = text(client.get(page_of(tree.teknik)))
    assert "Praise, Gata (en), May 2026 You said: Snabb snöröjning We did: Tack!" in teknik
    assert "Citizen's own words" not in teknik
    assert "Snabb snöröjning" not in text(client.get(page_of(tree.social)))


def test_published_actions_of_the_unit_and_below_newest_first(client, world, publish_action):
    tree = world.tree
    publish_action(tree.gata, "Saltning", "Vi saltar tidigare.", outcome="Internt: Gunhild")
    for number in range(1, 7):
        publish_action(tree.vatten, f"Åtgärd {number}", f"Vi gjorde {number}.")

    teknik = client.get(page_of(tree.teknik))

    titles = [action.title for action in teknik.context["page"].actions]
    assert titles == ["Åtgärd 6", "Åtgärd 5", "Åtgärd 4", "Åtgärd 3", "Åtgärd 2"]
    gata = client.get(page_of(tree.gata))
    assert "Saltning Gata (en)" in text(gata)
    assert "Vi saltar tidigare. (en)" in text(gata)
    assert "Gunhild" not in text(gata)
    assert f'href="/en/du-sa-vi-gjorde/?unit={tree.gata.pk}"' in gata.content.decode()
    assert "Saltning" not in text(client.get(page_of(tree.social)))


def test_the_unit_page_takes_a_fixed_number_of_queries(
    world, publish_action, django_assert_max_num_queries
):
    gata = world.tree.gata
    KoladaKpi.objects.create(id="N00001", title="Kolada")
    KoladaValue.objects.create(kpi="N00001", municipality="0000", year=2025, value=Decimal(5))
    Indicator.objects.filter(code="nojd").update(kolada_kpi="N00001")
    case = received(gata, date(2026, 5, 2), "praise")
    case_publish(case=case, summary="Bra", answer="Tack", by=world.staff)
    publish_action(gata, "Bra", "Tack")
    with django_assert_max_num_queries(19):
        small = unit_page(gata, today=TODAY)
    assert (len(small.kpis), len(small.declarations), len(small.surveys)) == (1, 1, 1)
    assert small.kpis[0].comparison is not None
    assert (len(small.stories), len(small.actions)) == (1, 1)

    for number in range(6):
        indicator = Indicator.objects.create(
            unit=gata,
            code=f"extra{number}",
            name_sv=f"Extra {number}",
            name_en=f"Extra {number}",
            kind="result",
            source="manual",
            unit_of_measure="percent",
            kolada_kpi="N00001" if number % 2 else "",
        )
        Target.objects.create(indicator=indicator, year=2026, value=Decimal(50))
        for month in (3, 4):
            Measurement.objects.create(
                indicator=indicator,
                unit=gata,
                period=f"2026-{month:02d}",
                period_start=date(2026, month, 1),
                period_end=date(2026, month, 28),
                value=Decimal(60),
                n=40,
                source="manual",
            )
        published_declaration(gata, valid_from=date(2026, 1, 1), service_sv=f"Tjänst {number}")
        publish_action(gata, f"Åtgärd {number}", "Tack")
    FollowUp.objects.update(comment="")

    cache.clear()  # the stored feedback counts are read again too
    with django_assert_max_num_queries(19):
        large = unit_page(gata, today=TODAY)
    assert (len(large.kpis), len(large.declarations)) == (7, 7)
    assert sum(1 for row in large.kpis if row.comparison) == 4
