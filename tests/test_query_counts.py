"""Guards against N+1 queries: every list page and public page is read with a small data set,
then again after the data grew about ten-fold (more rows, units, handlers, events, replies,
attachments, values), and must take exactly as many queries both times, and no more than a
ceiling. A page whose count grows with its rows reads a relation row by row.

Pages that already have such a test next to their app's other tests are not repeated here:
the unfiltered inbox sorted by status, the case page's notes, Open311 `requests.xml` and
`servicerequestupdates.json`, the REST case and measurement lists, the declaration lists,
the KPI staff list and the surveys' staff list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.api.open311.testing import make_question, make_service
from servicenav.api.services import api_key_create
from servicenav.cases.models import Attachment, Case, Category
from servicenav.cases.services import (
    case_assign,
    case_categorise,
    case_close,
    case_link,
    case_merge,
    case_publish,
    case_reply,
    case_start,
    case_wait,
)
from servicenav.core.periods import Period, PeriodKind
from servicenav.declarations.follow_up import follow_up_declaration
from servicenav.declarations.services import version_new_draft
from servicenav.declarations.tests.factories import (
    ANSWER_PROMISE,
    draft_declaration,
    published_declaration,
)
from servicenav.improvement.models import Action
from servicenav.improvement.services import action_publish, action_set_status
from servicenav.improvement.tests.factories import make_action
from servicenav.kpis.models import Indicator, KoladaGroup, KoladaKpi, KoladaValue, Measurement
from servicenav.kpis.models import Target as KpiTarget
from servicenav.network.services import action_item_add, decision_add, meeting_create, member_add
from servicenav.organisation.models import Role, ServiceValue
from servicenav.public.feedback import feedback_statistics_compute
from servicenav.surveys.models import Area, Question, Round, Survey
from servicenav.surveys.services import (
    conclusion_add,
    focus_group_record,
    quote_publish,
    response_submit,
    round_create,
    round_question_publish,
    text_answer_tag,
)
from servicenav.testing import make_case, make_unit, make_user

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpResponse
    from django.test import Client

    from conftest import Tree
    from servicenav.organisation.models import Unit, User

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


# --- How a page is counted ----------------------------------------------------------------


def en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def counted(read: Callable[[], HttpResponse]) -> tuple[int, HttpResponse]:
    with CaptureQueriesContext(connection) as captured:
        response = read()
    assert response.status_code == 200, response.content[:300]
    return len(captured), response


def assert_flat(
    read: Callable[[], HttpResponse], grow: Callable[[], object], *, at_most: int
) -> HttpResponse:
    """`read` costs the same queries before and after `grow`, at most `at_most`; the
    response after growing is returned so the test can check the new rows are on it."""
    read()  # the session, the content types and the like settle on the first request
    few, _response = counted(read)
    grow()
    many, response = counted(read)
    assert many == few, f"{few} queries with few rows, {many} with many: an N+1 query"
    assert many <= at_most, f"{many} queries, more than the {at_most} allowed"
    return response


def cold(client: Client, url: str, params: dict[str, Any] | None = None) -> Callable[[], Any]:
    """A reader of a public page as the first visitor after a change: nothing cached."""

    def read() -> Any:
        cache.clear()
        return client.get(url, params or {})

    return read


def several(count: int, make: Callable[[int], object]) -> Callable[[], None]:
    def grow() -> None:
        for number in range(count):
            make(number)

    return grow


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


# --- The staff inbox and the case page ------------------------------------------------------


def _overdue_case(tree: Tree, number: int) -> Case:
    """An open case of Teknik's two units received 30 days ago (so past its answer-by), in
    a category of its own, assigned to a handler of its own, with a reply."""
    unit = (tree.gata, tree.vatten)[number % 2]
    handler = make_user(role=Role.CASE_HANDLER, unit=unit, first_name=f"Handläggare {number}")
    category = Category.objects.create(unit=unit, name_sv=f"Kategori {number}", name_en="C")
    case = make_case(unit=unit, received_at=days_ago(30), at=days_ago(30))
    case_categorise(case=case, category=category, by=handler)
    case_assign(case=case, to=handler, by=handler)
    case_reply(case=case, text="Vi tittar på det.", by=handler)
    return case


def _not_in_the_filter(tree: Tree, number: int) -> None:
    """Cases the filter leaves out: another unit's, a closed one, one not yet due."""
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.kommun)
    make_case(unit=tree.hemtjanst, received_at=days_ago(30), at=days_ago(30))
    closed = make_case(unit=tree.gata, received_at=days_ago(30), at=days_ago(30))
    case_close(case=closed, outcome="answered", by=handler)
    make_case(unit=tree.vatten, received_at=days_ago(number % 3))


def test_the_inbox_filtered_by_unit_status_and_overdue_costs_the_same_for_3_and_30_cases(
    client, tree
):
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun))
    filters = {"enhet": tree.teknik.pk, "status": "open", "forsenad": "on"}
    for number in range(3):
        _overdue_case(tree, number)
        _not_in_the_filter(tree, number)

    def grow() -> None:
        for number in range(3, 30):
            _overdue_case(tree, number)
            _not_in_the_filter(tree, number)

    response = assert_flat(lambda: client.get(en("cases:inbox"), filters), grow, at_most=9)
    assert len(response.context["page"]) == 30  # all on the first page of 50
    assert response.context["page"].paginator.count == 30


@dataclass
class CaseScene:
    tree: Tree
    case: Case
    settings: Any

    def grow(self, number: int) -> None:
        """A new handler replies, waits, starts, takes the case and files it in a new
        category; a photo is attached; another case is linked and one merged into it."""
        gata = self.tree.gata
        handler = make_user(role=Role.CASE_HANDLER, unit=gata, first_name=f"Hand {number}")
        case_reply(case=self.case, text=f"Svar {number}", by=handler)
        case_wait(case=self.case, reason=f"Väntar {number}", by=handler)
        case_start(case=self.case, by=handler)
        case_assign(case=self.case, to=handler, by=handler)
        category = Category.objects.create(unit=gata, name_sv=f"Kategori {number}", name_en="C")
        case_categorise(case=self.case, category=category, by=handler)
        attachment = Attachment(
            case=self.case,
            token=f"{number:032d}",
            extension=".jpg",
            content_type="image/jpeg",
            size=4,
        )
        attachment.file.save("photo.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=True)
        case_link(case=self.case, other=make_case(unit=gata), by=handler)
        case_merge(case=make_case(unit=gata), into=self.case, by=handler)


def test_the_case_page_costs_the_same_however_many_handlers_replies_attachments_and_links(
    client, tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    scene = CaseScene(tree, make_case(unit=tree.gata, reporter_email="a@example.org"), settings)
    scene.grow(0)
    client.force_login(make_user(role=Role.CASE_HANDLER, unit=tree.gata))
    url = en("cases:case", scene.case.pk)

    response = assert_flat(
        lambda: client.get(url), several(10, lambda n: scene.grow(n + 1)), at_most=18
    )
    assert response.content.decode().count("/bilagor/") >= 11


# --- Open311 ------------------------------------------------------------------------------

OPEN311 = "/open311/v2"


def _request_with_history(service: Category, handler: User, number: int) -> Case:
    case = make_case(unit=service.unit, category=service, place=f"Gatan {number}")
    case_reply(case=case, text="Vi lagar gropen.", by=handler)
    case_wait(case=case, reason="Väntar på asfalt.", by=handler)
    case_start(case=case, by=handler)
    return case


def test_open311_requests_filtered_by_status_and_service_cost_the_same_for_3_and_30(client, tree):
    potholes = make_service(unit=tree.gata)
    lights = make_service(unit=tree.vatten, name="Belysning", name_en="Lights")
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.kommun)

    def add(number: int) -> None:
        _request_with_history(potholes, handler, number)
        other = _request_with_history(lights, handler, number)  # another service
        closed = make_case(unit=tree.gata, category=potholes)  # closed
        case_close(case=closed, outcome="answered", by=handler)
        if number % 2:
            case_publish(case=other, summary="Gropen", answer="Lagad", by=handler)

    several(3, add)()
    query = {"status": "open", "service_code": potholes.pk, "page_size": 50}
    response = assert_flat(
        lambda: client.get(f"{OPEN311}/requests.json", query),
        several(27, lambda n: add(n + 3)),
        at_most=2,  # the requests, the promises of their units' service declarations
    )
    assert len(response.json()) == 30


def test_open311_one_request_costs_the_same_however_long_its_history(client, tree):
    potholes = make_service(unit=tree.gata)
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.kommun)
    case = _request_with_history(potholes, handler, 0)

    def grow(number: int) -> None:
        other = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
        case_reply(case=case, text=f"Svar {number}", by=other)
        case_wait(case=case, reason="Väntar.", by=other)
        case_start(case=case, by=other)

    response = assert_flat(
        lambda: client.get(f"{OPEN311}/requests/{case.reference}.json"),
        several(10, grow),
        at_most=2,
    )
    assert response.json()[0]["service_request_id"] == case.reference


def test_open311_services_in_json_cost_one_query_however_many(client, tree):
    def add(number: int) -> None:
        unit = make_unit(parent=tree.teknik, name=f"Enhet {number}")
        service = make_service(unit=unit, name=f"Tjänst {number}")
        make_question(service, code="q", choices=[("a", "A"), ("b", "B")])

    several(3, add)()
    response = assert_flat(
        lambda: client.get(f"{OPEN311}/services.json"), several(27, lambda n: add(n + 3)), at_most=1
    )
    assert len(response.json()) == 30


# --- The staff REST API ------------------------------------------------------------------


@dataclass
class Api:
    """GETs with a staff key, as a viewer of the whole municipality."""

    client: Client
    key: str

    def reader(self, name: str, *args: object, **params: str | int) -> Callable[[], Any]:
        url = reverse(f"rest:{name}", args=args)
        headers = {"Authorization": f"Bearer {self.key}"}
        return lambda: self.client.get(url, params, headers=headers)


@pytest.fixture
def api(client, tree) -> Api:
    viewer = make_user(role=Role.VIEWER, unit=tree.kommun)
    _api_key, key = api_key_create(name="Verktyg", user=viewer, by=None)
    return Api(client, key)


def _unit_with_category(tree: Tree, number: int) -> None:
    unit = make_unit(parent=(tree.teknik, tree.social)[number % 2], name=f"Enhet {number}")
    Category.objects.create(unit=unit, name_sv=f"Kategori {number}", name_en="C")


def test_the_rest_unit_and_category_lists_cost_the_same_for_3_and_30_units(api, tree):
    several(3, lambda n: _unit_with_category(tree, n))()
    units = assert_flat(
        api.reader("unit-list"), several(27, lambda n: _unit_with_category(tree, n + 3)), at_most=4
    )
    assert len(units.json()) == 36
    categories = assert_flat(
        api.reader("category-list"),
        several(10, lambda n: _unit_with_category(tree, n + 30)),
        at_most=4,
    )
    assert len(categories.json()) == 40


def _declarations_in_two_states(tree: Tree, number: int) -> None:
    """In a unit of its own: a published declaration being edited again (two versions,
    one approved by a manager), and another one still in its first draft."""
    unit = make_unit(parent=tree.teknik, name=f"Enhet {number}")
    published = published_declaration(unit, valid_from=date(2026, 1, 1))
    version_new_draft(declaration=published.declaration, by=None)
    draft_declaration(unit, service_sv=f"Tjänst {number}")


def test_the_rest_declaration_list_costs_the_same_for_3_and_30_declarations(api, tree):
    several(3, lambda n: _declarations_in_two_states(tree, n))()
    response = assert_flat(
        api.reader("declaration-list", page_size=100),
        several(27, lambda n: _declarations_in_two_states(tree, n + 3)),
        at_most=5,
    )
    assert len(response.json()["results"]) == 60


def test_the_rest_follow_up_list_costs_the_same_for_3_and_30_periods(api, tree):
    qualitative = {"text_sv": "Vi är trevliga.", "text_en": "We are kind.", "kind": "qualitative"}
    version = published_declaration(
        tree.gata, promises=[ANSWER_PROMISE, qualitative], valid_from=date(2024, 1, 1)
    )
    declaration = version.declaration
    follow_up_declaration(declaration, today=date(2024, 3, 15))
    response = assert_flat(
        api.reader("declaration-follow-ups", declaration.pk, page_size=100),
        lambda: follow_up_declaration(declaration, today=date(2026, 4, 15)),
        at_most=5,
    )
    assert len(response.json()["results"]) >= 27


def _indicator(unit: Unit, number: int, **fields: Any) -> Indicator:
    indicator = Indicator.objects.create(
        unit=unit,
        code=f"k{number}",
        name_sv=f"Nyckeltal {number}",
        name_en=f"Key figure {number}",
        kind="result",
        source="manual",
        unit_of_measure="percent",
        **fields,
    )
    KpiTarget.objects.create(indicator=indicator, year=2026, value=Decimal(50))
    return indicator


def test_the_rest_indicator_list_costs_the_same_for_3_and_30_indicators(api, tree):
    def add(number: int) -> None:
        _indicator(make_unit(parent=tree.teknik, name=f"Enhet {number}"), number)

    several(3, add)()
    response = assert_flat(
        api.reader("indicator-list", page_size=100), several(27, lambda n: add(n + 3)), at_most=4
    )
    assert len(response.json()["results"]) == 30


def test_the_rest_kolada_list_costs_the_same_for_3_and_30_figures(api):
    def add(number: int) -> None:
        KoladaValue.objects.create(
            kpi=f"N{number:05d}", municipality="2580", year=2020 + number % 5, value=Decimal(1)
        )

    several(3, add)()
    response = assert_flat(
        api.reader("kolada-value-list", page_size=100), several(27, lambda n: add(n + 3)), at_most=3
    )
    assert len(response.json()["results"]) == 30


# --- Surveys' staff pages ----------------------------------------------------------------

TODAY = timezone.localdate()
AGES = [{"sv": "Ung", "en": "Young"}, {"sv": "Äldre", "en": "Older"}]


def _questions(survey: Survey, number: int) -> None:
    """A scale question in an area of its own, a background question and a free text."""
    area = Area.objects.create(survey=survey, name_sv=f"Område {number}", order=number)
    common = {"survey": survey, "order": number}
    Question.objects.create(
        area=area, kind="scale", scale_max=5, text_sv=f"Nöjd {number}?", **common
    )
    Question.objects.create(kind="single", options=AGES, text_sv=f"Ålder {number}", **common)
    Question.objects.create(kind="text", text_sv=f"Något mer {number}?", **common)


def _survey(unit: Unit, title: str = "Brukarenkät") -> Survey:
    survey = Survey.objects.create(unit=unit, title_sv=title, target_group_sv="Alla")
    _questions(survey, 0)
    return survey


def _round(survey: Survey, number: int) -> Round:
    opens = TODAY - timedelta(days=400 - number * 10)
    return round_create(
        survey=survey,
        name=f"Omgång {number}",
        opens_on=opens,
        closes_on=opens + timedelta(days=5),
        by=None,
    )


def _answer(round: Round, text: str = "") -> None:
    answers: dict[int, int | str | None] = {}
    for place in round.round_questions.select_related("question"):
        kind = place.question.kind
        answers[place.question_id] = (text or None) if kind == "text" else 1
    response_submit(round=round, answers=answers, channel="paper", today=round.opens_on)


@pytest.fixture
def runner(client, tree) -> User:
    user = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun)
    client.force_login(user)
    return user


def test_a_surveys_page_costs_the_same_for_3_and_30_rounds_questions_and_focus_groups(
    client, tree, runner
):
    survey = _survey(tree.hemtjanst)

    def grow(number: int) -> None:
        _answer(_round(survey, number))
        _questions(survey, number + 1)
        focus_group_record(
            unit=tree.hemtjanst,
            survey=survey,
            held_on=TODAY,
            target_group="Anhöriga",
            participants=6,
            summary="Bra.",
            by=runner,
        )

    several(3, grow)()
    response = assert_flat(
        lambda: client.get(en("surveys:staff-survey", survey.pk)),
        several(27, lambda n: grow(n + 3)),
        at_most=10,
    )
    assert len(response.context["rounds"]) == 30


def test_a_rounds_page_costs_the_same_for_3_and_30_questions_and_conclusions(client, tree, runner):
    survey = _survey(tree.hemtjanst)

    def conclude(round: Round, count: int) -> None:
        for number in range(count):
            conclusion_add(round=round, text=f"Slutsats {number}", actions="Gör", by=runner)

    previous = _round(survey, 0)
    conclude(previous, 3)
    rounds = [_round(survey, 1)]  # three questions, three conclusions of the round before
    conclude(rounds[-1], 3)

    def grow() -> None:
        """A round asking 30 questions, after one with 30 conclusions."""
        for number in range(1, 10):
            _questions(survey, number)
        conclude(rounds[-1], 27)
        rounds.append(_round(survey, 2))
        conclude(rounds[-1], 30)

    response = assert_flat(
        lambda: client.get(en("surveys:staff-round", rounds[-1].pk)), grow, at_most=13
    )
    page = response.context["page"]
    assert (len(page.questions), len(page.previous_conclusions)) == (30, 30)


def test_the_free_texts_cost_the_same_for_3_and_30_answers_with_themes_and_quotes(
    client, tree, runner
):
    survey = _survey(tree.hemtjanst)
    round = _round(survey, 0)

    def grow(number: int) -> None:
        _answer(round, text=f"Svar nummer {number}")
        answer = round.responses.latest("pk").texts.get()
        text_answer_tag(text_answer=answer, themes=[f"Tema {number}", "Mat"], by=runner)
        if number % 3 == 0:
            quote_publish(text_answer=answer, text=f"Citat {number}", by=runner)

    several(3, grow)()
    response = assert_flat(
        lambda: client.get(en("surveys:free-texts", round.pk)),
        several(27, lambda n: grow(n + 3)),
        at_most=10,
    )
    assert "Svar nummer 29" in response.content.decode()


def test_the_focus_groups_cost_the_same_for_3_and_30_groups(client, tree, runner):
    def grow(number: int) -> None:
        unit = make_unit(parent=(tree.teknik, tree.social)[number % 2], name=f"Enhet {number}")
        focus_group_record(
            unit=unit,
            survey=_survey(unit, f"Enkät {number}"),
            held_on=TODAY,
            target_group="Brukare",
            participants=5,
            summary=f"Grupp {number}",
            by=runner,
        )

    several(3, grow)()
    response = assert_flat(
        lambda: client.get(en("surveys:focus-groups")),
        several(27, lambda n: grow(n + 3)),
        at_most=8,
    )
    assert "Grupp 29" in response.content.decode()


# --- Improvement actions and the quality network -----------------------------------------


def test_the_improvement_action_list_costs_the_same_for_3_and_30_actions(client, tree):
    values = list(ServiceValue.objects.all())

    def grow(number: int) -> None:
        unit = make_unit(parent=(tree.teknik, tree.social)[number % 2], name=f"Enhet {number}")
        responsible = make_user(role=Role.UNIT_MANAGER, unit=unit, first_name=f"Ansvarig {number}")
        action = make_action(unit=unit, title=f"Åtgärd {number}", responsible=responsible)
        action.values.set(values[: number % (len(values) + 1)])

    several(3, grow)()
    client.force_login(make_user(role=Role.VIEWER, unit=tree.kommun))
    response = assert_flat(
        lambda: client.get(en("improvement:staff-list")),
        several(27, lambda n: grow(n + 3)),
        at_most=7,
    )
    assert "Åtgärd 29" in response.content.decode()


def test_you_said_we_did_costs_the_same_for_3_and_30_published_actions(client, tree):
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.kommun)

    def grow(number: int) -> None:
        unit = make_unit(parent=(tree.teknik, tree.social)[number % 2], name=f"Enhet {number}")
        action = make_action(unit=unit, title=f"Åtgärd {number}")
        for status in (Action.Status.DECIDED, Action.Status.IN_PROGRESS):
            action_set_status(action=action, status=status, by=manager)
        action_set_status(action=action, status=Action.Status.DONE, outcome="Klart", by=manager)
        text = f"Ni sa, vi gjorde {number}"
        action_publish(
            action=action, text_sv=text, text_en=f"You said, we did {number}", by=manager
        )

    several(3, grow)()
    response = assert_flat(
        cold(client, en("improvement:public-list")),
        several(27, lambda n: grow(n + 3)),
        at_most=3,
    )
    assert "You said, we did 29" in response.content.decode()


def test_the_networks_meetings_cost_the_same_for_3_and_30_meetings(client, tree):
    chair = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    member_add(user=chair, by=None, chair=True)

    def grow(number: int) -> None:
        owner = make_user(role=Role.CASE_HANDLER, unit=tree.hemtjanst, first_name=f"M {number}")
        member_add(user=owner, by=None)
        meeting = meeting_create(
            held_on=date(2024, 1, 1) + timedelta(days=number * 7), agenda="Agenda", by=chair
        )
        decision_add(meeting=meeting, text=f"Beslut {number}", by=chair)
        action_item_add(
            meeting=meeting,
            text=f"Uppgift {number}",
            owner=owner,
            due_on=date(2027, 1, 1) + timedelta(days=number),
            by=chair,
        )

    several(3, grow)()
    client.force_login(chair)
    response = assert_flat(
        lambda: client.get(en("network:home")), several(27, lambda n: grow(n + 3)), at_most=14
    )
    assert "Uppgift 29" in response.content.decode()


# --- The public pages, read cold (nothing cached) ----------------------------------------

OWN, RIKET = "2580", "0000"


@dataclass
class PublicScene:
    """Everything the public pages show, added one unit at a time: each gets a key figure
    with a target and a month measured, a published service declaration followed up, a
    survey round with a published question, feedback received and answered (one of it
    published as a story), and a Kolada comparison."""

    tree: Tree
    handler: User

    def add_unit(self, number: int, parent: Unit) -> Unit:
        unit = make_unit(parent=parent, name=f"Enhet {number}")
        self.add_figures(number, unit)
        self.add_survey(number, unit)
        return unit

    def add_figures(self, number: int, unit: Unit) -> None:
        """All but a survey (see `add_survey`)."""
        self._indicator(number, unit)
        published = published_declaration(
            unit,
            valid_from=TODAY - timedelta(days=200),
            service_sv=f"Tjänst {number}",
            service_en=f"Service {number}",
        )
        follow_up_declaration(published.declaration, today=TODAY)
        self._feedback(number, unit)

    def _indicator(self, number: int, unit: Unit) -> None:
        indicator = _indicator(unit, number, kolada_kpi=f"N{number:05d}")
        month = Period.containing(TODAY.replace(day=1) - timedelta(days=1), PeriodKind.MONTH)
        Measurement.objects.create(
            indicator=indicator,
            unit=unit,
            period=month.code,
            period_start=month.start,
            period_end=month.end,
            value=Decimal(60),
            n=40,
            source="manual",
        )
        KoladaKpi.objects.create(id=f"N{number:05d}", title=f"Kolada {number}")
        for year in range(TODAY.year - 4, TODAY.year):
            for place in (OWN, RIKET, "1480"):
                KoladaValue.objects.create(
                    kpi=f"N{number:05d}", municipality=place, year=year, value=Decimal(number)
                )

    def add_survey(self, number: int, unit: Unit) -> None:
        survey = _survey(unit, f"Enkät {number}")
        round = _round(survey, 0)
        for place in round.round_questions.exclude(question__kind="text"):
            round_question_publish(round_question=place, public=True, by=None)
        for _respondent in range(6):
            _answer(round, text="Tack")

    def _feedback(self, number: int, unit: Unit) -> None:
        for days in (40, 70):
            case = make_case(
                unit=unit, kind="praise", received_at=days_ago(days), at=days_ago(days)
            )
            case_close(case=case, outcome="answered", by=self.handler, at=days_ago(days - 2))
        case_publish(case=case, summary=f"Beröm {number}", answer="Tack", by=self.handler)


@pytest.fixture
def public(tree, settings) -> PublicScene:
    settings.SERVICENAV_KOLADA_MUNICIPALITY = OWN
    settings.SERVICENAV_KOLADA_GROUP = "G1"
    KoladaGroup.objects.create(id="G1", title="Liknande kommuner", members=[OWN, "1480"])
    return PublicScene(tree, make_user(role=Role.CASE_HANDLER, unit=tree.kommun))


def _recount() -> None:
    feedback_statistics_compute(today=TODAY)


def test_the_start_page_costs_the_same_for_3_and_30_administrations(client, tree, public):
    def grow(number: int) -> None:
        administration = make_unit(parent=tree.kommun, name=f"Förv {number}", kind="forvaltning")
        public.add_figures(number, administration)
        public.add_survey(number, administration)
        public.add_unit(number + 100, administration)
        _recount()

    several(1, grow)()  # with Teknik and Social, three administrations
    response = assert_flat(
        cold(client, en("public:overview")), several(27, lambda n: grow(n + 1)), at_most=14
    )
    assert "Förv 27" in response.content.decode()


def test_a_unit_page_costs_the_same_for_3_and_30_figures_promises_stories_and_units(
    client, tree, public
):
    def grow(number: int) -> None:
        public.add_figures(number, tree.gata)
        public.add_unit(number + 100, tree.gata)
        _recount()

    several(3, grow)()
    response = assert_flat(
        cold(client, en("public:unit", tree.gata.slug)),
        several(27, lambda n: grow(n + 3)),
        at_most=20,
    )
    assert "Service 29" in response.content.decode()


def test_a_unit_page_costs_the_same_for_3_and_30_surveys(client, tree, public):
    several(3, lambda n: public.add_survey(n, tree.gata))()
    response = assert_flat(
        cold(client, en("public:unit", tree.gata.slug)),
        several(27, lambda n: public.add_survey(n + 3, tree.gata)),
        at_most=12,
    )
    assert "Enkät 29" in response.content.decode()


def test_the_compare_page_costs_the_same_for_3_and_30_linked_key_figures(client, tree, public):
    def grow(number: int) -> None:
        public.add_figures(number, tree.gata)

    several(3, grow)()
    response = assert_flat(
        cold(client, en("public:compare"), {"kpi": "N00001"}),
        several(27, lambda n: grow(n + 3)),
        at_most=6,
    )
    assert "N00029" in response.content.decode()


def test_the_feedback_statistics_cost_the_same_for_3_and_30_units(client, tree, public):
    def grow(number: int) -> None:
        public.add_unit(number, tree.teknik)
        _recount()

    several(3, grow)()
    response = assert_flat(
        cold(client, en("public:feedback-statistics")),
        several(27, lambda n: grow(n + 3)),
        at_most=6,
    )
    assert "Enhet 29" in response.content.decode()


def test_the_open_data_page_costs_the_same_for_3_and_30_units(client, tree, public):
    several(3, lambda n: public.add_unit(n, tree.teknik))()
    assert_flat(
        cold(client, en("public:open-data")),
        several(27, lambda n: public.add_unit(n + 3, tree.teknik)),
        at_most=1,
    )
