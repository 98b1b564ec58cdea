"""Values every page's layout needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from servicenav.core.models import DemoDataset


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "municipality_name": settings.SERVICENAV_MUNICIPALITY_NAME,
        "municipality_logo": settings.SERVICENAV_LOGO,
        "demo_data_loaded": DemoDataset.objects.exists(),
    }
