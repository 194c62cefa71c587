"""Answers per phase, school and sex, protected; and the response rates they allow.

A rate is shown only where its answers and its pupils are (the pupils' counts protected by
reach.py), so this section comes after reach.
"""

from mvp.evaluation.keys import PUPILS, RESPONSES, Cell, Counted
from mvp.evaluation.results import PUPIL_SEXES, PhaseResponses
from mvp.evaluation.sections.frame import PHASES, Frame
from mvp.evaluation.sections.shares import share
from mvp.evaluation.suppress import SUPPRESSED, grid_lines, protect


def responses(
    groups: list, frame: Frame, pupils: Counted, min_n: int
) -> tuple[list[PhaseResponses], Counted]:
    """Per phase the answers and response rates, and the protected answer counts."""
    counts = frame.counted
    sizes: dict[Cell, int] = {}
    lines, unpublished = [], set()
    for phase in PHASES:
        for s in frame.schools:
            for sex in PUPIL_SEXES:
                cell = Cell(RESPONSES, school=s, sex=sex, phase=phase)
                sizes[cell] = counts[(phase, s, sex)]
                unpublished.add(cell)
            sizes[Cell(RESPONSES, school=s, phase=phase)] = sum(
                counts[(phase, s, sex)] for sex in PUPIL_SEXES
            )
        for sex in PUPIL_SEXES:
            sizes[Cell(RESPONSES, sex=sex, phase=phase)] = sum(
                counts[(phase, s, sex)] for s in frame.schools
            )
        sizes[Cell(RESPONSES, phase=phase)] = sum(
            sizes[Cell(RESPONSES, sex=sex, phase=phase)] for sex in PUPIL_SEXES
        )
        lines += grid_lines(
            frame.schools,
            PUPIL_SEXES,
            cell=lambda r, c, phase=phase: Cell(RESPONSES, school=r, sex=c, phase=phase),
            row_margin=lambda r, phase=phase: Cell(RESPONSES, school=r, phase=phase),
            column_margin=lambda c, phase=phase: Cell(RESPONSES, sex=c, phase=phase),
            total=Cell(RESPONSES, phase=phase),
        )
    answers = Counted(sizes, protect(sizes, lines, min_n, unpublished=unpublished))
    result = []
    for phase in PHASES:

        def phase_rate(sex: str | None, group_sex: str | None, phase=phase):
            return rate(
                Cell(RESPONSES, sex=sex, phase=phase),
                Cell(PUPILS, sex=group_sex),
                frame.asked_pupils(phase, sex=group_sex),
                answers=answers,
                pupils=pupils,
                min_n=min_n,
            )

        result.append(
            PhaseResponses(
                phase=phase,
                groups_with_wave=len(frame.asked[phase] & set(frame.groups)),
                groups=len(groups),
                responses=answers.figure(Cell(RESPONSES, phase=phase)),
                by_sex={
                    sex: answers.figure(Cell(RESPONSES, sex=sex, phase=phase))
                    for sex in PUPIL_SEXES
                },
                rate=phase_rate(None, None),
                rate_girls=phase_rate("girl", "girls"),
                rate_boys=phase_rate("boy", "boys"),
            )
        )
    return result, answers


def rate(
    response_cell: Cell, pupils_cell: Cell, asked: int, *, answers: Counted, pupils: Counted, min_n
):
    """Responses over the registered pupils of the groups asked, shown only where the
    responses and the pupils are; and, when only some groups were asked, only where
    neither those groups' pupils nor the others' are fewer than the threshold (the rate
    would give their number back)."""
    if asked == 0:  # nobody asked: there is no rate, and nothing to hide
        return None
    if not (answers.shown.shows(response_cell) and pupils.shown.shows(pupils_cell)):
        return SUPPRESSED
    total = pupils.sizes[pupils_cell]
    if asked != total and min(asked, total - asked) < min_n:
        return SUPPRESSED
    return share(answers.sizes[response_cell], asked)
