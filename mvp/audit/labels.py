"""The reader's words for what the audit log records: field names and coded values.

Coded values (a role, a kind of training, a stage) are stored as keys; the log shows them in
the reader's language with the labels their own areas define. The areas are imported when the
labels are first needed, since their models import the audit mixin.
"""

from functools import cache

from flask_babel import lazy_gettext as _l

from mvp.audit.mixin import FIELD_LABELS

# Where a field name means something else on one kind of object.
FIELD_LABELS_BY_TYPE = {
    ("training", "kind"): _l("Kind of training"),
    ("item", "kind"): _l("Kind of answer"),
}


@cache
def _value_labels() -> dict:
    from mvp.auth.roles import ROLE_LABELS
    from mvp.lessons.forms import DELIVERY_LABELS
    from mvp.mentors import labels as mentors
    from mvp.rollout.readiness import ITEM_LABELS
    from mvp.rollout.stages import STAGE_LABELS
    from mvp.schools.grades import KIND_LABELS as SCHOOL_KINDS
    from mvp.surveys.labels import PHASE_LABELS

    return {
        ("user", "role"): ROLE_LABELS,
        ("school", "kind"): SCHOOL_KINDS,
        ("leader", "role"): mentors.ROLE_LABELS,
        ("leader", "sex"): mentors.SEX_LABELS,
        ("training", "kind"): mentors.KIND_LABELS,
        ("lesson", "delivered"): DELIVERY_LABELS,
        ("wave", "phase"): PHASE_LABELS,
        ("school_rollout", "stage"): STAGE_LABELS,
        ("stage_change", "from_stage"): STAGE_LABELS,
        ("stage_change", "to_stage"): STAGE_LABELS,
        ("stage_change", "missing"): ITEM_LABELS,
    }


def field_label(object_type: str, name: str) -> str:
    """The reader's name of a logged field of a kind of object."""
    label = FIELD_LABELS_BY_TYPE.get((object_type, name)) or FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def value_label(object_type: str, name: str, value):
    """A coded value (or each value of a list) in the reader's words; others unchanged."""
    labels = _value_labels().get((object_type, name))
    if not labels:
        return value
    if isinstance(value, list):
        return [str(labels.get(item, item)) for item in value]
    return str(labels[value]) if isinstance(value, str) and value in labels else value
