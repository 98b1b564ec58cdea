"""The case page shows staff everything about a case: the citizen's text and contact
details, attachments, deadlines, the whole history with who and when, related and merged
cases; and it fills answer templates in."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.cases.models import AnswerTemplate, Attachment, Case
from servicenav.cases.services import (
    case_acknowledge,
    case_assign,
    case_close,
    case_link,
    case_merge,
    case_note,
    case_reply,
    case_tag_values,
)
from servicenav.organisation.models import Role, ServiceValue
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

NOTE = "Entreprenören är kontaktad, men säg inget förrän det är klart."


def english(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def history_of(response) -> list[str]:
    """The history's entries as HTML, oldest first."""
    history = response.content.decode().split('id="historik"', 1)[1].split("</ol>", 1)[0]
    return history.split('<li class="history-event')[1:]


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Hedda", last_name="Berg")


@pytest.fixture
def case(tree) -> Case:
    return make_case(
        unit=tree.gata,
        text="Det är halt på trottoaren vid Storgatan 12.",
        place="Storgatan 12",
        latitude="65.584819",
        longitude="22.156703",
        reporter_name="Maja Nilsson",
        reporter_email="maja@example.org",
        reporter_phone="070-111 22 33",
        wants_answer=True,
    )


@pytest.fixture
def page(client, handler):
    client.force_login(handler)

    def get(case: Case, **params: object):
        response = client.get(english("cases:case", case.pk), params)
        assert response.status_code == 200
        return response

    return get


def test_the_page_shows_the_feedback_the_place_and_the_contact_details(page, case):
    content = page(case).content.decode()
    for shown in (
        case.reference,
        "Det är halt på trottoaren vid Storgatan 12.",
        "Storgatan 12",
        "65.584819",
        "Maja Nilsson",
        "maja@example.org",
        "070-111 22 33",
    ):
        assert shown in content


def test_anonymous_feedback_says_there_are_no_contact_details(page, tree):
    content = page(make_case(unit=tree.gata)).content.decode()
    assert "Anonymous: no contact details." in content


def test_the_history_shows_every_event_with_who_and_when(page, case, handler):
    case_acknowledge(case=case, by=handler)
    case_note(case=case, text=NOTE, by=handler)
    case_reply(case=case, text="Vi sandar i dag.", by=handler)
    entries = history_of(page(case))
    assert len(entries) == case.events.count() == 5
    assert "the citizen" in entries[0]
    assert "Registered" in entries[0]
    for entry in entries[1:]:
        assert "Hedda Berg" in entry
    for event, entry in zip(case.events.all(), entries, strict=True):
        assert timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M") in entry
    assert "Acknowledged" in entries[1]
    assert NOTE in entries[2]
    assert "Vi sandar i dag." in entries[3]
    assert "New → In progress" in entries[4]


def test_an_internal_note_is_marked_as_never_shown_to_the_citizen(page, case, handler):
    case_note(case=case, text=NOTE, by=handler)
    case_reply(case=case, text="Vi sandar i dag.", by=handler)
    _created, note, reply, _status = history_of(page(case))
    assert "Internal note – not shown to the citizen" in note
    assert "history-event--note" in note
    assert "Internal note – not shown to the citizen" not in reply
    assert "Shown to the citizen" in reply


def test_attachments_are_linked_for_download_through_the_gate(page, case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = Attachment(
        case=case, token="f" * 32, extension=".jpg", content_type="image/jpeg", size=4
    )
    attachment.file.save("photo.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=True)
    content = page(case).content.decode()
    assert english("cases:attachment", case.pk, "f" * 32) in content


def test_the_deadlines_say_whether_they_were_met(page, tree, handler):
    late = make_case(unit=tree.gata, received_at=timezone.now() - timedelta(days=30))
    deadlines = page(late).content.decode().split("<h2>Deadlines</h2>", 1)[1].split("</table>")[0]
    assert deadlines.count("Overdue") == 2

    in_time = make_case(unit=tree.gata)
    case_close(case=in_time, outcome="answered", by=handler)
    deadlines = (
        page(in_time).content.decode().split("<h2>Deadlines</h2>", 1)[1].split("</table>")[0]
    )
    assert deadlines.count("Met") == 2


def test_related_and_merged_cases_are_listed_when_the_reader_may_see_them(
    page, tree, case, handler
):
    related = make_case(unit=tree.gata)
    duplicate = make_case(unit=tree.gata)
    elsewhere = make_case(unit=tree.hemtjanst)
    case_link(case=case, other=related, by=handler)
    case_link(case=case, other=elsewhere, by=handler)
    case_merge(case=duplicate, into=case, by=handler)
    response = page(case)
    assert set(response.context["related"]) == {related, duplicate}
    assert list(response.context["merged"]) == [duplicate]
    content = response.content.decode()
    assert english("cases:case", related.pk) in content
    assert english("cases:case", duplicate.pk) in content
    assert english("cases:case", elsewhere.pk) not in content
    duplicate_page = page(duplicate).content.decode()
    assert english("cases:case", case.pk) in duplicate_page


def test_the_values_of_a_case_are_shown_and_ticked(page, case, handler):
    engagement = ServiceValue.objects.get(code="engagemang")
    case_tag_values(case=case, values=[engagement], by=handler)
    response = page(case)
    assert engagement.name_en in response.content.decode()
    assert response.context["forms"]["vardegrunder"]["values"].value() == [engagement.pk]


def test_the_handler_is_offered_the_people_who_may_handle_the_case(page, tree, case, handler):
    above = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
    make_user(role=Role.VIEWER, unit=tree.gata)
    make_user(role=Role.CASE_HANDLER, unit=tree.hemtjanst)
    choices = page(case).context["forms"]["tilldela"].fields["handler"].queryset
    assert set(choices) == {handler, above}


@pytest.fixture
def templates(tree):
    def add(title: str, unit=None, kind: str = "") -> AnswerTemplate:
        return AnswerTemplate.objects.create(
            title=title, unit=unit, kind=kind, body=f"{title}: {{reference}}"
        )

    return {
        "global": add("Alla"),
        "teknik": add("Teknik", unit=tree.teknik),
        "gata complaint": add("Gata klagomål", unit=tree.gata, kind="complaint"),
        "gata praise": add("Gata beröm", unit=tree.gata, kind="praise"),
        "hemtjanst": add("Hemtjänst", unit=tree.hemtjanst),
    }


def test_the_templates_offered_are_for_the_unit_its_parents_or_all_and_for_the_kind(
    page, case, templates
):
    offered = set(page(case).context["templates"])
    assert offered == {templates["global"], templates["teknik"], templates["gata complaint"]}


def test_a_chosen_answer_template_fills_the_reply_with_its_placeholders(page, tree, case, handler):
    case_assign(case=case, to=handler, by=handler)
    template = AnswerTemplate.objects.create(
        title="Tack",
        unit=tree.gata,
        body="Hej! Ditt ärende {reference} till {unit} kom in {received}. Hälsningar, {handler}",
    )
    received = timezone.localtime(case.received_at).date().isoformat()
    response = page(case, mall=template.pk)
    expected = (
        f"Hej! Ditt ärende {case.reference} till Gata (en) kom in {received}. "
        "Hälsningar, Hedda Berg"
    )
    assert response.context["forms"]["svara"]["text"].value() == expected
    assert expected in response.content.decode()


def test_placeholders_are_plain_text_replacements_not_code(page, tree, case):
    template = AnswerTemplate.objects.create(
        title="Konstig", unit=None, body="{reference.__class__} {okänd} {{reference}} {"
    )
    text = page(case, mall=template.pk).context["forms"]["svara"]["text"].value()
    assert text == "{reference.__class__} {okänd} {" + case.reference + "} {"


def test_a_template_of_another_unit_or_a_bad_choice_fills_nothing(page, case, templates):
    for chosen in (templates["hemtjanst"].pk, templates["gata praise"].pk, "abc", "-1", ""):
        response = page(case, mall=chosen)
        assert response.context["forms"]["svara"]["text"].value() in (None, "")


def test_the_page_costs_the_same_queries_however_long_the_history(
    client, tree, case, handler, django_assert_max_num_queries
):
    client.force_login(handler)
    url = reverse("cases:case", args=[case.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as short:
        client.get(url)
    for number in range(20):
        case_note(case=case, text=f"Anteckning {number}", by=make_user())
    with django_assert_max_num_queries(20) as long:
        client.get(url)
    assert len(long) == len(short)


def test_the_received_time_is_shown_in_local_time(page, tree):
    received = datetime(2026, 7, 1, 0, 30, tzinfo=ZoneInfo("Europe/Stockholm"))  # 22:30 UTC
    case = make_case(unit=tree.gata, received_at=received)
    assert "2026-07-01 00:30" in page(case).content.decode()
