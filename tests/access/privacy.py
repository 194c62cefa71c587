"""Access rules of the data protection officer's tools: administrators only (the officer acts
through an administrator); nothing of it is school-scoped, so coordinators get 403."""

from tests.access import ADMIN_ONLY, Rule


def _year(w) -> int:
    return w.own_group.school_year


RULES = {
    "privacy.index": Rule(lambda w: "/admin/privacy/", ADMIN_ONLY),
    "privacy.year": Rule(lambda w: f"/admin/privacy/years/{_year(w)}", ADMIN_ONLY),
    "privacy.year_delete": Rule(lambda w: f"/admin/privacy/years/{_year(w)}/delete", ADMIN_ONLY),
    "privacy.year_delete POST": Rule(
        lambda w: f"/admin/privacy/years/{_year(w)}/delete", ADMIN_ONLY
    ),
    "privacy.wave_delete": Rule(
        lambda w: f"/admin/privacy/waves/{w.own_wave.id}/delete", ADMIN_ONLY
    ),
    "privacy.wave_delete POST": Rule(
        lambda w: f"/admin/privacy/waves/{w.own_wave.id}/delete", ADMIN_ONLY
    ),
    "privacy.user_export": Rule(
        lambda w: f"/admin/privacy/users/{w.some_user.id}/export", ADMIN_ONLY
    ),
    "privacy.erase_codes POST": Rule(lambda w: "/admin/privacy/codes/erase", ADMIN_ONLY),
}
