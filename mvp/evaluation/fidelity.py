"""The implementation figures of MVP's delivery, defined once (pure, no database, no rounding).

The definitions the delivery area's fidelity page shares:
- dose = distinct lesson numbers held (repeats excluded) / lessons in the group's plan;
- leader pairs = share of held non-repeat lessons with at least two leaders present;
- as planned = share of held non-repeat lessons delivered "fully" (likewise partly, not);
- attendance by sex = pupils of that sex present over the held non-repeat lessons /
  (that sex's count in the group × those lessons).
Sums are taken over groups before dividing, so a school's dose weighs each group by its plan.
These are the definitions of the delivery area's fidelity page (mvp/lessons/fidelity.py on
main), written here from the same specification while both were built; the two are meant to
become one implementation.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SEXES = ("girls", "boys", "others")


@dataclass
class Fidelity:
    """Counts behind the figures of one group, one school or all groups."""

    groups: int = 0
    groups_with_plan: int = 0
    groups_full_dose: int = 0
    lessons_planned: int = 0
    lessons_held: int = 0  # distinct lesson numbers, groups with a plan
    held: int = 0  # held non-repeat lessons
    repeats: int = 0
    pairs: int = 0
    fully: int = 0
    partly: int = 0
    not_: int = 0
    present: dict = field(default_factory=lambda: dict.fromkeys(SEXES, 0))
    places: dict = field(default_factory=lambda: dict.fromkeys(SEXES, 0))

    @staticmethod
    def share(numerator: int, denominator: int) -> float | None:
        """numerator / denominator, or None when there is nothing to divide by."""
        return numerator / denominator if denominator else None

    @property
    def dose(self) -> float | None:
        """Lessons held of planned."""
        return self.share(self.lessons_held, self.lessons_planned)

    @property
    def full_pair_share(self) -> float | None:
        """Held lessons led by at least two leaders."""
        return self.share(self.pairs, self.held)

    def delivered(self, how: str) -> float | None:
        """Held lessons delivered "fully", "partly" or "not" as planned."""
        return self.share(getattr(self, "not_" if how == "not" else how), self.held)

    def attendance(self, sex: str | None = None) -> float | None:
        """Attendance of one sex ("girls", "boys", "others"), or of all pupils (None)."""
        if sex is None:
            return self.share(sum(self.present.values()), sum(self.places.values()))
        return self.share(self.present[sex], self.places[sex])


def fidelity(groups: Iterable, lessons: Mapping) -> Fidelity:
    """Add up groups (rows with id, plan_lessons, girls, boys, others) and their lesson
    aggregates (see mvp.evaluation.data.lesson_aggregates), keyed by group id."""
    result = Fidelity()
    for group in groups:
        result.groups += 1
        held = lessons.get(group.id)
        numbers = int(held.numbers) if held else 0
        if group.plan_lessons:
            result.groups_with_plan += 1
            result.lessons_planned += int(group.plan_lessons)
            result.lessons_held += numbers
            result.groups_full_dose += int(numbers >= group.plan_lessons)
        if held is None:
            continue
        result.held += int(held.held)
        result.repeats += int(held.repeats)
        result.pairs += int(held.pairs)
        result.fully += int(held.fully)
        result.partly += int(held.partly)
        result.not_ += int(held.not_)
        for sex in SEXES:
            result.present[sex] += int(getattr(held, f"{sex}_present"))
            result.places[sex] += getattr(group, sex) * int(held.held)
    return result
