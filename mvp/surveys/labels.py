"""The reader's names of phases, kinds of question and wave states."""

from flask_babel import lazy_gettext as _l

from mvp.surveys.models import Phase, ResponseKind, Source

PHASE_LABELS = {
    Phase.BEFORE: _l("Before"),
    Phase.AFTER: _l("After"),
    Phase.FOLLOW_UP: _l("Follow-up"),
}
PHASE_HINTS = {
    Phase.BEFORE: _l("before the first lesson (T1)"),
    Phase.AFTER: _l("after the last lesson (T2)"),
    Phase.FOLLOW_UP: _l("3–6 months after the last lesson (T3)"),
}
KIND_LABELS = {
    ResponseKind.AGREEMENT: _l("Agreement, 4 steps and don't know"),
    ResponseKind.YES_NO: _l("Yes, no or don't know"),
    ResponseKind.CHOICE: _l("Single choice"),
}
# A wave named by its phase: as a title, with the definite and the indefinite article.
WAVE_TITLES = {
    Phase.BEFORE: _l("Before wave"),
    Phase.AFTER: _l("After wave"),
    Phase.FOLLOW_UP: _l("Follow-up wave"),
}
THE_WAVE = {
    Phase.BEFORE: _l("the before wave"),
    Phase.AFTER: _l("the after wave"),
    Phase.FOLLOW_UP: _l("the follow-up wave"),
}
A_WAVE = {
    Phase.BEFORE: _l("a before wave"),
    Phase.AFTER: _l("an after wave"),
    Phase.FOLLOW_UP: _l("a follow-up wave"),
}
STATUS_LABELS = {
    "upcoming": _l("Not yet open"),
    "open": _l("Open"),
    "closed": _l("Closed"),
}
SOURCE_LABELS = {
    Source.ONLINE: _l("Online"),
    Source.PAPER: _l("Paper"),
    Source.IMPORT: _l("Imported file"),
}


def phase_label(phase: str) -> str:
    """The reader's name of a phase."""
    return str(PHASE_LABELS[Phase(phase)])


def the_wave(phase: str) -> str:
    """'the before wave' in the reader's language."""
    return str(THE_WAVE[Phase(phase)])


def a_wave(phase: str) -> str:
    """'a before wave' in the reader's language."""
    return str(A_WAVE[Phase(phase)])
