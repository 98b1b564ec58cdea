"""Key performance indicators through the REST API, read-only: a key reads the indicators,
targets and measurements its owner may read in the staff pages (kpis.access), narrowed by
the filters and paged by cursor, and the Kolada figures they are compared with. Another
unit's indicators are out of sight: absent from lists, 404 in detail, 400 as a filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicenav.api.services import api_key_create
from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.models import Indicator, KoladaValue, Measurement
from servicenav.kpis.services import indicator_create, indicator_set_active, target_set
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


class Api:
    """A client that sends one staff key with every request."""

    def __init__(self, client, user) -> None:
        self.client, self.user = client, user
        _api_key, key = api_key_create(name=f"Nyckel för {user.username}", user=user, by=None)
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, name: str, *args: object, **params: object):
        return self.client.get(reverse(f"rest:{name}", args=args), params, headers=self.headers)

    def follow(self, url: str):
        return self.client.get(url, headers=self.headers)


def make_indicator(unit, code: str, *, kind: str = "lead_time", **fields: Any) -> Indicator:
    defaults: dict[str, Any] = {
        "name_sv": f"Mått {code}",
        "name_en": f"Measure {code}",
        "kind": kind,
        "definition_sv": "Start: mottagen. Stopp: besvarad. Population: synpunkter.",
        "definition_en": "Start: received. Stop: answered. Population: feedback.",
        "source": "cases",
        "statistic": "median_days_to_answer",
        "unit_of_measure": "working_days",
        "higher_is_better": False,
    }
    return indicator_create(unit=unit, by=None, code=code, **(defaults | fields))


def measure(indicator: Indicator, unit, month: date, value: str | None, **fields) -> Measurement:
    period = Period.containing(month, PeriodKind.MONTH)
    return Measurement.objects.create(
        indicator=indicator,
        unit=unit,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        value=None if value is None else Decimal(value),
        n=fields.pop("n", 12),
        source=fields.pop("source", "cases"),
        **fields,
    )


@pytest.fixture
def api(client, tree) -> Api:
    """A case handler of Teknik: reads Teknik's, Gata's and Vatten's indicators."""
    return Api(client, make_user(role=Role.CASE_HANDLER, unit=tree.teknik))


@pytest.fixture
def outsider_api(client, tree) -> Api:
    """A unit manager of Hemtjänst, who has no business with Teknik's indicators."""
    return Api(client, make_user(role=Role.UNIT_MANAGER, unit=tree.hemtjanst))


@pytest.fixture
def indicators(tree) -> dict[str, Indicator]:
    made = {
        "median": make_indicator(tree.teknik, "svarstid-median"),
        "acknowledged": make_indicator(
            tree.teknik,
            "kvittens-2d",
            kind="reachability",
            statistic="share_acknowledged_within",
            params={"limit_days": 2},
            unit_of_measure="percent",
            higher_is_better=True,
        ),
        "gata": make_indicator(tree.gata, "oppna-sena", kind="waiting_time"),
        "old": make_indicator(tree.teknik, "gammal"),
        "hemtjanst": make_indicator(tree.hemtjanst, "svarstid-median"),
        "kommun": make_indicator(tree.kommun, "svarstid-median"),
    }
    indicator_set_active(indicator=made["old"], active=False, by=None)
    return made


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


# --- Who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("indicator-list", []),
        ("indicator-detail", [1]),
        ("measurement-list", []),
        ("kolada-value-list", []),
    ],
)
def test_without_a_key_every_endpoint_is_401(client, name, args):
    response = client.get(reverse(f"rest:{name}", args=args))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_list_holds_the_indicators_of_the_keys_units_and_below_and_no_others(api, indicators):
    expected = {indicators[key].pk for key in ("median", "acknowledged", "gata", "old")}
    assert set(ids(api.get("indicator-list"))) == expected


def test_another_units_key_sees_none_of_the_units_indicators_or_measurements(
    outsider_api, tree, indicators
):
    measure(indicators["median"], tree.teknik, date(2026, 3, 1), "4")
    assert ids(outsider_api.get("indicator-list")) == [indicators["hemtjanst"].pk]
    assert ids(outsider_api.get("measurement-list")) == []
    assert outsider_api.get("indicator-detail", indicators["median"].pk).status_code == 404
    refused = outsider_api.get("measurement-list", indicator=indicators["median"].pk)
    assert refused.status_code == 400
    assert "indicator" in refused.json()
    assert outsider_api.get("indicator-list", unit=tree.teknik.pk).status_code == 400


def test_a_missing_indicator_is_404_like_another_units(api, indicators):
    assert api.get("indicator-detail", indicators["kommun"].pk).status_code == 404
    assert api.get("indicator-detail", 999_999).status_code == 404


# --- Indicators ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "reachability"}, ["acknowledged"]),
        ({"kind": "waiting_time"}, ["gata"]),
        ({"active": "false"}, ["old"]),
        ({"active": "true", "kind": "lead_time"}, ["median"]),
    ],
)
def test_the_indicators_narrow_by_kind_and_activity(api, indicators, params, expected):
    assert set(ids(api.get("indicator-list", **params))) == {indicators[k].pk for k in expected}


def test_the_indicators_narrow_to_those_a_unit_owns_not_those_below_it(api, tree, indicators):
    owned = {indicators[key].pk for key in ("median", "acknowledged", "old")}
    assert set(ids(api.get("indicator-list", unit=tree.teknik.pk))) == owned
    assert ids(api.get("indicator-list", unit=tree.gata.pk)) == [indicators["gata"].pk]


@pytest.mark.parametrize(
    "params", [{"kind": "speed"}, {"active": "maybe"}, {"unit": "teknik"}, {"unit": 999_999}]
)
def test_a_bad_indicator_filter_is_a_400_naming_the_parameter(api, indicators, params):
    response = api.get("indicator-list", **params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_an_indicator_in_the_list_says_what_it_is(api, tree, indicators):
    listed = api.get("indicator-list", kind="reachability").json()["results"]
    assert listed == [
        {
            "id": indicators["acknowledged"].pk,
            "unit": {"id": tree.teknik.pk, "name": "Teknik"},
            "code": "kvittens-2d",
            "name_sv": "Mått kvittens-2d",
            "name_en": "Measure kvittens-2d",
            "kind": "reachability",
            "source": "cases",
            "statistic": "share_acknowledged_within",
            "unit_of_measure": "percent",
            "higher_is_better": True,
            "period_kind": "month",
            "min_cases": 5,
            "active": True,
            "kolada_kpi": "",
        }
    ]


def test_an_indicator_shows_its_whole_definition_and_its_targets_by_year(api, indicators):
    indicator = indicators["acknowledged"]
    target_set(indicator=indicator, year=2026, value=Decimal("92"), by=None)
    target_set(indicator=indicator, year=2025, value=Decimal("90.5"), by=None)
    response = api.get("indicator-detail", indicator.pk)
    assert response.status_code == 200
    body = response.json()
    assert body["targets"] == [{"year": 2025, "value": 90.5}, {"year": 2026, "value": 92.0}]
    assert body["params"] == {"limit_days": 2}
    assert body["definition_sv"].startswith("Start: mottagen.")
    assert body["definition_en"].startswith("Start: received.")
    assert body["exception_reason"] == ""
    assert body["code"] == "kvittens-2d"


def test_a_viewer_of_the_municipality_reads_every_units_indicators(client, tree, indicators):
    viewer = Api(client, make_user(role=Role.VIEWER, unit=tree.kommun))
    assert len(ids(viewer.get("indicator-list"))) == len(indicators)
    assert viewer.get("indicator-detail", indicators["hemtjanst"].pk).status_code == 200


# --- Measurements ----------------------------------------------------------------------


@pytest.fixture
def series(tree, indicators) -> dict[str, Measurement]:
    median, gata = indicators["median"], indicators["gata"]
    return {
        "jan": measure(median, tree.teknik, date(2026, 1, 1), "5"),
        "feb": measure(median, tree.teknik, date(2026, 2, 1), "4.5"),
        "mar": measure(median, tree.teknik, date(2026, 3, 1), None, n=2),
        "gata-feb": measure(median, tree.gata, date(2026, 2, 1), "3"),
        "other-feb": measure(gata, tree.gata, date(2026, 2, 1), "7"),
        "hemtjanst": measure(indicators["hemtjanst"], tree.hemtjanst, date(2026, 2, 1), "6"),
        "kommun": measure(indicators["kommun"], tree.teknik, date(2026, 2, 1), "6"),
    }


def test_the_measurements_are_those_of_the_indicators_the_key_reads(api, series):
    visible = {series[key].pk for key in ("jan", "feb", "mar", "gata-feb", "other-feb")}
    assert set(ids(api.get("measurement-list"))) == visible


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"indicator": "median"}, ["jan", "feb", "mar", "gata-feb"]),
        ({"indicator": "median", "unit": "teknik"}, ["jan", "feb", "mar"]),
        ({"unit": "gata"}, ["gata-feb", "other-feb"]),
        ({"period_from": "2026-02-01"}, ["feb", "mar", "gata-feb", "other-feb"]),
        ({"period_to": "2026-02-28"}, ["jan", "feb", "gata-feb", "other-feb"]),
        ({"period_from": "2026-02-01", "period_to": "2026-02-28", "unit": "teknik"}, ["feb"]),
        ({"period_from": "2026-02-02", "period_to": "2026-02-28"}, []),
    ],
)
def test_the_measurements_narrow_by_indicator_unit_and_period(
    api, tree, indicators, series, params, expected
):
    given = dict(params)
    if "indicator" in given:
        given["indicator"] = indicators[str(given["indicator"])].pk
    if "unit" in given:
        given["unit"] = getattr(tree, str(given["unit"])).pk
    assert ids(api.get("measurement-list", **given)) == [series[key].pk for key in expected]


@pytest.mark.parametrize(
    "params",
    [
        {"period_from": "2026-13-01"},
        {"period_to": "soon"},
        {"indicator": "x"},
        {"unit": 999_999},
    ],
)
def test_a_bad_measurement_filter_is_a_400_naming_the_parameter(api, series, params):
    response = api.get("measurement-list", **params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_a_period_range_that_ends_before_it_starts_is_refused(api, series):
    response = api.get("measurement-list", period_from="2026-03-01", period_to="2026-01-31")
    assert response.status_code == 400
    assert "period_to" in response.json()


def test_a_measurement_gives_its_value_interval_and_who_entered_it(api, tree, indicators):
    staff = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik, first_name="Kim")
    entered = measure(
        indicators["acknowledged"],
        tree.teknik,
        date(2026, 4, 1),
        "87.5",
        n=40,
        low=Decimal("73.9"),
        high=Decimal("94.5"),
        source="manual",
        entered_by=staff,
        comment="Ur telefonisystemets rapport.",
    )
    [item] = api.get("measurement-list", indicator=indicators["acknowledged"].pk).json()["results"]
    assert item["id"] == entered.pk
    assert item["indicator"] == indicators["acknowledged"].pk
    assert item["unit"] == {"id": tree.teknik.pk, "name": "Teknik"}
    assert (item["period"], item["period_start"], item["period_end"]) == (
        "2026-04",
        "2026-04-01",
        "2026-04-30",
    )
    assert (item["value"], item["n"], item["low"], item["high"]) == (87.5, 40, 73.9, 94.5)
    assert (item["source"], item["comment"]) == ("manual", "Ur telefonisystemets rapport.")
    assert item["entered_by"]["id"] == staff.pk


def test_too_few_cases_is_a_null_value_with_its_n(api, series):
    [item] = [i for i in api.get("measurement-list").json()["results"] if i["period"] == "2026-03"]
    assert (item["value"], item["n"], item["low"], item["high"]) == (None, 2, None, None)


def test_the_cursor_walks_every_measurement_once_in_pages(api, tree, indicators):
    made = [
        measure(indicators["median"], tree.teknik, date(2025, month, 1), str(month))
        for month in range(1, 8)
    ]
    seen: list[int] = []
    response = api.get("measurement-list", page_size=3)
    pages = 0
    while True:
        seen += ids(response)
        pages += 1
        if response.json()["next"] is None:
            break
        response = api.follow(response.json()["next"])
    assert pages == 3
    assert seen == [measurement.pk for measurement in made]


def test_a_forged_cursor_is_refused_not_an_error(api, series):
    assert api.get("measurement-list", cursor="YQ").status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_page(api, tree, indicators):
    staff = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
    for month in range(1, 13):
        indicator = indicators["median"] if month % 2 else indicators["gata"]
        unit = tree.teknik if month % 2 else tree.gata
        measure(indicator, unit, date(2025, month, 1), "3", entered_by=staff)

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(ids(api.get("measurement-list", page_size=page_size))) == page_size
        return len(captured)

    queries(1)  # the key's first use is noted; later ones within a minute are not
    assert queries(1) == queries(10)


# --- Kolada figures --------------------------------------------------------------------


@pytest.fixture
def kolada() -> list[KoladaValue]:
    rows = [
        ("DEMOU01", "2580", 2025, "60", True),
        ("DEMOU01", "0000", 2025, "58.8", True),
        ("DEMOU01", "2580", 2024, "57", True),
        ("U00401", "2580", 2025, "71.5", False),
    ]
    return [
        KoladaValue.objects.create(
            kpi=kpi, municipality=place, year=year, value=Decimal(value), count=1, demo=demo
        )
        for kpi, place, year, value, demo in rows
    ]


def test_the_kolada_figures_narrow_by_kpi_municipality_and_year(api, kolada):
    assert ids(api.get("kolada-value-list", kpi="demou01", year=2025)) == [
        kolada[0].pk,
        kolada[1].pk,
    ]
    assert ids(api.get("kolada-value-list", municipality="0000")) == [kolada[1].pk]
    assert len(ids(api.get("kolada-value-list"))) == len(kolada)


def test_a_kolada_figure_says_whether_it_is_a_demo_figure(api, kolada):
    results = api.get("kolada-value-list", municipality="2580", year=2025).json()["results"]
    assert [(item["kpi"], item["value"], item["demo"]) for item in results] == [
        ("DEMOU01", 60.0, True),
        ("U00401", 71.5, False),
    ]


@pytest.mark.parametrize("params", [{"kpi": "U004;01"}, {"year": "last"}, {"year": 1800}])
def test_a_bad_kolada_filter_is_a_400_naming_the_parameter(api, kolada, params):
    response = api.get("kolada-value-list", **params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)
