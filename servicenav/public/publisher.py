"""Who publishes the public figures, and where: the municipality (the top unit) at the
site's public address (`SERVICENAV_SITE_URL`), which the open data and the catalogue use
for absolute links that do not depend on how a request reached the server."""

from __future__ import annotations

from django.conf import settings

from servicenav.organisation.models import Unit


def absolute(path: str) -> str:
    return str(settings.SERVICENAV_SITE_URL) + path


def municipality() -> Unit | None:
    """The top unit: the municipality that publishes."""
    return Unit.objects.filter(parent__isnull=True, active=True).order_by("path").first()


def municipality_name(top: Unit | None) -> str:
    """Its Swedish name; the configured municipality name before any unit exists."""
    return top.name_sv if top else str(settings.SERVICENAV_MUNICIPALITY_NAME)
