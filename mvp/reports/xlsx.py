"""The Excel appendix (openpyxl): one sheet per table of the report, the same figures.

Numbers are stored as numbers (shares as fractions with a percent format, so 0.457 shows as
45.7 %), a suppressed figure as the text "..", a figure that does not apply as an empty cell.
A confidence interval fills two columns, its lower and upper limit.
"""

import re

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from mvp.evaluation.numbers import fmt_p
from mvp.evaluation.results import Evaluation
from mvp.evaluation.suppress import SUPPRESSED
from mvp.reports.tables import Table, evaluation_tables
from mvp.spreadsheet_safety import workbook_bytes

NUMBER_FORMATS = {
    "count": "0",
    "index": "0.0",
    "mean": "0.00",
    "change": "+0.0;-0.0;0.0",
    "ci": "0.0",
    "effect": "0.00",
    "p": "0.000",
    "share": "0.0%",
    "alpha": "0.00",
    "hours": "0.0",
}


def number_format(kind: str) -> str:
    """Excel's format for a kind of figure; the cell keeps the exact number.

    A p-value shows as the web and the PDF write it (mvp.evaluation.numbers.fmt_p, the one
    rule): three decimals, and below 0.001 the same words "< 0,001" in the report's language.
    """
    if kind == "p":
        below = fmt_p(0.0).replace('"', "")
        return f'[<0.001]"{below}";0.000'
    return NUMBER_FORMATS.get(kind, "General")


_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _words_within(text: str, limit: int) -> str:
    """The longest run of whole words of `text` within `limit` characters, without a
    dangling comma, dash or bracket at the end."""
    if len(text) <= limit:
        return text.rstrip(" ,;–-(")
    cut = text[:limit]
    if text[limit] != " " and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;–-(") or text[:limit]


def sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, no []:*?/\\), unique in the workbook.

    Long titles keep their first whole words; a repeated name gets a number ("Skalor 2")
    in place of its last words, never a cut word.
    """
    text = " ".join(_FORBIDDEN.sub(" ", title.replace(":", " –")).split())
    base = _words_within(text, 31) or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        suffix = f" {number}"
        name = _words_within(base, 31 - len(suffix)) + suffix
        number += 1
    used.add(name.lower())
    return name


def expanded_columns(table: Table) -> list[tuple[str, str]]:
    """(heading, kind) per Excel column: a CI column becomes its two limits."""
    columns = []
    for column in table.columns:
        if column.kind == "ci":
            columns.append((_("%(ci)s, lower", ci=column.label), "ci"))
            columns.append((_("%(ci)s, upper", ci=column.label), "ci"))
        else:
            columns.append((column.label, column.kind))
    return columns


def expanded_row(table: Table, row: list) -> list[tuple]:
    """(value, kind) per Excel cell of one row."""
    cells = []
    for value, column in zip(row, table.columns, strict=True):
        if column.kind == "ci":
            low, high = value if value is not None else (None, None)
            cells += [(low, "ci"), (high, "ci")]
        elif column.kind == "figure":
            cells.append(value)
        else:
            cells.append((value, column.kind))
    return cells


def render_xlsx(evaluation: Evaluation) -> bytes:
    """The appendix as .xlsx bytes (call in the report's language)."""
    meta = evaluation.meta
    facts = [
        (_("Evaluation of %(programme)s", programme=meta.programme), ""),
        (_("Municipality"), meta.municipality),
        (_("School year"), meta.period),
        (_("Schools"), ", ".join(meta.schools)),
        (_("Made on"), meta.made_on),
        (
            _("Small numbers"),
            _(
                'Figures based on fewer than %(n)s pupils are shown as "..".',
                n=meta.suppression_min,
            ),
        ),
        (_("Sheets"), _("One sheet per table of the report, in the report's order.")),
    ]
    return tables_workbook(facts, evaluation_tables(evaluation))


def tables_workbook(facts: list[tuple], tables: list[Table]) -> bytes:
    """An appendix of any result object: an About sheet of `facts`, a contents sheet, and one
    sheet per table (the officials' survey and the pupils' evaluation both end here)."""
    workbook = Workbook()
    about = workbook.active
    about.title = _("About")[:31]
    used = {about.title.lower()}
    for row in facts:
        about.append(list(row))
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    contents = workbook.create_sheet(sheet_title(_("Contents"), used))
    sheets = []
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(table.title, used))
        _write_sheet(sheet, table)
        sheets.append((sheet.title, table.title))
    _write_contents(contents, sheets)
    return workbook_bytes(workbook)


def _write_contents(sheet, sheets: list[tuple[str, str]]) -> None:
    """Every sheet with its table's full title, each a link to the sheet."""
    sheet.append([_("Contents")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Sheet"), _("Table")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for name, title in sheets:
        sheet.append([name, title])
        link = sheet.cell(row=sheet.max_row, column=1)
        link.hyperlink = f"#'{name}'!A1"
        link.font = Font(color="1D4F91", underline="single")
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90


def _write_sheet(sheet, table: Table) -> None:
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=12)
    columns = expanded_columns(table)
    sheet.append([heading for heading, _kind in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        values = expanded_row(table, row)
        sheet.append([value for value, _kind in values])
        for cell, (value, kind) in zip(sheet[sheet.max_row], values, strict=True):
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = number_format(kind)
            elif value == SUPPRESSED:
                cell.alignment = Alignment(horizontal="right")
    if table.total_row and table.rows:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 40
    for index in range(2, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14


# The building blocks other workbooks are written with (the equality report, mvp.goals.report).
write_table_sheet = _write_sheet
write_contents = _write_contents
