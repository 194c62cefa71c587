"""Paper questionnaires typed into the grid, and CSV/XLSX files imported: one set of columns and
codes, checked the same way, saved all-or-nothing with every bad row and column named.

Columns (the import template's header, and the grid's columns): ``kon`` (1 tjej, 2 kille,
3 annat, 4 vill inte svara), ``arskurs`` (the grade), one column per question named by the
question's key (1–4 as printed, V for vet ej, blank), then the linkage-code columns ``kod_*``.
"""

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from mvp import input_rules
from mvp.extensions import db
from mvp.spreadsheet_safety import csv_writer, workbook_bytes
from mvp.surveys import services
from mvp.surveys.coding import (
    CodeError,
    allowed_codes,
    allowed_text,
    decode,
    decode_grade,
    decode_sex,
    encode,
    encode_sex,
)
from mvp.surveys.instruments import BACKGROUND_COLUMNS
from mvp.surveys.linkage import QUESTIONS, LinkCodeError, normalise
from mvp.surveys.models import ImportBatch, Item, ResponseKind, Source, Wave
from mvp.surveys.services import ResponseData
from mvp.tabular import CellError, TableErrors, check_header, read_table
from mvp.upload_checks import check_is_table, check_is_template

MAX_GRID_ROWS = 200


def columns(items: list[Item]) -> list[str]:
    """The columns of a wave's template and grid, in order."""
    return [*BACKGROUND_COLUMNS, *(item.key for item in items), *(q.key for q in QUESTIONS)]


@dataclass(frozen=True)
class Column:
    """One column of the paper grid: its key, short heading, what it means and accepts."""

    key: str
    heading: str
    description: str
    allowed: str  # as written to the user
    values: str  # the accepted values, space-separated (for the grid's live check)
    width: int
    kind: str  # "background", "item" or "link"
    message: str = ""  # what the server says of a wrong value, for the grid's live check


def _refusal(check) -> str:
    """The message the server's own check gives for a value nothing accepts, so that the grid
    in the browser refuses a key in exactly the server's words."""
    try:
        check("#")
    except (CodeError, LinkCodeError) as error:
        return str(error)
    return ""


def grid_columns(items: list[Item], grades: tuple[int, ...] = ()) -> list[Column]:
    """The paper grid's columns: background, the questions numbered as on paper, the code."""
    result = [
        Column(
            "kon", _("Sex"), _("Sex"), _("1–4"), "1 2 3 4", 1, "background", _refusal(decode_sex)
        ),
        Column(
            "arskurs",
            _("Gr."),
            _("Grade"),
            ", ".join(str(g) for g in grades),
            " ".join(str(g) for g in grades),
            2,
            "background",
            _refusal(lambda value: decode_grade(value, grades)),
        ),
    ]
    for number, item in enumerate(items, start=1):
        count = len(item.options or [])
        result.append(
            Column(
                item.key,
                str(number),
                item.text_sv,
                allowed_text(item.kind, count),
                " ".join(allowed_codes(item.kind, count)),
                1,
                "item",
                _refusal(lambda v, item=item: decode(item.kind, v, len(item.options or []))),
            )
        )
    for number, question in enumerate(QUESTIONS, start=1):
        codes = [code for code, _label in question.options]
        result.append(
            Column(
                question.key,
                _("C%(n)d", n=number),
                str(question.label),
                _("A–Ö") if question.key == "kod_bokstav" else f"{codes[0]}–{codes[-1]}",
                " ".join(codes),
                max(len(code) for code in codes),
                "link",
                _refusal(lambda value, question=question: normalise(question, value)),
            )
        )
    return result


def _column_names(items: list[Item], for_grid: bool) -> dict[str, str]:
    if not for_grid:
        return {key: key for key in columns(items)}
    return {c.key: c.heading for c in grid_columns(items)}


def parse_rows(
    wave: Wave,
    items: list[Item],
    rows: list[tuple[int, dict[str, str]]],
    *,
    for_grid: bool = False,
    kept_hashes: dict[int, list] | None = None,
) -> list[ResponseData]:
    """Check every cell of every row; raise TableErrors with all problems, else the data.

    `rows` are (row number as the user sees it, {column: text}). `kept_hashes` gives, by row
    number, a stored response's code to keep where a correction leaves the code cells blank.
    """
    names = _column_names(items, for_grid)
    grades = wave.group.school.grades
    errors: list[CellError] = []
    parsed = []
    for number, row in rows:
        row_errors = _rule_errors(number, row, names)
        sex = grade = None
        try:
            sex = decode_sex(row.get("kon"))
        except CodeError as error:
            row_errors.append(CellError(number, names["kon"], str(error)))
        try:
            grade = decode_grade(row.get("arskurs"), grades)
        except CodeError as error:
            row_errors.append(CellError(number, names["arskurs"], str(error)))
        answers = {}
        for item in items:
            try:
                coded = decode(item.kind, row.get(item.key), len(item.options or []))
            except CodeError as error:
                row_errors.append(CellError(number, names[item.key], str(error)))
                continue
            if coded is not None:
                answers[item.id] = coded
        link = {}
        for question in QUESTIONS:
            try:
                link[question.key] = normalise(question, row.get(question.key))
            except LinkCodeError as error:
                row_errors.append(CellError(number, names[question.key], str(error)))
        if not row_errors and not answers:
            row_errors.append(
                CellError(number, None, _("The row has no answers to the questions."))
            )
        errors += row_errors
        kept = (kept_hashes or {}).get(number)
        parsed.append(ResponseData(sex, grade, answers, link, kept_hashes=kept))
    if errors:
        raise TableErrors(errors)
    return parsed


def _rule_errors(number: int, row: dict[str, str], names: dict[str, str]) -> list[CellError]:
    """The shared input rule for a row's cells (typed into the grid or read from a file);
    a refused cell is then read as blank, so it gets one message, not two."""
    errors = []
    for key, value in row.items():
        problem = input_rules.text_problem(value, max_length=input_rules.CELL_MAX)
        if problem:
            errors.append(CellError(number, names.get(key, key), problem))
            row[key] = ""
    return errors


# --- paper ---------------------------------------------------------------------------------


def grid_rows(form: MultiDict, keys: list[str]) -> list[tuple[int, dict[str, str]]]:
    """The filled rows of a posted grid (fields named r<row>-<column>); empty rows are skipped."""
    pattern = re.compile(r"^r(\d{1,3})-([a-z0-9_]+)$")
    rows: dict[int, dict[str, str]] = {}
    for name, value in form.items():
        match = pattern.match(name)
        if match and match.group(2) in keys and int(match.group(1)) <= MAX_GRID_ROWS:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = value.strip()
    # The grade is filled in beforehand, so a row counts only once something else is typed.
    return [
        (n, row)
        for n, row in sorted(rows.items())
        if any(value for key, value in row.items() if key != "arskurs")
    ]


def _size_error(wave: Wave, adding: int, removing: int = 0) -> None:
    message = services.check_group_size(wave, adding, removing)
    if message:
        raise TableErrors([CellError(None, None, message)])


def save_paper(wave: Wave, rows, answered_on: dt.date, user) -> ImportBatch:
    """Store a batch of typed-in paper questionnaires; raises TableErrors, nothing saved."""
    items = services.instrument_items(wave.instrument_id)
    if not rows:
        raise TableErrors([CellError(None, None, _("Type at least one questionnaire."))])
    data = parse_rows(wave, items, rows, for_grid=True)
    _size_error(wave, len(data))
    return services.add_batch(
        wave, data, source=Source.PAPER.value, answered_on=answered_on, user=user
    )


def correct_paper(
    batch: ImportBatch, rows, answered_on: dt.date, kept: dict[int, list]
) -> ImportBatch:
    """Replace a paper batch by its corrected rows (codes left blank keep their stored value)."""
    wave = db.session.get(Wave, batch.wave_id)
    items = services.instrument_items(wave.instrument_id)
    if not rows:
        raise TableErrors(
            [CellError(None, None, _("No rows left. Remove the whole batch instead."))]
        )
    data = parse_rows(wave, items, rows, for_grid=True, kept_hashes=kept)
    _size_error(wave, len(data), removing=batch.rows)
    services.replace_batch(batch, data, answered_on)
    return batch


def corrected_rows(rows, form: MultiDict, stored: dict) -> tuple[list, dict[int, list]]:
    """The rows of a posted correction that stay, and the stored code each row keeps.

    A row marked for removal is left out; a row of a stored questionnaire (its hidden id)
    keeps that questionnaire's code hashes unless code cells are typed again.
    """
    remaining, kept = [], {}
    for number, row in rows:
        if form.get(f"r{number}-remove"):
            continue
        response_id = form.get(f"r{number}-id", "")
        if response_id.isdecimal() and int(response_id) in stored:
            kept[number] = stored[int(response_id)].link_code
        remaining.append((number, row))
    return remaining, kept


def replaced_rows(rows, form: MultiDict, stored: dict) -> list[CellError]:
    """Rows of a questionnaire that someone else's correction has replaced since the grid was
    opened (its id is gone), with the code cells blank: saved as they are, they would lose the
    stored code without a word, so each is named instead."""
    errors = []
    for number, row in rows:
        response_id = form.get(f"r{number}-id", "")
        if form.get(f"r{number}-remove") or not response_id.isdecimal():
            continue
        if int(response_id) not in stored and not any(row.get(q.key) for q in QUESTIONS):
            errors.append(
                CellError(
                    number,
                    None,
                    _(
                        "Someone else's correction replaced this questionnaire, so its stored "
                        "code is gone: type the code cells C1–C6 again, or remove the row."
                    ),
                )
            )
    return errors


def batch_grid(batch: ImportBatch, items: list[Item]) -> list[dict]:
    """A paper batch as grid rows for correction: codes of the answers, never of the link code
    (stored only as hashes, so those cells start blank and keep the stored value)."""
    kinds = {item.id: (item.key, item.kind) for item in items}
    rows = []
    for response in services.batch_responses(batch):
        row = {"id": str(response.id), "kon": encode_sex(response.sex)}
        row["arskurs"] = "" if response.grade is None else str(response.grade)
        for answer in response.answers:
            key, kind = kinds[answer.item_id]
            row[key] = encode(kind, answer.value, answer.dont_know)
        rows.append(row)
    return rows


# --- files ---------------------------------------------------------------------------------


def import_file(
    wave: Wave, data: bytes, filename: str, *, answered_on: dt.date, user=None
) -> ImportBatch:
    """Import a CSV or XLSX file of answers into a wave, all-or-nothing.

    Raises TableErrors naming every bad row and column, and when the same file was already
    imported (to any wave).
    """
    digest = hashlib.sha256(data).hexdigest()
    earlier = services.batch_with_file(digest)
    if earlier is not None:
        other = db.session.get(Wave, earlier.wave_id)
        raise TableErrors(
            [
                CellError(
                    None,
                    None,
                    _(
                        "This file was already imported on %(day)s into wave %(code)s "
                        "(%(rows)d rows). Nothing was imported.",
                        day=earlier.created_at.date().isoformat(),
                        code=other.code,
                        rows=earlier.rows,
                    ),
                )
            ]
        )
    items = services.instrument_items(wave.instrument_id)
    check_is_table(data)
    table = read_table(data, filename)
    check_is_template(table, columns(items), _("this wave's template"))
    check_header(table, columns(items))
    if not table.rows:
        raise TableErrors([CellError(None, None, _("The file has a header but no answers."))])
    parsed = parse_rows(wave, items, list(table.numbered_rows()))
    _size_error(wave, len(parsed))
    return services.add_batch(
        wave,
        parsed,
        source=Source.IMPORT.value,
        answered_on=answered_on,
        user=user,
        filename=input_rules.without_forbidden_characters(filename),
        file_sha256=digest,
    )


def template_csv(items: list[Item]) -> bytes:
    """The import template as Excel's Swedish CSV: semicolons, UTF-8 with BOM, header only."""
    buffer = io.StringIO()
    csv_writer(buffer, delimiter=";", lineterminator="\r\n").writerow(columns(items))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(wave: Wave, items: list[Item]) -> bytes:
    """The import template as an Excel workbook: the header, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Answers")
    sheet.append(columns(items))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Codes"))
    guide.append([_("Column"), _("Question"), _("Codes")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.append(["kon", _("Sex"), _("1 girl, 2 boy, 3 other, 4 prefer not to say")])
    guide.append(
        [
            "arskurs",
            _("Grade"),
            ", ".join(str(g) for g in wave.group.school.grades),
        ]
    )
    for item in items:
        guide.append([item.key, item.text_sv, _code_help(item)])
    for question in QUESTIONS:
        first, last = question.options[0][0], question.options[-1][0]
        guide.append([question.key, str(question.label), f"{first}–{last}, " + _("or blank")])
    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 80
    guide.column_dimensions["C"].width = 50
    return workbook_bytes(workbook)


def _code_help(item: Item) -> str:
    if item.kind == ResponseKind.AGREEMENT:
        return _(
            "1 completely true, 2 fairly true, 3 not very true, 4 not true at all, "
            "V don't know, blank"
        )
    if item.kind == ResponseKind.YES_NO:
        return _("1 yes, 2 no, V don't know, blank")
    return (
        ", ".join(
            f"{n} {option.get('sv', '')}" for n, option in enumerate(item.options or [], start=1)
        )
        + ", "
        + _("blank")
    )
