"""Audited: the marker that makes every create, update and delete of a model land in the log."""

from flask_babel import lazy_gettext as _l


class Audited:
    """Mix into a model to record its changes; see mvp.audit.listener.

    ``__audit_secret__`` names fields whose values are never written to the log (only that
    they changed); ``__audit_ignore__`` names fields not worth logging at all.
    """

    __audit_secret__: frozenset[str] = frozenset()
    __audit_ignore__: frozenset[str] = frozenset({"created_at", "updated_at", "version"})

    @property
    def audit_label(self) -> str:
        """How the object is named in the log, e.g. a school's name."""
        return f"{type(self).__name__} {getattr(self, 'id', '')}".strip()


# The reader's names of the logged object types, by table name. Areas add their own.
OBJECT_TYPE_LABELS = {
    "user": _l("User"),
    "school": _l("School"),
    "student_group": _l("Pupil group"),
    "leader": _l("MVP leader"),
    "training": _l("Training"),
    "training_participant": _l("Training participant"),
    "curriculum": _l("Lesson plan"),
    "curriculum_lesson": _l("Lesson of a plan"),
    "lesson": _l("Held lesson"),
    "school_rollout": _l("School rollout"),
    "stage_change": _l("Stage change"),
    "instrument": _l("Questionnaire"),
    "wave": _l("Questionnaire wave"),
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
    "sex": _l("Sex"),
    "title": _l("Title"),
    "starts_on": _l("Date"),
    "ends_on": _l("Last day"),
    "hours": _l("Hours"),
    "trainer": _l("Trainer"),
    "other_attendees": _l("Other people present"),
    "notes": _l("Notes"),
    "training_id": _l("Training"),
    "leader_id": _l("MVP leader"),
    "attended": _l("Attended"),
    "description": _l("Description"),
    "curriculum_id": _l("Lesson plan"),
    "number": _l("Lesson number"),
    "theme": _l("Theme"),
    "leader_1_id": _l("First leader"),
    "leader_2_id": _l("Second leader"),
    "group_id": _l("Pupil group"),
    "is_repeat": _l("Repeat"),
    "held_on": _l("Date held"),
    "minutes": _l("Minutes"),
    "girls_present": _l("Girls present"),
    "boys_present": _l("Boys present"),
    "others_present": _l("Other or unknown present"),
    "half_groups": _l("Half-groups"),
    "single_sex": _l("Single-sex"),
    "delivered": _l("Delivered as planned"),
    "adaptation": _l("Adaptation"),
    "leaders": _l("Leaders present"),
    "stage": _l("Stage"),
    "stage_since": _l("At the stage since"),
    "target_year": _l("Target school year"),
    "target_term": _l("Target term"),
    "responsible": _l("Responsible"),
    "rollout_id": _l("Rollout"),
    "from_stage": _l("From stage"),
    "to_stage": _l("To stage"),
    "changed_on": _l("Date of the change"),
    "reason": _l("Reason"),
    "missing": _l("Missing checklist items"),
    "actor_id": _l("Changed by"),
    "key": _l("Key"),
    "version": _l("Version"),
    "name_sv": _l("Name in Swedish"),
    "name_en": _l("Name in English"),
    "description_sv": _l("Description in Swedish"),
    "description_en": _l("Description in English"),
    "phase": _l("Phase"),
    "instrument_id": _l("Questionnaire"),
    "opens_on": _l("First day"),
    "closes_on": _l("Last day"),
    "code": _l("Access code"),
    "shared_device": _l("Shared devices"),
    "lessons_learned": _l("Lessons learned"),
    "next_steps": _l("Next steps"),
    "updated_by_id": _l("Written by"),
}
