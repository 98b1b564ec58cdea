"""The raw-answer export: one row per response, answers as the respondent saw them, small
background groups blanked (with a second group where one alone could be worked out), and
free text only when those who run the survey ask for it."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from servicenav.core.models import AuditEntry
from servicenav.organisation.models import Role
from servicenav.surveys import exports
from servicenav.surveys.models import DONT_KNOW, Question, Round, Survey
from servicenav.surveys.services import response_submit, round_create
from servicenav.testing import make_user

AGES = [
    {"sv": "Under 30", "en": "Under 30"},
    {"sv": "30–64", "en": "30–64"},
    {"sv": "65 eller äldre", "en": "65 or older"},
]
SERVICES = [{"sv": "Hemtjänst", "en": "Home care"}, {"sv": "Matlåda", "en": "Meals"}]


def question(kind: str, **fields) -> Question:
    """An unsaved question: the pure functions need nothing from the database."""
    fields.setdefault("text_sv", f"Fråga {kind}")
    return Question(kind=kind, **fields)


SCALE = question(Question.Kind.SCALE, scale_max=5, allows_dont_know=True, text_sv="Nöjd?")
SINGLE = question(Question.Kind.SINGLE, options=AGES, text_sv="Ålder", is_background=True)
MULTIPLE = question(Question.Kind.MULTIPLE, options=SERVICES, text_sv="Tjänster")
YES_NO = question(Question.Kind.YES_NO, text_sv="Fick du hjälp?")
TEXT = question(Question.Kind.TEXT, text_sv="Något mer?")


# The pure functions


@pytest.mark.parametrize(
    ("q", "value", "shown"),
    [
        (SCALE, 4, 4),
        (SCALE, None, ""),
        (SINGLE, 3, "65 eller äldre"),
        (MULTIPLE, 0b11, "Hemtjänst; Matlåda"),
        (MULTIPLE, 0b10, "Matlåda"),
        (TEXT, None, ""),
    ],
)
def test_answers_are_shown_as_the_respondent_saw_them(q, value, shown):
    assert exports.answer_cell(q, value) == shown


def test_dont_know_and_yes_no_are_words_in_the_active_language():
    assert exports.answer_cell(SCALE, DONT_KNOW) == gettext("Don't know")
    assert exports.answer_cell(YES_NO, 1) == gettext("Yes")
    assert exports.answer_cell(YES_NO, 2) == gettext("No")
    with translation.override("en"):
        assert exports.answer_cell(SCALE, DONT_KNOW) == "Don't know"
        assert exports.answer_cell(SINGLE, 1) == "Under 30"


def test_the_table_has_a_column_per_question_and_no_free_text_by_default():
    table = exports.raw_answers([SCALE, TEXT, YES_NO], [[5, None, 1], [2, None, 2]], minimum=5)
    assert table.header == [gettext("Response"), "Nöjd?", "Fick du hjälp?"]
    assert table.rows == [[1, 2, gettext("No")], [2, 5, gettext("Yes")]]


def test_free_text_is_included_only_when_given():
    free = question(Question.Kind.TEXT, text_sv="Något mer?", pk=77)
    texts = [{77: "Personalen var trevlig."}, {}]
    table = exports.raw_answers([SCALE, free], [[5, None], [2, None]], minimum=5, texts=texts)
    assert table.header[2] == "Något mer?"
    assert sorted(row[2] for row in table.rows) == ["", "Personalen var trevlig."]


def test_rows_are_sorted_by_their_answers_not_by_when_they_came():
    table = exports.raw_answers([SCALE], [[5], [1], [3]], minimum=1)
    assert [row[1] for row in table.rows] == [1, 3, 5]
    assert [row[0] for row in table.rows] == [1, 2, 3]


def column(table: exports.Table, name: str) -> list[exports.Cell]:
    index = table.header.index(name)
    return [row[index] for row in table.rows]


def test_a_small_background_group_is_blanked_with_the_next_smallest():
    ages = [1] * 10 + [2] * 3 + [3] * 8
    table = exports.raw_answers([SCALE, SINGLE], [[4, age] for age in ages], minimum=5)
    shown = Counter(column(table, "Ålder"))
    # The 3 aged 30–64 alone would be "whoever is blank"; blanking the 8 over 65 with them
    # leaves 11 blanks that cannot be split.
    assert shown == {"Under 30": 10, "": 11}
    assert column(table, "Nöjd?") == [4] * 21  # the other answers stay


def test_two_small_groups_that_together_reach_the_minimum_need_no_third():
    ages = [1] * 10 + [2] * 3 + [3] * 2
    table = exports.raw_answers([SINGLE], [[age] for age in ages], minimum=5)
    assert Counter(column(table, "Ålder")) == {"Under 30": 10, "": 5}


def test_no_group_is_blanked_when_every_group_is_large_enough():
    ages = [1] * 5 + [2] * 6 + [None] * 2
    table = exports.raw_answers([SINGLE], [[age] for age in ages], minimum=5)
    assert Counter(column(table, "Ålder")) == {"Under 30": 5, "30–64": 6, "": 2}


def test_only_background_columns_are_suppressed():
    not_background = question(Question.Kind.SINGLE, options=AGES, text_sv="Val")
    table = exports.raw_answers([not_background], [[1]] * 10 + [[2]], minimum=5)
    assert Counter(column(table, "Val")) == {"Under 30": 10, "30–64": 1}


def test_a_round_too_small_for_any_group_blanks_the_whole_background_column():
    table = exports.raw_answers([SINGLE], [[1], [1], [2]], minimum=5)
    assert column(table, "Ålder") == ["", "", ""]


def test_csv_is_utf8_with_a_byte_order_mark_and_neutralises_formulas():
    table = exports.Table(header=["Svar", "Åsikt"], rows=[[1, '=HYPERLINK("x")'], [2, "-1"]])
    body = exports.to_csv(table)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["Svar", "Åsikt"], ["1", '\'=HYPERLINK("x")'], ["2", "'-1"]]


def test_excel_keeps_numbers_as_numbers_and_text_as_text():
    table = exports.Table(header=["Svar", "Åsikt"], rows=[[1, "=1+1"], [2, "bra\x0b"]])
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(table, "Omgång 1/2"))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [["Svar", "Åsikt"], [1, "=1+1"], [2, "bra"]]
    assert sheet.cell(row=2, column=2).data_type == "s"
    assert sheet.title == "Omgång 1 2"


# The view (the `tree` fixture brings the database)


def make_round(unit) -> Round:
    survey = Survey.objects.create(unit=unit, title_sv="Brukarenkät", target_group_sv="Brukare")
    specs: list[tuple[str, dict[str, Any]]] = [
        (Question.Kind.SCALE, {"text_sv": "Nöjd?", "scale_max": 5, "allows_dont_know": True}),
        (Question.Kind.MULTIPLE, {"text_sv": "Tjänster", "options": SERVICES}),
        (Question.Kind.TEXT, {"text_sv": "Något mer?"}),
        (Question.Kind.SINGLE, {"text_sv": "Ålder", "options": AGES, "is_background": True}),
    ]
    for order, (kind, fields) in enumerate(specs):
        Question.objects.create(survey=survey, kind=kind, order=order, **fields)
    today = timezone.localdate()
    return round_create(
        survey=survey,
        name="2026",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        by=None,
    )


def fill(round: Round, ages: list[int], text: str = "") -> None:
    scale, multiple, free, age = [rq.question for rq in round.round_questions.all()]
    for number, value in enumerate(ages):
        answers = {
            scale.pk: DONT_KNOW if number == 0 else 4,
            multiple.pk: 0b11,
            free.pk: f"{text} {number}" if text else None,
            age.pk: value,
        }
        response_submit(round=round, answers=answers)


@pytest.fixture
def round(tree) -> Round:
    return make_round(tree.hemtjanst)


def url(round: Round, fmt: str, query: str = "") -> str:
    return reverse("surveys:export", args=[round.pk, fmt]) + query


def test_the_csv_export_is_a_download_with_suppressed_background(client, tree, round):
    fill(round, [1] * 6 + [2] * 2 + [3] * 5, text="Anna på Storgatan")
    client.force_login(make_user(role=Role.VIEWER, unit=tree.hemtjanst))
    response = client.get(url(round, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="brukarenkat-2026.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 13
    assert list(rows[0]) == [gettext("Response"), "Nöjd?", "Tjänster", "Ålder"]
    assert Counter(row["Ålder"] for row in rows) == {"Under 30": 6, "": 7}
    assert {row["Tjänster"] for row in rows} == {"Hemtjänst; Matlåda"}
    assert Counter(row["Nöjd?"] for row in rows) == {"4": 12, gettext("Don't know"): 1}
    assert "Storgatan" not in response.content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(object_id=str(round.pk), changes__export__isnull=False)


def test_the_excel_export_reads_back_with_the_same_rows(client, tree, round):
    fill(round, [1] * 6 + [2] * 2 + [3] * 5)
    client.force_login(make_user(role=Role.VIEWER, unit=tree.hemtjanst))
    response = client.get(url(round, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [gettext("Response"), "Nöjd?", "Tjänster", "Ålder"]
    assert len(rows) == 14
    assert Counter(row[3] for row in rows[1:]) == {"Under 30": 6, None: 7}
    assert {row[1] for row in rows[1:]} == {4, gettext("Don't know")}


def test_free_text_is_exported_only_to_runners_who_ask_for_it(client, tree, round):
    fill(round, [1] * 5, text="Trevlig personal")
    client.force_login(make_user(role=Role.UNIT_MANAGER, unit=tree.hemtjanst))
    response = client.get(url(round, "csv", "?texts=1"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row["Något mer?"] for row in rows)[0] == "Trevlig personal 0"
    assert AuditEntry.objects.filter(changes__export__to="csv, texts=True").exists()
    client.force_login(make_user(role=Role.CASE_HANDLER, unit=tree.hemtjanst))
    assert client.get(url(round, "csv", "?texts=1")).status_code == 403
    assert client.get(url(round, "csv")).status_code == 200


def test_the_export_is_for_staff_of_the_unit_only(client, tree, round):
    assert client.get(url(round, "csv")).status_code == 302
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.teknik))
    assert client.get(url(round, "csv")).status_code == 404
    client.force_login(make_user(role=Role.VIEWER, unit=tree.hemtjanst))
    assert client.get(url(round, "pdf")).status_code == 404
