"""Adoption: the schools taking part, their leaders (trained, active) and first trainings.

Figures about staff in their professional role: counted by sex, not suppressed.
"""

from collections import Counter, defaultdict

from mvp.evaluation.labels import ROLE_LABELS, label
from mvp.evaluation.results import Adoption, AdoptionSchool, LeaderCounts, RoleRow
from mvp.mentors.models import LeaderRole, TrainingKind


def adoption(
    school_records: list, leaders: list, trainings: list, groups: list, schools: list[int]
) -> Adoption:
    """Adoption among the active (or participating, `schools`) schools of `school_records`."""
    result = Adoption()
    considered = [s for s in school_records if s.active or s.id in schools]
    result.schools_total = len(considered)
    result.schools_participating = len(schools)
    by_role = defaultdict(LeaderCounts)
    per_school = defaultdict(lambda: [0, 0, 0])
    for leader in leaders:
        sex = _leader_sex(leader.sex)
        _count(result.leaders, sex)
        if leader.trained:
            _count(result.trained, sex)
            _count(by_role[leader.role], sex)
        if leader.lessons:
            _count(result.active, sex)
        if leader.school_id is not None:
            counts = per_school[leader.school_id]
            counts[0] += 1
            counts[1] += int(bool(leader.trained))
            counts[2] += int(bool(leader.lessons))
    result.trained_by_role = [
        RoleRow(role.value, label(ROLE_LABELS, role.value), by_role[role.value])
        for role in LeaderRole
        if by_role[role.value].total
    ]
    first = {(t.school_id, t.kind): t.first_on for t in trainings}
    n_groups = Counter(g.school_id for g in groups)
    for school in considered:
        n_leaders, trained, active = per_school[school.id]
        anchoring = first.get((school.id, TrainingKind.ANCHORING.value))
        staff_day = first.get((school.id, TrainingKind.STAFF_HALF_DAY.value))
        result.schools.append(
            AdoptionSchool(
                key=str(school.id),
                name=school.name,
                groups=n_groups[school.id],
                leaders=n_leaders,
                trained=trained,
                active=active,
                anchoring_on=anchoring.isoformat() if anchoring else None,
                staff_day_on=staff_day.isoformat() if staff_day else None,
            )
        )
    return result


def _leader_sex(sex: str) -> str:
    return sex if sex in ("woman", "man") else "other"


def _count(counts: LeaderCounts, sex: str) -> None:
    setattr(counts, sex, getattr(counts, sex) + 1)
    counts.total += 1
