"""Staff register feedback that came by phone, letter, visit, e-mail or social media; the
clocks start when it was received, and the follow-up code is shown to staff once."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from servicenav.cases.models import Case, CaseEvent, Category
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def feedback(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "channel": "phone",
        "received_at": "2026-10-02T14:30",  # a Friday
        "kind": "complaint",
        "text": "Ringde: gatlyktan utanför skolan har varit släckt i en vecka.",
        "place": "Skolgatan 4",
        "reporter_name": "Per Persson",
        "reporter_phone": "070-123 45 67",
        "wants_answer": "on",
        "language": "sv",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata)


def test_the_register_page_offers_only_the_staff_channels_and_the_users_units(
    client, tree, handler
):
    client.force_login(handler)
    response = client.get(reverse("cases:register"))
    assert response.status_code == 200
    form = response.context["form"]
    assert [value for value, _label in form.fields["channel"].choices] == [
        "phone",
        "letter",
        "visit",
        "email",
        "social",
    ]
    assert list(form.fields["unit"].queryset) == [tree.gata]
    assert form.fields["unit"].required


def test_feedback_received_on_a_friday_is_due_for_acknowledgement_on_tuesday(client, tree, handler):
    client.force_login(handler)
    response = client.post(reverse("cases:register"), feedback(unit=tree.gata.pk))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case", args=[case.pk])
    assert timezone.localtime(case.received_at).isoformat().startswith("2026-10-02T14:30")
    assert case.acknowledge_by == date(2026, 10, 6)
    assert case.answer_by == date(2026, 10, 16)
    assert case.registered_at > case.received_at
    assert case.channel == "phone"
    assert case.unit == tree.gata
    assert case.reporter_phone == "070-123 45 67"
    assert case.wants_answer is True
    created = case.events.get()
    assert created.type == CaseEvent.Type.CREATED
    assert created.actor == handler


def test_the_follow_up_code_is_shown_once_right_after_registering(client, tree, handler):
    client.force_login(handler)
    response = client.post(reverse("cases:register"), feedback(unit=tree.gata.pk), follow=True)
    case = Case.objects.get()
    content = response.content.decode()
    codes = CODE.findall(content)
    assert len(codes) == 1
    assert case.follow_up_code_matches(codes[0])
    assert case.reference in content
    again = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert not CODE.search(again)


def test_a_time_received_in_the_future_is_refused(client, tree, handler):
    client.force_login(handler)
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = client.post(
        reverse("cases:register"),
        feedback(unit=tree.gata.pk, received_at=tomorrow.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 400
    assert "received_at" in response.context["form"].errors
    assert not Case.objects.exists()


@pytest.mark.parametrize("channel", ["web", "api", "pigeon"])
def test_the_web_form_and_api_channels_are_not_for_staff_registration(
    client, tree, handler, channel
):
    client.force_login(handler)
    response = client.post(reverse("cases:register"), feedback(unit=tree.gata.pk, channel=channel))
    assert response.status_code == 400
    assert "channel" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_handler_must_choose_a_unit(client, handler):
    client.force_login(handler)
    response = client.post(reverse("cases:register"), feedback())
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_quality_coordinator_may_leave_the_unit_for_the_triage_queue(client, tree):
    coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun)
    client.force_login(coordinator)
    response = client.post(reverse("cases:register"), feedback(channel="letter"))
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.unit is None
    assert case.channel == "letter"


def test_a_category_must_belong_to_the_chosen_unit(client, tree):
    coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun)
    water = Category.objects.create(unit=tree.vatten, name_sv="Läcka", name_en="Leak")
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:register"), feedback(unit=tree.gata.pk, category=water.pk)
    )
    assert response.status_code == 400
    assert "category" in response.context["form"].errors
    assert not Case.objects.exists()
    response = client.post(
        reverse("cases:register"), feedback(unit=tree.vatten.pk, category=water.pk)
    )
    assert Case.objects.get().category == water


def test_wanting_an_answer_needs_a_way_to_answer(client, tree, handler):
    client.force_login(handler)
    response = client.post(
        reverse("cases:register"),
        feedback(unit=tree.gata.pk, reporter_phone=None, reporter_name="Per"),
    )
    assert response.status_code == 400
    assert "wants_answer" in response.context["form"].errors


def test_anonymous_feedback_is_registered_like_any_other(client, tree, handler):
    client.force_login(handler)
    response = client.post(
        reverse("cases:register"),
        feedback(unit=tree.gata.pk, reporter_name="", reporter_phone="", wants_answer=None),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_anonymous
    assert case.answer_by == date(2026, 10, 16)


def test_sending_the_same_form_twice_registers_one_case(client, tree, handler):
    client.force_login(handler)
    data = feedback(unit=tree.gata.pk)
    first = client.post(reverse("cases:register"), data, follow=True)
    second = client.post(reverse("cases:register"), data, follow=True)
    case = Case.objects.get()
    assert first.redirect_chain[-1][0] == reverse("cases:case", args=[case.pk])
    assert CODE.search(first.content.decode())
    assert second.redirect_chain[-1][0] == reverse("cases:case", args=[case.pk])
    assert not CODE.search(second.content.decode())


def test_staff_of_another_unit_cannot_see_the_case_they_did_not_register(client, tree, handler):
    client.force_login(handler)
    client.post(reverse("cases:register"), feedback(unit=tree.gata.pk))
    case = Case.objects.get()
    client.force_login(make_user(role=Role.CASE_HANDLER, unit=tree.hemtjanst))
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404


def test_anonymous_visitors_cannot_register_feedback_as_staff(client, tree):
    response = client.post(reverse("cases:register"), feedback(unit=tree.gata.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Case.objects.exists()
