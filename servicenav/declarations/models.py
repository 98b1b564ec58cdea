"""Service declarations (servicedeklarationer): what a service promises, version by version,
and how each promise was kept period by period.

A `Declaration` is the service's declaration over time; its `Version`s are what was
promised when. Only a draft can change: once sent for approval a version's text and
commitments are frozen, and a published version stays as it was for ever, so anyone can
see what the municipality promised on a given day. Editing a published declaration makes a
new draft version; publishing it archives the one before."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.language import in_current_language
from servicenav.core.periods import PERIOD_KIND_CHOICES, PeriodKind

if TYPE_CHECKING:
    from servicenav.organisation.models import Unit


class DeclarationQuerySet(models.QuerySet["Declaration"]):
    def published(self) -> DeclarationQuerySet:
        """Declarations with a version in force (published, not withdrawn)."""
        return self.filter(versions__status=Version.Status.PUBLISHED).distinct()


class Declaration(models.Model):
    """One service's declaration across its versions. The public address is its id, so a
    link printed on a leaflet keeps working when a new version is published."""

    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_declarations",
        help_text=_("Keeps the declaration current; gets the review reminders."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("service declaration")
        verbose_name_plural = _("service declarations")
        ordering = ["unit__path", "id"]

    def __str__(self) -> str:
        version = self.versions.order_by("-number").first()
        return version.service if version else f"#{self.pk}"

    @property
    def current(self) -> Version | None:
        """The published version in force, if any."""
        return self.versions.filter(status=Version.Status.PUBLISHED).first()

    @property
    def latest(self) -> Version | None:
        """The newest version, whatever its state: the one staff work on."""
        return self.versions.order_by("-number").first()


class Version(models.Model):
    """What the declaration said from `valid_from` to `valid_until`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING = "pending", _("sent for approval")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    # The texts; a version's content is frozen once it leaves the draft state.
    CONTENT_FIELDS = (
        "service_sv",
        "service_en",
        "summary_sv",
        "summary_en",
        "we_expect_sv",
        "we_expect_en",
        "if_we_fail_sv",
        "if_we_fail_en",
        "contact_sv",
        "contact_en",
        "period_kind",
    )

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    service_sv = models.CharField(_("service in Swedish"), max_length=200)
    service_en = models.CharField(_("service in English"), max_length=200, blank=True)
    summary_sv = models.TextField(_("about the service in Swedish"), blank=True)
    summary_en = models.TextField(_("about the service in English"), blank=True)
    we_expect_sv = models.TextField(_("what we expect of you, in Swedish"), blank=True)
    we_expect_en = models.TextField(_("what we expect of you, in English"), blank=True)
    if_we_fail_sv = models.TextField(_("if we do not keep a promise, in Swedish"), blank=True)
    if_we_fail_en = models.TextField(_("if we do not keep a promise, in English"), blank=True)
    contact_sv = models.TextField(_("contact details in Swedish"), blank=True)
    contact_en = models.TextField(_("contact details in English"), blank=True)
    period_kind = models.CharField(
        _("followed up per"),
        max_length=10,
        choices=PERIOD_KIND_CHOICES,
        default=PeriodKind.MONTH.value,
    )

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    # The review-by date a reminder went out for, so each date is reminded of once.
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("sent for approval"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Why the manager sent it back, shown to the writers until it is sent again.
    returned_comment = models.TextField(_("comment from the approver"), blank=True)

    class Meta:
        verbose_name = _("declaration version")
        verbose_name_plural = _("declaration versions")
        ordering = ["declaration", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "number"], name="declaration_version_number"
            ),
            # At most one version of a declaration is in force.
            models.UniqueConstraint(
                fields=["declaration"],
                condition=models.Q(status="published"),
                name="declaration_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.number})"

    @property
    def service(self) -> str:
        return in_current_language(self.service_sv, self.service_en)

    @property
    def summary(self) -> str:
        return in_current_language(self.summary_sv, self.summary_en)

    @property
    def we_expect(self) -> str:
        return in_current_language(self.we_expect_sv, self.we_expect_en)

    @property
    def if_we_fail(self) -> str:
        return in_current_language(self.if_we_fail_sv, self.if_we_fail_en)

    @property
    def contact(self) -> str:
        return in_current_language(self.contact_sv, self.contact_en)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def unit(self) -> Unit:
        return self.declaration.unit


class Measure(models.TextChoices):
    """Case statistics a measurable commitment can be judged by, until it names a KPI.
    Each counts the unit's cases (and those of the units below it) whose promise fell due in
    the period, so a case still waiting past its limit counts against the promise."""

    ACKNOWLEDGED_WITHIN = (
        "acknowledged_within",
        _("share of feedback acknowledged within the limit (working days)"),
    )
    ANSWERED_WITHIN = (
        "answered_within",
        _("share of feedback answered within the limit (working days)"),
    )
    ANSWERED_BY_DEADLINE = (
        "answered_by_deadline",
        _("share of feedback answered by its answer deadline"),
    )


class Commitment(models.Model):
    """One promise in one version. `key` stays the same when the promise is carried into
    the next version, so its follow-up history runs across versions."""

    class Kind(models.TextChoices):
        MEASURABLE = "measurable", _("measurable")
        QUALITATIVE = "qualitative", _("qualitative")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="commitments")
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_sv = models.CharField(_("promise in Swedish"), max_length=300)
    text_en = models.CharField(_("promise in English"), max_length=300, blank=True)
    kind = models.CharField(
        _("followed up as"), max_length=20, choices=Kind.choices, default=Kind.MEASURABLE
    )
    measure = models.CharField(_("measured by"), max_length=30, choices=Measure.choices, blank=True)
    limit_days = models.PositiveSmallIntegerField(
        _("limit in working days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    threshold = models.DecimalField(
        _("kept when at least (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    min_cases = models.PositiveSmallIntegerField(
        _("fewest cases to judge"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("With fewer cases in a period the result is 'not enough data'."),
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_current_language(self.text_sv, self.text_en)

    @property
    def is_measurable(self) -> bool:
        return self.kind == self.Kind.MEASURABLE


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def judged(self) -> FollowUpQuerySet:
        return self.exclude(result=FollowUp.Result.NOT_ENOUGH_DATA)


class FollowUp(models.Model):
    """How one commitment was kept in one period: computed from the data for a measurable
    commitment, assessed by staff for a qualitative one."""

    class Result(models.TextChoices):
        KEPT = "kept", _("kept")
        NOT_KEPT = "not_kept", _("not kept")
        NOT_ENOUGH_DATA = "not_enough_data", _("not enough data")

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="follow_ups")
    # The commitment's key, so one period is judged once across versions.
    commitment_key = models.UUIDField(editable=False, db_index=True)
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    value = models.DecimalField(
        _("share (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    cases = models.PositiveIntegerField(_("cases counted"), null=True, blank=True)
    comment = models.TextField(_("assessment"), blank=True)
    explanation = models.TextField(_("why the promise was not kept"), blank=True)
    planned_action = models.TextField(_("what we will do"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-period_start", "commitment__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment_key", "period"], name="follow_up_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment} {self.period}: {self.get_result_display()}"
