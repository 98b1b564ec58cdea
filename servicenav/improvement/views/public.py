"""The public "du sa – vi gjorde": done actions staff published, in their own words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render

from servicenav.improvement import forms as f
from servicenav.improvement.selectors import published_actions

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def you_said_we_did(request: HttpRequest) -> HttpResponse:
    form = f.PublicFilterForm(request.GET or None)
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    context = {"form": form, "actions": published_actions(unit=unit), "unit": unit}
    return render(
        request, "improvement/public/list.html", context, status=400 if form.errors else 200
    )
