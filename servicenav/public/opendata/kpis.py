"""Open data: the key performance indicators (nyckeltal), what each one measures and its
measurements, with the year's target.

Only active indicators, measured for active units. A measurement built on fewer cases than
`SERVICENAV_PUBLIC_MIN_CASES` (fewer answers than `SERVICENAV_SURVEY_MIN_ANSWERS` for an
indicator computed from surveys), or one the indicator itself left without a value for too
few cases, has no value and `suppressed` true; `n` is kept, as on the pages. Figures taken
from Kolada say so in `source` and name the Kolada KPI they are. Nothing a member of staff
wrote beside a figure (the comment) and nobody's name is included."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from servicenav.kpis.models import Indicator, Measurement, Source, Target
from servicenav.public.opendata.base import (
    DAILY,
    PERIOD_COLUMNS,
    UNIT_COLUMNS,
    Column,
    Dataset,
    Row,
    period_kind_of,
    unit_cells,
)

INDICATOR_COLUMNS = (
    Column("indicator_id", "integer", _("The indicator's number; stable.")),
    Column("indicator_code", "string", _("The indicator's short code, unique within its unit.")),
    Column("indicator_name_sv", "string", _("The indicator's name in Swedish.")),
    Column("indicator_name_en", "string", _("The indicator's name in English.")),
    Column(
        "indicator_kind",
        "string",
        _("What it says something about: reachability, waiting_time, lead_time or result."),
    ),
    Column(
        "unit_of_measure",
        "string",
        _("percent, working_days, count, per_thousand (per 1,000 inhabitants) or index."),
    ),
    Column("higher_is_better", "boolean", _("true when a higher value is better.")),
)

MEASUREMENT_COLUMNS = (
    *INDICATOR_COLUMNS,
    *UNIT_COLUMNS,
    *PERIOD_COLUMNS,
    Column("value", "number", _("The measured value; empty when there is none.")),
    Column(
        "low",
        "number",
        _("Lower end of the value's 95 percent confidence interval, where one applies."),
    ),
    Column(
        "high",
        "number",
        _("Upper end of the value's 95 percent confidence interval, where one applies."),
    ),
    Column(
        "n",
        "integer",
        _("The cases or answers the value is built on; empty when the source does not say."),
    ),
    Column(
        "suppressed",
        "boolean",
        _("true: built on fewer cases or answers than the minimum, so no value is given."),
    ),
    Column("target", "number", _("The indicator's target for the year; empty without one.")),
    Column(
        "source",
        "string",
        _(
            "cases (computed from the feedback), surveys, manual (measured elsewhere and "
            "entered by the municipality) or kolada (taken from Kolada, RKA)."
        ),
    ),
    Column(
        "kolada_kpi",
        "string",
        _("The Kolada KPI the indicator is or is compared with (e.g. U00401); may be empty."),
    ),
)

DEFINITION_COLUMNS = (
    *INDICATOR_COLUMNS,
    *UNIT_COLUMNS,
    Column(
        "definition_sv",
        "string",
        _("What is measured, in Swedish: start and stop event, population, statistic and period."),
    ),
    Column("definition_en", "string", _("The same in English; may be empty.")),
    Column("source", "string", _("cases, surveys, manual or kolada (see the measurements).")),
    Column(
        "period_type", "string", _("How often it is measured: month, quarter, tertial or year.")
    ),
    Column("kolada_kpi", "string", _("The Kolada KPI it is or is compared with; may be empty.")),
)


def _indicator_cells(indicator: Indicator) -> Row:
    return {
        "indicator_id": indicator.pk,
        "indicator_code": indicator.code,
        "indicator_name_sv": indicator.name_sv,
        "indicator_name_en": indicator.name_en,
        "indicator_kind": indicator.kind,
        "unit_of_measure": indicator.unit_of_measure,
        "higher_is_better": indicator.higher_is_better,
    }


def minimum_for(source: str) -> int:
    if source == Source.SURVEYS:
        return int(settings.SERVICENAV_SURVEY_MIN_ANSWERS)
    return int(settings.SERVICENAV_PUBLIC_MIN_CASES)


def is_suppressed(measurement: Measurement, minimum: int) -> bool:
    """Cases or answers there were, but too few: by the public minimum, or by the
    indicator's own (which left the value empty)."""
    n = measurement.n
    if not n:
        return False
    return measurement.value is None or n < minimum


def measurement_rows() -> list[Row]:
    targets = {
        (indicator_id, year): value
        for indicator_id, year, value in Target.objects.filter(indicator__active=True).values_list(
            "indicator_id", "year", "value"
        )
    }
    measurements = (
        Measurement.objects.filter(indicator__active=True, unit__active=True)
        .select_related("indicator", "unit")
        .order_by("indicator__unit__path", "indicator__code", "unit__path", "period_start")
    )
    rows = []
    for measurement in measurements:
        indicator = measurement.indicator
        hidden = is_suppressed(measurement, minimum_for(measurement.source))
        rows.append(
            _indicator_cells(indicator)
            | unit_cells(measurement.unit)
            | {
                "period_type": period_kind_of(measurement.period),
                "period": measurement.period,
                "period_start": measurement.period_start,
                "period_end": measurement.period_end,
                "value": None if hidden else measurement.value,
                "low": None if hidden else measurement.low,
                "high": None if hidden else measurement.high,
                "n": measurement.n,
                "suppressed": hidden,
                "target": targets.get((indicator.pk, measurement.period_start.year)),
                "source": measurement.source,
                "kolada_kpi": indicator.kolada_kpi,
            }
        )
    return rows


def measurement_temporal() -> tuple[date, date] | None:
    span = Measurement.objects.filter(indicator__active=True, unit__active=True).aggregate(
        first=Min("period_start"), last=Max("period_end")
    )
    return (span["first"], span["last"]) if span["first"] else None


def definition_rows() -> list[Row]:
    indicators = Indicator.objects.filter(active=True, unit__active=True).select_related("unit")
    return [
        _indicator_cells(indicator)
        | unit_cells(indicator.unit)
        | {
            "definition_sv": indicator.definition_sv,
            "definition_en": indicator.definition_en,
            "source": indicator.source,
            "period_type": indicator.period_kind,
            "kolada_kpi": indicator.kolada_kpi,
        }
        for indicator in indicators.order_by("unit__path", "code")
    ]


MEASUREMENTS = Dataset(
    slug="nyckeltal",
    title=_("Key performance indicators: measurements"),
    description=_(
        "Each measurement of the municipality's key performance indicators: the value per "
        "unit and period with its interval, the number of cases or answers it is built on "
        "and the year's target. Figures built on too few cases or answers are left out and "
        "marked; figures taken from Kolada are marked as such."
    ),
    keywords=(_("key performance indicators"), _("service quality"), _("targets")),
    columns=MEASUREMENT_COLUMNS,
    rows=measurement_rows,
    temporal=measurement_temporal,
    periodicity=DAILY,
)

DEFINITIONS = Dataset(
    slug="nyckeltalsdefinitioner",
    title=_("Key performance indicators: definitions"),
    description=_(
        "What each of the municipality's active key performance indicators measures, which "
        "unit owns it, how often it is measured and where its figures come from."
    ),
    keywords=(_("key performance indicators"), _("definitions")),
    columns=DEFINITION_COLUMNS,
    rows=definition_rows,
    temporal=measurement_temporal,
    periodicity=DAILY,
)
