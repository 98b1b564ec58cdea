"""An invitation code cannot be joined to the answers it came with, from the database.

The schema holds no way to: an invitation is its round and a hash of its code — no time,
no reference to a response, not even a "used" flag: using a code deletes its row in the
transaction that stores the answers — and no answer table refers to an invitation or holds
a time finer than the day. The rows hold none either: two rounds answered with opposite
pairings of codes and answers leave the same data behind. On PostgreSQL no live invitation
row shares a transaction id (`xmin`) with an answer, as a flag set in that transaction
would. The code is not written to the logs. Outside the database: the web server's access
log (a `?kod=` link from an e-mail carries the code in its address), and until VACUUM the
deleted row's dead version, readable only by a superuser with pageinspect.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from servicenav.surveys.forms import field_name
from servicenav.surveys.models import Invitation, Question, Response, Round, Survey, TextAnswer
from servicenav.surveys.services import hash_code, invitations_create, round_create

pytestmark = pytest.mark.django_db

ANSWER_TABLES = (Response, TextAnswer)
CODE_PAGE = reverse("surveys:code")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def columns(model) -> dict[str, str]:
    """The table's columns as the database describes them, with Django's field type."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {
        row.name: connection.introspection.get_field_type(row.type_code, row) for row in description
    }


def foreign_keys(model) -> set[str]:
    """The tables the model's table refers to, as the database's constraints say."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}


def rows(model, **where) -> list[dict[str, Any]]:
    """Every column of every row, straight from the table, in the order of the ids."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        sql = f"SELECT * FROM {table} ORDER BY id"  # noqa: S608 (a model's own table name)
        cursor.execute(sql)
        names = [column[0] for column in cursor.description]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return [row for row in found if all(row[key] == value for key, value in where.items())]


def test_an_invitation_holds_only_its_round_and_the_hash_of_its_code():
    assert set(columns(Invitation)) == {"id", "round_id", "code_hash"}
    assert foreign_keys(Invitation) == {Round._meta.db_table}
    assert {field.name for field in Invitation._meta.get_fields()} == {
        "id",
        "round",
        "code_hash",
    }


def test_no_table_refers_to_an_invitation():
    assert Invitation._meta.related_objects == ()
    for model in apps.get_models():
        assert Invitation._meta.db_table not in foreign_keys(model), model


def test_the_answer_tables_refer_to_no_invitation_and_no_person():
    assert foreign_keys(Response) == {Round._meta.db_table}
    assert foreign_keys(TextAnswer) == {Response._meta.db_table, Question._meta.db_table}
    for model in ANSWER_TABLES:
        related = {field.related_model for field in model._meta.get_fields() if field.is_relation}
        assert Invitation not in related
        assert not related & {apps.get_model("organisation", "User")}


@pytest.mark.parametrize("model", [Invitation, Response, TextAnswer])
def test_no_time_finer_than_a_day_is_kept_with_invitations_or_answers(model):
    types = columns(model)
    assert not {"DateTimeField", "TimeField", "DurationField"} & set(types.values()), types
    for field in model._meta.concrete_fields:
        assert field.get_internal_type() not in {"DateTimeField", "TimeField", "DurationField"}
    if model is Response:
        assert types["submitted_on"] == "DateField"


def _survey_round(unit, name):
    survey = Survey.objects.create(unit=unit, title_sv=name, target_group_sv="Alla")
    Question.objects.create(survey=survey, kind=Question.Kind.SCALE, text_sv="Nöjd?", scale_max=5)
    Question.objects.create(survey=survey, kind=Question.Kind.TEXT, text_sv="Något mer?")
    today = timezone.localdate()
    return round_create(
        survey=survey,
        name="2026",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=1),
        by=None,
    )


def _answer_with(client, survey_round, code, scale, text):
    assert client.post(CODE_PAGE, {"code": code}).status_code == 302
    questions = {rq.question.kind: rq.question for rq in survey_round.round_questions.all()}
    data = {
        "action": "send",
        field_name(questions[Question.Kind.SCALE]): scale,
        field_name(questions[Question.Kind.TEXT]): text,
    }
    url = reverse("surveys:answer", args=[survey_round.link_token])
    assert client.post(url, data).status_code == 302


def _what_the_database_holds(survey_round) -> dict[str, object]:
    """All the round's invitation and answer rows, with ids and hashes left out: what is
    left is all the database could ever tell about which code gave which answer."""
    responses = rows(Response, round_id=survey_round.pk)
    ids = [row["id"] for row in responses]
    return {
        "unused invitations": len(rows(Invitation, round_id=survey_round.pk)),
        "responses": [(row["answers"], row["channel"], row["submitted_on"]) for row in responses],
        "texts": [row["text"] for row in rows(TextAnswer) if row["response_id"] in ids],
    }


def test_rounds_answered_with_opposite_pairings_of_codes_leave_the_same_data(client, tree):
    """Round one: code 1 answers "5, Bra" and code 2 answers "1, Dåligt". Round two: the
    other way round. If any row tied an answer to its code, the two rounds' data would
    differ; they are the same, so the database cannot tell the pairings apart."""
    first, second = _survey_round(tree.gata, "Ett"), _survey_round(tree.vatten, "Två")
    codes_one = invitations_create(round=first, count=3, by=None)
    codes_two = invitations_create(round=second, count=3, by=None)
    _answer_with(client, first, codes_one[0], "5", "Bra")
    _answer_with(client, second, codes_two[1], "5", "Bra")
    _answer_with(client, first, codes_one[1], "1", "Dåligt")
    _answer_with(client, second, codes_two[0], "1", "Dåligt")

    held = _what_the_database_holds(first)
    assert held == _what_the_database_holds(second)
    assert held["unused invitations"] == 1
    # Nothing of a code, clear or hashed, is in any answer row.
    answer_rows = [str(row) for model in ANSWER_TABLES for row in rows(model)]
    for code in codes_one + codes_two:
        for secret in (code, code.replace("-", ""), hash_code(code)):
            assert not any(secret in row for row in answer_rows)


def test_the_code_is_not_written_to_the_logs(client, tree, caplog):
    survey_round = _survey_round(tree.gata, "Loggar")
    (code,) = invitations_create(round=survey_round, count=1, by=None)
    with caplog.at_level(logging.DEBUG):
        client.get(CODE_PAGE, {"kod": code})
        _answer_with(client, survey_round, code, "4", "Inget att tillägga")
        client.post(CODE_PAGE, {"code": code})  # used: refused
    assert not Invitation.objects.exists()
    for secret in (code, code.replace("-", ""), hash_code(code)):
        assert secret not in caplog.text
        assert all(secret not in str(record.args) for record in caplog.records)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row versions")
def test_postgresqls_row_versions_do_not_tie_a_used_code_to_its_answer(client, tree):
    survey_round = _survey_round(tree.gata, "Radversioner")
    codes = invitations_create(round=survey_round, count=4, by=None)
    for scale, code in enumerate((codes[2], codes[0]), start=1):
        _answer_with(client, survey_round, code, str(scale), "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM surveys_invitation")
        invitations = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT xmin::text FROM surveys_response")
        responses = {row[0] for row in cursor.fetchall()}
    assert len(invitations) == 1  # the two codes left, untouched since they were made
    assert not invitations & responses
