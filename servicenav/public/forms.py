"""The filters of the public statistics page: a GET form that works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicenav.core.periods import Period, PeriodKind
from servicenav.organisation.models import Unit
from servicenav.public.figures import ALL, KIND_CHOICES, Coverage

PERIOD_GROUPS = (
    (PeriodKind.YEAR, _("Years")),
    (PeriodKind.QUARTER, _("Quarters")),
    (PeriodKind.MONTH, _("Months")),
)


def period_choices(cover: Coverage) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods the figures cover, grouped: years, quarters, months, newest first."""
    return [
        (str(label), [(period.code, str(period.label)) for period in cover.periods(kind)])
        for kind, label in PERIOD_GROUPS
    ]


def unit_label(unit: Unit, top_depth: int) -> str:
    """The unit's name, indented by its depth so that the list reads as the tree."""
    return "\u00a0\u00a0\u00a0" * max(unit.depth - top_depth, 0) + unit.name


def defaults(units: list[Unit], cover: Coverage) -> dict[str, str]:
    """The municipality, every kind, the year of the last month counted."""
    return {"unit": str(units[0].pk), "kind": ALL, "period": str(cover.last.year)}


class StatisticsFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of feedback"), choices=KIND_CHOICES)
    period = forms.ChoiceField(label=_("Period"))

    def __init__(self, data: dict[str, Any], *, units: list[Unit], cover: Coverage) -> None:
        super().__init__(data)
        self.units = {unit.pk: unit for unit in units}
        top = min(unit.depth for unit in units)
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            (unit.pk, unit_label(unit, top)) for unit in units
        ]
        self.fields["period"].choices = period_choices(cover)  # type: ignore[attr-defined]

    def clean_unit(self) -> Unit:
        return self.units[self.cleaned_data["unit"]]

    def clean_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"])
