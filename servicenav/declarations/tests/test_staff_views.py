"""The staff pages of service declarations: who sees which, writing a draft with its
promises, the approval lifecycle through the views, and following the promises up from
real cases. Pages are read in English (/en/) so that new texts can be compared."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.cases.models import Case
from servicenav.cases.services import case_close
from servicenav.core.periods import Period, PeriodKind
from servicenav.core.selectors import working_calendar
from servicenav.declarations.models import Commitment, Declaration, FollowUp, Measure, Version
from servicenav.declarations.services import (
    commitment_add,
    declaration_create,
    version_approve,
    version_publish,
    version_submit,
)
from servicenav.organisation.models import Role, User
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ANSWER_PROMISE = {
    "text_sv": "Vi svarar inom två arbetsdagar.",
    "text_en": "We answer within two working days.",
    "measure": Measure.ANSWERED_WITHIN,
    "limit_days": 2,
    "threshold": Decimal(80),
    "min_cases": 3,
}
TALK_PROMISE = {
    "text_sv": "Vi bemöter dig vänligt.",
    "text_en": "We treat you kindly.",
    "kind": Commitment.Kind.QUALITATIVE,
}


def en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"declarations:{name}", args=args)


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def people(tree):
    class People:
        coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
        manager = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
        handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
        social_coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social)

    return People


def new_declaration(unit, by, service="Snöröjning", *promises):
    version = declaration_create(unit=unit, by=by, service_sv=service, service_en=f"{service} EN")
    for promise in promises or (ANSWER_PROMISE,):
        commitment_add(version=version, by=by, **promise)
    return version


def publish(version, people, *, valid_from=None):
    version_submit(version=version, by=people.coordinator)
    version_approve(version=version, by=people.manager)
    version_publish(version=version, by=people.coordinator, valid_from=valid_from)
    version.refresh_from_db()
    return version


@pytest.fixture
def draft(tree, people):
    return new_declaration(tree.gata, people.coordinator)


# The list and who sees what


def test_the_list_shows_only_the_declarations_of_ones_own_units(client, tree, people, draft):
    elsewhere = new_declaration(tree.hemtjanst, people.social_coordinator, "Hemtjänst")
    client.force_login(people.handler)
    response = client.get(en("staff-list"))
    assert response.status_code == 200
    assert "Snöröjning EN" in response.text
    assert "Hemtjänst EN" not in response.text
    assert [row.declaration for _unit, rows in response.context["groups"] for row in rows] == [
        draft.declaration
    ]
    for name in ("staff-detail", "staff-edit", "staff-follow-up"):
        assert client.get(en(name, elsewhere.declaration_id)).status_code == 404
    response = client.post(en("staff-action", elsewhere.declaration_id, "submit"))
    assert response.status_code == 404
    assert client.post(en("staff-follow-up", elsewhere.declaration_id)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login(client, draft):
    response = client.get(en("staff-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_groups_by_unit_with_status_dates_and_an_overdue_review(
    client, tree, people, draft
):
    in_force = publish(new_declaration(tree.vatten, people.coordinator, "Vatten"), people)
    Version.objects.filter(pk=in_force.pk).update(review_by=date(2026, 1, 31))
    client.force_login(people.coordinator)
    response = client.get(en("staff-list"))
    groups = response.context["groups"]
    assert [unit for unit, _rows in groups] == [tree.gata, tree.vatten]
    assert "Version 1: draft" in response.text
    assert "Version 1: published" in response.text
    assert in_force.valid_from.isoformat() in response.text
    assert "2026-01-31" in response.text
    assert response.text.count("Review overdue") == 1
    assert "New declaration" in response.text


def test_the_list_makes_the_same_queries_for_more_declarations(client, tree, people, draft):
    client.force_login(people.coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(en("staff-list"))
    for number in range(3):
        publish(new_declaration(tree.vatten, people.coordinator, f"Vatten {number}"), people)
    with CaptureQueriesContext(connection) as four:
        response = client.get(en("staff-list"))
    assert response.context["count"] == 4
    assert len(four) == len(one)


def test_readers_get_no_new_declaration_button_nor_the_form(client, people, draft):
    client.force_login(people.handler)
    assert "New declaration" not in client.get(en("staff-list")).text
    assert client.get(en("staff-create")).status_code == 403


# Creating


def create_data(unit, **fields):
    return {"unit": unit.pk, "service_sv": "Parkering", "period_kind": "quarter"} | fields


def test_a_declaration_is_created_as_a_draft_and_opened_for_editing(client, tree, people):
    client.force_login(people.coordinator)
    data = create_data(tree.gata, owner=people.manager.pk, summary_sv="Om parkering.")
    response = client.post(en("staff-create"), data)
    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == en("staff-edit", declaration.pk)
    version = declaration.latest
    assert (declaration.unit, declaration.owner) == (tree.gata, people.manager)
    assert (version.service_sv, version.summary_sv, version.period_kind) == (
        "Parkering",
        "Om parkering.",
        "quarter",
    )
    assert version.status == Version.Status.DRAFT


def test_the_owner_defaults_to_the_writer(client, tree, people):
    client.force_login(people.coordinator)
    client.post(en("staff-create"), create_data(tree.vatten))
    assert Declaration.objects.get().owner == people.coordinator


def offered(form, name):
    """The ids a select of the rendered form offers."""
    return {int(str(value)) for value, _label in form.fields[name].widget.choices if value}


def test_only_units_one_writes_for_can_be_chosen(client, tree, people):
    client.force_login(people.coordinator)
    form = client.get(en("staff-create")).context["form"]
    assert offered(form, "unit") == {unit.pk for unit in (tree.teknik, tree.gata, tree.vatten)}
    owners = set(User.objects.filter(pk__in=offered(form, "owner")))
    assert {people.coordinator, people.manager} <= owners
    assert people.social_coordinator not in owners
    assert people.handler not in owners
    response = client.post(en("staff-create"), create_data(tree.hemtjanst))
    assert response.status_code == 400
    assert response.context["form"].errors["unit"]
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"service_sv": ""},  # the service is required in Swedish
        {"period_kind": "week"},
        {"owner": "999999"},
    ],
)
def test_bad_input_shows_errors_and_creates_nothing(client, tree, people, fields):
    client.force_login(people.coordinator)
    response = client.post(en("staff-create"), create_data(tree.gata, **fields))
    assert response.status_code == 400
    assert response.context["form"].errors
    assert "Something needs to be fixed" in response.text
    assert not Declaration.objects.exists()
    assert not Version.objects.exists()


# Editing a draft


def edit_data(version, *promises, **texts):
    """The edit form as posted: the version's texts (changed by `texts`) and `promises`."""
    data = {name: getattr(version, name) for name in Version.CONTENT_FIELDS} | texts
    data |= {
        "promise-TOTAL_FORMS": len(promises),
        "promise-INITIAL_FORMS": 0,
        "promise-MIN_NUM_FORMS": 0,
        "promise-MAX_NUM_FORMS": 1000,
    }
    for index, promise in enumerate(promises):
        fields = {"min_cases": 5, "kind": "measurable"} | promise
        data |= {f"promise-{index}-{name}": value for name, value in fields.items()}
    return data


def stored(commitment: Commitment) -> dict:
    return {
        "commitment": commitment.pk,
        "order": commitment.order,
        "text_sv": commitment.text_sv,
        "text_en": commitment.text_en,
        "kind": commitment.kind,
        "measure": commitment.measure,
        "limit_days": commitment.limit_days or "",
        "threshold": commitment.threshold if commitment.threshold is not None else "",
        "min_cases": commitment.min_cases,
    }


def test_a_draft_is_saved_with_its_promises(client, people, draft):
    client.force_login(people.coordinator)
    existing = draft.commitments.get()
    response = client.get(en("staff-edit", draft.declaration_id))
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 2  # the promise and a new one
    data = edit_data(
        draft,
        stored(existing) | {"limit_days": 5},
        {"text_sv": "Vi kvitterar inom en dag.", "measure": "acknowledged_within"}
        | {"limit_days": 1, "threshold": "95.5"},
        TALK_PROMISE,
        summary_sv="Vi röjer snö.",
    )
    response = client.post(en("staff-edit", draft.declaration_id), data, follow=True)
    assert "The draft is saved." in said(response)
    draft.refresh_from_db()
    assert draft.summary_sv == "Vi röjer snö."
    promises = list(draft.commitments.order_by("order"))
    assert [c.text_sv for c in promises] == [
        ANSWER_PROMISE["text_sv"],
        "Vi kvitterar inom en dag.",
        TALK_PROMISE["text_sv"],
    ]
    assert promises[0].limit_days == 5
    assert promises[0].key == existing.key
    assert promises[1].threshold == Decimal("95.5")
    assert promises[2].kind == Commitment.Kind.QUALITATIVE
    assert [c.order for c in promises] == [1, 2, 3]


def test_a_promise_is_removed_with_delete(client, people, draft):
    client.force_login(people.coordinator)
    data = edit_data(draft, stored(draft.commitments.get()) | {"DELETE": "on"})
    response = client.post(en("staff-edit", draft.declaration_id), data)
    assert response.status_code == 302
    assert not draft.commitments.exists()


def test_a_measurable_promise_without_its_threshold_saves_nothing(client, people, draft):
    client.force_login(people.coordinator)
    existing = draft.commitments.get()
    data = edit_data(
        draft,
        stored(existing) | {"text_sv": "Ändrat löfte."},
        {"text_sv": "Vi svarar snabbt.", "measure": "answered_within", "limit_days": 3},
        service_sv="Nytt namn",
    )
    response = client.post(en("staff-edit", draft.declaration_id), data)
    assert response.status_code == 400
    failed = response.context["formset"].forms[1]
    message = "Give the share (%) at which the promise counts as kept."
    assert failed.non_field_errors() == [message]
    assert "Nothing was saved" in response.text
    assert message in response.text
    draft.refresh_from_db()
    existing.refresh_from_db()
    assert draft.service_sv == "Snöröjning"
    assert existing.text_sv == ANSWER_PROMISE["text_sv"]
    assert draft.commitments.count() == 1
    # The page shows the draft as it is stored, with what was typed still in the form.
    assert response.context["version"].service_sv == "Snöröjning"
    assert 'value="Vi svarar snabbt."' in response.text


def test_field_errors_are_shown_and_nothing_is_saved(client, people, draft):
    client.force_login(people.coordinator)
    data = edit_data(draft, {"text_sv": "Löfte", "threshold": "150", "measure": "x"})
    response = client.post(en("staff-edit", draft.declaration_id), data)
    assert response.status_code == 400
    errors = response.context["formset"].forms[0].errors
    assert set(errors) == {"threshold", "measure"}
    assert draft.commitments.count() == 1


def test_a_version_that_is_not_a_draft_cannot_be_edited(client, people, draft):
    version_submit(version=draft, by=people.coordinator)
    client.force_login(people.coordinator)
    response = client.get(en("staff-edit", draft.declaration_id), follow=True)
    assert response.redirect_chain == [(en("staff-detail", draft.declaration_id), 302)]
    assert "Only a draft can be edited. Make a new version first." in said(response)
    data = edit_data(draft, service_sv="Ändrat")
    response = client.post(en("staff-edit", draft.declaration_id), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.service_sv, draft.commitments.count()) == ("Snöröjning", 1)


def test_a_reader_cannot_edit(client, people, draft):
    client.force_login(people.handler)
    assert client.get(en("staff-edit", draft.declaration_id)).status_code == 403
    response = client.post(en("staff-edit", draft.declaration_id), edit_data(draft))
    assert response.status_code == 403


# The declaration page and the lifecycle


def act(client, declaration_id, action, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(en("staff-action", declaration_id, action), data, follow=True)


def status_of(version) -> str:
    version.refresh_from_db()
    return version.status


def test_the_detail_page_describes_the_promises_in_words(client, people, draft):
    client.force_login(people.handler)
    response = client.get(en("staff-detail", draft.declaration_id))
    assert response.status_code == 200
    assert (
        "share of feedback answered within 2 working days, kept at ≥ 80 %, judged on at least "
        "3 cases"
    ) in response.text
    assert response.context["allowed"] == set()
    assert "Edit the draft" not in response.text


def test_a_declaration_goes_from_draft_to_published_through_the_views(client, people, draft):
    pk = draft.declaration_id
    client.force_login(people.coordinator)
    page = client.get(en("staff-detail", pk))
    assert page.context["allowed"] == {"edit", "submit"}
    response = act(client, pk, "submit")
    assert "The version is sent to the unit manager for approval." in said(response)
    assert status_of(draft) == Version.Status.PENDING
    assert response.context["allowed"] == set()

    client.force_login(people.manager)
    assert client.get(en("staff-detail", pk)).context["allowed"] == {"approve", "return"}
    review_by = timezone.localdate() + timedelta(days=200)
    response = act(client, pk, "approve", review_by=review_by.isoformat())
    assert "The version is approved and can be published." in said(response)
    assert status_of(draft) == Version.Status.APPROVED
    assert (draft.approved_by, draft.review_by) == (people.manager, review_by)

    client.force_login(people.coordinator)
    valid_from = timezone.localdate() - timedelta(days=3)
    response = act(client, pk, "publish", valid_from=valid_from.isoformat())
    assert "The version is published." in said(response)
    assert status_of(draft) == Version.Status.PUBLISHED
    assert draft.valid_from == valid_from
    assert response.context["allowed"] == {"new-version", "withdraw"}
    assert en("version", pk, 1) in response.text


@pytest.mark.parametrize("who", ["handler", "coordinator"])
def test_only_a_unit_manager_approves(client, people, draft, who):
    version_submit(version=draft, by=people.coordinator)
    client.force_login(getattr(people, who))
    response = client.post(en("staff-action", draft.declaration_id, "approve"))
    assert response.status_code == 403
    response = client.post(
        en("staff-action", draft.declaration_id, "return"), {"return-comment": "Nej."}
    )
    assert response.status_code == 403
    assert status_of(draft) == Version.Status.PENDING


def test_a_manager_of_another_unit_cannot_approve(client, tree, people, draft):
    version_submit(version=draft, by=people.coordinator)
    client.force_login(make_user(role=Role.UNIT_MANAGER, unit=tree.social))
    assert client.post(en("staff-action", draft.declaration_id, "approve")).status_code == 404
    assert status_of(draft) == Version.Status.PENDING


def test_sending_back_needs_a_comment_that_the_writers_then_see(client, people, draft):
    version_submit(version=draft, by=people.coordinator)
    client.force_login(people.manager)
    response = act(client, draft.declaration_id, "return", comment="   ")
    assert "This field is required." in said(response)
    assert status_of(draft) == Version.Status.PENDING
    response = act(client, draft.declaration_id, "return", comment="Skriv tydligare.")
    assert "The version is sent back to draft with your comment." in said(response)
    assert status_of(draft) == Version.Status.DRAFT
    client.force_login(people.coordinator)
    assert "Skriv tydligare." in client.get(en("staff-edit", draft.declaration_id)).text


def test_a_service_refusal_is_a_message_and_changes_nothing(client, tree, people):
    empty = declaration_create(unit=tree.gata, by=people.coordinator, service_sv="Tom")
    client.force_login(people.coordinator)
    response = act(client, empty.declaration_id, "submit")
    assert response.redirect_chain == [(en("staff-detail", empty.declaration_id), 302)]
    assert "Add at least one promise before sending for approval." in said(response)
    assert status_of(empty) == Version.Status.DRAFT
    response = act(client, empty.declaration_id, "publish")
    assert "This version is draft and cannot be changed that way." in said(response)


def test_a_past_review_date_is_refused(client, people, draft):
    version_submit(version=draft, by=people.coordinator)
    client.force_login(people.manager)
    response = act(client, draft.declaration_id, "approve", review_by="2020-01-01")
    assert "The review-by date must be in the future." in said(response)
    assert status_of(draft) == Version.Status.PENDING


def test_a_new_version_copies_the_promises_and_opens_for_editing(client, people, draft):
    first = publish(draft, people)
    client.force_login(people.coordinator)
    response = act(client, first.declaration_id, "new-version")
    assert response.redirect_chain[-1] == (en("staff-edit", first.declaration_id), 302)
    assert "A new draft is ready to edit." in said(response)
    second = first.declaration.latest
    assert (second.number, second.status) == (2, Version.Status.DRAFT)
    assert [c.key for c in second.commitments.all()] == [c.key for c in first.commitments.all()]
    assert [c.text_sv for c in second.commitments.all()] == [ANSWER_PROMISE["text_sv"]]
    assert status_of(first) == Version.Status.PUBLISHED


def test_withdrawing_needs_confirmation(client, people, draft):
    published = publish(draft, people)
    client.force_login(people.coordinator)
    response = act(client, published.declaration_id, "withdraw")
    assert "Tick the box to confirm the withdrawal." in said(response)
    assert status_of(published) == Version.Status.PUBLISHED
    response = act(client, published.declaration_id, "withdraw", confirm="on")
    assert "The declaration is withdrawn. Its promises no longer apply." in said(response)
    assert status_of(published) == Version.Status.ARCHIVED
    assert published.declaration.current is None
    assert response.context["allowed"] == {"new-version"}


def test_actions_are_posted_and_named(client, people, draft):
    client.force_login(people.coordinator)
    assert client.get(en("staff-action", draft.declaration_id, "submit")).status_code == 405
    assert client.post(en("staff-action", draft.declaration_id, "delete")).status_code == 404
    assert status_of(draft) == Version.Status.DRAFT


def test_a_reader_cannot_submit(client, people, draft):
    client.force_login(people.handler)
    assert client.post(en("staff-action", draft.declaration_id, "submit")).status_code == 403
    assert status_of(draft) == Version.Status.DRAFT


# Follow-up


def two_months_ago() -> Period:
    return Period.containing(timezone.localdate(), PeriodKind.MONTH).previous().previous()


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=STOCKHOLM)


def first_working_day(period: Period) -> date:
    calendar = working_calendar()
    day = period.start
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def cases_answered(unit, handler, period, *, in_time, late):
    """Cases received on the period's first working day, answered within the two-day limit
    or a week late."""
    received = first_working_day(period)
    due = working_calendar().add_working_days(received, 2)
    for answered in [due] * in_time + [due + timedelta(days=7)] * late:
        case = make_case(unit=unit, received_at=at(received))
        case_close(case=case, outcome="answered", by=handler, at=at(answered, 14))


def test_the_follow_up_page_computes_results_from_real_cases(client, tree, people, draft):
    period = two_months_ago()
    published = publish(draft, people, valid_from=period.start)
    commitment = published.commitments.get()
    cases_answered(tree.gata, people.handler, period, in_time=3, late=1)
    for kind in ("complaint", "complaint", "praise"):
        Case.objects.filter(pk=make_case(unit=tree.gata, kind=kind).pk).update(
            commitment=commitment
        )
    client.force_login(people.coordinator)
    assert (
        "No period has been followed up yet."
        in client.get(en("staff-follow-up", draft.declaration_id)).text
    )

    response = client.post(
        en("staff-follow-up", draft.declaration_id), {"form": "compute"}, follow=True
    )
    assert "The follow-up is computed: 2 judgements written." in said(response)
    follow_up = FollowUp.objects.get(commitment_key=commitment.key, period=period.code)
    assert (follow_up.result, follow_up.cases, follow_up.value) == (
        FollowUp.Result.NOT_KEPT,
        4,
        Decimal("75.0"),
    )
    [promise] = response.context["promises"]
    assert [row.follow_up.period for row in promise.periods] == [period.next().code, period.code]
    assert (promise.complaints, promise.praise) == (2, 1)
    assert "Feedback linked to the promise: 2 complaints and 1 praise." in response.text
    assert "75 %" in response.text
    assert "Not kept" in response.text
    assert promise.periods[1].explain_form is not None


def test_a_reader_sees_the_follow_up_but_cannot_compute(client, tree, people, draft):
    publish(draft, people, valid_from=two_months_ago().start)
    client.force_login(people.handler)
    response = client.get(en("staff-follow-up", draft.declaration_id))
    assert response.status_code == 200
    assert "Compute now" not in response.text
    response = client.post(en("staff-follow-up", draft.declaration_id), {"form": "compute"})
    assert response.status_code == 403
    assert not FollowUp.objects.exists()


def test_an_unknown_follow_up_form_is_not_found(client, people, draft):
    client.force_login(people.coordinator)
    url = en("staff-follow-up", draft.declaration_id)
    assert client.post(url, {"form": "other"}).status_code == 404
    assert client.post(url, {"form": "explain", "target": "x"}).status_code == 404


@pytest.fixture
def qualitative(tree, people):
    """A published declaration with a qualitative promise, in force from two months ago."""
    version = new_declaration(tree.gata, people.coordinator, "Bemötande", TALK_PROMISE)
    publish(version, people, valid_from=two_months_ago().start)
    return version.commitments.get()


def assess(client, commitment, **fields):
    data = {"form": "assess", "target": commitment.pk}
    data |= {f"assess-{commitment.pk}-{name}": value for name, value in fields.items()}
    return client.post(en("staff-follow-up", commitment.version.declaration_id), data, follow=True)


def test_a_qualitative_promise_is_assessed_and_explained(client, people, qualitative):
    period = two_months_ago()
    client.force_login(people.coordinator)
    page = client.get(en("staff-follow-up", qualitative.version.declaration_id))
    [promise] = page.context["promises"]
    choices = [code for code, _label in promise.assess_form.fields["period"].choices]
    assert choices == [period.next().code, period.code]  # ended periods, newest first

    response = assess(client, qualitative, period=period.code, kept="no", comment="För få.")
    assert "The assessment is saved." in said(response)
    follow_up = FollowUp.objects.get(commitment_key=qualitative.key, period=period.code)
    assert (follow_up.result, follow_up.comment, follow_up.assessed_by) == (
        FollowUp.Result.NOT_KEPT,
        "För få.",
        people.coordinator,
    )
    row = response.context["promises"][0].periods[0]
    assert row.explain_form is not None

    data = {
        "form": "explain",
        "target": follow_up.pk,
        f"explain-{follow_up.pk}-explanation": "Sjukdom i personalen.",
        f"explain-{follow_up.pk}-planned_action": "Vi utbildar vikarier.",
    }
    url = en("staff-follow-up", qualitative.version.declaration_id)
    response = client.post(url, data, follow=True)
    assert "The explanation is saved." in said(response)
    follow_up.refresh_from_db()
    assert (follow_up.explanation, follow_up.planned_action) == (
        "Sjukdom i personalen.",
        "Vi utbildar vikarier.",
    )
    assert "Vi utbildar vikarier." in response.text


@pytest.mark.parametrize(
    "fields",
    [
        {"kept": "yes", "comment": ""},
        {"kept": "maybe", "comment": "Bra."},
        {"kept": "yes", "comment": "Bra.", "period": "2099-01"},
    ],
)
def test_a_bad_assessment_is_refused_and_saves_nothing(client, people, qualitative, fields):
    client.force_login(people.coordinator)
    response = assess(client, qualitative, **{"period": two_months_ago().code} | fields)
    assert response.status_code == 400
    assert response.context["failed"] == f"assess-{qualitative.pk}"
    assert response.context["promises"][0].assess_form.errors
    assert not FollowUp.objects.exists()


def test_an_explanation_is_needed_and_only_for_a_promise_not_kept(client, people, qualitative):
    period = two_months_ago()
    client.force_login(people.coordinator)
    assess(client, qualitative, period=period.code, kept="yes", comment="Bra.")
    follow_up = FollowUp.objects.get()
    url = en("staff-follow-up", qualitative.version.declaration_id)
    prefix = f"explain-{follow_up.pk}"
    data = {"form": "explain", "target": follow_up.pk, f"{prefix}-explanation": "Varför?"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Only a promise that was not kept needs an explanation." in response.text
    follow_up.result = FollowUp.Result.NOT_KEPT
    follow_up.save()
    response = client.post(url, data | {f"{prefix}-explanation": ""})
    assert response.status_code == 400
    follow_up.refresh_from_db()
    assert follow_up.explanation == ""


@pytest.mark.parametrize("name", ["staff-detail", "staff-edit", "staff-follow-up"])
def test_swedish_pages_show_the_swedish_texts(client, people, draft, name):
    client.force_login(people.coordinator)
    response = client.get(reverse(f"declarations:{name}", args=[draft.declaration_id]))
    assert response.status_code == 200
    heading = re.search(r"<h1>(.*?)</h1>", response.text)
    assert heading is not None
    assert "Snöröjning" in heading[1]
    assert "Snöröjning EN" not in heading[1]
    assert ANSWER_PROMISE["text_sv"] in response.text


def test_a_tampered_edit_form_is_refused_without_saving(client, people, draft):
    client.force_login(people.coordinator)
    data = edit_data(draft, service_sv="Ändrat")
    del data["promise-TOTAL_FORMS"]
    response = client.post(en("staff-edit", draft.declaration_id), data)
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.service_sv == "Snöröjning"
    other = new_declaration(draft.declaration.unit, people.coordinator, "Annan")
    foreign = stored(other.commitments.get()) | {"text_sv": "Kapat"}
    response = client.post(en("staff-edit", draft.declaration_id), edit_data(draft, foreign))
    assert response.status_code == 400
    assert "This promise is no longer in the draft. Reload the page." in response.text
    assert other.commitments.get().text_sv == ANSWER_PROMISE["text_sv"]
