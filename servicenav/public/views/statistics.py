"""The public feedback statistics page: no login, filters in the address (a GET form), the
figures as tables, the definitions beside them. Bad filters get a clear message and a 400,
never a guess and never an error page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render
from django.views.decorators.http import require_safe

from servicenav.public.figures import TOO_FEW, coverage, minimum_cases, public_units
from servicenav.public.forms import StatisticsFilterForm, defaults
from servicenav.public.opendata import FORMATS
from servicenav.public.opendata.dictionary import file_path
from servicenav.public.opendata.feedback import DATASET
from servicenav.public.overview.feedback import statistics_chart
from servicenav.public.selectors import statistics_page

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

TEMPLATE = "public/feedback_statistics.html"


@require_safe
def feedback_statistics(request: HttpRequest) -> HttpResponse:
    cover = coverage()
    units = public_units()
    context = {
        "cover": cover,
        "too_few": TOO_FEW,
        "minimum": minimum_cases(),
        "downloads": [(fmt.upper(), file_path(DATASET, fmt)) for fmt in FORMATS],
    }
    if cover is None or not units:
        return render(request, TEMPLATE, context | {"form": None, "page": None})
    form = StatisticsFilterForm(
        defaults(units, cover) | request.GET.dict(), units=units, cover=cover
    )
    if not form.is_valid():
        return render(request, TEMPLATE, context | {"form": form, "page": None}, status=400)
    page = statistics_page(
        form.cleaned_data["unit"], form.cleaned_data["kind"], form.cleaned_data["period"], cover
    )
    chart = statistics_chart(page)
    return render(request, TEMPLATE, context | {"form": form, "page": page, "chart": chart})
