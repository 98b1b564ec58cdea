"""The answer to a request that failed on our side (the project's `handler500`).

A database that cannot be reached (down, restarting, failing over) is no fault in the
request: it is answered 503 Service Unavailable with Retry-After, so that a citizen, an
integrator's client or a load balancer knows to send it again, and an API answers in its
own error format. The page is a plain file: rendering it needs no database. Any other
error gets Django's 500 page."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from servicenav.api.open311.render import error_response, format_of

if TYPE_CHECKING:
    from django.http import HttpRequest

DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = _("The service is unavailable for a moment. Please try again in a minute.")


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, so it can be asked what failed.
    if not isinstance(sys.exc_info()[1], DATABASE_UNREACHABLE):
        return defaults.server_error(request)
    response = _unavailable(request.path)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unavailable(path: str) -> HttpResponse:
    if path.startswith("/open311/"):
        return error_response(format_of(path), 503, [UNAVAILABLE])
    if path.startswith("/api/"):
        return JsonResponse({"detail": str(UNAVAILABLE)}, status=503)
    return HttpResponse(loader.render_to_string("503.html"), status=503)
