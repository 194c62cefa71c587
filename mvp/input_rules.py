"""The one input rule for text: no control characters, and a length limit on every text.

Every form field (through mvp.forms_base.BaseForm), every cell of an imported file (through
mvp.tabular) and the request's own address (mvp.setup's check of the path and query) use
these functions, so the same text is refused the same way, with the same Swedish message,
wherever it is typed or uploaded.

Why: PostgreSQL refuses a NUL character in text (a 500 before this rule), openpyxl refuses
most control characters in a cell (every Excel download of the year failed once one was
saved), and an unbounded text fills the database and every report that prints it.
"""

import re

from flask_babel import gettext as _

# Defaults by kind of text; a field may set its own, smaller or (where the domain needs it)
# larger limit. The database columns are never smaller than the limit of the field that
# fills them (see tests/test_input_rules.py).
SINGLE_LINE_MAX = 200
MULTI_LINE_MAX = 5000
# An imported cell: the importers check each column's own limit; this bounds the rest.
CELL_MAX = 1000

# The largest value of a database integer column (ids, counts) on every supported database.
INTEGER_MAX = 2**31 - 1

# C0 controls but tab, newline and carriage return; DEL; the C1 controls; lone surrogates
# (they cannot be encoded as UTF-8); and the two non-characters U+FFFE/U+FFFF.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_MULTI_LINE_FORBIDDEN = re.compile(f"[{_CONTROL}]")
# On one line, tab, newline and carriage return are refused as well.
_SINGLE_LINE_FORBIDDEN = re.compile(f"[{_CONTROL}\t\n\r]")


def has_forbidden_character(text: str, *, multiline: bool = False) -> bool:
    """True when `text` holds a character that no text field accepts."""
    pattern = _MULTI_LINE_FORBIDDEN if multiline else _SINGLE_LINE_FORBIDDEN
    return pattern.search(text) is not None


def is_number_too_large(text: str) -> bool:
    """True for a whole number (as sent for a choice or count) beyond a database integer."""
    text = text.strip()
    return text.isdecimal() and int(text[:12]) > INTEGER_MAX


def number_too_large_message() -> str:
    """The message for such a number, in the reader's language."""
    return _("The number is too large.")


def without_forbidden_characters(text: str) -> str:
    """`text` with every forbidden character left out (for a name the user does not type,
    such as an uploaded file's name, which is kept but never refused)."""
    return _SINGLE_LINE_FORBIDDEN.sub("", text)


def forbidden_character_message() -> str:
    """The message for a text with a control character, in the reader's language."""
    return _("The text contains a character that is not allowed (a control character).")


def too_long_message(max_length: int) -> str:
    """The message for a text longer than its limit, in the reader's language."""
    return _("Write at most %(max)d characters.", max=max_length)


def text_problem(text: str | None, *, multiline: bool = False, max_length: int) -> str | None:
    """The message for a text that breaks the rule, or None when it may be saved."""
    if not text:
        return None
    if has_forbidden_character(text, multiline=multiline):
        return forbidden_character_message()
    if len(text) > max_length:
        return too_long_message(max_length)
    return None
