"""Feedback linked to a promise in a service declaration: the citizen comes from the
declaration's "if we do not keep a promise" link (?lofte=<pk>) and the form knows which
promise it is about; staff link a case to a promise, or unlink it, on the case page.
Anything but a promise in force is ignored on the public side and refused on the staff
side; staff of another unit and viewers cannot link."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from servicenav.cases.models import Case, CaseEvent, Kind
from servicenav.cases.services import case_link_commitment, case_submit
from servicenav.core.models import AuditEntry
from servicenav.declarations.services import version_new_draft
from servicenav.declarations.tests.factories import (
    ANSWER_PROMISE,
    draft_declaration,
    publish,
    published_declaration,
)
from servicenav.organisation.models import Role
from servicenav.organisation.services import unit_update
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

SUBMIT = reverse("cases:submit")
QUALITATIVE = {
    "text_sv": "Vi bemöter dig med respekt.",
    "text_en": "We treat you with respect.",
    "kind": "qualitative",
}


@pytest.fixture
def promise(tree):
    """A promise in force in the declaration of Gata."""
    version = published_declaration(
        tree.gata,
        service_sv="Snöröjning",
        service_en="Snow",
        valid_from=timezone.localdate() - timedelta(days=30),
    )
    return version.commitments.get()


def concerns(response) -> bool:
    with translation.override("sv"):
        notice = gettext("Your feedback concerns the promise:")
    return notice in response.content.decode()


def feedback(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": Kind.COMPLAINT,
        "unit": "",
        "text": "Trottoaren var inte plogad på tre dagar.",
        "place": "",
        "latitude": "",
        "longitude": "",
        "contact": "anonymous",
        "name": "",
        "email": "",
        "phone": "",
        "website": "",
        "submission_token": str(uuid.uuid4()),
        "commitment": "",
    }
    return data | changes


# --- The citizen's form ------------------------------------------------------------------


def test_the_form_from_a_promise_names_it_and_preselects_complaint_and_the_unit(
    client, tree, promise
):
    response = client.get(f"{SUBMIT}?lofte={promise.pk}")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.promise == promise
    assert form.initial["kind"] == Kind.COMPLAINT
    assert form.initial["unit"] == tree.gata.pk
    page = response.content.decode()
    assert concerns(response)
    assert "Vi svarar inom 10 arbetsdagar." in page
    assert "Snöröjning" in page
    assert f'name="commitment" value="{promise.pk}"' in page
    assert f'<option value="{tree.gata.pk}" selected>' in page


def test_the_form_names_the_promise_in_english_under_en(client, promise):
    with translation.override("en"):
        url = reverse("cases:submit")
    response = client.get(f"{url}?lofte={promise.pk}")

    page = response.content.decode()
    assert "Your feedback concerns the promise:" in page
    assert "We answer within 10 working days." in page
    assert "From the service declaration for Snow." in page


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "1.0", "0", "987654", "9" * 40, "١", " ", "1;DROP", "%00"]
)
def test_an_address_naming_no_promise_gives_the_ordinary_form(client, promise, value):
    response = client.get(SUBMIT, {"lofte": value})

    assert response.status_code == 200
    assert response.context["form"].promise is None
    assert "kind" not in response.context["form"].initial
    assert not concerns(response)


def test_a_promise_not_yet_in_force_is_ignored(client, tree, promise):
    draft = draft_declaration(tree.vatten, service_sv="Vatten utkast")
    unpublished = draft.commitments.get()
    renewal = version_new_draft(declaration=promise.version.declaration, by=None)

    for commitment in (unpublished, renewal.commitments.get()):
        response = client.get(f"{SUBMIT}?lofte={commitment.pk}")
        assert response.status_code == 200
        assert response.context["form"].promise is None
        assert not concerns(response)


def test_a_promise_of_an_archived_version_is_ignored(client, tree, promise):
    publish(version_new_draft(declaration=promise.version.declaration, by=None))

    response = client.get(f"{SUBMIT}?lofte={promise.pk}")

    assert response.context["form"].promise is None


def test_a_promise_of_a_unit_no_longer_active_is_ignored(client, tree, promise):
    unit_update(unit=tree.gata, by=None, active=False)

    response = client.get(f"{SUBMIT}?lofte={promise.pk}")

    assert response.context["form"].promise is None


def test_feedback_sent_from_a_promise_is_linked_to_it(client, tree, promise):
    response = client.post(
        f"{SUBMIT}?lofte={promise.pk}", feedback(unit=tree.gata.pk, commitment=promise.pk)
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.commitment == promise
    assert (case.unit, case.kind) == (tree.gata, Kind.COMPLAINT)
    created = case.events.get(type=CaseEvent.Type.CREATED)
    assert "Vi svarar inom 10 arbetsdagar." in created.data["commitment"]


def test_praise_of_a_promise_is_linked_too(client, tree, promise):
    client.post(SUBMIT, feedback(kind=Kind.PRAISE, unit=tree.gata.pk, commitment=promise.pk))

    case = Case.objects.get()
    assert (case.kind, case.commitment) == (Kind.PRAISE, promise)


def test_feedback_without_a_chosen_unit_keeps_the_promise_for_triage(client, tree, promise):
    client.post(SUBMIT, feedback(unit="", commitment=promise.pk))

    case = Case.objects.get()
    assert (case.unit, case.commitment) == (None, promise)


def test_feedback_about_a_unit_above_the_promises_unit_keeps_the_link(client, tree, promise):
    client.post(SUBMIT, feedback(unit=tree.teknik.pk, commitment=promise.pk))

    assert Case.objects.get().commitment == promise


def test_choosing_an_unrelated_service_sends_the_feedback_there_without_the_link(
    client, tree, promise
):
    response = client.post(SUBMIT, feedback(unit=tree.hemtjanst.pk, commitment=promise.pk))

    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.unit, case.commitment) == (tree.hemtjanst, None)


@pytest.mark.parametrize("value", ["abc", "987654", "9" * 40, "-3"])
def test_a_tampered_promise_field_is_ignored_and_the_feedback_still_arrives(
    client, tree, promise, value
):
    response = client.post(SUBMIT, feedback(unit=tree.gata.pk, commitment=value))

    assert response.status_code == 302
    assert Case.objects.get().commitment is None


def test_a_promise_field_naming_a_draft_is_ignored_and_the_feedback_still_arrives(client, tree):
    draft = draft_declaration(tree.gata)

    response = client.post(
        SUBMIT, feedback(unit=tree.gata.pk, commitment=draft.commitments.get().pk)
    )

    assert response.status_code == 302
    assert Case.objects.get().commitment is None


def test_a_form_with_an_error_still_names_the_promise(client, tree, promise):
    response = client.post(SUBMIT, feedback(unit=tree.gata.pk, commitment=promise.pk, text=""))

    assert response.status_code == 200
    assert not Case.objects.exists()
    assert concerns(response)
    assert f'name="commitment" value="{promise.pk}"' in response.content.decode()


def test_the_intake_service_refuses_a_promise_not_in_force_or_of_an_unrelated_unit(tree, promise):
    draft = draft_declaration(tree.gata).commitments.get()

    with pytest.raises(ValidationError):
        case_submit(kind=Kind.COMPLAINT, text="Halt", unit=tree.gata, commitment=draft)
    with pytest.raises(ValidationError):
        case_submit(kind=Kind.COMPLAINT, text="Halt", unit=tree.social, commitment=promise)
    assert not Case.objects.exists()


# --- The staff case page -----------------------------------------------------------------


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata)


@pytest.fixture
def case(tree):
    return make_case(unit=tree.gata)


def link(client, case, commitment_pk: object):
    url = reverse("cases:case-action", args=[case.pk, "lofte"])
    return client.post(url, {"lofte-commitment": commitment_pk})


def test_a_handler_links_a_case_to_a_promise_of_its_unit_and_it_shows(
    client, handler, case, promise
):
    client.force_login(handler)

    response = link(client, case, promise.pk)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.commitment == promise
    event = case.events.get(type=CaseEvent.Type.COMMITMENT)
    assert event.actor == handler
    assert not event.is_public
    assert event.data["commitment"]["from"] is None
    assert "Vi svarar inom 10 arbetsdagar." in event.data["commitment"]["to"]
    assert AuditEntry.objects.filter(object_id=str(case.pk), actor=handler).exists()
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "Vi svarar inom 10 arbetsdagar." in page
    assert reverse("declarations:detail", args=[promise.version.declaration_id]) in page


def test_the_choices_are_promises_in_force_of_the_unit_and_the_units_above_and_below(
    client, tree, handler, case, promise
):
    above = published_declaration(tree.teknik, promises=[QUALITATIVE]).commitments.get()
    unrelated = published_declaration(tree.social, promises=[QUALITATIVE]).commitments.get()
    sibling = published_declaration(tree.vatten).commitments.get()
    not_yet = draft_declaration(tree.gata, promises=[QUALITATIVE]).commitments.get()
    client.force_login(handler)

    response = client.get(reverse("cases:case", args=[case.pk]))

    choices = set(response.context["forms"]["lofte"].fields["commitment"].queryset)
    assert choices == {promise, above}
    for outside in (unrelated, sibling, not_yet):
        refused = link(client, case, outside.pk)
        assert refused.status_code == 400
        case.refresh_from_db()
        assert case.commitment is None


def test_a_case_of_a_unit_above_may_be_linked_to_a_promise_below_it(client, tree, promise):
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
    case = make_case(unit=tree.teknik)
    client.force_login(manager)

    assert link(client, case, promise.pk).status_code == 302
    case.refresh_from_db()
    assert case.commitment == promise


def test_choosing_no_promise_unlinks_the_case(client, handler, tree, promise):
    case = make_case(unit=tree.gata, commitment=promise)
    client.force_login(handler)

    response = link(client, case, "")

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.commitment is None
    event = case.events.get(type=CaseEvent.Type.COMMITMENT)
    assert event.data["commitment"]["to"] is None


def test_saving_the_same_promise_again_records_nothing(client, handler, tree, promise):
    case = make_case(unit=tree.gata, commitment=promise)
    client.force_login(handler)

    assert link(client, case, promise.pk).status_code == 302
    assert not case.events.filter(type=CaseEvent.Type.COMMITMENT).exists()


def test_a_link_to_an_older_version_stays_shown_and_selectable(client, handler, tree, promise):
    case = make_case(unit=tree.gata, commitment=promise)
    publish(version_new_draft(declaration=promise.version.declaration, by=None))
    client.force_login(handler)

    response = client.get(reverse("cases:case", args=[case.pk]))

    assert promise in response.context["forms"]["lofte"].fields["commitment"].queryset
    page = response.content.decode()
    assert "Vi svarar inom 10 arbetsdagar." in page
    version_page = reverse("declarations:version", args=[promise.version.declaration_id, 1])
    assert version_page in page
    assert link(client, case, promise.pk).status_code == 302


def test_staff_of_another_unit_cannot_see_or_link_the_case(client, tree, case, promise):
    outsider = make_user(role=Role.CASE_HANDLER, unit=tree.social)
    client.force_login(outsider)

    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404
    assert link(client, case, promise.pk).status_code == 404
    case.refresh_from_db()
    assert case.commitment is None


def test_a_viewer_sees_the_link_but_cannot_change_it(client, tree, promise):
    case = make_case(unit=tree.gata, commitment=promise)
    viewer = make_user(role=Role.VIEWER, unit=tree.gata)
    client.force_login(viewer)

    page = client.get(reverse("cases:case", args=[case.pk]))

    assert page.status_code == 200
    assert "Vi svarar inom 10 arbetsdagar." in page.content.decode()
    assert 'name="lofte-commitment"' not in page.content.decode()
    assert link(client, case, "").status_code == 403
    case.refresh_from_db()
    assert case.commitment == promise


def test_a_visitor_without_a_login_is_sent_to_log_in(client, case, promise):
    response = link(client, case, promise.pk)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    case.refresh_from_db()
    assert case.commitment is None


def test_the_link_service_refuses_promises_outside_the_case_unit_line(tree, handler, promise):
    case = make_case(unit=tree.hemtjanst)
    draft = draft_declaration(tree.hemtjanst, promises=[ANSWER_PROMISE]).commitments.get()

    for commitment in (promise, draft):
        with pytest.raises(ValidationError):
            case_link_commitment(case=case, commitment=commitment, by=handler)
    case.refresh_from_db()
    assert case.commitment is None
    assert not case.events.filter(type=CaseEvent.Type.COMMITMENT).exists()
