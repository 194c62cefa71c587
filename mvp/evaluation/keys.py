"""Cell: the named key of a count in the evaluation's own tables of pupils and answers.

The suppression rule (mvp.evaluation.suppress) is run on the number of pupils behind each
cell; a Cell names which count it is — the pupils of the groups, or the answers of one
phase — at one school (or all) and of one sex (or all). The outcomes
(mvp.evaluation.outcomes) name theirs the same way: a scale's answers of one family
(``SCALE``: before, later, linked, unlinked …) in one grouping (all pupils, a sex, a
school, a grade, a school's sexes or grades, a grade's sexes, a school's grades by sex),
an item's answers per phase and sex (``ITEM``), the linkage counts (``LINKAGE``) and the
complete answers behind Cronbach's alpha (``COMPLETE``), each also by sex.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from mvp.evaluation.suppress import SUPPRESSED, Protection

PUPILS = "pupils"  # pupils registered in the groups, by sex (GROUP_SEXES)
RESPONSES = "responses"  # answers of one phase, by the sex the pupil gave (PUPIL_SEXES)
SCALE = "scale"  # a scale's valid answers of one `family` (outcomes.py), `phase` its later one
ITEM = "item"  # an item's answers in one phase ("before" or the later one), by sex
LINKAGE = "linkage"  # the linkage counts of a later phase: `family` names which one, by sex
COMPLETE = "complete"  # a scale's complete answers in one phase (Cronbach's alpha), by sex


class Cell(NamedTuple):
    """One count: `kind` at `school` (None: all schools) of `sex` (None: all), in `phase`;
    the outcomes' cells also by `grade`, and of a `family` of answers.

    A named tuple: the suppression rule hashes tens of thousands of cells per scale, and a
    tuple's hash and equality run in C (a dataclass's in Python).
    """

    kind: str
    school: int | None = None
    sex: str | None = None
    phase: str | None = None
    grade: int | None = None
    family: str | None = None

    def grouping(self) -> tuple:
        """The outcomes' grouping of the pupils, as outcomes.Cells names it: ("all",),
        ("sex", s), ("school", id), ("grade", g), ("school_sex", id, s), ("school_grade",
        id, g), ("grade_sex", g, s), ("school_grade_sex", id, g, s)."""
        if self.school is not None:
            if self.grade is not None and self.sex is not None:
                return ("school_grade_sex", self.school, self.grade, self.sex)
            if self.sex is not None:
                return ("school_sex", self.school, self.sex)
            if self.grade is not None:
                return ("school_grade", self.school, self.grade)
            return ("school", self.school)
        if self.grade is not None and self.sex is not None:
            return ("grade_sex", self.grade, self.sex)
        if self.sex is not None:
            return ("sex", self.sex)
        if self.grade is not None:
            return ("grade", self.grade)
        return ("all",)

    def tie_break(self) -> str:
        """How ``protect`` orders equal-sized cells: as the tuples these keys replaced printed.

        The order decides which of two equally small cells is hidden; keeping it keeps the
        published tables exactly as they were (a school id sorts as text, "12" before "3").
        """
        if self.kind == SCALE:
            family = self.family if self.phase is None else f"{self.family}:{self.phase}"
            return repr((family, *self.grouping()))
        if self.kind == ITEM:
            return repr((self.phase, *self.grouping()))
        if self.kind == LINKAGE:
            # The linkage's own counts were "pairs" …, its sexes ("pairs", "girl") ….
            return repr(self.family if self.sex is None else (self.family, self.sex))
        if self.kind == COMPLETE:
            return repr(("complete", self.sex or "all"))
        if self.kind == PUPILS:
            old = ("rs", self.school) if self.school is not None else ("rc",)
            return repr(old + ((self.sex,) if self.sex is not None else ()))
        if self.school is not None and self.sex is not None:
            return repr(("q", self.phase, self.school, self.sex))
        if self.school is not None:
            return repr(("q", self.phase, "school", self.school))
        if self.sex is not None:
            return repr(("q", self.phase, "sex", self.sex))
        return repr(("q", self.phase))


@lru_cache(maxsize=1 << 18)
def scale_cell(family: str, phase: str | None, grouping: tuple) -> Cell:
    """The Cell of a scale's `family` of answers (of the later `phase`) in a grouping (the
    same key object each time: a build names about ninety thousand of them)."""
    school, sex, grade = _grouping_fields(grouping)
    return Cell(SCALE, school, sex, phase, grade, family)


@lru_cache(maxsize=8192)
def _grouping_fields(grouping: tuple) -> tuple:
    """(school, sex, grade) of a grouping: the inverse of Cell.grouping."""
    kind = grouping[0]
    school = grouping[1] if kind.startswith("school") else None
    sex = grouping[-1] if kind.endswith("sex") else None
    grade = None
    if kind in ("grade", "school_grade"):
        grade = grouping[-1]
    elif kind in ("grade_sex", "school_grade_sex"):
        grade = grouping[-2]
    return school, sex, grade


def item_cell(phase: str, grouping: tuple) -> Cell:
    """The Cell of an item's answers in one phase, of all pupils or of one sex."""
    return Cell(ITEM, sex=grouping[1] if grouping[0] == "sex" else None, phase=phase)


@dataclass(frozen=True)
class Counted:
    """Counts of pupils per cell, and which of them the suppression rule lets be shown."""

    sizes: dict[Cell, int]
    shown: Protection

    def figure(self, cell: Cell):
        """The count, or ".." where it is hidden."""
        return self.sizes[cell] if self.shown.shows(cell) else SUPPRESSED
