"""Forms of the staff pages of service declarations: the texts of a version, its promises,
the lifecycle actions and the follow-up of promises."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from servicenav.cases.forms_staff import DateInput, UnitChoiceField
from servicenav.declarations.access import WRITERS, can_write
from servicenav.declarations.models import Commitment, Version
from servicenav.declarations.services import COMMITMENT_FIELDS
from servicenav.organisation.models import Unit, User

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from servicenav.core.periods import Period


def writable_units(user: User) -> QuerySet[Unit]:
    """Active units `user` may write declarations for."""
    return Unit.objects.visible_to(user, WRITERS).active()


def owner_choices(user: User) -> QuerySet[User]:
    """Writers who work where `user` writes: in those units, below them or above them."""
    writers = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    if user.is_superuser:
        return writers.filter(role_assignments__role__in=WRITERS).distinct()
    roots = user.paths_with(WRITERS)
    above = {int(part) for path in roots for part in path.strip("/").split("/")}
    near = Q(role_assignments__unit__in=Unit.objects.under_paths(roots)) | Q(
        role_assignments__unit_id__in=above
    )
    return writers.filter(near, role_assignments__role__in=WRITERS).distinct()


class OwnerChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _capitalise_choices(form: forms.BaseForm) -> None:
    """Choice labels as they start a sentence, like the other staff forms."""
    for field in form.fields.values():
        # Not model choices: fixed choices would hide the queryset set after this runs.
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = cast("Iterable[tuple[Any, Any]]", field.choices)
            field.choices = [(value, capfirst(label)) for value, label in choices]


class VersionForm(forms.ModelForm[Version]):
    """The texts of a draft. Built without an instance (the view passes the version's
    values as `initial`), so validating never changes the version the services compare
    against."""

    class Meta:
        model = Version
        fields = Version.CONTENT_FIELDS
        widgets = {
            name: _textarea()
            for name in Version.CONTENT_FIELDS
            if name.startswith(("summary", "we_expect", "if_we_fail", "contact"))
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _capitalise_choices(self)

    def content(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in Version.CONTENT_FIELDS}


class DeclarationCreateForm(VersionForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    owner = OwnerChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Me"),
        help_text=_("Keeps the declaration current and gets the review reminders."),
    )

    field_order = ["unit", "owner"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = writable_units(user)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owner_choices(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, owner = data.get("unit"), data.get("owner")
        if unit is not None and owner is not None and not can_write(owner, unit):
            self.add_error("owner", _("The owner must be able to write the unit's declarations."))
        return data


class CommitmentForm(forms.ModelForm[Commitment]):
    """One promise of a draft; `commitment` is the id of the promise it changes (empty for
    a new one). Like VersionForm it is never bound to the stored promise."""

    commitment = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = COMMITMENT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _capitalise_choices(self)
        self.order_fields([*COMMITMENT_FIELDS[1:], "order"])
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Leave empty to put a new promise last.")
        self.fields["measure"].help_text = _("For measurable promises.")
        self.fields["limit_days"].help_text = _(
            "For the measures that count working days from when the feedback was received."
        )

    def promise(self) -> dict[str, Any]:
        """The promise's fields; without `order` when it was left empty."""
        fields = {name: self.cleaned_data[name] for name in COMMITMENT_FIELDS}
        if fields["order"] is None:
            del fields["order"]
        return fields


CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=1, can_delete=True)


def commitment_initial(commitment: Commitment) -> dict[str, Any]:
    return {"commitment": commitment.pk} | {
        name: getattr(commitment, name) for name in COMMITMENT_FIELDS
    }


class ConfirmForm(forms.Form):
    """An action with nothing to fill in."""


class ApproveForm(forms.Form):
    review_by = forms.DateField(
        label=_("Review by"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the usual review interval."),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be changed"), max_length=4000, widget=_textarea(4)
    )


class PublishForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=DateInput(),
        help_text=_("Today or earlier; leave empty to publish from today."),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw the declaration: its promises no longer apply."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


KEPT_CHOICES = [("yes", _("Yes, the promise was kept")), ("no", _("No, it was not kept"))]


class AssessForm(forms.Form):
    """The self-assessment of a qualitative promise for one ended period."""

    period = forms.ChoiceField(label=_("Period"))
    kept = forms.ChoiceField(
        label=_("Was the promise kept?"), choices=KEPT_CHOICES, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), max_length=4000, widget=_textarea(3))

    def __init__(self, *args: Any, periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {period.code: period for period in periods}
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            (period.code, capfirst(period.label)) for period in periods
        ]

    def assessment(self) -> dict[str, Any]:
        return {
            "period": self.periods[self.cleaned_data["period"]],
            "kept": self.cleaned_data["kept"] == "yes",
            "comment": self.cleaned_data["comment"],
        }


class ExplainForm(forms.Form):
    """Why a promise was not kept in a period, and what the unit will do."""

    explanation = forms.CharField(
        label=_("Why the promise was not kept"), max_length=4000, widget=_textarea(3)
    )
    planned_action = forms.CharField(
        label=_("What we will do"), max_length=4000, required=False, widget=_textarea(3)
    )
