from __future__ import annotations

from django.urls import path

from servicenav.network.views import reports, staff

app_name = "network"
urlpatterns = [
    path("personal/natverket/", staff.home, name="home"),
    path("personal/natverket/medlemmar/<slug:action>/", staff.member_action, name="members"),
    path("personal/natverket/direktiv/", staff.directive, name="directive"),
    path("personal/natverket/direktiv/ny/", staff.directive_new, name="directive-new"),
    path("personal/natverket/direktiv/<int:number>/", staff.directive, name="directive-version"),
    path("personal/natverket/moten/ny/", staff.meeting_create, name="meeting-create"),
    path("personal/natverket/moten/<int:pk>/", staff.meeting_detail, name="meeting"),
    path(
        "personal/natverket/atgarder/<int:pk>/status/",
        staff.action_item_status,
        name="action-item-status",
    ),
    path("personal/natverket/rapporter/ny/", reports.report_create, name="report-create"),
    path("personal/natverket/rapporter/<int:pk>/", reports.report_detail, name="report"),
    path(
        "personal/natverket/rapporter/<int:pk>/slutfor/",
        reports.report_finalise,
        name="report-finalise",
    ),
    path(
        "personal/natverket/rapporter/<int:pk>/pdf/<slug:language>/",
        reports.report_pdf_view,
        name="report-pdf",
    ),
]
