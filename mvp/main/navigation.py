"""The main menu: each entry shows only to users who may open one of its pages.

The menu is kept short: pages that belong together share an entry and link to each other
with tabs (leaders and trainings; fidelity and lesson plans; rollout and its plan), and the
administrators' pages share one "Administration" entry.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from mvp.auth.permissions import can


@dataclass(frozen=True)
class NavItem:
    """One entry of the main menu."""

    label: object
    # (endpoint, permission) pairs: the entry opens the first page the user may open.
    targets: tuple[tuple[str, str], ...]
    # Endpoints (or endpoint prefixes) under which this entry is current.
    current_for: tuple[str, ...]
    # Not shown to users holding this permission (they reach the page through another entry).
    hidden_for: str | None = None


NAV_ITEMS: list[NavItem] = [
    NavItem(_l("Overview"), (("main.index", "overview.view"),), ("main.index",)),
    NavItem(
        _l("Schools"),
        (("schools.index", "schools.view"),),
        ("schools.index", "schools.new", "schools.detail", "schools.edit"),
    ),
    NavItem(
        _l("Pupil groups"),
        (("schools.groups", "groups.view"),),
        ("schools.group", "lessons.group_setup", "lessons.lesson_"),
    ),
    NavItem(_l("Leaders"), (("mentors.leaders", "leaders.view"),), ("mentors.",)),
    NavItem(
        _l("Delivery"),
        (("lessons.fidelity", "fidelity.view"), ("lessons.plans", "plans.view")),
        ("lessons.fidelity", "lessons.plan"),
    ),
    NavItem(_l("Questionnaires"), (("surveys.index", "surveys.view"),), ("surveys.",)),
    NavItem(
        _l("Evaluation"),
        (("evaluation.index", "evaluation.view"),),
        ("evaluation.", "reports."),
    ),
    NavItem(
        _l("Rollout"),
        (("rollout.index", "rollout.view"), ("rollout.plan", "rollout.plan")),
        ("rollout.",),
    ),
    NavItem(
        _l("Elected officials"),
        (("officials.index", "officials.manage"), ("officials.results_page", "officials.results")),
        ("officials.",),
    ),
    NavItem(
        _l("Equality training"),
        (("staff_training.index", "staff_training.view"),),
        ("staff_training.",),
    ),
    NavItem(_l("Equality goals"), (("goals.index", "goals.view"),), ("goals.",)),
    NavItem(
        _l("Audit log"), (("audit.index", "audit.view"),), ("audit.",), hidden_for="users.manage"
    ),
    NavItem(
        _l("Administration"),
        (("main.administration", "users.manage"),),
        ("main.administration", "auth.user", "main.feedback", "audit."),
    ),
]


@dataclass(frozen=True)
class MenuEntry:
    """A menu entry as one user sees it: where it leads and whether it is the current one."""

    label: object
    endpoint: str
    current: bool


def navigation_for(endpoint: str | None) -> list[MenuEntry]:
    """The entries the signed-in user may use, with the one for `endpoint` marked current."""
    entries = []
    for item in NAV_ITEMS:
        if item.hidden_for and can(item.hidden_for):
            continue
        target = next((end for end, permission in item.targets if can(permission)), None)
        if target is None:
            continue
        current = bool(endpoint) and any(endpoint.startswith(p) for p in item.current_for)
        entries.append(MenuEntry(item.label, target, current))
    return entries
