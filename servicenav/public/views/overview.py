"""The public start page ("how we are doing": the municipality at a glance) and a unit's
page. No login; their content comes from the cache until a figure it shows changes
(`public.cache`), rendered per language; the header and the rest of the layout, which
depend on the visitor, are rendered every time. An unknown or closed-down unit is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from servicenav.organisation.models import Unit
from servicenav.public.cache import cached_page
from servicenav.public.figures import TOO_FEW
from servicenav.public.overview import start_page, unit_page

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from django.utils.safestring import SafeString


def _rendered(template: str, context: dict[str, object]) -> SafeString:
    """The page's content: a template's output, escaped as it was rendered (and so still
    marked safe when it comes back from the cache)."""
    content: SafeString = render_to_string(template, context | {"too_few": TOO_FEW})
    return content


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    content = cached_page(
        "overview",
        (),
        lambda: _rendered("public/overview_content.html", {"page": start_page()}),
    )
    return render(request, "public/overview.html", {"content": content})


@require_safe
def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), slug=slug, active=True)
    content = cached_page(
        "unit",
        (unit.pk,),
        lambda: _rendered("public/unit_content.html", {"page": unit_page(unit)}),
    )
    return render(request, "public/unit.html", {"unit": unit, "content": content})
