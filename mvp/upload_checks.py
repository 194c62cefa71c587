"""Checks an uploaded file must pass before its rows are read: that it is a table at all (not a
PDF, an image or a zip archive), and that its header is the expected template's rather than
another file's. Each gives one message instead of a page of row-by-row errors.

Used by the import views' checkers (`surveys.importing.import_file`,
`rollout.imports.import_schools`); the low-level reader stays in `mvp.tabular`.
"""

import io
import zipfile

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mvp.tabular import CellError, Table, TableErrors

# The first bytes of the files people upload by mistake, and what to call them.
_SIGNATURES = (
    (b"%PDF", _l("a PDF document")),
    (b"\x89PNG", _l("a PNG image")),
    (b"\xff\xd8\xff", _l("a JPEG image")),
    (b"GIF8", _l("a GIF image")),
    (b"\xd0\xcf\x11\xe0", _l("an old Excel or Word file (.xls, .doc)")),
    (b"{\\rtf", _l("an RTF document")),
)
# A header sharing fewer of the template's columns than this is another file, not a template
# with a few columns wrong.
SAME_TEMPLATE_SHARE = 0.5
NAMED_AT_MOST = 8


class WrongFile(TableErrors):
    """The upload is not the expected kind of file or template; one message says why."""

    def __init__(self, message: str):
        super().__init__([CellError(None, None, message)])


def _zip_kind(data: bytes):
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return None
    if "xl/workbook.xml" in names:
        return None  # an Excel workbook: the reader's business
    if "word/document.xml" in names:
        return _l("a Word document (.docx)")
    if any(name.startswith("content.xml") for name in names) or "mimetype" in names:
        return _l("an OpenDocument file (save it as .xlsx or CSV)")
    return _l("a zip archive")


def check_is_table(data: bytes) -> None:
    """Raise WrongFile for a file that is plainly not CSV or Excel, naming what it is."""
    kind = next((name for magic, name in _SIGNATURES if data.startswith(magic)), None)
    if kind is None and data.startswith(b"PK"):
        kind = _zip_kind(data)
    if kind is not None:
        raise WrongFile(
            _(
                "The file is %(kind)s, not a CSV or Excel file. Fill in the template and "
                "upload it as Excel (.xlsx) or CSV.",
                kind=kind,
            )
        )


def _normal(name: str) -> str:
    return name.strip().lower()


def check_is_template(table: Table, expected: list[str], what: str) -> None:
    """Raise WrongFile when the header has too few of the expected columns to be the template
    (`what` names it, e.g. "this wave's template"): one message with what is missing."""
    header = {_normal(name) for name in table.header}
    missing = [name for name in expected if _normal(name) not in header]
    if not expected or len(missing) <= len(expected) * (1 - SAME_TEMPLATE_SHARE):
        return
    named = ", ".join(missing[:NAMED_AT_MOST])
    if len(missing) > NAMED_AT_MOST:
        named = _("%(names)s and %(n)d more", names=named, n=len(missing) - NAMED_AT_MOST)
    raise WrongFile(
        _(
            "The file is not %(what)s: %(missing)d of its %(total)d columns are missing "
            "(%(names)s). Download the template below, fill it in and upload it.",
            what=what,
            missing=len(missing),
            total=len(expected),
            names=named,
        )
    )
