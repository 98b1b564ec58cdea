"""No personal data on the results pages: with cases seeded with a recognisable name,
e-mail address, phone number, address and free text in the units shown (and staff replies
and notes naming the person, a survey free-text answer, a staff comment on a measurement, an
internal assessment of a promise), a case published with a staff-written summary and an
improvement action published with a staff-written text, none of the personal data, no
staff member's name and no case reference — of an unpublished case or a published one —
appears on the start page, any unit's page, the comparison page or the feedback
statistics, in Swedish or English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from servicenav.cases.models import Case
from servicenav.cases.services import case_publish
from servicenav.kpis.models import KoladaKpi, KoladaValue
from servicenav.public.tests.conftest import (
    EMAIL,
    FREE_TEXT,
    NAME,
    PHONE,
    PLACE,
    SECRETS,
    received,
)

pytestmark = pytest.mark.django_db
SUMMARY = "Önskemål om fler bänkar i parken"
ANSWER = "Vi har ställt ut sex nya bänkar."
ACTION = "Bänkar i parken"
ACTION_TEXT = "Ni ville sitta i parken. Nu finns sex bänkar."


@pytest.fixture
def published(world, publish_action) -> Case:
    """A case with personal data in every field, published with a staff-written summary,
    and an improvement action it led to, its internal description and outcome naming the
    person, published with a staff-written text."""
    case = received(
        world.tree.gata,
        date(2026, 5, 6),
        "suggestion",
        reporter_name=NAME,
        reporter_email=EMAIL,
        reporter_phone=PHONE,
        place=PLACE,
    )
    case.text = "Gunhild vill ha bänkar utanför Hemlighetsgatan 7"
    case.save(update_fields=["text"])
    case_publish(case=case, summary=SUMMARY, answer=ANSWER, by=world.staff)
    action = publish_action(
        world.tree.gata, ACTION, ACTION_TEXT, description=FREE_TEXT, outcome=f"{NAME}, {PHONE}"
    )
    action.cases.add(case)
    KoladaKpi.objects.create(id="U00401", title="E-post inom en dag")
    KoladaValue.objects.create(kpi="U00401", municipality="0000", year=2025, value=Decimal(70))
    return case


def results_pages(client, world) -> dict[str, str]:
    """Every results page of every unit, in both languages, as text."""
    tree = world.tree
    units = (tree.kommun, tree.teknik, tree.gata, tree.vatten, tree.social, tree.hemtjanst)
    texts = {}
    for prefix in ("", "/en"):
        urls = [
            f"{prefix}/sa-gar-det/",
            f"{prefix}/sa-gar-det/jamfor/",
            f"{prefix}/sa-gar-det/jamfor/?kpi=U00401",
            f"{prefix}/statistik/synpunkter/",
        ]
        urls += [f"{prefix}/sa-gar-det/{unit.slug}/" for unit in units]
        urls += [f"{prefix}/statistik/synpunkter/?unit={unit.pk}&period=2026" for unit in units]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            texts[url] = response.content.decode()
    return texts


def test_no_personal_data_on_any_results_page(client, world, published):
    texts = results_pages(client, world)
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(references) > 60

    for url, text in texts.items():
        lowered = text.casefold()
        for secret in SECRETS:
            assert secret.casefold() not in lowered, (url, secret)
        for reference in references:
            assert reference not in text, (url, reference)
        assert world.staff.username not in text, url


def test_the_published_summary_is_there_and_the_data_really_is_too(client, world, published):
    """The test above would pass on empty pages; these are not empty."""
    texts = results_pages(client, world)

    assert ACTION_TEXT in texts["/sa-gar-det/"]
    assert ANSWER in texts[f"/en/sa-gar-det/{world.tree.gata.slug}/"]
    assert f"{ACTION_TEXT} (en)" in texts[f"/en/sa-gar-det/{world.tree.teknik.slug}/"]
    assert "Riket" in texts["/en/sa-gar-det/jamfor/?kpi=U00401"]
    published.refresh_from_db()
    assert (published.reporter_name, published.reporter_email) == (NAME, EMAIL)
    assert Case.objects.filter(text__contains="Hemlighetsgatan").count() == 4
