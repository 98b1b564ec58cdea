"""The public pages, in Swedish at the root and in English under /en/ (`i18n_patterns`).
The open-data files are not here: see `data_urls`."""

from __future__ import annotations

from django.urls import path

from servicenav.public.views import opendata, statistics

app_name = "public"
urlpatterns = [
    path("statistik/synpunkter/", statistics.feedback_statistics, name="feedback-statistics"),
    path("oppna-data/", opendata.open_data, name="open-data"),
]
