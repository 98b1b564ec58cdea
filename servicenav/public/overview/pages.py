"""The pages: what the start page, a unit's page and the comparison page show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from servicenav.cases.models import Case
from servicenav.improvement.selectors import published_actions
from servicenav.kpis.comparison import indicator_comparison
from servicenav.kpis.models import Indicator, KoladaKpi, UnitOfMeasure
from servicenav.public.charts import Series, line_chart_svg
from servicenav.public.figures import (
    minimum_cases,
    public_units,
)
from servicenav.public.overview.feedback import FeedbackWindow, feedback_windows, months_chart
from servicenav.public.overview.indicators import (
    KpiRow,
    KpiTally,
    as_float,
    kpi_rows,
    kpi_tally,
    unit_kpis,
)
from servicenav.public.overview.promises import (
    DeclarationHistory,
    PromiseTally,
    declaration_histories,
    promise_tallies,
)
from servicenav.public.overview.stories import (
    SurveyResult,
    actions_by_unit,
    published_summaries,
    survey_results,
)

if TYPE_CHECKING:
    from django.utils.safestring import SafeString

    from servicenav.improvement.models import Action
    from servicenav.kpis.comparison import Comparison
    from servicenav.organisation.models import Unit

TILE_ACTIONS = 3
UNIT_ACTIONS = 5
UNIT_STORIES = 5
COMPARE_YEARS = 10


@dataclass(frozen=True)
class Tile:
    """One unit at a glance. `actions` are its newest published improvement actions
    ("du sa – vi gjorde")."""

    unit: Unit
    kpis: list[KpiRow]
    promises: PromiseTally
    feedback: FeedbackWindow | None
    actions: list[Action]

    @property
    def kpi_tally(self) -> KpiTally:
        return kpi_tally(self.kpis)


@dataclass(frozen=True)
class StartPage:
    """The municipality as a whole and a tile per förvaltning (the top unit's active
    children)."""

    municipality: Tile | None
    tiles: list[Tile]
    minimum: int


def start_page(*, today: date | None = None) -> StartPage:
    """Everything the start page shows: eleven queries, however many units there are."""
    today = today or timezone.localdate()
    units = public_units()
    root = next((unit for unit in units if unit.parent_id is None), None)
    if root is None:
        return StartPage(None, [], minimum_cases())
    shown = [root, *(unit for unit in units if unit.parent_id == root.pk)]
    kpis = kpi_rows(shown)
    promises = promise_tallies(shown, today)
    feedback = feedback_windows(shown)
    actions = actions_by_unit(shown, TILE_ACTIONS)
    tiles = [
        Tile(
            unit=unit,
            kpis=kpis.get(unit.pk, []),
            promises=promises[unit.pk],
            feedback=feedback.get(unit.pk),
            actions=actions[unit.pk],
        )
        for unit in shown
    ]
    return StartPage(tiles[0], tiles[1:], minimum_cases())


@dataclass(frozen=True)
class UnitPage:
    """A unit's page: its own declarations, key figures and surveys; its feedback,
    published improvement actions and published case summaries with those of the units
    below it; the units above and below."""

    unit: Unit
    parent: Unit | None
    children: list[Unit]
    kpis: list[KpiRow]
    declarations: list[DeclarationHistory]
    feedback: FeedbackWindow | None
    surveys: list[SurveyResult]
    actions: list[Action]
    stories: list[Case]
    minimum: int
    survey_minimum: int
    feedback_chart: SafeString | None = None

    @property
    def kpi_tally(self) -> KpiTally:
        return kpi_tally(self.kpis)


def unit_page(unit: Unit, *, today: date | None = None) -> UnitPage:
    """Everything a unit's page shows: sixteen queries (nineteen when a key figure is
    compared with Kolada), however many key figures and declarations it has, plus three
    per survey of the unit."""
    today = today or timezone.localdate()
    feedback = feedback_windows([unit], by_month=True).get(unit.pk)
    children = sorted(
        unit.children.filter(active=True), key=lambda child: (child.name.casefold(), child.pk)
    )
    parent = unit.parent if unit.parent_id and unit.parent and unit.parent.active else None
    return UnitPage(
        unit=unit,
        parent=parent,
        children=children,
        kpis=unit_kpis(unit, today),
        declarations=declaration_histories(unit, today),
        feedback=feedback,
        surveys=survey_results(unit, today),
        actions=published_actions(unit=unit, limit=UNIT_ACTIONS),
        stories=published_summaries(unit, UNIT_STORIES),
        minimum=minimum_cases(),
        survey_minimum=int(settings.SERVICENAV_SURVEY_MIN_ANSWERS),
        feedback_chart=months_chart(unit, feedback) if feedback else None,
    )


@dataclass(frozen=True)
class CompareChoice:
    """A Kolada KPI an active indicator is linked to; `indicator` says which way is better
    (the first one linked, in the order of the unit tree)."""

    kpi_id: str
    title: str
    indicator: Indicator

    @property
    def label(self) -> str:
        return f"{self.title} ({self.kpi_id})"


def compare_choices() -> list[CompareChoice]:
    """The Kolada KPIs linked to active indicators of active units, by title: two
    queries."""
    indicators = (
        Indicator.objects.filter(active=True, unit__active=True)
        .exclude(kolada_kpi="")
        .select_related("unit")
        .order_by("unit__path", "code")
    )
    first: dict[str, Indicator] = {}
    for indicator in indicators:
        first.setdefault(indicator.kolada_kpi.strip().upper(), indicator)
    first.pop("", None)
    titles = KoladaKpi.objects.in_bulk(list(first))
    choices = [
        CompareChoice(kpi, titles[kpi].title if kpi in titles else indicator.name, indicator)
        for kpi, indicator in first.items()
    ]
    return sorted(choices, key=lambda choice: (choice.title.casefold(), choice.kpi_id))


@dataclass(frozen=True)
class ComparePage:
    choice: CompareChoice
    comparison: Comparison | None
    chart: SafeString | None


def compare_page(choice: CompareChoice) -> ComparePage:
    """The own municipality, Riket and the comparison group's average over the years."""
    indicator = choice.indicator
    compared = indicator_comparison(indicator, years=COMPARE_YEARS)
    if compared is None:
        return ComparePage(choice, None, None)
    series = [
        Series(settings.SERVICENAV_MUNICIPALITY_NAME, [as_float(y.own) for y in compared.years]),
        Series(gettext("Riket (Sweden)"), [as_float(y.riket) for y in compared.years]),
    ]
    if compared.has_group:
        series.append(
            Series(
                gettext("Group average: %(group)s") % {"group": compared.group_title},
                [as_float(y.group_average) for y in compared.years],
            )
        )
    chart = line_chart_svg(
        [str(year.year) for year in compared.years],
        series,
        title=gettext("%(title)s over the years") % {"title": choice.title},
        id_prefix=f"compare-{choice.kpi_id.lower()}",
        percent=indicator.unit_of_measure == UnitOfMeasure.PERCENT,
        decimals=compared.decimals or 1,
    )
    return ComparePage(choice, compared, chart)
