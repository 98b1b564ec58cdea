"""The staff pages: who sees which actions, and bad input answered with a message."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from servicenav.improvement.models import Action
from servicenav.improvement.services import action_set_status
from servicenav.improvement.tests.factories import make_action
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_user

S = Action.Status


def url(name: str, *args: int) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def action(tree):
    return make_action(unit=tree.gata, title="Bättre snöröjning")


def test_anonymous_visitors_are_sent_to_log_in(client, action):
    for name, args in [("improvement:staff-list", ()), ("improvement:staff-detail", (action.pk,))]:
        response = client.get(url(name, *args))
        assert response.status_code == 302
        assert "logga-in" in response["Location"]


def test_staff_of_another_unit_get_404_and_do_not_see_it_listed(client, tree, action):
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social))
    assert client.get(url("improvement:staff-detail", action.pk)).status_code == 404
    assert (
        client.post(url("improvement:staff-status", action.pk), {"status": "decided"}).status_code
        == 404
    )
    assert "Bättre snöröjning" not in client.get(url("improvement:staff-list")).content.decode()


def test_staff_of_the_unit_see_it_and_a_viewer_may_not_change_it(client, tree, action):
    viewer = make_user(role=Role.VIEWER, unit=tree.teknik)
    client.force_login(viewer)
    assert "Bättre snöröjning" in client.get(url("improvement:staff-list")).content.decode()
    assert client.get(url("improvement:staff-detail", action.pk)).status_code == 200
    assert (
        client.post(url("improvement:staff-status", action.pk), {"status": "decided"}).status_code
        == 403
    )


def test_a_list_filters_by_unit_status_and_value(client, tree, action):
    make_action(unit=tree.vatten, title="Vattenkvalitet")
    client.force_login(make_user(role=Role.VIEWER, unit=tree.kommun))
    page = client.get(url("improvement:staff-list"), {"unit": tree.vatten.pk}).content.decode()
    assert "Vattenkvalitet" in page
    assert "Bättre snöröjning" not in page
    page = client.get(url("improvement:staff-list"), {"status": "done"}).content.decode()
    assert "Vattenkvalitet" not in page
    assert client.get(url("improvement:staff-list"), {"status": "nonsense"}).status_code == 400


def test_dropping_without_a_reason_answers_400_with_a_message(client, tree, action):
    client.force_login(make_user(role=Role.UNIT_MANAGER, unit=tree.gata))
    response = client.post(url("improvement:staff-status", action.pk), {"status": "dropped"})
    assert response.status_code == 400
    assert "Say why the action is dropped." in response.content.decode()
    response = client.post(url("improvement:staff-status", action.pk), {"status": "flying"})
    assert response.status_code == 400


def test_staff_create_update_and_link_feedback_through_the_pages(client, tree):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    client.force_login(handler)
    response = client.post(
        url("improvement:staff-create"),
        {"unit": tree.gata.pk, "title": "Sandning", "description": "Sanda oftare."},
    )
    action = Action.objects.get(title="Sandning")
    assert response.status_code == 302
    case = make_case(unit=tree.gata)
    assert (
        client.post(
            url("improvement:staff-link", action.pk), {"reference": case.reference}
        ).status_code
        == 302
    )
    assert list(action.cases.all()) == [case]
    response = client.post(url("improvement:staff-link", action.pk), {"reference": "NOPE-1"})
    assert response.status_code == 400
    assert "There is no feedback with that reference" in response.content.decode()
    other = make_case(unit=tree.hemtjanst)
    assert (
        client.post(
            url("improvement:staff-link", action.pk), {"reference": other.reference}
        ).status_code
        == 400
    )
    response = client.post(
        url("improvement:staff-update", action.pk), {"date": "2026-11-01", "text": "Beställt."}
    )
    assert response.status_code == 302
    assert (
        client.post(
            url("improvement:staff-update", action.pk), {"date": "x", "text": ""}
        ).status_code
        == 400
    )
    response = client.post(
        url("improvement:staff-create"), {"unit": tree.gata.pk, "title": "", "description": ""}
    )
    assert response.status_code == 400
    page = client.get(url("improvement:staff-detail", action.pk)).content.decode()
    assert case.reference in page
    assert "Beställt." in page
    assert client.post(url("improvement:staff-unlink", action.pk, case.pk)).status_code == 302
    assert not action.cases.exists()


def test_feedback_without_an_action_lists_complaints_no_action_takes_up(client, tree, action):
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.gata)
    taken = make_case(unit=tree.gata)
    left = make_case(unit=tree.gata, kind="suggestion")
    praise = make_case(unit=tree.gata, kind="praise")
    action.cases.add(taken)
    client.force_login(manager)
    page = client.get(url("improvement:unactioned")).content.decode()
    assert left.reference in page
    assert taken.reference not in page
    assert praise.reference not in page
    action_set_status(action=action, status=S.DROPPED, reason="x", by=manager)


def test_survey_rounds_focus_groups_and_promises_not_kept_are_linked_as_causes(
    client, tree, action
):
    from servicenav.surveys.models import FocusGroup

    group = FocusGroup.objects.create(
        unit=tree.gata, held_on="2026-10-01", target_group="Gående", participants=6, summary="x"
    )
    hidden = FocusGroup.objects.create(
        unit=tree.social, held_on="2026-10-01", target_group="Brukare", participants=6, summary="y"
    )
    client.force_login(make_user(role=Role.CASE_HANDLER, unit=tree.gata))
    link = url("improvement:staff-source", action.pk)
    assert client.get(url("improvement:staff-detail", action.pk)).status_code == 200
    assert client.post(link, {"source": f"focus_group:{group.pk}"}).status_code == 302
    assert list(action.focus_groups.all()) == [group]
    assert client.post(link, {"source": f"focus_group:{hidden.pk}"}).status_code == 400
    assert client.post(link, {"source": "nonsense"}).status_code == 400
    assert client.post(link, {"source": f"follow_up:{group.pk}"}).status_code == 400
    assert (
        client.post(link, {"source": f"focus_group:{group.pk}", "remove": "1"}).status_code == 302
    )
    assert not action.focus_groups.exists()


def test_the_list_page_needs_few_queries_however_many_actions(
    client, tree, django_assert_max_num_queries
):
    for number in range(15):
        make_action(unit=tree.gata, title=f"Åtgärd {number}")
    client.force_login(make_user(role=Role.VIEWER, unit=tree.kommun))
    with django_assert_max_num_queries(12):
        assert client.get(url("improvement:staff-list")).status_code == 200


def test_coordinators_add_themes_and_others_may_not(client, tree):
    themes = url("improvement:themes")
    client.force_login(make_user(role=Role.CASE_HANDLER, unit=tree.gata))
    assert client.post(themes, {"name_sv": "Parkering"}).status_code == 403
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun))
    assert client.post(themes, {"name_sv": "Parkering"}).status_code == 302
    response = client.post(themes, {"name_sv": "parkering"})
    assert response.status_code == 400
    assert "That theme is already on the list." in response.content.decode()
