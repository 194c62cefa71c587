"""Importing HR's list of units and their headcount (CSV or XLSX), all or nothing.

The header, in Swedish as HR writes it (case, spaces and underscores do not matter):

    förvaltning; enhet; chefer kvinnor; chefer män; anställda kvinnor; anställda män

Every column is required. "anställda" counts everyone of the unit, managers included, so a
unit's managers of a sex can never be more than its staff of that sex. An administration
not yet in the system is added; a unit already there (the same name in the same
administration, whatever the case) gets the file's headcount, HR's latest. Every problem is
reported at once with its row and column; nothing is saved unless the whole file is right.
"""

import io
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.organisation.models import Administration
from mvp.spreadsheet_safety import csv_writer, workbook_bytes
from mvp.staff_training import services
from mvp.staff_training.models import OrgUnit
from mvp.staff_training.services import UnitData
from mvp.tabular import CellError, Table, TableErrors, check_header, read_table
from mvp.upload_checks import check_is_table
from mvp.validation import Invalid

ADMINISTRATION = "förvaltning"
UNIT = "enhet"
COUNT_COLUMNS = {
    "chefer kvinnor": "managers_women",
    "chefer män": "managers_men",
    "anställda kvinnor": "staff_women",
    "anställda män": "staff_men",
}
HEADER = [ADMINISTRATION, UNIT, *COUNT_COLUMNS]


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", "", text.lower())


_CANONICAL = {_key(name): name for name in HEADER}


@dataclass
class ImportResult:
    """What an import did: units added and updated, administrations added."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    administrations: list[str] = field(default_factory=list)


def _normalise(table: Table) -> tuple[Table, dict[str, str]]:
    """The table with known columns under their canonical names, and canonical -> as written."""
    written = {}
    header = []
    for name in table.header:
        canonical = _CANONICAL.get(_key(name), name)
        written.setdefault(canonical, name)
        header.append(canonical)
    rows = [
        {_CANONICAL.get(_key(name), name): value for name, value in row.items()}
        for row in table.rows
    ]
    return Table(header, rows), written


def _count(text: str) -> int | str:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return _("Write a whole number, 0 or more.")
    if not cleaned.isdecimal():
        return _("Write a whole number, 0 or more.")
    return int(cleaned)


def _check_row(number: int, row: dict, written: dict) -> tuple[tuple | None, list[CellError]]:
    errors = []

    def error(column: str, message: str) -> None:
        errors.append(CellError(number, written.get(column, column), message))

    administration = " ".join(row.get(ADMINISTRATION, "").split())
    unit = " ".join(row.get(UNIT, "").split())
    if not administration:
        error(ADMINISTRATION, _("Write the administration's name."))
    elif len(administration) > 160:
        error(ADMINISTRATION, _("The name is longer than 160 characters."))
    if not unit:
        error(UNIT, _("Write the unit's name."))
    elif len(unit) > 160:
        error(UNIT, _("The name is longer than 160 characters."))
    counts = {}
    for column, attribute in COUNT_COLUMNS.items():
        value = _count(row.get(column, ""))
        if isinstance(value, str):
            error(column, value)
        else:
            counts[attribute] = value
    if len(counts) == len(COUNT_COLUMNS):
        columns = {attribute: column for column, attribute in COUNT_COLUMNS.items()}
        for attribute, message in services.headcount_errors(UnitData(None, unit, **counts)).items():
            error(columns[attribute], message)
    if errors:
        return None, errors
    return (administration, unit, counts), []


def import_units(data: bytes, filename: str) -> ImportResult:
    """Add or update the units of HR's list; raises TableErrors naming every problem.

    Rows may have been flushed when TableErrors is raised: the caller rolls back.
    """
    check_is_table(data)
    table, written = _normalise(read_table(data, filename))
    check_header(table, HEADER, [])
    if not table.rows:
        raise TableErrors([CellError(None, None, _("The file holds no units."))])
    errors: list[CellError] = []
    rows = []
    first_row_of: dict = {}
    for number, raw in table.numbered_rows():
        checked, row_errors = _check_row(number, raw, written)
        errors.extend(row_errors)
        if checked is None:
            continue
        key = (checked[0].lower(), checked[1].lower())
        if key in first_row_of:
            errors.append(
                CellError(
                    number,
                    written.get(UNIT, UNIT),
                    _("The unit is already on row %(row)d of the file.", row=first_row_of[key]),
                )
            )
            continue
        first_row_of[key] = number
        rows.append((number, *checked))
    if errors:
        raise TableErrors(errors)

    result = ImportResult()
    administrations = {a.name.lower(): a for a in db.session.scalars(sa.select(Administration))}
    units = {
        (u.administration_id, u.name.lower()): u for u in db.session.scalars(sa.select(OrgUnit))
    }
    for number, administration_name, unit_name, counts in rows:
        administration = administrations.get(administration_name.lower())
        if administration is None:
            administration = services.save_administration(None, administration_name, True)
            administrations[administration_name.lower()] = administration
            result.administrations.append(administration.name)
        existing = units.get((administration.id, unit_name.lower()))
        data = UnitData(administration.id, unit_name, **counts)
        try:
            services.save_unit(existing, data)
        except Invalid as error:
            errors.extend(CellError(number, None, message) for message in error.errors.values())
            continue
        (result.updated if existing is not None else result.created).append(unit_name)
    if errors:
        raise TableErrors(errors)
    return result


def template_csv() -> bytes:
    """An empty unit list to fill in: semicolons and a BOM, as Swedish Excel expects."""
    buffer = io.StringIO()
    csv_writer(buffer, delimiter=";", lineterminator="\r\n").writerow(HEADER)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """An empty unit list as an Excel workbook, with a second sheet explaining the columns."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Units")
    sheet.append(HEADER)
    help_sheet = workbook.create_sheet(_("Instructions"))
    help_sheet.append([_("Column"), _("What to write")])
    for column, text in column_help():
        help_sheet.append([column, text])
    return workbook_bytes(workbook)


def column_help() -> list[tuple[str, str]]:
    """Each column and what to write in it (the import page and the template say the same)."""
    return [
        (ADMINISTRATION, _("The administration's name; a new one is added.")),
        (UNIT, _("The unit's name.")),
        ("chefer kvinnor, chefer män", _("Managers of the unit by sex, a whole number.")),
        (
            "anställda kvinnor, anställda män",
            _("Everyone employed at the unit by sex, managers included, a whole number."),
        ),
    ]
