"""The public start page ("how we are doing"): the municipality as a whole and a tile per
administration with its key figures against their targets, its promises kept in their
latest follow-up, its feedback over the last twelve months counted with a plain-language
headline, and its newest published improvement actions ("du sa – vi gjorde"); every figure
on too few cases hidden; read with a fixed number of queries however many units there are.
Read in English."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.utils import translation

from servicenav.cases.services import case_publish
from servicenav.declarations.models import FollowUp
from servicenav.declarations.tests.factories import published_declaration
from servicenav.kpis.models import Indicator, Measurement, Target
from servicenav.public.figures import Sums
from servicenav.public.models import FeedbackMonth
from servicenav.public.overview import start_page
from servicenav.public.overview.feedback import answer_headline
from servicenav.public.tests.conftest import TODAY, received
from servicenav.testing import make_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
PAGE = "/en/sa-gar-det/"


def tile(html: str, unit) -> str:
    """The HTML of the unit's tile (or the municipality's section)."""
    start = html.index(f'id="tile-{unit.pk}"')
    ends = [
        html.find(marker, start)
        for marker in ('<li class="card overview-tile">', "</ul>\n</section>", "</section>")
    ]
    return html[start : min(end for end in ends if end > 0)]


def text(html: str) -> str:
    """The words of some HTML, one space between them, none before punctuation."""
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([:,.)])", r"\1", words)


def stored_sums(unit, first: date, last: date) -> Sums:
    """The stored counts of the unit and the units below it, added up here."""
    total = Sums()
    rows = FeedbackMonth.objects.filter(
        unit__path__startswith=unit.path, month__gte=first, month__lte=last
    )
    for row in rows:
        days = {int(d): n for d, n in row.days_to_answer.items()}
        total.add(Sums(row.received, row.answered, days, row.due, row.due_in_time))
    return total


def test_before_there_are_units_the_page_says_there_is_nothing_yet(client, db):
    response = client.get(PAGE)

    assert response.status_code == 200
    assert b"There is nothing to show yet." in response.content


def test_a_tile_for_each_administration_and_a_section_for_the_municipality(client, world):
    tree = world.tree
    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "Kommun (en) as a whole" in html
    headings = re.findall(r'<h3 id="tile-(\d+)"><a href="([^"]+)">([^<]+)</a>', html)
    assert headings == [
        (str(tree.social.pk), f"/en/sa-gar-det/{tree.social.slug}/", "Social (en)"),
        (str(tree.teknik.pk), f"/en/sa-gar-det/{tree.teknik.slug}/", "Teknik (en)"),
    ]
    assert f'id="tile-{tree.gata.pk}"' not in html  # a verksamhet has its own page only


def test_the_feedback_headline_is_counted_from_the_stored_counts_and_rounded_down(client, world):
    tree = world.tree
    html = client.get(PAGE).content.decode()

    for unit in (tree.kommun, tree.teknik, tree.social):
        sums = stored_sums(unit, date(2025, 6, 1), date(2026, 5, 1))
        within = sum(n for days, n in sums.days.items() if days <= 10)
        assert sums.answered >= 5, unit
        part = within * 10 // sums.answered
        shown = text(tile(html, unit))
        assert f"{part} of 10 got an answer within 10 working days" in shown, unit
        # Twelve months back from the last counted, but none before the first.
        assert f"({sums.answered} answers, February 2026 to May 2026)" in shown
        assert f"Received {sums.received} Answered {sums.answered}" in shown


def test_x_of_ten_never_says_more_than_happened():
    nine_of_ten_and_a_bit = Sums(answered=100, days={3: 99, 30: 1})
    just_under_nine = Sums(answered=100, days={3: 89, 30: 11})
    all_of_them = Sums(answered=7, days={10: 7})
    one_late = Sums(answered=7, days={10: 6, 11: 1})

    assert answer_headline(nine_of_ten_and_a_bit, 5).part == 9
    assert answer_headline(just_under_nine, 5).part == 8
    assert answer_headline(all_of_them, 5).part == 10
    assert answer_headline(one_late, 5).part == 8  # 6/7 = 86 %: 8 of 10, not 9
    assert answer_headline(Sums(answered=4, days={1: 4}), 5) is None
    with translation.override("sv"):
        text_sv = answer_headline(one_late, 5).text
    assert "8" in text_sv
    assert "10" in text_sv


def test_key_figures_show_the_latest_value_against_the_target_active_ones_only(client, world):
    tree = world.tree
    html = client.get(PAGE).content.decode()

    berom = Indicator.objects.get(code="berom")
    measurement = Measurement.objects.get(indicator=berom, unit=tree.teknik, period="2026-04")
    teknik = text(tile(html, tree.teknik))
    value = f"{measurement.value.normalize():f}".rstrip(".")
    assert f"Share of praise: {value} % (April 2026)" in teknik
    status = "Met" if measurement.value >= Decimal(30) else "Not met"
    assert status in teknik.split("Share of praise:")[1]
    kommun = text(tile(html, tree.kommun))
    assert "E-mail in a day: 64 % (2025) – No target" in kommun
    assert "Retired" not in html
    assert "Satisfied" not in html  # owned by Gata, a verksamhet: on its own page


def test_promises_kept_in_their_latest_follow_up(client, world):
    tree = world.tree
    social = published_declaration(tree.hemtjanst, valid_from=date(2026, 1, 1))
    promise = social.commitments.get()
    FollowUp.objects.create(
        commitment=promise,
        commitment_key=promise.key,
        period="2026-05",
        period_start=date(2026, 5, 1),
        period_end=date(2026, 5, 31),
        result=FollowUp.Result.NOT_KEPT,
        value=Decimal("50.0"),
        cases=8,
    )
    html = client.get(PAGE).content.decode()

    gata_promise = world.declaration.commitments.get()
    latest = FollowUp.objects.filter(commitment_key=gata_promise.key).latest("period_start")
    assert (latest.period, latest.result) == ("2026-05", FollowUp.Result.NOT_KEPT)
    assert "We kept 0 of 1 promise in its latest follow-up" in text(tile(html, tree.teknik))
    assert "We kept 0 of 1 promise in its latest follow-up" in text(tile(html, tree.social))
    assert "We kept 0 of 2 promises in their latest follow-up" in text(tile(html, tree.kommun))

    FollowUp.objects.filter(pk=latest.pk).update(result=FollowUp.Result.KEPT)
    cache.clear()
    html = client.get(PAGE).content.decode()
    assert "We kept 1 of 1 promise in its latest follow-up" in text(tile(html, tree.teknik))
    assert "We kept 1 of 2 promises in their latest follow-up" in text(tile(html, tree.kommun))

    FollowUp.objects.filter(pk=latest.pk).update(result=FollowUp.Result.NOT_ENOUGH_DATA)
    cache.clear()
    html = client.get(PAGE).content.decode()
    assert "Our 1 promise has not been judged yet." in text(tile(html, tree.teknik))
    kommun = text(tile(html, tree.kommun))
    assert "We kept 0 of 1 promise in its latest follow-up (1 more could not be judged)" in kommun


def test_published_actions_appear_on_their_administrations_tile_and_nothing_else(
    client, world, publish_action
):
    tree = world.tree
    case = received(tree.gata, date(2026, 5, 4), "suggestion", text="Privat text")
    case_publish(case=case, summary="Fler bänkar längs ån", answer="Vi ställer ut.", by=world.staff)
    publish_action(
        tree.gata,
        "Fler bänkar",
        "Ni ville ha fler bänkar. Vi ställde ut tio nya.",
        description="Hemlig beskrivning",
        outcome="Internt: grannen klagade",
    )
    draft = publish_action(tree.gata, "Ännu ej klar", "Inte publik")
    draft.published_at = None
    draft.save(update_fields=["published_at"])
    cache.clear()
    html = client.get(PAGE).content.decode()

    teknik = tile(html, tree.teknik)
    assert "Fler bänkar" in teknik
    assert "Ni ville ha fler bänkar. Vi ställde ut tio nya. (en)" in teknik
    assert "Gata (en)" in teknik
    assert f'href="/en/du-sa-vi-gjorde/?unit={tree.teknik.pk}"' in teknik
    assert "Fler bänkar" not in tile(html, tree.social)
    assert "Fler bänkar" not in tile(html, tree.kommun)
    for internal in ("Hemlig beskrivning", "grannen klagade", "Ännu ej klar", "Inte publik"):
        assert internal not in html
    # Published case summaries are not "du sa – vi gjorde" items on the start page.
    assert "Fler bänkar längs ån" not in html
    assert "Privat text" not in html


def test_the_newest_published_actions_three_per_tile(world, publish_action):
    tree = world.tree
    for number in range(1, 6):
        publish_action(tree.vatten, f"Åtgärd {number}", f"Vi gjorde {number}")
    publish_action(tree.kommun, "Hela kommunen", "Vi gjorde något för alla")

    page = start_page(today=TODAY)

    teknik = next(tile for tile in page.tiles if tile.unit == tree.teknik)
    assert [action.title for action in teknik.actions] == ["Åtgärd 5", "Åtgärd 4", "Åtgärd 3"]
    # The municipality's own actions only: the rest are on their administration's tile.
    assert [action.title for action in page.municipality.actions] == ["Hela kommunen"]
    assert next(tile for tile in page.tiles if tile.unit == tree.social).actions == []


def test_figures_on_too_few_cases_are_not_shown(client, world, settings):
    settings.SERVICENAV_PUBLIC_MIN_CASES = 10_000
    html = client.get(PAGE).content.decode()

    teknik = text(tile(html, world.tree.teknik))
    assert "of 10 got an answer within" not in html
    assert "Too few answers in the last twelve months to say how quickly we answered." in teknik
    assert "Median working days to answer too few cases" in teknik
    assert "Answered by the deadline too few cases" in teknik
    assert re.search(r"Share of praise: too few cases \(n = \d+\)", teknik)
    assert "A figure built on fewer than 10000 cases is not shown" in html


def test_the_page_is_the_same_in_swedish_with_swedish_names(client, world):
    response = client.get("/sa-gar-det/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Teknik</a></h3>" in html
    assert f'href="/sa-gar-det/{world.tree.teknik.slug}/"' in html


def test_the_start_page_takes_a_fixed_number_of_queries(
    world, publish_action, django_assert_max_num_queries
):
    publish_action(world.tree.gata, "Bra", "Tack")
    with django_assert_max_num_queries(11):
        small = start_page(today=TODAY)
    assert len(small.tiles) == 2

    for number in range(6):
        administration = make_unit(
            name=f"Förvaltning {number}", parent=world.tree.kommun, kind="forvaltning"
        )
        below = make_unit(name=f"Verksamhet {number}", parent=administration)
        indicator = Indicator.objects.create(
            unit=administration,
            code=f"k{number}",
            name_sv=f"Nyckeltal {number}",
            name_en=f"Key figure {number}",
            kind="result",
            source="manual",
            unit_of_measure="percent",
        )
        Target.objects.create(indicator=indicator, year=2026, value=Decimal(50))
        Measurement.objects.create(
            indicator=indicator,
            unit=administration,
            period="2026-04",
            period_start=date(2026, 4, 1),
            period_end=date(2026, 4, 30),
            value=Decimal(60),
            n=40,
            source="manual",
        )
        published_declaration(below, valid_from=date(2026, 1, 1))
        publish_action(below, f"Åtgärd {number}", "Tack")
    cache.clear()

    with django_assert_max_num_queries(11):
        large = start_page(today=TODAY)
    assert len(large.tiles) == 8
    for tile in large.tiles:
        if tile.unit in (world.tree.teknik, world.tree.social):
            continue
        assert (len(tile.kpis), len(tile.actions), tile.promises.promises) == (1, 1, 1), tile.unit
