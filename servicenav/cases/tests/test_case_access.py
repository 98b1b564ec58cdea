"""Staff see and handle only their units' cases: another unit's case is not found in the
inbox, by search, by its page, its attachment or any action; viewers read but do not act;
the triage queue is for those who route cases."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from servicenav.cases.access import can_triage
from servicenav.cases.models import Attachment, Case, Status
from servicenav.cases.views.staff import ACTIONS
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Hemtjänsten kom inte på tisdagen"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def add_attachment(case: Case) -> Attachment:
    attachment = Attachment(
        case=case,
        token="a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
        extension=".pdf",
        content_type="application/pdf",
        size=13,
    )
    attachment.file.save("scan.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return attachment


@pytest.fixture
def other_units_case(tree) -> Case:
    return make_case(unit=tree.hemtjanst, text=SECRET_TEXT, reporter_email="ella@example.org")


@pytest.fixture
def gata_handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata)


def test_anonymous_visitors_are_sent_to_login_from_every_staff_page(client, tree):
    case = make_case(unit=tree.gata)
    for url in (
        reverse("cases:inbox"),
        reverse("cases:register"),
        reverse("cases:case", args=[case.pk]),
        reverse("cases:attachment", args=[case.pk, "x" * 32]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("cases:case-action", args=[case.pk, "anteckning"]))
    assert response.status_code == 302
    assert not case.events.filter(type="note").exists()


def test_a_handler_does_not_see_another_units_case_in_the_inbox(
    client, tree, gata_handler, other_units_case
):
    own = make_case(unit=tree.gata)
    client.force_login(gata_handler)
    content = client.get(reverse("cases:inbox")).content.decode()
    assert own.reference in content
    assert other_units_case.reference not in content


def test_a_handler_cannot_find_another_units_case_by_searching(
    client, gata_handler, other_units_case
):
    client.force_login(gata_handler)
    for search in (other_units_case.reference, "tisdagen"):
        response = client.get(reverse("cases:inbox"), {"sok": search})
        assert response.status_code == 200
        assert list(response.context["page"]) == []
        assert SECRET_TEXT not in response.content.decode()
        assert reverse("cases:case", args=[other_units_case.pk]) not in response.content.decode()


def test_a_handler_cannot_filter_the_inbox_by_another_unit(client, tree, gata_handler):
    make_case(unit=tree.hemtjanst)
    client.force_login(gata_handler)
    response = client.get(reverse("cases:inbox"), {"enhet": tree.hemtjanst.pk})
    assert response.status_code == 200
    assert "enhet" in response.context["form"].errors
    assert list(response.context["page"]) == []


def test_a_handler_gets_not_found_for_another_units_case_page(
    client, gata_handler, other_units_case
):
    client.force_login(gata_handler)
    response = client.get(reverse("cases:case", args=[other_units_case.pk]))
    assert response.status_code == 404
    assert SECRET_TEXT not in response.content.decode()


def test_a_case_page_that_does_not_exist_is_not_found(client, gata_handler):
    client.force_login(gata_handler)
    assert client.get(reverse("cases:case", args=[999999])).status_code == 404


def test_a_handler_gets_not_found_for_another_units_attachment(
    client, media, gata_handler, other_units_case
):
    attachment = add_attachment(other_units_case)
    client.force_login(gata_handler)
    response = client.get(reverse("cases:attachment", args=[other_units_case.pk, attachment.token]))
    assert response.status_code == 404


def test_an_attachment_of_a_readable_case_is_downloaded_never_shown_inline(
    client, media, tree, other_units_case
):
    attachment = add_attachment(other_units_case)
    client.force_login(make_user(role=Role.VIEWER, unit=tree.social))
    response = client.get(reverse("cases:attachment", args=[other_units_case.pk, attachment.token]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Disposition"].startswith("attachment;")
    assert other_units_case.reference in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_an_attachment_token_of_another_case_is_not_found_through_a_readable_case(
    client, media, tree, gata_handler, other_units_case
):
    foreign = add_attachment(other_units_case)
    own = make_case(unit=tree.gata)
    client.force_login(gata_handler)
    response = client.get(reverse("cases:attachment", args=[own.pk, foreign.token]))
    assert response.status_code == 404


def test_an_attachment_whose_file_is_gone_is_not_found(client, media, tree, gata_handler):
    case = make_case(unit=tree.gata)
    attachment = add_attachment(case)
    attachment.file.delete(save=False)
    client.force_login(gata_handler)
    response = client.get(reverse("cases:attachment", args=[case.pk, attachment.token]))
    assert response.status_code == 404


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_handler_gets_not_found_for_every_action_on_another_units_case(
    client, gata_handler, other_units_case, action
):
    client.force_login(gata_handler)
    events = other_units_case.events.count()
    response = client.post(
        reverse("cases:case-action", args=[other_units_case.pk, action]),
        {f"{action}-text": "x", f"{action}-reason": "x", f"{action}-outcome": "answered"},
    )
    assert response.status_code == 404
    other_units_case.refresh_from_db()
    assert other_units_case.events.count() == events
    assert other_units_case.status == Status.NEW


def test_a_viewer_reads_a_case_but_is_offered_no_actions(client, tree, other_units_case):
    client.force_login(make_user(role=Role.VIEWER, unit=tree.social))
    response = client.get(reverse("cases:case", args=[other_units_case.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert SECRET_TEXT in content
    assert response.context["can_handle"] is False
    assert "/anteckning/" not in content
    assert 'method="post"' not in content.split("<main", 1)[1]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_viewer_is_forbidden_every_action(client, tree, other_units_case, action):
    client.force_login(make_user(role=Role.VIEWER, unit=tree.social))
    events = other_units_case.events.count()
    response = client.post(
        reverse("cases:case-action", args=[other_units_case.pk, action]),
        {f"{action}-text": "x", f"{action}-reason": "x", f"{action}-outcome": "answered"},
    )
    assert response.status_code == 403
    assert other_units_case.events.count() == events


def test_an_unknown_action_is_not_found_even_for_the_cases_handler(client, tree, gata_handler):
    case = make_case(unit=tree.gata)
    client.force_login(gata_handler)
    response = client.post(reverse("cases:case-action", args=[case.pk, "radera"]))
    assert response.status_code == 404


def test_actions_are_not_done_on_a_get_request(client, tree, gata_handler):
    case = make_case(unit=tree.gata)
    client.force_login(gata_handler)
    response = client.get(reverse("cases:case-action", args=[case.pk, "kvittera"]))
    assert response.status_code == 405
    case.refresh_from_db()
    assert case.acknowledged_at is None


def test_a_handler_higher_up_handles_the_cases_of_the_units_below(client, tree):
    case = make_case(unit=tree.gata)
    client.force_login(make_user(role=Role.CASE_HANDLER, unit=tree.teknik))
    response = client.post(
        reverse("cases:case-action", args=[case.pk, "anteckning"]),
        {"anteckning-text": "Kollar med entreprenören."},
    )
    assert response.status_code == 302
    assert case.events.filter(type="note").count() == 1


def test_the_triage_queue_is_shown_to_a_top_level_quality_coordinator(client, tree):
    unrouted = make_case(unit=None)
    coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun)
    assert can_triage(coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("cases:inbox"), {"triage": "on"})
    assert [case.pk for case in response.context["page"]] == [unrouted.pk]
    assert "triage" in response.context["form"].fields
    assert client.get(reverse("cases:case", args=[unrouted.pk])).status_code == 200


def test_the_triage_queue_is_hidden_from_a_handler_even_at_the_top(client, tree):
    unrouted = make_case(unit=None)
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.kommun)
    client.force_login(handler)
    response = client.get(reverse("cases:inbox"), {"triage": "on"})
    assert "triage" not in response.context["form"].fields
    assert unrouted.reference not in response.content.decode()
    assert client.get(reverse("cases:case", args=[unrouted.pk])).status_code == 404


def test_the_triage_queue_is_hidden_from_a_quality_coordinator_of_one_part(client, tree):
    unrouted = make_case(unit=None)
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik))
    response = client.get(reverse("cases:inbox"))
    assert unrouted.reference not in response.content.decode()
    assert client.get(reverse("cases:case", args=[unrouted.pk])).status_code == 404


def test_a_handler_cannot_link_or_merge_with_a_case_they_cannot_see(
    client, tree, gata_handler, other_units_case
):
    case = make_case(unit=tree.gata)
    client.force_login(gata_handler)
    for action in ("koppla", "sammanfoga"):
        response = client.post(
            reverse("cases:case-action", args=[case.pk, action]),
            {f"{action}-reference": other_units_case.reference},
        )
        assert response.status_code == 400
        assert response.context["forms"][action].errors["reference"]
    case.refresh_from_db()
    assert case.merged_into is None
    assert not case.related.exists()
    assert other_units_case.events.count() == 1


def test_a_handler_cannot_register_feedback_for_another_unit(client, tree, gata_handler):
    client.force_login(gata_handler)
    response = client.post(
        reverse("cases:register"),
        {
            "channel": "phone",
            "received_at": "2026-10-02T14:30",
            "kind": "complaint",
            "unit": tree.hemtjanst.pk,
            "text": "Ringde om hemtjänsten.",
            "language": "sv",
            "submission_token": "8f7c7d3e-9a55-4d0e-a6c4-5f1b2a3c4d5e",
        },
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_viewer_may_not_register_feedback(client, tree):
    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))
    assert client.get(reverse("cases:register")).status_code == 403


def test_assigning_to_someone_who_cannot_handle_the_case_is_refused(client, tree, gata_handler):
    case = make_case(unit=tree.gata)
    outsider = make_user(role=Role.CASE_HANDLER, unit=tree.hemtjanst)
    client.force_login(gata_handler)
    response = client.post(
        reverse("cases:case-action", args=[case.pk, "tilldela"]),
        {"tilldela-handler": outsider.pk},
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assigned_to is None
