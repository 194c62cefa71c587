"""The main menu: each entry shows only to users who hold its permission."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from mvp.auth.permissions import can


@dataclass(frozen=True)
class NavItem:
    """One entry of the main menu."""

    endpoint: str
    label: object
    permission: str
    # Endpoints (or endpoint prefixes ending in "_" or ".") under which this entry is current.
    current_for: tuple[str, ...]


NAV_ITEMS: list[NavItem] = [
    NavItem("main.index", _l("Overview"), "overview.view", ("main.index",)),
    NavItem(
        "schools.index",
        _l("Schools"),
        "schools.view",
        ("schools.index", "schools.new", "schools.detail", "schools.edit"),
    ),
    NavItem(
        "schools.groups",
        _l("Pupil groups"),
        "groups.view",
        ("schools.group", "lessons.group_setup", "lessons.lesson_"),
    ),
    NavItem("mentors.leaders", _l("Leaders and trainings"), "leaders.view", ("mentors.",)),
    NavItem("lessons.plans", _l("Lesson plans"), "plans.view", ("lessons.plan",)),
    NavItem("lessons.fidelity", _l("Fidelity"), "fidelity.view", ("lessons.fidelity",)),
    NavItem("surveys.index", _l("Questionnaires"), "surveys.view", ("surveys.",)),
    NavItem("evaluation.index", _l("Evaluation"), "evaluation.view", ("evaluation.", "reports.")),
    NavItem(
        "rollout.index",
        _l("Rollout"),
        "rollout.view",
        (
            "rollout.index",
            "rollout.school",
            "rollout.edit_plan",
            "rollout.change_stage",
            "rollout.import",
        ),
    ),
    NavItem("rollout.plan", _l("Rollout plan"), "rollout.plan", ("rollout.plan",)),
    NavItem("audit.index", _l("Audit log"), "audit.view", ("audit.",)),
    NavItem("auth.users", _l("Users"), "users.manage", ("auth.user",)),
    NavItem("main.feedback", _l("Reported problems"), "feedback.view", ("main.feedback",)),
]


def navigation_for(endpoint: str | None) -> list[NavItem]:
    """The entries the signed-in user may use, with the one for `endpoint` marked current."""
    items = []
    for item in NAV_ITEMS:
        if can(item.permission):
            current = bool(endpoint) and any(endpoint.startswith(p) for p in item.current_for)
            items.append(_Current(item, current))
    return items


@dataclass(frozen=True)
class _Current:
    item: NavItem
    current: bool

    def __getattr__(self, name):
        return getattr(self.item, name)
