"""Syncing Kolada stores what Kolada publishes — every municipality, Riket, the own
municipality and the comparison group — mirrors deletions, keeps missing figures as None and
never reaches the network: every answer is a recorded response."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from servicenav.core.models import AuditEntry
from servicenav.kpis import kolada_sync
from servicenav.kpis.kolada import KoladaClient, KoladaError, Kpi
from servicenav.kpis.kolada_sync import (
    KoladaSyncError,
    choose_kpi,
    find_kpis,
    kolada_link,
    linked_kpi_ids,
)
from servicenav.kpis.management.commands.kolada_sync import Command
from servicenav.kpis.models import (
    Indicator,
    KoladaGroup,
    KoladaKpi,
    KoladaValue,
    Measurement,
    Source,
    UnitOfMeasure,
)
from servicenav.organisation.models import Role
from servicenav.testing import make_user

V3 = "https://api.kolada.se/v3"
V2 = "https://api.kolada.se/v2"
RECORDED = Path(__file__).parent / "kolada"
LULEA = "2580"
YEARS = [2023, 2024]
K_MUNICIPALITIES = json.loads((RECORDED / "v3_municipality_k.json").read_text("utf-8"))["values"]
ASKED = sorted(["0000", *(m["id"] for m in K_MUNICIPALITIES)])
BATCH1, BATCH2 = ASKED[:25], ASKED[25:]


def recorded(name: str) -> dict[str, Any]:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def data_url(base: str, ids: list[str], query: str = "per_page=5000") -> str:
    return f"{base}/data/kpi/U00437/municipality/{','.join(ids)}/year/2023,2024?{query}"


class RecordedKolada:
    """A ``fetch`` answering from a URL → recorded file (or dict, or exception) table and
    recording every URL asked; any other URL answers 404, as Kolada does for unknown paths."""

    def __init__(self, routes: dict[str, object]) -> None:
        self.routes = routes
        self.urls: list[str] = []

    def __call__(self, url: str) -> dict[str, Any]:
        self.urls.append(url)
        answer = self.routes.get(url)
        if answer is None:
            raise urllib.error.HTTPError(url, 404, "Not Found", None, None)  # type: ignore[arg-type]
        if isinstance(answer, BaseException):
            raise answer
        return recorded(answer) if isinstance(answer, str) else answer  # type: ignore[return-value]


def v3_routes() -> dict[str, object]:
    return {
        f"{V3}/kpi/U00437?per_page=5000": "v3_kpi_U00437.json",
        f"{V3}/municipality_groups/G138431?per_page=5000": "v3_municipality_group.json",
        f"{V3}/municipality?type=K&per_page=5000": "v3_municipality_k.json",
        data_url(V3, BATCH1): "v3_sync_data_batch1_page1.json",
        f"{data_url(V3, BATCH1)}&page=2": "v3_sync_data_batch1_page2.json",
        data_url(V3, BATCH2): "v3_sync_data_batch2.json",
    }


@pytest.fixture
def kolada_settings(settings):
    settings.SERVICENAV_KOLADA_MUNICIPALITY = LULEA
    settings.SERVICENAV_KOLADA_GROUP = "G138431"
    return settings


@pytest.fixture
def email_kpi(tree) -> Indicator:
    """An indicator of the municipality that takes its values from Kolada."""
    return Indicator.objects.create(
        unit=tree.kommun,
        code="epost",
        name_sv="Svar på e-post inom en dag",
        name_en="E-mail answered within a day",
        kind="reachability",
        definition_sv="Andel e-postfrågor som besvaras inom en arbetsdag (Kolada).",
        source=Source.KOLADA,
        unit_of_measure=UnitOfMeasure.PERCENT,
        period_kind="year",
        kolada_kpi="U00437",
    )


def sync(routes: dict[str, object], **options: Any) -> tuple[kolada_sync.SyncReport, list[str]]:
    fake = RecordedKolada(routes)
    options.setdefault("kpi_ids", linked_kpi_ids())
    report = kolada_sync.kolada_sync(client=KoladaClient(fetch=fake), years=YEARS, **options)
    return report, fake.urls


def stored() -> dict[tuple[str, str, int], tuple[Decimal | None, int, str, bool]]:
    return {
        (v.kpi, v.municipality, v.year): (v.value, v.count, v.status, v.demo)
        for v in KoladaValue.objects.all()
    }


def audited(indicator: Indicator) -> list[AuditEntry]:
    kind = ContentType.objects.get_for_model(Indicator)
    return list(AuditEntry.objects.filter(content_type=kind, object_id=str(indicator.pk)))


def measurements(indicator: Indicator) -> dict[str, tuple[Decimal | None, str]]:
    return {
        m.period: (m.value, m.source)
        for m in Measurement.objects.filter(indicator=indicator, unit=indicator.unit)
    }


# A full sync on v3 ---------------------------------------------------------------------------


def test_a_full_sync_asks_v3_for_the_kpi_the_group_the_municipalities_and_the_data(
    kolada_settings, email_kpi
):
    report, urls = sync(v3_routes())

    assert urls == [
        f"{V3}/kpi/U00437?per_page=5000",
        f"{V3}/municipality_groups/G138431?per_page=5000",
        f"{V3}/municipality?type=K&per_page=5000",
        data_url(V3, BATCH1),
        f"{data_url(V3, BATCH1)}&page=2",
        data_url(V3, BATCH2),
    ]
    assert report.versions == {"v3": 5}
    assert report.municipalities == 30


def test_more_than_25_municipalities_are_asked_in_calls_of_at_most_25(kolada_settings, email_kpi):
    _report, urls = sync(v3_routes())

    data_calls = [url for url in urls if "/data/" in url and "page=2" not in url]
    asked = [re.search(r"/municipality/([^/]+)/", url).group(1).split(",") for url in data_calls]
    assert [len(ids) for ids in asked] == [25, 5]
    assert sorted(i for ids in asked for i in ids) == ASKED  # Riket and all 29, each once


def test_own_municipality_riket_and_every_municipality_are_stored(kolada_settings, email_kpi):
    report, _urls = sync(v3_routes())

    values = stored()
    assert values["U00437", LULEA, 2024] == (Decimal("74.0000"), 1, "", False)
    assert values["U00437", "0000", 2023] == (Decimal("62.0000"), 1, "", False)
    assert {m for _kpi, m, _year in values} == set(ASKED)
    assert len(values) == 58  # 30 × 2, less one row without a total and one not reported
    assert report.stored == 58


def test_a_missing_figure_is_kept_as_none_with_its_status_and_no_total_stores_nothing(
    kolada_settings, email_kpi
):
    report, _urls = sync(v3_routes())

    values = stored()
    assert values["U00437", "2418", 2024] == (None, 1, "Uppgift saknas", False)
    assert ("U00437", "2422", 2023) not in values  # only women and men were reported
    assert ("U00437", "2425", 2024) not in values  # not reported at all
    assert report.missing == 1


def test_the_kpi_and_the_comparison_group_are_stored(kolada_settings, email_kpi):
    sync(v3_routes())

    kpi = KoladaKpi.objects.get()
    assert (kpi.id, kpi.title, kpi.operating_area, kpi.demo) == (
        "U00437",
        "Andel som får svar på e-post inom en dag, (%)",
        "Kommunen som helhet",
        False,
    )
    group = KoladaGroup.objects.get()
    assert group.id == "G138431"
    assert group.members == ["2480", "2482", LULEA, "2581", "2582", "2584"]


def test_running_it_again_stores_the_same_rows(kolada_settings, email_kpi):
    sync(v3_routes())
    first, first_measured = stored(), measurements(email_kpi)

    report, _urls = sync(v3_routes())

    assert stored() == first
    assert measurements(email_kpi) == first_measured
    assert report.deleted == 0
    assert KoladaKpi.objects.count() == KoladaGroup.objects.count() == 1


# Measurements of Kolada-sourced indicators ----------------------------------------------------


def test_a_kolada_sourced_indicator_gets_a_measurement_a_year_from_the_own_figures(
    kolada_settings, email_kpi
):
    report, _urls = sync(v3_routes())

    assert measurements(email_kpi) == {
        "2023": (Decimal("71.00"), Source.KOLADA),
        "2024": (Decimal("74.00"), Source.KOLADA),
    }
    m = Measurement.objects.get(indicator=email_kpi, period="2024")
    assert (m.period_start, m.period_end, m.n) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31), None)
    assert report.measurements == 2


def test_an_indicator_computed_elsewhere_is_only_compared_not_measured(kolada_settings, tree):
    linked = Indicator.objects.create(
        unit=tree.kommun,
        code="svar",
        name_sv="Svar",
        name_en="Answers",
        kind="reachability",
        definition_sv="Andel besvarade inom tio dagar.",
        source=Source.CASES,
        statistic="share_answered_by_deadline",
        unit_of_measure=UnitOfMeasure.PERCENT,
        kolada_kpi="U00437",
    )

    report, _urls = sync(v3_routes())

    assert report.stored == 58
    assert not Measurement.objects.filter(indicator=linked).exists()


def test_a_figure_staff_entered_for_the_same_year_is_left_alone(kolada_settings, email_kpi):
    Measurement.objects.create(
        indicator=email_kpi,
        unit=email_kpi.unit,
        period="2023",
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        value=Decimal("70.00"),
        source=Source.MANUAL,
        comment="Egen mätning",
    )

    sync(v3_routes())

    assert measurements(email_kpi) == {
        "2023": (Decimal("70.00"), Source.MANUAL),
        "2024": (Decimal("74.00"), Source.KOLADA),
    }


# v2 fallback ---------------------------------------------------------------------------------


def test_when_v3_fails_v2_answers_every_call_with_its_own_shapes(kolada_settings, email_kpi):
    kolada_settings.SERVICENAV_KOLADA_GROUP = "G124026"
    asked = ["0000", "1283", "1860", LULEA, "2581", "2582", "2583", "2584"]
    routes: dict[str, object] = {
        f"{V2}/kpi/U00437?per_page=5000": "v2_kpi_U00437.json",
        f"{V2}/municipality_groups/G124026?per_page=5000": "v2_municipality_group.json",
        f"{V2}/municipality?type=K&per_page=5000": "v2_municipality.json",
        data_url(V2, asked): "v2_sync_data_page1.json",
        f"{data_url(V2, asked)}&page=2": "v2_sync_data_page2.json",
        data_url(V3, asked): {"error": "This endpoint is unavailable."},
    }

    report, urls = sync(routes)

    assert [url for url in urls if url.startswith(V2)] == [
        f"{V2}/kpi/U00437?per_page=5000",
        f"{V2}/municipality_groups/G124026?per_page=5000",
        f"{V2}/municipality?type=K&per_page=5000",
        data_url(V2, asked),
        f"{data_url(V2, asked)}&page=2",
    ]
    assert report.versions == {"v2": 4}
    values = stored()
    assert len(values) == 16  # the group's Helsingborg and Lund too; not region 0025
    assert values["U00437", LULEA, 2023] == (Decimal("71.0000"), 1, "", False)
    assert values["U00437", "1860", 2024] == (None, 1, "Uppgift saknas", False)
    assert KoladaGroup.objects.get().members == [LULEA, "1283", "1860"]


def test_without_a_comparison_group_riket_and_the_municipalities_are_still_fetched(
    kolada_settings, email_kpi
):
    kolada_settings.SERVICENAV_KOLADA_GROUP = ""
    routes = v3_routes()
    del routes[f"{V3}/municipality_groups/G138431?per_page=5000"]

    report, urls = sync(routes)

    assert not any("municipality_groups" in url for url in urls)
    assert report.group is None
    assert report.stored == 58
    assert not KoladaGroup.objects.exists()


# Changes since a date, deletions -------------------------------------------------------------


def test_an_incremental_sync_removes_deleted_figures_and_updates_changed_ones(
    kolada_settings, email_kpi
):
    sync(v3_routes())
    before = stored()
    since = "from_date=2025-06-01&per_page=5000"
    routes = v3_routes() | {
        data_url(V3, BATCH1, since): "v3_sync_changes_batch1.json",
        data_url(V3, BATCH2, since): "v3_sync_changes_batch2.json",
    }

    report, urls = sync(routes, from_date=dt.date(2025, 6, 1))

    assert urls[-2:] == [data_url(V3, BATCH1, since), data_url(V3, BATCH2, since)]
    after = stored()
    assert ("U00437", "0000", 2023) not in after
    assert ("U00437", "2583", 2023) not in after
    assert after["U00437", "2401", 2024][0] == Decimal("81.5000")
    assert after["U00437", LULEA, 2024][0] == Decimal("76.0000")
    unchanged = set(before) - {("U00437", "0000", 2023), ("U00437", "2583", 2023)}
    unchanged -= {("U00437", "2401", 2024), ("U00437", LULEA, 2024)}
    assert all(after[key] == before[key] for key in unchanged)
    assert (report.deleted, report.stored) == (2, 2)
    assert measurements(email_kpi)["2024"] == (Decimal("76.00"), Source.KOLADA)


def test_a_full_sync_removes_figures_kolada_no_longer_has_and_the_kpis_demo_figures(
    kolada_settings, email_kpi
):
    KoladaValue.objects.create(kpi="U00437", municipality="2425", year=2024, value=50)
    KoladaValue.objects.create(kpi="U00437", municipality=LULEA, year=2019, value=9, demo=True)
    KoladaValue.objects.create(kpi="N00945", municipality=LULEA, year=2024, value=1, demo=True)
    KoladaValue.objects.create(kpi="U00437", municipality="2581", year=2019, value=60)

    report, _urls = sync(v3_routes())

    values = stored()
    assert ("U00437", "2425", 2024) not in values  # Kolada no longer returns it
    assert ("U00437", LULEA, 2019) not in values  # the demo figure of a KPI now fetched
    assert ("N00945", LULEA, 2024) in values  # another KPI's demo figure stays
    assert ("U00437", "2581", 2019) in values  # a real figure of a year not asked for stays
    assert report.deleted == 2


def test_when_the_own_figure_disappears_its_measurement_goes_too(kolada_settings, email_kpi):
    sync(v3_routes())
    since = "from_date=2025-06-01&per_page=5000"
    gone = {
        "values": [
            {
                "kpi": "U00437",
                "period": 2023,
                "municipality": LULEA,
                "values": [{"gender": "T", "value": None, "count": 1, "isdeleted": True}],
            }
        ]
    }
    routes = v3_routes() | {
        data_url(V3, BATCH1, since): {"values": []},
        data_url(V3, BATCH2, since): gone,
    }

    sync(routes, from_date=dt.date(2025, 6, 1))

    assert measurements(email_kpi) == {"2024": (Decimal("74.00"), Source.KOLADA)}


# Failures ------------------------------------------------------------------------------------


def test_a_figure_too_large_to_store_is_skipped_and_counted_never_rounded_away(
    kolada_settings, email_kpi
):
    def row(place: str, value: float) -> dict[str, Any]:
        entry = {"gender": "T", "value": value, "count": 1, "status": "", "isdeleted": False}
        return {"kpi": "U00437", "period": 2024, "municipality": place, "values": [entry]}

    routes = v3_routes()
    routes[data_url(V3, BATCH2)] = {
        "values": [row(LULEA, 74.0), row("2581", 1e12), row("2582", float("nan"))]
    }

    report, _urls = sync(routes)

    values = stored()
    assert values["U00437", LULEA, 2024][0] == Decimal("74.0000")
    assert ("U00437", "2581", 2024) not in values
    assert ("U00437", "2582", 2024) not in values
    assert report.skipped == 2


def test_when_kolada_cannot_be_reached_midway_nothing_is_stored(kolada_settings, email_kpi):
    routes = v3_routes()
    routes[data_url(V3, BATCH2)] = urllib.error.URLError("Name or service not known")

    with pytest.raises(KoladaError, match="municipality/2580"):
        sync(routes)

    assert not KoladaValue.objects.exists()
    assert not KoladaKpi.objects.exists()
    assert not Measurement.objects.exists()


def test_an_unknown_comparison_group_is_a_clear_error(kolada_settings, email_kpi):
    kolada_settings.SERVICENAV_KOLADA_GROUP = "G0"
    routes = v3_routes() | {f"{V3}/municipality_groups/G0?per_page=5000": {"values": []}}

    with pytest.raises(KoladaSyncError, match="G0"):
        sync(routes)

    assert not KoladaValue.objects.exists()


def test_nothing_linked_asks_kolada_nothing(kolada_settings, db):
    report, urls = sync(v3_routes())

    assert urls == []
    assert report.kpis == []


def test_a_linked_id_kolada_does_not_know_is_reported_and_not_fetched(kolada_settings, db):
    report, urls = sync({f"{V3}/kpi/U99999?per_page=5000": {"values": []}}, kpi_ids=["u99999 "])

    assert urls == [f"{V3}/kpi/U99999?per_page=5000"]
    assert report.unknown == ["U99999"]


def test_only_active_indicators_links_count(email_kpi, tree):
    email_kpi.active = False
    email_kpi.save(update_fields=["active"])

    assert linked_kpi_ids() == []


# Finding and linking KPIs by title -----------------------------------------------------------

SEARCH = f"{V3}/kpi?title=e-post&per_page=5000"
KKIK = f"{V3}/kpi_groups?title=kvalitet%20i%20korthet&per_page=5000"


def test_kpis_are_found_by_title_and_narrowed_by_a_kpi_group(db):
    fake = RecordedKolada({SEARCH: "v3_kpi_search_epost.json", KKIK: "v3_kpi_groups.json"})
    client = KoladaClient(fetch=fake)

    assert [k.id for k in find_kpis(client, title="e-post")] == ["U00437", "U00445"]
    assert [
        k.id for k in find_kpis(client, title=" e-post ", group_title="kvalitet i korthet")
    ] == ["U00437"]


@pytest.mark.parametrize(
    ("title", "group_title", "message"),
    [
        ("", "", "Give the title"),
        ("e-post", "saknas", "no KPI group"),
        ("ingenting", "", "no KPI whose title contains 'ingenting'"),
    ],
)
def test_finding_kpis_by_title_explains_what_was_not_found(title, group_title, message):
    client = KoladaClient(
        fetch=RecordedKolada(
            {
                SEARCH: "v3_kpi_search_epost.json",
                f"{V3}/kpi_groups?title=saknas&per_page=5000": {"values": []},
                f"{V3}/kpi?title=ingenting&per_page=5000": {"values": []},
            }
        )
    )

    with pytest.raises(KoladaSyncError, match=message):
        find_kpis(client, title=title, group_title=group_title)


def test_a_title_matching_too_many_kpis_must_be_narrowed():
    many = [{"id": f"N{n:05d}", "title": f"Andel {n}"} for n in range(26)]
    client = KoladaClient(
        fetch=RecordedKolada({f"{V3}/kpi?title=Andel&per_page=5000": {"values": many}})
    )

    with pytest.raises(KoladaSyncError, match="26 Kolada KPIs"):
        find_kpis(client, title="Andel")


def test_the_kpi_meant_is_the_only_match_or_the_only_exact_title():
    one = Kpi("U00437", "Andel som får svar på e-post inom en dag, (%)", "", "", False, None)
    other = Kpi(
        "U00445", "Andel som får svar på e-post inom en dag, (%), förskola", "", "", False, None
    )

    assert choose_kpi([one], "e-post") == one
    assert choose_kpi([one, other], "andel som får svar på e-post inom en dag, (%)") == one
    with pytest.raises(KoladaSyncError, match=r"U00437.*U00445"):
        choose_kpi([one, other], "e-post")


def test_linking_records_who_changed_what(email_kpi, tree):
    coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun)

    kolada_link(indicator=email_kpi, kpi_id=" u00438 ", by=coordinator)

    email_kpi.refresh_from_db()
    assert email_kpi.kolada_kpi == "U00438"
    [entry] = audited(email_kpi)
    assert entry.actor == coordinator
    assert entry.changes == {"kolada_kpi": {"from": "U00437", "to": "U00438"}}


def test_linking_to_the_same_kpi_again_records_nothing(email_kpi):
    kolada_link(indicator=email_kpi, kpi_id="U00437", by=None)

    assert audited(email_kpi) == []


def test_a_bad_kpi_id_is_refused_and_changes_nothing(email_kpi):
    with pytest.raises(ValidationError):
        kolada_link(indicator=email_kpi, kpi_id="U004 37; DROP", by=None)

    email_kpi.refresh_from_db()
    assert email_kpi.kolada_kpi == "U00437"


def test_staff_without_a_kpi_role_for_the_unit_may_not_link(email_kpi, tree):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.kommun)
    outsider = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social)

    for person in (handler, outsider):
        with pytest.raises(PermissionDenied):
            kolada_link(indicator=email_kpi, kpi_id="U00438", by=person)

    email_kpi.refresh_from_db()
    assert email_kpi.kolada_kpi == "U00437"


# The command ---------------------------------------------------------------------------------


@pytest.fixture
def answering(monkeypatch):
    """Make the command's client answer from `routes`; returns the fake to inspect."""

    def install(routes: dict[str, object]) -> RecordedKolada:
        fake = RecordedKolada(routes)
        monkeypatch.setattr(kolada_sync, "kolada_client", lambda: KoladaClient(fetch=fake))
        return fake

    return install


def run(*args: str) -> str:
    out = StringIO()
    call_command("kolada_sync", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_what_it_fetched_and_which_version_answered(
    kolada_settings, email_kpi, answering
):
    answering(v3_routes())

    output = run("--years", "2023-2024")

    assert "KPI U00437: Andel som får svar på e-post inom en dag, (%)" in output
    assert "Comparison group: G138431 Större kommuner i Norrbotten och Västerbotten" in output
    assert "Kolada [" in output  # the progress bar, one step per call of 25 municipalities
    assert "] 2/2" in output
    assert "Years 2023–2024, 30 municipalities with Riket." in output
    assert "Kolada API answered (v3: 5 calls)." in output
    assert "58 values stored (1 without a figure), 0 removed" in output
    assert "2 measurements of Kolada-sourced indicators written" in output


def test_the_command_says_so_when_v2_answered(kolada_settings, email_kpi, answering):
    kolada_settings.SERVICENAV_KOLADA_GROUP = ""
    answering(
        {
            f"{V2}/kpi/U00437?per_page=5000": "v2_kpi_U00437.json",
            f"{V3}/municipality?type=K&per_page=5000": "v3_municipality_k.json",
            data_url(V3, BATCH1): "v3_sync_data_batch1_page1.json",
            f"{data_url(V3, BATCH1)}&page=2": "v3_sync_data_batch1_page2.json",
            data_url(V3, BATCH2): "v3_sync_data_batch2.json",
        }
    )

    output = run("--years", "2023,2024")

    assert "Kolada API answered (v2: 1 calls, v3: 3 calls)." in output
    assert "v2 answered them" in output
    assert "Riket only" in output


def test_the_command_asks_only_for_changes_since_a_date(kolada_settings, email_kpi, answering):
    since = "from_date=2025-06-01&per_page=5000"
    fake = answering(
        v3_routes()
        | {
            data_url(V3, BATCH1, since): "v3_sync_changes_batch1.json",
            data_url(V3, BATCH2, since): "v3_sync_changes_batch2.json",
        }
    )

    output = run("--years", "2023-2024", "--from-date", "2025-06-01")

    assert fake.urls[-2:] == [data_url(V3, BATCH1, since), data_url(V3, BATCH2, since)]
    assert "changes since 2025-06-01" in output


def test_the_command_fails_clearly_when_kolada_cannot_be_reached(
    kolada_settings, email_kpi, monkeypatch
):
    def unreachable(url: str) -> dict[str, Any]:
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(kolada_sync, "kolada_client", lambda: KoladaClient(fetch=unreachable))

    with pytest.raises(CommandError, match="Kolada could not be reached"):
        run("--years", "2023-2024")

    assert not KoladaValue.objects.exists()


def test_run_from_a_shell_an_unreachable_kolada_exits_non_zero_without_a_traceback(
    kolada_settings, email_kpi, monkeypatch, capsys
):
    def unreachable(url: str) -> dict[str, Any]:
        raise TimeoutError("timed out")

    monkeypatch.setattr(kolada_sync, "kolada_client", lambda: KoladaClient(fetch=unreachable))
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "kolada_sync", "--years", "2024"])

    assert exit_.value.code != 0
    error = capsys.readouterr().err
    assert "CommandError: Kolada could not be reached" in error
    assert "Traceback" not in error


def test_the_command_links_an_indicator_to_the_kpi_found_by_title_and_group(
    kolada_settings, email_kpi, answering
):
    email_kpi.kolada_kpi = ""
    email_kpi.save(update_fields=["kolada_kpi"])
    answering(v3_routes() | {SEARCH: "v3_kpi_search_epost.json", KKIK: "v3_kpi_groups.json"})

    output = run(
        "--link", str(email_kpi.pk), "--title", "e-post", "--group-title", "kvalitet i korthet",
        "--years", "2023-2024",
    )  # fmt: skip

    email_kpi.refresh_from_db()
    assert email_kpi.kolada_kpi == "U00437"
    assert f"Linked indicator epost ({email_kpi.pk}) to U00437." in output
    assert len(audited(email_kpi)) == 1
    assert KoladaValue.objects.filter(kpi="U00437").count() == 58


def test_linking_by_a_title_that_matches_several_kpis_lists_them_and_changes_nothing(
    kolada_settings, email_kpi, answering
):
    answering({SEARCH: "v3_kpi_search_epost.json"})

    with pytest.raises(CommandError, match=r"U00437 .*; U00445 "):
        run("--link", str(email_kpi.pk), "--title", "e-post")

    email_kpi.refresh_from_db()
    assert email_kpi.kolada_kpi == "U00437"
    assert audited(email_kpi) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--years", "2025-2019"], "--years must lie"),
        (["--years", "last six"], "write 2019-2025"),
        (["--years", "1980-2020"], "--years must lie"),
        (["--years", "2050"], "--years must lie"),
        (["--from-date", "yesterday"], "YYYY-MM-DD"),
        (["--link", "1"], "--link needs --title"),
        (["--link", "999999", "--title", "e-post"], "no indicator with id 999999"),
    ],
)
def test_the_command_refuses_bad_input_clearly(args, message, kolada_settings, db, answering):
    fake = answering({SEARCH: "v3_kpi_search_epost.json", KKIK: "v3_kpi_groups.json"})
    if "999999" in args:
        fake.routes[SEARCH] = {"values": [recorded("v3_kpi_search_epost.json")["values"][0]]}

    with pytest.raises(CommandError, match=message):
        run(*args)

    assert not KoladaValue.objects.exists()


def test_the_command_with_nothing_linked_says_so(kolada_settings, db, answering):
    fake = answering({})

    output = run()

    assert "Nothing to fetch" in output
    assert fake.urls == []
