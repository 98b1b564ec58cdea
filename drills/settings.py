"""Settings of the drills: the application's own, with the rate limits raised.

The concurrency drill sends 20,000 cases from one address and one Open311 key within
minutes; with the production limits (10 an hour per address, 600 an hour per key) all but
the first few would be refused. Raised, not removed: every request is still counted in the
cache, and the drills still count any 429 as "refused by the rate limit"."""

from __future__ import annotations

from servicenav.settings import *  # noqa: F403 - the application's settings, then changes

DEBUG = False
UNLIMITED = 10**12
SERVICENAV_SUBMISSIONS_PER_HOUR = UNLIMITED
SERVICENAV_OPEN311_POSTS_PER_HOUR = UNLIMITED
# Every e-mail goes to the drill's own SMTP server (SERVICENAV_EMAIL_PORT).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
