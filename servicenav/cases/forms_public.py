"""Forms of the citizen's side: giving feedback, finding a case again, answering a reply
and reopening a closed case. None of them needs a login."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from servicenav.cases.attachments import accept_attribute, attachment_prepare
from servicenav.cases.models import Kind
from servicenav.declarations.selectors import promise_relates_to, public_commitment
from servicenav.organisation.models import Unit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from servicenav.cases.attachments import PreparedUpload
    from servicenav.declarations.models import Commitment

MAX_TEXT = 4000
MAX_MESSAGE = 4000
MAX_REASON = 1000
CONTACT_FIELDS = ("name", "email", "phone")
COORDINATE_PLACES = Decimal("0.000001")
# Shown for every refused submission that must not say why (the honeypot).
GENERIC_ERROR = _("Your feedback could not be sent. Check the form and try again.")


class Contact:
    ANSWER = "answer"
    ANONYMOUS = "anonymous"
    CHOICES = [
        (ANSWER, _("I want an answer")),
        (ANONYMOUS, _("I want to stay anonymous")),
    ]


KIND_CHOICES = [
    (Kind.COMPLAINT.value, _("Complaint – something did not work as it should")),
    (Kind.SUGGESTION.value, _("Suggestion – an idea for doing something better")),
    (Kind.PRAISE.value, _("Praise – something that worked well")),
    (Kind.QUESTION.value, _("Question – something you want to know")),
]


class LongTextField(forms.CharField):
    """Free text whose line breaks count as one character each, as the browser counts
    them for `maxlength` (a form sends them as two)."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked on its own."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(file, initial) for file in files if file]


def _tree_order(units: Iterable[Unit]) -> list[Unit]:
    """Units depth first, each level by name, so that the list reads like the tree."""
    units = list(units)
    ids = {unit.pk for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    ordered: list[Unit] = []

    def visit(parent: int | None) -> None:
        for unit in sorted(children.get(parent, []), key=lambda unit: unit.name.casefold()):
            ordered.append(unit)
            visit(unit.pk)

    visit(None)
    return ordered


class UnitField(forms.ModelChoiceField):
    """The service the feedback is about, indented by its place in the tree; the empty
    choice is "Don't know", which sends the case to triage."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Unit.objects.active(), **kwargs)

    def refresh_choices(self) -> None:
        """Choices in tree order, built when the form is shown: a sent form is checked
        with one query for the chosen unit, without reading and ordering the whole tree."""
        self._tree_choices: list[tuple[Any, Any]] | None = None
        self.choices = self._choices_in_tree_order

    def _choices_in_tree_order(self) -> list[tuple[Any, Any]]:
        if self._tree_choices is None:
            units = _tree_order(self.queryset)  # type: ignore[arg-type]
            empty: list[tuple[Any, Any]] = [("", self.empty_label or "")]
            self._tree_choices = empty + [
                (unit.pk, "\u00a0\u00a0\u00a0" * unit.depth + unit.name) for unit in units
            ]
        return self._tree_choices


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of feedback is it?"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of feedback it is.")},
    )
    unit = UnitField(
        label=_("Which service is it about?"),
        required=False,
        empty_label=_("Don't know"),
        help_text=_("Choose “Don't know” if you are unsure. We will send it to the right place."),
    )
    text = LongTextField(
        label=_("Your feedback"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("At most 4,000 characters."),
        error_messages={"required": _("Write your feedback.")},
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("An address or a description of the place, if it matters."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        localize=True,
        help_text=_("For example 65.584819. Give both latitude and longitude, or neither."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        localize=True,
        help_text=_("For example 22.156702."),
    )
    attachments = MultipleFileField(label=_("Pictures or documents"), required=False)
    contact = forms.ChoiceField(
        label=_("Do you want an answer?"),
        choices=Contact.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you want an answer or to stay anonymous.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput({"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
        validators=[
            RegexValidator(
                r"^\+?[\d\s()-]{5,}$",
                _("Write the phone number with digits, for example 0920-45 30 00."),
            )
        ],
    )
    # The honeypot: hidden from people by the stylesheet, filled in by many robots.
    website = forms.CharField(
        label=_("Leave empty"),
        required=False,
        widget=forms.TextInput({"tabindex": "-1", "autocomplete": "off"}),
    )
    submission_token = forms.CharField(required=False, widget=forms.HiddenInput)
    # The promise the feedback concerns, when the citizen came from a service declaration's
    # "if we do not keep a promise" link (?lofte=<pk>). Anything but a promise in force is
    # dropped without a word: the feedback itself is what matters.
    commitment = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, promise: Commitment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UnitField, self.fields["unit"]).refresh_choices()
        self._promise = promise
        if promise is not None and not self.is_bound:
            self.initial.update(
                kind=Kind.COMPLAINT,
                unit=promise.version.declaration.unit_id,
                commitment=promise.pk,
            )
        self.fields["attachments"].widget.attrs["accept"] = accept_attribute()
        self.fields["attachments"].help_text = _(
            "Pictures (JPEG, PNG, WebP) or PDF documents, at most %(count)d files "
            "of %(size)d MB each. We remove hidden information, such as the position where "
            "a photo was taken, before we save a picture."
        ) % {
            "count": settings.SERVICENAV_ATTACHMENTS_PER_CASE,
            "size": settings.SERVICENAV_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        }

    @property
    def is_spam(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, code="spam")

    @property
    def promise(self) -> Commitment | None:
        """The promise this feedback will be linked to, for the page to name."""
        if not self.is_bound:
            return self._promise
        return getattr(self, "cleaned_data", {}).get("commitment")

    def clean_commitment(self) -> Commitment | None:
        return public_commitment(self.cleaned_data["commitment"])

    def clean_submission_token(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.cleaned_data["submission_token"])
        except ValueError:
            return None

    def clean_attachments(self) -> list[PreparedUpload]:
        uploads = self.cleaned_data["attachments"]
        limit = settings.SERVICENAV_ATTACHMENTS_PER_CASE
        if len(uploads) > limit:
            raise ValidationError(
                _("You can attach at most %(count)d files."), params={"count": limit}
            )
        prepared, errors = [], []
        for upload in uploads:
            try:
                prepared.append(attachment_prepare(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return prepared

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("website"):
            raise ValidationError(GENERIC_ERROR, code="spam")
        if data.get("contact") == Contact.ANONYMOUS:
            self._forget_contact_details(data)
        elif data.get("contact") == Contact.ANSWER and not self._has_contact_error():
            self._require_a_way_to_answer(data)
        self._check_coordinates(data)
        self._keep_promise_if_related(data)
        return data

    def _keep_promise_if_related(self, data: dict[str, Any]) -> None:
        """Whoever chose a service unrelated to the promise is writing about something
        else: the feedback goes where they chose, without the link."""
        promise, unit = data.get("commitment"), data.get("unit")
        if promise is None or unit is None:
            return
        if not promise_relates_to(promise, unit):
            data["commitment"] = None

    def _forget_contact_details(self, data: dict[str, Any]) -> None:
        """Whoever chose to stay anonymous keeps their contact details, typed or not."""
        for name in CONTACT_FIELDS:
            self.errors.pop(name, None)
            data[name] = ""

    def _require_a_way_to_answer(self, data: dict[str, Any]) -> None:
        if not data.get("email") and not data.get("phone"):
            message = _("Give an e-mail address or a phone number so that we can answer you.")
            self.add_error("email", message)

    def _has_contact_error(self) -> bool:
        return any(name in self.errors for name in CONTACT_FIELDS)

    def _check_coordinates(self, data: dict[str, Any]) -> None:
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) == (longitude is None):
            for name, value in (("latitude", latitude), ("longitude", longitude)):
                if value is not None:
                    data[name] = value.quantize(COORDINATE_PLACES)
            return
        missing = "longitude" if longitude is None else "latitude"
        if missing not in self.errors:
            self.add_error(missing, _("Give both latitude and longitude, or neither."))

    def case_fields(self) -> dict[str, Any]:
        """What `case_submit` needs from this form."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "unit": data["unit"],
            "text": data["text"],
            "place": data["place"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "reporter_name": data["name"],
            "reporter_email": data["email"],
            "reporter_phone": data["phone"],
            "wants_answer": data["contact"] == Contact.ANSWER,
            "submission_token": data["submission_token"],
            "attachments": data["attachments"],
            "commitment": data.get("commitment"),
        }


class FollowForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=20,
        help_text=_("For example S-2026-00123."),
        widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Write the reference.")},
    )
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=40,
        help_text=_("The code you got on the receipt, for example ABCD-EFGH-JKLM."),
        widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Write the follow-up code.")},
    )


class MessageForm(forms.Form):
    text = LongTextField(
        label=_("Your answer"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At most 4,000 characters."),
        error_messages={"required": _("Write your message.")},
    )


class ReopenForm(forms.Form):
    reason = LongTextField(
        label=_("Why do you want the case opened again?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 1,000 characters."),
        error_messages={"required": _("Say why you want the case opened again.")},
    )
