"""The comparison page: a GET form of the Kolada KPIs our active indicators are linked to;
the own municipality against Riket and the comparison group's average over the years as a
chart (an image with a title and a description) and a table, with Kolada named as the
source and demo figures marked; anything else asked for gets a clear message and a 400.
Read in English."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from servicenav.kpis.models import Indicator, KoladaGroup, KoladaKpi, KoladaValue
from servicenav.organisation.models import Unit

pytestmark = pytest.mark.django_db
PAGE = "/en/sa-gar-det/jamfor/"
OWN, RIKET = "2580", "0000"


@pytest.fixture
def kolada(tree, settings):
    """Two indicators linked to Kolada KPIs with six years of figures for the own
    municipality, Riket and a group of three, and an inactive one linked to a third KPI."""
    settings.SERVICENAV_KOLADA_MUNICIPALITY = OWN
    settings.SERVICENAV_KOLADA_GROUP = "G1"
    KoladaGroup.objects.create(id="G1", title="Liknande kommuner", members=[OWN, "1480", "1880"])
    common = {"kind": "result", "source": "kolada", "period_kind": "year", "name_sv": "x"}
    Indicator.objects.create(
        unit=tree.kommun,
        code="epost",
        name_en="E-mail",
        unit_of_measure="percent",
        kolada_kpi="U00401",
        **common,
    )
    Indicator.objects.create(
        unit=tree.teknik,
        code="kostnad",
        name_en="Cost",
        unit_of_measure="count",
        higher_is_better=False,
        kolada_kpi="n17000",
        **common,
    )
    Indicator.objects.create(
        unit=tree.kommun,
        code="gammal",
        name_en="Old",
        unit_of_measure="percent",
        kolada_kpi="U99999",
        active=False,
        **common,
    )
    KoladaKpi.objects.create(id="U00401", title="E-post inom en dag")
    KoladaKpi.objects.create(id="N17000", title="Kostnad per invånare")
    for year in range(2019, 2025):
        step = year - 2019
        for kpi, place, value in (
            ("U00401", OWN, 60 + step),
            ("U00401", RIKET, 70),
            ("U00401", "1480", 50 + 2 * step),
            ("U00401", "1880", 80),
            ("N17000", OWN, 1000 + 10 * step),
            ("N17000", RIKET, 900),
            ("U99999", OWN, 1),
        ):
            KoladaValue.objects.create(kpi=kpi, municipality=place, year=year, value=Decimal(value))
    return tree


def test_without_a_linked_key_figure_the_page_says_so(client, tree):
    response = client.get(PAGE)

    assert response.status_code == 200
    assert b"None of our key figures is compared with Kolada yet." in response.content
    assert b"<form" not in response.content


def test_the_form_lists_the_kpis_of_active_indicators_by_title(client, kolada):
    html = client.get(PAGE).content.decode()

    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', html)
    assert options == [
        ("U00401", " selected", "E-post inom en dag (U00401)"),
        ("N17000", "", "Kostnad per invånare (N17000)"),
    ]
    assert '<form method="get"' in html
    assert "U99999" not in html  # only an inactive indicator is linked to it


def test_the_own_municipality_riket_and_the_group_over_the_years(client, kolada):
    response = client.get(PAGE, {"kpi": "U00401"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="compare-heading">E-post inom en dag</h2>' in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert '<title id="compare-u00401-title">E-post inom en dag over the years</title>' in svg
    description = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert "2019 to 2024." in description
    assert "Riket (Sweden): 2019 70, 2020 70" in description
    assert "Group average: Liknande kommuner:" in description
    assert svg.count("<polyline") == 3
    rows = re.findall(r'<th scope="row">(\d{4})</th>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>', html)
    assert rows[0] == ("2019", "60", "70")
    assert rows[-1] == ("2024", "65", "70")
    # The group's average, (60 + 50 + 80) / 3 in 2019, as precise as Kolada's figures.
    assert '63 <span class="muted">(3 of 3 members with a figure)</span>' in html
    assert "Source: Kolada (U00401: E-post inom en dag)" in html
    assert "Demo figures." not in html


def test_a_kpi_is_found_whatever_its_case(client, kolada):
    response = client.get(PAGE, {"kpi": "n17000"})

    assert response.status_code == 200
    assert "Kostnad per invånare</h2>" in response.content.decode()
    assert "Lower is better." in response.content.decode()


def test_demo_figures_are_marked(client, kolada):
    KoladaValue.objects.filter(kpi="U00401", year=2024).update(demo=True)

    html = client.get(PAGE, {"kpi": "U00401"}).content.decode()

    assert "Demo figures." in html
    assert "They are not real data from Kolada." in html


def test_a_kpi_without_figures_says_kolada_has_none(client, kolada):
    KoladaValue.objects.filter(kpi="N17000").delete()

    response = client.get(PAGE, {"kpi": "N17000"})

    assert response.status_code == 200
    assert b"Kolada has no comparable figure for this indicator." in response.content
    assert b"<svg" not in response.content


@pytest.mark.parametrize(
    "kpi", ["U99999", "nothing", "U00401'--", "<script>", "x" * 5000, "U00401\x00"]
)
def test_anything_not_in_the_list_gets_a_clear_message_and_a_400(client, kolada, kpi):
    response = client.get(PAGE, {"kpi": kpi})

    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not show this comparison. Choose again below." in html
    assert "There is no comparison for that key figure. Choose one in the list." in html
    assert "<script>" not in html.split("</header>")[1]
    assert "<svg" not in html


def test_the_message_is_in_swedish_on_swedish_pages(client, kolada):
    response = client.get("/sa-gar-det/jamfor/", {"kpi": "nothing"})

    assert response.status_code == 400
    assert '<html lang="sv">' in response.content.decode()


def test_the_page_is_only_read(client, kolada):
    assert client.post(PAGE, {"kpi": "U00401"}).status_code == 405


def test_a_closed_down_units_indicator_is_not_compared(client, kolada):
    Unit.objects.filter(pk=kolada.teknik.pk).update(active=False)

    assert client.get(PAGE, {"kpi": "N17000"}).status_code == 400
