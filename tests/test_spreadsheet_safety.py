"""Spreadsheet cells never run as formulas; numbers stay numbers (OWASP CSV injection)."""

import csv
import io

from openpyxl import Workbook, load_workbook

from mvp.spreadsheet_safety import csv_writer, workbook_bytes

RISKY = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_formula_like_texts_are_text_cells_in_excel_and_numbers_stay_numbers():
    workbook = Workbook()
    workbook.active.append([*RISKY, -5, 2.5, "Östra skolan"])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    cells = list(sheet[1])
    for cell, text in zip(cells, RISKY, strict=False):
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
        # Shown as written (XML reads a carriage return back as a line feed).
        assert cell.value == text.replace("\r", "\n")
    assert [(c.value, c.data_type) for c in cells[len(RISKY) :]] == [
        (-5, "n"),
        (2.5, "n"),
        ("Östra skolan", "s"),
    ]
    assert not cells[-1].quotePrefix


def test_formula_like_texts_get_a_quote_in_csv_and_numbers_do_not():
    out = io.StringIO()
    csv_writer(out, delimiter=";").writerow([*RISKY, -5, "Östra skolan"])
    row = next(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert row == [*("'" + text for text in RISKY), "-5", "Östra skolan"]
