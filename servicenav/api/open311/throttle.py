"""How many requests an integrator key may POST per hour, counted in Django's cache in
the same fixed hourly windows as the citizen's limits (`cases.throttle`), but per key
rather than per address: one contact-centre system speaks for many people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from servicenav.cases.throttle import WINDOW_SECONDS, window_count

if TYPE_CHECKING:
    from servicenav.api.models import ApiKey

SCOPE = "open311-post"


def _key(api_key: ApiKey) -> str:
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    return f"servicenav:throttle:{SCOPE}:{window}:{api_key.pk}"


def post_allowed(api_key: ApiKey) -> bool:
    """Count one POST with this key; False once the hour's limit is used up."""
    return window_count(_key(api_key)) <= settings.SERVICENAV_OPEN311_POSTS_PER_HOUR
