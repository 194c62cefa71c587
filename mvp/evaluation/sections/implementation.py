"""Implementation: the delivery area's fidelity figures (mvp.lessons.fidelity), rounded.

Attendance is by sex over the groups' pupils, so it is shown only where reach shows the
pupils it is about (the protected counts reach.py returns).
"""

from collections import defaultdict

from flask_babel import gettext as _

from mvp.evaluation.keys import PUPILS, Cell, Counted
from mvp.evaluation.numbers import rounded
from mvp.evaluation.results import GROUP_SEXES, Implementation, ImplementationRow
from mvp.evaluation.sections.frame import Frame
from mvp.evaluation.suppress import SUPPRESSED
from mvp.lessons.fidelity import Figures, ProgrammeFidelity


def implementation(
    fidelity: ProgrammeFidelity, leaders: list, frame: Frame, pupils: Counted
) -> Implementation:
    """Per participating school and in total; attendance hidden where `pupils` hides."""
    by_school = {school.school_id: school for school in fidelity.schools}
    active_hours = defaultdict(list)
    for leader in leaders:
        if leader.lessons:
            active_hours[leader.school_id].append(float(leader.supervision_hours or 0))
            active_hours["all"].append(float(leader.supervision_hours or 0))
    rows = [
        _row(
            str(s),
            frame.school_names[s],
            by_school[s].figures,
            school=s,
            pupils=pupils,
            supervision_hours=by_school[s].supervision_hours,
            leader_hours=active_hours[s],
        )
        for s in frame.schools
    ]
    total = _row(
        "total",
        _("All schools"),
        fidelity.figures,
        school=None,
        pupils=pupils,
        # The participating schools' sessions; central ones are reported beside them.
        supervision_hours=sum(by_school[s].supervision_hours for s in frame.schools),
        leader_hours=active_hours["all"],
    )
    return Implementation(rows, total, rounded(fidelity.central_supervision_hours, "hours"))


def _row(
    key, name, figures: Figures, *, school, pupils: Counted, supervision_hours, leader_hours
) -> ImplementationRow:
    attendance = {}
    for sex in (*GROUP_SEXES, "total"):
        cell = Cell(PUPILS, school=school, sex=None if sex == "total" else sex)
        if not pupils.shown.shows(cell):
            attendance[sex] = SUPPRESSED
        else:
            value = figures.attendance_all if sex == "total" else figures.attendance(sex)
            attendance[sex] = rounded(value, "share")
    return ImplementationRow(
        key=key,
        name=name,
        groups=figures.groups,
        groups_with_plan=figures.groups_with_plan,
        groups_full_dose=figures.groups_full_dose,
        lessons_planned=figures.planned,
        lessons_held=figures.held,
        dose=rounded(figures.dose, "share"),
        held_lessons=figures.lessons,
        repeat_lessons=figures.repeats,
        full_pair_share=rounded(figures.full_pair_share, "share"),
        delivered_fully=rounded(figures.fully_share, "share"),
        delivered_partly=rounded(figures.partly_share, "share"),
        delivered_not=rounded(figures.not_share, "share"),
        attendance=attendance,
        supervision_hours=rounded(supervision_hours, "hours"),
        supervision_hours_per_leader=(
            rounded(sum(leader_hours) / len(leader_hours), "hours") if leader_hours else None
        ),
    )
