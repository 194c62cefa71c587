"""The rollout stages in the reader's words, their order, and which of them mean "MVP runs"."""

from flask_babel import lazy_gettext as _l

from mvp.rollout.models import Stage

# The normal path; "paused" stands beside it (a school may pause at any stage).
PATH = (Stage.NOT_STARTED, Stage.ANCHORING, Stage.PREPARING, Stage.FIRST_ROUND, Stage.ESTABLISHED)
ORDER = {stage: position for position, stage in enumerate(PATH)}

# Stages in which the school holds MVP lessons: it counts as "an MVP school".
RUNNING = frozenset({Stage.FIRST_ROUND, Stage.ESTABLISHED})

STAGE_LABELS = {
    Stage.NOT_STARTED: _l("Not started"),
    Stage.ANCHORING: _l("Anchoring"),
    Stage.PREPARING: _l("Preparing"),
    Stage.FIRST_ROUND: _l("First round"),
    Stage.ESTABLISHED: _l("Established"),
    Stage.PAUSED: _l("Paused"),
}

STAGE_DESCRIPTIONS = {
    Stage.NOT_STARTED: _l("No work with MVP has begun at the school."),
    Stage.ANCHORING: _l(
        "The school leadership is being won over and the staff informed "
        "(anchoring meeting, staff half-day)."
    ),
    Stage.PREPARING: _l(
        "Leaders are trained, groups, lesson plans and leader pairs are set up, "
        "and the before-questionnaire is scheduled."
    ),
    Stage.FIRST_ROUND: _l("The school holds its first round of MVP lessons, with supervision."),
    Stage.ESTABLISHED: _l("MVP is part of the school's ordinary work, year after year."),
    Stage.PAUSED: _l("The work is paused; the reason is in the history."),
}


def stage_label(stage: str | None) -> str:
    """The reader's name of a stage; a school without a rollout row has not started."""
    return str(STAGE_LABELS[Stage(stage or Stage.NOT_STARTED)])


def is_forward_jump(from_position: int, to_stage: str) -> bool:
    """Whether a move skips at least one stage of the normal path going forward."""
    if to_stage not in ORDER:
        return False
    return ORDER[Stage(to_stage)] > from_position + 1
