"""Importing a year's seats from the secretariat's list (CSV or XLSX), all or nothing.

One row per body, the body's name as registered, and the number of women, men and others per
kind of seat (blank is 0). Column names are Swedish, as the secretariat's lists are:
    organ; ordinarie kvinnor; ordinarie män; ordinarie annat; ersättare kvinnor; …;
    ordförande annat
Every problem is reported at once with its row and column; nothing is saved unless the whole
file is right (also when the year's round already has more answers than the file's seats).
"""

import io
import re

import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.officials import services
from mvp.officials.models import PoliticalBody, SeatKind, SeatSex
from mvp.spreadsheet_safety import csv_writer, workbook_bytes
from mvp.tabular import CellError, Table, TableErrors, check_header, read_table
from mvp.upload_checks import check_is_table, check_is_template
from mvp.validation import Invalid

BODY = "organ"
_KIND_WORDS = {
    SeatKind.ORDINARY: "ordinarie",
    SeatKind.SUBSTITUTE: "ersättare",
    SeatKind.CHAIR: "ordförande",
}
_SEX_WORDS = {SeatSex.WOMAN: "kvinnor", SeatSex.MAN: "män", SeatSex.OTHER: "annat"}
COUNT_COLUMNS = {
    f"{_KIND_WORDS[kind]} {_SEX_WORDS[sex]}": (kind.value, sex.value)
    for kind in SeatKind
    for sex in SeatSex
}
HEADER = [BODY, *COUNT_COLUMNS]


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lower())


def _normalise(table: Table) -> Table:
    canonical = {_key(name): name for name in HEADER}
    header = [canonical.get(_key(name), name) for name in table.header]
    rows = [
        {canonical.get(_key(name), name): value for name, value in row.items()}
        for row in table.rows
    ]
    return Table(header, rows)


def _count(text: str) -> int | str:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return 0
    if not cleaned.isdecimal():
        return _("Write a whole number, 0 or more.")
    if len(cleaned) > 6:
        return _("The number is too large.")
    return int(cleaned)


def import_seats(data: bytes, filename: str, year: int) -> int:
    """Replace the year's seats by the file's; returns the number of bodies. Raises
    TableErrors (every problem, with row and column) and saves nothing when anything is wrong."""
    check_is_table(data)
    table = read_table(data, filename)
    check_is_template(table, HEADER, _("the seat template"))
    table = _normalise(table)
    check_header(table, [BODY], list(COUNT_COLUMNS))
    bodies = {b.name.strip().lower(): b for b in db.session.scalars(sa.select(PoliticalBody))}
    errors: list[CellError] = []
    grid: dict = {}
    seen: dict[int, int] = {}
    for number, row in table.numbered_rows():
        name = " ".join(row.get(BODY, "").split())
        body = bodies.get(name.lower())
        if not name:
            errors.append(CellError(number, BODY, _("Write the body's name.")))
        elif body is None:
            errors.append(
                CellError(
                    number,
                    BODY,
                    _(
                        "No body is called %(name)s. Register it first, or check the spelling.",
                        name=name,
                    ),
                )
            )
        elif body.id in seen:
            errors.append(
                CellError(number, BODY, _("The body is also on row %(row)d.", row=seen[body.id]))
            )
        else:
            seen[body.id] = number
        for column, (kind, sex) in COUNT_COLUMNS.items():
            if column not in table.header:
                continue
            count = _count(row.get(column, ""))
            if isinstance(count, str):
                errors.append(CellError(number, column, count))
            elif body is not None:
                grid[(body.id, kind, sex)] = count
    if not table.rows:
        errors.append(CellError(None, None, _("The file has no rows of seats.")))
    if errors:
        raise TableErrors(errors)
    try:
        services.save_seats(year, grid)
    except Invalid as error:
        raise TableErrors([CellError(None, None, str(m)) for m in error.errors.values()]) from error
    return len(seen)


def template_csv() -> bytes:
    """The seat template: semicolons and a BOM, as Swedish Excel expects, one row per body."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for body in services.list_bodies(active_only=True):
        writer.writerow([body.name] + [""] * len(COUNT_COLUMNS))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The seat template as an Excel workbook with the registered bodies filled in."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Seats")
    sheet.append(HEADER)
    for body in services.list_bodies(active_only=True):
        sheet.append([body.name])
    help_sheet = workbook.create_sheet(_("Instructions"))
    help_sheet.append([_("Column"), _("What to write")])
    help_sheet.append([BODY, _("The body's name, as registered (required).")])
    help_sheet.append(
        [_("the other columns"), _("The number of seats, a whole number (blank is 0).")]
    )
    return workbook_bytes(workbook)
