"""The language of the machine interfaces' messages.

Open311 and the REST API sit outside the language prefixes, where `LocaleMiddleware`
always chooses the default language. A client says which language it reads with
`Accept-Language` (HTTP's own way); its error messages and texts then come in that
language, Swedish when it names none we have."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

MACHINE_PREFIXES = ("/open311/", "/api/")


class AcceptLanguageMiddleware:
    """After `LocaleMiddleware`: on the machine interfaces, the language the client asks for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(MACHINE_PREFIXES):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
