"""The inbox lists the cases a person may read, filtered, searched, sorted and paginated,
at a cost in queries that does not grow with the rows shown."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.cases.models import Category
from servicenav.cases.services import (
    case_acknowledge,
    case_assign,
    case_categorise,
    case_close,
    case_start,
    case_wait,
)
from servicenav.organisation.models import Role
from servicenav.organisation.services import role_grant
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def listed(response) -> list[int]:
    return [case.pk for case in response.context["page"]]


@pytest.fixture
def coordinator(tree):
    return make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun, first_name="Kim")


@pytest.fixture
def inbox(client, coordinator):
    client.force_login(coordinator)

    def get(**params: object):
        response = client.get(reverse("cases:inbox"), params)
        assert response.status_code == 200
        return response

    return get


def test_the_inbox_lists_newest_first_with_the_facts_of_each_case(inbox, tree, coordinator):
    older = make_case(unit=tree.gata, received_at=days_ago(3))
    newer = make_case(unit=tree.vatten, kind="praise")
    case_assign(case=older, to=coordinator, by=coordinator)
    response = inbox()
    assert listed(response) == [newer.pk, older.pk]
    content = response.content.decode()
    assert reverse("cases:case", args=[older.pk]) in content
    assert str(older.answer_by) in content
    assert "Kim" in content
    assert "Vatten" in content


def test_the_inbox_filters_by_status_and_by_every_open_status(inbox, tree, coordinator):
    new = make_case(unit=tree.gata)
    started = make_case(unit=tree.gata)
    case_start(case=started, by=coordinator)
    closed = make_case(unit=tree.gata)
    case_close(case=closed, outcome="answered", by=coordinator)
    assert listed(inbox(status="in_progress")) == [started.pk]
    assert listed(inbox(status="closed")) == [closed.pk]
    assert set(listed(inbox(status="open"))) == {new.pk, started.pk}


def test_the_inbox_filters_by_kind_and_by_channel(inbox, tree):
    praise = make_case(unit=tree.gata, kind="praise")
    phoned = make_case(unit=tree.gata, channel="phone")
    assert listed(inbox(typ="praise")) == [praise.pk]
    assert listed(inbox(kanal="phone")) == [phoned.pk]
    assert listed(inbox(typ="praise", kanal="phone")) == []


def test_the_unit_filter_includes_the_units_below(inbox, tree):
    gata = make_case(unit=tree.gata)
    vatten = make_case(unit=tree.vatten)
    make_case(unit=tree.hemtjanst)
    make_case(unit=None)
    assert set(listed(inbox(enhet=tree.teknik.pk))) == {gata.pk, vatten.pk}
    assert listed(inbox(enhet=tree.gata.pk)) == [gata.pk]


def test_the_inbox_filters_by_category(inbox, tree, coordinator):
    snow = Category.objects.create(unit=tree.gata, name_sv="Snöröjning", name_en="Snow")
    categorised = make_case(unit=tree.gata)
    case_categorise(case=categorised, category=snow, by=coordinator)
    make_case(unit=tree.gata)
    assert listed(inbox(kategori=snow.pk)) == [categorised.pk]


def test_overdue_means_open_and_past_the_answer_or_the_acknowledgement_deadline(
    inbox, tree, coordinator
):
    late_answer = make_case(unit=tree.gata, received_at=days_ago(30))
    case_acknowledge(case=late_answer, by=coordinator)
    never_acknowledged = make_case(unit=tree.gata, received_at=days_ago(7))
    acknowledged_in_time = make_case(unit=tree.gata, received_at=days_ago(7))
    case_acknowledge(case=acknowledged_in_time, by=coordinator)
    closed_late = make_case(unit=tree.gata, received_at=days_ago(30))
    case_close(case=closed_late, outcome="answered", by=coordinator)
    waiting = make_case(unit=tree.gata, received_at=days_ago(30))
    case_acknowledge(case=waiting, by=coordinator)
    case_wait(case=waiting, reason="Väntar på foto", by=coordinator)
    make_case(unit=tree.gata)

    assert set(listed(inbox(forsenad="on"))) == {late_answer.pk, never_acknowledged.pk}


def test_an_overdue_case_is_marked_in_words_not_only_in_colour(client, tree, coordinator):
    late = make_case(unit=tree.gata, received_at=days_ago(30))
    make_case(unit=tree.vatten)
    client.force_login(coordinator)
    with translation.override("en"):
        url = reverse("cases:inbox")
    content = client.get(url).content.decode()
    rows = content.split("<tbody>", 1)[1].split("</tr>")
    marked = [row for row in rows if 'class="overdue">Overdue<' in row]
    assert len(marked) == 1
    assert late.reference in marked[0]


def test_assigned_to_me_shows_only_my_cases(inbox, tree, coordinator):
    mine = make_case(unit=tree.gata)
    case_assign(case=mine, to=coordinator, by=coordinator)
    someone_elses = make_case(unit=tree.gata)
    case_assign(
        case=someone_elses,
        to=make_user(role=Role.CASE_HANDLER, unit=tree.gata),
        by=coordinator,
    )
    make_case(unit=tree.gata)
    assert listed(inbox(mina="on")) == [mine.pk]


def test_the_received_date_range_includes_both_end_days_in_local_time(inbox, tree):
    before = make_case(unit=tree.gata, received_at=at(2026, 10, 4, 23, 50))
    first = make_case(unit=tree.gata, received_at=at(2026, 10, 5, 0, 10))
    last = make_case(unit=tree.gata, received_at=at(2026, 10, 7, 23, 50))
    after = make_case(unit=tree.gata, received_at=at(2026, 10, 8, 0, 10))
    assert set(listed(inbox(fran="2026-10-05", till="2026-10-07"))) == {first.pk, last.pk}
    assert set(listed(inbox(till="2026-10-04"))) == {before.pk}
    assert after.pk in listed(inbox(fran="2026-10-08"))


def test_search_finds_cases_by_reference_and_by_text_in_any_case(inbox, tree):
    snow = make_case(unit=tree.gata, text="Snöröjningen på Storgatan är dålig.")
    light = make_case(unit=tree.gata, text="Gatlyktan är trasig.")
    assert listed(inbox(sok="storgatan")) == [snow.pk]
    assert listed(inbox(sok="SNÖRÖJNINGEN")) == [snow.pk]
    assert listed(inbox(sok=light.reference.lower())) == [light.pk]
    assert listed(inbox(sok=light.reference[-5:])) == [light.pk]
    assert listed(inbox(sok="  trasig ")) == [light.pk]
    assert listed(inbox(sok="100%_")) == []


def test_the_inbox_sorts_by_reference_answer_by_and_status_both_ways(inbox, tree, coordinator):
    first = make_case(unit=tree.gata, received_at=days_ago(2))
    second = make_case(unit=tree.gata, received_at=days_ago(20))
    third = make_case(unit=tree.gata, received_at=days_ago(10))
    case_close(case=first, outcome="answered", by=coordinator)
    case_start(case=third, by=coordinator)

    assert listed(inbox(sortera="referens")) == [first.pk, second.pk, third.pk]
    assert listed(inbox(sortera="-referens")) == [third.pk, second.pk, first.pk]
    assert listed(inbox(sortera="svara-senast")) == [second.pk, third.pk, first.pk]
    assert listed(inbox(sortera="-svara-senast")) == [first.pk, third.pk, second.pk]
    # Workflow order: new, in progress, waiting, closed.
    assert listed(inbox(sortera="status")) == [second.pk, third.pk, first.pk]
    assert listed(inbox(sortera="inkommen")) == [second.pk, third.pk, first.pk]


def test_column_headers_sort_and_keep_the_filters(inbox, tree):
    make_case(unit=tree.gata)
    content = inbox(typ="complaint", sortera="referens").content.decode()
    assert 'aria-sort="ascending"' in content
    assert "?typ=complaint&amp;sortera=-referens" in content


def test_the_inbox_shows_50_cases_a_page_and_keeps_the_filters_between_pages(inbox, tree):
    cases = [make_case(unit=tree.gata, received_at=days_ago(number + 1)) for number in range(55)]
    make_case(unit=tree.vatten)
    first = inbox(enhet=tree.gata.pk)
    assert listed(first) == [case.pk for case in cases[:50]]
    assert first.context["page"].paginator.count == 55
    assert f"enhet={tree.gata.pk}&amp;sida=2" in first.content.decode()
    second = inbox(enhet=tree.gata.pk, sida=2)
    assert listed(second) == [case.pk for case in cases[50:]]
    assert listed(inbox(enhet=tree.gata.pk, sida="999")) == listed(second)


def test_every_sort_pages_through_each_case_once(inbox, tree, coordinator):
    # Many cases share a status or a day: the id settles their order, page after page.
    cases = [make_case(unit=tree.gata, received_at=days_ago(number % 7)) for number in range(60)]
    for case in cases[::3]:
        case_start(case=case, by=coordinator)
    everything = {case.pk for case in cases}
    for sort in ("status", "-status", "svara-senast", "-inkommen", "inkommen"):
        pages = [listed(inbox(sortera=sort, sida=number)) for number in (1, 2)]
        assert [len(page) for page in pages] == [50, 10]
        assert set(pages[0]) | set(pages[1]) == everything, sort


def test_bad_filter_input_is_explained_and_the_valid_filters_still_apply(client, tree, inbox):
    praise = make_case(unit=tree.gata, kind="praise")
    make_case(unit=tree.gata)
    response = inbox(
        typ="praise",
        fran="igår",
        till="2026-13-45",
        enhet="abc",
        kategori="999999",
        status="deleted",
        sortera="password",
        sida="x",
    )
    errors = response.context["form"].errors
    assert set(errors) == {"fran", "till", "enhet", "kategori", "status", "sortera"}
    assert 'class="error-summary" role="alert"' in response.content.decode()
    assert listed(response) == [praise.pk]


def test_an_end_date_before_the_start_date_is_explained(inbox, tree):
    make_case(unit=tree.gata)
    response = inbox(fran="2026-10-10", till="2026-10-01")
    assert "till" in response.context["form"].errors


def test_the_inbox_costs_the_same_queries_for_5_and_60_cases(
    client, tree, coordinator, django_assert_max_num_queries
):
    snow = Category.objects.create(unit=tree.gata, name_sv="Snö", name_en="Snow")
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)

    def add_cases(count: int) -> None:
        for number in range(count):
            unit = (tree.gata, tree.vatten, tree.hemtjanst, None)[number % 4]
            case = make_case(unit=unit, received_at=days_ago(number % 20))
            if unit == tree.gata:
                case_categorise(case=case, category=snow, by=handler)
                case_assign(case=case, to=handler, by=handler)

    client.force_login(coordinator)
    url = reverse("cases:inbox")
    add_cases(5)
    client.get(url)  # sessions and the like settle on the first request
    with django_assert_max_num_queries(9) as few:
        client.get(url, {"sortera": "status"})
    add_cases(55)
    with django_assert_max_num_queries(9) as many:
        response = client.get(url, {"sortera": "status"})
    assert len(response.context["page"]) == 50
    assert len(many) == len(few)


def test_a_case_reached_through_two_roles_is_listed_once(client, tree):
    case = make_case(unit=tree.gata)
    user = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    role_grant(user=user, unit=tree.teknik, role=Role.VIEWER, by=None)
    client.force_login(user)
    response = client.get(reverse("cases:inbox"))
    assert listed(response) == [case.pk]


def test_a_row_shows_its_times_in_local_time_and_its_labels_in_the_language(client, tree):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Ada")
    late_evening = make_case(unit=tree.gata, kind="praise", received_at=at(2026, 3, 10, 23, 30))
    case_assign(case=late_evening, to=handler, by=handler)
    client.force_login(handler)
    with translation.override("en"):
        url = reverse("cases:inbox")
    row = client.get(url).content.decode().split("<tbody>", 1)[1].split("</tr>")[0]
    assert '<time datetime="2026-03-10T23:30:00+01:00">2026-03-10 23:30</time>' in row
    answer_by = late_evening.answer_by.isoformat()
    assert f'<time datetime="{answer_by}">{answer_by}</time>' in row
    assert "<td>Praise</td>" in row
    assert "<td>Ada</td>" in row


def test_a_case_without_unit_or_handler_reads_so_in_its_row(client, tree, coordinator):
    make_case(unit=None)
    client.force_login(coordinator)
    with translation.override("en"):
        url = reverse("cases:inbox")
    row = client.get(url).content.decode().split("<tbody>", 1)[1].split("</tr>")[0]
    assert "<td>Triage queue</td>" in row
    assert "<td>–</td>" in row


def test_the_unit_and_category_filters_offer_and_accept_only_ones_own_units(client, tree):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    own = Category.objects.create(unit=tree.gata, name_sv="Snöröjning", name_en="Snow")
    other = Category.objects.create(unit=tree.vatten, name_sv="Läckor", name_en="Leaks")
    mine = make_case(unit=tree.gata)
    client.force_login(handler)

    chosen = client.get(reverse("cases:inbox"), {"enhet": tree.gata.pk, "kategori": own.pk})
    content = chosen.content.decode()
    assert f'<option value="{tree.gata.pk}" selected>' in content
    assert f'<option value="{own.pk}" selected>Gata: Snöröjning</option>' in content
    assert f'value="{other.pk}"' not in content
    assert chosen.context["form"].errors == {}

    refused = client.get(reverse("cases:inbox"), {"enhet": tree.vatten.pk, "kategori": other.pk})
    assert set(refused.context["form"].errors) == {"enhet", "kategori"}
    assert listed(refused) == [mine.pk]
