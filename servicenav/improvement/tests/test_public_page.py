""" "Du sa – vi gjorde": published done actions in staff's words, with no personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from servicenav.improvement.models import Action
from servicenav.improvement.selectors import published_actions
from servicenav.improvement.services import action_publish, action_set_status
from servicenav.improvement.tests.factories import make_action
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_user

S = Action.Status


def finish(action, by, *, publish: str = ""):
    for status in (S.DECIDED, S.IN_PROGRESS):
        action_set_status(action=action, status=status, by=by)
    action_set_status(action=action, status=S.DONE, outcome="Internt: Astrid klagade.", by=by)
    if publish:
        action_publish(action=action, text_sv=publish, text_en=publish + " (en)", by=by)


@pytest.fixture
def manager(tree):
    return make_user(role=Role.UNIT_MANAGER, unit=tree.kommun, first_name="Maja", last_name="Chef")


def test_the_page_lists_published_actions_newest_first_without_personal_data(client, tree, manager):
    case = make_case(
        unit=tree.gata,
        text="Hemlig text från medborgaren",
        reporter_name="Astrid Lindqvist",
        reporter_email="astrid@example.org",
    )
    first = make_action(unit=tree.gata, title="Fler bänkar", responsible=manager)
    first.cases.add(case)
    finish(first, manager, publish="Ni ville ha fler bänkar. Vi ställde ut sex.")
    second = make_action(unit=tree.hemtjanst, title="Tydligare besökstider")
    finish(second, manager, publish="Besökstiderna står nu på webben.")
    unpublished = make_action(unit=tree.gata, title="Ej publicerad")
    finish(unpublished, manager)

    page = client.get("/du-sa-vi-gjorde/").content.decode()
    assert page.index("Tydligare besökstider") < page.index("Fler bänkar")
    assert "Vi ställde ut sex." in page
    assert "Ej publicerad" not in page
    for personal in ("Astrid", "astrid@", "Hemlig text", "Maja", "Chef", "Internt", case.reference):
        assert personal not in page
    with translation.override("en"):
        english = client.get(reverse("improvement:public-list")).content.decode()
    assert "Besökstiderna står nu på webben. (en)" in english


def test_the_page_and_the_selector_filter_by_unit(client, tree, manager):
    gata = make_action(unit=tree.gata, title="Fler bänkar")
    finish(gata, manager, publish="Bänkar.")
    social = make_action(unit=tree.hemtjanst, title="Besökstider")
    finish(social, manager, publish="Tider.")
    assert published_actions(unit=tree.teknik) == [gata]
    assert published_actions(limit=1) == [social]
    page = client.get("/du-sa-vi-gjorde/", {"unit": tree.social.pk}).content.decode()
    assert "Besökstider" in page
    assert "Fler bänkar" not in page
    assert client.get("/du-sa-vi-gjorde/", {"unit": "x"}).status_code == 400
