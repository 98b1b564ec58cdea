from __future__ import annotations

from django.urls import path

from servicenav.declarations.views import public, staff, staff_follow_up

app_name = "declarations"
urlpatterns = [
    # Public, no login.
    path("servicedeklarationer/", public.declaration_list, name="list"),
    path("servicedeklarationer/<int:pk>/", public.declaration_detail, name="detail"),
    path(
        "servicedeklarationer/<int:pk>/version/<int:number>/",
        public.version_detail,
        name="version",
    ),
    # Staff.
    path("personal/deklarationer/", staff.declaration_list, name="staff-list"),
    path("personal/deklarationer/ny/", staff.declaration_create, name="staff-create"),
    path("personal/deklarationer/<int:pk>/", staff.declaration_detail, name="staff-detail"),
    path("personal/deklarationer/<int:pk>/redigera/", staff.version_edit, name="staff-edit"),
    path(
        "personal/deklarationer/<int:pk>/uppfoljning/",
        staff_follow_up.follow_up,
        name="staff-follow-up",
    ),
    path(
        "personal/deklarationer/<int:pk>/<slug:action>/",
        staff.declaration_action,
        name="staff-action",
    ),
]
