"""Surveys (enkäter): questions asked of a target group in recurring rounds, answered
anonymously, and what staff concluded from them; focus groups beside them.

Comparability is built into the model: a `Question` never changes once a round has used
it — new wording or a new scale is a new question — and a new `Round` copies the previous
round's questions, so "the same question" across rounds is literally the same row.

Anonymity is built in too: an `Invitation` is an unused code and disappears when used,
and a `Response` holds no reference to a code, a person or a moment finer than the day it
came in."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.language import in_current_language


def new_link_token() -> str:
    return secrets.token_urlsafe(12)


class Survey(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    title_sv = models.CharField(_("title in Swedish"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    target_group_sv = models.TextField(_("target group in Swedish"))
    target_group_en = models.TextField(_("target group in English"), blank=True)
    intro_sv = models.TextField(_("introduction in Swedish"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["unit__path", "title_sv"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_current_language(self.title_sv, self.title_en)

    @property
    def target_group(self) -> str:
        return in_current_language(self.target_group_sv, self.target_group_en)

    @property
    def intro(self) -> str:
        return in_current_language(self.intro_sv, self.intro_en)


class Area(models.Model):
    """A question area (frågeområde): the questions analysed together as one index."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="areas")
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question area")
        verbose_name_plural = _("question areas")
        ordering = ["survey", "order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_current_language(self.name_sv, self.name_en)


class Question(models.Model):
    """One question as worded once. Used by a round, it is frozen: rewording makes a new
    question, so that analysis only ever compares like with like."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("scale")
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        YES_NO = "yes_no", _("yes or no")
        TEXT = "text", _("free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text_sv = models.CharField(_("question in Swedish"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    # Scales: 1–5, 1–7 or 1–10, with words for the two ends.
    scale_max = models.PositiveSmallIntegerField(
        _("scale from 1 to"),
        null=True,
        blank=True,
        choices=[(5, "1–5"), (7, "1–7"), (10, "1–10")],
    )
    low_label_sv = models.CharField(_("lowest means (Swedish)"), max_length=100, blank=True)
    low_label_en = models.CharField(_("lowest means (English)"), max_length=100, blank=True)
    high_label_sv = models.CharField(_("highest means (Swedish)"), max_length=100, blank=True)
    high_label_en = models.CharField(_("highest means (English)"), max_length=100, blank=True)
    allows_dont_know = models.BooleanField(_("offers “don't know”"), default=False)
    # Choices: [{"sv": "…", "en": "…"}, …]; an answer stores the option's position.
    options = models.JSONField(_("options"), default=list, blank=True)
    is_background = models.BooleanField(
        _("background question"),
        default=False,
        help_text=_("Age band, area, using the service or not: used to break results down."),
    )
    is_overall = models.BooleanField(
        _("overall satisfaction question"),
        default=False,
        help_text=_("At most three; together they make the survey's index."),
    )
    required = models.BooleanField(_("must be answered"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_current_language(self.text_sv, self.text_en)

    @property
    def low_label(self) -> str:
        return in_current_language(self.low_label_sv, self.low_label_en)

    @property
    def high_label(self) -> str:
        return in_current_language(self.high_label_sv, self.high_label_en)

    @property
    def option_labels(self) -> list[str]:
        return [in_current_language(o.get("sv", ""), o.get("en", "")) for o in self.options]

    @property
    def is_scale(self) -> bool:
        return self.kind == self.Kind.SCALE


# How a "don't know" answer to a scale question is stored: it counts as answered, but in
# no mean, index or share.
DONT_KNOW = 0


class Round(models.Model):
    """One measurement occasion of a survey, open between two dates."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(
        _("name"), max_length=100, help_text=_("For example “2026” or “March 2026”.")
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    questions: models.ManyToManyField[Question, RoundQuestion] = models.ManyToManyField(
        Question, through="RoundQuestion", related_name="rounds", verbose_name=_("questions")
    )
    # The open link: anyone with it may answer (once per device session).
    link_token = models.CharField(max_length=24, unique=True, default=new_link_token)
    open_link = models.BooleanField(
        _("open link"), default=True, help_text=_("Off: only invitation codes let people answer.")
    )
    invitations_sent = models.PositiveIntegerField(
        _("invitations sent"), default=0, help_text=_("For the response rate.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["survey", "opens_on", "id"]

    def __str__(self) -> str:
        return f"{self.survey}: {self.name}"

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    @property
    def invitations_used(self) -> int:
        return self.invitations_sent - self.invitations.count()

    @property
    def response_rate(self) -> float | None:
        """Share of invitations answered (%), when invitations were sent."""
        if not self.invitations_sent:
            return None
        return 100 * self.invitations_used / self.invitations_sent


class RoundQuestion(models.Model):
    """A question's place in a round; `position` is its column in every response's answers."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    is_public = models.BooleanField(_("on the public results site"), default=False)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="round_question_position"),
            models.UniqueConstraint(fields=["round", "question"], name="round_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.position}"


class Invitation(models.Model):
    """A single-use code not yet used. Using a code deletes its row, in the transaction
    that stores the answers: no column, row version or row order is left that could tie an
    answer to the code (a flag set in that transaction would carry its transaction id on
    PostgreSQL). How many were used is `Round.invitations_sent` minus the rows left."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.round}: {self.code_hash[:8]}…"


class Response(models.Model):
    """One person's answers to one round: `answers[i]` answers the round's question at
    position i — an option number (1-based) or scale value, `DONT_KNOW`, a bitmask of
    options for multiple choice (bit 0 = option 1), or None when skipped. Free text is
    kept apart (`TextAnswer`), as it is read, tagged and never published as such."""

    class Channel(models.TextChoices):
        WEB = "web", _("web")
        PAPER = "paper", _("paper")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(default=list)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    # The day only: a time would let someone match answers to codes used at that moment.
    submitted_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.round}: {self.pk}"


class TextAnswer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="texts")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="text_answers")
    text = models.TextField()
    themes = models.JSONField(_("themes"), default=list, blank=True)

    class Meta:
        ordering = ["question", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class Quote(models.Model):
    """A free-text answer a member of staff chose, and may have shortened, to publish."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="quotes")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("quote"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.text[:50]


class Conclusion(models.Model):
    """What staff concluded from a round, and the actions decided; the next round's
    report shows them with what was done."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="conclusions")
    text = models.TextField(_("conclusion"))
    actions = models.TextField(_("actions decided"), blank=True)
    outcome = models.TextField(_("what was done"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["round", "created_at"]

    def __str__(self) -> str:
        return self.text[:50]


class FocusGroup(models.Model):
    """A focus-group interview, next to a survey or a unit: qualitative insight, never
    mixed into the statistics."""

    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="focus_groups",
    )
    held_on = models.DateField(_("date"))
    target_group = models.CharField(_("target group"), max_length=200)
    participants = models.PositiveSmallIntegerField(
        _("participants"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    method = models.CharField(_("method"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    themes = models.TextField(_("themes"), blank=True, help_text=_("One per line."))
    quotes = models.TextField(_("quotes"), blank=True, help_text=_("Anonymised, one per line."))
    actions = models.TextField(_("actions it led to"), blank=True)

    class Meta:
        verbose_name = _("focus group")
        verbose_name_plural = _("focus groups")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.target_group} ({self.held_on})"
