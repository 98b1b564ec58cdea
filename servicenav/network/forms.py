from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicenav.core.periods import Period
from servicenav.network.services import parse_report_period
from servicenav.organisation.models import User

DATE = forms.DateInput(attrs={"type": "date"})


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.filter(is_active=True, network_member=None)
    )
    chair = forms.BooleanField(label=_("Make chair"), required=False)


class DirectiveForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    adopted_on = forms.DateField(label=_("Adopted"), widget=DATE)
    adopted_by = forms.CharField(
        label=_("Adopted by"),
        max_length=200,
        help_text=_("e.g. the municipal director's management group"),
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 6}))


class MinutesForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("What to do"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.filter(network_member__isnull=False, is_active=True),
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE)


class ReportCreateForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=10, help_text=_("A tertial (2026-T1) or a year (2026).")
    )

    def clean_period(self) -> Period:
        return parse_report_period(self.cleaned_data["period"])


class ReportTextForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    conclusions = forms.CharField(
        label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


def first_error(error: ValidationError) -> str:
    return str(error.messages[0]) if error.messages else str(error)
