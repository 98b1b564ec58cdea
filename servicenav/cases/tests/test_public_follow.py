"""Finding a case again with its reference and follow-up code: the right pair opens the
case page; a wrong pair gets one message that does not say whether the reference exists;
an address that keeps guessing is stopped for an hour."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from servicenav.cases.models import Case
from servicenav.cases.services import case_submit

pytestmark = pytest.mark.django_db

FOLLOW = reverse("cases:follow")
NOT_FOUND = "We could not find a case with that reference and follow-up code."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def page_of(case: Case) -> str:
    with override("sv"):
        return reverse("cases:public-case", args=[case.reference])


def submitted(unit=None) -> tuple[Case, str]:
    return case_submit(kind="question", text="När töms containern?", unit=unit)


def test_the_right_reference_and_code_open_the_case_page(client, tree):
    case, code = submitted(tree.gata)
    response = client.post(FOLLOW, {"reference": case.reference, "code": code})
    assert response.status_code == 302
    assert response["Location"] == page_of(case)
    assert client.get(page_of(case)).status_code == 200


def test_case_spaces_and_dashes_do_not_matter_when_typing_them_back(client, tree):
    case, code = submitted(tree.gata)
    typed = code.lower().replace("-", " ")
    response = client.post(FOLLOW, {"reference": f" {case.reference.lower()} ", "code": typed})
    assert response["Location"] == page_of(case)


def test_a_wrong_code_gets_a_message_and_no_access(client, tree):
    case, _code = submitted(tree.gata)
    response = client.post("/en" + FOLLOW, {"reference": case.reference, "code": "AAAA-BBBB"})
    assert response.status_code == 200
    assert NOT_FOUND in response.content.decode()
    assert client.get(page_of(case)).status_code == 302


def test_an_unknown_reference_gets_the_same_message(client, tree):
    response = client.post("/en" + FOLLOW, {"reference": "S-1999-00001", "code": "AAAA-BBBB"})
    assert response.status_code == 200
    assert NOT_FOUND in response.content.decode()


def test_the_code_of_one_case_does_not_open_another(client, tree):
    case, _code = submitted(tree.gata)
    _other, other_code = submitted(tree.hemtjanst)
    response = client.post("/en" + FOLLOW, {"reference": case.reference, "code": other_code})
    assert NOT_FOUND in response.content.decode()


def test_both_fields_are_needed(client, tree):
    response = client.post("/en" + FOLLOW, {"reference": "", "code": ""})
    content = response.content.decode()
    assert "Write the reference." in content
    assert "Write the follow-up code." in content


def test_the_follow_page_fills_in_the_reference_it_was_sent_with(client, tree):
    content = client.get(FOLLOW, {"referens": "S-2026-00007"}).content.decode()
    assert 'value="S-2026-00007"' in content


def test_an_address_that_keeps_guessing_is_stopped_even_with_the_right_code(
    client, tree, monkeypatch
):
    monkeypatch.setattr("servicenav.cases.views.public.FOLLOW_FAILURES_PER_HOUR", 3)
    case, code = submitted(tree.gata)
    for _attempt in range(3):
        client.post(FOLLOW, {"reference": case.reference, "code": "AAAA-BBBB"})
    stopped = client.post(FOLLOW, {"reference": case.reference, "code": code})
    assert stopped.status_code == 429
    assert client.get(page_of(case), {"kod": code}).status_code == 429
    assert client.get(page_of(case)).status_code == 302  # no grant was given

    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    response = elsewhere.post(FOLLOW, {"reference": case.reference, "code": code})
    assert response["Location"] == page_of(case)


def test_right_codes_do_not_count_towards_the_limit(client, tree, monkeypatch):
    monkeypatch.setattr("servicenav.cases.views.public.FOLLOW_FAILURES_PER_HOUR", 2)
    case, code = submitted(tree.gata)
    for _attempt in range(4):
        response = client.post(FOLLOW, {"reference": case.reference, "code": code})
        assert response.status_code == 302


@pytest.mark.parametrize("reference", ["S-2026-00001\x00", "x" * 300, "S 2026 ' OR 1=1"])
def test_a_malformed_reference_on_the_form_is_simply_not_found(client, tree, reference):
    response = client.post("/en" + FOLLOW, {"reference": reference, "code": "AAAA-BBBB"})
    assert response.status_code == 200


@pytest.mark.parametrize("reference", ["S-2026-%00", "x" * 300, "S-2026-'%20OR%201=1"])
def test_a_malformed_reference_in_the_address_is_simply_not_found(client, tree, reference):
    assert client.get(f"/synpunkter/{reference}/", {"kod": "AAAA"}).status_code == 404
