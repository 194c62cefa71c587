"""The audit log's filter (a GET form, so no CSRF token is needed)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional

from mvp.fields import choices
from mvp.forms_base import BaseForm

ACTION_LABELS = {"create": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted")}
# A staff account's data exported by the data protection officer (mvp.privacy).
ACTION_LABELS["export"] = _l("Exported")


class AuditFilterForm(BaseForm):
    """Narrows the audit log by kind of object, person, action, name and dates."""

    class Meta:
        csrf = False

    object_type = SelectField(_l("Kind of object"), validators=[Optional()])
    actor = SelectField(_l("Who"), validators=[Optional()])
    action = SelectField(
        _l("What"),
        choices=choices([("", _l("All")), *ACTION_LABELS.items()]),
        validators=[Optional()],
    )
    text = StringField(_l("Object name contains"), validators=[Optional()])
    date_from = DateField(
        _l("From date"), validators=[Optional()], description=_l("For example 2026-11-01.")
    )
    date_to = DateField(
        _l("To date"), validators=[Optional()], description=_l("For example 2026-11-30.")
    )
