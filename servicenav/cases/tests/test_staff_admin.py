"""Administrators configure categories, deadline rules and answer templates for the units
they administer, and only those; cases themselves are handled on the case pages, not in
the admin."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from servicenav.cases.models import AnswerTemplate, Category, DeadlineRule
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def teknik_admin(client, tree):
    user = make_user(role=Role.ADMINISTRATOR, unit=tree.teknik)
    client.force_login(user)
    return user


def test_a_unit_administrator_lists_only_their_units_categories(client, tree, teknik_admin):
    Category.objects.create(unit=tree.gata, name_sv="Snöröjning", name_en="Snow")
    Category.objects.create(unit=tree.hemtjanst, name_sv="Bemötande", name_en="Manner")
    content = client.get(reverse("admin:cases_category_changelist")).content.decode()
    assert "Snöröjning" in content
    assert "Bemötande" not in content


def test_a_unit_administrator_cannot_open_another_units_category(client, tree, teknik_admin):
    other = Category.objects.create(unit=tree.hemtjanst, name_sv="Bemötande", name_en="Manner")
    response = client.get(reverse("admin:cases_category_change", args=[other.pk]))
    assert response.status_code == 302
    assert not response.url.endswith(f"/{other.pk}/change/")


def questions_form(count):
    """The management form of the category's inline list of questions (attributes)."""
    return {
        "attributes-TOTAL_FORMS": str(count),
        "attributes-INITIAL_FORMS": "0",
        "attributes-MIN_NUM_FORMS": "0",
        "attributes-MAX_NUM_FORMS": "1000",
    }


def test_a_category_is_added_only_for_an_administered_unit_and_audited(client, tree, teknik_admin):
    url = reverse("admin:cases_category_add")
    form = client.get(url).context["adminform"].form
    assert set(form.fields["unit"].queryset) == {tree.teknik, tree.gata, tree.vatten}
    data = {"name_sv": "Läcka", "name_en": "Leak", "active": "on", **questions_form(0)}
    response = client.post(url, {**data, "unit": tree.hemtjanst.pk})
    assert response.status_code == 200
    assert not Category.objects.exists()
    response = client.post(url, {**data, "unit": tree.vatten.pk})
    assert response.status_code == 302
    category = Category.objects.get()
    assert category.unit == tree.vatten
    assert AuditEntry.objects.filter(object_id=str(category.pk), actor=teknik_admin).exists()


def test_categories_are_deactivated_not_deleted(client, tree, teknik_admin):
    category = Category.objects.create(unit=tree.gata, name_sv="Snö", name_en="Snow")
    response = client.post(
        reverse("admin:cases_category_delete", args=[category.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Category.objects.filter(pk=category.pk).exists()


def test_deadline_rules_are_limited_to_the_administered_units(client, tree, teknik_admin):
    DeadlineRule.objects.create(unit=tree.gata, kind="", acknowledge_days=1, answer_days=5)
    DeadlineRule.objects.create(unit=tree.social, kind="", acknowledge_days=3, answer_days=14)
    response = client.get(reverse("admin:cases_deadlinerule_changelist"))
    rules = list(response.context["cl"].queryset)
    assert [rule.unit for rule in rules] == [tree.gata]


def test_templates_for_every_unit_are_for_global_administrators_only(client, tree, teknik_admin):
    everyone = AnswerTemplate.objects.create(title="Alla enheter", body="Hej {reference}")
    mine = AnswerTemplate.objects.create(title="Teknik", unit=tree.teknik, body="Hej")
    AnswerTemplate.objects.create(title="Social", unit=tree.social, body="Hej")
    listed = client.get(reverse("admin:cases_answertemplate_changelist")).context["cl"].queryset
    assert list(listed) == [mine]
    form = client.get(reverse("admin:cases_answertemplate_add")).context["adminform"].form
    assert form.fields["unit"].required

    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.kommun))
    listed = client.get(reverse("admin:cases_answertemplate_changelist")).context["cl"].queryset
    assert set(listed) == {everyone, mine, AnswerTemplate.objects.get(title="Social")}
    form = client.get(reverse("admin:cases_answertemplate_add")).context["adminform"].form
    assert not form.fields["unit"].required


def test_staff_without_an_administrator_role_stay_out(client, tree):
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun))
    response = client.get(reverse("admin:cases_category_changelist"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_cases_and_their_history_are_not_in_the_admin():
    for name in ("admin:cases_case_changelist", "admin:cases_caseevent_changelist"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


def test_a_unit_administrator_adds_questions_to_a_category(client, tree):
    admin_user = make_user(role=Role.ADMINISTRATOR, unit=tree.teknik)
    category = Category.objects.create(unit=tree.gata, name_sv="Gropar", name_en="Potholes")
    client.force_login(admin_user)
    url = reverse("admin:cases_category_change", args=[category.pk])
    data = {
        "unit": tree.gata.pk,
        "name_sv": "Gropar",
        "name_en": "Potholes",
        "description_sv": "",
        "description_en": "",
        "keywords": "",
        "needs_location": "on",
        "active": "on",
        **questions_form(1),
        "attributes-0-code": "djup",
        "attributes-0-datatype": "number",
        "attributes-0-question_sv": "Hur djup?",
        "attributes-0-question_en": "How deep?",
        "attributes-0-values": "[]",
        "attributes-0-order": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    attribute = category.attributes.get()
    assert (attribute.code, attribute.datatype) == ("djup", "number")
