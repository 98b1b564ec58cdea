"""Comparison norms from Kolada for one indicator (policy part 6): the own municipality's
figure next to Riket, the comparison group's average and the own place among all
municipalities, per year — read from what `kolada_sync` (or the demo data) stored.

Only stored figures are used. Where Kolada has none, the year shows no figure; where it has
none at all, `indicator_comparison` returns None and the page says the indicator is judged
against its own earlier periods and its target instead. Nothing is estimated.

Definitions, which the page states too:
- group average: the unweighted mean of the members of the comparison group
  (`SERVICENAV_KOLADA_GROUP`) that have a figure that year, as Kolada computes group values;
  the own municipality counts when it is a member. How many members had a figure is shown.
- quartile: the own place among the municipalities (Kolada ids of four digits not starting
  with `00`, so neither Riket nor the regions) with a figure that year. With B of N
  municipalities strictly better, the quartile is 1 + ⌊4·B/N⌋: 1 is the best quarter,
  4 the worst, "better" following the indicator's `higher_is_better`. Municipalities with the
  same figure share the better place, so a tie never pushes the own municipality down. With
  fewer than four municipalities, or no own figure, there is no quartile.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from servicenav.kpis.kolada import RIKET
from servicenav.kpis.models import KoladaGroup, KoladaKpi, KoladaValue

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from servicenav.kpis.models import Indicator

QUARTILES = 4
YEARS_SHOWN = 6
MOST_DECIMALS = 2
FOUR_PLACES = Decimal("0.0001")
# Shown wherever a Kolada figure appears ("Källa: Kolada").
SOURCE = _("Source: Kolada")


@dataclass(frozen=True)
class ComparisonYear:
    """One year of the comparison; None where Kolada has no figure."""

    year: int
    own: Decimal | None
    riket: Decimal | None
    group_average: Decimal | None
    group_with_figure: int  # members of the group with a figure that year
    ranked: int  # municipalities with a figure that year
    quartile: int | None


@dataclass(frozen=True)
class Comparison:
    """What the comparison table shows for one indicator linked to a Kolada KPI."""

    kpi_id: str
    kpi_title: str
    municipality: str
    group_id: str
    group_title: str
    group_size: int
    higher_is_better: bool
    years: tuple[ComparisonYear, ...]
    demo: bool
    decimals: int

    @property
    def number_format(self) -> str:
        """The `floatformat` argument: Kolada's own precision, thousands grouped."""
        return f"{self.decimals}g"

    @property
    def has_group(self) -> bool:
        return bool(self.group_id)

    @property
    def source(self) -> str:
        """The source line, e.g. "Källa: Kolada (U00437: Andel som …)"."""
        title = f": {self.kpi_title}" if self.kpi_title else ""
        return f"{SOURCE} ({self.kpi_id}{title})"


def is_municipality(kolada_id: str) -> bool:
    """A kommun: four digits, not `00..` (Riket is 0000, regions are 0001-0025)."""
    return len(kolada_id) == 4 and kolada_id.isdigit() and not kolada_id.startswith("00")


def quartile(
    own: Decimal | None, figures: Sequence[Decimal], *, higher_is_better: bool
) -> int | None:
    """The quartile (1 best … 4 worst) of `own` among `figures` (every municipality with a
    figure, the own one included); ties share the better place. None when there is no own
    figure or fewer than four figures."""
    if own is None or len(figures) < QUARTILES:
        return None
    better = sum(1 for f in figures if (f > own if higher_is_better else f < own))
    return 1 + QUARTILES * better // len(figures)


def _mean(figures: Sequence[Decimal]) -> Decimal | None:
    if not figures:
        return None
    return (sum(figures, Decimal(0)) / len(figures)).quantize(FOUR_PLACES)


def decimals_of(figures: Sequence[Decimal]) -> int:
    """How many decimals Kolada published these figures with (at most two)."""
    used = [max(0, -int(f.normalize().as_tuple().exponent)) for f in figures]
    return min(max(used, default=0), MOST_DECIMALS)


def comparison_year(
    year: int,
    figures: Mapping[str, Decimal],
    *,
    own_id: str,
    members: Sequence[str],
    higher_is_better: bool,
) -> ComparisonYear:
    """One year's row from that year's figures by Kolada id (places without a figure
    left out)."""
    own = figures.get(own_id)
    in_group = [figures[m] for m in members if m in figures]
    everyone = [value for place, value in figures.items() if is_municipality(place)]
    return ComparisonYear(
        year=year,
        own=own,
        riket=figures.get(RIKET),
        group_average=_mean(in_group),
        group_with_figure=len(in_group),
        ranked=len(everyone),
        quartile=quartile(own, everyone, higher_is_better=higher_is_better),
    )


def _group() -> KoladaGroup | None:
    """The comparison group; without a configured one, demo data still shows its demo
    group (marked as demo)."""
    group_id = settings.SERVICENAV_KOLADA_GROUP.strip()
    groups = (
        KoladaGroup.objects.filter(pk=group_id)
        if group_id
        else KoladaGroup.objects.filter(demo=True)
    )
    return groups.first()


# A KPI's stored figures: by year, each place's figure (None: Kolada has none) and whether
# the row is a demo figure.
Figures = dict[int, list[tuple[str, Decimal | None, bool]]]


def indicator_comparisons(
    indicators: Sequence[Indicator], *, years: int = YEARS_SHOWN
) -> dict[int, Comparison]:
    """`indicator_comparison` of each of `indicators` that has one, by indicator id:
    three queries, however many indicators and KPIs there are."""
    linked = {i.pk: i.kolada_kpi.strip().upper() for i in indicators if i.kolada_kpi.strip()}
    if not linked:
        return {}
    group = _group()
    figures: dict[str, Figures] = {}
    rows = KoladaValue.objects.filter(kpi__in=set(linked.values())).values_list(
        "kpi", "year", "municipality", "value", "demo"
    )
    for kpi, year, place, value, demo in rows:
        figures.setdefault(kpi, {}).setdefault(year, []).append((place, value, demo))
    kpis = KoladaKpi.objects.in_bulk(set(linked.values()))
    found = {}
    for indicator in indicators:
        if indicator.pk not in linked:
            continue
        kpi_id = linked[indicator.pk]
        shown = _comparison(
            indicator, kpi_id, figures.get(kpi_id, {}), kpis.get(kpi_id), group, years
        )
        if shown is not None:
            found[indicator.pk] = shown
    return found


def _comparison(
    indicator: Indicator,
    kpi_id: str,
    by_year: Figures,
    kpi: KoladaKpi | None,
    group: KoladaGroup | None,
    years: int,
) -> Comparison | None:
    """The comparison over the latest `years` years with any figure, None when no year has
    an own, Riket or group figure."""
    with_figure = sorted(
        y for y, rows in by_year.items() if any(v is not None for _p, v, _d in rows)
    )
    latest = with_figure[-years:]
    members = [str(m) for m in group.members] if group else []
    own_id = settings.SERVICENAV_KOLADA_MUNICIPALITY.strip()
    table = tuple(
        comparison_year(
            year,
            {place: value for place, value, _demo in by_year[year] if value is not None},
            own_id=own_id,
            members=members,
            higher_is_better=indicator.higher_is_better,
        )
        for year in latest
    )
    if not any(
        row.own is not None or row.riket is not None or row.group_average is not None
        for row in table
    ):
        return None
    demo = any(is_demo for year in latest for _p, _v, is_demo in by_year[year])
    shown = [f for row in table for f in (row.own, row.riket) if f is not None]
    return Comparison(
        kpi_id=kpi_id,
        kpi_title=kpi.title if kpi else "",
        municipality=own_id,
        group_id=group.id if group else "",
        group_title=group.title if group else "",
        group_size=len(members),
        higher_is_better=indicator.higher_is_better,
        years=table,
        demo=demo or bool(kpi and kpi.demo) or bool(group and group.demo),
        decimals=decimals_of(shown),
    )


def indicator_comparison(indicator: Indicator, *, years: int = YEARS_SHOWN) -> Comparison | None:
    """The Kolada comparison of `indicator` over the latest `years` years with any figure,
    oldest first; None when it is not linked to a KPI or Kolada has no comparable figure
    (own, Riket or group) stored for it."""
    return indicator_comparisons([indicator], years=years).get(indicator.pk)
