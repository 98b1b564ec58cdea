"""Synpunkter: feedback from citizens and how staff handle it."""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.language import in_current_language

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from servicenav.organisation.models import User


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    SUGGESTION = "suggestion", _("suggestion")
    PRAISE = "praise", _("praise")
    QUESTION = "question", _("question")


class Channel(models.TextChoices):
    WEB = "web", _("web form")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")
    EMAIL = "email", _("e-mail")
    SOCIAL = "social", _("social media")
    API = "api", _("e-service (API)")


class Status(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    ACTIONED = "actioned", _("actioned")
    ANSWERED = "answered", _("answered")
    NO_ACTION = "no_action", _("no action")
    REFERRED = "referred", _("referred to another authority")
    DUPLICATE = "duplicate", _("duplicate")


class Category(models.Model):
    """A unit's own way of sorting its feedback (e.g. "snöröjning" for Gata och park)."""

    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    description_sv = models.CharField(_("description in Swedish"), max_length=300, blank=True)
    description_en = models.CharField(_("description in English"), max_length=300, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=200, blank=True, help_text=_("Comma-separated, for Open311.")
    )
    # Open311 services that need a place follow GeoReport v2 strictly; the others (most
    # Swedish feedback: a phone call, opening hours) accept requests without one.
    needs_location = models.BooleanField(_("needs a place"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["unit__path", "name_sv"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_current_language(self.name_sv, self.name_en)

    @property
    def description(self) -> str:
        return in_current_language(self.description_sv, self.description_en)


class CategoryAttribute(models.Model):
    """An extra question a category asks (an Open311 service-definition attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        NUMBER = "number", _("number")
        DATETIME = "datetime", _("date and time")
        TEXT = "text", _("long text")
        SINGLEVALUELIST = "singlevaluelist", _("one choice")
        MULTIVALUELIST = "multivaluelist", _("several choices")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("code"), max_length=50)
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype.choices)
    question_sv = models.CharField(_("question in Swedish"), max_length=200)
    question_en = models.CharField(_("question in English"), max_length=200)
    required = models.BooleanField(_("required"), default=False)
    # For list types: [{"key": "1", "name_sv": "…", "name_en": "…"}, …]
    values = models.JSONField(_("choices"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="unique_attribute_code")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.code}"

    @property
    def question(self) -> str:
        return in_current_language(self.question_sv, self.question_en)


class DeadlineRule(models.Model):
    """Working days to acknowledge and to answer, for a unit (and below) and optionally one
    kind. The most specific rule wins; without one, the settings' defaults apply."""

    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    acknowledge_days = models.PositiveSmallIntegerField(_("working days to acknowledge"))
    answer_days = models.PositiveSmallIntegerField(_("working days to answer"))

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="one_deadline_rule_per_unit_kind")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.kind or '*'}: {self.acknowledge_days}/{self.answer_days}"


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User | AnonymousUser) -> CaseQuerySet:
        """Cases of the units where `user` holds any role; cases not yet routed to a unit
        (triage) for quality coordinators and administrators."""
        from servicenav.cases.access import case_visibility

        return self.filter(case_visibility(user))

    def open(self) -> CaseQuerySet:
        return self.exclude(status=Status.CLOSED)

    def published(self) -> CaseQuerySet:
        """Cases staff published with an anonymised summary; their personal data never
        appears beside it (see the public template)."""
        return self.filter(is_published=True).select_related("unit").order_by("-received_at")


class Case(models.Model):
    """One piece of feedback (synpunkt), from whichever channel it came."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    follow_up_hash = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("feedback"), max_length=4000)
    # Answers to the category's extra questions (Open311 attributes), by attribute code.
    attributes = models.JSONField(_("answers to questions"), default=dict, blank=True)
    api_key = models.ForeignKey(
        "api.ApiKey",
        verbose_name=_("filed with key"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    # The promise in a service declaration this feedback is about ("you broke it", or praise).
    commitment = models.ForeignKey(
        "declarations.Commitment",
        verbose_name=_("promise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Personal data: never on a public page, in open data or in a log line.
    reporter_name = models.CharField(_("name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    reporter_phone = models.CharField(_("phone"), max_length=40, blank=True)
    wants_answer = models.BooleanField(_("wants an answer"), default=False)
    # The language the citizen wrote in; e-mail to them is sent in it.
    language = models.CharField(_("language"), max_length=5, default="sv")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("outcome note"), max_length=500, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    values = models.ManyToManyField(
        "organisation.ServiceValue", verbose_name=_("values"), blank=True, related_name="cases"
    )
    related = models.ManyToManyField("self", verbose_name=_("related cases"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_cases",
    )

    # The clocks: they start when the feedback reached the municipality.
    received_at = models.DateTimeField(_("received"), db_index=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    acknowledge_by = models.DateField(_("acknowledge by"))
    answer_by = models.DateField(_("answer by"), db_index=True)
    # The answer clock: answer_days working days from clock_started_on, plus the working
    # days spent waiting for the citizen or another party. Reopening restarts it.
    clock_started_on = models.DateField(editable=False)
    answer_days = models.PositiveSmallIntegerField(default=10, editable=False)
    paused_days = models.PositiveSmallIntegerField(default=0, editable=False)
    waiting_since = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    first_reply_at = models.DateTimeField(_("first reply"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Frozen when the clock stops, so statistics stay honest after later changes.
    acknowledged_in_time = models.BooleanField(_("acknowledged in time"), null=True)
    answered_in_time = models.BooleanField(_("answered in time"), null=True)

    is_good_example = models.BooleanField(_("good example"), default=False)
    good_example_summary = models.TextField(_("good example summary"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    public_summary = models.TextField(_("public summary"), blank=True)
    public_answer = models.TextField(_("public answer"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # Lets a double click or a reload of the form find the case it already made.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="case_unit_status"),
            models.Index(fields=["status", "answer_by"], name="case_status_due"),
            # The public pages' newest published summaries, read from the index alone.
            models.Index(
                fields=["-received_at", "unit", "id"],
                condition=models.Q(is_published=True),
                name="case_published_newest",
            ),
            # Open cases are about one in a hundred. The inbox ("open", by unit) and
            # Open311's list ("open", by service) read these small indexes, newest first,
            # instead of every case of the unit or of the last 90 days. The columns of the
            # overdue test come last, so the inbox counts its cases from the index alone.
            models.Index(
                fields=[
                    "unit",
                    "-received_at",
                    "-id",
                    "status",
                    "answer_by",
                    "acknowledge_by",
                    "acknowledged_at",
                ],
                condition=~models.Q(status=Status.CLOSED),
                name="case_open_by_unit",
            ),
            models.Index(
                fields=["category", "-received_at", "-id"],
                condition=~models.Q(status=Status.CLOSED),
                name="case_open_by_service",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def follow_up_code_matches(self, code: str) -> bool:
        return hmac.compare_digest(self.follow_up_hash, hash_follow_up_code(code))

    @property
    def is_anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_email or self.reporter_phone)

    @property
    def can_be_emailed(self) -> bool:
        return bool(self.reporter_email) and self.anonymised_at is None

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


def hash_follow_up_code(code: str) -> str:
    """Codes are random and long, so a plain SHA-256 keeps them safe at rest. Case,
    spaces and dashes do not matter when a person types a code back."""
    normalised = "".join(char for char in code.upper() if char.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


class CaseEvent(models.Model):
    """One thing that happened to a case. Together they are its full history."""

    class Type(models.TextChoices):
        CREATED = "created", _("registered")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        ASSIGNED = "assigned", _("assigned")
        MOVED = "moved", _("moved to another unit")
        CATEGORISED = "categorised", _("category set")
        STATUS = "status", _("status changed")
        NOTE = "note", _("internal note")
        REPLY = "reply", _("reply to the citizen")
        CITIZEN_MESSAGE = "citizen_message", _("message from the citizen")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        MERGED = "merged", _("merged")
        LINKED = "linked", _("linked to a related case")
        TAGGED = "tagged", _("values tagged")
        GOOD_EXAMPLE = "good_example", _("marked as a good example")
        PUBLISHED = "published", _("published")
        COMMITMENT = "commitment", _("promise changed")
        ANONYMISED = "anonymised", _("personal data anonymised")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    type = models.CharField(_("event"), max_length=20, choices=Type.choices)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Shown to the citizen on the case page: replies, their own messages, status changes.
    is_public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.type} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(attachment: Attachment, filename: str) -> str:
    # The citizen's file name may itself be personal data; the stored name is random.
    return (
        f"attachments/{attachment.case.received_at:%Y/%m}/{attachment.token}{attachment.extension}"
    )


class Attachment(models.Model):
    """An image or PDF sent with feedback; images are stored without their metadata."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case} {self.token}{self.extension}"


class AnswerTemplate(models.Model):
    """A ready-made reply for a kind of feedback in a unit, with placeholders."""

    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: for every unit."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(
        _("text"),
        help_text=_("Placeholders: {reference}, {unit}, {handler}, {received}."),
    )

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ReferenceCounter(models.Model):
    """The last reference number used in a year; locked while a case is numbered."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Reminder(models.Model):
    """A deadline reminder already sent, so each is sent once."""

    class Stage(models.TextChoices):
        HALF = "half", _("half the time used")
        DUE = "due", _("due tomorrow")
        OVERDUE = "overdue", _("overdue")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["case", "stage"], name="one_reminder_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.stage}"
