"""The public pages, in Swedish at the root and in English under /en/ (`i18n_patterns`).
The open-data files are not here: see `data_urls`."""

from __future__ import annotations

from django.urls import path

from servicenav.public.views import compare, opendata, overview, statistics

app_name = "public"
urlpatterns = [
    path("statistik/synpunkter/", statistics.feedback_statistics, name="feedback-statistics"),
    path("oppna-data/", opendata.open_data, name="open-data"),
    path("sa-gar-det/", overview.overview, name="overview"),
    # Before the units' pages: no unit can be reached at "jamfor".
    path("sa-gar-det/jamfor/", compare.compare, name="compare"),
    path("sa-gar-det/<slug:slug>/", overview.unit_detail, name="unit"),
]
