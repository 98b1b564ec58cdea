"""The comparison page: pick a Kolada KPI that one of our active indicators is linked to
(a GET form, so it works without JavaScript and the address can be shared) and see the own
municipality against Riket and the comparison group's average over the years, as a chart
and a table, with Kolada named as the source. A KPI that is not in the list gets a clear
message and a 400."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from servicenav.public.overview import CompareChoice, compare_choices, compare_page

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

TEMPLATE = "public/compare.html"


class CompareForm(forms.Form):
    """The KPI to compare; no choice means the first in the list."""

    kpi = forms.ChoiceField(
        label=_("Key figure"),
        error_messages={
            "invalid_choice": _(
                "There is no comparison for that key figure. Choose one in the list."
            ),
        },
    )

    def __init__(self, data: dict[str, str], *, choices: list[CompareChoice]) -> None:
        super().__init__(data)
        self.fields["kpi"].choices = [(choice.kpi_id, choice.label) for choice in choices]  # type: ignore[attr-defined]


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    choices = compare_choices()
    if not choices:
        return render(request, TEMPLATE, {"form": None, "page": None})
    wanted = request.GET.get("kpi", "").strip().upper() or choices[0].kpi_id
    form = CompareForm({"kpi": wanted}, choices=choices)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form, "page": None}, status=400)
    choice = next(c for c in choices if c.kpi_id == form.cleaned_data["kpi"])
    return render(request, TEMPLATE, {"form": form, "page": compare_page(choice)})
