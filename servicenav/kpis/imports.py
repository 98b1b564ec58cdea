"""Reading a file of figures measured elsewhere (CSV or Excel) into checked rows.

Telephony systems, e-mail tests and "a simple question by phone" are measured outside
Servicenav; staff export the figures and upload them. Nothing is stored here: the file
becomes rows, each with its parsed values or the reasons it cannot be saved, shown as a
preview with the row numbers of the file. Only a file without errors can be saved, and the
save (`services.measurements_import`) runs the same checks again.

The type of a file is decided by its content, never by its name: an Excel workbook is a
zip archive holding `xl/workbook.xml`; anything else must be text. Text may be UTF-8 (with
or without a byte-order mark), UTF-16 with a byte-order mark, or Windows-1252, which
older Swedish Excel writes; columns are separated by semicolons (Swedish Excel), commas or
tabs, and numbers may have a decimal comma.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import zip_longest
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.services import (
    ManualFigure,
    manual_period_problem,
    manual_value_problem,
)
from servicenav.organisation.models import Unit

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from django.core.files.uploadedfile import UploadedFile

    from servicenav.kpis.models import Indicator

T = TypeVar("T")

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
# An XLSX is compressed; a small file may unpack into a very large one.
MAX_UNPACKED_BYTES = 30_000_000

# Header names, in English and Swedish, of the four columns.
COLUMN_NAMES = {
    "period": "period",
    "value": "value",
    "värde": "value",
    "varde": "value",
    "n": "n",
    "antal": "n",
    "unit": "unit",
    "enhet": "unit",
}
COLUMNS = ("period", "value", "n", "unit")
REQUIRED_COLUMNS = ("period", "value")

_OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_DIGITS = re.compile(r"[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# Larger values are refused anyway; the preview shows them as the file wrote them.
_LARGEST_SHOWN = Decimal("1e15")


@dataclass(frozen=True)
class Formula:
    """An Excel cell holding a formula whose result the file does not carry."""

    text: str

    def __str__(self) -> str:
        return self.text


# A cell as read: text from CSV; from Excel also numbers, dates and unsaved formulas.
Cell = str | Decimal | date | Formula | None


@dataclass
class ImportRow:
    """One row of the file: what it said, what it means, and why it cannot be saved."""

    line: int
    shown: dict[str, str]
    period: Period | None = None
    value: Decimal | None = None
    n: int | None = None
    unit: Unit | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def value_shown(self) -> str:
        """The value as it will be stored (two decimals), in the reader's language, without
        trailing zeros: the preview must not round what the file says into something else."""
        if self.value is None or abs(self.value) > _LARGEST_SHOWN:
            return self.shown["value"]
        return number_format(self.value.quantize(Decimal("0.01")).normalize())


@dataclass
class ParsedFile:
    rows: list[ImportRow]

    @property
    def error_rows(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_rows

    def payload(self) -> list[list[Any]]:
        """The rows as plain JSON, for the session between preview and confirmation."""
        return [
            [row.line, row.unit.pk, row.period.code, str(row.value), row.n]
            for row in self.rows
            if row.unit and row.period and row.value is not None
        ]


def figures_from_payload(indicator: Indicator, payload: list[list[Any]]) -> list[ManualFigure]:
    """The rows a preview kept, ready for `measurements_import`. Units are looked up again
    within the indicator's subtree; the service checks everything else once more."""
    units = Unit.objects.within([indicator.unit]).in_bulk()
    figures = []
    for line, unit_id, code, value, n in payload:
        unit = units.get(unit_id)
        if unit is None:
            raise ValidationError(_("A unit in the file no longer exists. Upload it again."))
        figure = ManualFigure(unit, Period.parse(code), Decimal(value), n, line)
        figures.append(figure)
    return figures


# The whole file


def read_upload(upload: UploadedFile) -> bytes:
    """The file's bytes, or ValidationError when it is empty or too large."""
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is too large. It may be at most %(limit)s."),
            params={"limit": filesizeformat(MAX_BYTES)},
        )
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    return data


def parse_file(data: bytes, indicator: Indicator, today: date | None = None) -> ParsedFile:
    """Every row of a CSV or XLSX file, checked for `indicator`. Problems with the file as
    a whole (type, size, columns) raise ValidationError; problems of a row are its errors."""
    lines = _non_empty(_read_table(data))
    if not lines:
        raise ValidationError(_("The file is empty."))
    columns = _columns(lines[0][1])
    if len(lines) - 1 > MAX_ROWS:
        raise ValidationError(
            _("The file has more than %(count)s rows. Split it into smaller files."),
            params={"count": number_format(MAX_ROWS, force_grouping=True)},
        )
    if len(lines) == 1:
        raise ValidationError(_("The file has column names but no rows of figures."))
    reader = _RowReader(indicator, today or timezone.localdate())
    rows = [reader.row(line, cells, columns) for line, cells in lines[1:]]
    _mark_repeats(rows)
    return ParsedFile(rows)


def _read_table(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_lines(data)
    if data.startswith(_OLD_EXCEL):
        raise ValidationError(
            _("This is an Excel file in the old format (.xls). Save it as .xlsx or as CSV.")
        )
    return _csv_lines(_decode(data))


def _non_empty(lines: Iterator[tuple[int, list[Cell]]]) -> list[tuple[int, list[Cell]]]:
    """The lines with something in them: the header and at most one row past the limit,
    so a huge file is not read to its end only to be refused."""
    kept: list[tuple[int, list[Cell]]] = []
    for line, cells in lines:
        if any(_text(cell) for cell in cells):
            kept.append((line, cells))
            if len(kept) > MAX_ROWS + 1:
                break
    return kept


def _not_readable() -> ValidationError:
    return ValidationError(
        _(
            "The file is neither a CSV file nor an Excel workbook (.xlsx). Save the figures "
            "from the program they come from as CSV or as an Excel workbook."
        )
    )


def _decode(data: bytes) -> str:
    """The text of a CSV file in any of the encodings Excel and its neighbours write."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif b"\x00" in data:
        raise _not_readable()
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text
    raise _not_readable()


def _csv_lines(text: str) -> Iterator[tuple[int, list[Cell]]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        for cells in reader:
            yield reader.line_num, list(cells)
    except csv.Error as error:
        raise ValidationError(
            _("Row %(line)s of the file cannot be read as CSV."),
            params={"line": reader.line_num},
        ) from error


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    """The cells of the first sheet, row by row. A formula cell gives the value Excel
    saved with it; without one (a file written by a program that does not calculate) it
    is a `Formula`, which the row reports."""
    _check_archive(data)
    from openpyxl import load_workbook

    try:
        books = [
            load_workbook(io.BytesIO(data), read_only=True, data_only=values)
            for values in (True, False)
        ]
    except Exception as error:  # openpyxl raises many kinds of errors on a broken file
        raise _not_readable() from error
    try:
        sheets = [book.worksheets[0] for book in books]
        for sheet in sheets:
            sheet.reset_dimensions()  # the stored dimensions may be wrong; read every row
        rows = zip(sheets[0].iter_rows(), sheets[1].iter_rows(), strict=False)
        for line, (values, formulas) in enumerate(rows, start=1):
            yield line, [_xlsx_cell(v, f) for v, f in zip_longest(values, formulas)]
    except ValidationError:
        raise
    except Exception as error:  # a broken sheet fails while it is read
        raise _not_readable() from error
    finally:
        for book in books:
            book.close()


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _not_readable() from error
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise _not_readable()
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise ValidationError(_("The workbook is too large when unpacked. Save fewer rows in it."))


def _xlsx_cell(value_cell: Any, formula_cell: Any) -> Cell:
    value = getattr(value_cell, "value", None)
    if value is None:
        if getattr(formula_cell, "data_type", None) == "f":
            return Formula(str(formula_cell.value))
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        number = Decimal(repr(value))
        if "%" in str(getattr(value_cell, "number_format", "")):
            number *= 100  # shown as 93.5 %, stored as 0.935
        return number
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return str(value)


# The columns


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f") if cell.is_finite() else str(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def _columns(header: list[Cell]) -> dict[str, int]:
    """Which cell of a row holds which column, from the names in the first row."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _text(cell)
        if not name:
            continue
        column = COLUMN_NAMES.get(name.casefold())
        if column is None:
            raise ValidationError(
                _(
                    "The first row must name the columns. “%(name)s” is not one of them: "
                    "period, value (värde), n (antal) and unit (enhet)."
                ),
                params={"name": name[:50]},
            )
        if column in columns:
            raise ValidationError(
                _("The column “%(name)s” is named twice."), params={"name": name[:50]}
            )
        columns[column] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ValidationError(
            _("The file needs the columns period and value; it has no “%(name)s” column."),
            params={"name": missing[0]},
        )
    return columns


def _mark_repeats(rows: list[ImportRow]) -> None:
    """A unit's period given twice is an error on the later row: which one is right?"""
    first: dict[tuple[int, str], int] = {}
    for row in rows:
        if row.unit is None or row.period is None:
            continue
        key = (row.unit.pk, row.period.code)
        if key in first:
            message = _("The same period and unit as row %(line)s.") % {"line": first[key]}
            row.errors.append(str(message))
        else:
            first[key] = row.line


# One row


class _RowReader:
    """Reads rows for one indicator: its period kind, its units, today's date."""

    def __init__(self, indicator: Indicator, today: date) -> None:
        self.indicator = indicator
        self.today = today
        self.units = UnitNames(indicator.unit)

    def row(self, line: int, cells: list[Cell], columns: dict[str, int]) -> ImportRow:
        def cell(name: str) -> Cell:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        row = ImportRow(line, {name: _text(cell(name)) for name in COLUMNS})
        formulas = [c for c in cells if isinstance(c, Formula)]
        if formulas:
            row.errors.append(str(_formula_message(formulas[0])))
            return row
        extra = [c for i, c in enumerate(cells) if i not in columns.values() and _text(c)]
        if extra:
            row.errors.append(str(_too_many_cells()))
        row.period = self._field(row, lambda: parse_period(cell("period"), self.indicator))
        row.unit = self._field(row, lambda: self.units.find(cell("unit")))
        row.value = self._field(row, lambda: parse_value(cell("value")))
        row.n = self._field(row, lambda: parse_count(cell("n")))
        self._check(row)
        return row

    @staticmethod
    def _field(row: ImportRow, parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except ValidationError as error:
            row.errors.extend(error.messages)
            return None

    def _check(self, row: ImportRow) -> None:
        period, value = row.period, row.value
        if period and (problem := manual_period_problem(self.indicator, period, self.today)):
            row.errors.append(problem)
            row.period = None
        if value is not None and (problem := manual_value_problem(self.indicator, value, row.n)):
            row.errors.append(problem)


def _formula_message(formula: Formula) -> str:
    return str(
        _(
            "A cell holds the formula %(formula)s, but the file does not carry its result. "
            "Open the file in Excel and save it again, or paste the values without formulas."
        )
        % {"formula": formula.text[:50]}
    )


def _too_many_cells() -> Any:
    return _(
        "The row has more cells than there are columns. When columns are separated by "
        "commas, write decimals with a point (93.5) or separate the columns with semicolons."
    )


class UnitNames:
    """The units an indicator measures (its owner and those below it), found by id, name
    in either language or short name, as a file may give them."""

    def __init__(self, owner: Unit) -> None:
        self.owner = owner
        self.by_id = Unit.objects.within([owner]).in_bulk()
        self.by_name: dict[str, list[Unit]] = {}
        for unit in self.by_id.values():
            for name in {unit.name_sv, unit.name_en, unit.slug}:
                self.by_name.setdefault(name.strip().casefold(), []).append(unit)

    def find(self, cell: Cell) -> Unit:
        text = _text(cell)
        if not text:
            return self.owner
        found = self.by_name.get(_SPACES.sub(" ", text).casefold(), [])
        if _DIGITS.fullmatch(text) and len(text) < 19 and int(text) in self.by_id:
            found = [self.by_id[int(text)]]
        if len(found) > 1:
            raise ValidationError(
                _("Several units are called “%(name)s”. Give the unit's number instead."),
                params={"name": text[:100]},
            )
        if not found:
            raise ValidationError(
                _("“%(name)s” is not %(owner)s or a unit below it."),
                params={"name": text[:100], "owner": self.owner.name},
            )
        return found[0]


# Values, shared with the form for typing a figure in


def parse_period(cell: Cell, indicator: Indicator) -> Period:
    """The period a cell names, e.g. 2026-03, 2026-Q1 (or 2026-K1), 2026-T1 or 2026, or a
    date on which a period starts, as Excel turns 2026-03 into 1 March 2026."""
    kind = PeriodKind(indicator.period_kind)
    text = _SPACES.sub("", _text(cell)).upper().replace("-K", "-Q")
    if not text:
        raise ValidationError(_("Give the period."))
    if isinstance(cell, date) or _ISO_DATE.fullmatch(text):
        day = cell if isinstance(cell, date) else _iso_date(text)
        period = Period.containing(day, kind) if day else None
        if period is None or period.start != day:
            raise _not_a_period(text, indicator)
        return period
    try:
        return Period.parse(text)
    except ValueError:
        raise _not_a_period(text, indicator) from None


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _not_a_period(text: str, indicator: Indicator) -> ValidationError:
    example = Period.containing(timezone.localdate(), PeriodKind(indicator.period_kind))
    return ValidationError(
        _("“%(text)s” is not a period. Write it like %(example)s."),
        params={"text": text[:30], "example": example.code},
    )


def parse_value(cell: Cell) -> Decimal:
    """A number, with a decimal comma or point, spaces between thousands and an optional
    per cent sign: "93,5", "93.5 %", "1 234"."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        raise ValidationError(_("Give the value."))
    return _number(cell)


def parse_count(cell: Cell) -> int | None:
    """The number measured (calls, e-mails, tests), or None when the cell is empty."""
    if not _text(cell):
        return None
    number = _number(cell)
    if number != number.to_integral_value() or number < 0:
        raise ValidationError(_("The number measured must be a whole number of zero or more."))
    return int(number)


def _number(cell: Cell) -> Decimal:
    if isinstance(cell, Decimal):
        number = cell
    else:
        text = _SPACES.sub("", _text(cell)).replace("\u2212", "-").removesuffix("%")
        if not _NUMBER.fullmatch(text):
            raise ValidationError(
                _("“%(text)s” is not a number. Write it like 93.5 or 93,5."),
                params={"text": _text(cell)[:30]},
            )
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:  # cannot happen after the pattern, but never a 500
            raise ValidationError(_("Give the value.")) from None
    if not number.is_finite():
        raise ValidationError(_("The value is too large."))
    return number
