"""Few indicators: a unit's limit holds unless a quality coordinator writes why not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from servicenav.core.models import AuditEntry
from servicenav.kpis.models import Indicator, IndicatorLimit, Target
from servicenav.kpis.services import (
    active_limit,
    indicator_create,
    indicator_set_active,
    target_set,
)
from servicenav.organisation.models import Role
from servicenav.testing import make_user


def fields(code: str) -> dict[str, object]:
    return {
        "code": code,
        "name_sv": f"Svar inom tio dagar ({code})",
        "name_en": "Answered within ten days",
        "kind": "lead_time",
        "definition_sv": "Andel synpunkter som besvarats inom tio arbetsdagar från mottagandet.",
        "source": "cases",
        "statistic": "share_answered_within",
        "params": {"limit_days": 10},
        "unit_of_measure": "percent",
    }


@pytest.fixture
def people(tree):
    class People:
        manager = make_user(role=Role.UNIT_MANAGER, unit=tree.gata)
        coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)

    return People


def test_the_limit_is_the_default_unless_the_unit_has_its_own(tree, settings):
    settings.SERVICENAV_KPI_MAX_ACTIVE = 8
    assert active_limit(tree.gata) == 8
    IndicatorLimit.objects.create(unit=tree.gata, maximum=3)
    assert active_limit(tree.gata) == 3
    assert active_limit(tree.vatten) == 8


def test_past_the_limit_a_quality_coordinator_must_write_why(tree, people):
    IndicatorLimit.objects.create(unit=tree.gata, maximum=2)
    for code in ("a", "b"):
        indicator_create(unit=tree.gata, by=people.manager, **fields(code))
    with pytest.raises(ValidationError):
        indicator_create(unit=tree.gata, by=people.coordinator, **fields("c"))
    with pytest.raises(PermissionDenied):
        indicator_create(unit=tree.gata, by=people.manager, reason="Behövs.", **fields("c"))
    assert Indicator.objects.count() == 2
    third = indicator_create(
        unit=tree.gata, by=people.coordinator, reason="Krav från nämnden i år.", **fields("c")
    )
    assert third.exception_reason == "Krav från nämnden i år."
    assert AuditEntry.objects.filter(object_id=str(third.pk), actor=people.coordinator).exists()


def test_an_inactive_indicator_makes_room_and_switching_back_counts_again(tree, people):
    IndicatorLimit.objects.create(unit=tree.gata, maximum=1)
    first = indicator_create(unit=tree.gata, by=people.manager, **fields("a"))
    indicator_set_active(indicator=first, active=False, by=people.manager)
    second = indicator_create(unit=tree.gata, by=people.manager, **fields("b"))
    with pytest.raises(ValidationError):
        indicator_set_active(indicator=first, active=True, by=people.manager)
    first.refresh_from_db()
    assert not first.active
    assert second.active


def test_an_indicator_needs_a_definition_and_its_statistic(tree, people):
    with pytest.raises(ValidationError):
        indicator_create(unit=tree.gata, by=people.manager, **(fields("a") | {"statistic": ""}))
    with pytest.raises(ValidationError):
        indicator_create(unit=tree.gata, by=people.manager, **(fields("a") | {"definition_sv": ""}))
    assert not Indicator.objects.exists()


def test_a_target_per_year_can_change_and_each_change_is_audited(tree, people):
    indicator = indicator_create(unit=tree.gata, by=people.manager, **fields("a"))
    target_set(indicator=indicator, year=2026, value=Decimal(90), by=people.manager)
    target_set(indicator=indicator, year=2026, value=Decimal(92), by=people.manager)
    assert list(Target.objects.values_list("year", "value")) == [(2026, Decimal(92))]
    changes = AuditEntry.objects.filter(object_id=str(indicator.pk)).values_list(
        "changes", flat=True
    )
    assert {"target 2026": {"from": "90.00", "to": "92"}} in list(changes)
    with pytest.raises(ValidationError):
        target_set(indicator=indicator, year=1999, value=Decimal(1), by=people.manager)


def test_a_unit_administrator_sets_a_limit_only_for_units_they_administer(client, tree):
    administrator = make_user(role=Role.ADMINISTRATOR, unit=tree.teknik)
    client.force_login(administrator)
    url = reverse("admin:kpis_indicatorlimit_add")
    assert client.post(url, {"unit": tree.hemtjanst.pk, "maximum": 4}).status_code == 200
    assert client.post(url, {"unit": tree.gata.pk, "maximum": 4}).status_code == 302
    assert active_limit(tree.gata) == 4
    assert not IndicatorLimit.objects.filter(unit=tree.hemtjanst).exists()
