"""Registerutdrag: staff who handle cases can gather everything the cases they may see hold
about one e-mail address, as a page or a JSON download; nobody else can."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from servicenav.cases.models import Attachment, Case
from servicenav.cases.services import case_note, case_reply, case_submit, citizen_message
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

URL = reverse("cases:register-extract")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def feedback(unit, email: str, text: str) -> Case:
    case, _code = case_submit(
        kind="complaint",
        unit=unit,
        text=text,
        place="Storgatan 7",
        reporter_name="Greta Gårdsfjäll",
        reporter_email=email,
        reporter_phone="070-111 22 33",
        wants_answer=True,
    )
    return case


@pytest.fixture
def gata_handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata)


@pytest.fixture
def cases(tree, gata_handler):
    """Greta's feedback to Gata (with a photo, a reply and her answer) and to Vatten, and
    someone else's feedback to Gata."""
    gata = feedback(tree.gata, "Greta@Example.NET", "Trottoaren på Storgatan är isig.")
    case_reply(case=gata, text="Vi sandar i morgon.", by=gata_handler)
    citizen_message(case=gata, text="Tack, det blev bra.")
    case_note(case=gata, text="Intern: ring entreprenören.", by=gata_handler)
    attachment = Attachment(
        case=gata, token="abc123", extension=".jpg", content_type="image/jpeg", size=2048
    )
    attachment.file.save("photo.jpg", ContentFile(b"x" * 2048), save=False)
    attachment.save()
    vatten = feedback(tree.vatten, "greta@example.net", "Vattnet smakar konstigt.")
    other = feedback(tree.gata, "someone.else@example.net", "Någon annans synpunkt.")
    return {"gata": gata, "vatten": vatten, "other": other}


def extract(client, user, email: str = "greta@example.net", suffix: str = ""):
    client.force_login(user)
    return client.post(URL + suffix, {"email": email})


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, cases):
    response = client.post(URL, {"email": "greta@example.net"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not AuditEntry.objects.filter(changes__has_key="register_extract").exists()


def test_a_viewer_without_a_handling_role_is_refused(client, tree, cases):
    viewer = make_user(role=Role.VIEWER, unit=tree.gata)
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"email": "greta@example.net"})
    assert response.status_code == 403
    assert cases["gata"].reference not in response.content.decode()


def test_a_handler_sees_the_form(client, gata_handler):
    client.force_login(gata_handler)
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert 'name="email"' in content
    assert response.headers["Cache-Control"].count("no-store") == 1


def test_a_handler_sees_everything_about_the_address_in_their_own_unit(client, gata_handler, cases):
    response = extract(client, gata_handler)

    content = response.content.decode()
    assert response.status_code == 200
    gata = cases["gata"]
    assert gata.reference in content
    for held in [
        "Trottoaren på Storgatan är isig.",
        "Greta Gårdsfjäll",
        "Greta@Example.NET",
        "070-111 22 33",
        "Storgatan 7",
        "Vi sandar i morgon.",
        "Tack, det blev bra.",
        "abc123.jpg",
    ]:
        assert held in content
    assert "Intern: ring entreprenören." not in content  # internal notes are not about her


def test_a_handler_never_sees_another_units_cases_or_other_addresses(client, gata_handler, cases):
    content = extract(client, gata_handler).content.decode()

    assert cases["vatten"].reference not in content
    assert "Vattnet smakar konstigt." not in content
    assert cases["other"].reference not in content
    assert "Någon annans synpunkt." not in content


def test_a_handler_of_another_unit_sees_only_their_own_units_case(client, tree, cases):
    vatten_handler = make_user(role=Role.CASE_HANDLER, unit=tree.vatten)

    content = extract(client, vatten_handler, "GRETA@example.net").content.decode()

    assert cases["vatten"].reference in content
    assert cases["gata"].reference not in content
    assert "Trottoaren på Storgatan är isig." not in content


def test_a_global_administrator_sees_every_unit(client, tree, cases):
    administrator = make_user(role=Role.ADMINISTRATOR, unit=tree.kommun)

    content = extract(client, administrator).content.decode()

    assert cases["gata"].reference in content
    assert cases["vatten"].reference in content
    assert cases["other"].reference not in content


def test_the_extract_downloads_as_json(client, gata_handler, cases):
    response = extract(client, gata_handler, suffix="?format=json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="registerutdrag.json"'
    data = json.loads(response.content)
    assert data["email"] == "greta@example.net"
    assert [case["reference"] for case in data["cases"]] == [cases["gata"].reference]
    case = data["cases"][0]
    assert case["text"] == "Trottoaren på Storgatan är isig."
    assert case["contact"] == {
        "name": "Greta Gårdsfjäll",
        "email": "Greta@Example.NET",
        "phone": "070-111 22 33",
        "wants_answer": True,
    }
    assert case["place"]["address"] == "Storgatan 7"
    assert case["unit"] == "Gata"
    assert [message["text"] for message in case["messages"]] == [
        "Vi sandar i morgon.",
        "Tack, det blev bra.",
    ]
    assert case["attachments"] == [
        {"name": "abc123.jpg", "content_type": "image/jpeg", "size": 2048}
    ]


def test_the_json_download_holds_only_the_handlers_own_units_cases(client, tree, cases):
    vatten_handler = make_user(role=Role.CASE_HANDLER, unit=tree.vatten)

    data = json.loads(extract(client, vatten_handler, suffix="?format=json").content)

    assert [case["reference"] for case in data["cases"]] == [cases["vatten"].reference]


def test_each_extract_is_audited_with_a_count_but_not_the_address(client, gata_handler, cases):
    extract(client, gata_handler)
    extract(client, gata_handler, suffix="?format=json")

    entries = AuditEntry.objects.filter(changes__has_key="register_extract").order_by("id")
    assert [entry.changes["register_extract"]["to"] for entry in entries] == [1, 1]
    assert [entry.changes["format"]["to"] for entry in entries] == ["html", "json"]
    for entry in entries:
        assert entry.actor == gata_handler
        assert "greta" not in json.dumps(entry.changes).lower()
        assert "greta" not in entry.object_repr.lower()


def test_a_bad_address_gets_a_message_and_nothing_is_shown_or_logged(client, gata_handler, cases):
    response = extract(client, gata_handler, "not an address")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_email_error"' in content
    assert cases["gata"].reference not in content
    assert not AuditEntry.objects.filter(changes__has_key="register_extract").exists()
