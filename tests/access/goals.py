"""Access rules of the equality goals: everyone signed in reads the goals and the equality
report (aggregate figures); leads and administrators keep goals, indicators, figures and
Kolada imports; deviations are recorded by leads and by the accounts named as a goal's
owners (here the coordinator; tests/goals/test_goals.py checks that a non-owner gets 403)."""

from tests.access import CENTRAL, FORBIDDEN, OK, SIGNED_IN, Rule, expect

OWNERS = expect(viewer=FORBIDDEN, coordinator=OK)

RULES = {
    "goals.index": Rule(lambda w: "/goals/", SIGNED_IN),
    "goals.goal": Rule(lambda w: f"/goals/{w.goal.id}", SIGNED_IN),
    "goals.download": Rule(lambda w: "/goals/report.json?year=2025", SIGNED_IN),
    "goals.new": Rule(lambda w: "/goals/new", CENTRAL),
    "goals.new POST": Rule(lambda w: "/goals/new", CENTRAL, data=lambda w: {}),
    "goals.edit": Rule(lambda w: f"/goals/{w.goal.id}/edit", CENTRAL),
    "goals.edit POST": Rule(lambda w: f"/goals/{w.goal.id}/edit", CENTRAL, data=lambda w: {}),
    "goals.new_indicator": Rule(lambda w: f"/goals/{w.goal.id}/indicators/new", CENTRAL),
    "goals.new_indicator POST": Rule(
        lambda w: f"/goals/{w.goal.id}/indicators/new", CENTRAL, data=lambda w: {}
    ),
    "goals.edit_indicator": Rule(lambda w: f"/goals/indicators/{w.indicator.id}/edit", CENTRAL),
    "goals.edit_indicator POST": Rule(
        lambda w: f"/goals/indicators/{w.indicator.id}/edit", CENTRAL, data=lambda w: {}
    ),
    "goals.typed_figures": Rule(lambda w: f"/goals/indicators/{w.indicator.id}/figures", CENTRAL),
    "goals.typed_figures POST": Rule(
        lambda w: f"/goals/indicators/{w.indicator.id}/figures", CENTRAL, data=lambda w: {}
    ),
    "goals.new_deviation": Rule(lambda w: f"/goals/{w.goal.id}/deviations/new", OWNERS),
    "goals.new_deviation POST": Rule(
        lambda w: f"/goals/{w.goal.id}/deviations/new", OWNERS, data=lambda w: {}
    ),
    "goals.kolada_import": Rule(lambda w: "/goals/kolada/import", CENTRAL),
    "goals.kolada_import POST": Rule(lambda w: "/goals/kolada/import", CENTRAL, data=lambda w: {}),
}
