"""The Kolada client reads both API versions' shapes from recorded responses, never the network."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from servicenav.kpis.kolada import (
    RIKET,
    GroupMember,
    KoladaClient,
    KoladaError,
    KoladaValue,
    Kpi,
    Municipality,
    urllib_fetch,
)

V3 = "https://api.kolada.se/v3"
V2 = "https://api.kolada.se/v2"
LULEA = "2580"
RECORDED = Path(__file__).parent / "kolada"


def recorded(name: str) -> dict[str, Any]:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def not_found(url: str) -> urllib.error.HTTPError:
    return urllib.error.HTTPError(url, 404, "Not Found", None, None)  # type: ignore[arg-type]


class FakeKolada:
    """A ``fetch`` that records every URL asked for and answers from a URL → response table.

    A response is a dict (returned) or an exception (raised); URLs not in the table answer
    404, like a path Kolada does not know. ``handler`` instead answers every URL itself.
    """

    def __init__(
        self,
        routes: dict[str, object] | None = None,
        handler: Callable[[str], dict[str, Any]] | None = None,
    ) -> None:
        self.routes = routes or {}
        self.handler = handler
        self.urls: list[str] = []

    def __call__(self, url: str) -> dict[str, Any]:
        self.urls.append(url)
        if self.handler:
            return self.handler(url)
        answer = self.routes.get(url, not_found(url))
        if isinstance(answer, BaseException):
            raise answer
        return answer  # type: ignore[return-value]


def client_for(routes: dict[str, object]) -> tuple[KoladaClient, FakeKolada]:
    fake = FakeKolada(routes)
    return KoladaClient(fetch=fake), fake


# Shapes ---------------------------------------------------------------------------------------


def test_kpi_search_reads_the_v3_shape_with_per_page_and_an_encoded_title():
    url = f"{V3}/kpi?title=Inv%C3%A5nare%20totalt&per_page=5000"
    client, fake = client_for({url: recorded("v3_kpi_search.json")})

    kpis = client.search_kpis("Invånare totalt")

    assert fake.urls == [url]
    assert kpis == [
        Kpi(
            id="N00945",
            title="Invånare totalt, antal",
            description="Antal invånare totalt den 31/12.",
            operating_area="Befolkning",
            is_divided_by_gender=True,
            publication_date=dt.date(2025, 3, 20),
        ),
        Kpi(
            id="U00437",
            title="Andel som får svar på e-post inom en dag, (%)",
            description="Andel e-postfrågor som besvarats inom en arbetsdag.",
            operating_area="Kommunen som helhet",
            is_divided_by_gender=False,
            publication_date=None,
        ),
    ]
    assert client.last_version == "v3"


def test_kpi_search_reads_the_v2_shape_over_next_page_when_v3_is_gone():
    page1 = f"{V2}/kpi?title=inv%C3%A5nare&per_page=5000"
    page2 = f"{V2}/kpi?title=inv%C3%A5nare&per_page=5000&page=2"
    client, fake = client_for(
        {
            page1: recorded("v2_kpi_search_page1.json"),
            page2: recorded("v2_kpi_search_page2.json"),
        }
    )

    kpis = client.search_kpis("invånare")

    assert fake.urls == [f"{V3}/kpi?title=inv%C3%A5nare&per_page=5000", page1, page2]
    assert [(k.id, k.is_divided_by_gender) for k in kpis] == [("N00945", True), ("U00437", False)]
    assert client.answered == [("/kpi", "v2")]


def test_values_read_the_v3_shape_taking_the_total_even_when_it_is_not_first():
    url = f"{V3}/data/kpi/N00945,U00437/municipality/{LULEA},{RIKET}/year/2023,2024?per_page=5000"
    client, fake = client_for({url: recorded("v3_data.json")})

    values = client.values(["N00945", "U00437"], [LULEA, RIKET], [2023, 2024])

    assert fake.urls == [url]
    by_key = {(v.kpi, v.municipality, v.year): v for v in values}
    assert by_key["N00945", LULEA, 2024].value == 80000.0  # T is third, after K and M
    assert by_key["N00945", RIKET, 2024].value == 10600000.0  # T is second


def test_rows_without_a_total_are_skipped():
    url = f"{V3}/data/kpi/U00437/municipality/{LULEA},{RIKET}/year/2023,2024?per_page=5000"
    client, _ = client_for({url: recorded("v3_data.json")})

    values = client.values(["U00437"], [LULEA, RIKET], [2023, 2024])

    keys = {(v.kpi, v.municipality, v.year) for v in values}
    assert ("U00437", LULEA, 2023) not in keys  # only K and M were reported
    assert len(values) == 4


def test_a_missing_value_is_kept_as_none_with_its_status():
    url = f"{V3}/data/kpi/U00437/municipality/{LULEA}/year/2024?per_page=5000"
    client, _ = client_for({url: recorded("v3_data.json")})

    values = client.values(["U00437"], [LULEA], [2024])

    missing = next(v for v in values if (v.kpi, v.municipality, v.year) == ("U00437", LULEA, 2024))
    assert missing == KoladaValue(
        kpi="U00437",
        municipality=LULEA,
        year=2024,
        value=None,
        count=0,
        status="Uppgift saknas",
        is_deleted=False,
    )


def test_v3_marks_a_deleted_value_on_its_gender_entry():
    url = f"{V3}/data/kpi/U00437/municipality/{RIKET}/year/2023?per_page=5000"
    client, _ = client_for({url: recorded("v3_data.json")})

    values = client.values(["U00437"], [RIKET], [2023])

    deleted = next(v for v in values if (v.kpi, v.municipality) == ("U00437", RIKET))
    assert deleted.is_deleted is True
    assert not any(v.is_deleted for v in values if v is not deleted)


def test_values_read_the_v2_shape_with_string_periods_status_and_group_counts():
    path = f"/data/kpi/N00945/municipality/{LULEA},G124026/year/2023,2024?per_page=5000"
    client, fake = client_for(
        {f"{V3}{path}": ValueError("garbage"), f"{V2}{path}": recorded("v2_data.json")}
    )

    values = client.values(["N00945"], [LULEA, "G124026"], ["2023", 2024])

    assert fake.urls == [f"{V3}{path}", f"{V2}{path}"]
    assert values == [
        KoladaValue("N00945", LULEA, 2023, 79800.0, 1, "", False),
        KoladaValue("N00945", LULEA, 2024, 80000.0, 1, "B", False),
        KoladaValue("N00945", "G124026", 2024, 67412.5, 12, "", False),
    ]
    assert client.last_version == "v2"


def test_a_v2_from_date_query_reports_deleted_rows():
    path = (
        f"/data/kpi/U00437/municipality/{LULEA}/year/2023,2024?from_date=2025-01-01&per_page=5000"
    )
    client, fake = client_for({f"{V2}{path}": recorded("v2_data_from_date.json")})

    values = client.values(["U00437"], [LULEA], [2023, 2024], from_date=dt.date(2025, 1, 1))

    assert fake.urls == [f"{V3}{path}", f"{V2}{path}"]
    assert [(v.year, v.value, v.is_deleted) for v in values] == [
        (2023, None, True),
        (2024, 74.0, False),
    ]


def test_groups_list_their_members():
    kpi_url = f"{V3}/kpi_groups?title=kvalitet%20i%20korthet&per_page=5000"
    municipality_url = f"{V2}/municipality_groups?title=st%C3%B6rre%20stad&per_page=5000"
    client, _ = client_for(
        {
            kpi_url: recorded("v3_kpi_groups.json"),
            municipality_url: recorded("v2_municipality_groups.json"),
        }
    )

    [kpi_group] = client.kpi_groups("kvalitet i korthet")
    [municipalities] = client.municipality_groups("större stad")

    assert kpi_group.id == "G2KPI104960"
    assert kpi_group.member_ids == ["U00437", "U00438"]
    assert municipalities.member_ids == [LULEA, "1283", "1860"]
    assert municipalities.members[0] == GroupMember(id=LULEA, title="Luleå")
    assert client.answered == [("/kpi_groups", "v3"), ("/municipality_groups", "v2")]


def test_group_members_given_as_member_id_are_read_too():
    url = f"{V3}/kpi_groups?title=x&per_page=5000"
    group = {"id": "G1", "title": "x", "members": [{"member_id": "N1", "member_title": "One"}]}
    client, _ = client_for({url: {"values": [group]}})

    [parsed] = client.kpi_groups("x")

    assert parsed.members == (GroupMember(id="N1", title="One"),)


# Paging ---------------------------------------------------------------------------------------


def test_values_follow_next_url_over_three_pages():
    first = f"{V3}/data/kpi/N00945/municipality/{LULEA}/year/2022,2023,2024?per_page=5000"
    client, fake = client_for(
        {
            first: recorded("v3_data_page1.json"),
            f"{first}&page=2": recorded("v3_data_page2.json"),
            f"{first}&page=3": recorded("v3_data_page3.json"),
        }
    )

    values = client.values(["N00945"], [LULEA], [2022, 2023, 2024])

    assert fake.urls == [first, f"{first}&page=2", f"{first}&page=3"]
    assert [(v.year, v.value) for v in values] == [
        (2022, 79400.0),
        (2023, 79800.0),
        (2024, 80200.0),
    ]


def test_paging_that_never_ends_counts_as_a_broken_answer():
    url = f"{V3}/kpi?title=x&per_page=5000"
    loop = {"values": [], "next_url": url}
    client, fake = client_for({url: loop})

    with pytest.raises(KoladaError):
        client.search_kpis("x")

    assert fake.urls == [url, f"{V2}/kpi?title=x&per_page=5000"]


# Batching -------------------------------------------------------------------------------------


def echo_data(url: str) -> dict[str, Any]:
    """Answer a data URL with one total per KPI × municipality × year it names."""
    match = re.search(r"/data/kpi/([^/]+)/municipality/([^/]+)/year/([^?]+)", url)
    assert match
    kpis, municipalities, years = (part.split(",") for part in match.groups())
    rows = [
        {"kpi": k, "municipality": m, "period": int(y), "values": [{"gender": "T", "value": 1.0}]}
        for k in kpis
        for m in municipalities
        for y in years
    ]
    return {"values": rows, "next_url": None}


def ids_in(url: str, entity: str) -> list[str]:
    match = re.search(rf"/{entity}/([^/?]+)", url)
    assert match
    return match.group(1).split(",")


def test_sixty_kpi_ids_are_fetched_in_three_calls_of_at_most_25_and_merged():
    kpi_ids = [f"N{n:05d}" for n in range(60)]
    fake = FakeKolada(handler=echo_data)
    client = KoladaClient(fetch=fake)

    values = client.values(kpi_ids, [LULEA], [2024])

    assert len(fake.urls) == 3
    assert [len(ids_in(url, "kpi")) for url in fake.urls] == [25, 25, 10]
    assert [k for url in fake.urls for k in ids_in(url, "kpi")] == kpi_ids
    assert all(url.startswith(f"{V3}/data/kpi/") for url in fake.urls)
    assert all(url.endswith(f"/municipality/{LULEA}/year/2024?per_page=5000") for url in fake.urls)
    assert sorted(v.kpi for v in values) == kpi_ids


def test_municipality_ids_are_batched_too_and_duplicates_asked_once():
    municipalities = [f"{n:04d}" for n in range(30)]
    fake = FakeKolada(handler=echo_data)
    client = KoladaClient(fetch=fake)

    values = client.values(["N00945", "N00945"], [*municipalities, RIKET], [2023, 2024])

    assert [len(ids_in(url, "municipality")) for url in fake.urls] == [25, 5]
    assert all(ids_in(url, "kpi") == ["N00945"] for url in fake.urls)
    assert len(values) == 30 * 2  # RIKET is "0000", already among the 30


def test_nothing_is_asked_for_empty_lists():
    fake = FakeKolada()
    client = KoladaClient(fetch=fake)

    assert client.values([], [LULEA], [2024]) == []
    assert client.values(["N00945"], [], [2024]) == []
    assert client.values(["N00945"], [LULEA], []) == []
    assert fake.urls == []


# Fallback and failure -------------------------------------------------------------------------

BROKEN_V3_ANSWERS = {
    "HTTP 500": urllib.error.HTTPError(f"{V3}/x", 500, "Server Error", None, None),  # type: ignore[arg-type]
    "unreachable": urllib.error.URLError("Name or service not known"),
    "timeout": TimeoutError("timed out"),
    "invalid JSON": json.JSONDecodeError("Expecting value", "<html>", 0),
    "no values list": {"error": "unexpected"},
    "values not a list": {"values": "nope"},
    "row without kpi": {"values": [{"municipality": LULEA, "period": 2024, "values": []}]},
    "row without values": {"values": [{"kpi": "N00945", "municipality": LULEA, "period": 2024}]},
    "period not a year": {
        "values": [
            {
                "kpi": "N00945",
                "municipality": LULEA,
                "period": "senaste",
                "values": [{"gender": "T", "value": 1.0}],
            }
        ]
    },
    "value not a number": {
        "values": [
            {
                "kpi": "N00945",
                "municipality": LULEA,
                "period": 2024,
                "values": [{"gender": "T", "value": {"x": 1}}],
            }
        ]
    },
}


@pytest.mark.parametrize("broken", BROKEN_V3_ANSWERS.values(), ids=BROKEN_V3_ANSWERS.keys())
def test_a_broken_v3_answer_falls_back_to_the_same_path_on_v2(broken):
    path = f"/data/kpi/N00945/municipality/{LULEA},G124026/year/2023,2024?per_page=5000"
    client, fake = client_for({f"{V3}{path}": broken, f"{V2}{path}": recorded("v2_data.json")})

    values = client.values(["N00945"], [LULEA, "G124026"], [2023, 2024])

    assert fake.urls == [f"{V3}{path}", f"{V2}{path}"]
    assert len(values) == 3
    assert client.last_version == "v2"


def test_a_v3_failure_on_a_later_page_retries_the_whole_path_on_v2():
    first = f"{V3}/data/kpi/N00945/municipality/{LULEA}/year/2022,2023,2024?per_page=5000"
    v2 = f"{V2}/data/kpi/N00945/municipality/{LULEA}/year/2022,2023,2024?per_page=5000"
    client, fake = client_for({first: recorded("v3_data_page1.json"), v2: recorded("v2_data.json")})

    values = client.values(["N00945"], [LULEA], [2022, 2023, 2024])

    assert fake.urls == [first, f"{first}&page=2", v2]
    assert len(values) == 3  # v2's rows only, none of v3's first page


def test_both_versions_failing_raises_a_kolada_error_naming_the_path():
    client, fake = client_for({})

    with pytest.raises(KoladaError, match=r"/data/kpi/N00945/municipality/2580/year/2024") as err:
        client.values(["N00945"], [LULEA], [2024])

    assert "v3" in str(err.value)
    assert "v2" in str(err.value)
    assert len(fake.urls) == 2
    assert client.answered == []


def test_the_default_fetch_refuses_anything_but_http():
    with pytest.raises(ValueError, match="http"):
        urllib_fetch("file:///etc/passwd")


# Municipalities, groups by id, KPIs by id --------------------------------------------------------


def test_municipalities_are_asked_by_type_and_read_from_v3():
    url = f"{V3}/municipality?type=K&per_page=5000"
    client, fake = client_for({url: recorded("v3_municipality_k.json")})

    municipalities = client.municipalities()

    assert fake.urls == [url]
    assert len(municipalities) == 29
    assert Municipality(id=LULEA, title="Luleå", type="K") in municipalities


def test_municipalities_keep_only_their_type_when_a_version_lists_regions_too():
    client, _ = client_for(
        {f"{V2}/municipality?type=K&per_page=5000": recorded("v2_municipality.json")}
    )

    ids = [m.id for m in client.municipalities()]

    assert ids == [LULEA, "2581", "2582", "2583", "2584"]  # not Riket 0000, not region 0025


def test_a_municipality_group_is_read_by_its_id():
    url = f"{V3}/municipality_groups/G138431?per_page=5000"
    client, fake = client_for({url: recorded("v3_municipality_group.json")})

    group = client.municipality_group("G138431")

    assert fake.urls == [url]
    assert group is not None
    assert group.title == "Större kommuner i Norrbotten och Västerbotten"
    assert group.member_ids == ["2480", "2482", LULEA, "2581", "2582", "2584"]


def test_an_unknown_municipality_group_is_none():
    client, _ = client_for({f"{V3}/municipality_groups/G1?per_page=5000": {"values": []}})

    assert client.municipality_group("G1") is None


def test_kpis_are_read_by_id_25_at_a_time():
    ids = [f"U{n:05d}" for n in range(30)]
    fake = FakeKolada(handler=lambda url: {"values": [], "next_url": None})
    client = KoladaClient(fetch=fake)

    assert client.kpis(ids) == []
    assert [len(ids_in(url, "kpi")) for url in fake.urls] == [25, 5]


def test_a_kpi_is_read_by_id_from_v2_when_v3_fails():
    client, fake = client_for({f"{V2}/kpi/U00437?per_page=5000": recorded("v2_kpi_U00437.json")})

    [kpi] = client.kpis(["U00437"])

    assert fake.urls == [f"{V3}/kpi/U00437?per_page=5000", f"{V2}/kpi/U00437?per_page=5000"]
    assert kpi.title == "Andel som får svar på e-post inom en dag, (%)"
    assert kpi.publication_date == dt.date(2025, 2, 27)
