"""How many requests an integrator key may POST per hour, counted in Django's cache in
the same fixed hourly windows as the citizen's limits (`cases.throttle`), but per key
rather than per address: one contact-centre system speaks for many people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from servicenav.cases.throttle import WINDOW_SECONDS

if TYPE_CHECKING:
    from servicenav.api.models import ApiKey

SCOPE = "open311-post"


def _key(api_key: ApiKey) -> str:
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    return f"servicenav:throttle:{SCOPE}:{window}:{api_key.pk}"


def post_allowed(api_key: ApiKey) -> bool:
    """Count one POST with this key; False once the hour's limit is used up."""
    key = _key(api_key)
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return int(count) <= settings.SERVICENAV_OPEN311_POSTS_PER_HOUR
