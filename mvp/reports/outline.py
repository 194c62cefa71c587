"""The report's outline, defined once: order, titles, intros, takeaways and the empty rule.

Both the PDF (mvp.reports.pdf) and the dashboard (templates/evaluation/_overview.html) draw
their RE-AIM sections from `sections(evaluation)`, so the two can never disagree on what a
section is called, what it opens with, or when it is one line saying there is nothing to show.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mvp.evaluation.headlines import headline_sentences
from mvp.evaluation.numbers import fmt, fmt_share
from mvp.evaluation.results import Evaluation

# The RE-AIM sections and the rollout, in the report's order: (key, title, intro).
OUTLINE = (
    (
        "reach",
        _l("Reach"),
        _l(
            "How many pupils MVP reached, which share of their grades, and "
            "who answered the questionnaires."
        ),
    ),
    ("adoption", _l("Adoption"), _l("Schools and staff taking part.")),
    (
        "implementation",
        _l("Implementation"),
        _l(
            "Fidelity to the lesson plan: lessons held of planned (dose), leader pairs, "
            "delivery as planned, attendance and supervision."
        ),
    ),
    ("effectiveness", _l("Effectiveness"), _l("What changed for the pupils after the lessons.")),
    ("maintenance", _l("Maintenance"), _l("Results at follow-up, and schools that continue.")),
    (
        "rollout",
        _l("Rollout"),
        _l(
            "Where the schools stand on the way to MVP in every school: stages, readiness "
            "and, for the whole municipality, the plan term by term with the pupils it "
            "reaches."
        ),
    ),
)


@dataclass
class Section:
    """One section as both renderings show it."""

    key: str
    title: str
    intro: str
    takeaway: str
    # When set, the section has nothing to show: it is this one line and nothing else.
    empty: str = ""


def _takeaway(key: str, evaluation: Evaluation) -> str:
    reach, implementation = evaluation.reach.total, evaluation.implementation.total
    if key == "reach" and reach is not None:
        return _(
            "MVP reached %(n)s pupils (girls %(girls)s, boys %(boys)s), %(share)s of the "
            "pupils in those grades.",
            n=fmt(reach.total),
            girls=fmt(reach.girls),
            boys=fmt(reach.boys),
            share=fmt_share(reach.share_of_grades),
        )
    if key == "adoption":
        adoption = evaluation.adoption
        return _(
            "%(n)s of %(total)s schools in the selection have MVP groups; %(trained)s leaders "
            "are trained (women %(women)s, men %(men)s).",
            n=adoption.schools_participating,
            total=adoption.schools_total,
            trained=adoption.trained.total,
            women=adoption.trained.woman,
            men=adoption.trained.man,
        )
    if key == "implementation" and implementation is not None:
        return _(
            "%(dose)s of the planned lessons were held, and %(pair)s of them were led by a "
            "leader pair.",
            dose=fmt_share(implementation.dose),
            pair=fmt_share(implementation.full_pair_share),
        )
    if key == "effectiveness":
        return headline_sentences(evaluation)[0]
    if key == "maintenance":
        return evaluation.maintenance.finding
    if key == "rollout":
        return evaluation.rollout.finding
    return ""


def _empty(key: str, evaluation: Evaluation) -> str:
    """The one line of a section with nothing to show (empty string: it has something)."""
    if key in ("reach", "implementation") and not evaluation.has_data:
        return _("No data for the selection.")
    if key == "effectiveness" and not evaluation.effectiveness.available:
        return evaluation.effectiveness.message or _("No data for the selection.")
    return ""


def sections(evaluation: Evaluation) -> list[Section]:
    """The report's sections, in order, with their takeaway or their one empty line."""
    result = []
    for key, title, intro in OUTLINE:
        empty = _empty(key, evaluation)
        result.append(
            Section(key, str(title), str(intro), "" if empty else _takeaway(key, evaluation), empty)
        )
    return result


def all_suppressed(table) -> bool:
    """A table made only of ".." (every figure suppressed): shown as one line instead."""
    figures = [cell for row in table.rows for cell in row[1:]]
    flat = [c[0] if isinstance(c, tuple) else c for c in figures]
    shown = [c for c in flat if c not in (None, "..", "")]
    return bool(table.rows) and not shown and any(c == ".." for c in flat)
