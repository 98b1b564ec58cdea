"""A round's raw answers as a table, and that table as CSV or Excel.

Pure functions: the view reads the round and passes plain values in, so every rule here is
tested without a request. What the table holds, and what it deliberately does not:

- One row per response, one column per question (headed by the question's text), values
  as the respondent saw them: option labels, scale values, "don't know", yes/no;
  multiple choice as "a; b".
- Background answers are suppressed as on the analysis page: in each background column,
  the groups `statistics.suppress_small_cells` picks (every group with fewer than the
  minimum, plus the next-smallest when the hidden ones alone would still be derivable by
  subtraction) are blanked. A blank looks the same as an unanswered question on purpose.
- Free text only when the caller passes it (the view does so for those who run the
  survey, on request): it can name people, and suppression cannot protect it.
- Rows are sorted by their answers, not kept in the order they came in, so a row's place
  says nothing about when it was given.
- Text cells that a spreadsheet would run as a formula are written as plain text.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from servicenav.surveys.models import DONT_KNOW, Question
from servicenav.surveys.statistics import suppress_small_cells

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

Cell = str | int | float
Stored = int | None

# A spreadsheet starts a formula at these (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Cell]]


def answer_cell(question: Question, value: Stored) -> Cell:
    """One stored answer (see `Response.answers`) as the respondent saw it."""
    if value is None or question.kind == Question.Kind.TEXT:
        return ""
    if question.kind == Question.Kind.SCALE:
        return gettext("Don't know") if value == DONT_KNOW else value
    if question.kind == Question.Kind.YES_NO:
        return gettext("Yes") if value == 1 else gettext("No")
    labels = question.option_labels
    if question.kind == Question.Kind.MULTIPLE:
        return "; ".join(label for bit, label in enumerate(labels) if value >> bit & 1)
    return labels[value - 1] if 1 <= value <= len(labels) else str(value)


def suppressed_values(
    questions: Sequence[Question], responses: Sequence[Sequence[Stored]], minimum: int
) -> dict[int, set[Stored]]:
    """For each background column (by index), the answers to blank in it."""
    hidden: dict[int, set[Stored]] = {}
    for column, question in enumerate(questions):
        if not question.is_background:
            continue
        counts: Counter[Stored] = Counter(
            value for value in (_at(answers, column) for answers in responses) if value is not None
        )
        hidden[column] = set(suppress_small_cells(counts, minimum))
    return hidden


def _at(answers: Sequence[Stored], column: int) -> Stored:
    return answers[column] if column < len(answers) else None


def _order(answers: Sequence[Stored]) -> list[int]:
    return [-1 if value is None else value for value in answers]


def raw_answers(
    questions: Sequence[Question],
    responses: Sequence[Sequence[Stored]],
    *,
    minimum: int,
    texts: Sequence[Mapping[int, str]] | None = None,
) -> Table:
    """The table of a round: `questions` in the round's order, `responses` the stored
    answers of each response aligned with them, `texts` (when free text is to be
    included) each response's free texts by question id, aligned with `responses`."""
    hidden = suppressed_values(questions, responses, minimum)
    columns = [
        (index, question)
        for index, question in enumerate(questions)
        if texts is not None or question.kind != Question.Kind.TEXT
    ]
    header = [gettext("Response"), *(question.text for _index, question in columns)]
    order = sorted(range(len(responses)), key=lambda i: _order(responses[i]))
    rows: list[list[Cell]] = []
    for number, i in enumerate(order, 1):
        row: list[Cell] = [number]
        for index, question in columns:
            value = _at(responses[i], index)
            if question.kind == Question.Kind.TEXT:
                row.append(texts[i].get(question.pk, "") if texts is not None else "")
            elif value in hidden.get(index, ()):
                row.append("")
            else:
                row.append(answer_cell(question, value))
        rows.append(row)
    return Table(header=header, rows=rows)


def plain(value: Cell) -> Cell:
    """Text a spreadsheet would run as a formula, written as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads å, ä and ö right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([plain(value) for value in table.header])
    writer.writerows([plain(value) for value in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def sheet_title(name: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in name).strip()
    return cleaned[:31] or "Data"


def to_xlsx(table: Table, title: str) -> bytes:
    """An Excel workbook with one sheet."""
    return xlsx_workbook([(title, table.header, table.rows)])


def xlsx_workbook(sheets: Iterable[tuple[str, Sequence[Cell], Iterable[Sequence[Cell]]]]) -> bytes:
    """An Excel workbook of (title, header, rows) sheets. Text is stored as text, never as a
    formula, without the control characters Excel refuses."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title))

        def cell(value: Cell, sheet: object = sheet, *, bold: bool = False) -> WriteOnlyCell:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            written = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                written.data_type = "s"
            if bold:
                written.font = Font(bold=True)
            return written

        sheet.append([cell(value, bold=True) for value in header])
        for row in rows:
            sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
