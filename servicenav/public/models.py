"""What the public results site reads instead of the cases: feedback counted once a night.

A public page must answer in well under a tenth of a second with a million cases in the
database, so it never counts cases itself. `FeedbackMonth` holds, for one unit's *own*
cases (not those of the units below it) of one kind in one month, the counts the public
figures are made of, and the working days to answer as a histogram. Counts and histograms
add up exactly, so the figures of a unit *and every unit below it*, of all kinds together,
or of a quarter or a year, are sums of these rows: a median of a year is the median of
the summed histogram, not an average of monthly medians. Storing each unit's own cases
also keeps the rows true when a unit moves in the tree: its rows move with it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.cases.models import Kind


class FeedbackMonth(models.Model):
    """The cases of one unit of one kind in one month, counted as the KPIs count them
    (`servicenav.kpis.case_statistics`); written only by `public.feedback`."""

    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The first day of the month.
    month = models.DateField(_("month"))
    # Received in the month (the population of the share of praise).
    received = models.PositiveIntegerField(_("received"), default=0)
    # Answered (first reply or first close) in the month, and for each number of working
    # days from the day received to the answer, how many: {"3": 12, "4": 7, …}.
    answered = models.PositiveIntegerField(_("answered"), default=0)
    days_to_answer = models.JSONField(_("working days to answer"), default=dict)
    # Whose answer deadline fell in the month, and of those, answered by it.
    due = models.PositiveIntegerField(_("answer deadline in the month"), default=0)
    due_in_time = models.PositiveIntegerField(_("answered by the deadline"), default=0)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback month")
        verbose_name_plural = _("feedback months")
        ordering = ["unit", "month", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "month"], name="one_feedback_month_per_unit_kind"
            )
        ]
        indexes = [models.Index(fields=["month"], name="feedback_month_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.month:%Y-%m}: {self.received}"
