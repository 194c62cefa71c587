"""Reach: the pupils in the MVP groups per school and sex, and their share of the grades.

The pupil counts are protected here (keys.Counted, cells of kind PUPILS); the response rates
(responses.py) and the attendance (implementation.py) are shown only where they are.
"""

from collections import Counter

from flask_babel import gettext as _

from mvp.evaluation.keys import PUPILS, Cell, Counted
from mvp.evaluation.results import GROUP_SEXES, PupilRow
from mvp.evaluation.sections.frame import Frame
from mvp.evaluation.sections.shares import share
from mvp.evaluation.suppress import SUPPRESSED, grid_lines, protect


def pupils(
    groups: list, school_records: list, frame: Frame, min_n: int
) -> tuple[list[PupilRow], PupilRow, Counted]:
    """The rows per school, the total row, and the protected pupil counts."""
    counts = {s: dict.fromkeys(GROUP_SEXES, 0) for s in frame.schools}
    n_groups = Counter()
    grade_places = set()
    for g in groups:
        counts[g.school_id]["girls"] += g.girls
        counts[g.school_id]["boys"] += g.boys
        counts[g.school_id]["others"] += g.others
        n_groups[g.school_id] += 1
        grade_places.add((g.school_id, g.school_year, g.grade))
    pupils_by_grade = {s.id: s.pupils_by_grade or {} for s in school_records}
    in_grades = Counter()
    for school, _year, grade in grade_places:
        in_grades[school] += int(pupils_by_grade.get(school, {}).get(str(grade), 0) or 0)
    sizes: dict[Cell, int] = {}
    for s in frame.schools:
        for sex in GROUP_SEXES:
            sizes[Cell(PUPILS, school=s, sex=sex)] = counts[s][sex]
        sizes[Cell(PUPILS, school=s)] = sum(counts[s].values())
    for sex in GROUP_SEXES:
        sizes[Cell(PUPILS, sex=sex)] = sum(counts[s][sex] for s in frame.schools)
    sizes[Cell(PUPILS)] = sum(sizes[Cell(PUPILS, sex=sex)] for sex in GROUP_SEXES)
    lines = grid_lines(
        frame.schools,
        GROUP_SEXES,
        cell=lambda r, c: Cell(PUPILS, school=r, sex=c),
        row_margin=lambda r: Cell(PUPILS, school=r),
        column_margin=lambda c: Cell(PUPILS, sex=c),
        total=Cell(PUPILS),
    )
    counted = Counted(sizes, protect(sizes, lines, min_n))

    def row(key, name, n, school, denominator):
        figures = [counted.figure(Cell(PUPILS, school=school, sex=sex)) for sex in GROUP_SEXES]
        total = counted.figure(Cell(PUPILS, school=school))
        rate = SUPPRESSED if total == SUPPRESSED else share(total, denominator)
        return PupilRow(key, name, n, *figures, total, denominator, rate)

    rows = [row(str(s), frame.school_names[s], n_groups[s], s, in_grades[s]) for s in frame.schools]
    total = row("total", _("All schools"), len(groups), None, sum(in_grades.values()))
    return rows, total, counted
