"""Storing Kolada's figures: the comparison norms of the indicators.

`kolada_sync` fetches, for the chosen KPIs and years, what Kolada publishes for every
municipality (the quartile needs them all), for Riket (`0000`), for the own municipality
(`SERVICENAV_KOLADA_MUNICIPALITY`) and for the members of the comparison group
(`SERVICENAV_KOLADA_GROUP`). Everything is fetched before anything is written, and written in
one transaction, so a sync that cannot reach Kolada changes nothing.

Stored rows mirror Kolada: a value Kolada marks deleted (or, on a full sync, no longer
returns) is removed; a value Kolada reports without a figure is kept as None, with its
status; nothing is estimated. Indicators whose source is Kolada get one measurement a year
from the own municipality's values.

Which KPIs: those linked by active indicators (`Indicator.kolada_kpi`) and those found by
title, optionally within a Kolada KPI group found by title (`find_kpis`). No KPI id is
written in code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.audit import audit_record
from servicenav.core.models import AuditEntry
from servicenav.core.periods import Period, PeriodKind
from servicenav.core.progress import progress
from servicenav.kpis import kolada
from servicenav.kpis.models import (
    Indicator,
    KoladaGroup,
    KoladaKpi,
    KoladaValue,
    Measurement,
    Source,
)
from servicenav.organisation.access import has_role_for
from servicenav.organisation.models import Role

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from servicenav.core.progress import Writable
    from servicenav.organisation.models import User

# A title that matches more KPIs than this is too vague to fetch them all.
MAX_TITLE_MATCHES = 25
YEARS_BY_DEFAULT = 6
KPI_ID = re.compile(r"[A-Z][A-Z0-9]{1,19}")
# The id columns: KoladaValue.kpi and KoladaKpi.id hold 20 characters, municipality 10.
KPI_ID_LENGTH = 20
MUNICIPALITY_ID_LENGTH = 10
# What the decimal columns hold: KoladaValue.value 14 digits with 4 decimals,
# Measurement.value 12 digits with 2 decimals; both leave 10 digits before the point.
TOO_LARGE = Decimal(10) ** 10
FOUR_PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")
LINKERS = {Role.QUALITY_COORDINATOR, Role.UNIT_MANAGER}
# A Kolada measurement is rewritten whole: no interval, no n, no person, no comment.
MEASUREMENT_FIELDS = [
    "period_start",
    "period_end",
    "value",
    "n",
    "low",
    "high",
    "source",
    "computed_at",
    "entered_by",
    "comment",
]

Key = tuple[str, str, int]  # (kpi, municipality, year)


def kolada_client() -> kolada.KoladaClient:
    """The client the command uses; tests replace this factory with one on recorded answers."""
    return kolada.KoladaClient()


class KoladaSyncError(Exception):
    """What was asked for cannot be fetched: no KPI with that title, no such group."""


@dataclass
class SyncReport:
    """What one sync fetched and stored, for the command to print."""

    kpis: list[kolada.Kpi]
    unknown: list[str]
    group: kolada.KoladaGroup | None
    municipalities: int
    years: list[int]
    from_date: dt.date | None = None
    stored: int = 0
    missing: int = 0
    deleted: int = 0
    skipped: int = 0
    measurements: int = 0
    versions: Counter[str] = field(default_factory=Counter)


# Choosing KPIs ---------------------------------------------------------------------------------


def default_years(today: dt.date | None = None) -> list[int]:
    """The last six years, this one included: a year Kolada has not published yet costs
    nothing to ask for, and some KPIs are published within their year."""
    year = (today or timezone.localdate()).year
    return list(range(year - YEARS_BY_DEFAULT + 1, year + 1))


def linked_kpi_ids() -> list[str]:
    """The Kolada KPIs that active indicators are linked to."""
    ids = (
        Indicator.objects.filter(active=True)
        .exclude(kolada_kpi="")
        .values_list("kolada_kpi", flat=True)
    )
    return sorted({kpi_id.strip().upper() for kpi_id in ids if kpi_id.strip()})


def find_kpis(
    client: kolada.KoladaClient, *, title: str, group_title: str = ""
) -> list[kolada.Kpi]:
    """The KPIs whose title contains `title`, narrowed to the members of the KPI groups whose
    title contains `group_title` when one is given. Raises KoladaSyncError when none, or
    too many to be meant, match."""
    title, group_title = title.strip(), group_title.strip()
    if not title:
        raise KoladaSyncError("Give the title (or part of it) of the Kolada KPI.")
    found = client.search_kpis(title)
    where = ""
    if group_title:
        groups = client.kpi_groups(group_title)
        if not groups:
            raise KoladaSyncError(f"Kolada has no KPI group whose title contains {group_title!r}.")
        members = {kpi_id for group in groups for kpi_id in group.member_ids}
        found = [kpi for kpi in found if kpi.id in members]
        where = f" in the KPI group {group_title!r}"
    if not found:
        raise KoladaSyncError(f"Kolada has no KPI whose title contains {title!r}{where}.")
    if len(found) > MAX_TITLE_MATCHES:
        raise KoladaSyncError(
            f"{len(found)} Kolada KPIs have a title containing {title!r}{where}; give more of "
            "the title, or a KPI group with --group-title."
        )
    return found


def choose_kpi(kpis: Sequence[kolada.Kpi], title: str) -> kolada.Kpi:
    """The one KPI meant by `title`: the only match, or the only one with exactly that title."""
    if len(kpis) == 1:
        return kpis[0]
    exact = [kpi for kpi in kpis if kpi.title.casefold() == title.strip().casefold()]
    if len(exact) == 1:
        return exact[0]
    listed = "; ".join(f"{kpi.id} {kpi.title}" for kpi in kpis)
    raise KoladaSyncError(
        f"{len(kpis)} Kolada KPIs match {title!r}; give the whole title of one: {listed}"
    )


@transaction.atomic
def kolada_link(*, indicator: Indicator, kpi_id: str, by: User | None) -> Indicator:
    """Link `indicator` to the Kolada KPI `kpi_id` (blank: unlink), so its page compares the
    own municipality with Riket, the group and all municipalities. `by` None is the system
    (the command); a person must be the unit's manager or a quality coordinator."""
    new = kpi_id.strip().upper()
    if new and not KPI_ID.fullmatch(new):
        raise ValidationError(
            _("A Kolada KPI id is a letter followed by letters or digits, such as U00437.")
        )
    if by is not None and not has_role_for(by, indicator.unit, LINKERS):
        raise PermissionDenied(
            _("Only the unit's manager or a quality coordinator may link its indicators to Kolada.")
        )
    old = indicator.kolada_kpi
    if old == new:
        return indicator
    indicator.kolada_kpi = new
    indicator.save(update_fields=["kolada_kpi"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj=indicator,
        unit=indicator.unit,
        changes={"kolada_kpi": {"from": old, "to": new}},
    )
    return indicator


# Fetching --------------------------------------------------------------------------------------


def kolada_sync(
    *,
    client: kolada.KoladaClient,
    years: Sequence[int],
    kpis: Sequence[kolada.Kpi] = (),
    kpi_ids: Iterable[str] = (),
    from_date: dt.date | None = None,
    stream: Writable | None = None,
) -> SyncReport:
    """Fetch `kpis` (found by title) and `kpi_ids` (e.g. `linked_kpi_ids()`) for `years` and
    store them. `from_date` fetches only what Kolada changed since that day; without it the
    stored figures of these KPIs and years are replaced by what Kolada returns now.
    Raises `kolada.KoladaError` when Kolada cannot be reached (nothing is changed then)."""
    years = sorted(set(years))
    chosen, unknown = _kpi_metadata(client, kpis, kpi_ids)
    group = _comparison_group(client) if chosen else None
    municipalities = _municipalities_asked(client, group) if chosen else []
    report = SyncReport(
        kpis=chosen,
        unknown=unknown,
        group=group,
        municipalities=len(municipalities),
        years=years,
        from_date=from_date,
    )
    if chosen and years:
        ids = [kpi.id for kpi in chosen]
        values = _fetch_values(client, ids, municipalities, years, from_date, stream)
        with transaction.atomic():
            now = timezone.now()
            _store_metadata(chosen, group, now)
            _store_values(report, values, ids, municipalities, now)
            report.measurements = _store_measurements(ids, years, now)
    report.versions.update(version for _path, version in client.answered)
    return report


def _kpi_metadata(
    client: kolada.KoladaClient, kpis: Sequence[kolada.Kpi], kpi_ids: Iterable[str]
) -> tuple[list[kolada.Kpi], list[str]]:
    """The KPIs to fetch, with their descriptions, and the ids Kolada does not know."""
    chosen = {kpi.id: kpi for kpi in kpis if len(kpi.id) <= KPI_ID_LENGTH}
    wanted = [i.strip().upper() for i in kpi_ids if i.strip() and i.strip().upper() not in chosen]
    if wanted:
        for kpi in client.kpis(wanted):
            if kpi.id in wanted:
                chosen.setdefault(kpi.id, kpi)
    unknown = sorted(set(wanted) - chosen.keys())
    return list(chosen.values()), unknown


def _comparison_group(client: kolada.KoladaClient) -> kolada.KoladaGroup | None:
    group_id = settings.SERVICENAV_KOLADA_GROUP.strip()
    if not group_id:
        return None
    if len(group_id) > KPI_ID_LENGTH:
        raise KoladaSyncError(f"SERVICENAV_KOLADA_GROUP {group_id!r} is not a Kolada group id.")
    group = client.municipality_group(group_id)
    if group is None:
        raise KoladaSyncError(
            f"Kolada has no municipality group {group_id!r} (SERVICENAV_KOLADA_GROUP)."
        )
    return group


def _own_municipality() -> str:
    own = settings.SERVICENAV_KOLADA_MUNICIPALITY.strip()
    if not own:
        raise KoladaSyncError("Set SERVICENAV_KOLADA_MUNICIPALITY to the own municipality's id.")
    return own


def _municipalities_asked(
    client: kolada.KoladaClient, group: kolada.KoladaGroup | None
) -> list[str]:
    """Every municipality, Riket, the own municipality and the group's members, sorted."""
    asked = {municipality.id for municipality in client.municipalities()}
    asked |= {kolada.RIKET, _own_municipality()}
    if group is not None:
        asked |= set(group.member_ids)
    return sorted(place for place in asked if 0 < len(place) <= MUNICIPALITY_ID_LENGTH)


def _fetch_values(
    client: kolada.KoladaClient,
    kpi_ids: list[str],
    municipalities: list[str],
    years: list[int],
    from_date: dt.date | None,
    stream: Writable | None,
) -> list[kolada.KoladaValue]:
    """All values, asked for 25 municipalities at a time (the client batches KPIs too)."""
    size = kolada.MAX_IDS_PER_CALL
    batches = [municipalities[i : i + size] for i in range(0, len(municipalities), size)]
    steps = batches if stream is None else progress(batches, label="Kolada", stream=stream)
    values: list[kolada.KoladaValue] = []
    for batch in steps:
        values.extend(client.values(kpi_ids, batch, years, from_date=from_date))
    return values


# Storing ---------------------------------------------------------------------------------------


def _store_metadata(
    kpis: Sequence[kolada.Kpi], group: kolada.KoladaGroup | None, now: dt.datetime
) -> None:
    for kpi in kpis:
        KoladaKpi.objects.update_or_create(
            id=kpi.id,
            defaults={
                "title": kpi.title[:500],
                "description": kpi.description,
                "operating_area": kpi.operating_area[:300],
                "demo": False,
                "fetched_at": now,
            },
        )
    if group is not None:
        KoladaGroup.objects.update_or_create(
            id=group.id,
            defaults={
                "title": group.title[:300],
                "members": group.member_ids,
                "demo": False,
                "fetched_at": now,
            },
        )


def _as_decimal(value: float | Decimal | None, places: Decimal) -> Decimal | None:
    """`value` rounded to `places`; None when there is none, or none that can be stored
    (too large, or not a number at all)."""
    if value is None:
        return None
    amount = Decimal(str(value))
    if not amount.is_finite() or abs(amount) >= TOO_LARGE:
        return None
    return amount.quantize(places)


def _sorted_out(
    values: Iterable[kolada.KoladaValue],
    kpi_ids: list[str],
    municipalities: list[str],
    years: list[int],
) -> tuple[dict[Key, kolada.KoladaValue], set[Key]]:
    """The values asked for, by key, and the keys Kolada marks deleted (a live row wins)."""
    kpis, places, periods = set(kpi_ids), set(municipalities), set(years)
    live: dict[Key, kolada.KoladaValue] = {}
    deleted: set[Key] = set()
    for value in values:
        if value.kpi not in kpis or value.municipality not in places or value.year not in periods:
            continue
        key = (value.kpi, value.municipality, value.year)
        if value.is_deleted:
            deleted.add(key)
        else:
            live[key] = value
    return live, deleted - live.keys()


def _store_values(
    report: SyncReport,
    values: list[kolada.KoladaValue],
    kpi_ids: list[str],
    municipalities: list[str],
    now: dt.datetime,
) -> None:
    """Upsert the live values and remove the deleted ones; a full sync also removes the
    stored values Kolada no longer returns, and the KPIs' demo figures."""
    live, deleted = _sorted_out(values, kpi_ids, municipalities, report.years)
    rows = []
    for (kpi, municipality, year), value in live.items():
        amount = _as_decimal(value.value, FOUR_PLACES)
        if value.value is not None and amount is None:
            report.skipped += 1
            continue
        if amount is None:
            report.missing += 1
        rows.append(
            KoladaValue(
                kpi=kpi,
                municipality=municipality,
                year=year,
                value=amount,
                count=max(value.count, 0),
                status=value.status[:20],
                demo=False,
                fetched_at=now,
            )
        )
    if report.from_date is None:
        report.deleted += KoladaValue.objects.filter(kpi__in=kpi_ids, demo=True).delete()[0]
        stored = KoladaValue.objects.filter(
            kpi__in=kpi_ids, year__in=report.years, municipality__in=municipalities
        ).values_list("kpi", "municipality", "year")
        deleted |= set(stored) - live.keys()
    report.deleted += _delete(deleted)
    KoladaValue.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["kpi", "municipality", "year"],
        update_fields=["value", "count", "status", "demo", "fetched_at"],
        batch_size=500,
    )
    report.stored = len(rows)


def _delete(keys: set[Key]) -> int:
    by_kpi_year: dict[tuple[str, int], list[str]] = defaultdict(list)
    for kpi, municipality, year in keys:
        by_kpi_year[kpi, year].append(municipality)
    return sum(
        KoladaValue.objects.filter(kpi=kpi, year=year, municipality__in=places).delete()[0]
        for (kpi, year), places in by_kpi_year.items()
    )


def _store_measurements(kpi_ids: list[str], years: list[int], now: dt.datetime) -> int:
    """Yearly measurements of the active Kolada-sourced indicators linked to these KPIs."""
    wanted = set(kpi_ids)
    indicators = (
        Indicator.objects.filter(active=True, source=Source.KOLADA)
        .exclude(kolada_kpi="")
        .select_related("unit")
    )
    return sum(
        _measure_from_kolada(indicator, years, now)
        for indicator in indicators
        if indicator.kolada_kpi.strip().upper() in wanted
    )


def _measure_from_kolada(indicator: Indicator, years: list[int], now: dt.datetime) -> int:
    """The owner unit's measurement for each year, from the own municipality's Kolada value
    (None where Kolada has no figure; removed where Kolada has no row). A measurement some
    other source wrote for the same year is left alone."""
    figures = dict(
        KoladaValue.objects.filter(
            kpi=indicator.kolada_kpi.strip().upper(),
            municipality=_own_municipality(),
            year__in=years,
        ).values_list("year", "value")
    )
    periods = [Period.containing(dt.date(year, 1, 1), PeriodKind.YEAR) for year in years]
    mine = Measurement.objects.filter(indicator=indicator, unit=indicator.unit)
    others = set(
        mine.filter(period__in=[p.code for p in periods])
        .exclude(source=Source.KOLADA)
        .values_list("period", flat=True)
    )
    rows = [
        Measurement(
            indicator=indicator,
            unit=indicator.unit,
            period=period.code,
            period_start=period.start,
            period_end=period.end,
            value=_as_decimal(figures[period.start.year], TWO_PLACES),
            source=Source.KOLADA,
            computed_at=now,
        )
        for period in periods
        if period.start.year in figures and period.code not in others
    ]
    gone = [p.code for p in periods if p.start.year not in figures]
    mine.filter(period__in=gone, source=Source.KOLADA).delete()
    Measurement.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["indicator", "unit", "period"],
        update_fields=MEASUREMENT_FIELDS,
    )
    return len(rows)
