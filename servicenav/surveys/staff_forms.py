"""Forms of the staff side of surveys: building questions (also used by the admin site),
new rounds, rewording, invitations, conclusions, focus groups, themes and quotes.

Forms only parse input; every write goes through `surveys.services`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from servicenav.cases.forms_staff import DateInput, UnitChoiceField
from servicenav.organisation.models import Unit
from servicenav.surveys.access import RUNNERS
from servicenav.surveys.models import Conclusion, FocusGroup, Question, Survey
from servicenav.surveys.services import MAX_INVITATIONS, MAX_QUOTE

if TYPE_CHECKING:
    from django.db import models
    from django.db.models import QuerySet

    from servicenav.organisation.models import User

Options = list[dict[str, str]]
SCALE_CHOICES = [(5, "1–5"), (7, "1–7"), (10, "1–10")]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class OptionsField(forms.CharField):
    """A choice question's options, one per line, "Swedish | English"; stored as
    `Question.options` ([{"sv": …, "en": …}, …])."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Options"))
        kwargs.setdefault(
            "help_text",
            _("One option per line, Swedish first, then “|” and English: “Ja, ofta | Yes, often”."),
        )
        kwargs.setdefault("widget", _textarea(5))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(
                f"{option.get('sv', '')} | {option['en']}" if option.get("en") else option["sv"]
                for option in value
            )
        return value

    def to_python(self, value: Any) -> Options:  # type: ignore[override]
        if isinstance(value, list):
            return value
        options: Options = []
        for line in str(value or "").splitlines():
            swedish, _bar, english = line.partition("|")
            swedish, english = swedish.strip(), english.strip()
            if not swedish and not english:
                continue
            if not swedish:
                raise ValidationError(_("Every option needs its Swedish text."))
            options.append({"sv": swedish, "en": english})
        return options


def check_question(
    *,
    kind: str,
    scale_max: int | None,
    options: Options,
    is_background: bool = False,
    is_overall: bool = False,
) -> dict[str, ValidationError]:
    """What is wrong with a question's settings, by field."""
    errors: dict[str, ValidationError] = {}
    if kind == Question.Kind.SCALE and not scale_max:
        errors["scale_max"] = ValidationError(_("Choose the length of the scale."))
    if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE} and len(options) < 2:
        errors["options"] = ValidationError(_("A choice question needs at least two options."))
    if is_overall and kind != Question.Kind.SCALE:
        errors["is_overall"] = ValidationError(
            _("Only a scale question can be an overall question.")
        )
    if is_background and kind not in {Question.Kind.SINGLE, Question.Kind.YES_NO}:
        errors["is_background"] = ValidationError(
            _("A background question is a single-choice or yes/no question.")
        )
    return errors


class QuestionForm(forms.ModelForm[Question]):
    """A question as built in the admin site."""

    options = OptionsField()

    class Meta:
        model = Question
        fields = [
            "order",
            "area",
            "kind",
            "text_sv",
            "text_en",
            "scale_max",
            "low_label_sv",
            "low_label_en",
            "high_label_sv",
            "high_label_en",
            "allows_dont_know",
            "options",
            "is_background",
            "is_overall",
            "required",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind:
            if kind not in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
                data["options"] = []
            if kind != Question.Kind.SCALE:
                data["scale_max"] = None
            problems = check_question(
                kind=kind,
                scale_max=data.get("scale_max"),
                options=data.get("options") or [],
                is_background=bool(data.get("is_background")),
                is_overall=bool(data.get("is_overall")),
            )
            for name, error in problems.items():
                self.add_error(name, error)
        return data


class RewordForm(forms.Form):
    """New wording (or a new scale, or new options) for a question in a round without
    answers: `services.round_question_replace` makes it a new question."""

    text_sv = forms.CharField(label=_("Question in Swedish"), max_length=300)
    text_en = forms.CharField(label=_("Question in English"), max_length=300, required=False)

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        self.question = question
        names = ["text_sv", "text_en"]
        if question.kind == Question.Kind.SCALE:
            names += ["scale_max", "low_label_sv", "low_label_en", "high_label_sv", "high_label_en"]
        elif question.kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
            names.append("options")
        kwargs.setdefault("initial", {name: getattr(question, name) for name in names})
        super().__init__(*args, **kwargs)
        if question.kind == Question.Kind.SCALE:
            self.fields["scale_max"] = forms.TypedChoiceField(
                label=_("Scale from 1 to"), choices=SCALE_CHOICES, coerce=int
            )
            for name in ["low_label_sv", "low_label_en", "high_label_sv", "high_label_en"]:
                model_field = cast("models.Field[Any, Any]", Question._meta.get_field(name))
                self.fields[name] = forms.CharField(
                    label=capfirst(model_field.verbose_name), max_length=100, required=False
                )
        elif "options" in names:
            self.fields["options"] = OptionsField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = check_question(
            kind=self.question.kind,
            scale_max=data.get("scale_max", self.question.scale_max),
            options=data.get("options", self.question.options),
        )
        for name, error in problems.items():
            self.add_error(name, error)
        if not self.errors and not self.changes():
            raise ValidationError(_("Nothing was changed."))
        return data

    def changes(self) -> dict[str, Any]:
        """The fields whose new values differ from the question's."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if getattr(self.question, name) != value
        }


class RoundForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("For example “2026” or “March 2026”.")
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes"), widget=DateInput())


class InvitationForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=MAX_INVITATIONS,
        help_text=_("Every code made counts as sent in the response rate."),
    )


class PublishForm(forms.Form):
    public = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ConclusionForm(forms.ModelForm[Conclusion]):
    class Meta:
        model = Conclusion
        fields = ["text", "actions"]
        widgets = {"text": _textarea(), "actions": _textarea()}


class OutcomeForm(forms.Form):
    """What was done about a conclusion (a plain form: the service compares old and new)."""

    outcome = forms.CharField(
        label=capfirst(Conclusion._meta.get_field("outcome").verbose_name),
        required=False,
        widget=_textarea(),
    )


def runnable_units(user: User) -> QuerySet[Unit]:
    """Active units where `user` runs surveys."""
    return Unit.objects.visible_to(user, RUNNERS).active()


class SurveyChoiceField(forms.ModelChoiceField[Survey]):
    def label_from_instance(self, obj: Survey) -> str:
        return f"{obj.unit.name}: {obj.title}"


class FocusGroupForm(forms.ModelForm[FocusGroup]):
    """The fields of a focus group; `services.focus_group_record` saves it."""

    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    survey = SurveyChoiceField(
        label=_("Survey"),
        queryset=Survey.objects.none(),
        required=False,
        help_text=_("The survey the focus group complements, if any."),
    )

    class Meta:
        model = FocusGroup
        fields = [
            "unit",
            "survey",
            "held_on",
            "target_group",
            "participants",
            "method",
            "summary",
            "themes",
            "quotes",
            "actions",
        ]
        widgets = {
            "held_on": DateInput(),
            "summary": _textarea(5),
            "themes": _textarea(),
            "quotes": _textarea(),
            "actions": _textarea(),
        }
        help_texts = {
            "method": _("For example “structured group interview, 90 minutes”."),
            "quotes": _("Anonymised, one per line: nothing that could identify a participant."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = runnable_units(user)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["survey"].queryset = Survey.objects.filter(  # type: ignore[attr-defined]
            unit__in=units
        ).select_related("unit")

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ThemesForm(forms.Form):
    themes = forms.CharField(
        label=_("Themes"),
        max_length=500,
        required=False,
        help_text=_("Separate themes with commas."),
    )

    def theme_list(self) -> list[str]:
        return str(self.cleaned_data["themes"]).split(",")


class QuoteForm(forms.Form):
    text = forms.CharField(
        label=_("Quote to publish"),
        max_length=MAX_QUOTE,
        widget=_textarea(4),
        help_text=_("Shorten it and remove anything that could identify someone."),
    )
