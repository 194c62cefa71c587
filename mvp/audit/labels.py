"""The reader's words for what the audit log records: field names and coded values.

Coded values (a role, a kind of training, a stage) are stored as keys; the log shows them in
the reader's language. The log knows no area: each area registers its own labels here when
its views are loaded (`register_values`, `register_format`, `register_field`), the way a
feature connects itself to a shared log, so a new area adds its words without changing this
module. `tests/test_audit_labels.py` fails when a coded column's value has no label.
"""

from collections.abc import Callable, Mapping

from flask_babel import lazy_gettext as _l

from mvp.audit.mixin import FIELD_LABELS

# Where a field name means something else on one kind of object.
FIELD_LABELS_BY_TYPE = {
    ("training", "kind"): _l("Kind of training"),
    ("item", "kind"): _l("Kind of answer"),
}

# (object type, field) -> {code: label}, and field -> how to write its value ("2025/26").
_VALUE_LABELS: dict[tuple[str, str], Mapping] = {}
_FORMATS: dict[str, Callable] = {}


def register_values(object_type: str, name: str, labels: Mapping) -> None:
    """Show the codes of `name` on `object_type` (a list's items too) as `labels` say."""
    _VALUE_LABELS[(object_type, name)] = labels


def register_format(name: str, write: Callable) -> None:
    """Write every logged value of a field called `name` with `write` (e.g. school years)."""
    _FORMATS[name] = write


def register_field(object_type: str, name: str, label) -> None:
    """Name a field differently on one kind of object."""
    FIELD_LABELS_BY_TYPE[(object_type, name)] = label


def value_labels(object_type: str, name: str) -> Mapping | None:
    """The labels registered for a coded field, or None."""
    return _VALUE_LABELS.get((object_type, name))


def field_label(object_type: str, name: str) -> str:
    """The reader's name of a logged field of a kind of object."""
    label = FIELD_LABELS_BY_TYPE.get((object_type, name)) or FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def value_label(object_type: str, name: str, value):
    """A coded value (or each value of a list) in the reader's words; others unchanged."""
    write = _FORMATS.get(name)
    if write is not None and isinstance(value, int) and not isinstance(value, bool):
        return write(value)
    labels = _VALUE_LABELS.get((object_type, name))
    if not labels:
        return value
    if isinstance(value, list):
        return [str(labels.get(item, item)) for item in value]
    return str(labels[value]) if isinstance(value, str) and value in labels else value
