"""Access rules of the rollout: coordinators read their own schools' readiness; leads plan,
move schools between stages and import school lists; viewers read the municipality's plan."""

from tests.access import CENTRAL, FORBIDDEN, OK, STAFF, Rule, expect

# Leads and administrators change a school's rollout; coordinators read it only.
MANAGE = CENTRAL
PLAN_READERS = expect(viewer=OK, coordinator=FORBIDDEN)

RULES = {
    "rollout.index": Rule(lambda w: "/rollout/", STAFF),
    "rollout.plan": Rule(lambda w: "/rollout/plan", PLAN_READERS),
    "rollout.school": Rule(
        lambda w: f"/rollout/schools/{w.own_school.id}",
        STAFF,
        other_url=lambda w: f"/rollout/schools/{w.other_school.id}",
    ),
    "rollout.edit_plan": Rule(lambda w: f"/rollout/schools/{w.own_school.id}/plan", MANAGE),
    "rollout.edit_plan POST": Rule(
        lambda w: f"/rollout/schools/{w.own_school.id}/plan",
        MANAGE,
        data=lambda w: {"target": "", "responsible": "Rektor"},
    ),
    "rollout.change_stage": Rule(lambda w: f"/rollout/schools/{w.own_school.id}/stage", MANAGE),
    "rollout.change_stage POST": Rule(
        lambda w: f"/rollout/schools/{w.own_school.id}/stage", MANAGE, data=lambda w: {}
    ),
    "rollout.import_schools": Rule(lambda w: "/rollout/import", MANAGE),
    "rollout.import_schools POST": Rule(lambda w: "/rollout/import", MANAGE, data=lambda w: {}),
    "rollout.import_template": Rule(lambda w: "/rollout/import/template.csv", MANAGE),
}
