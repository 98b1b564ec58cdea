"""Per-address limits on the citizen's side: how many cases an address may send, and how
many wrong follow-up codes it may try, in a fixed hourly window.

Counts live in Django's cache. The address is kept only as a keyed hash, so the cache
holds no IP addresses. IPv6 addresses count per /64 network, the block one household or
device usually gets. With several app servers, the cache must be shared between them
(a database or Redis cache) for the limits to hold across servers.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

if TYPE_CHECKING:
    from django.http import HttpRequest

WINDOW_SECONDS = 3600
SUBMIT = "submit"
FOLLOW = "follow"
# Wrong reference or code pairs an address may try per hour, on the follow page and in
# case links together. A person mistyping needs a few; guessing needs millions.
FOLLOW_FAILURES_PER_HOUR = 20


def client_address(request: HttpRequest) -> str:
    """The client's address: from the proxy's header when one is configured."""
    if settings.CLIENT_IP_HEADER:
        header = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        forwarded = request.META.get(header, "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return str(request.META.get("REMOTE_ADDR", ""))


def _address(request: HttpRequest) -> str:
    raw = client_address(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _key(request: HttpRequest, scope: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), _address(request).encode(), hashlib.sha256
    ).hexdigest()[:32]
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    return f"servicenav:throttle:{scope}:{window}:{digest}"


def throttle_exceeded(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """True when this address has used up `limit` in the current hour."""
    return int(cache.get(_key(request, scope), 0)) >= limit


def throttle_count(request: HttpRequest, *, scope: str) -> None:
    """Count one use (or one failure) for this address in the current hour."""
    window_count(_key(request, scope))


def window_count(key: str) -> int:
    """Count one more use in `key`, an hourly window's counter, and return the count. The
    counter is first taken to be there already, as it is for every use after the hour's
    first: one trip to the cache fewer than adding it first."""
    try:
        return int(cache.incr(key))
    except ValueError:  # the hour's first use
        pass
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return 1
    try:
        return int(cache.incr(key))  # another request's first use came in between
    except ValueError:  # and the counter is gone again (evicted): start afresh
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1
