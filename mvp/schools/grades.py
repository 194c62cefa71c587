"""Grades (årskurser) and the kinds of school that teach them.

Grades are stored as numbers: 0 is förskoleklass (F), 1–9 the compulsory school,
10–12 the three years of gymnasiet.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

ALL_GRADES = tuple(range(13))


class SchoolKind(StrEnum):
    """The kinds of school (skolformer) and the grades they span."""

    F3 = "F-3"
    F6 = "F-6"
    G46 = "4-6"
    G79 = "7-9"
    F9 = "F-9"
    GYMNASIUM = "gymnasium"
    OTHER = "other"


KIND_LABELS = {
    SchoolKind.F3: "F–3",
    SchoolKind.F6: "F–6",
    SchoolKind.G46: "4–6",
    SchoolKind.G79: "7–9",
    SchoolKind.F9: "F–9",
    SchoolKind.GYMNASIUM: _l("Upper secondary (gymnasium)"),
    SchoolKind.OTHER: _l("Other"),
}

KIND_GRADES = {
    SchoolKind.F3: range(0, 4),
    SchoolKind.F6: range(0, 7),
    SchoolKind.G46: range(4, 7),
    SchoolKind.G79: range(7, 10),
    SchoolKind.F9: range(0, 10),
    SchoolKind.GYMNASIUM: range(10, 13),
    SchoolKind.OTHER: range(0, 13),
}


def grades_of(kind: str) -> tuple[int, ...]:
    """The grades a kind of school teaches."""
    return tuple(KIND_GRADES[SchoolKind(kind)])


def grade_label(grade: int | None) -> str:
    """0 -> 'F', 8 -> '8', 10 -> 'Gy 1'."""
    if grade is None:
        return ""
    if grade == 0:
        return "F"
    if grade >= 10:
        return f"Gy {grade - 9}"
    return str(grade)


def kind_label(kind: str) -> str:
    """The reader's name for a kind of school."""
    return str(KIND_LABELS[SchoolKind(kind)])
