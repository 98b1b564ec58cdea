from __future__ import annotations

from django.urls import path

from servicenav.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("personal/logg/", views.audit_log, name="audit-log"),
]
