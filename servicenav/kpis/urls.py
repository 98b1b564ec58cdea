from __future__ import annotations

from django.urls import path

from servicenav.kpis.views import manual, staff

app_name = "kpis"
urlpatterns = [
    # Staff.
    path("personal/nyckeltal/", staff.indicator_list, name="staff-list"),
    path("personal/nyckeltal/ny/", staff.indicator_create, name="staff-create"),
    path("personal/nyckeltal/<int:pk>/", staff.indicator_detail, name="staff-detail"),
    path("personal/nyckeltal/<int:pk>/redigera/", staff.indicator_edit, name="staff-edit"),
    path("personal/nyckeltal/<int:pk>/aktiv/", staff.indicator_active, name="staff-active"),
    path("personal/nyckeltal/<int:pk>/mal/", staff.target_set, name="staff-target"),
    # Figures measured elsewhere, typed in or imported.
    path(
        "personal/nyckeltal/<int:pk>/matvarden/ny/",
        manual.measurement_enter,
        name="measurement-enter",
    ),
    path(
        "personal/nyckeltal/<int:pk>/import/",
        manual.measurement_import,
        name="measurement-import",
    ),
]
