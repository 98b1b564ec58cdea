"""The network's pages: members and coordinators of the whole municipality use them;
everyone else signed in gets 403, anonymous visitors go to the login page; the chair (or
such a coordinator) adopts the directive; bad input is a 4xx that changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from servicenav.network.models import ActionItem, Decision, DirectiveVersion, Meeting, Member
from servicenav.network.services import action_item_add, meeting_create

pytestmark = pytest.mark.django_db

HOME = "/en/personal/natverket/"


@pytest.fixture
def meeting(people) -> Meeting:
    return meeting_create(held_on=date(2026, 3, 4), agenda="1. Start", by=people.chair)


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert "/logga-in/" in response["Location"]


@pytest.mark.parametrize("who", ["chair", "member", "coordinator"])
def test_members_and_top_coordinators_see_the_network(client, people, who):
    client.force_login(getattr(people, who))
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Quality network" in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "teknik_coordinator"])
def test_everyone_else_gets_403_everywhere(client, people, meeting, who):
    client.force_login(getattr(people, who))
    assert client.get(HOME).status_code == 403
    assert client.get(reverse("network:meeting", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("network:directive")).status_code == 403
    response = client.post(reverse("network:members", args=["add"]), {"user": people.outsider.pk})
    assert response.status_code == 403
    assert not Member.objects.filter(user=people.outsider).exists()


def test_a_meeting_that_does_not_exist_is_404(client, people):
    client.force_login(people.member)
    assert client.get(reverse("network:meeting", args=[999999])).status_code == 404
    assert client.get(reverse("network:directive-version", args=[7])).status_code == 404


def test_the_chair_and_a_coordinator_adopt_the_directive_but_a_member_may_not(client, people):
    data = {"text": "Uppdraget", "adopted_on": "2026-02-01", "adopted_by": "Ledningsgruppen"}
    client.force_login(people.member)
    assert client.get(reverse("network:directive-new")).status_code == 403
    assert client.post(reverse("network:directive-new"), data).status_code == 403
    client.force_login(people.chair)
    response = client.post(reverse("network:directive-new"), data)
    assert response.status_code == 302
    client.force_login(people.coordinator)
    client.post(reverse("network:directive-new"), {**data, "text": "Nytt uppdrag"})
    assert list(DirectiveVersion.objects.values_list("number", "text")) == [
        (2, "Nytt uppdrag"),
        (1, "Uppdraget"),
    ]
    client.force_login(people.member)
    page = client.get(reverse("network:directive-version", args=[1])).content.decode()
    assert "Uppdraget" in page
    assert "Version 2" in page


def test_a_directive_without_text_is_400_and_nothing_is_saved(client, people):
    client.force_login(people.chair)
    response = client.post(
        "/en" + reverse("network:directive-new"),
        {"text": "", "adopted_on": "not a date", "adopted_by": "x"},
    )
    assert response.status_code == 400
    assert not DirectiveVersion.objects.exists()


def test_a_member_adds_a_meeting_its_decisions_and_action_items(client, people):
    client.force_login(people.member)
    response = client.post(
        reverse("network:meeting-create"), {"held_on": "2026-03-04", "agenda": "1. Start"}
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("network:meeting", args=[meeting.pk])
    url = reverse("network:meeting", args=[meeting.pk])
    client.post(url, {"form": "decision", "decision-text": "Vi ses i maj."})
    client.post(
        url,
        {
            "form": "item",
            "item-text": "Boka lokal",
            "item-owner": people.chair.pk,
            "item-due_on": "2026-04-01",
        },
    )
    client.post(url, {"form": "minutes", "minutes-agenda": "1. Start", "minutes-minutes": "Bra."})
    assert list(Decision.objects.values_list("text", flat=True)) == ["Vi ses i maj."]
    item = ActionItem.objects.get()
    assert (item.owner, item.status) == (people.chair, "open")
    meeting.refresh_from_db()
    assert meeting.minutes == "Bra."
    client.post(reverse("network:action-item-status", args=[item.pk]), {"status": "done"})
    item.refresh_from_db()
    assert item.status == "done"


@pytest.mark.parametrize(
    "data",
    [
        {"form": "nonsense"},
        {"form": "decision", "decision-text": ""},
        {"form": "item", "item-text": "x", "item-owner": "999999", "item-due_on": "2026-04-01"},
        {"form": "item", "item-text": "x", "item-owner": "1", "item-due_on": "31/31/2026"},
    ],
)
def test_bad_meeting_input_is_400_and_changes_nothing(client, people, meeting, data):
    client.force_login(people.member)
    response = client.post(reverse("network:meeting", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert not Decision.objects.exists()
    assert not ActionItem.objects.exists()


def test_a_bad_status_is_400(client, people, meeting):
    item = action_item_add(
        meeting=meeting, text="x", owner=people.member, due_on=date(2026, 4, 1), by=None
    )
    client.force_login(people.member)
    url = reverse("network:action-item-status", args=[item.pk])
    assert client.post(url, {"status": "maybe"}).status_code == 400
    assert client.post(reverse("network:action-item-status", args=[999999])).status_code == 404


def test_members_are_added_and_the_chair_moved_through_the_page(client, people):
    client.force_login(people.coordinator)
    client.post(reverse("network:members", args=["add"]), {"user": people.outsider.pk})
    new = Member.objects.get(user=people.outsider)
    client.post(reverse("network:members", args=["chair"]), {"member": new.pk})
    assert list(Member.objects.filter(is_chair=True)) == [new]
    assert (
        client.post(reverse("network:members", args=["chair"]), {"member": "x"}).status_code == 404
    )
    assert client.post(reverse("network:members", args=["fly"])).status_code == 404
    # The chair cannot just leave: a message, and nothing changes.
    response = client.post(reverse("network:members", args=["remove"]), {"member": new.pk})
    assert response.status_code == 302
    assert Member.objects.filter(pk=new.pk, is_chair=True).exists()


def test_the_home_page_reads_in_a_fixed_number_of_queries(
    client, people, django_assert_max_num_queries
):
    for day in range(1, 6):
        meeting = meeting_create(held_on=date(2026, 3, day), agenda="", by=people.chair)
        action_item_add(
            meeting=meeting, text="x", owner=people.member, due_on=date(2026, 4, day), by=None
        )
    client.force_login(people.member)
    with django_assert_max_num_queries(16):
        assert client.get(HOME).status_code == 200
