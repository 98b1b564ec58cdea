"""Good examples from praise, from done actions and from elsewhere; themes on feedback and
survey answers, counted per förvaltning and period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.cases.services import case_close, case_mark_good_example
from servicenav.core.periods import Period, PeriodKind
from servicenav.improvement.access import examples_visible_to
from servicenav.improvement.models import Action, GoodExample
from servicenav.improvement.selectors import feedback_without_action, good_examples, theme_network
from servicenav.improvement.services import (
    action_set_status,
    case_set_themes,
    good_example_create,
    good_example_from_action,
    good_example_from_case,
    theme_create,
)
from servicenav.improvement.tests.factories import make_action
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_user

S = Action.Status


@pytest.fixture
def coordinator(tree):
    return make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun)


def test_good_examples_come_from_praise_actions_and_other_municipalities(tree, coordinator):
    praise = make_case(unit=tree.gata, kind="praise", reporter_name="Astrid")
    case_close(case=praise, outcome="answered", by=coordinator)
    with pytest.raises(ValidationError):
        good_example_from_case(case=praise, title="Snabb hjälp", by=coordinator)
    case_mark_good_example(case=praise, summary="Personalen hjälpte snabbt.", by=coordinator)
    from_praise = good_example_from_case(case=praise, title="Snabb hjälp", by=coordinator)
    assert from_praise.text == "Personalen hjälpte snabbt."
    with pytest.raises(ValidationError):
        good_example_from_case(case=praise, title="Igen", by=coordinator)

    action = make_action(unit=tree.vatten, title="SMS vid avbrott")
    with pytest.raises(ValidationError):
        good_example_from_action(action=action, by=coordinator)
    for status in (S.DECIDED, S.IN_PROGRESS):
        action_set_status(action=action, status=status, by=coordinator)
    action_set_status(action=action, status=S.DONE, outcome="Färre samtal.", by=coordinator)
    from_action = good_example_from_action(action=action, by=coordinator)
    assert (from_action.source, from_action.result) == (GoodExample.Source.ACTION, "Färre samtal.")

    external = good_example_create(
        title="Öppet hus",
        text="Kommunen bjöd in till öppet hus.",
        result="Fler nöjda.",
        unit=tree.social,
        source_name="Umeå kommun",
        source_url="https://example.org/oppet-hus",
        by=coordinator,
    )
    everything = examples_visible_to(coordinator)
    assert list(good_examples(everything, query="öppet")) == [external]
    assert list(good_examples(everything, unit=tree.teknik)) == [from_action, from_praise]


def test_the_library_page_searches_and_rejects_bad_input(client, tree, coordinator):
    good_example_create(title="Öppet hus", text="Bjöd in.", unit=tree.social, by=coordinator)
    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))
    with translation.override("en"):
        examples, create = reverse("improvement:examples"), reverse("improvement:example-create")
    assert "Öppet hus" in client.get(examples, {"q": "hus"}).content.decode()
    assert "Öppet hus" not in client.get(examples, {"q": "bänk"}).content.decode()
    client.force_login(coordinator)
    response = client.post(
        create, {"title": "", "text": "", "unit": tree.gata.pk, "source_url": "nope"}
    )
    assert response.status_code == 400
    response = client.post(create, {"title": "Lärt", "text": "Så här.", "unit": tree.gata.pk})
    assert response.status_code == 302


def test_themes_tag_feedback_and_are_counted_per_administration_and_period(tree, coordinator):
    snow = theme_create(name_sv="Snöröjning", name_en="Snow clearing", by=coordinator)
    wait = theme_create(name_sv="Väntetid", name_en="Waiting time", by=coordinator)
    with pytest.raises(ValidationError):
        theme_create(name_sv="snöröjning", by=coordinator)
    for unit in (tree.gata, tree.vatten, tree.hemtjanst):
        case_set_themes(case=make_case(unit=unit), themes=[snow], by=coordinator)
    case_set_themes(
        case=make_case(unit=tree.hemtjanst, kind="praise"), themes=[wait], by=coordinator
    )
    today = timezone.localdate()
    network = theme_network(since=today - timedelta(days=30), until=today, kind=PeriodKind.YEAR)
    period = Period.containing(today, PeriodKind.YEAR).code
    assert [row.theme for row in network.rows] == [snow, wait]
    assert network.count(network.rows[0], tree.teknik, period) == 2
    assert network.count(network.rows[0], tree.social, period) == 1
    # Tagged praise is feedback no action took up, grouped under its theme.
    groups = {group.label: len(group.cases) for group in feedback_without_action(coordinator)}
    assert groups["Snöröjning"] == 3
    assert groups["Väntetid"] == 1


def test_staff_tag_a_case_through_its_gate(client, tree, coordinator):
    theme = theme_create(name_sv="Bemötande", by=coordinator)
    case = make_case(unit=tree.gata)
    with translation.override("en"):
        page = reverse("improvement:case-themes", args=[case.pk])
    client.force_login(make_user(role=Role.CASE_HANDLER, unit=tree.social))
    assert client.post(page, {"themes": [theme.pk]}).status_code == 404
    client.force_login(make_user(role=Role.CASE_HANDLER, unit=tree.gata))
    assert client.post(page, {"themes": [theme.pk]}).status_code == 302
    assert case.theme_tags.get().theme == theme
    assert client.get(reverse("improvement:themes")).status_code == 200


def test_staff_running_a_survey_tag_its_free_text_answers(client, tree):
    from servicenav.improvement.models import TextAnswerTheme
    from servicenav.surveys.models import Question, Response, Round, Survey, TextAnswer

    theme = theme_create(name_sv="Väntetid", by=None)
    survey = Survey.objects.create(
        unit=tree.hemtjanst, title_sv="Brukarenkät", target_group_sv="Alla"
    )
    question = Question.objects.create(survey=survey, text_sv="Övrigt?", kind="text")
    today = timezone.localdate()
    round = Round.objects.create(survey=survey, name="2026", opens_on=today, closes_on=today)
    answer = TextAnswer.objects.create(
        response=Response.objects.create(round=round), question=question, text="Lång väntan."
    )
    with translation.override("en"):
        page = reverse("improvement:answer-themes", args=[round.pk])
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik))
    assert client.get(page).status_code == 404
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social))
    assert "Lång väntan." in client.get(page).content.decode()
    data = {"answer": answer.pk, f"a{answer.pk}-themes": [theme.pk]}
    assert client.post(page, data).status_code == 302
    assert TextAnswerTheme.objects.get().theme == theme
    assert client.post(page, {"answer": "x"}).status_code == 400
    network = theme_network(since=today, until=today, kind=PeriodKind.YEAR)
    assert network.rows[0].total == 1
