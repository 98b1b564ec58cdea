"""The data dictionary: every dataset, its files and every column, in Swedish and English.
The open-data page shows it; `ordlista.json` gives it to programs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from servicenav.public.opendata import DATASETS, FORMATS
from servicenav.public.opendata.base import Dataset, in_both_languages
from servicenav.public.publisher import absolute


def file_path(dataset: Dataset, fmt: str) -> str:
    return reverse("opendata:file", kwargs={"slug": dataset.slug, "fmt": fmt})


def file_url(dataset: Dataset, fmt: str) -> str:
    """The file's absolute, stable address (the same in every language)."""
    return absolute(file_path(dataset, fmt))


def dictionary_path() -> str:
    return reverse("opendata:dictionary")


def minimums() -> dict[str, int]:
    return {
        "cases": int(settings.SERVICENAV_PUBLIC_MIN_CASES),
        "survey_answers": int(settings.SERVICENAV_SURVEY_MIN_ANSWERS),
    }


def dictionary() -> dict[str, Any]:
    """The data dictionary as a JSON document."""
    return {
        "license": settings.SERVICENAV_OPEN_DATA_LICENCE,
        "minimum": minimums(),
        "csv": {"encoding": "UTF-8 with byte-order mark", "delimiter": ",", "decimal": "."},
        "datasets": [
            {
                "slug": dataset.slug,
                "title": in_both_languages(dataset.title),
                "description": in_both_languages(dataset.description),
                "files": {fmt: file_url(dataset, fmt) for fmt in FORMATS},
                "columns": [
                    {
                        "name": column.name,
                        "type": column.type,
                        "description": in_both_languages(column.description),
                    }
                    for column in dataset.columns
                ],
            }
            for dataset in DATASETS
        ],
    }
