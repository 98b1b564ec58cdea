"""The application's URLs plus the baselines under /bench/ (`bench.baselines`)."""

from __future__ import annotations

from django.urls import path

from bench import baselines
from servicenav.urls import urlpatterns as application

urlpatterns = [
    path("bench/constant/", baselines.constant, name="bench-constant"),
    path("bench/insert/", baselines.insert, name="bench-insert"),
    path("bench/select/<int:pk>/", baselines.select, name="bench-select"),
    *application,
]
