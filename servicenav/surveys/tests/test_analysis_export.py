"""The analysis as CSV, Excel and PDF: the page's figures, the page's suppression, the
page's gate. Built like `test_analysis` (its `Built` survey); files are read back."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from servicenav.organisation.models import Role
from servicenav.surveys.analysis import round_report
from servicenav.surveys.analysis_export import (
    analysis_csv,
    analysis_pdf,
    analysis_tables,
    analysis_xlsx,
    latin1,
)
from servicenav.surveys.tests.test_analysis import Built, two_rounds  # noqa: F401 - fixture
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(tree) -> Built:
    return Built(tree.gata)


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for å, ä and ö
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def section(rows: list[list[str]], title: str) -> list[list[str]]:
    """The rows of one table of the CSV: after its title, up to the blank line."""
    start = rows.index([title]) + 1
    end = next((i for i in range(start, len(rows)) if not rows[i]), len(rows))
    return rows[start:end]


def url(round, fmt: str, **query) -> str:
    with translation.override("en"):
        address = reverse("surveys:analysis-export", args=[round.pk, fmt])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_csv_holds_the_questions_and_indices_with_the_engines_figures(two_rounds):  # noqa: F811
    built, later = two_rounds
    with translation.override("en"):
        report = round_report(later, built.round)
        rows = csv_rows(analysis_csv(report))
    analysis = report.analysis

    questions = section(rows, "Questions")
    assert questions[0][:4] == ["No.", "Question", "Section", "Answers"]
    kind = next(row for row in questions if row[1] == "Kind staff")
    result = next(r for s in analysis.sections for r in s.questions if r.question == built.kind)
    assert int(kind[3]) == result.answered
    assert float(kind[4]) == round(result.mean.value, 2)
    assert float(kind[6]) == round(result.index.value, 1)
    assert kind[7] == f"({result.index.low:.1f}–{result.index.high:.1f})"
    assert float(kind[8]) == round(result.top_box.value, 1)
    indices = section(rows, "Indices")
    overall = next(row for row in indices if row[0] == "Index (equal weights)")
    assert float(overall[1]) == round(analysis.overall.estimate.value, 1)
    assert int(overall[3]) == analysis.overall.n
    changes = section(rows, "Changes")
    assert "Statistically significant increase" in {row[-1] for row in changes}
    assert section(rows, "Priority matrix")[-1][1] == "R²"


def test_a_question_with_too_few_answers_has_no_figures(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    for value in [1, 2, 5]:
        built.answer(kind=value)

    with translation.override("en"):
        (questions, *_rest) = analysis_tables(round_report(built.round, None).analysis)
    kind = next(row for row in questions.rows if row[1] == "Kind staff")

    assert kind[3] == 3
    assert kind[4:10] == ["Too few answers", "", "Too few answers", "", "Too few answers", ""]


def test_a_suppressed_breakdown_cell_shows_no_value(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 5
    for _i in range(20):
        built.answer(age=1, kind=3)
    for _i in range(12):
        built.answer(age=2, kind=1)
    for _i in range(3):  # the oldest three all gave 5: index 100
        built.answer(age=3, kind=5)

    with translation.override("en"):
        report = round_report(built.round, None)
        tables = {table.title: table for table in analysis_tables(report.analysis)}
        body = analysis_csv(report).decode("utf-8-sig")
    rows = tables["Results by background"].rows
    kind = {row[1]: row for row in rows if row[2] == "1. Kind staff"}

    assert kind["16–39"][4:] == [50.0, "(50.0–50.0)", 20]
    # 65+ has 3 answers and 40–64 hides with it, or 65+ would be the total minus the rest.
    assert kind["40–64"][4:] == ["Too few answers", "", ""]
    assert kind["65+"][4:] == ["Too few answers", "", ""]
    assert "100.0" not in body  # the hidden group's index
    breakdown = section(list(csv.reader(io.StringIO(body))), "Results by background")
    assert not {"3", "12", "100.0", "0.0"} & {value for row in breakdown for value in row}


def test_the_workbook_has_one_sheet_per_table(two_rounds):  # noqa: F811
    built, later = two_rounds
    with translation.override("en"):
        report = round_report(later, built.round)
        workbook = load_workbook(io.BytesIO(analysis_xlsx(report)))

    assert workbook.sheetnames == [
        "Questions",
        "Indices",
        "Changes",
        "Results by background",
        "Priority matrix",
    ]
    indices = list(workbook["Indices"].iter_rows(values_only=True))
    assert indices[1][0] == "Index (equal weights)"
    assert indices[1][1] == round(report.analysis.overall.estimate.value, 1)


def test_text_a_spreadsheet_would_run_is_written_as_text(built, settings):
    settings.SERVICENAV_SURVEY_MIN_ANSWERS = 1
    built.kind.text_en = "=HYPERLINK(1)"
    built.kind.save()
    built.answer(kind=3)

    with translation.override("en"):
        rows = csv_rows(analysis_csv(round_report(built.round, None)))

    assert "'=HYPERLINK(1)" in section(rows, "Questions")[1]


def test_the_pdf_has_the_title_block_and_tables(two_rounds):  # noqa: F811
    built, later = two_rounds
    built.survey.title_en = "Service survey – “2026” ≥ å"
    built.survey.save()
    later.survey = built.survey
    with translation.override("en"):
        report = round_report(later, built.round)
        compressed = analysis_pdf(report)
        plain = analysis_pdf(report, compress=False)

    assert compressed.startswith(b"%PDF-")
    assert len(compressed) > 1024
    assert plain.startswith(b"%PDF-")
    text = plain.decode("latin-1")
    assert 'Service survey - "2026" >= \xe5' in text
    assert "Benjamini-Hochberg" in text
    assert "Index \\(equal weights\\)" in text  # PDF strings escape brackets


def test_text_outside_latin1_is_replaced():
    assert latin1("16–39 ≥ “x” … ök") == '16-39 >= "x" ... ök'
    assert latin1("中") == "?"


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_a_reader_of_the_unit_downloads_the_analysis(
    client,
    tree,
    two_rounds,  # noqa: F811
    fmt,
    content_type,
    start,
):
    _built, later = two_rounds
    client.force_login(make_user(role=Role.VIEWER, unit=tree.teknik))

    response = client.get(url(later, fmt))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="analys-{later.pk}.{fmt}"'
    assert response.content.startswith(start)


def test_the_download_compares_with_the_chosen_round(client, tree, two_rounds):  # noqa: F811
    built, _later = two_rounds
    third = built.new_round("2027", date(2027, 3, 1))
    for value in [1, 2, 3, 4, 5, 5]:
        built.answer(third, kind=value)
    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))

    default = csv_rows(client.get(url(third, "csv")).content)
    chosen = csv_rows(client.get(url(third, "csv", compare=built.round.pk)).content)
    page = client.get(reverse("surveys:analysis", args=[third.pk]) + f"?compare={built.round.pk}")

    assert "2026" in section(default, gettext("Changes"))[0]
    assert "2025" in section(chosen, gettext("Changes"))[0]
    assert url(third, "pdf", compare=built.round.pk) in page.content.decode()


def test_others_get_404_as_do_unknown_formats(client, tree, two_rounds):  # noqa: F811
    _built, later = two_rounds
    assert client.get(url(later, "csv")).status_code == 302

    client.force_login(make_user(role=Role.UNIT_MANAGER, unit=tree.social))
    assert client.get(url(later, "pdf")).status_code == 404

    client.force_login(make_user(role=Role.VIEWER, unit=tree.gata))
    assert client.get(url(later, "docx")).status_code == 404
    assert client.get(url(later, "csv")).status_code == 200
