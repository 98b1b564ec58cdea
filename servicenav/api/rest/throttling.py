"""Rate limits per API key, counted in Django's cache (shared when SERVICENAV_CACHE_URL
names Redis, so the limit holds across app servers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from servicenav.api.models import ApiKey

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"

    def get_rate(self) -> str | None:
        # Read the rate on each request, not once at import, so a changed setting holds.
        return cast("str | None", api_settings.DEFAULT_THROTTLE_RATES.get(self.scope))

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None  # not signed in with a key: refused before it comes to this
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
