"""The network for quality and service: its members (one of them the chair), the directive
it works under (versioned: a new version is a new row), its meetings with their decisions
and action items, and the periodic service report to the municipal director's management
group (a draft is computed from the data; a final report keeps frozen figures and PDFs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Member(models.Model):
    """A staff account in the network. Exactly one member is the chair while there are
    members (services keep that; the database allows at most one)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="network_member",
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    joined_on = models.DateField(_("member since"), default=timezone.localdate)

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        ordering = ["-is_chair", "user__last_name", "user__first_name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_chair"], condition=Q(is_chair=True), name="one_network_chair"
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class DirectiveVersion(models.Model):
    """One version of the directive: the commission from the management group. Versions
    are never changed; a new text is a new version."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("text"))
    adopted_on = models.DateField(_("adopted"))
    adopted_by = models.CharField(_("adopted by"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("directive version")
        verbose_name_plural = _("directive versions")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{_('Directive')} {self.number}"


class Meeting(models.Model):
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{_('Meeting')} {self.held_on:%Y-%m-%d}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    text = models.TextField(_("what to do"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="network_action_items",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionReminder(models.Model):
    """An action item's owner was reminded at `stage`: each stage once."""

    class Stage(models.TextChoices):
        DUE = "due", _("due tomorrow")
        OVERDUE = "overdue", _("overdue")

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=Stage)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="network_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.stage}"


class Report(models.Model):
    """The service report for one period (a tertial or a year) to the management group,
    for the whole municipality and per förvaltning. A draft reads the data when shown; a
    final report shows `figures`, frozen when it was marked final, and keeps its PDFs.

    Marking final takes a while (the figures and two long PDFs), so it is asked for and
    then done by the background worker: the report is "being finalised" in between, and
    goes back to a draft, with `finalise_failed_at` set, if the work fails."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FINALISING = "finalising", _("being finalised")
        FINAL = "final", _("final")

    period = models.CharField(_("period"), max_length=10, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    figures = models.JSONField(_("figures"), null=True, blank=True, editable=False)
    pdf_sv = models.BinaryField(_("PDF in Swedish"), null=True, editable=False)
    pdf_en = models.BinaryField(_("PDF in English"), null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finalise_requested_at = models.DateTimeField(
        _("asked to be marked final"), null=True, blank=True
    )
    finalise_failed_at = models.DateTimeField(_("marking final failed"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("marked final"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked final by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("service report")
        verbose_name_plural = _("service reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{_('Service report')} {self.period}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_finalising(self) -> bool:
        return self.status == self.Status.FINALISING
