"""The reader's words for the evaluation's keys: sexes, phases, leader roles, effect sizes."""

from flask_babel import lazy_gettext as _l

# Phases and leader roles are named as in their own areas (keys are the enums' string values).
from mvp.mentors.labels import ROLE_LABELS  # noqa: F401 (re-exported for the evaluation)
from mvp.surveys.labels import PHASE_LABELS  # noqa: F401 (re-exported for the evaluation)

PUPIL_SEX_LABELS = {
    "girl": _l("Girls"),
    "boy": _l("Boys"),
    "other": _l("Other"),
    "no_answer": _l("No answer"),
}

GROUP_SEX_LABELS = {
    "girls": _l("Girls"),
    "boys": _l("Boys"),
    "others": _l("Other or unknown"),
}

LEADER_SEX_LABELS = {"woman": _l("Women"), "man": _l("Men"), "other": _l("Other or unknown")}


# "Answers <phase>", "Positive <phase>" in column headings.
PHASE_IN_HEADING = {
    "before": _l("before"),
    "after": _l("after"),
    "follow_up": _l("at follow-up"),
}

# "rose from 58 before the lessons to 64 <when>"
PHASE_WHEN = {
    "after": _l("after the lessons"),
    "follow_up": _l("at the follow-up"),
}

EFFECT_SIZE_LABELS = {
    "negligible": _l("negligible"),
    "small": _l("small"),
    "medium": _l("moderate"),
    "large": _l("large"),
}

KIND_LABELS = {"agreement": _l("Agreement (4 steps)"), "yes_no": _l("Yes or no")}

CONTINUATION_LABELS = {
    "continues": _l("Continues"),
    "stopped": _l("No groups"),
    "not_yet": _l("Not yet known"),
}


def label(mapping: dict, key) -> str:
    """The label of a key, or the key itself when it has none."""
    return str(mapping.get(key, key))
