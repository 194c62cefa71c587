"""Access rules of the foundation's routes: overview, accounts, schools, groups, audit log."""

from tests.access import ADMIN_ONLY, CENTRAL, LOGIN, OK, PUBLIC, SIGNED_IN, STAFF, Rule, expect

RULES = {
    "main.index": Rule(lambda w: "/", SIGNED_IN),
    "main.language POST": Rule(lambda w: "/language", PUBLIC, data=lambda w: {"lang": "en"}),
    "main.accessibility": Rule(lambda w: "/accessibility", PUBLIC),
    "main.accessibility POST": Rule(
        lambda w: "/accessibility", PUBLIC, data=lambda w: {"description": "Kontrasten är låg"}
    ),
    "main.health": Rule(lambda w: "/healthz", PUBLIC),
    "main.administration": Rule(lambda w: "/admin/", ADMIN_ONLY),
    "main.feedback": Rule(lambda w: "/admin/feedback", ADMIN_ONLY),
    "main.feedback_handled POST": Rule(
        lambda w: f"/admin/feedback/{w.report.id}/handled", ADMIN_ONLY
    ),
    "auth.login": Rule(lambda w: "/login", expect(OK, OK, OK, OK, OK)),
    "auth.login POST": Rule(
        lambda w: "/login", PUBLIC, data=lambda w: {"email": "x@example.se", "password": "fel"}
    ),
    "auth.logout POST": Rule(lambda w: "/logout", expect(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    "auth.account": Rule(lambda w: "/account", SIGNED_IN),
    # Ends every session of one's own account, then asks for a sign-in: LOGIN for everyone.
    "auth.logout_everywhere POST": Rule(
        lambda w: "/account/logout-everywhere", expect(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)
    ),
    "auth.user_logout_everywhere POST": Rule(
        lambda w: f"/admin/users/{w.some_user.id}/logout-everywhere", ADMIN_ONLY
    ),
    "auth.account POST": Rule(lambda w: "/account", SIGNED_IN, data=lambda w: {}),
    "auth.users": Rule(lambda w: "/admin/users", ADMIN_ONLY),
    "auth.user_new": Rule(lambda w: "/admin/users/new", ADMIN_ONLY),
    "auth.user_new POST": Rule(lambda w: "/admin/users/new", ADMIN_ONLY, data=lambda w: {}),
    "auth.user_edit": Rule(lambda w: f"/admin/users/{w.some_user.id}/edit", ADMIN_ONLY),
    "auth.user_edit POST": Rule(
        lambda w: f"/admin/users/{w.some_user.id}/edit", ADMIN_ONLY, data=lambda w: {}
    ),
    "auth.user_reset_password": Rule(
        lambda w: f"/admin/users/{w.some_user.id}/reset-password", ADMIN_ONLY
    ),
    "auth.user_reset_password POST": Rule(
        lambda w: f"/admin/users/{w.some_user.id}/reset-password", ADMIN_ONLY
    ),
    "schools.index": Rule(lambda w: "/schools/", STAFF),
    "schools.new": Rule(lambda w: "/schools/new", CENTRAL),
    "schools.new POST": Rule(lambda w: "/schools/new", CENTRAL, data=lambda w: {}),
    "schools.detail": Rule(
        lambda w: f"/schools/{w.own_school.id}",
        STAFF,
        other_url=lambda w: f"/schools/{w.other_school.id}",
    ),
    "schools.edit": Rule(
        lambda w: f"/schools/{w.own_school.id}/edit",
        STAFF,
        other_url=lambda w: f"/schools/{w.other_school.id}/edit",
    ),
    "schools.edit POST": Rule(
        lambda w: f"/schools/{w.own_school.id}/edit",
        STAFF,
        other_url=lambda w: f"/schools/{w.other_school.id}/edit",
        data=lambda w: {},
    ),
    "schools.groups": Rule(lambda w: "/groups/", STAFF),
    "schools.group_new": Rule(
        lambda w: f"/schools/{w.own_school.id}/groups/new",
        STAFF,
        other_url=lambda w: f"/schools/{w.other_school.id}/groups/new",
    ),
    "schools.group_new POST": Rule(
        lambda w: f"/schools/{w.own_school.id}/groups/new",
        STAFF,
        other_url=lambda w: f"/schools/{w.other_school.id}/groups/new",
        data=lambda w: {},
    ),
    "schools.group_detail": Rule(
        lambda w: f"/groups/{w.own_group.id}",
        STAFF,
        other_url=lambda w: f"/groups/{w.other_group.id}",
    ),
    "schools.group_edit": Rule(
        lambda w: f"/groups/{w.own_group.id}/edit",
        STAFF,
        other_url=lambda w: f"/groups/{w.other_group.id}/edit",
    ),
    "schools.group_edit POST": Rule(
        lambda w: f"/groups/{w.own_group.id}/edit",
        STAFF,
        other_url=lambda w: f"/groups/{w.other_group.id}/edit",
        data=lambda w: {},
    ),
    "schools.group_delete": Rule(
        lambda w: f"/groups/{w.own_group.id}/delete",
        STAFF,
        other_url=lambda w: f"/groups/{w.other_group.id}/delete",
    ),
    "schools.group_delete POST": Rule(
        lambda w: f"/groups/{w.own_group.id}/delete",
        STAFF,
        other_url=lambda w: f"/groups/{w.other_group.id}/delete",
    ),
    "audit.index": Rule(lambda w: "/audit/", CENTRAL),
}
