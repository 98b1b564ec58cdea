"""Forms of the staff side: the inbox filters, registering feedback, and one form per
action on a case page."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from servicenav.cases.access import HANDLERS, can_triage
from servicenav.cases.models import Case, Category, Channel, Kind, Outcome, Status
from servicenav.cases.selectors import DEFAULT_SORT, OPEN, InboxFilters, handlers_for
from servicenav.declarations.models import Commitment
from servicenav.declarations.selectors import linkable_commitments
from servicenav.organisation.models import ServiceValue, Unit, User

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.db.models import QuerySet

STAFF_CHANNELS = [
    (value, capfirst(label)) for value, label in Channel.choices if value not in {"web", "api"}
]
SORT_CHOICES = [
    ("-inkommen", _("Newest first")),
    ("inkommen", _("Oldest first")),
    ("svara-senast", _("Answer by, soonest first")),
    ("-svara-senast", _("Answer by, latest first")),
    ("status", _("Status, new first")),
    ("-status", _("Status, closed first")),
    ("referens", _("Reference, lowest first")),
    ("-referens", _("Reference, highest first")),
]


def _labelled(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(value, capfirst(label)) for value, label in choices]


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    """Units indented by their depth, so the tree reads in a plain list."""

    def label_from_instance(self, obj: Unit) -> str:
        return "\u00a0\u00a0\u00a0" * obj.depth + obj.name


class CategoryChoiceField(forms.ModelChoiceField[Category]):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.unit.name}: {obj.name}"


class _ReadOnceIterator(ModelChoiceIterator):
    field: ReadOnceChoiceField

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from (self.choice(obj) for obj in self.field.options())

    def __len__(self) -> int:
        return len(self.field.options()) + (self.field.empty_label is not None)


class ReadOnceChoiceField(forms.ModelChoiceField[Any]):
    """Reads its options with one plain query per form, for the select and for the check
    of the submitted value alike. Django would read them through a server-side cursor
    (several round trips to PostgreSQL) to render them, and again with a get() to clean;
    together a few milliseconds of each inbox request (issue 10)."""

    iterator = _ReadOnceIterator
    _options: list[Any]
    _options_of: QuerySet[Any] | None = None

    def options(self) -> list[Any]:
        queryset = self.queryset
        if self._options_of is not queryset:  # read again once the queryset is replaced
            self._options = [] if queryset is None else list(queryset)
            self._options_of = queryset
        return self._options

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        key, wanted = self.to_field_name or "pk", str(value).strip()
        for obj in self.options():
            if str(getattr(obj, key)) == wanted:
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class InboxUnitField(ReadOnceChoiceField, UnitChoiceField):
    pass


class InboxCategoryField(ReadOnceChoiceField, CategoryChoiceField):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _html_attrs(attrs: dict[str, Any]) -> str:
    # As Django's widgets/attrs.html: True is a bare attribute, False leaves it out.
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """A select written out in Python, to the byte the markup of Django's select.html and
    select_option.html. The inbox's filters hold a hundred options or more and rendering
    a template per option cost each inbox request several milliseconds (issue 10)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(name)}"{_html_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(self._option_html(option) for option in options)
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped

    @staticmethod
    def _option_html(option: dict[str, Any]) -> str:
        value = conditional_escape(str(option["value"]))
        label = conditional_escape(option["label"])
        # The trailing newline is the one that ends Django's select_option.html.
        return f'\n  <option value="{value}"{_html_attrs(option["attrs"])}>{label}</option>\n'


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class InboxFilterForm(forms.Form):
    """The inbox's GET form. Field names are the Swedish query parameters."""

    sok = forms.CharField(label=_("Search reference or text"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=FastSelect,
        choices=[("", _("Any status")), (OPEN, _("Open (not closed)")), *_labelled(Status.choices)],
    )
    typ = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        widget=FastSelect,
        choices=[("", _("Any kind")), *_labelled(Kind.choices)],
    )
    enhet = InboxUnitField(
        label=_("Unit (and the units below it)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Any unit"),
        widget=FastSelect,
    )
    kategori = InboxCategoryField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Any category"),
        widget=FastSelect,
    )
    kanal = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        widget=FastSelect,
        choices=[("", _("Any channel")), *_labelled(Channel.choices)],
    )
    fran = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    till = forms.DateField(label=_("Received to"), required=False, widget=DateInput())
    forsenad = forms.BooleanField(label=_("Only overdue"), required=False)
    mina = forms.BooleanField(label=_("Only assigned to me"), required=False)
    triage = forms.BooleanField(label=_("Only the triage queue (no unit yet)"), required=False)
    sortera = forms.ChoiceField(
        label=_("Sort"), required=False, widget=FastSelect, choices=SORT_CHOICES
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user)
        self.fields["enhet"].queryset = units  # type: ignore[attr-defined]
        self.fields["kategori"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            unit__in=units
        ).select_related("unit")
        if not can_triage(user):
            del self.fields["triage"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fran"), data.get("till")
        if start and end and start > end:
            self.add_error("till", _("The end date is before the start date."))
        return data

    def filters(self) -> InboxFilters:
        """The filters to apply: the fields that were valid (the others show an error)."""
        if not self.is_bound:
            return InboxFilters()
        self.is_valid()
        data = self.cleaned_data
        return InboxFilters(
            status=data.get("status") or "",
            kind=data.get("typ") or "",
            unit=data.get("enhet"),
            category=data.get("kategori"),
            channel=data.get("kanal") or "",
            overdue=bool(data.get("forsenad")),
            mine=bool(data.get("mina")),
            triage=bool(data.get("triage")),
            received_from=data.get("fran"),
            received_to=data.get("till"),
            search=(data.get("sok") or "").strip(),
            sort=data.get("sortera") or DEFAULT_SORT,
        )


def handling_units(user: User) -> QuerySet[Unit]:
    """Active units where `user` may handle cases, so may register feedback for."""
    return Unit.objects.visible_to(user, HANDLERS).active()


class RegisterForm(forms.Form):
    """Feedback that came by phone, letter, visit, e-mail or social media."""

    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS)
    received_at = forms.DateTimeField(
        label=_("Received"),
        help_text=_("When the feedback reached the municipality. The deadlines count from then."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_labelled(Kind.choices))
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("No category"),
    )
    text = forms.CharField(label=_("Feedback"), max_length=4000, widget=_textarea(8))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    reporter_email = forms.EmailField(label=_("E-mail"), required=False)
    reporter_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    wants_answer = forms.BooleanField(label=_("The person wants an answer"), required=False)
    language = forms.ChoiceField(
        label=_("Language for e-mail to the person"), choices=settings.LANGUAGES, initial="sv"
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = handling_units(user)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            unit__in=units, active=True
        ).select_related("unit")
        if can_triage(user):
            self.fields["unit"].required = False
            self.fields["unit"].empty_label = _("Not known: to the triage queue")  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            self.initial.setdefault("submission_token", uuid.uuid4())

    def clean_received_at(self) -> Any:
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now():
            raise forms.ValidationError(_("The time received cannot be in the future."))
        return received_at

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category, unit = data.get("category"), data.get("unit")
        if category is not None and category.unit_id != getattr(unit, "pk", None):
            self.add_error("category", _("The category belongs to another unit."))
        if data.get("wants_answer") and not (
            data.get("reporter_email") or data.get("reporter_phone")
        ):
            self.add_error(
                "wants_answer", _("Give an e-mail address or a phone number to answer to.")
            )
        return data

    def submission(self) -> dict[str, Any]:
        """The keyword arguments for case_submit."""
        return dict(self.cleaned_data)


class CaseActionForm(forms.Form):
    """The form of one action on a case page; `case` and `user` shape its choices."""

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user


class AssignForm(CaseActionForm):
    handler = forms.ModelChoiceField(
        label=_("Handler"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, case=case, user=user, **kwargs)
        self.fields["handler"].queryset = handlers_for(case.unit, including=user)  # type: ignore[attr-defined]
        self.fields["handler"].initial = case.assigned_to_id


class MoveForm(CaseActionForm):
    unit = UnitChoiceField(
        label=_("Move to"), queryset=Unit.objects.none(), empty_label=_("Choose a unit")
    )
    reason = forms.CharField(label=_("Why"), max_length=1000, widget=_textarea(3))

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, case=case, user=user, **kwargs)
        units = Unit.objects.active()
        if case.unit is not None:
            units = units.exclude(pk=case.unit.pk)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class CategoryForm(CaseActionForm):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("No category"),
    )

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, case=case, user=user, **kwargs)
        categories = Category.objects.none()
        if case.unit is not None:
            categories = Category.objects.filter(unit=case.unit, active=True)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.fields["category"].initial = case.category_id


class WaitForm(CaseActionForm):
    reason = forms.CharField(
        label=_("Waiting for"),
        help_text=_("Shown to the citizen on their case page."),
        max_length=1000,
        widget=_textarea(3),
    )


class NoteForm(CaseActionForm):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=_textarea())


class ReplyForm(CaseActionForm):
    text = forms.CharField(
        label=_("Reply"),
        help_text=_(
            "Shown on the citizen's case page, and sent by e-mail when there is an address."
        ),
        max_length=8000,
        widget=_textarea(8),
    )


CLOSING_OUTCOMES = _labelled([choice for choice in Outcome.choices if choice[0] != "duplicate"])


class CloseForm(CaseActionForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=CLOSING_OUTCOMES,
        help_text=_("A duplicate is closed by merging it into the other case."),
    )
    note = forms.CharField(
        label=_("Note on the outcome"),
        help_text=_(
            "Required for no action (the reason) and for referred (the authority). "
            "Shown to the citizen."
        ),
        max_length=500,
        required=False,
    )


class ReopenForm(CaseActionForm):
    reason = forms.CharField(
        label=_("Why"),
        help_text=_("Shown to the citizen."),
        max_length=1000,
        required=False,
        widget=_textarea(3),
    )


class ValuesForm(CaseActionForm):
    values = forms.ModelMultipleChoiceField(
        label=_("Values the case concerns"),
        queryset=ServiceValue.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, case=case, user=user, **kwargs)
        self.fields["values"].initial = [value.pk for value in case.values.all()]


class LinkForm(CaseActionForm):
    """Another case, named by its reference; only a case the user may read is found."""

    reference = forms.CharField(label=_("Reference of the related case"), max_length=20)

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        other = Case.objects.visible_to(self.user).filter(reference__iexact=reference).first()
        if other is None:
            raise forms.ValidationError(_("There is no case with that reference that you can see."))
        self.cleaned_data["other"] = other
        return reference


class MergeForm(LinkForm):
    reference = forms.CharField(
        label=_("Reference of the case to merge into"),
        help_text=_("This case is closed as a duplicate of that one."),
        max_length=20,
    )


class GoodExampleForm(CaseActionForm):
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_("In your own words, with nothing that could identify the person."),
        max_length=4000,
        widget=_textarea(),
    )
    forward = forms.BooleanField(label=_("Forward to the unit"), required=False)

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, case=case, user=user, **kwargs)
        address = case.unit.contact_email if case.unit else ""
        self.fields["summary"].initial = case.good_example_summary
        self.fields["forward"].help_text = (
            _("Sent to %(address)s.") % {"address": address}
            if address
            else _("The unit has no contact e-mail, so nothing can be sent.")
        )


class PublishForm(CaseActionForm):
    summary = forms.CharField(
        label=_("Public summary"),
        help_text=_("Anonymised, in your own words; the citizen's text is never published."),
        max_length=4000,
        widget=_textarea(),
    )
    answer = forms.CharField(label=_("Public answer"), max_length=8000, widget=_textarea())

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, case=case, user=user, **kwargs)
        self.fields["summary"].initial = case.public_summary
        self.fields["answer"].initial = case.public_answer


class PromiseChoiceField(forms.ModelChoiceField[Commitment]):
    def label_from_instance(self, obj: Commitment) -> str:
        return f"{obj.version.service}: {obj.text}"


class CommitmentForm(CaseActionForm):
    """The promise in a service declaration the case concerns, or none."""

    commitment = PromiseChoiceField(
        label=_("Promise"),
        queryset=Commitment.objects.none(),
        required=False,
        empty_label=_("No promise"),
        help_text=_(
            "A promise in a published service declaration of the case's unit, or of a unit "
            "above or below it. Linked feedback is counted on the declaration's public page."
        ),
    )

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, case=case, user=user, **kwargs)
        field = self.fields["commitment"]
        field.queryset = linkable_commitments(case.unit, including=case.commitment_id)  # type: ignore[attr-defined]
        field.initial = case.commitment_id
