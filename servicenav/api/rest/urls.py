"""The staff REST API, /api/v1/: cases, units, categories and (read-only) service
declarations, key performance indicators, their measurements and Kolada figures; its
OpenAPI schema and docs."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from servicenav.api.rest import schema as _schema  # noqa: F401  (registers the key scheme)
from servicenav.api.rest import views

app_name = "rest"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/reply/", views.CaseReplyView.as_view(), name="case-reply"),
    path("cases/<int:pk>/notes/", views.CaseNoteView.as_view(), name="case-notes"),
    path("cases/<int:pk>/status/", views.CaseStatusView.as_view(), name="case-status"),
    path("cases/<int:pk>/assign/", views.CaseAssignView.as_view(), name="case-assign"),
    path("cases/<int:pk>/move/", views.CaseMoveView.as_view(), name="case-move"),
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("declarations/", views.DeclarationListView.as_view(), name="declaration-list"),
    path(
        "declarations/<int:pk>/", views.DeclarationDetailView.as_view(), name="declaration-detail"
    ),
    path(
        "declarations/<int:pk>/follow-ups/",
        views.FollowUpListView.as_view(),
        name="declaration-follow-ups",
    ),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path("measurements/", views.MeasurementListView.as_view(), name="measurement-list"),
    path("kolada/values/", views.KoladaValueListView.as_view(), name="kolada-value-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="rest:schema"), name="docs"),
]
