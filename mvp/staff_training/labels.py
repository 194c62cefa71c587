"""The reader's names of audiences, roles and kinds of programme."""

from flask_babel import lazy_gettext as _l

from mvp.staff_training.models import Audience, ProgrammeKind, StaffRole

AUDIENCE_LABELS = {
    Audience.POLITICIANS: _l("Politicians"),
    Audience.MANAGEMENT: _l("Management team"),
    Audience.MANAGERS: _l("Managers"),
    Audience.STAFF: _l("Staff"),
}

STAFF_ROLE_LABELS = {StaffRole.MANAGER: _l("Manager"), StaffRole.STAFF: _l("Staff member")}
STAFF_ROLE_PLURALS = {StaffRole.MANAGER: _l("Managers"), StaffRole.STAFF: _l("Staff")}

PROGRAMME_KIND_LABELS = {
    ProgrammeKind.BASIC: _l("Basic training"),
    ProgrammeKind.LEADERSHIP: _l("Training for managers"),
    ProgrammeKind.REFRESHER: _l("Refresher"),
    ProgrammeKind.OTHER: _l("Other"),
}


def audience_label(value: str) -> str:
    """The reader's name of an audience."""
    return str(AUDIENCE_LABELS.get(value, value))


def staff_role_label(value: str) -> str:
    """The reader's name of a participant's role."""
    return str(STAFF_ROLE_LABELS.get(value, value))


def role_plural_label(value: str) -> str:
    """The reader's name of a role, in the plural."""
    return str(STAFF_ROLE_PLURALS.get(value, value))


def programme_kind_label(value: str) -> str:
    """The reader's name of a kind of programme."""
    return str(PROGRAMME_KIND_LABELS.get(value, value))
