"""The roles of the system and their names in the interface."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    """What a user is allowed to do; see mvp.auth.permissions."""

    ADMIN = "admin"
    LEAD = "lead"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"
    HR = "hr"  # a unit's HR contact (HR-kontakt): training attendance of their administrations


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.LEAD: _l("Project lead"),
    Role.COORDINATOR: _l("School coordinator"),
    Role.VIEWER: _l("Viewer"),
    Role.HR: _l("HR contact"),
}

ROLE_DESCRIPTIONS = {
    Role.ADMIN: _l("Manages accounts and settings, and can do everything a project lead can."),
    Role.LEAD: _l("Works across all schools: schools, delivery, questionnaires, evaluation."),
    Role.COORDINATOR: _l("Keeps the groups, lessons and questionnaires of their own schools."),
    Role.VIEWER: _l("Reads aggregated, anonymity-protected results; changes nothing."),
    Role.HR: _l(
        "Records who attended the gender-equality training in their own administrations; "
        "otherwise reads what a viewer reads."
    ),
}


def role_label(role: str) -> str:
    """The reader's name for a role."""
    return str(ROLE_LABELS[Role(role)])
