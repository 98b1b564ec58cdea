"""Who gets what: every staff page, admin page and staff REST endpoint, asked by every role
of one unit about that unit's objects and about another unit's, and by an anonymous visitor.

The expected answer of every cell is written down in MATRIX below, one row per URL name.
A URL name that is in neither MATRIX nor PUBLIC fails the suite, so a new endpoint cannot
ship without someone deciding who may use it.

The world: two top units, each with a unit below it holding one object of every kind (case
with attachment, declaration, survey and round, indicator, improvement action, good example,
category); one user per role at the top of the own unit (so its administrator is a global
administrator); the quality network's meeting, action item, report and directive, which
belong to no unit. Staff pages are asked signed in, the REST API with each role's key.

Each request runs in a transaction that is rolled back, so the cells do not depend on each
other and the data is built once for the module. A refused POST must leave every table's row
count and the audit log as they were; every page that answers 200 must not show the other
unit's objects (their texts carry CANARY).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from servicenav.api.services import api_key_create
from servicenav.cases.attachments import attachment_store
from servicenav.cases.models import Category
from servicenav.core.periods import Period
from servicenav.declarations.tests.factories import draft_declaration
from servicenav.improvement.services import good_example_create
from servicenav.improvement.tests.factories import make_action
from servicenav.kpis.services import indicator_create
from servicenav.network.services import (
    action_item_add,
    directive_adopt,
    meeting_create,
    member_add,
    report_create,
)
from servicenav.organisation.models import Role, RoleAssignment
from servicenav.surveys.models import Question, Survey
from servicenav.surveys.services import round_create
from servicenav.testing import make_case, make_unit, make_user

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.test.client import _MonkeyPatchedWSGIResponse as HttpResponse

    from servicenav.organisation.models import Unit, User

# The order of the five answers in every cell string of MATRIX.
ROLES = (
    Role.ADMINISTRATOR,
    Role.QUALITY_COORDINATOR,
    Role.UNIT_MANAGER,
    Role.CASE_HANDLER,
    Role.VIEWER,
)
# Written into every text of the other unit's objects; no page may show it to our staff.
CANARY = "KANARIEFAGEL"
OUR_APPS = {
    "organisation",
    "core",
    "cases",
    "api",
    "declarations",
    "surveys",
    "kpis",
    "improvement",
    "public",
    "network",
}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class Row:
    """What each role gets from one URL.

    `own` and `other` hold five answers in ROLES order: for the own unit's object (or, for
    a URL that names no object, the page itself) and for the other unit's object. An answer
    is a status code, or "login" for a redirect to a login page. `target` names the object
    kind whose URL arguments are used; `args` are fixed arguments. POST rows send `data`
    (a form, or JSON to the REST API); most send none, so those let through the gate get
    400 and the cells that matter are the refusals. `leak` marks a known leak that another
    part of the project owns: the row is an expected failure until fixed.
    """

    own: str
    other: str = ""
    anon: str = "login"
    target: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    leak: str = ""
    sees_all: str = ""  # why every unit's data may show on this page, when it may


# Shorthands for the most common rows of five.
ALL = "200 200 200 200 200"
HIDDEN = "404 404 404 404 404"
NETWORK = "200 200 403 403 403"
NETWORK_POST = "400 400 403 403 403"
ADMIN = "200 login login login login"
NOT_ADMIN = "login login login login"


def admin_rows(
    app: str, model: str, answers: str, *, target: str = "", sees_all: str = ""
) -> dict[str, Row]:
    """The five admin pages of one model: `answers` are the administrator's, in the order
    changelist, add, change, history, delete; everyone else is sent to log in. With
    `target`, the last three are "own/other": for an object of each unit. Without, they are
    asked about an object that does not exist (the admin redirects to its index)."""
    pages = ("changelist", "add", "change", "history", "delete")
    rows = {}
    for page, answer in zip(pages, answers.split(), strict=True):
        own, _, other = answer.partition("/")
        rows[f"admin:{app}_{model}_{page}"] = Row(
            f"{own} {NOT_ADMIN}",
            f"{other} {NOT_ADMIN}" if other else "",
            target=target if other else "",
            args={} if other or page in ("changelist", "add") else {"object_id": "0"},
            sees_all=sees_all,
        )
    return rows


MATRIX: dict[str, Row] = {
    # organisation, core and the account pages
    "organisation:staff-home": Row(ALL),
    "organisation:unit-detail": Row(ALL, HIDDEN, target="unit"),
    # Everyone reads the log of the units where they may (an empty page for handlers and
    # viewers); a global administrator reads all of it.
    "core:audit-log": Row(ALL, sees_all="a global administrator reads the whole audit log"),
    "password_change": Row(ALL),
    "password_change_done": Row(ALL),
    # cases
    "cases:inbox": Row(ALL),
    "cases:register": Row("200 200 200 200 403"),
    "cases:register-extract": Row("200 200 200 200 403"),
    "cases:case": Row(ALL, HIDDEN, target="case"),
    "cases:attachment": Row(ALL, HIDDEN, target="attachment"),
    "cases:case-action": Row(
        "302 302 302 302 403", HIDDEN, target="case", args={"action": "kvittera"}, method="post"
    ),
    # declarations
    "declarations:staff-list": Row(ALL),
    "declarations:staff-create": Row("200 200 200 403 403"),
    "declarations:staff-detail": Row(ALL, HIDDEN, target="declaration"),
    "declarations:staff-edit": Row("200 200 200 403 403", HIDDEN, target="declaration"),
    "declarations:staff-follow-up": Row(ALL, HIDDEN, target="declaration"),
    "declarations:staff-action": Row(
        "302 302 302 403 403",
        HIDDEN,
        target="declaration",
        args={"action": "submit"},
        method="post",
    ),
    # surveys
    "surveys:staff-list": Row(ALL),
    "surveys:focus-groups": Row(ALL),
    "surveys:staff-survey": Row(ALL, HIDDEN, target="survey"),
    "surveys:staff-round": Row(ALL, HIDDEN, target="round"),
    "surveys:analysis": Row(ALL, HIDDEN, target="round"),
    "surveys:analysis-export": Row(ALL, HIDDEN, target="round", args={"fmt": "csv"}),
    "surveys:invitations": Row("400 400 400 403 403", HIDDEN, target="round", method="post"),
    "surveys:paper": Row("200 200 200 403 403", HIDDEN, target="round"),
    "surveys:free-texts": Row(ALL, HIDDEN, target="round"),
    "surveys:export": Row(ALL, HIDDEN, target="round", args={"fmt": "csv"}),
    # key performance indicators
    "kpis:staff-list": Row(ALL),
    "kpis:staff-create": Row("200 200 200 403 403"),
    "kpis:staff-detail": Row(ALL, HIDDEN, target="indicator"),
    "kpis:staff-edit": Row("200 200 200 403 403", HIDDEN, target="indicator"),
    "kpis:staff-active": Row("400 400 400 403 403", HIDDEN, target="indicator", method="post"),
    "kpis:staff-target": Row("400 400 400 403 403", HIDDEN, target="indicator", method="post"),
    "kpis:measurement-enter": Row("200 200 200 403 403", HIDDEN, target="indicator"),
    "kpis:measurement-import": Row("200 200 200 403 403", HIDDEN, target="indicator"),
    # improvement
    "improvement:staff-list": Row(ALL),
    # The form offers only the units where the person may propose; the service refuses
    # the rest (improvement/tests).
    "improvement:staff-create": Row(ALL),
    "improvement:unactioned": Row(ALL),
    "improvement:themes": Row(ALL),
    "improvement:examples": Row(ALL),
    "improvement:example-create": Row(ALL),
    # Every member of staff reads every unit's good examples; only deciders of its unit edit one.
    "improvement:example-edit": Row("200 200 200 403 403", "403 403 403 403 403", target="example"),
    "improvement:case-themes": Row("200 200 200 200 403", HIDDEN, target="case"),
    "improvement:answer-themes": Row("200 200 200 403 403", HIDDEN, target="round"),
    "improvement:staff-detail": Row(ALL, HIDDEN, target="action"),
    "improvement:staff-edit": Row("200 200 200 200 403", HIDDEN, target="action"),
    # Deciding on a proposed action commits the unit: not for case handlers.
    "improvement:staff-status": Row(
        "302 302 302 403 403",
        HIDDEN,
        target="action",
        method="post",
        data={"status": "decided"},
    ),
    "improvement:staff-update": Row("400 400 400 400 403", HIDDEN, target="action", method="post"),
    "improvement:staff-link": Row("400 400 400 400 403", HIDDEN, target="action", method="post"),
    "improvement:staff-unlink": Row(
        "302 302 302 302 403", HIDDEN, target="action_case", method="post"
    ),
    "improvement:staff-source": Row("400 400 400 400 403", HIDDEN, target="action", method="post"),
    "improvement:staff-publish": Row("400 400 400 403 403", HIDDEN, target="action", method="post"),
    "improvement:example-from-action": Row(
        "400 400 400 403 403", HIDDEN, target="action", method="post"
    ),
    # the quality network; its things belong to no unit, so there is no "other" column.
    # POSTs carry no form: 400 for those let through the gate.
    "network:home": Row(NETWORK),
    # An invalid choice of member is said on the network's page (a redirect).
    "network:members": Row("302 302 403 403 403", args={"action": "add"}, method="post"),
    "network:directive": Row(NETWORK),
    "network:directive-new": Row("403 200 403 403 403"),
    "network:directive-version": Row(NETWORK, target="directive"),
    "network:meeting-create": Row(NETWORK),
    "network:meeting": Row(NETWORK, target="meeting"),
    "network:action-item-status": Row(NETWORK_POST, target="action_item", method="post"),
    "network:report-create": Row(NETWORK_POST, method="post"),
    "network:report": Row(NETWORK, target="report"),
    # A report without a summary is not finalised: said on the report's page (a redirect).
    "network:report-finalise": Row("302 302 403 403 403", target="report", method="post"),
    "network:report-pdf": Row(NETWORK, target="report_pdf"),
    # the staff REST API: a key acts as its owner; no key is 401
    "rest:case-list": Row(ALL, anon="401"),
    "rest:case-detail": Row(ALL, HIDDEN, anon="401", target="case"),
    **{
        f"rest:case-{action}": Row(
            "201 201 201 201 403",
            HIDDEN,
            anon="401",
            target="case",
            method="post",
            data={"text": "Tack, vi tittar på det."},
        )
        for action in ("reply", "notes")
    },
    **{
        f"rest:case-{action}": Row(
            "400 400 400 400 403", HIDDEN, anon="401", target="case", method="post"
        )
        for action in ("status", "assign", "move")
    },
    "rest:unit-list": Row(ALL, anon="401"),
    "rest:category-list": Row(ALL, anon="401"),
    "rest:declaration-list": Row(ALL, anon="401"),
    "rest:declaration-detail": Row(ALL, HIDDEN, anon="401", target="declaration"),
    "rest:declaration-follow-ups": Row(ALL, HIDDEN, anon="401", target="declaration"),
    "rest:indicator-list": Row(ALL, anon="401"),
    "rest:indicator-detail": Row(ALL, HIDDEN, anon="401", target="indicator"),
    "rest:measurement-list": Row(ALL, anon="401"),
    "rest:kolada-value-list": Row(ALL, anon="401"),
    # the admin site: administrators only; a unit administrator sees their units' rows
    "admin:index": Row(ADMIN),
    # Logging out is a POST; a GET sends everyone but administrators to the admin's index.
    "admin:logout": Row("405 302 302 302 302", anon="302"),
    "admin:password_change": Row(ADMIN),
    "admin:password_change_done": Row(ADMIN),
    "admin:autocomplete": Row(f"403 {NOT_ADMIN}"),
    "admin:jsi18n": Row(ADMIN),
    "admin:app_list": Row(ADMIN, args={"app_label": "cases"}),
    "admin:view_on_site": Row(f"404 {NOT_ADMIN}", args={"content_type_id": 1, "object_id": "1"}),
    "admin:auth_user_password_change": Row(ADMIN, ADMIN, target="admin_user_id"),
    # A global administrator (of a top unit) manages every account; rows of a unit are
    # limited to the units the administrator administers: the other unit's are "not found"
    # (302 to the index). Units and surveys are deactivated, never deleted (403).
    **admin_rows("organisation", "user", "200 200 200/200 200/200 200/200", target="admin_user"),
    **admin_rows("organisation", "unit", "200 200 200/302 200/302 403/403", target="admin_unit"),
    **admin_rows(
        "organisation", "roleassignment", "200 200 200/302 200/302 200/302", target="admin_role"
    ),
    **admin_rows("cases", "category", "200 200 200/302 200/302 403/403", target="category"),
    **admin_rows("surveys", "survey", "200 200 200/302 200/302 403/302", target="admin_survey"),
    **admin_rows("organisation", "servicevalue", "200 200 302 302 302"),
    **admin_rows("core", "closedday", "200 200 302 302 302"),
    **admin_rows("cases", "deadlinerule", "200 200 302 302 302"),
    **admin_rows("cases", "answertemplate", "200 200 302 302 302"),
    **admin_rows("surveys", "focusgroup", "200 200 302 302 302"),
    **admin_rows("kpis", "indicatorlimit", "200 200 302 302 302"),
    **admin_rows("improvement", "action", "200 403 200/302 200/302 403/403", target="admin_action"),
    **admin_rows(
        "improvement", "goodexample", "200 403 200/302 200/302 200/302", target="admin_example"
    ),
    **admin_rows("improvement", "actionnotification", "200 403 302 302 403"),
    **admin_rows("improvement", "theme", "200 200 302 302 403"),
    # The network belongs to no unit: global administrators only, mostly read-only.
    **admin_rows("network", "member", "200 403 302 302 403"),
    **admin_rows("network", "directiveversion", "200 403 302 302 403"),
    **admin_rows("network", "meeting", "200 200 302 302 403"),
    **admin_rows("network", "actionitem", "200 403 302 302 403"),
    **admin_rows("network", "actionreminder", "200 403 302 302 403"),
    **admin_rows("network", "report", "200 403 302 302 302"),
    # API keys are revoked, never deleted; the audit log and the outbox are read-only.
    **admin_rows("api", "apikey", "200 200 302 302 403"),
    **admin_rows(
        "core",
        "auditentry",
        "200 403 302 302 403",
        sees_all="a global administrator reads the whole audit log",
    ),
    **admin_rows("core", "outgoingemail", "200 403 302 302 403"),
    # Registered by libraries with Django's own permissions, which no account here holds.
    **admin_rows("auth", "group", "403 403 403 302 403"),
    **admin_rows("django_tasks_database", "dbtaskresult", "403 403 403 302 403"),
    **admin_rows("axes", "accessattempt", "403 403 403 302 403"),
    **admin_rows("axes", "accesslog", "403 403 403 302 403"),
    **admin_rows("axes", "accessfailurelog", "403 403 403 302 403"),
}


# URL names anyone may use, signed in or not: the citizen's side, open data, Open311 (its
# own keys, tested in api/tests), signing in, and the API's description.
PUBLIC = {
    "core:home",
    "core:accessibility",
    "core:privacy",
    "cases:submit",
    "cases:receipt",
    "cases:follow",
    "cases:published",
    "cases:public-case",
    "cases:public-message",
    "cases:public-reopen",
    "declarations:list",
    "declarations:detail",
    "declarations:version",
    "surveys:code",
    "surveys:answer",
    "surveys:thanks",
    "improvement:public-list",
    "public:feedback-statistics",
    "public:open-data",
    "public:overview",
    "public:compare",
    "public:unit",
    "opendata:dictionary",
    "opendata:catalogue",
    "opendata:catalogue-jsonld",
    "opendata:catalogue-rdf",
    "opendata:file",
    "open311:discovery",
    "open311:services",
    "open311:service",
    "open311:requests",
    "open311:request",
    "open311:token",
    "open311:updates",
    "open311:not-found",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "admin:login",
    # The OpenAPI schema and its viewer describe the API and hold no data.
    "rest:schema",
    "rest:docs",
}


# The world the matrix is asked about


@dataclass
class World:
    clients: dict[str, Client]  # by role, "api:<role>" and "anonymous"
    # object kind → {"own": URL arguments, "other": URL arguments}
    targets: dict[str, dict[str, dict[str, Any]]]


def _two_units() -> tuple[Unit, Unit]:
    own_top = make_unit(name="Egen förvaltning")
    other_top = make_unit(name="Annan förvaltning")
    own = make_unit(name="Egen enhet", parent=own_top)
    other = make_unit(name="Annan enhet", parent=other_top)
    return own, other


def _survey(unit: Unit, title: str) -> Survey:
    survey = Survey.objects.create(
        unit=unit, title_sv=title, title_en=title, target_group_sv="Alla", target_group_en="All"
    )
    Question.objects.create(
        survey=survey, kind=Question.Kind.TEXT, text_sv=title, text_en=title, order=1
    )
    return survey


def _indicator(unit: Unit, label: str) -> Any:
    return indicator_create(
        unit=unit,
        by=None,
        code=f"svar-{unit.pk}",
        name_sv=label,
        name_en=label,
        kind="lead_time",
        definition_sv=label,
        source="cases",
        statistic="share_answered_within",
        params={"limit_days": 10},
        unit_of_measure="percent",
    )


def _unit_objects(unit: Unit, label: str) -> dict[str, dict[str, Any]]:
    """One object of each kind in `unit`, every text carrying `label`."""
    case = make_case(unit=unit, text=f"{label} halt på trottoaren", reporter_name=label)
    attachment = attachment_store(
        case=case, upload=SimpleUploadedFile("brev.pdf", PDF, "application/pdf")
    )
    declaration = draft_declaration(unit, service_sv=label, service_en=label).declaration
    survey = _survey(unit, label)
    today = timezone.localdate()
    round = round_create(
        survey=survey, name=label, opens_on=today - timedelta(days=5), closes_on=today, by=None
    )
    action = make_action(unit=unit, title=label)
    category = Category.objects.create(unit=unit, name_sv=label, name_en=label)
    # Good examples are for learning across units: every member of staff reads them all,
    # so their texts carry no canary.
    example = good_example_create(
        title=f"Exempel från {unit.name}", text="Bättre skyltar.", unit=unit, by=None
    )
    return {
        "case": {"pk": case.pk},
        "attachment": {"pk": case.pk, "token": attachment.token},
        "declaration": {"pk": declaration.pk},
        "survey": {"pk": survey.pk},
        "round": {"pk": round.pk},
        "indicator": {"pk": _indicator(unit, label).pk},
        "action": {"pk": action.pk},
        "action_case": {"pk": action.pk, "case_pk": case.pk},
        "example": {"pk": example.pk},
        "admin_action": {"object_id": action.pk},
        "admin_example": {"object_id": example.pk},
        "unit": {"pk": unit.pk},
        "category": {"object_id": category.pk},
        "admin_survey": {"object_id": survey.pk},
        "admin_unit": {"object_id": unit.pk},
    }


def _network_objects(chair: User) -> dict[str, dict[str, Any]]:
    """The quality network's things belong to no unit: the same for both columns."""
    member_add(user=chair, chair=True, by=None)
    directive_adopt(text="Direktiv", adopted_on=date(2026, 1, 1), adopted_by="KS", by=None)
    meeting = meeting_create(held_on=date(2026, 3, 4), agenda="1. Start", by=None)
    item = action_item_add(
        meeting=meeting, text="Gör", owner=chair, due_on=date(2026, 4, 1), by=None
    )
    report = report_create(period=Period.parse("2026-T1"), by=None, today=date(2026, 6, 1))
    kinds = {
        "meeting": {"pk": meeting.pk},
        "action_item": {"pk": item.pk},
        "report": {"pk": report.pk},
        "report_pdf": {"pk": report.pk, "language": "sv"},
        "directive": {"number": 1},
    }
    return {kind: {"own": args, "other": args} for kind, args in kinds.items()}


def build_world() -> World:
    own, other = _two_units()
    own_top = own.parent
    assert own_top is not None
    users = {role: make_user(role=role, unit=own_top) for role in ROLES}
    api_keys = {
        role: api_key_create(name=role, by=None, user=user)[1] for role, user in users.items()
    }
    mine, theirs = _unit_objects(own, "Egen"), _unit_objects(other, CANARY)
    targets = {kind: {"own": mine[kind], "other": theirs[kind]} for kind in mine}
    # A network chair outside both units, so that no role below gets in as a member.
    chair = make_user(role=Role.CASE_HANDLER, unit=make_unit(name="Nätverk"))
    targets |= _network_objects(chair)
    user = users[Role.VIEWER]
    targets["admin_user"] = {"own": {"object_id": user.pk}, "other": {"object_id": chair.pk}}
    targets["admin_user_id"] = {"own": {"id": user.pk}, "other": {"id": chair.pk}}
    grants = {grant.user_id: grant.pk for grant in RoleAssignment.objects.all()}
    targets["admin_role"] = {
        "own": {"object_id": grants[user.pk]},
        "other": {"object_id": grants[chair.pk]},
    }
    return World(clients=signed_in_clients(users, api_keys), targets=targets)


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# Asking


@dataclass(frozen=True)
class Cell:
    who: str  # a role, or "anonymous"
    relation: str  # "own" or "other"
    expected: str


def cells(row: Row) -> list[Cell]:
    found = [Cell("anonymous", "own", row.anon)]
    for relation, answers in (("own", row.own), ("other", row.other)):
        codes = answers.split()
        assert not answers or len(codes) == len(ROLES), f"five answers in {answers!r}"
        found += [Cell(role, relation, code) for role, code in zip(ROLES, codes, strict=False)]
    return found


def signed_in_clients(users: dict[Role, User], api_keys: dict[Role, str]) -> dict[str, Client]:
    """A client per role for pages (signed in) and for the API (with the role's key),
    signed in once for the module."""
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
        clients[f"api:{role}"] = Client(headers={"Authorization": f"Bearer {api_keys[role]}"})
    return clients


def answer(response: HttpResponse) -> str:
    if response.status_code == 302:
        location = response["Location"].split("?")[0]
        if location in (reverse("login"), reverse("admin:login")):
            return "login"
    return str(response.status_code)


def send(client: Client, name: str, row: Row, url: str) -> HttpResponse:
    if row.method == "get":
        return client.get(url)
    if name.startswith("rest:"):
        return client.post(url, json.dumps(row.data), content_type="application/json")
    return client.post(url, row.data)


def row_counts() -> tuple[int, ...]:
    """How many rows each of our tables holds, in one query: a refused POST changes none."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model._meta.managed
    )
    quote = connection.ops.quote_name
    # Table names come from our own models, quoted: nothing from outside goes in.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


def ask(name: str, row: Row, cell: Cell, world: World) -> tuple[str, list[str]]:
    """Ask one cell: the answer, and what else went wrong (a refused POST that changed
    something, a page showing the other unit's data)."""
    api = name.startswith("rest:") and cell.who != "anonymous"
    client = world.clients[f"api:{cell.who}" if api else cell.who]
    kwargs = world.targets.get(row.target, {}).get(cell.relation, {})
    url = reverse(name, kwargs={**kwargs, **row.args})
    refused = cell.expected not in ("200", "201", "302", "400")
    with transaction.atomic():
        before = row_counts() if row.method == "post" and refused else None
        response = send(client, name, row, url)
        changed = before is not None and row_counts() != before
        transaction.set_rollback(True)
    got = answer(response)
    problems = []
    if changed:
        problems.append(f"{cell.who} / {cell.relation}: a refused POST changed the database")
    shown = got == "200" and not response.streaming and CANARY.encode() in response.content
    if shown and not row.sees_all:
        problems.append(f"{cell.who} / {cell.relation}: shows the other unit's data")
    return got, problems


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_cell_of_the_matrix_answers_as_written(name: str, world: World) -> None:
    row = MATRIX[name]
    if row.leak:
        pytest.xfail(row.leak)
    answers: dict[tuple[str, str], str] = {}
    problems: list[str] = []
    for cell in cells(row):
        answers[cell.who, cell.relation], trouble = ask(name, row, cell, world)
        problems += trouble

    def written(relation: str) -> str:
        return " ".join(answers[role, relation] for role in ROLES if (role, relation) in answers)

    expected = (row.own, row.other, row.anon)
    got = (written("own"), written("other"), answers["anonymous", "own"])
    assert got == expected, f"{name}: the matrix says {expected}, the app answers {got}"
    assert not problems, "\n".join(problems)


# Choosing the other unit in a form or a filter


def _register_data(unit_pk: int) -> dict[str, Any]:
    return {
        "channel": "phone",
        "received_at": "2026-01-05T10:00",
        "kind": "complaint",
        "unit": unit_pk,
        "text": "Ringde om gatlyset.",
        "language": "sv",
        "submission_token": str(uuid.uuid4()),
    }


def _action_data(unit_pk: int) -> dict[str, Any]:
    return {"unit": unit_pk, "title": "Nya skyltar", "description": "Vid entrén."}


# URL name → the form's data for a unit. The own unit's data is accepted (so the data is
# otherwise valid), the other unit's is refused with nothing stored.
CREATE_FORMS = {
    "cases:register": _register_data,
    "improvement:staff-create": _action_data,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CREATE_FORMS))
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.CASE_HANDLER])
def test_a_create_form_refuses_a_unit_the_person_has_no_role_for(
    name: str, role: str, world: World
) -> None:
    client, url = world.clients[role], reverse(name)
    units = world.targets["unit"]
    with transaction.atomic():
        accepted = client.post(url, CREATE_FORMS[name](units["own"]["pk"])).status_code
        transaction.set_rollback(True)
    with transaction.atomic():
        before = row_counts()
        refused = client.post(url, CREATE_FORMS[name](units["other"]["pk"])).status_code
        unchanged = row_counts() == before
        transaction.set_rollback(True)
    assert (accepted, refused, unchanged) == (302, 400, True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_filtering_by_the_other_unit_shows_none_of_its_cases(role: str, world: World) -> None:
    other = world.targets["unit"]["other"]["pk"]
    page = world.clients[role].get(reverse("cases:inbox"), {"enhet": other})
    api = world.clients[f"api:{role}"].get(reverse("rest:case-list"), {"unit": other})
    assert CANARY.encode() not in page.content
    assert api.status_code == 400
    assert CANARY.encode() not in api.content


# Completeness


def url_patterns(
    patterns: list[Any], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """(name, route) of every URL pattern, names namespaced as `reverse` takes them."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            space = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from url_patterns(pattern.url_patterns, space, route)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, route


def test_every_url_has_a_row_or_is_declared_public() -> None:
    found = dict(url_patterns(get_resolver().url_patterns))
    # The admin's unnamed patterns only redirect to named ones (an object's change page).
    unnamed = {name for name in found if name == "admin:None"}
    missing = set(found) - set(MATRIX) - PUBLIC - unnamed
    assert not missing, f"URLs nobody decided about (add a row to MATRIX): {sorted(missing)}"
    assert not set(MATRIX) & PUBLIC, "a URL is both in MATRIX and PUBLIC"
    assert not (set(MATRIX) | PUBLIC) - set(found), "rows for URLs that no longer exist"


def test_no_staff_address_is_declared_public() -> None:
    staff = ("personal/", "api/v1/")
    public = {
        name: route
        for name, route in url_patterns(get_resolver().url_patterns)
        if name in PUBLIC and name not in ("rest:schema", "rest:docs")
    }
    assert not [name for name, route in public.items() if route.startswith(staff)]
