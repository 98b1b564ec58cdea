"""The staff pages of indicators: who sees and who changes what, the list's fixed number
of queries, defining and changing indicators, the limit of active indicators through the
pages, targets. Pages are read in English (/en/) so that new texts can be compared."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.core.models import AuditEntry
from servicenav.core.periods import Period
from servicenav.kpis.models import Indicator, IndicatorLimit, Measurement, Source, Target
from servicenav.kpis.services import indicator_create, indicator_set_active, target_set
from servicenav.organisation.models import Role
from servicenav.surveys.models import Area, Question, Survey
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


def en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"kpis:{name}", args=args)


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def fields(code: str = "svar", **overrides: object) -> dict[str, object]:
    return {
        "code": code,
        "name_sv": f"Svar inom tio dagar ({code})",
        "name_en": f"Answered within ten days ({code})",
        "kind": "lead_time",
        "definition_sv": "Andel synpunkter som besvarats inom tio arbetsdagar.",
        "source": "cases",
        "statistic": "share_answered_within",
        "params": {"limit_days": 10},
        "unit_of_measure": "percent",
    } | overrides


def new_indicator(unit, code="svar", **overrides):
    return indicator_create(unit=unit, by=None, **fields(code, **overrides))


def measure(indicator, unit, code, value, n=20):
    period = Period.parse(code)
    return Measurement.objects.create(
        indicator=indicator,
        unit=unit,
        period=code,
        period_start=period.start,
        period_end=period.end,
        value=None if value is None else Decimal(str(value)),
        n=n,
        source=indicator.source,
    )


def form_data(code="nytt", **overrides):
    data = {
        "code": code,
        "name_sv": "Kvittens inom två dagar",
        "name_en": "Acknowledged within two days",
        "kind": "reachability",
        "definition_sv": "Andel synpunkter som kvitterats inom två arbetsdagar från mottagandet.",
        "definition_en": "",
        "source": "cases",
        "statistic": "share_acknowledged_within",
        "limit_days": "2",
        "survey_params": "",
        "unit_of_measure": "percent",
        "higher_is_better": "on",
        "period_kind": "month",
        "min_cases": "5",
        "kolada_kpi": "",
    }
    return data | overrides


@pytest.fixture
def people(tree):
    class People:
        coordinator = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik)
        manager = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
        handler = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
        viewer = make_user(role=Role.VIEWER, unit=tree.gata)
        outsider = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.social)

    return People


@pytest.fixture
def indicator(tree):
    indicator = new_indicator(tree.gata)
    target_set(indicator=indicator, year=2025, value=Decimal(90), by=None)
    measure(indicator, tree.gata, "2025-01", "86")
    measure(indicator, tree.gata, "2025-02", None, n=3)
    return indicator


# Anonymous visitors


def test_anonymous_visitors_are_sent_to_log_in(client, indicator):
    pages = [
        ("get", en("staff-list")),
        ("get", en("staff-create")),
        ("get", en("staff-detail", indicator.pk)),
        ("get", en("staff-edit", indicator.pk)),
        ("post", en("staff-active", indicator.pk)),
        ("post", en("staff-target", indicator.pk)),
    ]
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/konto/logga-in/" in response["Location"]
    assert Target.objects.count() == 1


# The list


def test_the_list_shows_each_indicator_with_its_latest_value_target_and_status(
    client, people, indicator, tree
):
    other = new_indicator(tree.teknik, code="teknik")
    measure(other, tree.teknik, "2025-01", "91")
    target_set(indicator=other, year=2025, value=Decimal(90), by=None)
    client.force_login(people.coordinator)
    response = client.get(en("staff-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Teknik (en)") < page.index("Gata (en)")  # grouped by owning unit
    assert "too few cases (n = 3)" in page  # gata's latest period
    for text in ("91 %", "n = 20", "90 %", "✓</span> Met", "–</span> No data"):
        assert text in page
    assert "New indicator" in page
    assert "1 active of at most 8 indicators." in page


def test_a_reader_sees_the_list_without_the_ways_to_change_it(client, people, indicator):
    client.force_login(people.viewer)
    page = client.get(en("staff-list")).content.decode()
    assert indicator.name_en in page
    assert "New indicator" not in page


def test_staff_of_another_unit_do_not_see_the_units_indicators(client, people, indicator):
    client.force_login(people.outsider)
    page = client.get(en("staff-list")).content.decode()
    assert indicator.name_en not in page
    assert "There are no indicators in your units yet." in page


def test_the_list_says_when_a_unit_has_reached_its_limit(client, people, indicator, tree):
    IndicatorLimit.objects.create(unit=tree.gata, maximum=1)
    client.force_login(people.manager)
    page = client.get(en("staff-list")).content.decode()
    assert "The limit of active indicators is reached." in page
    assert "1 active of at most 1 indicator." in page


def _many(tree, start, count):
    for number in range(start, start + count):
        unit = (tree.gata, tree.vatten, tree.teknik)[number % 3]
        indicator = new_indicator(unit, code=f"kpi-{number}")
        target_set(indicator=indicator, year=2025, value=Decimal(80), by=None)
        measure(indicator, unit, "2025-01", number)
        measure(indicator, unit, "2025-02", number + 1)


def test_the_list_takes_the_same_number_of_queries_however_many_indicators(
    client, people, tree, settings, django_assert_max_num_queries
):
    settings.SERVICENAV_KPI_MAX_ACTIVE = 20
    _many(tree, 0, 3)
    client.force_login(people.coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(en("staff-list"))
    _many(tree, 3, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(en("staff-list"))
    assert response.content.decode().count("kpi-") >= 18


# The indicator's page


def test_a_writer_sees_the_definition_trend_targets_and_forms(client, people, indicator):
    client.force_login(people.manager)
    response = client.get(en("staff-detail", indicator.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert indicator.definition_sv in page
    for text in ('role="img"', "<title id=", "Interval (low–high)", "too few cases (n = 3)"):
        assert text in page
    assert "Latest period per unit" in page
    assert en("staff-edit", indicator.pk) in page
    assert en("staff-target", indicator.pk) in page
    assert en("staff-active", indicator.pk) in page
    assert en("measurement-enter", indicator.pk) not in page  # computed, not entered
    assert response.context["comparison"] is None


def test_a_reader_sees_the_page_but_none_of_its_forms(client, people, indicator):
    client.force_login(people.handler)
    response = client.get(en("staff-detail", indicator.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in page
    assert en("staff-edit", indicator.pk) not in page
    assert en("staff-target", indicator.pk) not in page


def test_a_manual_indicators_page_links_to_entering_and_importing_for_writers(client, people, tree):
    manual = new_indicator(tree.gata, code="telefon", source="manual", statistic="", params={})
    client.force_login(people.manager)
    page = client.get(en("staff-detail", manual.pk)).content.decode()
    assert en("measurement-enter", manual.pk) in page
    assert en("measurement-import", manual.pk) in page
    client.force_login(people.viewer)
    page = client.get(en("staff-detail", manual.pk)).content.decode()
    assert en("measurement-enter", manual.pk) not in page


def test_staff_of_another_unit_get_404_everywhere(client, people, indicator):
    client.force_login(people.outsider)
    assert client.get(en("staff-detail", indicator.pk)).status_code == 404
    assert client.get(en("staff-edit", indicator.pk)).status_code == 404
    data = {"active-active": "0", "target-year": "2026", "target-value": "1"}
    assert client.post(en("staff-active", indicator.pk), data).status_code == 404
    assert client.post(en("staff-target", indicator.pk), data).status_code == 404
    indicator.refresh_from_db()
    assert indicator.active
    assert not indicator.targets.filter(year=2026).exists()


def test_a_missing_indicator_is_404(client, people):
    client.force_login(people.coordinator)
    assert client.get(en("staff-detail", 999999)).status_code == 404


# Creating


def test_a_writer_creates_an_indicator(client, people, tree):
    client.force_login(people.manager)
    response = client.post(en("staff-create"), form_data(unit=str(tree.gata.pk)))
    indicator = Indicator.objects.get(code="nytt")
    assert response.status_code == 302
    assert response["Location"] == en("staff-detail", indicator.pk)
    assert (indicator.unit, indicator.params, indicator.active) == (
        tree.gata,
        {"limit_days": 2},
        True,
    )
    assert AuditEntry.objects.filter(object_id=str(indicator.pk), actor=people.manager).exists()


def test_the_create_form_starts_with_the_unit_chosen_on_the_list(client, people, tree):
    client.force_login(people.manager)
    response = client.get(en("staff-create") + f"?unit={tree.vatten.pk}")
    assert response.status_code == 200
    assert response.context["form"]["unit"].value() == str(tree.vatten.pk)
    assert client.get(en("staff-create") + "?unit=nonsense").status_code == 200


def test_a_survey_indicator_takes_its_parameters_as_json(client, people, tree):
    client.force_login(people.coordinator)
    survey = Survey.objects.create(unit=tree.gata, title_sv="Nöjdhet", target_group_sv="Alla")
    question = Question.objects.create(survey=survey, kind="scale", text_sv="Nöjd?", scale_max=5)
    params = f'{{"survey": {survey.pk}, "question": {question.pk}, "measure": "share", "top": 2}}'
    data = form_data(
        unit=str(tree.gata.pk), source="surveys", statistic="", limit_days="", survey_params=params
    )
    assert client.post(en("staff-create"), data).status_code == 302
    created = Indicator.objects.get(code="nytt")
    assert created.params == {
        "survey": survey.pk,
        "question": question.pk,
        "measure": "share",
        "top": 2,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"limit_days": ""}, "limit_days", "Give the limit in working days for this statistic."),
        ({"statistic": ""}, "statistic", "Choose the statistic computed from the cases."),
        (
            {"source": "manual"},
            "statistic",
            "Only indicators computed from cases have a statistic.",
        ),
        ({"definition_sv": ""}, "definition_sv", "This field is required."),
        ({"code": "inte en kod"}, "code", "Enter a valid “slug”"),
        ({"min_cases": "0"}, "min_cases", "Ensure this value is greater than or equal to 1."),
        ({"kolada_kpi": "x1"}, "kolada_kpi", "A Kolada KPI id is a letter and five digits"),
        (
            {"source": "kolada", "statistic": "", "period_kind": "month"},
            "period_kind",
            "Kolada publishes yearly figures",
        ),
        (
            {"source": "surveys", "statistic": "", "survey_params": '{"survey": 3}'},
            "survey_params",
            "Give either a",
        ),
        (
            {"source": "surveys", "statistic": "", "survey_params": "{not json"},
            "survey_params",
            "Enter a valid JSON.",
        ),
        ({"survey_params": '{"survey": 3}'}, "survey_params", "Only indicators computed from"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client, people, tree, overrides, field, message
):
    client.force_login(people.manager)
    response = client.post(en("staff-create"), form_data(unit=str(tree.gata.pk), **overrides))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert message in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert not Indicator.objects.exists()


def test_a_code_already_used_in_the_unit_is_refused(client, people, indicator, tree):
    client.force_login(people.manager)
    response = client.post(en("staff-create"), form_data(code="svar", unit=str(tree.gata.pk)))
    assert response.status_code == 400
    assert Indicator.objects.count() == 1
    # The same code in another unit is fine.
    response = client.post(en("staff-create"), form_data(code="svar", unit=str(tree.vatten.pk)))
    assert response.status_code == 302


def test_no_one_creates_an_indicator_for_a_unit_they_do_not_manage(client, people, tree):
    client.force_login(people.manager)
    response = client.post(en("staff-create"), form_data(unit=str(tree.hemtjanst.pk)))
    assert response.status_code == 400
    assert "Select a valid choice" in " ".join(response.context["form"].errors["unit"])
    assert not Indicator.objects.exists()


def test_readers_may_not_create_indicators(client, people, tree):
    client.force_login(people.handler)
    assert client.get(en("staff-create")).status_code == 403
    assert client.post(en("staff-create"), form_data(unit=str(tree.gata.pk))).status_code == 403
    assert not Indicator.objects.exists()


# The limit of active indicators


@pytest.fixture
def full_gata(tree, indicator):
    IndicatorLimit.objects.create(unit=tree.gata, maximum=1)
    return tree.gata


def test_at_the_limit_a_coordinator_is_asked_for_a_reason(client, people, full_gata):
    client.force_login(people.coordinator)
    response = client.get(en("staff-create"))
    page = response.content.decode()
    assert "reason" in response.context["form"].fields
    assert "These units have reached their limit of active indicators:" in page
    assert "Gata (en): 1 active, at most 1" in page
    assert "write below why the unit needs it as well" in page


def test_at_the_limit_a_coordinator_without_a_reason_is_refused(client, people, full_gata):
    client.force_login(people.coordinator)
    response = client.post(en("staff-create"), form_data(unit=str(full_gata.pk)))
    assert response.status_code == 400
    assert "already has 1 active indicators, its limit" in response.content.decode()
    assert Indicator.objects.count() == 1


def test_at_the_limit_a_coordinators_reason_lets_one_more_in(client, people, full_gata):
    client.force_login(people.coordinator)
    data = form_data(unit=str(full_gata.pk), reason="Nämnden kräver det i år.")
    assert client.post(en("staff-create"), data).status_code == 302
    created = Indicator.objects.get(code="nytt")
    assert (created.active, created.exception_reason) == (True, "Nämnden kräver det i år.")


def test_at_the_limit_a_unit_manager_cannot_add_one(client, people, full_gata):
    client.force_login(people.manager)
    response = client.get(en("staff-create"))
    assert "reason" not in response.context["form"].fields
    assert "ask a quality coordinator" in response.content.decode()
    data = form_data(unit=str(full_gata.pk), reason="Vi vill.")
    response = client.post(en("staff-create"), data)
    assert response.status_code == 400
    assert "have a quality coordinator write why" in response.content.decode()
    assert Indicator.objects.count() == 1


def test_a_manager_who_coordinates_elsewhere_is_not_a_coordinator_here(
    client, people, full_gata, tree
):
    # Coordinator of social (so the reason field is shown: social is full too), but only
    # manager of gata: the service refuses the reason, and the page says why.
    user = make_user(role=Role.UNIT_MANAGER, unit=tree.gata)
    indicator_create(unit=tree.social, by=None, **fields("social"))
    IndicatorLimit.objects.create(unit=tree.social, maximum=1)
    from servicenav.organisation.services import role_grant

    role_grant(user=user, unit=tree.social, role=Role.QUALITY_COORDINATOR, by=None)
    client.force_login(user)
    data = form_data(unit=str(full_gata.pk), reason="Vi vill.")
    response = client.post(en("staff-create"), data)
    assert response.status_code == 400
    assert "Only a quality coordinator may go past the limit." in response.content.decode()
    assert not Indicator.objects.filter(code="nytt").exists()


# Editing


def test_a_writer_changes_an_indicator(client, people, indicator):
    client.force_login(people.manager)
    assert client.get(en("staff-edit", indicator.pk)).status_code == 200
    data = form_data(
        code="svar", statistic="share_answered_within", limit_days="5", name_en="Answered in 5"
    )
    response = client.post(en("staff-edit", indicator.pk), data)
    assert response.status_code == 302
    assert said(client.get(response["Location"])) == ["The indicator is saved."]
    indicator.refresh_from_db()
    assert (indicator.params, indicator.name_en, indicator.kind) == (
        {"limit_days": 5},
        "Answered in 5",
        "reachability",
    )
    entry = AuditEntry.objects.filter(object_id=str(indicator.pk), actor=people.manager).get()
    assert entry.changes["params"] == {"from": "{'limit_days': 10}", "to": "{'limit_days': 5}"}


def test_the_edit_form_starts_from_the_indicator_and_saving_it_unchanged_changes_nothing(
    client, people, indicator
):
    client.force_login(people.manager)
    form = client.get(en("staff-edit", indicator.pk)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else "" if v in (None, False) else v) for k, v in data.items()}
    assert data["limit_days"] == 10
    response = client.post(en("staff-edit", indicator.pk), data, follow=True)
    assert said(response) == ["Nothing was changed."]
    assert not AuditEntry.objects.filter(object_id=str(indicator.pk), action="update").exists()


def test_the_edit_form_shows_survey_parameters_as_json_and_nothing_when_there_are_none(
    client, people, tree
):
    survey = Survey.objects.create(unit=tree.gata, title_sv="Nöjdhet", target_group_sv="Alla")
    area = Area.objects.create(survey=survey, name_sv="Bemötande")
    Question.objects.create(survey=survey, area=area, kind="scale", text_sv="Vänlig?", scale_max=5)
    params = {"survey": survey.pk, "area": area.pk, "measure": "index"}
    indicator = new_indicator(tree.gata, code="nki", source="surveys", statistic="", params=params)
    client.force_login(people.manager)
    form = client.get(en("staff-edit", indicator.pk)).context["form"]
    assert f"&quot;area&quot;: {area.pk}" in str(form["survey_params"])
    empty = client.get(en("staff-create")).context["form"]
    assert "null" not in str(empty["survey_params"])


def test_a_bad_edit_is_refused_and_changes_nothing(client, people, indicator, tree):
    new_indicator(tree.gata, code="annan")
    client.force_login(people.coordinator)
    for data in (form_data(code="annan"), form_data(code="svar", limit_days="")):
        response = client.post(en("staff-edit", indicator.pk), data)
        assert response.status_code == 400
    assert "The unit already has an indicator with this code." in str(
        client.post(en("staff-edit", indicator.pk), form_data(code="annan")).content.decode()
    )
    indicator.refresh_from_db()
    assert (indicator.code, indicator.kind) == ("svar", "lead_time")


def test_readers_may_not_edit(client, people, indicator):
    client.force_login(people.viewer)
    assert client.get(en("staff-edit", indicator.pk)).status_code == 403
    assert client.post(en("staff-edit", indicator.pk), form_data(code="x")).status_code == 403
    indicator.refresh_from_db()
    assert indicator.code == "svar"


# Switching on and off


def test_a_writer_switches_an_indicator_off_and_on_again(client, people, indicator):
    client.force_login(people.manager)
    response = client.post(en("staff-active", indicator.pk), {"active-active": "0"}, follow=True)
    assert said(response) == ["The indicator is inactive."]
    indicator.refresh_from_db()
    assert not indicator.active
    client.post(en("staff-active", indicator.pk), {"active-active": "1"})
    indicator.refresh_from_db()
    assert indicator.active


def test_the_switch_on_the_page_posts_what_it_shows(client, people, indicator):
    client.force_login(people.manager)
    for active in (False, True):
        page = client.get(en("staff-detail", indicator.pk)).content.decode()
        value = re.search(r'name="active-active" value="(\w+)"', page)
        assert value is not None
        assert (
            client.post(en("staff-active", indicator.pk), {"active-active": value[1]}).status_code
            == 302
        )
        indicator.refresh_from_db()
        assert indicator.active is active


def test_switching_on_past_the_limit_needs_a_coordinators_reason(client, people, indicator, tree):
    indicator_set_active(indicator=indicator, active=False, by=None)
    new_indicator(tree.gata, code="annan")
    IndicatorLimit.objects.create(unit=tree.gata, maximum=1)

    client.force_login(people.manager)
    page = client.get(en("staff-detail", indicator.pk)).content.decode()
    assert "ask a quality coordinator" in page
    response = client.post(en("staff-active", indicator.pk), {"active-active": "1"})
    assert response.status_code == 400
    assert "its limit" in response.content.decode()
    indicator.refresh_from_db()
    assert not indicator.active

    client.force_login(people.coordinator)
    page = client.get(en("staff-detail", indicator.pk)).content.decode()
    assert "Why this indicator is needed too" in page
    data = {"active-active": "1", "active-reason": "Mäts på uppdrag av nämnden."}
    assert client.post(en("staff-active", indicator.pk), data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.active, indicator.exception_reason) == (True, "Mäts på uppdrag av nämnden.")


def test_switching_takes_a_post_from_a_writer(client, people, indicator):
    client.force_login(people.handler)
    assert client.post(en("staff-active", indicator.pk), {"active-active": "0"}).status_code == 403
    client.force_login(people.manager)
    assert client.get(en("staff-active", indicator.pk)).status_code == 405
    response = client.post(en("staff-active", indicator.pk), {"active-active": "maybe"})
    assert response.status_code == 400
    indicator.refresh_from_db()
    assert indicator.active


# Targets


def test_a_writer_sets_a_target(client, people, indicator):
    client.force_login(people.coordinator)
    data = {"target-year": "2026", "target-value": "92.5"}
    response = client.post(en("staff-target", indicator.pk), data, follow=True)
    assert said(response) == ["The target for 2026 is set."]
    assert indicator.targets.get(year=2026).value == Decimal("92.5")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target-year": "1999", "target-value": "90"}, "greater than or equal to 2000"),
        ({"target-year": "2026", "target-value": "mycket"}, "Enter a number."),
        ({"target-year": "", "target-value": "90"}, "This field is required."),
        ({"target-year": "2026", "target-value": "1e20"}, "Ensure that there are no more than"),
    ],
)
def test_a_bad_target_is_refused_and_nothing_is_saved(client, people, indicator, data, message):
    client.force_login(people.coordinator)
    response = client.post(en("staff-target", indicator.pk), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(indicator.targets.values_list("year", flat=True)) == [2025]


def test_readers_may_not_set_targets(client, people, indicator):
    client.force_login(people.viewer)
    data = {"target-year": "2026", "target-value": "1"}
    assert client.post(en("staff-target", indicator.pk), data).status_code == 403
    assert not indicator.targets.filter(year=2026).exists()


def test_the_target_form_starts_at_this_year(client, people, indicator):
    client.force_login(people.coordinator)
    form = client.get(en("staff-detail", indicator.pk)).context["target_form"]
    assert form["year"].value() == timezone.localdate().year


def test_an_indicator_of_a_unit_below_is_read_by_the_staff_above(client, people, tree):
    on_vatten = new_indicator(tree.vatten, code="vatten", source=Source.MANUAL, statistic="")
    client.force_login(people.handler)  # case handler of teknik, above vatten
    assert client.get(en("staff-detail", on_vatten.pk)).status_code == 200
