"""Values every page's layout needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from servicenav.core.models import DemoDataset


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "municipality_name": settings.SERVICENAV_MUNICIPALITY_NAME,
        "municipality_logo": settings.SERVICENAV_LOGO,
        "demo_data_loaded": DemoDataset.objects.exists(),
        "language_links": language_links(request),
    }


# Each language's name in that language, as a language switch shows it.
LANGUAGE_LABELS = {"sv": "På svenska", "en": "In English"}


def language_links(request: HttpRequest) -> list[dict[str, str]]:
    """Links to this same page in the other languages. Plain links: the language is in the
    path (Swedish unprefixed, English under /en/), so no cookie or form is needed."""
    here = request.get_full_path()
    return [
        {"code": code, "label": LANGUAGE_LABELS.get(code, code), "url": translate_url(here, code)}
        for code, _name in settings.LANGUAGES
        if code != get_language()
    ]
