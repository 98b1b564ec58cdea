"""Fixtures shared by every test suite: a small unit tree and a real SMTP server."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from servicenav.testing import make_unit

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_django.fixtures import Settings

    from servicenav.organisation.models import Unit


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    # Argon2 is deliberately slow; tests that are about hashing switch it back on.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _swedish_by_default() -> Iterator[None]:
    # Each test starts in the default language, whatever the test before it activated.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _public_pages_check_their_figures_on_every_request(settings: Settings) -> None:
    # Tests read a page straight after changing a figure; the window in which a cached page
    # may lag behind is tested on its own (public/tests/test_cache.py).
    settings.SERVICENAV_PUBLIC_STAMP_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Each test starts with an empty cache: no rate-limit counts, kept pages or figures
    # of the test before it.
    cache.clear()


@dataclass
class Tree:
    """kommun → (teknik → gata, vatten), (social → hemtjänst)."""

    kommun: Unit
    teknik: Unit
    gata: Unit
    vatten: Unit
    social: Unit
    hemtjanst: Unit


@pytest.fixture
def tree(db: None) -> Tree:
    kommun = make_unit(name="Kommun")
    teknik = make_unit(name="Teknik", parent=kommun, kind="forvaltning")
    social = make_unit(name="Social", parent=kommun, kind="forvaltning")
    return Tree(
        kommun=kommun,
        teknik=teknik,
        gata=make_unit(name="Gata", parent=teknik),
        vatten=make_unit(name="Vatten", parent=teknik),
        social=social,
        hemtjanst=make_unit(name="Hemtjänst", parent=social),
    )


@dataclass
class SmtpInbox:
    """Messages a real SMTP server on 127.0.0.1 received during one test."""

    port: int
    messages: list[dict[str, Any]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            {"to": envelope.rcpt_tos, "data": envelope.content.decode("utf-8", "replace")}
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Settings) -> Iterator[SmtpInbox]:
    """A real SMTP server on 127.0.0.1 that the e-mail settings point at."""
    inbox = SmtpInbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    try:
        yield inbox
    finally:
        controller.stop()
