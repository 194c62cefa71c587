"""The access matrix: what every role may do on every route, one module per area.

Each module defines RULES: {"endpoint" or "endpoint POST": Rule}. test_access_matrix.py
merges them and fails for any route of the app's URL map that has no rule.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "viewer", "coordinator", "lead", "admin", "hr")

OK = "ok"  # 2xx, or a redirect that is not to the login page
LOGIN = "login"  # redirected to the login page
FORBIDDEN = 403
NOT_FOUND = 404


def expect(
    anonymous=LOGIN, viewer=FORBIDDEN, coordinator=FORBIDDEN, lead=OK, admin=OK, hr=None
) -> dict:
    """What each role gets. An HR contact (the staff training's role) keeps no school and
    gets what a viewer gets unless a rule says otherwise."""
    return {
        "anonymous": anonymous,
        "viewer": viewer,
        "coordinator": coordinator,
        "lead": lead,
        "admin": admin,
        "hr": viewer if hr is None else hr,
    }


PUBLIC = expect(OK, OK, OK, OK, OK)
SIGNED_IN = expect(viewer=OK, coordinator=OK)
STAFF = expect(coordinator=OK)
CENTRAL = expect()
ADMIN_ONLY = expect(lead=FORBIDDEN)


@dataclass
class Rule:
    """How to reach a route, and what each role should get.

    `url` builds the address for the coordinator's own school (or a page without a school);
    `other_url`, for school-scoped routes, the address of another school's object, which a
    coordinator must get 404 for while other roles get what `expect` says;
    `other_administration_url`, for administration-scoped routes, the address of another
    administration's object, which an HR contact must get 404 for.
    """

    url: Callable
    expect: dict
    other_url: Callable | None = None
    other_administration_url: Callable | None = None
    data: Callable | None = None
    extra: dict = field(default_factory=dict)
