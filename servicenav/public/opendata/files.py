"""A dataset's file, as the open-data address serves it: CSV, or JSON with what the data
is (title, licence, publisher, the minimums below which figures are suppressed, where the
data dictionary is) before its rows. Rendered in the site's default language, so that a
file is the same whatever language its reader prefers; kept in the cache while the data
behind it is the same (`Dataset.stamp`)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils import translation

from servicenav.public.opendata import FORMATS
from servicenav.public.opendata.base import Dataset, Row, cached, to_csv, to_json
from servicenav.public.opendata.dictionary import dictionary_path, minimums
from servicenav.public.publisher import absolute, municipality, municipality_name


def about() -> dict[str, Any]:
    """What a JSON file says about itself besides its title and rows."""
    return {
        "license": settings.SERVICENAV_OPEN_DATA_LICENCE,
        "publisher": municipality_name(municipality()),
        "data_dictionary": absolute(dictionary_path()),
        "minimum": minimums(),
    }


def render_file(dataset: Dataset, fmt: str) -> bytes:
    """The file of `dataset` in `fmt` ("csv" or "json")."""
    if fmt not in FORMATS:
        msg = f"No {fmt} files"
        raise ValueError(msg)
    with translation.override(settings.LANGUAGE_CODE):
        facts = about()

        def render(rows: list[Row]) -> bytes:
            if fmt == "csv":
                return to_csv(dataset.column_names, rows)
            document = to_json(dataset, rows, **facts)
            return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

        return cached(dataset, fmt, render, varies_with=json.dumps(facts, sort_keys=True))
