"""Forms of the staff pages of key performance indicators: an indicator's definition, its
target for a year, and switching it on or off.

The forms check what a person can put right in the form (a missing limit in days, survey
parameters of the wrong shape, a code already used in the unit); the services check the
rest (the unit's limit of active indicators, who may go past it), and the views show their
refusals in the same form."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from servicenav.cases.forms_staff import UnitChoiceField
from servicenav.core.periods import PeriodKind
from servicenav.kpis.models import Indicator, Source, Statistic
from servicenav.organisation.models import Unit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

# The statistics that count a share within a number of working days: they need one.
WITHIN_STATISTICS = frozenset(
    {Statistic.SHARE_ACKNOWLEDGED_WITHIN, Statistic.SHARE_ANSWERED_WITHIN}
)
INDICATOR_FIELDS = [
    "code",
    "name_sv",
    "name_en",
    "kind",
    "definition_sv",
    "definition_en",
    "source",
    "statistic",
    "unit_of_measure",
    "higher_is_better",
    "period_kind",
    "min_cases",
    "kolada_kpi",
]
KOLADA_ID = re.compile(r"[A-Z][0-9]{5}")
SURVEY_KEYS = frozenset({"survey", "question", "area", "measure", "top"})
MOST_LIMIT_DAYS = 365


def _capitalise_choices(form: forms.BaseForm) -> None:
    """Choice labels as they start a sentence, like the other staff forms."""
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = cast("Iterable[tuple[Any, Any]]", field.choices)
            field.choices = [(value, capfirst(label)) for value, label in choices]


def _positive_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def survey_params_problem(params: object) -> str:
    """Why `params` are not the parameters of a survey-sourced indicator ("" when they
    are): {"survey": id, "question": id, "measure": "index" | "share", "top": k} or
    {"survey": id, "area": id, "measure": "index"}."""
    if not isinstance(params, dict):
        return str(_('Write the parameters as an object, e.g. {"survey": 3, "question": 12}.'))
    if unknown := sorted(set(params) - SURVEY_KEYS):
        return str(_("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)})
    if not _positive_id(params.get("survey")):
        return str(_('Give the survey\'s number as "survey".'))
    if ("question" in params) == ("area" in params):
        return str(_('Give either a "question" or an "area", not both.'))
    if not _positive_id(params.get("question", params.get("area"))):
        return str(_("The question or area must be given by its number."))
    measure = params.get("measure", "index")
    if measure not in {"index", "share"}:
        return str(_('"measure" is "index" or "share".'))
    if "area" in params and measure != "index":
        return str(_("An area is measured by its index."))
    if "top" in params and (measure != "share" or not _positive_id(params["top"])):
        return str(_('"top" is a whole number of scale steps, for a share only.'))
    return ""


class OptionalJSONField(forms.JSONField):
    """A JSON field that shows nothing, rather than "null", when it holds nothing."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)


class IndicatorForm(forms.ModelForm[Indicator]):
    """An indicator's definition. `params` are entered as simple fields: the limit in
    days for the "within" statistics, a small JSON object for survey-sourced ones.

    Bound to a copy of the indicator when editing, so that validating never changes the
    indicator the service compares against."""

    limit_days = forms.IntegerField(
        label=_("Limit in working days"),
        required=False,
        min_value=0,
        max_value=MOST_LIMIT_DAYS,
        help_text=_("For the statistics that count a share within a number of working days."),
    )
    survey_params = OptionalJSONField(
        label=_("Survey parameters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            'For indicators computed from surveys, e.g. {"survey": 3, "question": 12, '
            '"measure": "share", "top": 2} or {"survey": 3, "area": 4, "measure": "index"}.'
        ),
    )

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        widgets = {
            "definition_sv": forms.Textarea(attrs={"rows": 4}),
            "definition_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _capitalise_choices(self)
        self.order_fields([*INDICATOR_FIELDS[:8], "limit_days", "survey_params"])
        params = self.instance.params or {}
        if self.instance.source == Source.SURVEYS:
            self.initial.setdefault("survey_params", params)
        self.initial.setdefault("limit_days", params.get("limit_days"))
        self.fields["definition_sv"].help_text = _(
            "What is counted: the start event, the stop event, the population, the "
            "statistic and the period."
        )

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code") or "")
        instance = self.instance
        if instance.pk is not None and code:
            taken = Indicator.objects.filter(unit_id=instance.unit_id, code=code)
            if taken.exclude(pk=instance.pk).exists():
                raise forms.ValidationError(_("The unit already has an indicator with this code."))
        return code

    def clean_kolada_kpi(self) -> str:
        value = str(self.cleaned_data.get("kolada_kpi") or "").strip().upper()
        if value and not KOLADA_ID.fullmatch(value):
            raise forms.ValidationError(
                _("A Kolada KPI id is a letter and five digits, e.g. U00401.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source, statistic = data.get("source"), data.get("statistic")
        if source == Source.CASES and not statistic:
            self.add_error("statistic", _("Choose the statistic computed from the cases."))
        if source and source != Source.CASES and statistic:
            self.add_error("statistic", _("Only indicators computed from cases have a statistic."))
        if statistic in WITHIN_STATISTICS and data.get("limit_days") is None:
            self.add_error("limit_days", _("Give the limit in working days for this statistic."))
        if source == Source.KOLADA:
            self._check_kolada(data)
        survey_params = data.get("survey_params")
        if source == Source.SURVEYS:
            if problem := survey_params_problem(survey_params):
                self.add_error("survey_params", problem)
        elif survey_params not in (None, {}, ""):
            self.add_error("survey_params", _("Only indicators computed from surveys have these."))
        return data

    def _check_kolada(self, data: dict[str, Any]) -> None:
        """An indicator sourced from Kolada takes the yearly figures of its Kolada KPI."""
        if "kolada_kpi" in data and not data["kolada_kpi"]:
            self.add_error("kolada_kpi", _("Give the Kolada KPI the figures come from."))
        if data.get("period_kind") not in (None, PeriodKind.YEAR.value):
            self.add_error("period_kind", _("Kolada publishes yearly figures: choose year."))

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["source"] == Source.SURVEYS:
            return dict(data["survey_params"])
        if data["statistic"] in WITHIN_STATISTICS:
            return {"limit_days": data["limit_days"]}
        return {}

    def indicator_fields(self) -> dict[str, Any]:
        """The fields to give the services, `params` built from the simple fields."""
        return {name: self.cleaned_data[name] for name in INDICATOR_FIELDS} | {
            "params": self.params()
        }


class IndicatorCreateForm(IndicatorForm):
    """A new indicator: its owner among the units the person manages, and, when a unit
    the person coordinates has reached its limit, the reason to go past it."""

    unit = UnitChoiceField(label=_("Owner"), queryset=Unit.objects.none())
    reason = forms.CharField(
        label=_("Why this indicator is needed too"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only when the unit has reached its limit of active indicators. Only a quality "
            "coordinator may go past the limit, and the reason is kept with the indicator."
        ),
    )

    class Meta(IndicatorForm.Meta):
        fields = ["unit", *INDICATOR_FIELDS]

    def __init__(self, *args: Any, units: QuerySet[Unit], with_reason: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.order_fields(["unit", *(name for name in self.fields if name != "reason"), "reason"])
        if not with_reason:
            del self.fields["reason"]

    def exception_reason(self) -> str:
        return str(self.cleaned_data.get("reason") or "")


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)


class ActiveForm(forms.Form):
    """Switch an indicator on or off; on past the unit's limit needs a coordinator's
    reason."""

    active = forms.TypedChoiceField(
        choices=[("1", "on"), ("0", "off")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Why this indicator is needed too"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The unit has reached its limit of active indicators. Only a quality coordinator "
            "may go past it, and the reason is kept with the indicator."
        ),
    )
