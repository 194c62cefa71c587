"""EvaluationFilter: which school years, schools, grades and lesson plans an evaluation covers."""

import datetime as dt
from dataclasses import dataclass

from mvp.schools.years import format_school_year, school_year_span


@dataclass(frozen=True)
class EvaluationFilter:
    """A checked selection. `school_ids` None means every school (of a lead or viewer).

    Coordinators always carry their own schools here, so the evaluation never looks beyond
    a user's scope. Names are kept for the report's cover and the filter summary.
    `whole_rollout` says whether the reader may see the municipality's rollout plan (leads,
    administrators, viewers and the command line); the evaluation's rollout section shows it
    when no school is chosen, and otherwise covers the selection's schools only.
    """

    years: tuple[int, ...]
    school_ids: tuple[int, ...] | None = None
    grades: tuple[int, ...] | None = None
    plan_ids: tuple[int, ...] | None = None
    school_names: tuple[str, ...] = ()
    plan_names: tuple[str, ...] = ()
    chosen_schools: bool = False
    whole_rollout: bool = True

    @property
    def first_day(self) -> dt.date:
        """The first day of the first school year."""
        return school_year_span(min(self.years))[0]

    @property
    def last_day(self) -> dt.date:
        """The last day of the last school year."""
        return school_year_span(max(self.years))[1]

    @property
    def period(self) -> str:
        """2024/25, or 2023/24–2024/25 for several years."""
        first, last = min(self.years), max(self.years)
        if first == last:
            return format_school_year(first)
        return f"{format_school_year(first)}–{format_school_year(last)}"

    def query_args(self) -> dict[str, list[str]]:
        """The selection as URL query arguments (year=2024/25&school=3...)."""
        args: dict[str, list[str]] = {"year": [format_school_year(y) for y in self.years]}
        if self.chosen_schools and self.school_ids is not None:
            args["school"] = [str(i) for i in self.school_ids]
        if self.grades:
            args["grade"] = [str(g) for g in self.grades]
        if self.plan_ids:
            args["plan"] = [str(p) for p in self.plan_ids]
        return args

    def as_dict(self) -> dict:
        """The selection as the JSON API echoes it."""
        return {
            "years": [format_school_year(y) for y in self.years],
            "schools": list(self.school_ids) if self.chosen_schools and self.school_ids else [],
            "school_names": list(self.school_names),
            "grades": list(self.grades or ()),
            "plans": list(self.plan_ids or ()),
            "plan_names": list(self.plan_names),
        }
