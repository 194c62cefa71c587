"""Audited: the marker that makes every create, update and delete of a model land in the log."""

from flask_babel import lazy_gettext as _l


class Audited:
    """Mix into a model to record its changes; see mvp.audit.listener.

    ``__audit_secret__`` names fields whose values are never written to the log (only that
    they changed); ``__audit_ignore__`` names fields not worth logging at all.
    """

    __audit_secret__: frozenset[str] = frozenset()
    __audit_ignore__: frozenset[str] = frozenset({"created_at", "updated_at"})

    @property
    def audit_label(self) -> str:
        """How the object is named in the log, e.g. a school's name."""
        return f"{type(self).__name__} {getattr(self, 'id', '')}".strip()


# The reader's names of the logged object types, by table name. Areas add their own.
OBJECT_TYPE_LABELS = {
    "user": _l("User"),
    "school": _l("School"),
    "student_group": _l("Pupil group"),
    "report_text": _l("Report texts"),
}

# The reader's names of logged fields, by attribute name; unknown names are shown as they are.
FIELD_LABELS = {
    "name": _l("Name"),
    "email": _l("E-mail address"),
    "role": _l("Role"),
    "active": _l("Active"),
    "schools": _l("Schools"),
    "locale": _l("Language"),
    "password_hash": _l("Password"),
    "login_token": _l("Sign-in token"),
    "must_change_password": _l("Must change password"),
    "kind": _l("Kind of school"),
    "principal_name": _l("Principal's name"),
    "principal_email": _l("Principal's e-mail"),
    "pupils_by_grade": _l("Pupils per grade"),
    "school_id": _l("School"),
    "school_year": _l("School year"),
    "grade": _l("Grade"),
    "girls": _l("Girls"),
    "boys": _l("Boys"),
    "others": _l("Other or unknown"),
    "lessons_learned": _l("Lessons learned"),
    "next_steps": _l("Next steps"),
    "updated_by_id": _l("Written by"),
}
