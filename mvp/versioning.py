"""No silent overwrite: an edit form carries its record's version, and a stale save is refused.

Every edited record counts its edits (mvp.db.VersionedMixin). An edit view ties its form to
the record with track(form, record): the form then carries the record's version and, in a
second hidden field, the record's values as they were when the form was opened. save_form
(mvp.validation) calls check_version before saving: when someone else has saved the record
since, nothing is saved, the form comes back with what this user typed, a message that
someone else changed it, and one line per field they changed — their value now against the
value when this user opened the form. The form then carries the new version, so saving again
is a deliberate choice to keep one's own.
"""

import datetime as dt
import decimal
import enum
import json

from flask import request
from flask_babel import gettext as _
from wtforms import HiddenField
from wtforms.validators import Length

_MISSING = object()
_NOT_DATA = frozenset({"csrf_token", "version", "opened", "submit"})


def _plain(value):
    """A value in a form that JSON keeps and that compares equal when the data is the same."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple | set | frozenset):
        return sorted((_plain(v) for v in value), key=str)
    if hasattr(value, "id"):
        return value.id
    return str(value)


def _record_value(record, name: str):
    """The record's value behind a form field of this name (leader_ids: the leaders' ids)."""
    value = getattr(record, name, _MISSING)
    if value is _MISSING and name.endswith("_ids"):
        value = getattr(record, name[: -len("_ids")] + "s", _MISSING)
    return value


def snapshot(form, record) -> dict:
    """The record's values behind the form's fields, by field name."""
    values = {}
    given = form._versioned_values(record) if form._versioned_values else None
    for field in form:
        if field.name in _NOT_DATA or field.type in ("CSRFTokenField", "SubmitField"):
            continue
        value = given.get(field.name) if given is not None else _record_value(record, field.name)
        if value is not _MISSING:
            values[field.name] = _plain(value)
    return values


# The record's values as JSON: every field's own limit together, with room for escaping
# (the shared input rule would otherwise hold it to one line's 200 characters).
OPENED_MAX = 200_000


class OpenedField(HiddenField):
    """The record's values when the form was opened, as JSON; kept as posted once submitted."""

    owner = None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        record = getattr(self.owner, "_versioned_record", None)
        return json.dumps(snapshot(self.owner, record)) if record is not None else ""


def track(form, record, values=None):
    """Tie an edit form to the record it edits: two hidden fields, its version and its values.

    Added to the form object rather than declared on each form class, so that any edit form
    gets the check with one line in its view. Returns the form. A record of None (a new one)
    is not checked. `values(record)` gives the values behind fields that are no attributes of
    the record (by field name); by default each field reads the attribute of its name.
    """
    form._versioned_record = record
    form._versioned_values = values
    if record is None:
        return form
    formdata = request.form if form.is_submitted() else None
    translations = form.meta.get_translations(form)
    for name, unbound in (
        ("version", HiddenField()),
        ("opened", OpenedField(validators=[Length(max=OPENED_MAX)])),
    ):
        options = {"name": name, "prefix": form._prefix, "translations": translations}
        field = form.meta.bind_field(form, unbound, options)
        field.process(formdata)
        form._fields[name] = field
        setattr(form, name, field)
    form.opened.owner = form
    if not form.version.raw_data:
        form.version.data = record.version
    return form


def _choice_labels(choices):
    for choice in choices:
        if hasattr(choice, "value"):  # SelectChoice
            yield str(choice.value), str(choice.label)
        else:
            yield str(choice[0]), str(choice[1])


def _shown(field, value) -> str:
    """A value as the reader knows it: the choice's label, yes/no, – for nothing."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    labels = dict(_choice_labels(getattr(field, "choices", None) or []))
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return labels.get(str(value), str(value))


def refuse_stale(form) -> None:
    """Tell the user that someone else saved first (the form keeps what they typed)."""
    form.form_errors.append(
        _(
            "Someone else changed this while you had the form open, so nothing was saved. "
            "What you typed is still in the form: compare it with their changes and save "
            "again to keep yours."
        )
    )


def check_version(form) -> bool:
    """True when the form's record is unchanged since the form was opened (or not checked).

    A form posted without a version (a page from before this check) is not checked.
    """
    record = getattr(form, "_versioned_record", None)
    if record is None or "version" not in form:
        return True
    posted = str(form.version.data or "").strip()
    if not posted.isdecimal() or int(posted) == record.version:
        return True
    try:
        then = json.loads(form.opened.data or "{}")
    except ValueError:
        then = {}
    now = snapshot(form, record)
    refuse_stale(form)
    for name, value in now.items():
        if name in then and then[name] != value:
            field = form[name]
            form.form_errors.append(
                _(
                    "%(field)s: now “%(theirs)s”; when you opened the form “%(was)s”.",
                    field=field.label.text,
                    theirs=_shown(field, value),
                    was=_shown(field, then[name]),
                )
            )
    # Saving again is now a choice made knowing their changes.
    form.version.raw_data = [str(record.version)]
    form.version.data = record.version
    form.opened.raw_data = [json.dumps(now)]
    return False
