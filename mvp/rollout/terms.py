"""Terms (terminer): the autumn and spring halves of a school year, and their order.

A term is stored as the school year it belongs to (its first calendar year) and HT or VT:
(2026, HT) is the autumn of 2026, written "HT 2026"; (2026, VT) is the spring of 2027,
written "VT 2027", both in the school year 2026/27. July belongs to the coming autumn term,
as it does to the coming school year (mvp.schools.years).
"""

import datetime as dt
import re
from dataclasses import dataclass

from mvp.rollout.models import Term
from mvp.schools.years import school_year_of

_PATTERN = re.compile(r"^\s*(\d{4})\s*-\s*(HT|VT)\s*$", re.IGNORECASE)


class TermError(ValueError):
    """A text that is not a term such as 2026-HT."""


@dataclass(frozen=True, order=True)
class SchoolTerm:
    """One term, ordered in time: (2026, HT) < (2026, VT) < (2027, HT)."""

    school_year: int
    term: str

    @property
    def index(self) -> int:
        """A running number: consecutive terms differ by one."""
        return self.school_year * 2 + (0 if self.term == Term.AUTUMN else 1)

    @classmethod
    def from_index(cls, index: int) -> "SchoolTerm":
        """The term with a given running number."""
        return cls(index // 2, Term.AUTUMN.value if index % 2 == 0 else Term.SPRING.value)

    @property
    def calendar_year(self) -> int:
        """The calendar year the term lies in: VT of 2026/27 is in 2027."""
        return self.school_year + (1 if self.term == Term.SPRING else 0)

    @property
    def label(self) -> str:
        """'HT 2026' or 'VT 2027', as Swedish schools write terms."""
        return f"{self.term} {self.calendar_year}"

    @property
    def value(self) -> str:
        """The form value: '2026-HT' (school year and term)."""
        return f"{self.school_year}-{self.term}"

    @property
    def first_day(self) -> dt.date:
        """1 July for HT (the school year's turn), 1 January for VT."""
        if self.term == Term.AUTUMN:
            return dt.date(self.school_year, 7, 1)
        return dt.date(self.school_year + 1, 1, 1)

    @property
    def last_day(self) -> dt.date:
        """31 December for HT, 30 June for VT."""
        if self.term == Term.AUTUMN:
            return dt.date(self.school_year, 12, 31)
        return dt.date(self.school_year + 1, 6, 30)

    def __add__(self, terms: int) -> "SchoolTerm":
        return SchoolTerm.from_index(self.index + terms)

    def __str__(self) -> str:
        return self.label


def term_of(day: dt.date) -> SchoolTerm:
    """The term a date lies in: 2026-11-27 -> HT 2026; 2027-03-01 -> VT 2027."""
    term = Term.AUTUMN if day.month >= 7 else Term.SPRING
    return SchoolTerm(school_year_of(day), term.value)


def parse_term(text: str) -> SchoolTerm:
    """'2026-HT' -> SchoolTerm(2026, 'HT'); raises TermError for anything else."""
    match = _PATTERN.match(text or "")
    if not match:
        raise TermError(text)
    return SchoolTerm(int(match.group(1)), match.group(2).upper())


def term_or_none(school_year: int | None, term: str | None) -> SchoolTerm | None:
    """A stored (year, term) pair as a SchoolTerm, or None when either is missing."""
    if school_year is None or not term:
        return None
    return SchoolTerm(school_year, term)


def term_range(first: SchoolTerm, last: SchoolTerm) -> list[SchoolTerm]:
    """Every term from `first` to `last`, both included."""
    return [SchoolTerm.from_index(i) for i in range(first.index, last.index + 1)]
