"""Importing the municipality's school list (CSV or XLSX), all or nothing.

The header, in Swedish as the municipality's own lists are written (case, spaces and
underscores do not matter):

    namn; skolform; rektor; rektor e-post; åk F; åk 1; … ; åk 9; gy 1; gy 2; gy 3

``namn`` and ``skolform`` are required; the rest may be left out. ``skolform`` is one of F-3,
F-6, 4-6, 7-9, F-9, gymnasium or annan. The grade columns hold the number of pupils (blank
is none). Every problem of the file is reported at once with its row and column; nothing is
saved unless the whole file is right.

A school already in the system (the same name, whatever the case) is an error unless the
user asks to update existing schools: then its kind and pupils per grade are replaced by the
file's, and its principal's name and e-mail are replaced where the file gives them.
"""

import io
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.schools import services as school_services
from mvp.schools.grades import ALL_GRADES, SchoolKind, grade_label, grades_of, kind_label
from mvp.schools.models import School
from mvp.schools.services import SchoolData
from mvp.spreadsheet_safety import csv_writer, workbook_bytes
from mvp.tabular import CellError, Table, TableErrors, check_header, read_table
from mvp.upload_checks import check_is_table
from mvp.validation import Invalid

NAME = "namn"
KIND = "skolform"
PRINCIPAL = "rektor"
PRINCIPAL_EMAIL = "rektor e-post"


def grade_column(grade: int) -> str:
    """The column of a grade's pupil count: 'åk F', 'åk 8', 'gy 1'."""
    if grade >= 10:
        return f"gy {grade - 9}"
    return f"åk {grade_label(grade)}"


GRADE_COLUMNS = {grade_column(grade): grade for grade in ALL_GRADES}
REQUIRED = [NAME, KIND]
OPTIONAL = [PRINCIPAL, PRINCIPAL_EMAIL, *GRADE_COLUMNS]
HEADER = REQUIRED + OPTIONAL

# How kinds may be written in the file (after lower-casing and removing spaces and dashes).
KIND_SPELLINGS = {
    "f3": SchoolKind.F3,
    "f6": SchoolKind.F6,
    "46": SchoolKind.G46,
    "79": SchoolKind.G79,
    "f9": SchoolKind.F9,
    "gymnasium": SchoolKind.GYMNASIUM,
    "gymnasiet": SchoolKind.GYMNASIUM,
    "gymnasieskola": SchoolKind.GYMNASIUM,
    "gy": SchoolKind.GYMNASIUM,
    "annan": SchoolKind.OTHER,
    "övrig": SchoolKind.OTHER,
    "other": SchoolKind.OTHER,
}


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", "", text.lower().replace("–", "-"))


_CANONICAL = {_key(name): name for name in HEADER}


@dataclass
class ImportResult:
    """What an import did: the names of the schools added and updated."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    data: SchoolData
    existing: School | None


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


def parse_kind(text: str) -> str | None:
    """'7–9', 'F-9', 'Gymnasium' -> the stored kind; None for anything unknown."""
    kind = KIND_SPELLINGS.get(re.sub(r"[\s\-–]+", "", text.lower()))
    return kind.value if kind is not None else None


def _parse_count(text: str) -> int | str | None:
    """A pupil count: None for blank, an int, or an error message."""
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    if re.fullmatch(r"-\d+", cleaned):
        return _("The number of pupils cannot be negative.")
    if not cleaned.isdecimal():
        return _("Write a whole number, 0 or more.")
    return int(cleaned)


def _existing_schools() -> dict[str, School]:
    return {school.name.strip().lower(): school for school in db.session.scalars(sa.select(School))}


def _check_row(
    number: int, row: dict[str, str], written: dict[str, str], header: list[str]
) -> tuple[SchoolData | None, list[CellError]]:
    errors = []

    def error(column: str, message: str) -> None:
        errors.append(CellError(number, written.get(column, column), message))

    name = " ".join(row.get(NAME, "").split())
    if not name:
        error(NAME, _("Write the school's name."))
    elif len(name) > 120:
        error(NAME, _("The name is longer than 120 characters."))
    kind_text = row.get(KIND, "")
    kind = parse_kind(kind_text) if kind_text else None
    if not kind_text:
        error(KIND, _("Write the kind of school."))
    elif kind is None:
        error(
            KIND,
            _(
                'Unknown kind of school "%(kind)s". Write F-3, F-6, 4-6, 7-9, F-9, '
                "gymnasium or annan.",
                kind=kind_text,
            ),
        )
    email = row.get(PRINCIPAL_EMAIL, "")
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            error(PRINCIPAL_EMAIL, _("Write an e-mail address such as name@kommun.se."))
    principal = row.get(PRINCIPAL, "")
    if len(principal) > 120:  # the column's size
        error(PRINCIPAL, _("The name is longer than 120 characters."))
    pupils: dict[int, int] = {}
    for column, grade in GRADE_COLUMNS.items():
        if column not in header:
            continue
        count = _parse_count(row.get(column, ""))
        if isinstance(count, str):
            error(column, count)
        elif count and kind is not None and grade not in grades_of(kind):
            error(
                column,
                _(
                    "A %(kind)s school has no grade %(grade)s.",
                    kind=kind_label(kind),
                    grade=grade_label(grade),
                ),
            )
        elif count:
            pupils[grade] = count
    if errors:
        return None, errors
    data = SchoolData(
        name=name,
        kind=kind,
        principal_name=principal,
        principal_email=email,
        pupils_by_grade=pupils,
    )
    return data, []


def _as_cell_errors(number: int, error: Invalid, written: dict[str, str]) -> list[CellError]:
    """A school service's field errors as errors of the file's row and columns."""
    columns = {"name": NAME, "kind": KIND, "principal_email": PRINCIPAL_EMAIL}
    columns.update({f"grade_{grade}": column for column, grade in GRADE_COLUMNS.items()})
    result = []
    for field_name, message in error.errors.items():
        column = columns.get(field_name)
        result.append(CellError(number, written.get(column, column) if column else None, message))
    return result


def import_schools(data: bytes, filename: str, *, update_existing: bool = False) -> ImportResult:
    """Add (or update) the schools of an uploaded list; raises TableErrors naming every problem.

    Rows may have been flushed when TableErrors is raised: the caller rolls the transaction
    back, so that nothing of a file with errors is saved.
    """
    check_is_table(data)
    table, written = _normalise(read_table(data, filename))
    check_header(table, REQUIRED, OPTIONAL)
    if not table.rows:
        raise TableErrors([CellError(None, None, _("The file holds no schools."))])
    existing = _existing_schools()
    errors: list[CellError] = []
    rows: list[_Row] = []
    first_row_of: dict[str, int] = {}
    for number, raw in table.numbered_rows():
        school_data, row_errors = _check_row(number, raw, written, table.header)
        errors.extend(row_errors)
        name = " ".join(raw.get(NAME, "").split()).lower()
        if name and name in first_row_of:
            errors.append(
                CellError(
                    number,
                    written.get(NAME, NAME),
                    _("The school is already on row %(row)d of the file.", row=first_row_of[name]),
                )
            )
            continue
        if name:
            first_row_of[name] = number
        current = existing.get(name)
        if current is not None and not update_existing:
            errors.append(
                CellError(
                    number,
                    written.get(NAME, NAME),
                    _(
                        "There is already a school named %(name)s. Tick “Update schools that "
                        "already exist” to update it from the file.",
                        name=current.name,
                    ),
                )
            )
            continue
        if school_data is not None:
            rows.append(_Row(number, school_data, current))
    if errors:
        raise TableErrors(errors)

    result = ImportResult()
    has_grades = any(column in table.header for column in GRADE_COLUMNS)
    for row in rows:
        try:
            if row.existing is None:
                school_services.create_school(row.data)
                result.created.append(row.data.name)
            else:
                merged = _merged(row.existing, row.data, has_grades)
                school_services.update_school(row.existing, merged)
                result.updated.append(row.existing.name)
        except Invalid as error:
            errors.extend(_as_cell_errors(row.number, error, written))
    if errors:
        raise TableErrors(errors)
    return result


def _merged(school: School, data: SchoolData, has_grades: bool) -> SchoolData:
    """The file's values over the school's own: blank principal cells keep what is there."""
    return SchoolData(
        name=school.name,
        kind=data.kind,
        principal_name=data.principal_name or school.principal_name,
        principal_email=data.principal_email or school.principal_email,
        pupils_by_grade=(
            data.pupils_by_grade
            if has_grades
            else {int(grade): count for grade, count in (school.pupils_by_grade or {}).items()}
        ),
        active=school.active,
    )


def template_csv() -> bytes:
    """An empty school list to fill in: semicolons and a BOM, as Swedish Excel expects."""
    buffer = io.StringIO()
    csv_writer(buffer, delimiter=";", lineterminator="\r\n").writerow(HEADER)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """An empty school list as an Excel workbook, with a second sheet explaining the columns."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Schools")
    sheet.append(HEADER)
    help_sheet = workbook.create_sheet(_("Instructions"))
    help_sheet.append([_("Column"), _("What to write")])
    help_sheet.append([NAME, _("The school's name (required).")])
    help_sheet.append([KIND, _("F-3, F-6, 4-6, 7-9, F-9, gymnasium or annan (required).")])
    help_sheet.append([PRINCIPAL, _("The principal's name (optional).")])
    help_sheet.append([PRINCIPAL_EMAIL, _("The principal's e-mail (optional).")])
    help_sheet.append(
        [
            "åk F … gy 3",
            _("Pupils per grade, a whole number (optional; only grades the school has)."),
        ]
    )
    return workbook_bytes(workbook)
