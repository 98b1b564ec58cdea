"""Surveys are built in the admin site, by administrators and only for the units they
administer; a question with answers can no longer change there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role
from servicenav.surveys.models import Area, FocusGroup, Question, Round, Survey
from servicenav.surveys.services import response_submit, round_create, round_question_replace
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english():
    """The admin in English (under /en/), so messages read as their source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def teknik_admin(client, tree):
    user = make_user(role=Role.ADMINISTRATOR, unit=tree.teknik)
    client.force_login(user)
    return user


def make_survey(unit, title: str = "Trafikenkät") -> Survey:
    survey = Survey.objects.create(unit=unit, title_sv=title, target_group_sv="Trafikanter")
    area = Area.objects.create(survey=survey, name_sv="Framkomlighet", order=1)
    Question.objects.create(
        survey=survey,
        area=area,
        kind=Question.Kind.SCALE,
        text_sv="Hur nöjd är du?",
        scale_max=5,
        is_overall=True,
        order=1,
    )
    Question.objects.create(
        survey=survey,
        kind=Question.Kind.YES_NO,
        text_sv="Cyklar du?",
        is_background=True,
        order=2,
    )
    return survey


def make_round(survey: Survey, name: str = "2026") -> Round:
    return round_create(
        survey=survey,
        name=name,
        opens_on=TODAY - timedelta(days=1),
        closes_on=TODAY + timedelta(days=30),
        by=None,
    )


def change_url(survey: Survey) -> str:
    return reverse("admin:surveys_survey_change", args=[survey.pk])


def current_data(response) -> dict[str, Any]:
    """What the admin page would post back unchanged: the survey, its areas and questions."""
    forms = [response.context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in response.context["inline_admin_formsets"]:
        for bound in inline.formset.management_form:
            data[bound.html_name] = bound.value()
        forms.extend(inline.formset.forms)
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = "" if value is None else value
    return data


def question_prefix(response, text: str) -> str:
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "questions"
    )
    form = next(form for form in formset.forms if form.instance.text_sv == text)
    return form.prefix


def test_a_unit_administrator_lists_only_their_units_surveys(client, tree, teknik_admin):
    make_survey(tree.gata, title="Trafikenkät")
    make_survey(tree.hemtjanst, title="Brukarenkät")
    listed = client.get(reverse("admin:surveys_survey_changelist")).context["cl"].queryset
    assert [survey.title_sv for survey in listed] == ["Trafikenkät"]


def test_a_unit_administrator_cannot_open_another_units_survey(client, tree, teknik_admin):
    other = make_survey(tree.hemtjanst)
    response = client.get(change_url(other))
    assert response.status_code == 302
    assert not response.url.endswith(f"/{other.pk}/change/")


def test_staff_without_an_administrator_role_stay_out(client, tree):
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun))
    response = client.get(reverse("admin:surveys_survey_changelist"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


NEW_SURVEY = {
    "title_sv": "Parkenkät",
    "title_en": "Parks survey",
    "target_group_sv": "Besökare i parkerna",
    "target_group_en": "",
    "intro_sv": "",
    "intro_en": "",
    **management("areas", 1),
    "areas-0-order": "1",
    "areas-0-name_sv": "Skötsel",
    "areas-0-name_en": "Upkeep",
    **management("questions", 2),
    "questions-0-order": "1",
    "questions-0-kind": "scale",
    "questions-0-text_sv": "Hur ren är parken?",
    "questions-0-scale_max": "5",
    "questions-0-low_label_sv": "Mycket smutsig",
    "questions-0-high_label_sv": "Mycket ren",
    "questions-0-is_overall": "on",
    "questions-1-order": "2",
    "questions-1-kind": "single",
    "questions-1-text_sv": "Hur ofta besöker du parken?",
    "questions-1-options": "Varje vecka | Every week\nMer sällan\n\n",
    "questions-1-is_background": "on",
}


def test_a_survey_is_built_with_areas_and_questions_and_audited(client, tree, teknik_admin):
    url = reverse("admin:surveys_survey_add")
    form = client.get(url).context["adminform"].form
    assert set(form.fields["unit"].queryset) == {tree.teknik, tree.gata, tree.vatten}
    assert client.post(url, {**NEW_SURVEY, "unit": tree.hemtjanst.pk}).status_code == 200
    assert not Survey.objects.exists()
    response = client.post(url, {**NEW_SURVEY, "unit": tree.vatten.pk})
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    survey = Survey.objects.get()
    assert survey.unit == tree.vatten
    assert survey.areas.get().name_en == "Upkeep"
    often = survey.questions.get(kind="single")
    assert often.options == [
        {"sv": "Varje vecka", "en": "Every week"},
        {"sv": "Mer sällan", "en": ""},
    ]
    assert survey.questions.get(kind="scale").is_overall
    assert AuditEntry.objects.filter(
        content_type__model="survey", object_id=str(survey.pk), unit=tree.vatten
    ).exists()
    assert AuditEntry.objects.filter(
        object_id=str(often.pk), unit=tree.vatten, action=AuditEntry.Action.CREATE
    ).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"questions-0-scale_max": ""}, "Choose the length of the scale."),
        ({"questions-1-options": "Bara en"}, "A choice question needs at least two options."),
        ({"questions-1-is_overall": "on"}, "Only a scale question can be an overall question."),
        ({"questions-0-is_background": "on"}, "A background question is a single-choice"),
    ],
)
def test_a_question_that_cannot_work_is_refused(client, tree, teknik_admin, change, message):
    data = {**NEW_SURVEY, "unit": tree.gata.pk, **change}
    response = client.post(reverse("admin:surveys_survey_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_at_most_three_overall_questions(client, tree, teknik_admin):
    data = {**NEW_SURVEY, "unit": tree.gata.pk, **management("questions", 4)}
    for number in range(4):
        data |= {
            f"questions-{number}-order": str(number),
            f"questions-{number}-kind": "scale",
            f"questions-{number}-text_sv": f"Fråga {number}",
            f"questions-{number}-scale_max": "5",
            f"questions-{number}-is_overall": "on",
        }
    data.pop("questions-1-options")
    data.pop("questions-1-is_background")
    response = client.post(reverse("admin:surveys_survey_add"), data)
    assert response.status_code == 200
    assert "At most 3 questions can be overall questions." in response.content.decode()


def test_a_question_with_answers_is_read_only(client, tree, teknik_admin):
    survey = make_survey(tree.gata)
    round = make_round(survey)
    scale = survey.questions.get(kind="scale")
    response_submit(round=round, answers={scale.pk: 4})
    page = client.get(change_url(survey))
    prefix = question_prefix(page, "Hur nöjd är du?")
    formset = page.context["inline_admin_formsets"][1].formset
    form = next(form for form in formset.forms if form.prefix == prefix)
    assert form.fields["text_sv"].disabled
    assert "Reword it on the round page" in page.content.decode()
    data = current_data(page) | {f"{prefix}-text_sv": "Hur missnöjd är du?"}
    response = client.post(change_url(survey), data)
    assert response.status_code == 302
    scale.refresh_from_db()
    assert scale.text_sv == "Hur nöjd är du?"


def test_a_question_used_only_by_a_round_without_answers_can_still_change(
    client, tree, teknik_admin
):
    survey = make_survey(tree.gata)
    make_round(survey)
    page = client.get(change_url(survey))
    prefix = question_prefix(page, "Cyklar du?")
    data = current_data(page) | {f"{prefix}-text_sv": "Cyklar du till jobbet?"}
    assert client.post(change_url(survey), data).status_code == 302
    assert survey.questions.filter(text_sv="Cyklar du till jobbet?").exists()
    assert AuditEntry.objects.filter(changes__text_sv__to="Cyklar du till jobbet?").exists()


def test_a_reworded_question_is_left_out_of_the_admin(client, tree, teknik_admin):
    survey = make_survey(tree.gata)
    first = make_round(survey, name="2025")
    scale = survey.questions.get(kind="scale")
    response_submit(round=first, answers={scale.pk: 4})
    second = make_round(survey, name="2026")
    round_question_replace(round=second, question=scale, by=None, text_sv="Hur nöjd är du nu?")
    content = client.get(change_url(survey)).content.decode()
    assert "Hur nöjd är du nu?" in content
    assert 'value="Hur nöjd är du?"' not in content


def test_an_area_with_answered_questions_cannot_be_removed(client, tree, teknik_admin):
    survey = make_survey(tree.gata)
    round = make_round(survey)
    response_submit(round=round, answers={survey.questions.get(kind="scale").pk: 3})
    page = client.get(change_url(survey))
    data = current_data(page) | {"areas-0-DELETE": "on"}
    response = client.post(change_url(survey), data)
    assert response.status_code == 200
    assert "has questions with answers" in response.content.decode()
    assert survey.areas.exists()


def test_a_survey_with_rounds_cannot_be_deleted(client, tree, teknik_admin):
    survey = make_survey(tree.gata)
    unused = make_survey(tree.gata, title="Utkast")
    make_round(survey)
    url = reverse("admin:surveys_survey_delete", args=[survey.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Survey.objects.filter(pk=survey.pk).exists()
    url = reverse("admin:surveys_survey_delete", args=[unused.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Survey.objects.filter(pk=unused.pk).exists()


def test_focus_groups_in_the_admin_are_limited_to_the_administered_units(
    client, tree, teknik_admin
):
    mine = FocusGroup.objects.create(
        unit=tree.gata, held_on=TODAY, target_group="Cyklister", participants=5, summary="S"
    )
    FocusGroup.objects.create(
        unit=tree.hemtjanst, held_on=TODAY, target_group="Brukare", participants=5, summary="S"
    )
    make_survey(tree.hemtjanst, title="Brukarenkät")
    ours = make_survey(tree.gata)
    listed = client.get(reverse("admin:surveys_focusgroup_changelist")).context["cl"].queryset
    assert list(listed) == [mine]
    form = client.get(reverse("admin:surveys_focusgroup_add")).context["adminform"].form
    assert list(form.fields["survey"].queryset) == [ours]


def test_rounds_and_answers_are_not_in_the_admin():
    from django.urls import NoReverseMatch

    for name in ("round", "response", "invitation", "textanswer"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:surveys_{name}_changelist")
