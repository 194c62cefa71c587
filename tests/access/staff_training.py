"""Access rules of the staff training: everyone signed in reads the coverage and the plan;
leads, administrators and HR contacts read units and occasions, and HR contacts record
attendance only for their own administration (another's answers 404); leads manage the rest.
"""

import datetime as dt

from tests.access import CENTRAL, OK, Rule, expect

SIGNED_IN_ALL = expect(viewer=OK, coordinator=OK, hr=OK)
DETAILS = expect(hr=OK)


def _scoped(path: str, own: str, other: str, *, post: bool = False) -> Rule:
    """A rule for an object of an administration: `own`/`other` name the world's objects."""
    return Rule(
        lambda w: path.format(id=getattr(w, own).id),
        DETAILS,
        other_administration_url=lambda w: path.format(id=getattr(w, other).id),
        data=(lambda w: {}) if post else None,
    )


def _central(endpoint: str, path) -> dict:
    """GET and POST rules of a lead's form."""
    return {
        endpoint: Rule(path, CENTRAL),
        f"{endpoint} POST": Rule(path, CENTRAL, data=lambda w: {}),
    }


def _year() -> int:
    return dt.date.today().year


RULES = {
    "staff_training.index": Rule(lambda w: "/staff-training/", SIGNED_IN_ALL),
    "staff_training.plan": Rule(lambda w: "/staff-training/plan", SIGNED_IN_ALL),
    "staff_training.status": Rule(
        lambda w: f"/staff-training/status-{_year()}.json", SIGNED_IN_ALL
    ),
    "staff_training.due": Rule(lambda w: "/staff-training/due", DETAILS),
    "staff_training.administrations": Rule(lambda w: "/staff-training/administrations", DETAILS),
    **_central(
        "staff_training.administration_new", lambda w: "/staff-training/administrations/new"
    ),
    **_central(
        "staff_training.administration_edit",
        lambda w: f"/staff-training/administrations/{w.own_administration.id}/edit",
    ),
    **_central("staff_training.unit_new", lambda w: "/staff-training/units/new"),
    **_central("staff_training.unit_edit", lambda w: f"/staff-training/units/{w.own_unit.id}/edit"),
    "staff_training.unit_detail": _scoped("/staff-training/units/{id}", "own_unit", "other_unit"),
    **_central("staff_training.unit_import", lambda w: "/staff-training/units/import"),
    "staff_training.unit_template": Rule(
        lambda w: "/staff-training/units/import/template.csv", CENTRAL
    ),
    "staff_training.programmes": Rule(lambda w: "/staff-training/programmes", DETAILS),
    **_central("staff_training.programme_new", lambda w: "/staff-training/programmes/new"),
    **_central(
        "staff_training.programme_edit",
        lambda w: f"/staff-training/programmes/{w.programme.id}/edit",
    ),
    **_central(
        "staff_training.programme_questionnaire",
        lambda w: f"/staff-training/programmes/{w.programme.id}/questionnaire",
    ),
    "staff_training.occasions": Rule(lambda w: "/staff-training/occasions", DETAILS),
    **_central("staff_training.occasion_new", lambda w: "/staff-training/occasions/new"),
    **_central(
        "staff_training.occasion_edit",
        lambda w: f"/staff-training/occasions/{w.own_occasion.id}/edit",
    ),
    "staff_training.occasion_detail": _scoped(
        "/staff-training/occasions/{id}", "own_occasion", "other_occasion"
    ),
    "staff_training.participant_new": _scoped(
        "/staff-training/occasions/{id}/participants/new", "own_occasion", "other_occasion"
    ),
    "staff_training.participant_new POST": _scoped(
        "/staff-training/occasions/{id}/participants/new",
        "own_occasion",
        "other_occasion",
        post=True,
    ),
    "staff_training.occasion_attendance": _scoped(
        "/staff-training/occasions/{id}/attendance", "own_occasion", "other_occasion"
    ),
    "staff_training.occasion_attendance POST": _scoped(
        "/staff-training/occasions/{id}/attendance",
        "own_occasion",
        "other_occasion",
        post=True,
    ),
}
