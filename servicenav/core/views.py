from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicenav.core.forms import AuditFilterForm
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import ServiceValue

AUDIT_PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"values": ServiceValue.objects.all()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.visible_to(request.user).select_related("content_type", "unit")
    if form.is_valid():
        if form.cleaned_data["object_type"]:
            entries = entries.filter(content_type=form.cleaned_data["object_type"])
        if form.cleaned_data["object_id"]:
            entries = entries.filter(object_id=form.cleaned_data["object_id"])
        if form.cleaned_data["person"]:
            entries = entries.filter(actor=form.cleaned_data["person"])
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "core/audit_log.html", {"form": form, "page": page})
