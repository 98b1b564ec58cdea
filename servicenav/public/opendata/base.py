"""What a dataset is, and how its rows become CSV and JSON.

A dataset is its columns (each described in words, for the data dictionary) and a function
that reads its rows as plain values: numbers, text, dates, booleans, None for no value.
The files are the same in every language: columns are named in English (a stable, machine
name), texts that exist in both languages come as two columns (`…_sv`, `…_en`), and codes
stand where a page would show a translated word.

CSV: comma-separated (RFC 4180), a point for decimals, UTF-8 with a byte-order mark so that
Excel shows å, ä and ö right (programs should read it as `utf-8-sig`); an empty cell is
no value, booleans are `true`/`false`, and a text cell a spreadsheet would run as a formula
is written as text (`surveys.exports.plain`).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicenav.core.periods import Period
from servicenav.organisation.models import Unit
from servicenav.surveys.exports import plain

Value = str | int | Decimal | float | bool | date | None
Row = dict[str, Value]

# EU vocabularies the catalogue uses for how often a dataset changes.
DAILY = "DAILY"
IRREGULAR = "IRREG"
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "integer", "number", "string", "boolean" or "date"
    description: Promise


@dataclass(frozen=True)
class Dataset:
    """One open dataset: `slug` names its files (`<slug>.csv`, `<slug>.json`)."""

    slug: str
    title: Promise
    description: Promise
    keywords: tuple[Promise, ...]
    columns: tuple[Column, ...]
    rows: Callable[[], list[Row]]
    # The first and last day the data covers; None when it has none yet.
    temporal: Callable[[], tuple[date, date] | None]
    periodicity: str = DAILY
    # Changes whenever the rows would: then they are kept in the cache meanwhile.
    stamp: Callable[[], str] | None = None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def cached(
    dataset: Dataset, fmt: str, render: Callable[[list[Row]], bytes], *, varies_with: str
) -> bytes:
    """The dataset's file in `fmt`, from the cache while its stamp and `varies_with` (what
    else goes into the file) are the same; a dataset without a stamp is read and rendered
    every time."""
    if dataset.stamp is None:
        return render(dataset.rows())
    digest = hashlib.sha256(varies_with.encode()).hexdigest()[:16]
    key = f"public:opendata:{dataset.slug}:{fmt}:{dataset.stamp()}:{digest}"
    body = cache.get(key)
    if body is None:
        body = render(dataset.rows())
        cache.set(key, body, CACHE_SECONDS)
    return body


def in_both_languages(text: Promise | str) -> dict[str, str]:
    """A translatable text in Swedish and in English, whatever language is active."""
    texts = {}
    for language in ("sv", "en"):
        with translation.override(language):
            texts[language] = str(text)
    return texts


def _number_text(value: Decimal | float) -> str:
    """A number without trailing zeros or exponent: 66.70 → "66.7", 100.00 → "100"."""
    return format(Decimal(str(value)).normalize(), "f")


def csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | float):
        return _number_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return str(plain(value))


def json_value(value: Value) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Value]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([csv_cell(row.get(name)) for name in columns] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_json(dataset: Dataset, rows: Iterable[Mapping[str, Value]], **about: Any) -> dict[str, Any]:
    """The dataset as a JSON document: what it is, its licence, then its rows."""
    names = dataset.column_names
    return {
        "dataset": dataset.slug,
        "title": in_both_languages(dataset.title),
        "description": in_both_languages(dataset.description),
        **about,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "columns": names,
        "rows": [{name: json_value(row.get(name)) for name in names} for row in rows],
    }


# --- Columns several datasets share --------------------------------------------------------

UNIT_COLUMNS = (
    Column("unit_id", "integer", _("The unit's number; stable, also when it is renamed.")),
    Column("unit_name_sv", "string", _("The unit's name in Swedish.")),
    Column("unit_name_en", "string", _("The unit's name in English.")),
    Column(
        "parent_unit_id",
        "integer",
        _("The number of the unit it belongs to; empty for the municipality itself."),
    ),
    Column(
        "unit_type",
        "string",
        _("kommun (the municipality), forvaltning, verksamhet or enhet (a team)."),
    ),
)


def period_kind_of(code: str) -> str:
    """month, quarter, tertial or year: the kind of the period with this code."""
    try:
        return Period.parse(code).kind.value
    except ValueError:
        return ""


def unit_cells(unit: Unit) -> Row:
    return {
        "unit_id": unit.pk,
        "unit_name_sv": unit.name_sv,
        "unit_name_en": unit.name_en,
        "parent_unit_id": unit.parent_id,
        "unit_type": unit.kind,
    }


PERIOD_COLUMNS = (
    Column("period_type", "string", _("month, quarter, tertial or year.")),
    Column(
        "period",
        "string",
        _("The period: 2026-03 (a month), 2026-Q1 (a quarter), 2026-T1 (a tertial), 2026."),
    ),
    Column("period_start", "date", _("The first day the figures cover.")),
    Column("period_end", "date", _("The last day the figures cover.")),
)
