"""Frame: the facts about a selection that every section shares, derived once from the rows.

The schools in report order, their names and grades, the groups by id, the groups asked in
each phase, and the answers counted (after the small groups of "other" and "prefer not to
say" are set aside, mvp.evaluation.residual).
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from mvp.evaluation import residual
from mvp.evaluation.data import RawData

PHASES = ("before", "after", "follow_up")


@dataclass(frozen=True)
class Frame:
    """What the sections share about the selection; see ``frame``."""

    groups: dict  # group id -> GroupFacts
    schools: list[int]  # the participating schools, by name
    school_names: dict[int, str]
    grades_by_school: dict[int, list[int]]
    asked: dict[str, set[int]]  # phase -> ids of the groups asked
    all_responses: list  # every answer: who was asked and answered
    responses: list  # the answers counted in the figures
    set_aside_phases: list[str]  # phases where some answers were set aside
    # (phase, school id, sex) -> the answers counted, of the responses above.
    counted: Counter = field(default_factory=Counter)
    _asked_pupils: dict = field(default_factory=dict, compare=False, repr=False)

    def asked_pupils(self, phase: str, school: int | None = None, sex: str | None = None) -> int:
        """Registered pupils (of one sex: "girls", "boys", "others") of the groups asked in a
        phase (at one school). Every school's are added up at the first question about a
        phase and sex: a report asks for each school's, and adding up every group each time
        was most of the response rates' time."""
        key = (phase, sex)
        found = self._asked_pupils.get(key)
        if found is None:
            found = self._asked_pupils[key] = Counter()
            asked = self.asked[phase]
            for g in self.groups.values():
                if g.id in asked:
                    n = g.count(sex) if sex else g.girls + g.boys + g.others
                    found[g.school_id] += n
                    found[None] += n
        return found[school]


def frame(raw: RawData, today: dt.date, min_n: int) -> Frame:
    """The shared facts of the loaded rows, as of `today`, with groups under `min_n` set aside."""
    groups = {g.id: g for g in raw.groups}
    # The groups asked in each phase: a questionnaire of the phase has opened (by the day
    # the evaluation is made) or has answers. Response rates and the comparisons with a
    # later phase look at these groups only.
    asked: dict[str, set[int]] = defaultdict(set)
    for wave in raw.waves:
        if wave.opens_on is None or wave.opens_on <= today:
            asked[wave.phase].add(wave.group_id)
    _ids, group_ids, phases, sexes = _columns(raw.responses)
    for phase, group_id in dict.fromkeys(zip(phases, group_ids, strict=True)):
        asked[phase].add(group_id)
    # Small groups of pupils who answered "other" or "prefer not to say" are set aside
    # from every figure (mvp.evaluation.residual); all answers still tell who was asked.
    school_of = {g.id: g.school_id for g in raw.groups}
    responses, set_aside = residual.set_aside(
        raw.responses,
        key=lambda r: (r.phase, school_of[r.group_id]),
        sex=lambda r: r.sex,
        min_n=min_n,
        sexes=sexes,
    )
    if set_aside:
        _ids, group_ids, phases, sexes = _columns(responses)
    counted = Counter(zip(phases, map(school_of.__getitem__, group_ids), sexes, strict=True))
    school_names = {s.id: s.name for s in raw.schools}
    for g in raw.groups:
        school_names.setdefault(g.school_id, g.school_name)
    schools: list[int] = list(dict.fromkeys(g.school_id for g in raw.groups))
    schools.sort(key=lambda s: school_names[s])
    grades_by_school: dict[int, list[int]] = defaultdict(list)
    for g in raw.groups:
        if g.grade not in grades_by_school[g.school_id]:
            grades_by_school[g.school_id].append(g.grade)
    for grades in grades_by_school.values():
        grades.sort()
    return Frame(
        groups=groups,
        schools=schools,
        school_names=school_names,
        grades_by_school=grades_by_school,
        asked=asked,
        all_responses=raw.responses,
        responses=responses,
        set_aside_phases=[p for p in PHASES if any(k[0] == p for k, _sex in set_aside)],
        counted=counted,
    )


def _columns(responses: list) -> tuple:
    """The rows (id, group, phase, sex) as four columns: each pass over them then runs in C,
    not a Python step per answer."""
    return tuple(zip(*responses, strict=True)) if responses else ((),) * 4
