"""Choosing between a model's Swedish and English texts."""

from __future__ import annotations

from django.utils.translation import get_language


def in_current_language(swedish: str, english: str) -> str:
    """The English text on English pages when there is one; otherwise the Swedish."""
    return english if english and get_language() == "en" else swedish
