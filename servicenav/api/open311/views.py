"""Open311 GeoReport v2: discovery, services, requests (GET and POST), tokens, and
mySociety's servicerequestupdates. See docs/open311.md.

Every view answers in the format its suffix names and reports problems in the
specification's error format: 404 for what does not exist, 403 for a missing or bad
api_key, 429 when a key has used up its hour, 400 for everything else. GETs need no key.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from servicenav.api.open311 import forms, payloads, selectors
from servicenav.api.open311.render import (
    CONTENT_TYPES,
    XML,
    Items,
    Open311Error,
    error_response,
    format_of,
    respond,
)
from servicenav.api.open311.throttle import post_allowed
from servicenav.api.services import api_key_used
from servicenav.cases.models import Channel, Status
from servicenav.cases.services import case_submit
from servicenav.declarations.selectors import answer_promises
from servicenav.organisation.models import Unit

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

    from servicenav.cases.models import Category

    View = Callable[..., HttpResponse]

UNKNOWN_FORMAT = _("Unknown format: end the address in .xml or .json.")
NOTHING_HERE = _("There is nothing at this address. The endpoints are listed in discovery.xml.")
SERVICE_NOT_FOUND = _("There is no service with this service_code.")
REQUEST_NOT_FOUND = _("There is no request with this service_request_id.")
TOKEN_NOT_FOUND = _("There is no request with this token.")
KEY_MISSING = _("api_key is missing: requests are filed with a key from the municipality.")
KEY_INVALID = _("api_key is not valid: it is unknown or has been revoked.")
CODE_MISSING = _("service_code is missing.")
TOO_MANY = _("This api_key has filed too many requests this hour. Try again later.")
UNREADABLE = _("The request could not be read.")
# How exactly an integrator key's last use is kept (the admin shows it): to the minute,
# so that a busy key is not written on every POST.


def _language(request: HttpRequest) -> str:
    """The `locale` extension (sv or en, also sv-SE and the like); the default otherwise."""
    values = request.POST if request.method == "POST" else request.GET
    code = str(values.get("locale", "")).strip().lower().replace("_", "-").split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def endpoint(*methods: str) -> Callable[[View], View]:
    """Check the format suffix and the method, speak the asked language, and turn
    Open311Error (and unreadable input) into the specification's error response."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)
    names = " or ".join(methods)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in CONTENT_TYPES:
                return error_response(XML, 404, [UNKNOWN_FORMAT])
            try:
                with translation.override(_language(request)):
                    try:
                        if request.method not in allowed:
                            raise Open311Error(400, _("Use %(methods)s here.") % {"methods": names})
                        response = view(request, fmt, **kwargs)
                    except Open311Error as error:
                        response = error_response(fmt, error.status, error.descriptions)
            except (SuspiciousOperation, MultiPartParserError):
                response = error_response(fmt, 400, [UNREADABLE])
            response["Allow"] = ", ".join(sorted(allowed))
            if request.method in {"GET", "HEAD"}:
                response["Access-Control-Allow-Origin"] = "*"  # public, keyless data
            return response

        # No cookie or session is ever used here, so there is nothing to forge: a POST
        # anywhere gets the specification's answer, not Django's CSRF page.
        return csrf_exempt(wrapper)

    return decorate


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "discovery", payloads.discovery())


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    listed = [payloads.service(category) for category in selectors.services()]
    return respond(fmt, "services", Items("service", listed))


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = selectors.service_by_code(code)
    if category is None:
        raise Open311Error(404, SERVICE_NOT_FOUND)
    return respond(fmt, "service_definition", payloads.definition(category))


def _requests_response(fmt: str, rows: list[dict[str, Any]], *, extensions: bool) -> HttpResponse:
    promises = answer_promises(_units_of_open(rows))
    listed = [payloads.request(row, promises, extensions=extensions) for row in rows]
    return respond(fmt, "service_requests", Items("request", listed))


def _units_of_open(rows: list[dict[str, Any]]) -> list[Unit]:
    """The units whose answer promise the open requests among `rows` show, each once;
    none (and no query) when all of them are closed."""
    paths = {
        row["unit_id"]: row["unit__path"]
        for row in rows
        if row["unit_id"] is not None and row["status"] != Status.CLOSED
    }
    return [Unit(pk=pk, path=path) for pk, path in paths.items()]


@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    form = forms.RequestsForm(request.GET)
    if not form.is_valid():
        raise Open311Error(400, *form.problems())
    cases = selectors.requests_matching(form.filters())
    return _requests_response(fmt, cases, extensions=form.cleaned_data["extensions"])


def _service_to_file(code: str) -> Category:
    if not code:
        raise Open311Error(400, CODE_MISSING)
    service = selectors.service_by_code(code)
    if service is None:
        raise Open311Error(404, SERVICE_NOT_FOUND)
    return service


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST requests: the same `case_submit` as the web form, with the integrator's key."""
    raw_key = request.POST.get("api_key", "").strip()
    api_key = selectors.integrator_key(raw_key)
    if api_key is None:
        raise Open311Error(403, KEY_INVALID if raw_key else KEY_MISSING)
    if not post_allowed(api_key):
        raise Open311Error(429, TOO_MANY)
    api_key_used(api_key)
    service = _service_to_file(request.POST.get("service_code", "").strip())
    form = forms.ServiceRequestForm(request.POST, service=service, api_key=api_key)
    if not form.is_valid():
        raise Open311Error(400, *form.problems())
    try:
        case, code = case_submit(
            **form.case_fields(),
            unit=service.unit,
            category=service,
            channel=Channel.API,
            api_key=api_key,
            language=translation.get_language(),
        )
    except ValidationError as error:
        raise Open311Error(400, *error.messages) from None
    created = Items("request", [payloads.created(case)])
    # A repeated token returns the request it already made, without making another.
    return respond(fmt, "service_requests", created, status=201 if code else 200)


@endpoint("GET")
def service_request(request: HttpRequest, fmt: str, reference: str) -> HttpResponse:
    row = selectors.request_by_reference(reference)
    if row is None:
        raise Open311Error(404, REQUEST_NOT_FOUND)
    extensions = request.GET.get("extensions", "").strip().lower() == "true"
    return _requests_response(fmt, [row], extensions=extensions)


@endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    row = selectors.request_by_token(token)
    if row is None:
        raise Open311Error(404, TOKEN_NOT_FOUND)
    return respond(fmt, "service_requests", Items("request", [payloads.token(row)]))


@endpoint("GET")
def updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """mySociety's extension: public status changes in a time window, oldest first."""
    form = forms.UpdatesForm(request.GET)
    if not form.is_valid():
        raise Open311Error(400, *form.problems())
    events = selectors.public_updates(form.cleaned_data["window"], form.page_wanted)
    listed = [payloads.update(event) for event in events]
    return respond(fmt, "service_request_updates", Items("request_update", listed))


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    return error_response(format_of(request.path), 404, [NOTHING_HERE])
