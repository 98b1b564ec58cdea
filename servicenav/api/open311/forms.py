"""Input of the Open311 endpoints: the filters of the GET lists and the POST of a new
request. Each form's `problems()` are the error descriptions the response lists."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.api.open311 import attributes
from servicenav.api.open311.dates import parse_w3c
from servicenav.api.open311.selectors import (
    CLOSED,
    OPEN,
    SERVICE_CODE,
    Page,
    RequestFilters,
    Window,
)
from servicenav.cases.forms_public import LongTextField
from servicenav.cases.models import Case, Kind
from servicenav.cases.services import MAX_TEXT_LENGTH

if TYPE_CHECKING:
    from datetime import datetime

    from servicenav.api.models import ApiKey
    from servicenav.cases.models import Category

MAX_SPAN = timedelta(days=90)
MAX_PAGE_SIZE = 1000
MAX_PAGE = 100_000
COORDINATE_PLACES = Decimal("0.000001")
MAX_NAME = 200  # the case's reporter_name
# Our kinds by every name the profile accepts: Swedish (with or without å, ä, ö), English.
KINDS = {
    "klagomål": Kind.COMPLAINT,
    "klagomal": Kind.COMPLAINT,
    "förslag": Kind.SUGGESTION,
    "forslag": Kind.SUGGESTION,
    "beröm": Kind.PRAISE,
    "berom": Kind.PRAISE,
    "fråga": Kind.QUESTION,
    "fraga": Kind.QUESTION,
} | {kind.value: kind for kind in Kind}


class Open311Form(forms.Form):
    def problems(self) -> list[str]:
        return [
            str(message) if name == NON_FIELD_ERRORS else f"{name}: {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]


class WindowForm(Open311Form):
    """A time window of at most 90 days, by default the last `default_span`, and a page."""

    default_span = MAX_SPAN

    start_date = forms.CharField(required=False)
    end_date = forms.CharField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def clean_start_date(self) -> datetime | None:
        value = self.cleaned_data["start_date"]
        return parse_w3c(value) if value else None

    def clean_end_date(self) -> datetime | None:
        value = self.cleaned_data["end_date"]
        return parse_w3c(value, end=True) if value else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "start_date" in self.errors or "end_date" in self.errors:
            return data
        start, end = data.get("start_date"), data.get("end_date")
        if start is None:
            end = end or timezone.now()
            start = end - self.default_span
        elif end is None:
            end = start + self.default_span
        if end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        elif end - start > MAX_SPAN:
            self.add_error("end_date", _("The dates may be at most 90 days apart."))
        data["window"] = Window(start, end)
        return data

    @property
    def page_wanted(self) -> Page:
        data = self.cleaned_data
        return Page(data.get("page") or 1, data.get("page_size") or MAX_PAGE_SIZE)


class UpdatesForm(WindowForm):
    default_span = timedelta(hours=24)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class RequestsForm(WindowForm):
    service_request_id = forms.CharField(required=False)
    service_code = forms.CharField(required=False)
    status = forms.CharField(required=False)
    extensions = forms.CharField(required=False)

    def clean_service_request_id(self) -> list[str] | None:
        value = self.cleaned_data["service_request_id"]
        if not value:
            return None
        references = [part.upper() for part in _split(value)]
        if len(references) > MAX_PAGE_SIZE:
            raise ValidationError(_("Ask for at most 1,000 requests at a time."))
        return references

    def clean_service_code(self) -> list[int] | None:
        value = self.cleaned_data["service_code"]
        if not value:
            return None
        # A code that is not one of ours matches nothing, like an unknown one.
        codes = _split(value)
        return [int(code) for code in codes if SERVICE_CODE.fullmatch(code)]

    def clean_status(self) -> frozenset[str]:
        statuses = frozenset(part.lower() for part in _split(self.cleaned_data["status"]))
        if not statuses <= {OPEN, CLOSED}:
            raise ValidationError(_("Use open, closed or both, separated by a comma."))
        return statuses

    def clean_extensions(self) -> bool:
        value = self.cleaned_data["extensions"].lower()
        if value not in {"", "true", "false"}:
            raise ValidationError(_("Use true or false."))
        return value == "true"

    def filters(self) -> RequestFilters:
        data = self.cleaned_data
        return RequestFilters(
            window=data["window"],
            page=self.page_wanted,
            references=data["service_request_id"],
            service_codes=data["service_code"],
            statuses=data["status"],
        )


# The web form's rule for phone numbers.
PHONE = RegexValidator(
    r"^\+?[\d\s()-]{5,}$",
    _("Write the phone number with digits, for example 0920-45 30 00."),
)


class ServiceRequestForm(Open311Form):
    """A new request for `service` (POST requests). A service that needs a place needs a
    location (strict GeoReport v2); one that does not needs a description instead."""

    lat = forms.DecimalField(required=False, min_value=-90, max_value=90)
    long = forms.DecimalField(required=False, min_value=-180, max_value=180)
    address_string = forms.CharField(required=False, max_length=200)
    address_id = forms.CharField(required=False, max_length=100)
    email = forms.EmailField(required=False, max_length=254)
    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    phone = forms.CharField(required=False, max_length=40, validators=[PHONE])
    description = LongTextField(required=False, max_length=MAX_TEXT_LENGTH)
    media_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    kind = forms.CharField(required=False)
    token = forms.CharField(required=False)

    def __init__(self, data: Any, *, service: Category, api_key: ApiKey) -> None:
        super().__init__(data)
        self.service = service
        self.api_key = api_key
        self.questions = list(service.attributes.all())

    def clean_kind(self) -> str:
        value = unicodedata.normalize("NFC", self.cleaned_data["kind"]).casefold()
        if not value:
            return Kind.COMPLAINT
        if value not in KINDS:
            raise ValidationError(
                _(
                    "Use klagomål, förslag, beröm or fråga "
                    "(or complaint, suggestion, praise, question)."
                )
            )
        return KINDS[value]

    def clean_token(self) -> uuid.UUID:
        """The client's own token makes a repeated POST return the request it made; without
        one, the request gets a new token."""
        value = self.cleaned_data["token"]
        if not value:
            return uuid.uuid4()
        try:
            token = uuid.UUID(value)
        except ValueError:
            raise ValidationError(_("The token must be a UUID.")) from None
        if Case.objects.filter(submission_token=token).exclude(api_key=self.api_key).exists():
            raise ValidationError(_("The token has been used for another request."))
        return token

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self._check_location(data)
        answers, problems = attributes.clean_answers(
            self.questions, attributes.submitted(self.data)
        )
        for problem in problems:
            self.add_error(None, problem)
        data["attributes"] = answers
        self._check_name(data)
        if "description" not in self.errors and "media_url" not in self.errors:
            data["text"] = self._text(data)
        return data

    def _check_location(self, data: dict[str, Any]) -> None:
        if any(name in self.errors for name in ("lat", "long", "address_string", "address_id")):
            return
        lat, long = data.get("lat"), data.get("long")
        if (lat is None) != (long is None):
            self.add_error("lat" if lat is None else "long", _("Give both lat and long."))
            return
        if lat is not None and long is not None:
            data["lat"], data["long"] = (
                lat.quantize(COORDINATE_PLACES),
                long.quantize(COORDINATE_PLACES),
            )
        located = lat is not None or data.get("address_string") or data.get("address_id")
        if self.service.needs_location and not located:
            self.add_error(
                None,
                _("This service needs a location: lat and long, address_string or address_id."),
            )

    def _check_name(self, data: dict[str, Any]) -> None:
        name = " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
        if len(name) > MAX_NAME:
            self.add_error("last_name", _("The name is longer than 200 characters."))
        data["name"] = name

    def _text(self, data: dict[str, Any]) -> str:
        """The case's text: the description, or for a place-based service without one, a
        note and the answers; a media URL is added as a line (never fetched)."""
        text = data.get("description", "")
        if not text.strip():
            if not self.service.needs_location:
                self.add_error("description", _("This service needs a description."))
                return ""
            answers = attributes.answers_as_text(self.questions, data["attributes"])
            note = str(_("Sent through Open311 without a description."))
            text = f"{note}\n{answers}"[:MAX_TEXT_LENGTH]
        if data.get("media_url"):
            line = _("Picture or other media (not fetched): %(url)s") % {"url": data["media_url"]}
            text = f"{text.strip()}\n\n{line}"
            if len(text) > MAX_TEXT_LENGTH:
                self.add_error(
                    "media_url",
                    _("The description and media_url together are longer than 4,000 characters."),
                )
        return text.strip()

    def case_fields(self) -> dict[str, Any]:
        """What `case_submit` needs from this form."""
        data = self.cleaned_data
        place = data["address_string"]
        if not place and data["address_id"]:
            place = _("Address id: %(id)s") % {"id": data["address_id"]}
        return {
            "kind": data["kind"],
            "text": data["text"],
            "place": place,
            "latitude": data["lat"],
            "longitude": data["long"],
            "reporter_name": data["name"],
            "reporter_email": data["email"],
            "reporter_phone": data["phone"],
            "wants_answer": bool(data["email"] or data["phone"]),
            "submission_token": data["token"],
            "attributes": data["attributes"],
        }
