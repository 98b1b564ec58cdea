"""A citizen, with no login, sends each kind of feedback with or without contact details;
what they chose is what is stored, and a reload or double click makes no second case."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from servicenav.cases.models import Case, Channel, Kind, Status, hash_follow_up_code
from servicenav.testing import feedback_form

pytestmark = pytest.mark.django_db

SUBMIT = reverse("cases:submit")
RECEIPT = reverse("cases:receipt")
PRIVACY = reverse("core:privacy")
KINDS = [Kind.COMPLAINT, Kind.SUGGESTION, Kind.PRAISE, Kind.QUESTION]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_can_be_sent_anonymously_and_waits_for_triage(client, tree, kind):
    response = client.post(SUBMIT, feedback_form(kind=kind))
    assert response.status_code == 302
    assert response["Location"] == RECEIPT
    case = Case.objects.get()
    assert case.kind == kind
    assert case.channel == Channel.WEB
    assert case.status == Status.NEW
    assert case.unit is None
    assert case.is_anonymous
    assert not case.wants_answer
    assert case.language == "sv"


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_can_be_sent_with_contact_details_to_a_chosen_unit(client, tree, kind):
    data = feedback_form(
        kind=kind,
        unit=tree.gata.pk,
        contact="answer",
        name="Kim Berg",
        email="kim@example.org",
        phone="070-123 45 67",
    )
    response = client.post(SUBMIT, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.kind == kind
    assert case.unit == tree.gata
    assert (case.reporter_name, case.reporter_email, case.reporter_phone) == (
        "Kim Berg",
        "kim@example.org",
        "070-123 45 67",
    )
    assert case.wants_answer


def test_choosing_to_stay_anonymous_throws_away_typed_contact_details(client, tree):
    data = feedback_form(
        contact="anonymous", name="Kim Berg", email="kim@example.org", phone="070-1"
    )
    client.post(SUBMIT, data)
    case = Case.objects.get()
    assert (case.reporter_name, case.reporter_email, case.reporter_phone) == ("", "", "")
    assert not case.wants_answer


def test_an_anonymous_sender_is_not_stopped_by_a_mistyped_address_they_chose_not_to_give(
    client, tree
):
    client.post(SUBMIT, feedback_form(contact="anonymous", email="not an address"))
    assert Case.objects.get().reporter_email == ""


def test_wanting_an_answer_needs_an_email_address_or_a_phone_number(client, tree):
    response = client.post(SUBMIT, feedback_form(contact="answer", name="Kim Berg"))
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()
    assert not Case.objects.exists()


def test_a_phone_number_alone_is_enough_for_an_answer(client, tree):
    client.post(SUBMIT, feedback_form(contact="answer", phone="+46 920 45 30 00"))
    case = Case.objects.get()
    assert case.wants_answer
    assert case.reporter_phone == "+46 920 45 30 00"
    assert not case.can_be_emailed


def test_the_choice_between_answer_and_anonymity_must_be_made(client, tree):
    response = client.post(SUBMIT, feedback_form(contact=""))
    assert 'id="id_contact_error"' in response.content.decode()
    assert not Case.objects.exists()


def test_feedback_longer_than_4000_characters_is_refused(client, tree):
    response = client.post(SUBMIT, feedback_form(text="a" * 4001))
    assert 'id="id_text_error"' in response.content.decode()
    assert not Case.objects.exists()


def test_line_breaks_count_as_one_character_as_the_browser_counts_them(client, tree):
    text = "rad\r\n" * 800  # 4,000 characters with \r\n, 3,200 with \n
    client.post(SUBMIT, feedback_form(text=text))
    assert Case.objects.get().text == ("rad\n" * 800).strip()


def test_latitude_without_longitude_is_refused(client, tree):
    response = client.post(SUBMIT, feedback_form(latitude="65.58"))
    assert 'id="id_longitude_error"' in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(("latitude", "longitude"), [("91", "22"), ("65", "-181")])
def test_coordinates_outside_the_globe_are_refused(client, tree, latitude, longitude):
    client.post(SUBMIT, feedback_form(latitude=latitude, longitude=longitude))
    assert not Case.objects.exists()


def test_a_place_and_coordinates_are_stored_rounded_to_six_decimals(client, tree):
    data = feedback_form(place="Storgatan 1", latitude="65,58481912", longitude="22.1567024")
    client.post(SUBMIT, data)
    case = Case.objects.get()
    assert case.place == "Storgatan 1"
    assert case.latitude == Decimal("65.584819")
    assert case.longitude == Decimal("22.156702")


def test_the_english_form_stores_english_as_the_language_of_the_case(client, tree):
    response = client.post("/en" + SUBMIT, feedback_form())
    assert response["Location"] == "/en" + RECEIPT
    assert Case.objects.get().language == "en"


def test_the_form_offers_active_units_indented_and_dont_know_first(client, tree):
    response = client.get("/en" + SUBMIT)
    content = response.content.decode()
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', content)
    assert options[0] == ("", "Don&#x27;t know")
    labels = [label for _value, label in options[1:]]
    assert labels == [
        "Kommun (en)",
        "\u00a0" * 3 + "Social (en)",
        "\u00a0" * 6 + "Hemtjänst (en)",
        "\u00a0" * 3 + "Teknik (en)",
        "\u00a0" * 6 + "Gata (en)",
        "\u00a0" * 6 + "Vatten (en)",
    ]


def test_an_inactive_unit_is_not_offered_and_cannot_be_chosen(client, tree):
    tree.vatten.active = False
    tree.vatten.save(update_fields=["active"])
    assert "Vatten" not in client.get(SUBMIT).content.decode()
    response = client.post(SUBMIT, feedback_form(unit=tree.vatten.pk))
    assert 'id="id_unit_error"' in response.content.decode()
    assert not Case.objects.exists()


def test_the_form_links_to_how_personal_data_is_handled(client, tree):
    content = client.get("/en" + SUBMIT).content.decode()
    notice = content[content.index("Your personal data") :]
    assert f'<a href="/en{PRIVACY}">Read more about how we handle personal data</a>' in notice


def test_each_showing_of_the_form_carries_a_new_submission_token(client, tree):
    pattern = r'name="submission_token" value="([0-9a-f-]{36})"'
    first = re.search(pattern, client.get(SUBMIT).content.decode())
    second = re.search(pattern, client.get(SUBMIT).content.decode())
    assert first
    assert second
    assert first.group(1) != second.group(1)


def test_a_double_submit_makes_one_case_and_lands_on_the_same_receipt(client, tree):
    data = feedback_form()
    first = client.post(SUBMIT, data)
    second = client.post(SUBMIT, data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"] == RECEIPT
    case = Case.objects.get()
    assert case.reference in client.get(RECEIPT).content.decode()


def test_a_form_sent_again_after_the_server_died_before_answering_shows_its_own_case(
    client, tree, monkeypatch
):
    """The server dies after the case commits but before it answers; the citizen, with the
    receipt of an earlier case in the session, sends the form again."""
    from django.contrib.sessions.middleware import SessionMiddleware

    client.post(SUBMIT, feedback_form())
    earlier = Case.objects.get()

    def crash(self, request, response):
        raise SystemExit("killed before the answer left")

    data = feedback_form(kind=Kind.PRAISE)
    with monkeypatch.context() as patch:
        patch.setattr(SessionMiddleware, "process_response", crash)
        with pytest.raises(SystemExit):
            client.post(SUBMIT, data)
    client.post(SUBMIT, data)
    later = Case.objects.exclude(pk=earlier.pk).get()
    content = client.get(RECEIPT).content.decode()
    assert later.reference in content
    assert earlier.reference not in content
    code = re.search(r'receipt__code">([^<]+)</dd>\s*</dl>', content)
    assert code
    assert later.follow_up_hash == hash_follow_up_code(code.group(1).strip())


def test_a_repeated_token_from_another_browser_gives_no_access_to_the_case(client, tree):
    from django.test import Client

    data = feedback_form()
    client.post(SUBMIT, data)
    stranger = Client()
    stranger.post(SUBMIT, data)
    assert Case.objects.count() == 1
    content = stranger.get(RECEIPT).content.decode()
    assert Case.objects.get().reference not in content


def test_two_forms_sent_from_the_same_browser_make_two_cases(client, tree):
    client.post(SUBMIT, feedback_form())
    client.post(SUBMIT, feedback_form(kind=Kind.PRAISE))
    assert Case.objects.count() == 2
