"""Who may do what, and which schools they see: the one place that decides access.

Views ask ``require(permission)``; lists and lookups filter with ``school_filter`` or
``get_in_scope_or_404`` so that a coordinator never sees another school's rows, and an
object outside the user's scope answers 404 rather than revealing that it exists.
"""

from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from mvp.auth.roles import Role
from mvp.extensions import db

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.LEAD, Role.COORDINATOR})
CENTRAL = frozenset({Role.ADMIN, Role.LEAD})

# permission -> the roles that hold it. Coordinators' permissions are limited to their
# schools by the scope functions below; the other roles see every school.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "overview.view": ALL_ROLES,
    "schools.view": STAFF,
    "schools.create": CENTRAL,
    "schools.edit": STAFF,
    "groups.view": STAFF,
    "groups.edit": STAFF,
    # Delivery (mvp.mentors, mvp.lessons): coordinators keep their own schools' leaders,
    # trainings and lessons; leads edit the lesson plans; viewers read aggregate fidelity
    # (schools and the programme) but no group's or leader's details.
    "leaders.view": STAFF,
    "leaders.edit": STAFF,
    "trainings.view": STAFF,
    "trainings.edit": STAFF,
    "plans.view": STAFF,
    "plans.edit": CENTRAL,
    "lessons.record": STAFF,
    "fidelity.view": ALL_ROLES,
    "fidelity.details": STAFF,
    "audit.view": CENTRAL,
    # Rollout: coordinators read their own schools' stage and readiness; leads plan and move
    # schools between stages; viewers read the municipality's plan (counts of schools).
    "rollout.view": STAFF,
    "rollout.plan": frozenset({Role.ADMIN, Role.LEAD, Role.VIEWER, Role.HR}),
    "rollout.manage": CENTRAL,
    # Questionnaires: coordinators run the waves, paper entry and imports of their schools.
    "surveys.view": STAFF,
    "surveys.manage": STAFF,
    "surveys.delete_answers": CENTRAL,
    "instruments.view": STAFF,
    "instruments.edit": CENTRAL,
    "users.manage": frozenset({Role.ADMIN}),
    "feedback.view": frozenset({Role.ADMIN}),
    # The data protection officer's tools (mvp.privacy): the officer acts through an
    # administrator; deleting a year's answers is a data-protection decision, not programme work.
    "privacy.manage": frozenset({Role.ADMIN}),
    # The evaluation: everyone reads it (suppressed); leads write its texts and may take the
    # de-identified answers out for researchers.
    "evaluation.view": ALL_ROLES,
    "evaluation.download": ALL_ROLES,
    "evaluation.texts": CENTRAL,
    "evaluation.answers": CENTRAL,
    # Equality goals (mvp.goals): everyone reads the goals, figures and the equality report
    # (aggregate figures only); leads keep goals, indicators and figures. Recording a
    # deviation is for leads and for the accounts named as the goal's owners, whatever their
    # role: see may_record_deviation.
    "goals.view": ALL_ROLES,
    "goals.edit": CENTRAL,
    "goals.deviations": CENTRAL,
    # The elected officials' safety survey (mvp.officials): leads and administrators run it
    # (bodies, seats, rounds, codes, reference values) and read everything; viewers read the
    # suppressed results; coordinators do not see the area.
    "officials.manage": CENTRAL,
    "officials.results": frozenset({Role.ADMIN, Role.LEAD, Role.VIEWER}),
    # Staff training in gender mainstreaming (mvp.staff_training): leads and administrators
    # manage administrations, units, programmes and occasions; an HR contact (Role.HR) reads
    # the units and occasions of their own administrations and records attendance there
    # (administration_scope below); everyone else reads the aggregate coverage and plan.
    "staff_training.view": ALL_ROLES,
    "staff_training.details": frozenset({Role.ADMIN, Role.LEAD, Role.HR}),
    "staff_training.attendance": frozenset({Role.ADMIN, Role.LEAD, Role.HR}),
    "staff_training.manage": CENTRAL,
}


def can(permission: str, user=None) -> bool:
    """Whether the user (default: the signed-in one) holds a permission."""
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in PERMISSIONS[permission]


def require(permission: str) -> Callable:
    """View decorator: sign-in required, then 403 unless the user holds `permission`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def sees_only_aggregates(user) -> bool:
    """Viewers and HR contacts read pupils' figures only suppressed (they keep no school)."""
    return user.role in (Role.VIEWER, Role.HR)


def administration_scope(user) -> frozenset[int] | None:
    """The ids of the administrations an HR contact works for; None means every one."""
    if user.role == Role.HR:
        return frozenset(administration.id for administration in user.administrations)
    return None


def administration_filter(user, administration_id_column) -> sa.ColumnElement[bool]:
    """A WHERE clause limiting rows (through an administration id) to the user's scope."""
    scope = administration_scope(user)
    if scope is None:
        return sa.true()
    return administration_id_column.in_(scope)


def in_administration_scope(user, administration_id: int | None) -> bool:
    """Whether one administration is within the user's scope."""
    scope = administration_scope(user)
    return scope is None or administration_id in scope


# --- populations of the questionnaire engine (mvp.surveys.populations) ---------------------
# An instrument of a population is seen only by those holding that population's permission
# (besides instruments.view): a coordinator never sees the elected officials' questionnaire.


def may_see_population(population: str, user=None) -> bool:
    """Whether the user may see the instruments and waves of a population."""
    from mvp.surveys.populations import spec_of  # the engine's registry; no models involved

    return can(spec_of(population).permission, user)


def visible_populations(user=None) -> list[str]:
    """The populations whose instruments the user may see."""
    from mvp.surveys.populations import registered

    return [s.population.value for s in registered() if can(s.permission, user)]


def school_scope(user) -> frozenset[int] | None:
    """The ids of the schools a user may see; None means every school."""
    if user.role == Role.COORDINATOR:
        return frozenset(school.id for school in user.schools)
    return None


def school_filter(user, school_id_column) -> sa.ColumnElement[bool]:
    """A WHERE clause limiting rows (through their school id column) to the user's scope."""
    scope = school_scope(user)
    if scope is None:
        return sa.true()
    return school_id_column.in_(scope)


def in_scope(user, school_id: int | None) -> bool:
    """Whether one school is within the user's scope (None: central, not a school's)."""
    scope = school_scope(user)
    return scope is None or school_id in scope


def get_in_scope_or_404(statement: sa.Select, user, school_id_column):
    """The one row `statement` selects if it lies within the user's scope, else 404."""
    row = db.session.scalars(statement.where(school_filter(user, school_id_column))).first()
    if row is None:
        abort(404)
    return row


def may_record_deviation(goal, user=None) -> bool:
    """Whether the user may record deviations and actions for a goal: leads and
    administrators, and the accounts (of any role) the goal names as its owners."""
    user = user if user is not None else current_user
    if can("goals.deviations", user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(owner.id == user.id for owner in goal.owners)
