from __future__ import annotations

from django.contrib import admin

from servicenav.core.admin_site import GlobalAdministratorAdmin, ReadOnly
from servicenav.core.models import AuditEntry, ClosedDay, OutgoingEmail


@admin.register(ClosedDay)
class ClosedDayAdmin(GlobalAdministratorAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"


class ReadOnlyAdmin(ReadOnly, GlobalAdministratorAdmin):
    """Records the system writes; administrators look but never edit."""


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "unit"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status"]
