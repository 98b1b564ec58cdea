"""The public pages of service declarations, read by a visitor with no login: every
declaration in force by unit, one declaration with how its promises were kept, and the
history of versions. Drafts and versions not yet in force are never shown, nor anything
that names staff or the people who gave feedback."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from servicenav.cases.models import Kind
from servicenav.cases.services import case_merge
from servicenav.core.periods import Period, PeriodKind
from servicenav.declarations.models import FollowUp, Version
from servicenav.declarations.selectors import track_window
from servicenav.declarations.services import (
    declaration_withdraw,
    version_approve,
    version_new_draft,
    version_submit,
    version_update,
)
from servicenav.declarations.tests.factories import (
    ANSWER_PROMISE,
    draft_declaration,
    publish,
    published_declaration,
)
from servicenav.organisation.models import Role, User
from servicenav.organisation.services import unit_update
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("declarations:list")
QUALITATIVE = {
    "text_sv": "Vi bemöter dig med respekt.",
    "text_en": "We treat you with respect.",
    "kind": "qualitative",
}
CONTENT = {
    "service_sv": "Snöröjning",
    "service_en": "Snow clearing",
    "summary_sv": "Vi plogar gator och gång- och cykelvägar.",
    "summary_en": "We clear streets, footpaths and cycle paths.",
    "we_expect_sv": "Flytta bilen när skyltarna säger det.",
    "we_expect_en": "Move your car when the signs say so.",
    "if_we_fail_sv": "Hör av dig så rättar vi till det.",
    "if_we_fail_en": "Tell us and we will put it right.",
    "contact_sv": "Kundtjänst, 0920-45 30 00",
    "contact_en": "Customer service, +46 920 45 30 00",
}


def detail_url(version: Version, language: str = "sv") -> str:
    with translation.override(language):
        return reverse("declarations:detail", args=[version.declaration_id])


def version_url(version: Version, language: str = "sv") -> str:
    with translation.override(language):
        return reverse("declarations:version", args=[version.declaration_id, version.number])


def text_of(response) -> str:
    return response.content.decode()


def follow_up(commitment, period: Period, result: str, **fields) -> FollowUp:
    """A judged period, as follow_up.py or a staff assessment would have stored it."""
    return FollowUp.objects.create(
        commitment=commitment,
        commitment_key=commitment.key,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        result=result,
        **fields,
    )


def last_periods(kind: PeriodKind = PeriodKind.MONTH) -> list[Period]:
    """The periods a track record covers, newest first, plus the one before them."""
    window = track_window(kind, timezone.localdate())
    return [*window, window[-1].previous()]


def approved_long_ago(review_by: date) -> datetime:
    """An approval time before `review_by`, so that the service accepts the date."""
    day = review_by - timedelta(days=400)
    return timezone.make_aware(datetime.combine(day, time(10)))


# --- The list ----------------------------------------------------------------------------


def test_the_list_shows_declarations_in_force_by_unit_in_the_order_of_the_tree(client, tree):
    published_declaration(tree.vatten, service_sv="Dricksvatten")
    published_declaration(tree.gata, service_sv="Snöröjning")
    published_declaration(tree.gata, service_sv="Gatubelysning")
    published_declaration(tree.hemtjanst, service_sv="Hemtjänst i hemmet")

    response = client.get(LIST)

    assert response.status_code == 200
    groups = response.context["groups"]
    # Kommun → Social → Hemtjänst comes before Kommun → Teknik → Gata, Vatten (by name).
    assert [group.unit for group in groups] == [tree.hemtjanst, tree.gata, tree.vatten]
    services = [[d.version.service for d in group.declarations] for group in groups]
    assert services == [["Hemtjänst i hemmet"], ["Gatubelysning", "Snöröjning"], ["Dricksvatten"]]


def test_the_list_shows_each_service_with_its_summary_and_valid_from(client, tree):
    version = published_declaration(tree.gata, valid_from=timezone.localdate(), **CONTENT)

    page = text_of(client.get(LIST))

    assert "Snöröjning" in page
    assert "Vi plogar gator och gång- och cykelvägar." in page
    assert f'datetime="{version.valid_from:%Y-%m-%d}"' in page
    assert f'href="{detail_url(version)}"' in page


def test_drafts_and_versions_waiting_for_approval_are_not_listed(client, tree):
    draft_declaration(tree.gata, service_sv="Utkast om parkering")
    pending = draft_declaration(tree.vatten, service_sv="Väntar på chefen")
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.vatten)
    version_submit(version=pending, by=manager)
    approved = draft_declaration(tree.hemtjanst, service_sv="Godkänd men inte publicerad")
    version_submit(version=approved, by=manager)
    hemtjanst_manager = make_user(role=Role.UNIT_MANAGER, unit=tree.hemtjanst)
    version_approve(version=approved, by=hemtjanst_manager)

    response = client.get(LIST)

    page = text_of(response)
    assert response.context["groups"] == []
    for service in ("Utkast om parkering", "Väntar på chefen", "Godkänd men inte publicerad"):
        assert service not in page


def test_declarations_of_a_unit_no_longer_active_are_not_listed(client, tree):
    published_declaration(tree.vatten, service_sv="Dricksvatten")
    unit_update(unit=tree.vatten, by=None, active=False)

    response = client.get(LIST)

    assert "Dricksvatten" not in text_of(response)


def test_the_list_lists_a_withdrawn_declaration_no_more(client, tree):
    version = published_declaration(tree.gata, service_sv="Snöröjning")
    declaration_withdraw(declaration=version.declaration, by=None)

    assert "Snöröjning" not in text_of(client.get(LIST))


def test_the_list_reads_a_fixed_number_of_queries_however_many_promises(client, tree):
    published_declaration(tree.gata, promises=[ANSWER_PROMISE])
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200

    for unit in (tree.vatten, tree.hemtjanst, tree.teknik):
        version = published_declaration(unit, promises=[ANSWER_PROMISE, QUALITATIVE])
        for commitment in version.commitments.all():
            follow_up(commitment, last_periods()[0], FollowUp.Result.KEPT)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert len(response.context["groups"]) == 4
    assert len(many.captured_queries) == len(one.captured_queries)


# --- One declaration ---------------------------------------------------------------------


def test_the_page_shows_the_version_in_force_with_all_its_parts(client, tree):
    today = timezone.localdate()
    review_by = today + timedelta(days=200)
    version = published_declaration(tree.gata, valid_from=today, review_by=review_by, **CONTENT)
    commitment = version.commitments.get()

    response = client.get(detail_url(version))

    assert response.status_code == 200
    page = text_of(response)
    for swedish in (
        "Snöröjning",
        "Vi plogar gator och gång- och cykelvägar.",
        "Flytta bilen när skyltarna säger det.",
        "Hör av dig så rättar vi till det.",
        "Kundtjänst, 0920-45 30 00",
        "Vi svarar inom 10 arbetsdagar.",
        tree.gata.name,
    ):
        assert swedish in page
    assert f'datetime="{today:%Y-%m-%d}"' in page
    assert f'datetime="{review_by:%Y-%m-%d}"' in page
    assert f"{reverse('cases:submit')}?lofte={commitment.pk}" in page
    assert f'href="{version_url(version)}"' in page


def test_each_promise_links_to_the_feedback_form_for_that_promise(client, tree):
    version = published_declaration(tree.gata, promises=[ANSWER_PROMISE, QUALITATIVE])

    page = text_of(client.get(detail_url(version)))

    for commitment in version.commitments.all():
        assert f"?lofte={commitment.pk}" in page


@pytest.mark.parametrize("stage", ["draft", "pending", "approved"])
def test_a_declaration_never_published_is_not_found(client, tree, stage):
    version = draft_declaration(tree.gata, service_sv="Hemlig plan")
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.gata)
    if stage in {"pending", "approved"}:
        version_submit(version=version, by=manager)
    if stage == "approved":
        version_approve(version=version, by=manager)

    assert client.get(detail_url(version)).status_code == 404
    assert client.get(version_url(version)).status_code == 404


def test_an_unknown_declaration_is_not_found(client, db):
    assert client.get(reverse("declarations:detail", args=[987654])).status_code == 404
    assert client.get(reverse("declarations:version", args=[987654, 1])).status_code == 404


def test_a_withdrawn_declaration_has_no_page_but_its_history_stays_readable(client, tree):
    version = published_declaration(tree.gata, service_sv="Snöröjning")
    declaration_withdraw(declaration=version.declaration, by=None)

    assert client.get(detail_url(version)).status_code == 404
    response = client.get(version_url(version))
    assert response.status_code == 200
    assert response.context["current"] is None
    assert "Snöröjning" in text_of(response)


def test_the_page_shows_what_the_published_version_says_not_the_new_draft(client, tree):
    version = published_declaration(tree.gata, service_sv="Snöröjning")
    draft = version_new_draft(declaration=version.declaration, by=None)
    version_update(version=draft, by=None, service_sv="Ändrad men inte godkänd")

    page = text_of(client.get(detail_url(version)))

    assert "Snöröjning" in page
    assert "Ändrad men inte godkänd" not in page
    assert client.get(version_url(draft)).status_code == 404


# --- Under review ------------------------------------------------------------------------


@pytest.mark.parametrize(("days_past", "under_review"), [(10, False), (11, True)])
def test_a_declaration_is_under_review_once_the_grace_days_after_review_by_have_passed(
    client, tree, settings, days_past, under_review
):
    settings.SERVICENAV_DECLARATION_REVIEW_GRACE_DAYS = 10
    review_by = timezone.localdate() - timedelta(days=days_past)
    version = published_declaration(
        tree.gata, review_by=review_by, approved_at=approved_long_ago(review_by)
    )

    detail = client.get(detail_url(version))
    listed = client.get(LIST)

    assert detail.context["under_review"] is under_review
    assert listed.context["groups"][0].declarations[0].under_review is under_review
    with translation.override("sv"):
        notice = gettext("Under review")
    assert (notice in text_of(detail)) is under_review
    assert (notice in text_of(listed)) is under_review


# --- The track record --------------------------------------------------------------------


def test_the_track_record_says_in_plain_words_how_often_the_promise_was_kept(client, tree):
    version = published_declaration(tree.gata)
    commitment = version.commitments.get()
    periods = last_periods()
    follow_up(
        commitment,
        periods[0],
        FollowUp.Result.NOT_KEPT,
        value=Decimal("71.4"),
        cases=14,
        explanation="Två handläggare var sjuka samtidigt.",
        planned_action="Vi lär upp en vikarie.",
    )
    for period in periods[1:10]:
        follow_up(commitment, period, FollowUp.Result.KEPT, value=Decimal("95.0"), cases=20)
    follow_up(commitment, periods[10], FollowUp.Result.NOT_ENOUGH_DATA, value=None, cases=2)
    follow_up(commitment, periods[11], FollowUp.Result.KEPT, value=Decimal("100.0"), cases=8)
    # Older than the last twelve months: not part of the record.
    follow_up(commitment, periods[12], FollowUp.Result.NOT_KEPT, value=Decimal("10"), cases=9)

    response = client.get(detail_url(version))

    track = response.context["promises"][0].track
    assert (track.kept, track.judged, track.not_enough_data) == (10, 11, 1)
    page = text_of(response)
    with translation.override("sv"):
        kept = ngettext(
            "We kept this promise %(kept)d of %(judged)d month.",
            "We kept this promise %(kept)d of %(judged)d months.",
            11,
        ) % {"kept": 10, "judged": 11}
        too_few = ngettext(
            "Too few cases to judge in %(count)d month.",
            "Too few cases to judge in %(count)d months.",
            1,
        ) % {"count": 1}
        latest = str(periods[0].label)
    assert kept in page
    assert too_few in page
    assert latest in page
    assert "71,4" in page  # the latest share, with its n
    assert "Två handläggare var sjuka samtidigt." in page
    assert "Vi lär upp en vikarie." in page


def test_the_track_record_in_english_names_the_period_kind(client, tree):
    version = published_declaration(tree.gata, period_kind="quarter")
    commitment = version.commitments.get()
    quarters = last_periods(PeriodKind.QUARTER)
    follow_up(commitment, quarters[0], FollowUp.Result.KEPT, value=Decimal("92"), cases=30)
    follow_up(commitment, quarters[1], FollowUp.Result.NOT_KEPT, value=Decimal("80"), cases=30)

    with translation.override("en"):
        page = text_of(client.get(detail_url(version, "en")))
        latest = f"Latest follow-up, {quarters[0].label}: kept (92.0 % of 30 cases)."

    assert "We kept this promise 1 of 2 quarters." in page
    assert latest in page
    assert "We did not keep the promise in" not in page  # no explanation written yet


def test_the_latest_share_on_too_few_cases_is_not_shown(client, tree, settings):
    settings.SERVICENAV_PUBLIC_MIN_CASES = 5
    version = published_declaration(tree.gata)
    commitment = version.commitments.get()
    months = last_periods()
    follow_up(commitment, months[0], FollowUp.Result.NOT_KEPT, value=Decimal("40"), cases=3)

    response = client.get(detail_url(version, "en"))

    assert response.context["promises"][0].track.latest_share_hidden
    page = text_of(response)
    assert f"Latest follow-up, {months[0].label}: not kept (too few cases)." in page
    assert "40.0" not in page
    assert "of 3 cases" not in page


def test_the_latest_share_on_as_many_cases_as_the_minimum_is_shown(client, tree, settings):
    settings.SERVICENAV_PUBLIC_MIN_CASES = 5
    version = published_declaration(tree.gata)
    commitment = version.commitments.get()
    months = last_periods()
    follow_up(commitment, months[0], FollowUp.Result.KEPT, value=Decimal("80"), cases=5)

    page = text_of(client.get(detail_url(version, "en")))

    assert f"Latest follow-up, {months[0].label}: kept (80.0 % of 5 cases)." in page
    assert "too few cases" not in page


def test_a_promise_with_no_judged_period_has_not_enough_data_yet(client, tree):
    version = published_declaration(tree.gata)
    commitment = version.commitments.get()
    follow_up(commitment, last_periods()[0], FollowUp.Result.NOT_ENOUGH_DATA, cases=1)

    page = text_of(client.get(detail_url(version, "en")))

    assert "Not enough data yet." in page
    assert "We kept this promise" not in page


def test_the_track_record_runs_across_versions_of_the_same_promise(client, tree):
    first = published_declaration(tree.gata, valid_from=timezone.localdate() - timedelta(days=90))
    old_promise = first.commitments.get()
    follow_up(old_promise, last_periods(PeriodKind.MONTH)[2], FollowUp.Result.KEPT, cases=9)
    second = publish(version_new_draft(declaration=first.declaration, by=None))
    new_promise = second.commitments.get()
    follow_up(new_promise, last_periods(PeriodKind.MONTH)[0], FollowUp.Result.KEPT, cases=9)

    response = client.get(detail_url(second, "en"))

    assert response.context["version"] == second
    assert "We kept this promise 2 of 2 months." in text_of(response)


def test_linked_feedback_is_counted_by_kind_across_versions(client, tree):
    first = published_declaration(tree.gata, valid_from=timezone.localdate() - timedelta(days=90))
    old_promise = first.commitments.get()
    make_case(unit=tree.gata, kind=Kind.COMPLAINT, commitment=old_promise)
    second = publish(version_new_draft(declaration=first.declaration, by=None))
    promise = second.commitments.get()
    make_case(unit=tree.gata, kind=Kind.COMPLAINT, commitment=promise)
    make_case(unit=tree.gata, kind=Kind.PRAISE, commitment=promise)
    duplicate = make_case(unit=tree.gata, kind=Kind.COMPLAINT, commitment=promise)
    original = make_case(unit=tree.gata, kind=Kind.COMPLAINT)
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    case_merge(case=duplicate, into=original, by=handler)
    make_case(unit=tree.gata, kind=Kind.COMPLAINT)  # about nothing in particular

    response = client.get(detail_url(second, "en"))

    feedback = response.context["promises"][0].feedback
    assert (feedback.complaints, feedback.praise, feedback.other) == (2, 1, 0)
    page = text_of(response)
    assert "2 complaints" in page
    assert "1 praise" in page


def test_the_page_names_no_staff_and_shows_no_feedback_or_personal_data(client, tree):
    version = published_declaration(tree.gata, **CONTENT)
    commitment = version.commitments.get()
    assessor = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.gata)
    follow_up(
        commitment,
        last_periods()[0],
        FollowUp.Result.NOT_KEPT,
        value=Decimal("50"),
        cases=10,
        explanation="Personalbrist.",
        assessed_by=assessor,
    )
    make_case(
        unit=tree.gata,
        commitment=commitment,
        text="Min granne Nils Nilsson plogar aldrig.",
        reporter_name="Kim Berg",
        reporter_email="kim.berg@example.net",
        reporter_phone="070-123 45 67",
        wants_answer=True,
    )
    User.objects.update(first_name="Greta", last_name="Granskare")

    pages = [
        text_of(client.get(url))
        for url in (LIST, detail_url(version), version_url(version), detail_url(version, "en"))
    ]

    for page in pages:
        for secret in (
            "Greta",
            "Granskare",
            "@example.org",
            "Nils Nilsson",
            "Kim Berg",
            "kim.berg@example.net",
            "070-123 45 67",
        ):
            assert secret not in page
    assert "Personalbrist." in pages[1]  # the public explanation of a promise not kept


# --- Version history ---------------------------------------------------------------------


def test_an_archived_version_is_shown_as_no_longer_in_force_linking_to_the_current(client, tree):
    today = timezone.localdate()
    first = published_declaration(
        tree.gata, valid_from=today - timedelta(days=100), service_sv="Snöröjning 2025"
    )
    draft = version_new_draft(declaration=first.declaration, by=None)
    version_update(version=draft, by=None, service_sv="Snöröjning 2026")
    second = publish(draft, valid_from=today)
    first.refresh_from_db()

    old = client.get(version_url(first))
    current = client.get(detail_url(second))

    assert first.status == Version.Status.ARCHIVED
    assert old.status_code == 200
    assert old.context["current"] == second
    old_page = text_of(old)
    assert "Snöröjning 2025" in old_page
    assert f'datetime="{first.valid_until:%Y-%m-%d}"' in old_page
    assert f'href="{detail_url(second)}"' in old_page
    with translation.override("sv"):
        assert gettext("No longer in force") in old_page
    current_page = text_of(current)
    assert f'href="{version_url(first)}"' in current_page
    assert f'href="{version_url(second)}"' in current_page
    assert "Snöröjning 2025" not in current_page


def test_the_version_in_force_can_be_read_as_history_too(client, tree):
    version = published_declaration(tree.gata)

    response = client.get(version_url(version))

    assert response.status_code == 200
    with translation.override("sv"):
        assert gettext("This is the version in force.") in text_of(response)


# --- English -----------------------------------------------------------------------------


def test_the_pages_are_in_english_under_en(client, tree):
    version = published_declaration(tree.gata, **CONTENT)
    commitment = version.commitments.get()
    for period in last_periods()[:12]:
        follow_up(commitment, period, FollowUp.Result.KEPT, value=Decimal("99"), cases=40)

    with translation.override("en"):
        list_url = reverse("declarations:list")
    listed = text_of(client.get(list_url))
    detail = text_of(client.get(detail_url(version, "en")))

    assert list_url.startswith("/en/")
    assert "Snow clearing" in listed
    assert "We kept this promise 12 of 12 months." in listed
    for english in (
        '<html lang="en">',
        "What you can expect of us",
        "What we expect of you",
        "If we do not keep a promise",
        "We answer within 10 working days.",
        "We clear streets, footpaths and cycle paths.",
        "Move your car when the signs say so.",
        "Customer service, +46 920 45 30 00",
        "We kept this promise 12 of 12 months.",
        "0 complaints",
    ):
        assert english in detail
    assert "Vi svarar inom 10 arbetsdagar." not in detail
