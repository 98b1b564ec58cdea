"""Settings of the load benchmark (`bench.load`): the application's own, with the baseline
views added and the limits that would otherwise measure themselves raised.

Everything else is as in a real installation, DEBUG off: the database and the cache come
from DATABASE_URL and SERVICENAV_CACHE_URL, which `bench.load` sets."""

from __future__ import annotations

from servicenav.settings import *  # noqa: F403 - the application's settings, then changes

ROOT_URLCONF = "bench.urls"
DEBUG = False

# One client address sends every request, so the per-address limit on new cases (10 an
# hour by default) and the per-key limit on Open311 POSTs (600) would answer 429 after a
# moment. Raised, not removed: each request still counts itself in the cache, as in
# production; only the refusal never comes.
UNLIMITED = 10**12
SERVICENAV_SUBMISSIONS_PER_HOUR = UNLIMITED
SERVICENAV_OPEN311_POSTS_PER_HOUR = UNLIMITED
# What `bench.load` prints about them, next to its table.
BENCH_LIMITS_NOTE = (
    "SERVICENAV_SUBMISSIONS_PER_HOUR and SERVICENAV_OPEN311_POSTS_PER_HOUR raised to "
    f"{UNLIMITED:,} in bench/settings.py (the counting in the cache still runs)"
)
