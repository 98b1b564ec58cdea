"""The analysis of a round: the staff report with every figure, its margin of error, the
change since another round and the priority matrix. Readers of the survey's unit see it;
everyone else gets a 404. It is one printable page that works without JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from servicenav.surveys import analysis_export
from servicenav.surveys.access import get_round_for_user
from servicenav.surveys.analysis import Report, other_rounds, previous_round, round_report
from servicenav.surveys.charts import priority_matrix_svg
from servicenav.surveys.models import Round

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import QuerySet


class RoundChoiceField(forms.ModelChoiceField[Round]):
    def label_from_instance(self, obj: Round) -> str:
        return obj.name


class CompareForm(forms.Form):
    """Which earlier (or later) round of the same survey to compare with."""

    compare = RoundChoiceField(
        label=_("Compare with round"),
        queryset=Round.objects.none(),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args: object, rounds: QuerySet[Round], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["compare"]
        assert isinstance(field, RoundChoiceField)  # noqa: S101 - narrows the type
        field.queryset = rounds.order_by("-opens_on", "-pk")


def _compared(
    request: HttpRequest, round: Round
) -> tuple[CompareForm, QuerySet[Round], Round | None]:
    """The `?compare=` form, the rounds it offers and the round to compare with: the one
    chosen, or the previous round when none (or an unknown one) is."""
    rounds = other_rounds(round)
    default = previous_round(round)
    form = CompareForm(request.GET or None, initial={"compare": default}, rounds=rounds)
    compared = (form.cleaned_data["compare"] if form.is_valid() else None) or default
    return form, rounds, compared


@login_required
def round_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_for_user(request.user, pk)
    form, rounds, compared = _compared(request, round)
    report = round_report(round, compared)
    priority = report.analysis.priority
    return render(
        request,
        "surveys/staff/analysis.html",
        {
            "survey": round.survey,
            "round": round,
            "report": report,
            "analysis": report.analysis,
            "compare_form": form if rounds.exists() else None,
            "priority_svg": priority_matrix_svg(priority) if priority else "",
        },
    )


EXPORTS: dict[str, tuple[str, Callable[[Report], bytes]]] = {
    "csv": ("text/csv; charset=utf-8", analysis_export.analysis_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        analysis_export.analysis_xlsx,
    ),
    "pdf": ("application/pdf", analysis_export.analysis_pdf),
}


@login_required
@never_cache
def round_analysis_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The analysis as a file: CSV, Excel or PDF, compared as the page is (`?compare=`)."""
    if fmt not in EXPORTS:
        raise Http404
    round = get_round_for_user(request.user, pk)
    _form, _rounds, compared = _compared(request, round)
    content_type, write = EXPORTS[fmt]
    response = HttpResponse(write(round_report(round, compared)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="analys-{round.pk}.{fmt}"'
    return response
