from __future__ import annotations

from django.urls import path

from servicenav.improvement.views import library, public, staff

app_name = "improvement"
urlpatterns = [
    path("du-sa-vi-gjorde/", public.you_said_we_did, name="public-list"),
    path("personal/forbattring/", staff.action_list, name="staff-list"),
    path("personal/forbattring/ny/", staff.action_create, name="staff-create"),
    path("personal/forbattring/utan-atgard/", staff.feedback_without_action, name="unactioned"),
    path("personal/forbattring/teman/", library.theme_network, name="themes"),
    path("personal/forbattring/exempel/", library.example_list, name="examples"),
    path("personal/forbattring/exempel/ny/", library.example_create, name="example-create"),
    path(
        "personal/forbattring/exempel/<int:pk>/redigera/",
        library.example_edit,
        name="example-edit",
    ),
    path("personal/forbattring/arende/<int:pk>/teman/", library.case_themes, name="case-themes"),
    path(
        "personal/forbattring/omgang/<int:pk>/teman/", library.answer_themes, name="answer-themes"
    ),
    path("personal/forbattring/<int:pk>/", staff.action_detail, name="staff-detail"),
    path("personal/forbattring/<int:pk>/redigera/", staff.action_edit, name="staff-edit"),
    path("personal/forbattring/<int:pk>/status/", staff.action_status, name="staff-status"),
    path("personal/forbattring/<int:pk>/uppdatering/", staff.action_update, name="staff-update"),
    path("personal/forbattring/<int:pk>/koppla/", staff.action_link_case, name="staff-link"),
    path(
        "personal/forbattring/<int:pk>/koppla/<int:case_pk>/ta-bort/",
        staff.action_unlink_case,
        name="staff-unlink",
    ),
    path("personal/forbattring/<int:pk>/orsak/", staff.action_link_source, name="staff-source"),
    path("personal/forbattring/<int:pk>/publicera/", staff.action_publish, name="staff-publish"),
    path(
        "personal/forbattring/<int:pk>/goda-exempel/",
        library.example_from_action,
        name="example-from-action",
    ),
]
