"""The public pages of service declarations, no login: every declaration in force, one
declaration with its promises and how they were kept, and any version that was ever in
force (the history stays readable, so anyone can see what was promised on a given day).
Only published and archived versions are shown, and nothing that names staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from servicenav.declarations.selectors import (
    current_version,
    is_under_review,
    public_promises,
    public_version,
    published_by_unit,
    version_history,
)

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def declaration_list(request: HttpRequest) -> HttpResponse:
    context = {"groups": published_by_unit(today=timezone.localdate())}
    return render(request, "declarations/public/list.html", context)


def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = current_version(pk)
    if version is None:
        raise Http404
    today = timezone.localdate()
    context = {
        "version": version,
        "promises": public_promises(version, today=today),
        "under_review": is_under_review(version, today=today),
        "history": version_history(pk),
    }
    return render(request, "declarations/public/detail.html", context)


def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = public_version(pk, number)
    if version is None:
        raise Http404
    context = {
        "version": version,
        "commitments": version.commitments.all(),
        "current": current_version(pk),
    }
    return render(request, "declarations/public/version.html", context)
