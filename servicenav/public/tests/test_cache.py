"""The start page and the unit pages come from the cache, and never with figures older than
those stored: a recompute of the feedback counts, the KPI measurements or the follow-up of
the promises, a late survey answer, new Kolada figures, a case or an improvement action
published and a unit renamed each show on the next request. Each change is made *after*
the page was cached with everything else already in place, so that only that change can be
what shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicenav.cases.services import case_publish
from servicenav.core.periods import Period
from servicenav.declarations.models import FollowUp
from servicenav.kpis.compute import compute_indicator
from servicenav.kpis.models import Indicator, KoladaKpi, KoladaValue, Measurement
from servicenav.organisation.services import unit_update
from servicenav.public.cache import STAMP_KEY, figures_stamp
from servicenav.public.feedback import feedback_statistics_refresh
from servicenav.public.models import FeedbackMonth
from servicenav.public.tests.conftest import TODAY, answered_after, received
from servicenav.surveys.services import response_submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
START = "/en/sa-gar-det/"


def page_of(unit) -> str:
    return f"/en/sa-gar-det/{unit.slug}/"


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_stamp_of_the_figures_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        stamp = figures_stamp()
    assert stamp == figures_stamp()


@pytest.mark.parametrize("unit", [None, "gata", "kommun"])
def test_the_second_request_reads_the_cache(client, world, unit):
    url = START if unit is None else page_of(getattr(world.tree, unit))
    cold = queries(client, url)
    first = html(client, url)

    warm = queries(client, url)

    # The stamp, the demo marker of the layout and (on a unit's page) the unit itself.
    assert warm <= 3 < cold
    assert html(client, url) == first


def test_recounted_feedback_shows_at_once(client, world, handler):
    gata = world.tree.gata
    answered_after(gata, handler, date(2026, 5, 4), 2, "praise")
    before = html(client, page_of(gata))
    assert html(client, page_of(gata)) == before  # cached, with the case not yet counted

    feedback_statistics_refresh({gata.pk: date(2026, 5, 4)}, today=TODAY)
    after = html(client, page_of(gata))

    assert after != before
    row = 'id="unit-by-month-2026-05"'
    received_before = int(before.split(row)[1].split("<td>")[1].split("<")[0])
    received_after = int(after.split(row)[1].split("<td>")[1].split("<")[0])
    assert received_after == received_before + 1


def test_a_recomputed_measurement_shows_at_once(client, world, handler):
    teknik = world.tree.teknik
    for day in range(6, 16):
        answered_after(world.tree.vatten, handler, date(2026, 4, day), 1, "praise")
    before = html(client, page_of(teknik))
    stored = Measurement.objects.get(indicator__code="berom", unit=teknik, period="2026-04")

    compute_indicator(Indicator.objects.get(code="berom"), Period.parse("2026-04"), today=TODAY)
    after = html(client, page_of(teknik))

    stored.refresh_from_db()
    assert after != before
    value = f"{stored.value.normalize():f} %"
    assert value in after.split("Share of praise per period")[1]
    assert value not in before.split("Share of praise per period")[1]


def test_a_promise_judged_again_shows_at_once(client, world):
    before = html(client, page_of(world.tree.gata))
    assert '✗</span> Not kept</span> <span class="promise-history__share">44.4' in before

    # What a recompute writes: the result, the share and when.
    FollowUp.objects.filter(period="2026-05").update(
        result=FollowUp.Result.KEPT, value=Decimal("95.0"), updated_at=timezone.now()
    )
    after = html(client, page_of(world.tree.gata))

    assert "95.0 % of 9 cases" in after
    assert "We kept 1 of 1 promise" in html(client, START)


def test_a_late_survey_answer_shows_at_once(client, world):
    survey_round = world.survey_round
    before = html(client, page_of(world.tree.gata))
    assert "12 people answered" in before

    question = survey_round.round_questions.get(position=0).question
    response_submit(
        round=survey_round,
        channel="paper",
        today=date(2025, 4, 10),
        answers={question.pk: 5},
    )
    after = html(client, page_of(world.tree.gata))

    assert "13 people answered" in after


def test_new_kolada_figures_show_at_once(client, world, settings):
    settings.SERVICENAV_KOLADA_MUNICIPALITY = "2580"
    KoladaKpi.objects.create(id="U00401", title="E-post inom en dag")
    before = html(client, page_of(world.tree.kommun))
    assert "Compared with other municipalities" not in before

    KoladaValue.objects.create(kpi="U00401", municipality="0000", year=2025, value=Decimal(70))
    after = html(client, page_of(world.tree.kommun))

    assert "Compared with other municipalities" in after
    assert '<th scope="row">2025</th>' in after


def test_a_published_case_shows_at_once(client, world):
    case = received(world.tree.vatten, date(2026, 5, 6), "suggestion")
    before = html(client, START)

    before_unit = html(client, page_of(world.tree.teknik))

    case_publish(case=case, summary="Fler papperskorgar", answer="Tio nya", by=world.staff)

    assert "Fler papperskorgar" not in before + before_unit
    assert "Fler papperskorgar" in html(client, page_of(world.tree.teknik))


def test_a_published_improvement_action_shows_at_once(client, world, publish_action):
    before = html(client, START) + html(client, page_of(world.tree.teknik))

    publish_action(world.tree.vatten, "Fler papperskorgar", "Vi satte upp tio nya.")

    assert "Fler papperskorgar" not in before
    assert "Fler papperskorgar" in html(client, START)
    assert "Fler papperskorgar" in html(client, page_of(world.tree.teknik))


def test_with_a_stamp_window_a_change_shows_when_the_window_ends(client, world, settings):
    settings.SERVICENAV_PUBLIC_STAMP_SECONDS = 5
    assert "Teknik (en)" in html(client, START)
    unit_update(unit=world.tree.teknik, by=None, name_en="Technical Services")

    # Within the window the kept page is shown; the only query is the layout's demo marker.
    assert queries(client, START) == 1
    assert "Teknik (en)" in html(client, START)

    cache.delete(STAMP_KEY)  # as when the window's seconds have passed
    assert "Technical Services" in html(client, START)


def test_a_renamed_unit_shows_at_once(client, world):
    assert "Teknik (en)" in html(client, START)

    unit_update(unit=world.tree.teknik, by=None, name_en="Technical Services")

    start = html(client, START)
    assert "Technical Services" in start
    assert "Teknik (en)" not in start
    assert "Technical Services" in html(client, page_of(world.tree.gata))


def test_each_language_is_kept_apart(client, world):
    swedish = html(client, "/sa-gar-det/")
    english = html(client, START)

    assert '<html lang="sv">' in swedish
    assert "Teknik</a></h3>" in swedish
    assert "Teknik (en)</a></h3>" in english
    assert "Teknik (en)" not in swedish


def test_a_new_day_counts_its_periods_again(client, world, monkeypatch):
    before = html(client, page_of(world.tree.gata))
    assert "May 2026</th>" in before

    later = date(2026, 7, 2)
    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, tz=None: real(value, tz) if value else later
    )
    after = html(client, page_of(world.tree.gata))

    assert "June 2026</th>" in after.split("whether each promise was kept")[1]


def test_counts_a_recount_removed_show_at_once(client, world):
    gata = world.tree.gata
    before = html(client, page_of(gata))
    assert 'id="unit-by-month-2026-05"' in before

    FeedbackMonth.objects.filter(unit=gata, month=date(2026, 5, 1)).delete()
    after = html(client, page_of(gata))

    may = after.split('id="unit-by-month-2026-05"')[1].split("</tr>")[0]
    assert "<td>0</td>" in may
