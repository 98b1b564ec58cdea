"""A round's analysis as tables, and those tables as CSV, Excel or PDF.

Pure functions over the `analysis.Report` the page shows, so the files hold exactly the
page's figures and hide exactly what it hides: where the engine gives no figure (too few
answers, or a breakdown cell suppressed with `statistics.suppress_small_cells`) the table
says "Too few answers", and the hidden value is never written anywhere.

Tables: the questions (answers, mean, index, top box and share yes, each with its 95 %
interval), the indices, the changes against the compared round (with Benjamini–Hochberg
adjusted p-values), the breakdowns by background question (one row per result and group)
and the priority matrix with its R². Intervals are text like "(45.2–60.1)", as on the page;
values are numbers, so a spreadsheet can compute with them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from servicenav.surveys.analysis import MEASURE_LABELS
from servicenav.surveys.exports import Cell, plain, xlsx_workbook
from servicenav.surveys.models import Question

if TYPE_CHECKING:
    from servicenav.surveys import statistics as st
    from servicenav.surveys.analysis import Analysis, ChangeRow, QuestionResult, Report


Kind = Question.Kind


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]


# --- Cells -------------------------------------------------------------------------------


def _too_few() -> str:
    return gettext("Too few answers")


def _value(estimate: st.Estimate | None, digits: int) -> Cell:
    return _too_few() if estimate is None else round(estimate.value, digits)


def _interval(estimate: st.Estimate | None, digits: int) -> str:
    if estimate is None:
        return ""
    return f"({estimate.low:.{digits}f}–{estimate.high:.{digits}f})"


def _figure(estimate: st.Estimate | None, digits: int, *, shown: bool = True) -> list[Cell]:
    """Value and interval; two blanks where the question has no such figure at all."""
    if not shown:
        return ["", ""]
    return [_value(estimate, digits), _interval(estimate, digits)]


def _p_value(p: float | None) -> Cell:
    if p is None:
        return ""
    return "< 0.0001" if p < 0.0001 else round(p, 4)


# --- Tables ------------------------------------------------------------------------------


def _question_row(section: str, result: QuestionResult) -> list[Cell]:
    question = result.question
    scale = question.kind == Kind.SCALE
    yes_no = question.kind == Kind.YES_NO and not question.is_background
    return [
        result.number,
        question.text,
        section,
        result.answered,
        *_figure(result.mean, 2, shown=scale),
        *_figure(result.index, 1, shown=scale),
        *_figure(result.top_box, 1, shown=scale),
        *_figure(result.share_yes, 1, shown=yes_no),
    ]


def questions_table(analysis: Analysis) -> Table:
    header = [
        gettext("No."),
        gettext("Question"),
        gettext("Section"),
        gettext("Answers"),
        gettext("Mean"),
        gettext("Mean, 95 % interval"),
        gettext("Index (0–100)"),
        gettext("Index, 95 % interval"),
        gettext("Share of top answers (%)"),
        gettext("Top answers, 95 % interval"),
        gettext("Share answering yes (%)"),
        gettext("Yes, 95 % interval"),
    ]
    rows = [
        _question_row(section.name, result)
        for section in analysis.sections
        for result in section.questions
    ]
    return Table(gettext("Questions"), header, rows)


def indices_table(analysis: Analysis) -> Table:
    header = [
        gettext("Index"),
        gettext("Value"),
        gettext("95 % interval"),
        gettext("Respondents"),
        gettext("Questions"),
    ]
    indices = [*([analysis.overall] if analysis.overall else []), *analysis.areas]
    rows: list[list[Cell]] = [
        [
            index.name,
            *_figure(index.estimate, 1),
            index.n,
            ", ".join(str(number) for number in index.numbers),
        ]
        for index in indices
    ]
    return Table(gettext("Indices"), header, rows)


def _change_row(row: ChangeRow) -> list[Cell]:
    comparison = row.comparison
    difference: list[Cell] = ["", ""]
    if comparison is not None and comparison.difference is not None:
        difference = [round(comparison.difference, 1), ""]
        if comparison.low is not None and comparison.high is not None:
            difference[1] = f"({comparison.low:.1f}–{comparison.high:.1f})"
    return [
        row.label,
        row.measure_label,
        *_figure(row.old, 1),
        *_figure(row.new, 1),
        *difference,
        _p_value(row.adjusted_p),
        row.statement,
    ]


def changes_table(analysis: Analysis) -> Table:
    old = analysis.compared.name if analysis.compared else gettext("Compared round")
    new = analysis.round.name
    header = [
        gettext("Result"),
        gettext("Measure"),
        old,
        gettext("%(round)s, 95 %% interval") % {"round": old},
        new,
        gettext("%(round)s, 95 %% interval") % {"round": new},
        gettext("Change"),
        gettext("Change, 95 % interval"),
        gettext("Adjusted p"),
        gettext("Conclusion"),
    ]
    return Table(gettext("Changes"), header, [_change_row(row) for row in analysis.changes])


def breakdowns_table(analysis: Analysis) -> Table:
    """One row per background question, result and group (the first group is everyone)."""
    header = [
        gettext("Background question"),
        gettext("Group"),
        gettext("Result"),
        gettext("Measure"),
        gettext("Value"),
        gettext("95 % interval"),
        gettext("Answers"),
    ]
    rows: list[list[Cell]] = []
    for breakdown in analysis.breakdowns:
        background = f"{breakdown.number}. {breakdown.question.text}"
        for row in breakdown.rows:
            measure = str(MEASURE_LABELS[row.measure])
            total = row.total
            rows.append(
                [
                    background,
                    gettext("Everyone"),
                    row.label,
                    measure,
                    *_figure(total, 1),
                    total.n if total is not None else "",
                ]
            )
            for group, cell in zip(breakdown.groups, row.cells, strict=True):
                if cell.hidden or cell.estimate is None:
                    rows.append([background, group, row.label, measure, _too_few(), "", ""])
                else:
                    estimate = cell.estimate
                    rows.append(
                        [background, group, row.label, measure, *_figure(estimate, 1), cell.n or 0]
                    )
    return Table(gettext("Results by background"), header, rows)


def priority_table(analysis: Analysis) -> Table:
    matrix = analysis.priority
    header = [
        gettext("No."),
        gettext("Area"),
        gettext("Index"),
        gettext("95 % interval"),
        gettext("Effect"),
        gettext("Priority"),
    ]
    rows: list[list[Cell]] = []
    if matrix is not None:
        rows = [
            [
                point.number,
                point.name,
                *_figure(point.index, 1),
                round(point.effect, 2),
                point.quadrant_label,
            ]
            for point in matrix.points
        ]
        r_squared: Cell = "" if matrix.r_squared is None else round(matrix.r_squared, 3)
        rows.append(["", "R²", r_squared, gettext("Respondents"), matrix.n, ""])
    return Table(gettext("Priority matrix"), header, rows)


def analysis_tables(analysis: Analysis) -> list[Table]:
    return [
        questions_table(analysis),
        indices_table(analysis),
        changes_table(analysis),
        breakdowns_table(analysis),
        priority_table(analysis),
    ]


# --- Files -------------------------------------------------------------------------------


def analysis_csv(report: Report) -> bytes:
    """All tables in one CSV, each after a blank line and its title; UTF-8 with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, table in enumerate(analysis_tables(report.analysis)):
        if number:
            writer.writerow([])
        writer.writerow([plain(table.title)])
        writer.writerow([plain(value) for value in table.header])
        writer.writerows([plain(value) for value in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def analysis_xlsx(report: Report) -> bytes:
    """An Excel workbook with one sheet per table; text is stored as text, never a formula."""
    tables = analysis_tables(report.analysis)
    return xlsx_workbook((table.title, table.header, table.rows) for table in tables)


# --- PDF ---------------------------------------------------------------------------------

# The PDF's core fonts know Latin-1 only (å, ä and ö are in it); the rest is replaced.
PDF_REPLACEMENTS = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "−": "-",
        "≥": ">=",
        "≤": "<=",
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "…": "...",
        "▲": "",
        "▼": "",
        "\u00a0": " ",
    }
)


def latin1(text: str) -> str:
    """`text` in characters the PDF core fonts can draw: known ones replaced, others '?'."""
    return text.translate(PDF_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


def _pdf_text(value: Cell) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return latin1(str(value))


def _title_block(report: Report) -> list[tuple[str, str]]:
    analysis = report.analysis
    rate = analysis.response_rate
    compared = analysis.compared
    return [
        (gettext("Survey"), analysis.round.survey.title),
        (gettext("Round"), analysis.round.name),
        (gettext("Responses"), str(analysis.respondents)),
        (gettext("Response rate"), "" if rate is None else f"{rate:.0f} %"),
        (gettext("Compared with"), compared.name if compared else gettext("no other round")),
    ]


def _column_widths(table: Table) -> tuple[int, ...]:
    """Relative widths: text columns (questions, labels) wider than figures."""
    widths = []
    for column in range(len(table.header)):
        longest = max(
            (len(_pdf_text(row[column])) for row in table.rows if column < len(row)), default=0
        )
        widths.append(4 if longest > 24 else 2 if longest > 10 else 1)
    return tuple(widths)


def analysis_pdf(report: Report, *, compress: bool = True) -> bytes:
    """The analysis on A4 landscape: a title block, then every table."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    analysis = report.analysis
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_compression(compress)
    pdf.set_title(latin1(f"{analysis.round.survey.title}: {analysis.round.name}"))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    heading = gettext("%(survey)s: analysis of %(round)s") % {
        "survey": analysis.round.survey.title,
        "round": analysis.round.name,
    }
    pdf.multi_cell(0, 8, latin1(heading), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=10)
    for label, value in _title_block(report):
        pdf.set_font(style="B")
        pdf.cell(45, 6, latin1(label))
        pdf.set_font(style="")
        pdf.cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    notes = [
        gettext(
            "Figures in brackets are %(level)s confidence intervals: the range the result for "
            "the whole target group most likely lies in."
        )
        % {"level": "95 %"},
        gettext("p-values adjusted for many comparisons (Benjamini–Hochberg), significant at 5 %."),
        gettext("No figure based on fewer than %(minimum)d answers is shown.")
        % {"minimum": analysis.minimum},
    ]
    for note in notes:
        pdf.multi_cell(0, 5, latin1(note), new_x="LMARGIN", new_y="NEXT")
    heading_style = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    for table in analysis_tables(analysis):
        pdf.ln(4)
        pdf.set_font("Helvetica", style="B", size=12)
        pdf.multi_cell(0, 7, latin1(table.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=7)
        if not table.rows:
            pdf.multi_cell(0, 5, latin1(gettext("No results.")), new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(
            col_widths=_column_widths(table),
            headings_style=heading_style,
            line_height=4,
            text_align="LEFT",
        ) as pdf_table:
            lines: list[list[Cell]] = [list(table.header), *table.rows]
            for row in lines:
                pdf_row = pdf_table.row()
                for entry in row:
                    pdf_row.cell(_pdf_text(entry))
    return bytes(pdf.output())
