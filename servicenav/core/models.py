"""Cross-cutting records: the audit log, the e-mail outbox, closed days, the demo marker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from servicenav.organisation.models import User


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def visible_to(self, user: User | AnonymousUser) -> AuditEntryQuerySet:
        """Entries about units where `user` may read the log (see organisation.access)."""
        from servicenav.organisation.access import AUDIT_READERS, is_global_administrator
        from servicenav.organisation.models import Unit

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_global_administrator(user):
            return self.all()
        units = Unit.objects.visible_to(user, AUDIT_READERS)
        return self.filter(unit__in=units)


class AuditEntry(models.Model):
    """Who did what to which object, when, and what changed. Never edited or deleted."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        GRANT = "grant", _("role granted")
        REVOKE = "revoke", _("role revoked")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept beside the foreign key so the log still names a person whose account is gone.
    actor_name = models.CharField(_("person"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class OutgoingEmail(models.Model):
    """An e-mail waiting to be sent, or sent. Rendered when queued, so a retry sends the
    same message; kept until sent, so an SMTP outage delays mail but loses none."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("cannot be delivered")

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"


class ClosedDay(models.Model):
    """A weekday the municipality is closed beyond the national calendar (a "klämdag")."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"


class DemoDataset(models.Model):
    """Present while the demo data is loaded, so every page can say so."""

    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("demo data set")
        verbose_name_plural = _("demo data sets")

    def __str__(self) -> str:
        return f"demo data {self.loaded_at:%Y-%m-%d}"
