"""The network in the admin site, for global administrators (the network belongs to no
unit). Most of it is managed on the network's own pages, which keep its rules (one chair,
directive versions never changed, final reports immutable); here it is shown read-only.
Meetings' texts can be corrected, through the same audited service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from servicenav.core.admin import ReadOnlyAdmin
from servicenav.core.admin_site import AdministratorInline, GlobalAdministratorAdmin, ReadOnly
from servicenav.network import services
from servicenav.network.models import (
    ActionItem,
    ActionReminder,
    Decision,
    DirectiveVersion,
    Meeting,
    Member,
    Report,
)

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    """Added, removed and made chair on the network's page, which keeps one chair."""

    list_display = ["__str__", "is_chair", "joined_on"]
    list_select_related = ["user"]


@admin.register(DirectiveVersion)
class DirectiveVersionAdmin(ReadOnlyAdmin):
    """Versions never change: a new text is a new version, on the network's page."""

    list_display = ["number", "adopted_on", "adopted_by", "created_at"]


class DecisionInline(ReadOnly, AdministratorInline, admin.TabularInline):
    model = Decision
    fields = ["order", "text"]


class ActionItemInline(ReadOnly, AdministratorInline, admin.TabularInline):
    model = ActionItem
    fields = ["text", "owner", "due_on", "status", "done_on"]


@admin.register(Meeting)
class MeetingAdmin(GlobalAdministratorAdmin):
    """For corrections of the date, agenda and minutes; decisions and action items are
    recorded on the meeting's page. A meeting is history: it is not deleted."""

    list_display = ["held_on", "created_at"]
    date_hierarchy = "held_on"
    search_fields = ["agenda", "minutes"]
    fields = list(services.MEETING_FIELDS)
    inlines = [DecisionInline, ActionItemInline]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Meeting, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        if change:
            meeting = Meeting.objects.get(pk=obj.pk)
            services.meeting_update(meeting=meeting, by=request.user, **values)  # type: ignore[arg-type]
        else:
            created = services.meeting_create(by=request.user, **values)  # type: ignore[arg-type]
            obj.pk = created.pk


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    """Added and marked done on the meeting's page."""

    list_display = ["__str__", "owner", "due_on", "status", "meeting"]
    list_filter = ["status"]
    list_select_related = ["owner", "meeting"]


@admin.register(ActionReminder)
class ActionReminderAdmin(ReadOnlyAdmin):
    """Reminders that were sent: a record of what happened."""

    list_display = ["item", "stage", "sent_at"]
    list_filter = ["stage"]


@admin.register(Report)
class ReportAdmin(GlobalAdministratorAdmin):
    """Reports are started, written and marked final on their page. Here they are read;
    a draft (started for the wrong period, say) may be deleted, a final report never."""

    list_display = ["period", "status", "created_at", "finalised_at", "finalised_by"]
    list_filter = ["status"]
    fields = readonly_fields = (
        "period",
        "status",
        "summary",
        "conclusions",
        "created_by",
        "created_at",
        "finalise_requested_at",
        "finalise_failed_at",
        "finalised_at",
        "finalised_by",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return super().get_queryset(request).defer("figures", "pdf_sv", "pdf_en")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if isinstance(obj, Report) and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # The list's bulk delete would not ask about each report: one at a time only.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
