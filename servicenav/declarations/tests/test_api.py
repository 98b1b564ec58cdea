"""Service declarations through the REST API, read-only: a key reads the declarations its
owner may read in the staff pages — every version, the newest version's promises and the
follow-up period by period — and another unit's declaration is 404."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from servicenav.api.services import api_key_create
from servicenav.core.periods import Period, PeriodKind
from servicenav.declarations.follow_up import follow_up_declaration
from servicenav.declarations.models import Declaration, FollowUp, Measure, Version
from servicenav.declarations.services import (
    commitment_add,
    commitment_update,
    declaration_create,
    follow_up_assess,
    follow_up_explain,
    version_approve,
    version_new_draft,
    version_publish,
    version_submit,
)
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
APPROVED = datetime(2025, 1, 2, 10, tzinfo=STOCKHOLM)
ANSWER = {
    "text_sv": "Vi svarar inom 10 arbetsdagar.",
    "text_en": "We answer within 10 working days.",
    "measure": Measure.ANSWERED_WITHIN,
    "limit_days": 10,
    "threshold": Decimal("90.0"),
}
KIND = {
    "text_sv": "Du får ett personligt bemötande.",
    "text_en": "You are treated as a person.",
    "kind": "qualitative",
}


class Api:
    """A client that sends one staff key with every request."""

    def __init__(self, client, user) -> None:
        self.client = client
        _api_key, key = api_key_create(name=f"Nyckel för {user.username}", user=user, by=None)
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, name: str, *args: object, **params: object):
        return self.client.get(reverse(f"rest:{name}", args=args), params, headers=self.headers)


def published(unit, *, service: str, promises: list[dict], **content: Any) -> Version:
    """A declaration of `unit`, in force from 2 January 2025."""
    writer = make_user(role=Role.QUALITY_COORDINATOR, unit=unit)
    manager = make_user(role=Role.UNIT_MANAGER, unit=unit)
    version = declaration_create(unit=unit, by=writer, service_sv=service, **content)
    for promise in promises:
        commitment_add(version=version, by=writer, **promise)
    version_submit(version=version, by=writer, at=APPROVED)
    version_approve(version=version, by=manager, review_by=date(2026, 1, 2), at=APPROVED)
    version_publish(version=version, by=writer, at=APPROVED)
    return version


@pytest.fixture
def gata(tree) -> Declaration:
    """Gata's declaration: version 1 in force, version 2 a draft with a reworded promise."""
    first = published(tree.gata, service="Snöröjning", promises=[ANSWER, KIND])
    declaration = first.declaration
    draft = version_new_draft(declaration=declaration, by=None)
    answer = draft.commitments.get(kind="measurable")
    commitment_update(commitment=answer, by=None, text_sv="Vi svarar inom 8 arbetsdagar.")
    return declaration


@pytest.fixture
def hemtjanst(tree) -> Declaration:
    return published(tree.hemtjanst, service="Hemtjänst", promises=[ANSWER]).declaration


@pytest.fixture
def api(client, tree) -> Api:
    """A case handler of Gata: reads Gata's declarations, not Hemtjänst's."""
    return Api(client, make_user(role=Role.CASE_HANDLER, unit=tree.gata))


@pytest.fixture
def followed_up(gata) -> Declaration:
    """January to March 2025 judged (no cases: not enough data), January assessed kept and
    February not kept, with the unit's explanation."""
    follow_up_declaration(gata, today=date(2025, 4, 1))
    kind = gata.versions.get(number=1).commitments.get(kind="qualitative")
    assessor = make_user(role=Role.QUALITY_COORDINATOR, unit=gata.unit)
    january, february = (Period.parse(code) for code in ("2025-01", "2025-02"))
    follow_up_assess(commitment=kind, period=january, kept=True, comment="Bra.", by=assessor)
    missed = follow_up_assess(
        commitment=kind, period=february, kept=False, comment="Klagomål.", by=assessor
    )
    follow_up_explain(
        follow_up=missed,
        explanation="Ny personal under sportlovet.",
        planned_action="Introduktion för alla nyanställda.",
        by=assessor,
    )
    return gata


@pytest.mark.parametrize(
    ("name", "of_one"),
    [
        ("declaration-list", False),
        ("declaration-detail", True),
        ("declaration-follow-ups", True),
    ],
)
def test_declarations_need_a_key(client, gata, name, of_one):
    args = [gata.pk] if of_one else []
    assert client.get(reverse(f"rest:{name}", args=args)).status_code == 401
    wrong = {"Authorization": "Bearer not-a-key"}
    assert client.get(reverse(f"rest:{name}", args=args), headers=wrong).status_code == 401


def test_the_list_has_the_declarations_of_the_owners_units_only(api, gata, hemtjanst):
    response = api.get("declaration-list")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [gata.pk]


def test_a_staff_member_without_a_role_sees_no_declarations(client, gata):
    response = Api(client, make_user()).get("declaration-list")
    assert response.json()["results"] == []


def test_a_listed_declaration_names_its_newest_version_and_the_one_in_force(api, gata, tree):
    item = api.get("declaration-list").json()["results"][0]
    owner = gata.owner
    assert item == {
        "id": gata.pk,
        "unit": {"id": tree.gata.pk, "name": "Gata"},
        "owner": {"id": owner.pk, "username": owner.username, "name": str(owner)},
        "service_sv": "Snöröjning",
        "service_en": "",
        "current": {
            "number": 1,
            "status": "published",
            "valid_from": "2025-01-02",
            "valid_until": None,
            "review_by": "2026-01-02",
        },
        "latest": {
            "number": 2,
            "status": "draft",
            "valid_from": None,
            "valid_until": None,
            "review_by": None,
        },
        "created_at": item["created_at"],
    }


def test_the_list_pages_with_a_cursor_in_a_constant_number_of_queries(
    api, tree, django_assert_max_num_queries
):
    for number in range(4):
        published(tree.gata, service=f"Tjänst {number}", promises=[ANSWER])
    with django_assert_max_num_queries(5):
        first = api.get("declaration-list", page_size=3).json()
    assert len(first["results"]) == 3
    assert first["next"]
    second = api.client.get(first["next"], headers=api.headers).json()
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_a_declaration_has_its_versions_newest_first_and_the_newest_promises(api, gata):
    response = api.get("declaration-detail", gata.pk)
    assert response.status_code == 200
    body = response.json()
    assert [(v["number"], v["status"]) for v in body["versions"]] == [
        (2, "draft"),
        (1, "published"),
    ]
    first = body["versions"][1]
    assert first["service_sv"] == "Snöröjning"
    assert first["approved_by"]["id"] == gata.versions.get(number=1).approved_by_id
    assert (first["valid_from"], first["review_by"]) == ("2025-01-02", "2026-01-02")
    assert [c["text_sv"] for c in body["commitments"]] == [
        "Vi svarar inom 8 arbetsdagar.",  # the draft's wording
        KIND["text_sv"],
    ]
    answer = body["commitments"][0]
    old_answer = gata.versions.get(number=1).commitments.get(kind="measurable")
    assert answer["key"] == str(old_answer.key)  # the same promise across versions
    assert (answer["measure"], answer["limit_days"], answer["threshold"]) == (
        "answered_within",
        10,
        90.0,
    )
    assert body["commitments"][1]["kind"] == "qualitative"


@pytest.mark.parametrize("name", ["declaration-detail", "declaration-follow-ups"])
def test_another_units_declaration_and_one_that_does_not_exist_are_404(api, hemtjanst, name):
    assert api.get(name, hemtjanst.pk).status_code == 404
    assert api.get(name, hemtjanst.pk + 1000).status_code == 404


def test_the_follow_up_lists_every_period_newest_first(api, followed_up):
    response = api.get("declaration-follow-ups", followed_up.pk)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["period"] for row in rows] == [
        "2025-03",
        "2025-02",
        "2025-02",
        "2025-01",
        "2025-01",
    ]
    assert {(row["period"], row["kind"], row["result"]) for row in rows} == {
        ("2025-03", "measurable", "not_enough_data"),
        ("2025-02", "measurable", "not_enough_data"),
        ("2025-02", "qualitative", "not_kept"),
        ("2025-01", "measurable", "not_enough_data"),
        ("2025-01", "qualitative", "kept"),
    }


def test_a_follow_up_says_what_was_promised_how_it_went_and_why(api, followed_up):
    rows = api.get("declaration-follow-ups", followed_up.pk, period="2025-02").json()["results"]
    missed = next(row for row in rows if row["kind"] == "qualitative")
    stored = FollowUp.objects.get(pk=missed["id"])
    assert missed == {
        "id": stored.pk,
        "commitment_id": stored.commitment_id,
        "commitment_key": str(stored.commitment_key),
        "commitment_sv": KIND["text_sv"],
        "commitment_en": KIND["text_en"],
        "kind": "qualitative",
        "period": "2025-02",
        "period_start": "2025-02-01",
        "period_end": "2025-02-28",
        "result": "not_kept",
        "value": None,
        "cases": None,
        "comment": "Klagomål.",
        "explanation": "Ny personal under sportlovet.",
        "planned_action": "Introduktion för alla nyanställda.",
        "assessed_by": {
            "id": stored.assessed_by.pk,
            "username": stored.assessed_by.username,
            "name": str(stored.assessed_by),
        },
        "updated_at": missed["updated_at"],
    }
    judged = next(row for row in rows if row["kind"] == "measurable")
    assert (judged["result"], judged["value"], judged["cases"]) == ("not_enough_data", None, 0)


@pytest.mark.parametrize(
    ("prefix", "periods"),
    [
        ("2025", {"2025-01", "2025-02", "2025-03"}),
        ("2025-0", {"2025-01", "2025-02", "2025-03"}),
        ("2025-03", {"2025-03"}),
        ("2024", set()),
    ],
)
def test_the_follow_up_narrows_to_periods_starting_with_a_code(api, followed_up, prefix, periods):
    rows = api.get("declaration-follow-ups", followed_up.pk, period=prefix).json()["results"]
    assert {row["period"] for row in rows} == periods


@pytest.mark.parametrize("prefix", ["x", "2025-03-01", "2025;", "20251"])
def test_a_period_that_is_no_code_is_refused(api, followed_up, prefix):
    response = api.get("declaration-follow-ups", followed_up.pk, period=prefix)
    assert response.status_code == 400
    assert "period" in response.json()


def test_a_quarterly_declaration_is_followed_up_per_quarter(api, tree):
    version = published(
        tree.gata, service="Bygglov", promises=[ANSWER], period_kind=PeriodKind.QUARTER.value
    )
    follow_up_declaration(version.declaration, today=date(2025, 7, 1))
    rows = api.get("declaration-follow-ups", version.declaration_id, period="2025-Q").json()
    assert [row["period"] for row in rows["results"]] == ["2025-Q2", "2025-Q1"]
