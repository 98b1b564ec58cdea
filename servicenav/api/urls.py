"""Machine interfaces: Open311 GeoReport v2 for integrators, the REST API for staff tools.
Neither is translated by path; both sit outside the language prefixes."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("open311/v2/", include("servicenav.api.open311.urls")),
    path("api/v1/", include("servicenav.api.rest.urls")),
]
