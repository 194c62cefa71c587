"""Spreadsheet cells that can never run as formulas (CSV and Excel injection, OWASP).

A text that starts with =, +, -, @, a tab or a carriage return is taken as a formula by
Excel and LibreOffice — a school named =HYPERLINK(...) would become a live link in the
lead's appendix. Every writer of a spreadsheet goes through this module:

- Excel (openpyxl): `workbook_bytes(workbook)` saves the workbook after turning every such
  cell into a plain text cell with Excel's own "quote prefix" mark (what Excel does when one
  types '=...), so the cell shows exactly the text, as text, and stays text when edited.
- CSV: `csv_writer(out, ...)` writes every such text with a leading single quote, which is
  what a spreadsheet then shows; a CSV file has no other way to say "this is text".

Numbers stay numbers (a negative number is a number, not a formula); only texts change.
"""

import csv
import io

# The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """True for a text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """A CSV cell's value: a formula-like text gets a leading single quote; others unchanged."""
    return "'" + value if is_formula_like(value) else value


class _InertWriter:
    """A csv.writer whose rows pass through csv_cell first."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **options) -> _InertWriter:
    """csv.writer(out, **options), with every cell made inert."""
    return _InertWriter(csv.writer(out, **options))


def make_inert(workbook) -> None:
    """Turn every formula and formula-like text of the workbook into a plain text cell.

    The project writes no formulas of its own, so every formula cell came from data.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(workbook) -> bytes:
    """The workbook as .xlsx bytes, made inert first (use instead of workbook.save)."""
    make_inert(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
