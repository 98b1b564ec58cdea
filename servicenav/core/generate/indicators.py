"""The generated municipality's key performance indicators: every case statistic at the top
unit (and so for every unit below it), and two of each administration's own, with a
target for each year. Defined through the kpis services, as staff would; their
measurements are computed by `compute_kpis`, not here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from servicenav.core.periods import PeriodKind
from servicenav.kpis.models import Kind, Source, Statistic, UnitOfMeasure
from servicenav.kpis.services import indicator_create, target_set

if TYPE_CHECKING:
    from servicenav.core.generate.organisation import Organisation
    from servicenav.kpis.models import Indicator
    from servicenav.organisation.models import Unit

REASON = "Generated data: the top unit measures every statistic, so that each is exercised."


@dataclass(frozen=True)
class Definition:
    statistic: str
    params: dict[str, int]
    kind: str
    measure: str  # unit of measure
    higher_is_better: bool
    target: int
    name_sv: str
    name_en: str
    definition_sv: str
    period_kind: PeriodKind = PeriodKind.MONTH


_ANSWERED = "Andel synpunkter som fick svar eller avslutades inom {} arbetsdagar från "
_DUE_MONTH = "mottagandet, räknat i den månad gränsen löper ut."
_TO_ANSWER = (
    "av arbetsdagar från mottagandet till första svar eller avslut, för synpunkter "
    "besvarade under månaden."
)
_OPEN_AGE = "av arbetsdagar sedan mottagandet för synpunkter som var öppna vid månadens slut."
PERCENT, DAYS = UnitOfMeasure.PERCENT, UnitOfMeasure.WORKING_DAYS
TOP = [
    Definition(
        Statistic.SHARE_ACKNOWLEDGED_WITHIN, {"limit_days": 2}, Kind.REACHABILITY, PERCENT, True,
        90, "Bekräftade inom 2 arbetsdagar", "Acknowledged within 2 working days",
        "Andel synpunkter vars första åtgärd av personal skedde inom 2 arbetsdagar från "
        + _DUE_MONTH,
    ),
    Definition(
        Statistic.SHARE_ANSWERED_WITHIN, {"limit_days": 10}, Kind.WAITING_TIME, PERCENT, True,
        85, "Besvarade inom 10 arbetsdagar", "Answered within 10 working days",
        _ANSWERED.format(10) + _DUE_MONTH,
    ),
    Definition(
        Statistic.SHARE_ANSWERED_BY_DEADLINE, {}, Kind.WAITING_TIME, PERCENT, True, 90,
        "Besvarade senast svarsdagen", "Answered by the answer deadline",
        "Andel synpunkter med svarsdag i månaden som avslutades senast svarsdagen.",
    ),
    Definition(
        Statistic.MEDIAN_DAYS_TO_ANSWER, {}, Kind.LEAD_TIME, DAYS, False, 5,
        "Mediantid till svar", "Median time to answer", "Median " + _TO_ANSWER,
    ),
    Definition(
        Statistic.P90_DAYS_TO_ANSWER, {}, Kind.LEAD_TIME, DAYS, False, 10,
        "Tid till svar, 90:e percentilen", "Time to answer, 90th percentile",
        "90:e percentilen " + _TO_ANSWER,
    ),
    Definition(
        Statistic.OPEN_AGE_MEDIAN, {}, Kind.LEAD_TIME, DAYS, False, 8,
        "Ålder på öppna ärenden (median)", "Age of open cases (median)", "Median " + _OPEN_AGE,
    ),
    Definition(
        Statistic.OPEN_AGE_P90, {}, Kind.LEAD_TIME, DAYS, False, 20,
        "Ålder på öppna ärenden (90:e percentilen)", "Age of open cases (90th percentile)",
        "90:e percentilen " + _OPEN_AGE,
    ),
    Definition(
        Statistic.OPEN_OLDER_THAN_DEADLINE, {}, Kind.WAITING_TIME, UnitOfMeasure.COUNT, False, 0,
        "Öppna ärenden efter svarsdagen", "Open cases past their deadline",
        "Antal synpunkter som vid månadens slut var öppna och hade passerat sin svarsdag.",
    ),
    Definition(
        Statistic.SHARE_PRAISE, {}, Kind.RESULT, PERCENT, True, 20, "Andel beröm",
        "Share of praise", "Andel beröm bland synpunkter mottagna under månaden.",
    ),
]  # fmt: skip
# Each administration's own: answered faster, and praise per quarter.
OWN = [
    Definition(
        Statistic.SHARE_ANSWERED_WITHIN, {"limit_days": 5}, Kind.WAITING_TIME, PERCENT, True, 70,
        "Besvarade inom 5 arbetsdagar", "Answered within 5 working days",
        _ANSWERED.format(5) + _DUE_MONTH,
    ),
    Definition(
        Statistic.SHARE_PRAISE, {}, Kind.RESULT, PERCENT, True, 20, "Andel beröm per kvartal",
        "Share of praise per quarter", "Andel beröm bland synpunkter mottagna under kvartalet.",
        PeriodKind.QUARTER,
    ),
]  # fmt: skip


def create_indicators(organisation: Organisation, years: range) -> list[Indicator]:
    made = [_indicator(organisation, organisation.top, definition, years) for definition in TOP]
    for administration in organisation.administrations:
        made += [_indicator(organisation, administration, definition, years) for definition in OWN]
    return made


def _indicator(
    organisation: Organisation, unit: Unit, definition: Definition, years: range
) -> Indicator:
    limit = definition.params.get("limit_days")
    indicator = indicator_create(
        unit=unit,
        by=organisation.coordinator,
        reason=REASON,
        code=definition.statistic.replace("_", "-") + (f"-{limit}" if limit else ""),
        name_sv=definition.name_sv,
        name_en=definition.name_en,
        kind=definition.kind,
        definition_sv=definition.definition_sv,
        definition_en=definition.name_en,
        statistic=definition.statistic,
        source=Source.CASES,
        params=definition.params,
        unit_of_measure=definition.measure,
        higher_is_better=definition.higher_is_better,
        period_kind=definition.period_kind.value,
    )
    value = Decimal(definition.target)
    for year in years:
        target_set(indicator=indicator, year=year, value=value, by=organisation.coordinator)
    return indicator
