"""Reads for the network's pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from servicenav.network.models import ActionItem, DirectiveVersion, Meeting, Member, Report


def members() -> QuerySet[Member]:
    return Member.objects.select_related("user")


def current_directive() -> DirectiveVersion | None:
    return DirectiveVersion.objects.order_by("-number").first()


def meetings() -> QuerySet[Meeting]:
    return Meeting.objects.prefetch_related(
        "decisions", Prefetch("action_items", ActionItem.objects.select_related("owner"))
    )


def open_action_items() -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(status=ActionItem.Status.OPEN).select_related(
        "owner", "meeting"
    )


def reports() -> QuerySet[Report]:
    return Report.objects.defer("pdf_sv", "pdf_en", "figures").order_by("-period")
