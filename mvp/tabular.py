"""Reading uploaded tables (CSV or XLSX) for all-or-nothing imports, and reporting their errors.

Accepts what Swedish offices actually produce: UTF-8 with or without BOM, Excel's
"CSV (semikolonavgränsad)" (semicolons, Windows-1252), comma-separated CSV, and .xlsx.
Every problem is collected with its row and column so the user can fix the file in one go.
"""

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _

MAX_ROWS = 20_000


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


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Excel on Swedish Windows saves "CSV (semikolonavgränsad)" in Windows-1252.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise TableErrors(
            [CellError(None, None, _("The file is not a text file in UTF-8 or Windows-1252."))]
        ) from error


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise TableErrors([CellError(None, None, _("The file is not a CSV or Excel file."))])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
        delimiter = "\t"
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TableErrors(
            [CellError(None, None, _("The Excel file could not be read."))]
        ) from error
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if value is None else _cell_text(value) for value in values])
    workbook.close()
    return rows


def _cell_text(value) -> str:
    # Excel stores 3 as 3.0; an integral float is written without its decimals.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(data: bytes, filename: str) -> Table:
    """Parse an uploaded CSV or XLSX file; raises TableErrors when it cannot be read at all."""
    if not data:
        raise TableErrors([CellError(None, None, _("The file is empty."))])
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    raw = _read_xlsx(data) if is_xlsx else _read_csv(data)
    raw = [row for row in raw if any(cell.strip() for cell in row)]
    if not raw:
        raise TableErrors([CellError(None, None, _("The file is empty."))])
    if len(raw) - 1 > MAX_ROWS:
        raise TableErrors(
            [CellError(None, None, _("The file has more than %(n)d rows.", n=MAX_ROWS))]
        )
    header = [cell.strip() for cell in raw[0]]
    while header and not header[-1]:
        header.pop()
    rows = []
    for values in raw[1:]:
        cells = [cell.strip() for cell in values] + [""] * (len(header) - len(values))
        rows.append(dict(zip(header, cells[: len(header)], strict=True)))
    return Table(header, rows)


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
