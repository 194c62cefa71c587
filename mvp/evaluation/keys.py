"""Cell: the named key of a count in the evaluation's own tables of pupils and answers.

The suppression rule (mvp.evaluation.suppress) is run on the number of pupils behind each
cell; a Cell names which count it is — the pupils of the groups, or the answers of one
phase — at one school (or all) and of one sex (or all). The outcomes' cells (scales,
items, linked and unlinked answers) keep their own keys in mvp.evaluation.outcomes.
"""

from dataclasses import dataclass

from mvp.evaluation.suppress import SUPPRESSED, Protection

PUPILS = "pupils"  # pupils registered in the groups, by sex (GROUP_SEXES)
RESPONSES = "responses"  # answers of one phase, by the sex the pupil gave (PUPIL_SEXES)


@dataclass(frozen=True, slots=True)
class Cell:
    """One count: `kind` at `school` (None: all schools) of `sex` (None: all), in `phase`."""

    kind: str
    school: int | None = None
    sex: str | None = None
    phase: str | None = None

    def tie_break(self) -> str:
        """How ``protect`` orders equal-sized cells: as the tuples these keys replaced printed.

        The order decides which of two equally small cells is hidden; keeping it keeps the
        published tables exactly as they were (a school id sorts as text, "12" before "3").
        """
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


@dataclass(frozen=True)
class Counted:
    """Counts of pupils per cell, and which of them the suppression rule lets be shown."""

    sizes: dict[Cell, int]
    shown: Protection

    def figure(self, cell: Cell):
        """The count, or ".." where it is hidden."""
        return self.sizes[cell] if self.shown.shows(cell) else SUPPRESSED
