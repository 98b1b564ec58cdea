"""Key performance indicators (nyckeltal), their yearly targets and their measurements.

An `Indicator` is defined once, in words and in its computation: the written definition
names the start event, the stop event, the population, the statistic and the period, and
`statistic` + `params` say how the same thing is computed from the cases. A
`Measurement` is one value of an indicator for one unit and one period; computed
measurements are always rewritten from the data, so they can be reproduced."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.language import in_current_language
from servicenav.core.periods import PERIOD_KIND_CHOICES, PeriodKind


class Kind(models.TextChoices):
    """What the indicator says something about (policy part 5)."""

    REACHABILITY = "reachability", _("reachability")
    WAITING_TIME = "waiting_time", _("waiting time")
    LEAD_TIME = "lead_time", _("lead time")
    RESULT = "result", _("result")


class Statistic(models.TextChoices):
    """The statistics computed from cases (see `servicenav.kpis.case_statistics`)."""

    SHARE_ACKNOWLEDGED_WITHIN = (
        "share_acknowledged_within",
        _("share acknowledged within a number of working days"),
    )
    SHARE_ANSWERED_WITHIN = (
        "share_answered_within",
        _("share answered within a number of working days"),
    )
    SHARE_ANSWERED_BY_DEADLINE = (
        "share_answered_by_deadline",
        _("share answered by the answer deadline"),
    )
    MEDIAN_DAYS_TO_ANSWER = "median_days_to_answer", _("median working days to answer")
    P90_DAYS_TO_ANSWER = "p90_days_to_answer", _("90th percentile of working days to answer")
    OPEN_AGE_MEDIAN = "open_age_median", _("median age of open cases at period end")
    OPEN_AGE_P90 = "open_age_p90", _("90th percentile age of open cases at period end")
    OPEN_OLDER_THAN_DEADLINE = (
        "open_older_than_deadline",
        _("open cases past their answer deadline at period end"),
    )
    SHARE_PRAISE = "share_praise", _("share of praise among feedback")


class Source(models.TextChoices):
    CASES = "cases", _("computed from cases")
    SURVEYS = "surveys", _("computed from surveys")
    MANUAL = "manual", _("measured elsewhere")
    KOLADA = "kolada", _("Kolada")


class UnitOfMeasure(models.TextChoices):
    PERCENT = "percent", _("percent")
    WORKING_DAYS = "working_days", _("working days")
    COUNT = "count", _("count")
    PER_THOUSAND = "per_thousand", _("per 1,000 inhabitants")
    INDEX = "index", _("index")


class Indicator(models.Model):
    """One key performance indicator of a unit, measured for that unit and those below it."""

    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.SlugField(_("code"), max_length=50)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    definition_sv = models.TextField(
        _("definition in Swedish"),
        help_text=_("The start event, the stop event, the population, the statistic, the period."),
    )
    definition_en = models.TextField(_("definition in English"), blank=True)
    statistic = models.CharField(
        _("statistic"),
        max_length=40,
        choices=Statistic.choices,
        blank=True,
        help_text=_("How the value is computed from the cases; empty for other sources."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # e.g. {"limit_days": 2} for the "within" statistics.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=20, choices=UnitOfMeasure.choices
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PERIOD_KIND_CHOICES, default=PeriodKind.MONTH.value
    )
    min_cases = models.PositiveSmallIntegerField(
        _("fewest cases"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("With fewer cases in a period, no value is shown."),
    )
    active = models.BooleanField(_("active"), default=True)
    # Why the unit has more active indicators than its limit, from a quality coordinator.
    exception_reason = models.TextField(_("reason for exceeding the limit"), blank=True)
    kolada_kpi = models.CharField(
        _("Kolada KPI"), max_length=20, blank=True, help_text=_("e.g. U00401; for comparison.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["unit__path", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="unique_indicator_code_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def name(self) -> str:
        return in_current_language(self.name_sv, self.name_en)

    @property
    def definition(self) -> str:
        return in_current_language(self.definition_sv, self.definition_en)


class IndicatorLimit(models.Model):
    """How many active indicators a unit may have, when not the default
    (`SERVICENAV_KPI_MAX_ACTIVE`): few indicators that capture what they should."""

    unit = models.OneToOneField(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="indicator_limit",
    )
    maximum = models.PositiveSmallIntegerField(
        _("most active indicators"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("indicator limit")
        verbose_name_plural = _("indicator limits")

    def __str__(self) -> str:
        return f"{self.unit}: {self.maximum}"


class Target(models.Model):
    """The value an indicator aims at in one year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class Measurement(models.Model):
    """One value of an indicator for one unit (the owner or a unit below it) and period.

    `value` None means no value: no data, or fewer cases than the indicator's minimum
    (`n` then says how many there were)."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    n = models.PositiveIntegerField(_("number of cases"), null=True, blank=True)
    low = models.DecimalField(
        _("interval low"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    high = models.DecimalField(
        _("interval high"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    # For measurements entered or imported by staff: who, and where the figure came from.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "unit__path", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"], name="one_measurement_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit_id} {self.period}: {self.value}"


class StaleUnit(models.Model):
    """Case data of `unit` changed from the day `since` on: measurements of the indicators
    owned by the unit or a unit above it are recomputed from that day's period by a
    background task, which deletes the row. One row per unit keeps a burst of changes to
    one recomputation."""

    unit = models.OneToOneField(
        "organisation.Unit", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    since = models.DateField()

    def __str__(self) -> str:
        return f"{self.unit_id} since {self.since}"


class KoladaKpi(models.Model):
    """A Kolada KPI's description, kept so staff can link an indicator to it by title."""

    id = models.CharField(_("Kolada id"), max_length=20, primary_key=True)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    operating_area = models.CharField(_("operating area"), max_length=300, blank=True)
    demo = models.BooleanField(_("demo figure"), default=False)
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now)

    class Meta:
        verbose_name = _("Kolada KPI")
        verbose_name_plural = _("Kolada KPIs")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id}: {self.title}"


class KoladaGroup(models.Model):
    """A Kolada municipality group (e.g. similar municipalities, the county) and its
    members, for the group average and comparisons."""

    id = models.CharField(_("Kolada id"), max_length=20, primary_key=True)
    title = models.CharField(_("title"), max_length=300)
    members = models.JSONField(_("member municipalities"), default=list)
    demo = models.BooleanField(_("demo figure"), default=False)
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now)

    class Meta:
        verbose_name = _("Kolada municipality group")
        verbose_name_plural = _("Kolada municipality groups")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class KoladaValue(models.Model):
    """One Kolada figure: the total (gender T) of a KPI for one municipality (or Riket,
    `0000`) and year, as Kolada published it. `demo` marks recorded figures loaded as demo
    data, which pages must label as such."""

    kpi = models.CharField(_("Kolada KPI"), max_length=20)
    municipality = models.CharField(_("municipality"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    status = models.CharField(_("status"), max_length=20, blank=True)
    demo = models.BooleanField(_("demo figure"), default=False)
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now)

    class Meta:
        verbose_name = _("Kolada value")
        verbose_name_plural = _("Kolada values")
        ordering = ["kpi", "year", "municipality"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "municipality", "year"], name="one_kolada_value")
        ]
        indexes = [models.Index(fields=["kpi", "year"], name="kolada_kpi_year")]

    def __str__(self) -> str:
        return f"{self.kpi} {self.municipality} {self.year}: {self.value}"
