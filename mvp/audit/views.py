"""The audit log page for project leads and administrators."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mvp.audit import services
from mvp.audit.forms import ACTION_LABELS, AuditFilterForm
from mvp.audit.labels import field_label, value_label
from mvp.audit.listener import HIDDEN
from mvp.audit.mixin import OBJECT_TYPE_LABELS
from mvp.auth.permissions import require
from mvp.fields import choices

bp = Blueprint("audit", __name__)

ACTOR_NAMES = {"cli": _l("Command line"), "system": _l("The system"), "demo": _l("Demo data")}


def actor_name(label: str) -> str:
    """A person's e-mail, or the reader's name for the command line, the system or the demo."""
    name = ACTOR_NAMES.get(label)
    return str(name) if name is not None else label


def audit_value(value, object_type: str = "", name: str = "") -> str:
    """A logged value as the reader should see it (coded values in the reader's words)."""
    value = value_label(object_type, name, value)
    if value is None or value == "":
        return "–"
    if value == HIDDEN:
        return _("(hidden)")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items()) or "–"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "–"
    return str(value)


def type_label(object_type: str) -> str:
    """The reader's name for a kind of logged object."""
    label = OBJECT_TYPE_LABELS.get(object_type)
    return str(label) if label is not None else object_type


@bp.get("/audit/")
@require("audit.view")
def index():
    """Who changed what, filtered by object kind, person, action, name and dates."""
    form = AuditFilterForm(request.args)
    form.object_type.choices = choices(
        [("", "–")] + [(kind, type_label(kind)) for kind in services.object_types()]
    )
    form.actor.choices = choices(
        [("", "–")] + [(actor, actor_name(actor)) for actor in services.actors()]
    )
    criteria = services.AuditFilter()
    if form.validate():
        criteria = services.AuditFilter(
            object_type=form.object_type.data or None,
            actor=form.actor.data or None,
            action=form.action.data or None,
            text=form.text.data or None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
    page = services.list_events(criteria, request.args.get("page", 1, type=int))
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "audit/index.html",
        form=form,
        page=page,
        args=args,
        type_label=type_label,
        action_labels=ACTION_LABELS,
        actor_name=actor_name,
        field_label=field_label,
        audit_value=audit_value,
    )
