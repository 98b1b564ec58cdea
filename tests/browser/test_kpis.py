"""The indicator pages in a real browser: a quality coordinator opens the list and an
indicator's page, at desktop and phone sizes, in English and Swedish; axe-core finds no
WCAG 2.1 A/AA violations, and at phone size nothing scrolls sideways but the chart and
the wide table, which scroll inside their own regions."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.models import IndicatorLimit, Measurement, Source
from servicenav.kpis.services import indicator_create, target_set
from servicenav.organisation.models import Role
from servicenav.testing import make_user
from tests.browser.conftest import PASSWORD, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from conftest import Tree
    from servicenav.kpis.models import Indicator
    from servicenav.organisation.models import Unit
    from tests.browser.conftest import AssertAccessible, NewPage

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}


def answered_within(unit: Unit) -> Indicator:
    """An indicator with two years of monthly values, a gap, a month with too few cases
    and targets for this year and last."""
    indicator = indicator_create(
        unit=unit,
        by=None,
        code="svar-10",
        name_sv="Svar inom tio arbetsdagar",
        name_en="Answered within ten working days",
        kind="lead_time",
        definition_sv="Andel synpunkter som besvarats inom tio arbetsdagar från mottagandet.",
        source=Source.CASES,
        statistic="share_answered_within",
        params={"limit_days": 10},
        unit_of_measure="percent",
    )
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        target_set(indicator=indicator, year=year, value=Decimal(90), by=None)
    period = Period.containing(timezone.localdate(), PeriodKind.MONTH)
    for step in range(24):
        period = period.previous()
        if step == 6:
            continue  # a month without a value
        value = None if step == 3 else Decimal(80 + step % 12)
        Measurement.objects.create(
            indicator=indicator,
            unit=unit,
            period=period.code,
            period_start=period.start,
            period_end=period.end,
            value=value,
            n=3 if value is None else 42,
            source=Source.CASES,
        )
    return indicator


def assert_fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_reads_the_list_and_an_indicator_and_axe_finds_nothing(
    new_page: NewPage, axe: AssertAccessible, tree: Tree, size: dict[str, int]
) -> None:
    coordinator = make_user(
        role=Role.QUALITY_COORDINATOR, unit=tree.teknik, username="kvalitet", password=PASSWORD
    )
    indicator = answered_within(tree.gata)
    IndicatorLimit.objects.create(unit=tree.gata, maximum=1)  # the limit notice shows too
    page = new_page(viewport=size)
    log_in(page, coordinator, "/en/personal/nyckeltal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Key performance indicators")
    expect(page.get_by_text("The limit of active indicators is reached.")).to_be_visible()
    axe(page)
    if size == PHONE:
        assert_fits(page)

    page.get_by_role("link", name=indicator.name_en).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(indicator.name_en)
    chart = page.get_by_role("img", name=f"Trend: {indicator.name_en}")
    expect(chart).to_be_visible()
    expect(page.get_by_role("cell", name="too few cases (n = 3)")).to_be_visible()
    axe(page)
    if size == PHONE:
        assert_fits(page)

    for url in (f"/personal/nyckeltal/{indicator.pk}/", "/en/personal/nyckeltal/ny/"):
        page.goto(url)
        axe(page)
        if size == PHONE:
            assert_fits(page)


def test_a_refused_target_is_shown_at_its_form_and_the_indicator_switches_off_and_on(
    new_page: NewPage, axe: AssertAccessible, tree: Tree
) -> None:
    coordinator = make_user(
        role=Role.QUALITY_COORDINATOR, unit=tree.teknik, username="kvalitet", password=PASSWORD
    )
    indicator = answered_within(tree.gata)
    page = new_page(viewport=DESKTOP)
    log_in(page, coordinator, f"/en/personal/nyckeltal/{indicator.pk}/")
    page.get_by_label("Year").fill("1990")
    page.get_by_label("Target", exact=True).fill("95")
    page.get_by_role("button", name="Set the target").click()
    expect(page.get_by_text("That could not be saved, and nothing was changed.")).to_be_visible()
    axe(page)
    assert not indicator.targets.filter(year=1990).exists()
    page.get_by_label("Year").fill(str(timezone.localdate().year + 1))
    page.get_by_role("button", name="Set the target").click()
    expect(
        page.get_by_text(f"The target for {timezone.localdate().year + 1} is set.")
    ).to_be_visible()
    page.get_by_role("button", name="Switch the indicator off").click()
    expect(page.get_by_text("The indicator is inactive.")).to_be_visible()
    indicator.refresh_from_db()
    assert not indicator.active
    page.get_by_role("button", name="Switch the indicator on").click()
    expect(page.get_by_text("The indicator is active.")).to_be_visible()
