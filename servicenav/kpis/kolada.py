"""A small client for Kolada's public REST API: v3 first, v2 as fallback.

Pure: no Django models and no database, so the ``kolada_sync`` command (and tests, through an
injected ``fetch``) can use it as is. Shapes are those of the Kolada API v2 README and the v3
payloads current clients see: an envelope ``{"values": [...], "next_url" | "next_page": ...}``,
and data rows whose ``values`` hold one entry per gender (T total, K women, M men).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

RIKET = "0000"
MAX_IDS_PER_CALL = 25
PER_PAGE = 5000
MAX_PAGES = 1000
TOTAL_GENDER = "T"
MUNICIPALITY = "K"
# What makes one version's answer unusable: URLError/HTTPError/timeouts are OSError, bad JSON
# and KoladaShapeError are ValueError, and a wrongly typed field surfaces as TypeError.
_FAILURES = (OSError, ValueError, TypeError)

Fetch = Callable[[str], dict[str, Any]]
T = TypeVar("T")


class KoladaError(Exception):
    """Kolada could not answer a request on either API version."""


class KoladaShapeError(ValueError):
    """A response did not have the shape Kolada documents."""


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    description: str
    operating_area: str
    is_divided_by_gender: bool
    publication_date: dt.date | None


@dataclass(frozen=True)
class GroupMember:
    id: str
    title: str


@dataclass(frozen=True)
class KoladaGroup:
    """A KPI group or a municipality group, with its members in Kolada's order."""

    id: str
    title: str
    members: tuple[GroupMember, ...]

    @property
    def member_ids(self) -> list[str]:
        return [member.id for member in self.members]


@dataclass(frozen=True)
class Municipality:
    """A municipality (type ``K``) or region (``L``, older ``R``; Riket ``0000`` is ``L``)."""

    id: str
    title: str
    type: str


@dataclass(frozen=True)
class KoladaValue:
    """The total (gender ``T``) of one KPI for one municipality or group and one year.

    ``count`` is the number of members behind a group's unweighted average (1 for a single
    municipality); ``status`` is Kolada's flag, often empty.
    """

    kpi: str
    municipality: str
    year: int
    value: float | None
    count: int
    status: str
    is_deleted: bool


def urllib_fetch(url: str, *, timeout: float = 20) -> dict[str, Any]:
    """GET ``url`` and decode its JSON body; raises ``URLError``/``HTTPError``/``ValueError``."""
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"Not an http(s) URL: {url}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, headers={"Accept": "application/json", "User-Agent": "servicenav-kolada"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        payload: dict[str, Any] = json.load(response)
    return payload


class KoladaClient:
    """Reads Kolada; every call tries v3, then the same path on v2.

    ``answered`` records, per call, the path and the version (``"v3"`` or ``"v2"``) that
    answered it, so a sync can report when it ran on the fallback.
    """

    def __init__(
        self,
        fetch: Fetch | None = None,
        base_v3: str = "https://api.kolada.se/v3",
        base_v2: str = "https://api.kolada.se/v2",
        timeout: float = 20,
    ) -> None:
        self._fetch: Fetch = fetch or (lambda url: urllib_fetch(url, timeout=timeout))
        self._bases = (("v3", base_v3.rstrip("/")), ("v2", base_v2.rstrip("/")))
        self.answered: list[tuple[str, str]] = []

    @property
    def last_version(self) -> str | None:
        return self.answered[-1][1] if self.answered else None

    # Metadata -------------------------------------------------------------------------------

    def search_kpis(self, title: str) -> list[Kpi]:
        return self._get("/kpi", {"title": title}, _parse_kpi)

    def kpis(self, kpi_ids: Iterable[str]) -> list[Kpi]:
        """The KPIs with these ids (unknown ids are simply absent), at most 25 per call."""
        result: list[Kpi] = []
        for batch in _batches(kpi_ids):
            result.extend(self._get(f"/kpi/{_join(batch)}", {}, _parse_kpi))
        return result

    def kpi_groups(self, title: str) -> list[KoladaGroup]:
        return self._get("/kpi_groups", {"title": title}, _parse_group)

    def municipality_groups(self, title: str) -> list[KoladaGroup]:
        return self._get("/municipality_groups", {"title": title}, _parse_group)

    def municipality_group(self, group_id: str) -> KoladaGroup | None:
        """The municipality group with this id, or None when Kolada has none."""
        found = self._get(f"/municipality_groups/{_join([group_id])}", {}, _parse_group)
        return next((group for group in found if group.id == group_id), None)

    def municipalities(self, kind: str = MUNICIPALITY) -> list[Municipality]:
        """Every municipality of ``kind`` (``K``: the 290 kommuner), in Kolada's order.

        The type is asked for and checked again on each row that states one, so a version
        that ignores the query parameter still yields only that kind.
        """
        found = self._get("/municipality", {"type": kind}, _parse_municipality)
        return [m for m in found if m.type in {kind, ""}]

    # Data -----------------------------------------------------------------------------------

    def values(
        self,
        kpi_ids: Iterable[str],
        municipality_ids: Iterable[str],
        years: Iterable[int | str],
        *,
        from_date: dt.date | None = None,
    ) -> list[KoladaValue]:
        """Totals for every KPI × municipality × year Kolada has, at most 25 ids per call.

        ``from_date`` asks only for changes since that day (rows may then be ``is_deleted``).
        """
        year_part = ",".join(dict.fromkeys(str(year) for year in years))
        if not year_part:
            return []
        params = {"from_date": from_date.isoformat()} if from_date else {}
        result: list[KoladaValue] = []
        for kpis in _batches(kpi_ids):
            for municipalities in _batches(municipality_ids):
                path = (
                    f"/data/kpi/{_join(kpis)}/municipality/{_join(municipalities)}"
                    f"/year/{urllib.parse.quote(year_part, safe=',')}"
                )
                result.extend(self._get(path, params, _parse_value))
        return result

    # Transport ------------------------------------------------------------------------------

    def _get(
        self, path: str, params: dict[str, str], parse: Callable[[dict[str, Any]], T | None]
    ) -> list[T]:
        """Every row of ``path`` over all pages, parsed (None rows dropped), from v3 or v2.

        A version whose pages fail to arrive, decode or parse is dropped as a whole.
        """
        query = urllib.parse.urlencode(
            {**params, "per_page": PER_PAGE}, quote_via=urllib.parse.quote
        )
        errors: list[str] = []
        for version, base in self._bases:
            try:
                parsed = [parse(row) for row in self._pages(f"{base}{path}?{query}")]
            except _FAILURES as exc:
                errors.append(f"{version}: {exc!r}")
                continue
            self.answered.append((path, version))
            return [item for item in parsed if item is not None]
        raise KoladaError(f"Kolada did not answer {path} ({'; '.join(errors)})")

    def _pages(self, url: str) -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen or len(seen) >= MAX_PAGES:
                raise KoladaShapeError(f"Paging does not end (at {next_url})")
            seen.add(next_url)
            page = self._fetch(next_url)
            if not isinstance(page, dict) or not isinstance(page.get("values"), list):
                raise KoladaShapeError(f"No 'values' list in the response to {next_url}")
            for row in page["values"]:
                if not isinstance(row, dict):
                    raise KoladaShapeError(f"A row is not an object in {next_url}")
                yield row
            following = page.get("next_url") or page.get("next_page")
            next_url = urllib.parse.urljoin(next_url, following) if following else None


# Parsing --------------------------------------------------------------------------------------


def _batches(ids: Iterable[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(str(i).strip() for i in ids if str(i).strip()))
    for start in range(0, len(unique), MAX_IDS_PER_CALL):
        yield unique[start : start + MAX_IDS_PER_CALL]


def _join(ids: Sequence[str]) -> str:
    return ",".join(urllib.parse.quote(i, safe="") for i in ids)


def _as_bool(raw: object) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() in {"1", "true", "yes"}
    return bool(raw)


def _as_date(raw: object) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(str(raw)[:10])
    except ValueError:
        return None


def _require(row: dict[str, Any], key: str) -> str:
    raw = row.get(key)
    if raw is None or raw == "":
        raise KoladaShapeError(f"Missing {key!r} in {row!r}")
    return str(raw)


def _parse_kpi(row: dict[str, Any]) -> Kpi:
    return Kpi(
        id=_require(row, "id"),
        title=_require(row, "title"),
        description=str(row.get("description") or ""),
        operating_area=str(row.get("operating_area") or ""),
        is_divided_by_gender=_as_bool(row.get("is_divided_by_gender")),
        publication_date=_as_date(row.get("publication_date")),
    )


def _parse_group(row: dict[str, Any]) -> KoladaGroup:
    members = row.get("members") or []
    if not isinstance(members, list):
        raise KoladaShapeError(f"'members' is not a list in {row!r}")
    return KoladaGroup(
        id=_require(row, "id"),
        title=_require(row, "title"),
        members=tuple(
            GroupMember(
                id=str(member.get("id") or member.get("member_id") or ""),
                title=str(member.get("title") or member.get("member_title") or ""),
            )
            for member in members
            if isinstance(member, dict)
        ),
    )


def _parse_municipality(row: dict[str, Any]) -> Municipality:
    return Municipality(
        id=_require(row, "id"),
        title=str(row.get("title") or ""),
        type=str(row.get("type") or "").strip().upper(),
    )


def _parse_year(raw: object) -> int:
    try:
        return int(str(raw).strip())
    except ValueError:
        raise KoladaShapeError(f"Period {raw!r} is not a year") from None


def _parse_value(row: dict[str, Any]) -> KoladaValue | None:
    """The row's gender-T entry as a value, or None when the row has no total."""
    kpi, municipality = _require(row, "kpi"), _require(row, "municipality")
    year = _parse_year(row.get("period"))
    entries = row.get("values")
    if not isinstance(entries, list):
        raise KoladaShapeError(f"No 'values' list in data row {row!r}")
    total = next(
        (e for e in entries if isinstance(e, dict) and e.get("gender") == TOTAL_GENDER), None
    )
    if total is None:
        return None
    raw_value = total.get("value")
    deleted = next(
        (src[key] for src in (row, total) for key in ("is_deleted", "isdeleted") if key in src),
        False,
    )
    return KoladaValue(
        kpi=kpi,
        municipality=municipality,
        year=year,
        value=None if raw_value is None else float(raw_value),
        count=int(total.get("count") or 0),
        status=str(total.get("status") or ""),
        is_deleted=_as_bool(deleted),
    )
