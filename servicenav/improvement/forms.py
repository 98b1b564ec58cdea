"""Forms of the improvement pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from servicenav.cases.forms_staff import DateInput, UnitChoiceField
from servicenav.improvement.access import DECIDERS, PROPOSERS
from servicenav.improvement.models import Action, Theme
from servicenav.improvement.services import link_candidates
from servicenav.organisation.models import ServiceValue, Unit, User


class ActionForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    responsible = forms.ModelChoiceField(
        label=_("Responsible"), queryset=User.objects.none(), required=False
    )
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput(), required=False)
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput(), required=False)
    values = forms.ModelMultipleChoiceField(
        label=_("Values"),
        queryset=ServiceValue.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user, PROPOSERS).active()
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, role_assignments__unit__in=units)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        if editing:
            del self.fields["unit"]
        else:
            del self.fields["progress"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
    reason = forms.CharField(label=_("Why it is dropped"), required=False, widget=forms.Textarea)
    outcome = forms.CharField(label=_("What was changed"), required=False, widget=forms.Textarea)


class UpdateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(label=_("What has happened"), widget=forms.Textarea(attrs={"rows": 3}))


class LinkCaseForm(forms.Form):
    reference = forms.CharField(label=_("Reference of the feedback"), max_length=20)


class LinkSourceForm(forms.Form):
    """A survey round, conclusion, focus group or promise not kept, as "kind:id"."""

    source = forms.CharField(
        label=_("Survey, focus group or promise not kept"), widget=forms.Select
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = [
            ("round", _("Survey rounds")),
            ("conclusion", _("Survey conclusions")),
            ("focus_group", _("Focus groups")),
            ("follow_up", _("Promises not kept")),
        ]
        self.fields["source"].widget.choices = [("", "---------")] + [
            (
                label,
                [(f"{kind}:{obj.pk}", str(obj)[:120]) for obj in link_candidates(user, kind)[:50]],
            )
            for kind, label in groups
        ]

    def clean_source(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["source"].partition(":")
        if not pk.isdigit():
            raise forms.ValidationError(_("Choose what caused the action."))
        return kind, int(pk)


class PublishForm(forms.Form):
    text_sv = forms.CharField(label=_("Public text in Swedish"), widget=forms.Textarea)
    text_en = forms.CharField(
        label=_("Public text in English"), widget=forms.Textarea, required=False
    )


class ActionFilterForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Action.Status.choices], required=False
    )
    value = forms.ModelChoiceField(
        label=_("Value"), queryset=ServiceValue.objects.all(), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user)  # type: ignore[attr-defined]


class ExampleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.all(), required=False)
    value = forms.ModelChoiceField(
        label=_("Value"), queryset=ServiceValue.objects.all(), required=False
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.filter(active=True), required=False
    )


class ExampleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea)
    result = forms.CharField(label=_("What it led to"), widget=forms.Textarea, required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    source_name = forms.CharField(label=_("Learnt from"), max_length=200, required=False)
    source_url = forms.URLField(
        label=_("Link to the source"), required=False, assume_scheme="https"
    )
    values = forms.ModelMultipleChoiceField(
        label=_("Values"),
        queryset=ServiceValue.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user, DECIDERS).active()
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ThemesForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ThemeForm(forms.Form):
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=100)
    name_en = forms.CharField(label=_("Name in English"), max_length=100, required=False)


class PublicFilterForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.active(), required=False)
