"""Cases through the REST API: a key reads and changes exactly what its owner may in the
browser, through the same gate and services, so the history and the audit log name the
owner. Another unit's cases are 404, a viewer's actions 403, bad input 400, never a 500."""

from __future__ import annotations

import email
from datetime import datetime, timedelta
from email import policy
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from servicenav.api.services import api_key_create
from servicenav.cases.models import Case, CaseEvent, Category, Status
from servicenav.cases.services import case_assign, case_close, case_note, case_wait
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

CITIZEN_EMAIL = "maja@example.org"
ACTIONS = {
    "case-reply": {"text": "Vi sandar i dag."},
    "case-notes": {"text": "Ring entreprenören."},
    "case-status": {"action": "start"},
    "case-assign": {"handler": None},
    "case-move": {"unit": None, "reason": "Fel enhet."},
}


class Api:
    """A client that sends one staff key with every request, as JSON."""

    def __init__(self, client, user) -> None:
        self.client, self.user = client, user
        _api_key, key = api_key_create(name=f"Nyckel för {user.username}", user=user, by=None)
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, name: str, *args: object, **params: object):
        return self.client.get(reverse(f"rest:{name}", args=args), params, headers=self.headers)

    def post(self, name: str, case: Case, body: object):
        return self.client.post(
            reverse(f"rest:{name}", args=[case.pk]),
            body,
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Hedda")


@pytest.fixture
def api(client, handler) -> Api:
    return Api(client, handler)


@pytest.fixture
def outsider_api(client, tree) -> Api:
    """A handler of Hemtjänst, who has no business with Gata's cases."""
    return Api(client, make_user(role=Role.CASE_HANDLER, unit=tree.hemtjanst))


@pytest.fixture
def case(tree) -> Case:
    return make_case(
        unit=tree.gata,
        text="Det är halt vid skolan.",
        reporter_name="Maja Nilsson",
        reporter_email=CITIZEN_EMAIL,
        reporter_phone="070-123 45 67",
        wants_answer=True,
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def audited_as(case: Case, user) -> list[dict]:
    entries = AuditEntry.objects.filter(object_id=str(case.pk), actor=user)
    return [entry.changes for entry in entries]


# --- Reading -------------------------------------------------------------------------


def test_the_list_holds_the_cases_of_the_keys_units_and_no_others(api, tree, case):
    vatten = make_case(unit=tree.vatten)
    hemtjanst = make_case(unit=tree.hemtjanst)
    listed = ids(api.get("case-list"))
    assert case.pk in listed
    assert vatten.pk not in listed
    assert hemtjanst.pk not in listed


def test_the_list_is_newest_first_and_shows_what_the_inbox_shows(api, tree, handler):
    now = timezone.now()
    older = make_case(unit=tree.gata, received_at=now - timedelta(days=3))
    newer = make_case(unit=tree.gata, received_at=now - timedelta(days=1))
    case_assign(case=newer, to=handler, by=handler)
    response = api.get("case-list")
    first = response.json()["results"][0]
    assert ids(response) == [newer.pk, older.pk]
    assert first["reference"] == newer.reference
    assert first["unit"] == {"id": tree.gata.pk, "name": "Gata"}
    assert first["assigned_to"]["id"] == handler.pk
    assert first["is_overdue"] is False


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "closed"}, {"closed"}),
        ({"status": "new"}, {"new", "question", "late"}),
        ({"status": "open"}, {"new", "question", "phone", "mine", "late"}),
        ({"kind": "question"}, {"question"}),
        ({"channel": "phone"}, {"phone"}),
        ({"assigned_to_me": "true"}, {"mine"}),
        ({"overdue": "true"}, {"late"}),
        ({"q": "GRUSET"}, {"new"}),
        ({"received_before": "2020-01-31"}, {"late"}),
        ({"received_after": "2020-02-01"}, {"new", "closed", "question", "phone", "mine"}),
        ({"q": ""}, {"new", "closed", "question", "phone", "mine", "late"}),
    ],
)
def test_the_list_narrows_with_the_inbox_filters(api, tree, handler, params, expected):
    at = datetime(2020, 1, 15, 12, tzinfo=ZoneInfo("Europe/Stockholm"))
    cases = {
        "new": make_case(unit=tree.gata, text="Gruset ligger kvar."),
        "closed": make_case(unit=tree.gata),
        "question": make_case(unit=tree.gata, kind="question"),
        "phone": make_case(unit=tree.gata, channel="phone"),
        "mine": make_case(unit=tree.gata),
        "late": make_case(unit=tree.gata, received_at=at, at=at),
    }
    case_close(case=cases["closed"], outcome="answered", by=handler)
    case_assign(case=cases["mine"], to=handler, by=handler)
    for waiting in ("phone", "mine"):
        case_wait(case=cases[waiting], reason="Ett foto.", by=handler)
    names = {case.pk: name for name, case in cases.items()}
    assert {names[pk] for pk in ids(api.get("case-list", **params))} == expected


def test_the_list_narrows_to_a_unit_and_below_and_to_a_category(client, tree):
    api = Api(client, make_user(role=Role.CASE_HANDLER, unit=tree.teknik))
    category = Category.objects.create(unit=tree.gata, name_sv="Snö", name_en="Snow")
    in_gata = make_case(unit=tree.gata, category=category)
    in_vatten = make_case(unit=tree.vatten)
    assert set(ids(api.get("case-list", unit=tree.teknik.pk))) == {in_gata.pk, in_vatten.pk}
    assert ids(api.get("case-list", unit=tree.vatten.pk)) == [in_vatten.pk]
    assert ids(api.get("case-list", category=category.pk)) == [in_gata.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"overdue": "perhaps"},
        {"received_after": "yesterday"},
        {"received_after": "2024-02-01", "received_before": "2024-01-01"},
        {"unit": "abc"},
        {"q": "x" * 201},
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(api, params):
    response = api.get("case-list", **params)
    assert response.status_code == 400
    assert set(response.json()) <= set(params)


def test_a_filter_on_another_units_unit_or_category_is_refused(api, tree):
    category = Category.objects.create(unit=tree.hemtjanst, name_sv="Mat", name_en="Food")
    assert api.get("case-list", unit=tree.hemtjanst.pk).status_code == 400
    assert api.get("case-list", category=category.pk).status_code == 400


def test_a_search_does_not_find_another_units_case(api, outsider_api, case):
    assert ids(api.get("case-list", q=case.reference)) == [case.pk]
    assert ids(outsider_api.get("case-list", q=case.reference)) == []
    assert ids(outsider_api.get("case-list", q="halt vid skolan")) == []


def test_the_cursor_walks_every_case_once_in_pages(api, tree):
    made = [make_case(unit=tree.gata) for _ in range(5)]
    seen: list[int] = []
    response = api.get("case-list", page_size=2)
    pages = 0
    while True:
        seen += ids(response)
        pages += 1
        following = response.json()["next"]
        if following is None:
            break
        response = api.client.get(following, headers=api.headers)
    assert pages == 3
    assert sorted(seen) == sorted(case.pk for case in made)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("cursor", "status"),
    [("YQ", 404), ("bz1hYmM=", 404), ("cD1ub3RhZGF0ZQ==", 400)],  # bad base64, o=abc, p=notadate
)
def test_a_forged_cursor_is_refused_not_an_error(api, case, cursor, status):
    assert api.get("case-list", cursor=cursor).status_code == status


def test_the_number_of_queries_does_not_grow_with_the_page(api, tree, handler):
    for number in range(12):
        made = make_case(unit=tree.gata, channel="phone" if number % 2 else "web")
        case_assign(case=made, to=handler, by=handler)

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(ids(api.get("case-list", page_size=page_size))) == page_size
        return len(captured)

    queries(1)  # the key's first use is noted; later ones within a minute are not
    assert queries(1) == queries(10)


def test_a_case_shows_staff_its_contact_details_deadlines_and_whole_history(api, case, handler):
    case_note(case=case, text="Ring entreprenören.", by=handler)
    response = api.get("case-detail", case.pk)
    body = response.json()
    assert response.status_code == 200
    assert body["text"] == "Det är halt vid skolan."
    assert body["reporter"] == {
        "name": "Maja Nilsson",
        "email": CITIZEN_EMAIL,
        "phone": "070-123 45 67",
        "wants_answer": True,
        "language": "sv",
    }
    assert body["can_handle"] is True
    assert set(body["deadlines"]) == {"acknowledge", "answer"}
    history = {event["type"]: event for event in body["history"]}
    assert history["created"]["is_public"] is True
    assert history["created"]["by_citizen"] is True
    assert history["note"]["is_public"] is False
    assert history["note"]["text"] == "Ring entreprenören."
    assert history["note"]["actor"]["id"] == handler.pk


def test_a_viewer_reads_a_case_but_may_not_handle_it(client, tree, case):
    viewer = Api(client, make_user(role=Role.VIEWER, unit=tree.gata))
    response = viewer.get("case-detail", case.pk)
    assert response.status_code == 200
    assert response.json()["can_handle"] is False


def test_another_units_case_and_a_missing_case_are_404(api, outsider_api, case):
    assert outsider_api.get("case-detail", case.pk).status_code == 404
    assert api.get("case-detail", case.pk + 1000).status_code == 404
    assert api.get("case-detail", 2**70).status_code == 404


# --- Acting --------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_on_another_units_case_is_404_and_changes_nothing(
    outsider_api, case, tree, action
):
    body = {**ACTIONS[action]}
    if action == "case-move":
        body["unit"] = tree.hemtjanst.pk
    events = case.events.count()
    response = outsider_api.post(action, case, body)
    case.refresh_from_db()
    assert response.status_code == 404
    assert case.events.count() == events
    assert case.unit == tree.gata


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_by_a_viewer_is_403_and_changes_nothing(client, case, tree, action):
    viewer = Api(client, make_user(role=Role.VIEWER, unit=tree.gata))
    body = {**ACTIONS[action]}
    if action == "case-move":
        body["unit"] = tree.vatten.pk
    events = case.events.count()
    assert viewer.post(action, case, body).status_code == 403
    assert case.events.count() == events


@pytest.mark.django_db(transaction=True)
def test_a_reply_is_recorded_as_the_keys_owner_and_emailed_to_the_citizen(api, case, handler, smtp):
    response = api.post("case-reply", case, {"text": "Vi sandar trottoaren i dag."})
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    case.refresh_from_db()
    reply = case.events.get(type=CaseEvent.Type.REPLY)
    assert response.status_code == 201
    assert response.json()["id"] == reply.pk
    assert response.json()["is_public"] is True
    assert reply.actor == handler
    assert case.status == Status.IN_PROGRESS
    assert {"event": {"from": None, "to": "reply"}} in audited_as(case, handler)
    sent = [
        email.message_from_bytes(message["data"].encode(), policy=policy.default)
        for message in smtp.messages
    ]
    replies = [
        message
        for message in sent
        if "Vi sandar trottoaren i dag." in str(message.get_body(("plain",)).get_content())
    ]
    assert len(replies) == 1
    assert replies[0]["To"] == CITIZEN_EMAIL


def test_a_note_is_internal_and_recorded_as_the_keys_owner(api, case, handler):
    response = api.post("case-notes", case, {"text": "Ring entreprenören."})
    note = case.events.get(type=CaseEvent.Type.NOTE)
    assert response.status_code == 201
    assert response.json()["is_public"] is False
    assert note.actor == handler
    assert {"event": {"from": None, "to": "note"}} in audited_as(case, handler)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"action": "start"}, Status.IN_PROGRESS),
        ({"action": "wait", "note": "Foto från medborgaren."}, Status.WAITING),
        ({"action": "close", "outcome": "actioned"}, Status.CLOSED),
        ({"action": "close", "outcome": "referred", "note": "Trafikverket"}, Status.CLOSED),
    ],
)
def test_the_status_changes_through_the_services(api, case, handler, body, status):
    response = api.post("case-status", case, body)
    case.refresh_from_db()
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    assert case.status == status
    assert case.outcome == body.get("outcome", "")
    last = case.events.order_by("id").last()
    assert last is not None
    assert last.actor == handler
    assert last.text == body.get("note", "")
    assert audited_as(case, handler)


def test_a_closed_case_is_reopened(api, case, handler):
    case_close(case=case, outcome="answered", by=handler)
    response = api.post("case-status", case, {"action": "reopen", "note": "Nytt foto."})
    case.refresh_from_db()
    assert response.status_code == 200
    assert case.status == Status.IN_PROGRESS
    assert case.events.filter(type=CaseEvent.Type.REOPENED, actor=handler).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "close"}, "outcome"),
        ({"action": "close", "outcome": "duplicate"}, "outcome"),
        ({"action": "start", "outcome": "actioned"}, "outcome"),
        ({"action": "close", "outcome": "answered", "note": "x" * 501}, "note"),
        ({"action": "fly"}, "action"),
        ({}, "action"),
    ],
)
def test_a_bad_status_change_is_400_at_its_field(api, case, body, field):
    response = api.post("case-status", case, body)
    case.refresh_from_db()
    assert response.status_code == 400
    assert field in response.json()
    assert case.status == Status.NEW


def test_a_refusal_by_the_service_is_400_with_its_message(api, case, handler):
    case_close(case=case, outcome="answered", by=handler)
    response = api.post("case-status", case, {"action": "close", "outcome": "no_action"})
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    assert response.json()["detail"]


@pytest.mark.parametrize("body", [[1, 2], "text", {"text": "   "}, {"text": "a\x00b"}])
def test_a_reply_that_is_not_a_text_is_400(api, case, body):
    assert api.post("case-reply", case, body).status_code == 400
    assert not case.events.filter(type=CaseEvent.Type.REPLY).exists()


@pytest.mark.parametrize("raw", ["{not json", '{"text": NaN}', "[" * 100_000])
def test_broken_or_too_deeply_nested_json_is_400(api, case, raw):
    response = api.client.post(
        reverse("rest:case-notes", args=[case.pk]),
        raw,
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 400
    assert not case.events.filter(type=CaseEvent.Type.NOTE).exists()


def test_a_case_is_assigned_only_to_someone_who_may_handle_the_unit(api, case, tree, handler):
    colleague = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
    outsider = make_user(role=Role.CASE_HANDLER, unit=tree.hemtjanst)
    refused = api.post("case-assign", case, {"handler": outsider.pk})
    assigned = api.post("case-assign", case, {"handler": colleague.pk})
    case.refresh_from_db()
    assert refused.status_code == 400
    assert "handler" in refused.json()
    assert assigned.status_code == 200
    assert assigned.json()["assigned_to"]["id"] == colleague.pk
    assert case.assigned_to == colleague
    assert case.events.filter(type=CaseEvent.Type.ASSIGNED, actor=handler).exists()


def test_a_case_is_unassigned_with_null(api, case, handler):
    case_assign(case=case, to=handler, by=handler)
    response = api.post("case-assign", case, {"handler": None})
    case.refresh_from_db()
    assert response.status_code == 200
    assert case.assigned_to is None


def test_a_move_within_sight_returns_the_case(client, tree):
    api = Api(client, make_user(role=Role.CASE_HANDLER, unit=tree.teknik))
    case = make_case(unit=tree.gata)
    response = api.post("case-move", case, {"unit": tree.vatten.pk, "reason": "Vattenläcka."})
    case.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["unit"]["id"] == tree.vatten.pk
    assert case.unit == tree.vatten
    assert audited_as(case, api.user)


def test_a_move_out_of_sight_is_204_and_the_case_is_then_404(api, case, tree, handler):
    response = api.post("case-move", case, {"unit": tree.hemtjanst.pk, "reason": "Fel enhet."})
    case.refresh_from_db()
    assert response.status_code == 204
    assert case.unit == tree.hemtjanst
    assert case.events.get(type=CaseEvent.Type.MOVED).actor == handler
    assert api.get("case-detail", case.pk).status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"unit": "gata", "reason": "x"}, {"reason": "Fel enhet."}, {"unit": 1, "reason": ""}],
)
def test_a_bad_move_is_400(api, case, body):
    assert api.post("case-move", case, body).status_code == 400
    case.refresh_from_db()
    assert not case.events.filter(type=CaseEvent.Type.MOVED).exists()


def test_a_case_cannot_be_moved_to_its_own_unit_or_an_inactive_one(api, case, tree):
    tree.vatten.active = False
    tree.vatten.save(update_fields=["active"])
    own = api.post("case-move", case, {"unit": tree.gata.pk, "reason": "Samma."})
    inactive = api.post("case-move", case, {"unit": tree.vatten.pk, "reason": "Nedlagd."})
    assert own.status_code == 400
    assert inactive.status_code == 400
