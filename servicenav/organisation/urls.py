from __future__ import annotations

from django.urls import path

from servicenav.organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.staff_home, name="staff-home"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit-detail"),
]
