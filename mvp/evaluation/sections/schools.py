"""One section per school: its pupils, answers and rates, adoption, implementation, scales.

Reuses what the earlier sections made: reach's rows and protected pupil counts, the
protected answer counts (responses.py), adoption, implementation, and the outcome
builder's results per school (effectiveness.py).
"""

from mvp.evaluation import text
from mvp.evaluation.keys import PUPILS, RESPONSES, Cell, Counted
from mvp.evaluation.outcomes import OutcomeBuilder
from mvp.evaluation.results import (
    PUPIL_SEXES,
    Adoption,
    AdoptionSchool,
    Implementation,
    PupilRow,
    SchoolResponses,
    SchoolScale,
    SchoolSection,
)
from mvp.evaluation.sections import by_sex
from mvp.evaluation.sections.frame import PHASES, Frame
from mvp.evaluation.sections.responses import rate


def school_sections(
    groups: list,
    frame: Frame,
    *,
    pupil_rows: list[PupilRow],
    pupils: Counted,
    answers: Counted,
    adoption: Adoption,
    implementation: Implementation,
    outcome: OutcomeBuilder,
    min_n: int,
) -> list[SchoolSection]:
    """A section for each participating school, in report order."""
    rows = {r.key: r for r in pupil_rows}
    adopted = {a.key: a for a in adoption.schools}
    implemented = {i.key: i for i in implementation.schools}
    after_available = frame.all_responses and any(r.phase == "after" for r in frame.all_responses)
    sections = []
    for s in frame.schools:
        key = str(s)
        responses = []
        for phase in PHASES:
            cell = Cell(RESPONSES, school=s, phase=phase)
            responses.append(
                SchoolResponses(
                    phase=phase,
                    responses=answers.figure(cell),
                    rate=rate(
                        cell,
                        Cell(PUPILS, school=s),
                        frame.asked_pupils(phase, s),
                        answers=answers,
                        pupils=pupils,
                        min_n=min_n,
                    ),
                )
            )
        scales = []
        for work in outcome.works if after_available else []:
            paired = outcome.paired_result(work, "after", ("school", s))
            sexes = outcome.subgroups(work, "after", [("school_sex", s, x) for x in PUPIL_SEXES])
            scales.append(
                SchoolScale(
                    key=work.info.key,
                    name=work.info.name,
                    paired=paired,
                    unpaired=outcome.unpaired_result(work, "after", ("school", s)),
                    by_sex=sexes,
                    by_grade=outcome.subgroups(
                        work,
                        "after",
                        [("school_grade", s, g) for g in frame.grades_by_school[s]],
                    ),
                    finding=text.subgroup_finding(work.info.name, paired),
                    findings_by_sex=[
                        text.subgroup_finding(group.label, group.paired)
                        for group in sexes
                        if group.key in ("girl", "boy")
                    ],
                    by_grade_sex=by_sex.crossed(
                        outcome,
                        work,
                        "after",
                        [
                            ("school_grade_sex", s, g, x)
                            for g in frame.grades_by_school[s]
                            for x in PUPIL_SEXES
                        ],
                    ),
                )
            )
        sections.append(
            SchoolSection(
                key=key,
                name=frame.school_names[s],
                pupils=rows[key],
                responses=responses,
                adoption=adopted.get(key)
                or AdoptionSchool(key, frame.school_names[s], 0, 0, 0, 0, None, None),
                implementation=implemented[key],
                scales=scales,
            )
        )
    return sections
