"""Published feedback shows staff-written summaries and answers, never the citizen's own
words or who they are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servicenav.cases.services import case_close, case_publish
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

PUBLISHED = reverse("cases:published")


def published_case(tree, **fields):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    case = make_case(
        unit=tree.gata,
        text="Snövallen utanför Storgatan 5 blockerar min port, ring mig!",
        reporter_name="Greta Lind",
        reporter_email="greta@example.org",
        reporter_phone="070-1740611",
        wants_answer=True,
        **fields,
    )
    case_close(case=case, outcome="actioned", by=handler)
    case_publish(
        case=case,
        summary="En snövall blockerade en entré.",
        answer="Vi har plogat bort vallen och ändrat rutinen.",
        by=handler,
    )
    return case


def test_a_published_case_shows_its_summary_and_answer(client, tree):
    case = published_case(tree)
    content = client.get(PUBLISHED).content.decode()
    assert "En snövall blockerade en entré." in content
    assert "Vi har plogat bort vallen och ändrat rutinen." in content
    assert case.reference in content


def test_the_citizens_text_and_contact_details_are_never_published(client, tree):
    published_case(tree)
    content = client.get(PUBLISHED).content.decode()
    for private in ("Storgatan 5", "Greta", "greta@example.org", "070-1740611"):
        assert private not in content


def test_unpublished_cases_are_not_listed(client, tree):
    case = make_case(unit=tree.gata, text="Hemlig text om gatan.")
    content = client.get(PUBLISHED).content.decode()
    assert case.reference not in content
    assert "Hemlig text" not in content


def test_the_page_costs_the_same_queries_for_many_cases(
    client, tree, django_assert_max_num_queries
):
    for _number in range(15):
        published_case(tree)
    with django_assert_max_num_queries(4):
        response = client.get(PUBLISHED)
    assert response.content.decode().count('class="card published-case"') == 15


def test_the_english_page_is_in_english(client, tree):
    published_case(tree)
    content = client.get("/en" + PUBLISHED).content.decode()
    assert '<html lang="en">' in content
    assert "Feedback and our answers" in content
