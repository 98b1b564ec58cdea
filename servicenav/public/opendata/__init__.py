"""Open data: every figure of the public site as a dataset, in CSV and JSON, at stable
addresses outside the language prefixes, described in a data dictionary and a DCAT-AP-SE
catalogue (`public.dcat`). See docs/open-data.md."""

from __future__ import annotations

from servicenav.public.opendata import declarations, feedback, kpis, surveys
from servicenav.public.opendata.base import Dataset

DATASETS: tuple[Dataset, ...] = (
    feedback.DATASET,
    kpis.MEASUREMENTS,
    kpis.DEFINITIONS,
    declarations.DATASET,
    surveys.DATASET,
)
BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
