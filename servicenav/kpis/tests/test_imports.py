"""Figures measured elsewhere: reading CSV and Excel files row by row, and saving typed-in
or imported figures all or none."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from servicenav.core.models import AuditEntry
from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.imports import MAX_BYTES, MAX_ROWS, parse_file, read_upload
from servicenav.kpis.models import Indicator, Measurement
from servicenav.kpis.services import ManualFigure, measurement_enter, measurements_import
from servicenav.organisation.models import Role
from servicenav.testing import make_unit, make_user

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
TODAY = date(2025, 6, 15)


def make_indicator(unit, **fields) -> Indicator:
    defaults = {
        "code": "telefon-60",
        "name_sv": "Andel samtal besvarade inom 60 sekunder",
        "name_en": "Calls answered within 60 seconds",
        "kind": "reachability",
        "definition_sv": "Andel inkommande samtal som besvarats inom 60 sekunder, per månad.",
        "source": "manual",
        "unit_of_measure": "percent",
        "period_kind": "month",
    }
    return Indicator.objects.create(unit=unit, **(defaults | fields))


@pytest.fixture
def indicator(tree) -> Indicator:
    return make_indicator(tree.teknik)


def parse(text: str | bytes, indicator: Indicator, encoding: str = "utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return parse_file(data, indicator, today=TODAY)


def errors_of(parsed) -> dict[int, list[str]]:
    return {row.line: row.errors for row in parsed.rows if row.errors}


def measurement_log():
    return AuditEntry.objects.filter(content_type__model="measurement")


def english(call, *args, **kwargs):
    with translation.override("en"):
        return call(*args, **kwargs)


def refusal(call, *args, **kwargs) -> str:
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            call(*args, **kwargs)
        return " ".join(str(message) for message in raised.value.messages)


def xlsx(rows, edit=None) -> bytes:
    """A workbook whose first sheet holds `rows`; `edit(sheet)` may format cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_saved_result(data: bytes, formula: str, result: str) -> bytes:
    """The workbook as Excel saves it: the formula with its last computed result."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                before = f"<f>{formula}</f><v />".encode()
                assert before in content
                content = content.replace(before, f"<f>{formula}</f><v>{result}</v>".encode())
            target.writestr(info, content)
    return out.getvalue()


# Reading text files


def test_a_swedish_excel_file_with_semicolons_decimal_commas_and_a_bom_is_read(indicator):
    text = "\ufeffperiod;value;n\r\n2025-01;93,5;1204\r\n2025-02;91;1187\r\n"
    parsed = parse(text, indicator)
    assert parsed.ok
    assert [(r.line, r.period.code, r.value, r.n) for r in parsed.rows] == [
        (2, "2025-01", Decimal("93.5"), 1204),
        (3, "2025-02", Decimal("91"), 1187),
    ]
    assert {row.unit for row in parsed.rows} == {indicator.unit}


def test_the_example_file_in_windows_1252_with_swedish_headers_and_empty_lines(tree, indicator):
    parsed = parse((FILES / "telefoni-excel.csv").read_bytes(), indicator)
    assert parsed.ok, errors_of(parsed)
    assert [(r.line, r.unit, r.value, r.n) for r in parsed.rows] == [
        (2, tree.teknik, Decimal("93.5"), 1204),
        (4, tree.gata, Decimal("91.0"), 1187),
        (5, tree.vatten, Decimal("88.25"), 310),
    ]


def test_commas_with_decimal_points_and_utf_16_are_read_too(indicator):
    assert parse("period,value\n2025-01,93.5\n", indicator).rows[0].value == Decimal("93.5")
    utf16 = parse("period\tvalue\n2025-01\t93,5\n", indicator, encoding="utf-16")
    assert utf16.ok
    assert utf16.rows[0].value == Decimal("93.5")


def test_a_decimal_comma_between_comma_separated_columns_is_an_error_not_a_wrong_value(indicator):
    parsed = english(parse, "period,value\n2025-01,93,5\n", indicator)
    assert not parsed.ok
    assert "more cells than there are columns" in errors_of(parsed)[2][0]


def test_row_numbers_are_those_of_the_file_with_empty_lines_counted(indicator):
    text = "period;value\n\n2025-01;93,5\n;\n   \n2025-02;lots\n"
    parsed = english(parse, text, indicator)
    assert [row.line for row in parsed.rows] == [3, 6]
    assert errors_of(parsed) == {6: ["“lots” is not a number. Write it like 93.5 or 93,5."]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("93,5 %", "93.5"), ("1 204", "1204"), ("\u2212 0,5", "-0.5"), ("0", "0"), ("+7", "7")],
)
def test_numbers_may_have_spaces_and_a_per_cent_sign(tree, value, expected):
    indicator = make_indicator(tree.teknik, unit_of_measure="index")
    row = parse(f"period;value\n2025-01;{value}\n", indicator).rows[0]
    assert row.value == Decimal(expected)


@pytest.mark.parametrize("value", ["abc", "1.234,5", "1,234.5", "12e3", "NaN", "--1", ".5"])
def test_text_that_is_not_a_plain_number_is_refused(indicator, value):
    parsed = english(parse, f"period;value\n2025-01;{value}\n", indicator)
    assert "is not a number" in errors_of(parsed)[2][0]


def test_a_missing_value_is_an_error_and_a_missing_n_is_not(indicator):
    parsed = english(parse, "period;value;n\n2025-01;;\n2025-02;90;\n", indicator)
    assert errors_of(parsed) == {2: ["Give the value."]}
    assert parsed.rows[1].n is None


def test_n_must_be_a_whole_number_of_zero_or_more(indicator):
    parsed = english(parse, "period;value;n\n2025-01;90;-3\n2025-02;90;2,5\n", indicator)
    assert set(errors_of(parsed)) == {2, 3}


def test_percentages_must_lie_between_0_and_100(indicator):
    parsed = english(parse, "period;value\n2025-01;100,5\n2025-02;-1\n2025-03;100\n", indicator)
    assert errors_of(parsed) == {
        2: ["A percentage must be between 0 and 100."],
        3: ["A percentage must be between 0 and 100."],
    }


def test_counts_and_days_cannot_be_negative(tree):
    for measure in ("count", "working_days"):
        indicator = make_indicator(tree.gata, code=measure, unit_of_measure=measure)
        parsed = english(parse, "period;value\n2025-01;-1\n2025-02;250\n", indicator)
        assert errors_of(parsed) == {2: ["The value cannot be negative."]}


# Periods


def test_a_period_of_the_wrong_kind_is_refused_with_an_example(indicator):
    parsed = english(parse, "period;value\n2025-Q1;90\n2025;90\n2025-13;90\n", indicator)
    errors = errors_of(parsed)
    assert errors[2] == ["This indicator is measured per month: write the period like 2025-06."]
    assert errors[3] == errors[2]
    assert "“2025-13” is not a period" in errors[4][0]


def test_quarters_may_be_written_the_swedish_way_and_in_lower_case(tree):
    indicator = make_indicator(tree.teknik, period_kind="quarter")
    parsed = parse("period;value\n2025-K1;90\n2025-q2;91\n", indicator)
    assert [row.period.code for row in parsed.rows] == ["2025-Q1", "2025-Q2"]


def test_a_period_that_has_not_started_is_refused_and_the_running_one_is_not(indicator):
    parsed = english(parse, "period;value\n2025-06;90\n2025-07;90\n", indicator)
    assert errors_of(parsed) == {3: ["July 2025 has not started yet."]}


def test_a_unit_and_period_given_twice_is_an_error_on_the_later_row(indicator, tree):
    text = "period;value;unit\n2025-01;90;\n2025-01;91;Gata\n2025-01;92;\n"
    parsed = english(parse, text, indicator)
    assert errors_of(parsed) == {4: ["The same period and unit as row 2."]}


# Units


def test_units_are_found_by_either_name_short_name_or_number(tree, indicator):
    text = (
        "period;unit;value\n"
        f"2025-01;gata;90\n2025-02;Vatten (en);90\n2025-03;{tree.gata.slug};90\n"
        f"2025-04;{tree.vatten.pk};90\n"
    )
    parsed = parse(text, indicator)
    assert [row.unit for row in parsed.rows] == [tree.gata, tree.vatten, tree.gata, tree.vatten]


def test_a_unit_outside_the_indicators_owner_is_an_error(tree, indicator):
    text = f"period;unit;value\n2025-01;Hemtjänst;90\n2025-02;{tree.social.pk};90\n"
    parsed = english(parse, text, indicator)
    assert errors_of(parsed) == {
        2: ["“Hemtjänst” is not Teknik (en) or a unit below it."],
        3: [f"“{tree.social.pk}” is not Teknik (en) or a unit below it."],
    }


def test_two_units_with_the_same_name_must_be_given_by_number(tree, indicator):
    make_unit(name="Gata", parent=tree.vatten)
    parsed = english(parse, "period;unit;value\n2025-01;Gata;90\n", indicator)
    assert "Give the unit's number instead" in errors_of(parsed)[2][0]


# The whole file


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-01;90\n", "“2025-01” is not one of them"),
        ("period;vaule\n2025-01;90\n", "“vaule” is not one of them"),
        ("period;n\n2025-01;90\n", "it has no “value” column"),
        ("period;value;värde\n2025-01;90;90\n", "The column “värde” is named twice."),
        ("period;value\n", "no rows of figures"),
        ("\n \n", "The file is empty."),
    ],
)
def test_a_file_without_the_right_columns_is_refused_as_a_whole(indicator, text, message):
    assert message in refusal(parse, text, indicator)


def test_more_than_5000_rows_are_refused(indicator):
    rows = "".join(f"2025-01;{i % 100}\n" for i in range(MAX_ROWS + 1))
    assert "more than 5,000 rows" in refusal(parse, "period;value\n" + rows, indicator)


def test_5000_rows_are_read(tree):
    indicator = make_indicator(tree.teknik, unit_of_measure="count")
    months = [Period(PeriodKind.MONTH, 1600 + i // 12, i % 12 + 1) for i in range(MAX_ROWS)]
    rows = "".join(f"{month.code};{i}\n" for i, month in enumerate(months))
    parsed = parse("period;value\n" + rows, indicator)
    assert len(parsed.rows) == MAX_ROWS
    assert parsed.ok


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4,
        b"\x7fELF\x02\x01\x01\x00" + bytes(200),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"period;value\n2025-01;\x01\x02\x03\n",
    ],
)
def test_a_renamed_program_or_picture_is_refused_clearly(indicator, content):
    assert "neither a CSV file nor an Excel workbook" in refusal(parse, content, indicator)


def test_a_zip_that_is_not_a_workbook_and_a_broken_workbook_are_refused(indicator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "neither a CSV file" in refusal(parse, buffer.getvalue(), indicator)
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really")
    assert "neither a CSV file" in refusal(parse, broken.getvalue(), indicator)
    assert "neither a CSV file" in refusal(parse, b"PK\x03\x04 truncated", indicator)


def test_an_old_excel_file_is_refused_with_what_to_do(indicator):
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    assert "Save it as .xlsx or as CSV" in refusal(parse, old, indicator)


def test_an_upload_larger_than_1_mb_or_empty_is_refused():
    big = SimpleUploadedFile("big.csv", b"period;value\n" + b"2025-01;90\n" * 100_000)
    assert len(big) > MAX_BYTES
    assert "The file is too large. It may be at most 976.6" in refusal(read_upload, big)
    assert "The file is empty." in refusal(read_upload, SimpleUploadedFile("e.csv", b" \n"))


# Excel workbooks


def test_an_excel_workbook_is_read_with_numbers_dates_and_percent_cells(tree, indicator):
    def percent(sheet):
        sheet["B4"].number_format = "0.0%"

    data = xlsx(
        [
            ["Period", "Värde", "Antal", "Enhet"],
            ["2025-01", 93.5, 1204, None],
            [date(2025, 2, 1), 91, 1187.0, "Gata"],
            ["2025-03", 0.935, None, tree.vatten.pk],
            [None, None, None, None],
        ],
        percent,
    )
    parsed = parse(data, indicator)
    assert parsed.ok, errors_of(parsed)
    assert [(r.line, r.period.code, r.value, r.n, r.unit) for r in parsed.rows] == [
        (2, "2025-01", Decimal("93.5"), 1204, tree.teknik),
        (3, "2025-02", Decimal("91"), 1187, tree.gata),
        (4, "2025-03", Decimal("93.500"), None, tree.vatten),
    ]


def test_a_date_that_does_not_start_a_period_is_not_a_period(indicator):
    parsed = english(parse, xlsx([["period", "value"], [date(2025, 2, 14), 90]]), indicator)
    assert "“2025-02-14” is not a period" in errors_of(parsed)[2][0]


def test_a_formula_without_a_saved_result_is_refused_clearly(indicator):
    data = xlsx([["period", "value"], ["2025-01", 93.5], ["2025-02", "=B2-1"]])
    parsed = english(parse, data, indicator)
    assert errors_of(parsed) == {
        3: [
            "A cell holds the formula =B2-1, but the file does not carry its result. Open the "
            "file in Excel and save it again, or paste the values without formulas."
        ]
    }


def test_a_formula_with_the_result_excel_saved_is_read_as_that_value(indicator):
    data = xlsx([["period", "value"], ["2025-01", 93.5], ["2025-02", "=B2-1"]])
    parsed = parse(with_saved_result(data, "B2-1", "92.5"), indicator)
    assert parsed.ok
    assert parsed.rows[1].value == Decimal("92.5")


def test_the_first_sheet_is_read_wherever_its_table_starts(indicator):
    def move(sheet):
        sheet.insert_rows(1, amount=2)
        sheet.insert_cols(1)

    parsed = parse(xlsx([["period", "value"], ["2025-01", 90]], move), indicator)
    assert [(row.line, row.value) for row in parsed.rows] == [(4, Decimal("90"))]


# Saving


@pytest.fixture
def manager(tree):
    return make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)


def figure(unit, code: str, value: str, n: int | None = None, line: int | None = None):
    return ManualFigure(unit, Period.parse(code), Decimal(value), n, line)


def test_entering_a_value_stores_who_where_from_and_audits_it(tree, indicator, manager):
    saved = measurement_enter(
        indicator=indicator,
        unit=tree.gata,
        period=Period.parse("2025-03"),
        value=Decimal("93.456"),
        n=120,
        comment="Telefonirapport mars",
        by=manager,
    )
    saved.refresh_from_db()
    assert (saved.value, saved.n, saved.source, saved.entered_by) == (
        Decimal("93.46"),
        120,
        "manual",
        manager,
    )
    assert (saved.period_start, saved.period_end) == (date(2025, 3, 1), date(2025, 3, 31))
    entry = measurement_log().get(object_id=str(saved.pk))
    assert entry.action == "create"
    assert entry.unit == tree.gata
    assert entry.changes["value"] == {"from": None, "to": "93.46"}


def test_entering_again_replaces_the_value_and_the_log_keeps_the_old_one(tree, indicator, manager):
    Measurement.objects.create(
        indicator=indicator,
        unit=tree.teknik,
        period="2025-03",
        period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31),
        value=Decimal("80"),
        low=Decimal("70"),
        high=Decimal("90"),
        source="manual",
    )
    saved = measurement_enter(
        indicator=indicator,
        unit=tree.teknik,
        period=Period.parse("2025-03"),
        value=Decimal("85"),
        by=manager,
    )
    assert Measurement.objects.count() == 1
    saved = Measurement.objects.get()
    assert (saved.value, saved.low, saved.high) == (Decimal("85"), None, None)
    entry = measurement_log().get(object_id=str(saved.pk))
    assert (entry.action, entry.changes["value"]) == ("update", {"from": "80.00", "to": "85.00"})


def test_an_import_saves_every_row_and_logs_only_values_that_changed(tree, indicator, manager):
    rows = [figure(tree.teknik, "2025-01", "90", 10, 2), figure(tree.gata, "2025-01", "91", 11, 3)]
    measurements_import(indicator=indicator, rows=rows, by=manager, comment="Telia")
    assert Measurement.objects.filter(comment="Telia", entered_by=manager).count() == 2
    assert measurement_log().filter(action="create").count() == 2
    again = [*rows[:1], figure(tree.gata, "2025-01", "95", 11, 3)]
    measurements_import(indicator=indicator, rows=again, by=manager, comment="Telia")
    assert Measurement.objects.count() == 2
    updates = measurement_log().filter(action="update")
    assert [entry.changes for entry in updates] == [{"value": {"from": "91.00", "to": "95.00"}}]


def test_one_bad_row_saves_nothing_and_says_which_row(tree, indicator, manager):
    measurement_enter(
        indicator=indicator,
        unit=tree.teknik,
        period=Period.parse("2025-01"),
        value=Decimal(50),
        by=manager,
    )
    rows = [
        figure(tree.teknik, "2025-01", "90", line=2),
        figure(tree.gata, "2025-02", "91", line=3),
        figure(tree.gata, "2025-03", "191", line=4),
    ]
    message = refusal(measurements_import, indicator=indicator, rows=rows, by=manager)
    assert message == "Row 4: A percentage must be between 0 and 100."
    assert list(Measurement.objects.values_list("period", "value")) == [("2025-01", Decimal(50))]


def test_only_indicators_measured_elsewhere_take_typed_in_values(tree, manager):
    computed = make_indicator(tree.teknik, source="cases", statistic="share_praise")
    message = refusal(
        measurement_enter,
        indicator=computed,
        unit=tree.teknik,
        period=Period.parse("2025-01"),
        value=Decimal(50),
        by=manager,
    )
    assert "The values of this indicator are computed from cases." in message
    assert not Measurement.objects.exists()
    assert not measurement_log().exists()


def test_units_outside_the_owner_and_future_periods_and_repeats_are_refused(
    tree, indicator, manager
):
    next_month = Period.containing(timezone.localdate(), PeriodKind.MONTH).next()
    rows = [
        figure(tree.hemtjanst, "2025-01", "90", line=2),
        figure(tree.teknik, next_month.code, "90", line=3),
        figure(tree.teknik, "2025-01", "90", line=4),
        figure(tree.teknik, "2025-01", "90", line=5),
    ]
    message = refusal(measurements_import, indicator=indicator, rows=rows, by=manager)
    assert "Row 2: Hemtjänst (en) is not Teknik (en) or a unit below it." in message
    assert "Row 3: " in message
    assert "has not started yet." in message
    assert "Row 5: This unit and period are given more than once." in message
    assert "Row 4" not in message
    assert not Measurement.objects.exists()


def test_an_empty_import_and_an_overlong_comment_are_refused(tree, indicator, manager):
    assert "no values to save" in refusal(
        measurements_import, indicator=indicator, rows=[], by=manager
    )
    rows = [figure(tree.teknik, "2025-01", "90")]
    assert "at most 300 characters" in refusal(
        measurements_import, indicator=indicator, rows=rows, by=manager, comment="x" * 301
    )
    assert not Measurement.objects.exists()


def test_huge_numbers_are_refused_and_shown_as_the_file_wrote_them(indicator):
    huge = "1" + "0" * 40
    text = f"period;value;n\n2025-01;{huge};\n2025-02;50;99999999999\n"
    parsed = english(parse, text, indicator)
    assert errors_of(parsed) == {
        2: ["The value is too large."],
        3: ["The number measured must be a whole number of zero or more."],
    }
    assert parsed.rows[0].value_shown == huge


def test_the_preview_shows_values_as_stored_in_the_readers_language(indicator):
    row = parse("period;value\n2025-01;88,254\n", indicator).rows[0]
    with translation.override("sv"):
        assert row.value_shown == "88,25"
    with translation.override("en"):
        assert row.value_shown == "88.25"
