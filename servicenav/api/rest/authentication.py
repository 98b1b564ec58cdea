"""Staff tokens: `Authorization: Bearer <key>` (or `Token <key>`). A key acts with exactly
its owner's access; keys without an owner (Open311 integrator keys) are refused here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from servicenav.api.models import ApiKey
from servicenav.api.services import api_key_used

if TYPE_CHECKING:
    from rest_framework.request import Request

    from servicenav.organisation.models import User

KEYWORDS = {b"bearer", b"token"}


class ApiKeyAuthentication(BaseAuthentication):
    """No session authentication beside it: the API takes no cookies, so needs no CSRF."""

    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        words = get_authorization_header(request).split()
        if not words or words[0].lower() not in KEYWORDS:
            return None  # no key at all: the permission check answers 401
        if len(words) != 2:
            raise AuthenticationFailed(_("Give the key after the word Bearer, with no spaces."))
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The API key is not valid.")) from None
        api_key = ApiKey.objects.matching(key)
        if api_key is None or api_key.user is None or not api_key.user.is_active:
            # Unknown, revoked, an integrator's key or a deactivated account: all alike.
            raise AuthenticationFailed(_("The API key is not valid. It may have been revoked."))
        api_key_used(api_key)
        return api_key.user, api_key

    def authenticate_header(self, request: Request) -> str:
        # A WWW-Authenticate header makes DRF answer 401 rather than 403.
        return 'Bearer realm="api"'
