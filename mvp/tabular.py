"""Reading uploaded tables (CSV or XLSX) for all-or-nothing imports, and reporting their errors.

Accepts what Swedish offices actually produce: UTF-8 with or without BOM, Excel's
"CSV (semikolonavgränsad)" (semicolons, Windows-1252), comma-separated CSV, and .xlsx.
Every problem is collected with its row and column so the user can fix the file in one go.
"""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _

from mvp import input_rules

# The limits of every imported file; reading stops as soon as one is passed.
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# Rows read at all, empty ones included (a sheet may hold formatted but empty rows).
MAX_SCANNED_ROWS = 2 * MAX_ROWS
# What an .xlsx file may unpack to, in all and in its table of texts (read whole by openpyxl).
XLSX_MAX_UNPACKED = 100 * 2**20
XLSX_MAX_STRINGS = 20 * 2**20
# Used outside the app (e.g. a script); the app's own cap is MAX_CONTENT_LENGTH.
DEFAULT_MAX_BYTES = 10 * 2**20
# Every cell is checked by the shared input rule; importers check each column's own limit.
CELL_MAX = input_rules.CELL_MAX
# More messages than this help nobody: the user fixes these and tries again.
MAX_ERRORS = 200


@dataclass(frozen=True)
class CellError:
    """One problem in an uploaded table. Row 1 is the header; column is the header's name."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _(
                "Row %(row)d, column %(column)s: %(message)s",
                row=self.row,
                column=self.column,
                message=self.message,
            )
        if self.row is not None:
            return _("Row %(row)d: %(message)s", row=self.row, message=self.message)
        return self.message


class TableErrors(Exception):
    """All the problems found in an uploaded table; nothing was saved."""

    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass
class Table:
    """An uploaded table: its header (as written, stripped) and rows as {header: text}."""

    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)

    def numbered_rows(self):
        """(row number as the user sees it in the file, row); the header is row 1."""
        return enumerate(self.rows, start=2)


def upload_limit_bytes() -> int:
    """The largest file an import reads: the app's request cap (MVP_MAX_UPLOAD_MB)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") if current_app else None
    return int(limit or DEFAULT_MAX_BYTES)


def upload_limit_hint() -> str:
    """The size cap as a form's hint says it, in the reader's language."""
    return _(
        "At most %(mb)s MB, %(rows)d rows and %(columns)d columns.",
        mb=f"{upload_limit_bytes() / 2**20:g}",
        rows=MAX_ROWS,
        columns=MAX_COLUMNS,
    )


def _too_many_rows() -> TableErrors:
    return TableErrors([CellError(None, None, _("The file has more than %(n)d rows.", n=MAX_ROWS))])


def _too_many_columns() -> TableErrors:
    return TableErrors(
        [CellError(None, None, _("The file has more than %(n)d columns.", n=MAX_COLUMNS))]
    )


def _encoding(data: bytes) -> str:
    # Checked in slices so that no second copy of the whole file is made.
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 16):
            decoder.decode(data[start : start + (1 << 16)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        # Excel on Swedish Windows saves "CSV (semikolonavgränsad)" in Windows-1252.
        return "cp1252"
    return "utf-8-sig"


def _read_csv(data: bytes):
    """The file's rows, read one line at a time (never the whole text at once)."""
    if b"\x00" in data:  # a binary file, or UTF-16 "Unicode text": not a CSV file we read
        raise TableErrors([CellError(None, None, _("The file is not a CSV or Excel file."))])
    encoding = _encoding(data)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    try:
        first_line = text.readline(64 * 1024)
    except UnicodeDecodeError as error:
        raise TableErrors(
            [CellError(None, None, _("The file is not a text file in UTF-8 or Windows-1252."))]
        ) from error
    text.seek(0)
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
        delimiter = "\t"
    try:
        for values in csv.reader(text, delimiter=delimiter):
            if len(values) > MAX_COLUMNS:
                if any(cell.strip() for cell in values[MAX_COLUMNS:]):
                    raise _too_many_columns()
                values = values[:MAX_COLUMNS]
            yield values
    except (csv.Error, UnicodeDecodeError) as error:
        raise TableErrors(
            [CellError(None, None, _("The file could not be read as a CSV file."))]
        ) from error


def _check_xlsx_archive(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than the limits (a "zip bomb").

    The sizes come from the archive's directory, and reading never goes past them (zipfile
    stops at the declared size), so this bounds what openpyxl can unpack.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise TableErrors(
            [CellError(None, None, _("The Excel file could not be read."))]
        ) from error
    strings = sum(p.file_size for p in parts if p.filename.endswith("sharedStrings.xml"))
    if sum(p.file_size for p in parts) > XLSX_MAX_UNPACKED or strings > XLSX_MAX_STRINGS:
        raise _too_many_rows()


def _read_xlsx(data: bytes):
    """The first sheet's rows, read as a stream, with the row and column limits checked while
    reading: the sheet's declared size is never trusted (a small file may declare
    A1:XFD1048576 and would otherwise be padded out to billions of empty cells)."""
    from openpyxl import load_workbook

    _check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TableErrors(
            [CellError(None, None, _("The Excel file could not be read."))]
        ) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # forget the declared size; read what is there
        # Without a declared size, a row is as wide as its last cell: a row reaching past
        # the column limit is refused at once.
        for scanned, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if scanned > MAX_SCANNED_ROWS:
                raise _too_many_rows()
            if len(values) > MAX_COLUMNS:
                if any(value not in (None, "") for value in values[MAX_COLUMNS:]):
                    raise _too_many_columns()
                values = values[:MAX_COLUMNS]
            if not any(value is not None for value in values):
                yield []  # an empty row, cheaply
                continue
            yield ["" if value is None else _cell_text(value) for value in values]
    except TableErrors:
        raise
    except Exception as error:  # a damaged sheet shows only while it is read
        raise TableErrors(
            [CellError(None, None, _("The Excel file could not be read."))]
        ) from error
    finally:
        workbook.close()


def _cell_text(value) -> str:
    # Excel stores 3 as 3.0; an integral float is written without its decimals.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _non_empty_rows(rows):
    """The rows with any text, stopping (with a message) past the row limit."""
    kept = 0
    for values in rows:
        if not any(cell.strip() for cell in values):
            continue
        kept += 1
        if kept > MAX_ROWS + 1:  # the header and MAX_ROWS rows
            raise _too_many_rows()
        yield values


def _cell_errors(number: int, header: list[str], values: list[str]) -> list[CellError]:
    """The shared input rule (mvp.input_rules) for every cell of a row."""
    errors = []
    for index, cell in enumerate(values):
        message = input_rules.text_problem(cell, multiline=True, max_length=CELL_MAX)
        if message:
            column = header[index] if index < len(header) and header[index] else None
            errors.append(CellError(number, column or _column_letter(index), message))
    return errors


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_table(data: bytes, filename: str) -> Table:
    """Parse an uploaded CSV or XLSX file; raises TableErrors when it cannot be read at all,
    is larger than the limits, or has a cell that breaks the shared input rule."""
    if not data:
        raise TableErrors([CellError(None, None, _("The file is empty."))])
    if len(data) > upload_limit_bytes():
        raise TableErrors([CellError(None, None, upload_limit_hint())])
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    rows = _non_empty_rows(_read_xlsx(data) if is_xlsx else _read_csv(data))
    first = next(rows, None)
    if first is None:
        raise TableErrors([CellError(None, None, _("The file is empty."))])
    header = [cell.strip() for cell in first]
    while header and not header[-1]:
        header.pop()
    errors = _cell_errors(1, header, header)
    table = Table(header)
    for number, values in enumerate(rows, start=2):
        cells = [cell.strip() for cell in values] + [""] * (len(header) - len(values))
        errors += _cell_errors(number, header, cells[: max(len(header), len(values))])
        if len(errors) >= MAX_ERRORS:
            break
        table.rows.append(dict(zip(header, cells[: len(header)], strict=True)))
    if errors:
        raise TableErrors(errors[:MAX_ERRORS])
    return table


def check_header(table: Table, required: list[str], optional: list[str] = ()) -> None:
    """Raise TableErrors naming every missing, unknown or repeated column of the header."""
    errors = []
    seen = set()
    for name in table.header:
        if name in seen:
            errors.append(CellError(1, name, _("The column appears twice.")))
        seen.add(name)
        if name not in required and name not in optional:
            errors.append(CellError(1, name, _("Unknown column.")))
    for name in required:
        if name not in seen:
            errors.append(CellError(1, name, _("The column is missing.")))
    if errors:
        raise TableErrors(errors)
