"""The reader's names of leader roles, sexes and kinds of training."""

from flask_babel import lazy_gettext as _l

from mvp.mentors.models import LeaderRole, Sex, TrainingKind

ROLE_LABELS = {
    LeaderRole.TEACHER: _l("Teacher"),
    LeaderRole.COUNSELLOR: _l("School counsellor (kurator)"),
    LeaderRole.SCHOOL_NURSE: _l("School nurse"),
    LeaderRole.SCHOOL_LEADER: _l("School leader"),
    LeaderRole.YOUTH_WORKER: _l("Youth worker"),
    LeaderRole.PUPIL_MENTOR: _l("Pupil mentor"),
    LeaderRole.OTHER: _l("Other"),
}

SEX_LABELS = {
    Sex.WOMAN: _l("Woman"),
    Sex.MAN: _l("Man"),
    Sex.OTHER: _l("Non-binary or other"),
    Sex.UNKNOWN: _l("Not stated"),
}

KIND_LABELS = {
    TrainingKind.ANCHORING: _l("Anchoring meeting with the school leadership"),
    TrainingKind.STAFF_HALF_DAY: _l("Staff half-day"),
    TrainingKind.LEADER_TRAINING: _l("Leader training (3 days)"),
    TrainingKind.SUPERVISION: _l("Supervision of leaders"),
    TrainingKind.REFRESHER: _l("Refresher"),
    TrainingKind.OTHER: _l("Other training"),
}

# Typical length of each kind, offered when a new training is entered.
TYPICAL_HOURS = {
    TrainingKind.ANCHORING: 1.5,
    TrainingKind.STAFF_HALF_DAY: 3.5,
    TrainingKind.LEADER_TRAINING: 21,
    TrainingKind.SUPERVISION: 3,
    TrainingKind.REFRESHER: 7,
    TrainingKind.OTHER: 2,
}


def leader_role_label(role: str) -> str:
    """The reader's name of a leader's role."""
    return str(ROLE_LABELS.get(role, role))


def sex_label(sex: str) -> str:
    """The reader's name of a leader's sex."""
    return str(SEX_LABELS.get(sex, sex))


def training_kind_label(kind: str) -> str:
    """The reader's name of a kind of training."""
    return str(KIND_LABELS.get(kind, kind))
