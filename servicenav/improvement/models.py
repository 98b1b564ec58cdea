"""Improvement actions (förbättringsåtgärder), the themes feedback is tagged with and the
library of good examples.

An `Action` belongs to one unit and links to what caused it: feedback cases, survey rounds
and conclusions, focus groups and declaration promises that were not kept. When it is done,
everyone who gave linked feedback and left an e-mail address is told once
(`ActionNotification` records that, by a hash of the address, never the address itself);
a done action can be published as "du sa – vi gjorde" with a staff-written text."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.language import in_current_language


class Theme(models.Model):
    """A theme from the shared list that staff tag feedback and survey answers with."""

    name_sv = models.CharField(_("name in Swedish"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name_sv"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_current_language(self.name_sv, self.name_en)


class ActionQuerySet(models.QuerySet["Action"]):
    def published(self) -> ActionQuerySet:
        return self.filter(published_at__isnull=False, status=Action.Status.DONE)


class Action(models.Model):
    """One improvement action of one unit."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        DECIDED = "decided", _("decided")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="improvement_actions",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("started"), null=True, blank=True)
    actual_end = models.DateField(_("finished"), null=True, blank=True)
    drop_reason = models.TextField(_("why it was dropped"), blank=True)
    outcome = models.TextField(
        _("what was changed"),
        blank=True,
        help_text=_("Told to the people whose feedback led to the action."),
    )
    values = models.ManyToManyField(
        "organisation.ServiceValue", verbose_name=_("values"), blank=True, related_name="+"
    )
    # What caused it.
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("feedback"), blank=True, related_name="improvement_actions"
    )
    rounds = models.ManyToManyField(
        "surveys.Round", verbose_name=_("survey rounds"), blank=True, related_name="+"
    )
    conclusions = models.ManyToManyField(
        "surveys.Conclusion", verbose_name=_("survey conclusions"), blank=True, related_name="+"
    )
    focus_groups = models.ManyToManyField(
        "surveys.FocusGroup", verbose_name=_("focus groups"), blank=True, related_name="+"
    )
    follow_ups = models.ManyToManyField(
        "declarations.FollowUp",
        verbose_name=_("promises not kept"),
        blank=True,
        related_name="improvement_actions",
    )
    # "Du sa – vi gjorde": staff's own words, never the citizens'.
    public_text_sv = models.TextField(_("public text in Swedish"), blank=True)
    public_text_en = models.TextField(_("public text in English"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def public_text(self) -> str:
        return in_current_language(self.public_text_sv, self.public_text_en)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ActionUpdate(models.Model):
    """One dated entry in an action's timeline."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("update"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.date}"


class ActionNotification(models.Model):
    """That the person with one e-mail address was told about one done action; the address
    is kept only as a hash, so the record adds no personal data."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notifications")
    address_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "address_hash"], name="improvement_notified_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.address_hash[:8]}"


class CaseTheme(models.Model):
    """A theme staff tagged a feedback case with."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="theme_tags")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="case_tags")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "theme"], name="improvement_case_theme_once")
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.theme}"


class TextAnswerTheme(models.Model):
    """A theme staff tagged a free-text survey answer with."""

    answer = models.ForeignKey(
        "surveys.TextAnswer", on_delete=models.CASCADE, related_name="theme_tags"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="answer_tags")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "theme"], name="improvement_answer_theme_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.theme}"


class GoodExample(models.Model):
    """A practice worth learning from: what was done and what it led to."""

    class Source(models.TextChoices):
        PRAISE = "praise", _("praise marked as a good example")
        ACTION = "action", _("a completed improvement action")
        EXTERNAL = "external", _("written directly")

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what was done"))
    result = models.TextField(_("what it led to"), blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="good_examples",
    )
    values = models.ManyToManyField(
        "organisation.ServiceValue", verbose_name=_("values"), blank=True, related_name="+"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="good_examples"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.OneToOneField(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="good_example"
    )
    source_name = models.CharField(
        _("learnt from"),
        max_length=200,
        blank=True,
        help_text=_("For example another municipality."),
    )
    source_url = models.URLField(_("link to the source"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("good example")
        verbose_name_plural = _("good examples")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
