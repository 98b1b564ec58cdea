"""Swedish is complete: every translatable string has a checked Swedish translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_swedish_translation():
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    missing = [message.id for message in catalogue if message.id and not _translated(message)]
    assert missing == []


def _translated(message: Message) -> bool:
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(forms)


def test_the_swedish_catalogue_keeps_every_placeholder():
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    assert [error for message in catalogue for error in message.check(catalogue)] == []
