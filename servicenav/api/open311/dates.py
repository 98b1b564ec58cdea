"""W3C date-times (ISO 8601 with a time zone) in and out of GeoReport v2."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Far enough apart for any real filter, near enough that arithmetic and the database's
# conversion to UTC never overflow.
EARLIEST_YEAR = 1900
LATEST_YEAR = 9000
BAD_DATE = _(
    "Use a W3C date and time with a time zone, for example 2026-11-27T14:30:00+01:00 "
    "or 2026-11-27T13:30:00Z."
)


def w3c(moment: datetime) -> str:
    """A moment in the municipality's time zone, to the second, with its offset."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return local.isoformat(timespec="seconds")


def end_of_day(day: date) -> datetime:
    """The last second of `day` in the municipality's time zone."""
    return timezone.make_aware(
        datetime.combine(day, time(23, 59, 59)), timezone.get_default_timezone()
    )


def parse_w3c(value: str, *, end: bool = False) -> datetime:
    """A moment from a W3C date-time. One without a time zone is read in the
    municipality's; a bare date is the start of that day, or with `end` its last moment."""
    text = value.strip()
    try:
        if DATE_ONLY.fullmatch(text):
            day = parse_date(text)
            moment = None if day is None else datetime.combine(day, time.min)
            if moment is not None and end:
                moment += timedelta(days=1, microseconds=-1)
        else:
            moment = parse_datetime(text)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValidationError(BAD_DATE)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment
