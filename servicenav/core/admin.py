from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from servicenav.core.admin_site import GlobalAdministratorAdmin
from servicenav.core.models import AuditEntry, ClosedDay, OutgoingEmail


@admin.register(ClosedDay)
class ClosedDayAdmin(GlobalAdministratorAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"


class ReadOnlyAdmin(GlobalAdministratorAdmin):
    """Records the system writes; administrators look but never edit."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "unit"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status"]
