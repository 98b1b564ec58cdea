"""Keys for machines: integrators filing feedback through Open311, and staff tokens for
the REST API."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    """Keys are long and random, so a plain SHA-256 keeps them safe at rest."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)

    def matching(self, key: str) -> ApiKey | None:
        """The active key `key`, or None. Unknown, revoked and empty keys all give None."""
        if not key:
            return None
        return self.active().filter(key_hash=hash_key(key)).select_related("user").first()


class ApiKey(models.Model):
    """A revocable key. With a `user` it is a staff token for the REST API and acts with
    exactly that person's access; without one it lets an integrator (an e-service, a
    contact-centre system, an app) file feedback through Open311 POST requests."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses the key, and for what.")
    )
    prefix = models.CharField(_("key begins with"), max_length=KEY_PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text=_("Set for a REST API token; empty for an Open311 integrator key."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def new_key() -> str:
    return secrets.token_urlsafe(32)
