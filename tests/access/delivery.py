"""Access rules of delivery: leaders, trainings, lesson plans, held lessons and fidelity.

Coordinators work on their own schools' leaders, trainings, groups and lessons (another
school's answer 404); plans are edited by leads only; viewers read the programme's
aggregate fidelity and nothing else.
"""

from tests.access import CENTRAL, SIGNED_IN, STAFF, Rule


def _scoped(path: str, own: str, other: str, *, post: bool = False, data=None) -> Rule:
    """A rule for a school-scoped object: `own`/`other` name the world's objects."""
    return Rule(
        lambda w: path.format(id=getattr(w, own).id),
        STAFF,
        other_url=lambda w: path.format(id=getattr(w, other).id),
        data=data if data is not None else ((lambda w: {}) if post else None),
    )


def _both(endpoint: str, path: str, own: str, other: str) -> dict:
    """GET and POST rules for a school-scoped form."""
    return {
        endpoint: _scoped(path, own, other),
        f"{endpoint} POST": _scoped(path, own, other, post=True),
    }


RULES = {
    "mentors.leaders": Rule(lambda w: "/leaders/", STAFF),
    "mentors.leader_new": Rule(lambda w: "/leaders/new", STAFF),
    "mentors.leader_new POST": Rule(lambda w: "/leaders/new", STAFF, data=lambda w: {}),
    "mentors.leader_detail": _scoped("/leaders/{id}", "own_leader", "other_leader"),
    **_both("mentors.leader_edit", "/leaders/{id}/edit", "own_leader", "other_leader"),
    **_both("mentors.leader_delete", "/leaders/{id}/delete", "own_leader", "other_leader"),
    "mentors.trainings": Rule(lambda w: "/trainings/", STAFF),
    "mentors.training_new": Rule(lambda w: "/trainings/new", STAFF),
    "mentors.training_new POST": Rule(lambda w: "/trainings/new", STAFF, data=lambda w: {}),
    "mentors.training_detail": _scoped("/trainings/{id}", "own_training", "other_training"),
    **_both("mentors.training_edit", "/trainings/{id}/edit", "own_training", "other_training"),
    **_both(
        "mentors.training_participants",
        "/trainings/{id}/participants",
        "own_training",
        "other_training",
    ),
    **_both("mentors.training_delete", "/trainings/{id}/delete", "own_training", "other_training"),
    "lessons.plans": Rule(lambda w: "/plans/", STAFF),
    "lessons.plan_new": Rule(lambda w: "/plans/new", CENTRAL),
    "lessons.plan_new POST": Rule(lambda w: "/plans/new", CENTRAL, data=lambda w: {}),
    "lessons.plan_detail": Rule(lambda w: f"/plans/{w.plan.id}", STAFF),
    "lessons.plan_edit": Rule(lambda w: f"/plans/{w.plan.id}/edit", CENTRAL),
    "lessons.plan_edit POST": Rule(
        lambda w: f"/plans/{w.plan.id}/edit", CENTRAL, data=lambda w: {}
    ),
    "lessons.plan_delete": Rule(lambda w: f"/plans/{w.spare_plan.id}/delete", CENTRAL),
    "lessons.plan_delete POST": Rule(lambda w: f"/plans/{w.spare_plan.id}/delete", CENTRAL),
    **_both("lessons.group_setup", "/groups/{id}/delivery", "own_group", "other_group"),
    **_both("lessons.lesson_new", "/groups/{id}/lessons/new", "own_group", "other_group"),
    **_both("lessons.lesson_edit", "/lessons/{id}/edit", "own_lesson", "other_lesson"),
    **_both("lessons.lesson_delete", "/lessons/{id}/delete", "own_lesson", "other_lesson"),
    "lessons.fidelity": Rule(lambda w: "/fidelity/", SIGNED_IN),
    "lessons.fidelity_school": _scoped(
        "/fidelity/schools/{id}", "own_school_obj", "other_school_obj"
    ),
}
