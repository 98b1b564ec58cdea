"""What drf-spectacular needs to describe the API: the key scheme, and only /api/v1/ paths
(Open311 is described by its own specification, not by this schema)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema

PREFIX = "/api/v1/"


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "servicenav.api.rest.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "A staff API key, sent as `Authorization: Bearer <key>`. The key acts "
                    "with exactly its owner's access. Global administrators create and "
                    "revoke keys in the admin."
                )
            ),
        }


def only_rest_api(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """Preprocessing hook: keep the endpoints under /api/v1/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PREFIX)]
