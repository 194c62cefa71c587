"""The rollout plan: schools per stage, starts per term, leaders to train, pupils reached."""

import datetime as dt

import pytest

from mvp.rollout.plan import rollout_summary, target_grades
from mvp.rollout.terms import term_of
from tests.factories import make_school, make_user, sign_in
from tests.rollout_factories import make_leader, make_rollout, train

TODAY = dt.date.today()
NOW = term_of(TODAY)


@pytest.fixture
def municipality(app):
    """Eight schools at every kind of place in the rollout."""
    schools = {
        "Alfa": make_school(name="Alfa", kind="7-9", pupils_by_grade={7: 100, 8: 90, 9: 80}),
        "Beta": make_school(name="Beta", kind="F-9", pupils_by_grade={5: 40, 8: 50}),
        "Gamma": make_school(name="Gamma", kind="4-6", pupils_by_grade={4: 30, 5: 31, 6: 32}),
        "Delta": make_school(
            name="Delta", kind="gymnasium", pupils_by_grade={10: 200, 11: 190, 12: 180}
        ),
        "Epsilon": make_school(
            name="Epsilon", kind="F-3", pupils_by_grade={0: 20, 1: 20, 2: 20, 3: 20}
        ),
        "Zeta": make_school(name="Zeta", kind="7-9", pupils_by_grade={7: 10, 8: 10, 9: 10}),
        "Eta": make_school(name="Eta", kind="7-9", pupils_by_grade={7: 20, 8: 20, 9: 20}),
        "Theta": make_school(name="Theta", kind="7-9", pupils_by_grade={8: 999}, active=False),
    }
    make_rollout(schools["Alfa"], "established", NOW + (-2))
    make_rollout(schools["Beta"], "preparing", NOW + 1)
    train([make_leader(schools["Beta"])], TODAY - dt.timedelta(days=10))
    make_rollout(schools["Gamma"], "anchoring", NOW + 1)
    make_rollout(schools["Delta"], "not_started", NOW + 3)
    make_rollout(schools["Zeta"], "paused")
    make_rollout(schools["Eta"], "anchoring", NOW + (-1))
    make_rollout(schools["Theta"], "established", NOW + (-6))
    return schools


def names(plans) -> list[str]:
    return [plan.name for plan in plans]


def test_schools_per_stage_count_active_schools_and_those_without_a_row(municipality):
    summary = rollout_summary(TODAY)
    assert {c.stage: c.schools for c in summary.stages} == {
        "not_started": 2,  # Delta, and Epsilon which has no rollout row
        "anchoring": 2,
        "preparing": 1,
        "first_round": 0,
        "established": 1,  # Theta is inactive
        "paused": 1,
    }
    assert summary.schools_active == 7
    assert (summary.schools_eligible, summary.schools_running) == (6, 1)
    assert summary.running_share == pytest.approx(1 / 6)
    assert summary.schools_remaining == 5


def test_starts_per_term_leaders_to_train_and_pupils_reached(municipality):
    summary = rollout_summary(TODAY)
    assert [t.term for t in summary.terms] == [NOW, NOW + 1, NOW + 2, NOW + 3]
    now, next_term, _later, last = summary.terms
    assert (now.starting, now.schools_running, now.pupils_reached) == ((), 1, 90)
    assert names(next_term.starting) == ["Beta", "Gamma"]
    assert next_term.schools_running == 3
    assert next_term.schools_share == pytest.approx(3 / 6)
    assert next_term.pupils_starting == 50 + 31  # grade 8 at Beta (F–9), grade 5 at Gamma
    assert next_term.pupils_reached == 90 + 50 + 31
    # Beta has one trained leader, Gamma none: 1 + 2 to reach a pair, 5 + 6 to a team of six.
    assert next_term.leaders_to_train_minimum == 3
    assert next_term.leaders_to_train_recommended == 11
    assert names(last.starting) == ["Delta"]
    assert last.schools_running == 4
    assert summary.starting_in(NOW + 3) == last.starting


def test_coverage_by_grade_band_against_all_the_municipalitys_pupils(municipality):
    summary = rollout_summary(TODAY)
    bands = {band.band: band for band in summary.terms[-1].bands}
    assert (bands["7-9"].pupils_reached, bands["7-9"].pupils_total) == (90 + 50, 270 + 50 + 30 + 60)
    assert (bands["4-6"].pupils_reached, bands["4-6"].pupils_total) == (31, 40 + 93)
    assert (bands["gymnasium"].pupils_reached, bands["gymnasium"].pupils_total) == (200, 570)
    assert bands["F-3"].pupils_total == 80
    assert not bands["F-3"].targeted and bands["7-9"].targeted
    now = {band.band: band for band in summary.now}
    assert now["7-9"].share == pytest.approx(90 / 410)
    assert now["gymnasium"].share == 0
    assert summary.pupils_reached_now == 90


def test_schools_outside_the_projection_are_named(municipality):
    summary = rollout_summary(TODAY)
    assert names(summary.overdue) == ["Eta"]
    assert names(summary.unplanned) == ["Zeta"]
    assert names(summary.not_targeted) == ["Epsilon"]
    assert summary.complete_in is None


def test_the_plan_reaches_every_school_in_the_last_planned_term(app):
    make_rollout(make_school(name="Ett"), "established", NOW + (-2))
    make_rollout(make_school(name="Två"), "preparing", NOW + 5)
    summary = rollout_summary(TODAY)
    assert summary.complete_in == NOW + 5
    assert summary.terms[-1].term == NOW + 5


def test_target_grades_and_team_size_are_configurable(municipality, app, monkeypatch):
    assert target_grades("F-9") == (8,)
    monkeypatch.setitem(app.config, "TARGET_GRADES", {"F-3": [3], "F-9": [5, 8, 12]})
    monkeypatch.setitem(app.config, "TEAM_SIZE_MIN", 4)
    assert target_grades("F-9") == (5, 8)  # grade 12 is not taught at an F–9 school
    assert target_grades("7-9") == (8,)  # kinds left out keep the default
    summary = rollout_summary(TODAY)
    assert "Epsilon" not in names(summary.not_targeted)
    assert summary.schools_eligible == 7
    assert summary.terms[1].pupils_starting == 40 + 50 + 31
    assert summary.terms[1].leaders_to_train_recommended == 3 + 4


def test_the_summary_takes_a_fixed_number_of_queries(app, count_queries):
    for n in range(2):
        make_rollout(make_school(name=f"Liten {n}"), "preparing", NOW + 1)
    with count_queries() as few:
        rollout_summary(TODAY)
    for n in range(10):
        school = make_school(name=f"Stor {n}")
        make_rollout(school, "anchoring", NOW + n % 4)
        train([make_leader(school)], TODAY - dt.timedelta(days=3))
    with count_queries() as many:
        summary = rollout_summary(TODAY)
    assert len(few) == len(many) == 4
    assert summary.schools_eligible == 12


# --- the plan page ------------------------------------------------------------------------


def test_the_plan_page_shows_the_goal_the_timeline_and_the_tables(client, municipality):
    sign_in(client, make_user("viewer"))
    response = client.get("/rollout/plan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Införandeplan" in page
    assert "av 6 skolor har MVP" in page
    assert "Räknas inte: Epsilon" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "style=" not in page
    assert "Förberedelse, start " + (NOW + 1).label in page  # Beta's row in the chart
    assert "Planerad start har passerat utan att skolan har börjat:" in page and "Eta" in page
    assert "de finns inte uppdelade på kön" in page
    # A viewer reads the plan but does not get links to the schools' own rollout pages.
    assert f"/rollout/schools/{municipality['Beta'].id}" not in page


def test_a_lead_follows_the_plan_to_a_school(client, municipality):
    sign_in(client, make_user("lead"))
    page = client.get("/rollout/plan").get_data(as_text=True)
    assert f'href="/rollout/schools/{municipality["Beta"].id}"' in page


def test_the_plan_page_query_count_does_not_grow(client, count_queries):
    sign_in(client, make_user("lead"))
    make_rollout(make_school(name="Först"), "preparing", NOW + 1)
    with count_queries() as few:
        client.get("/rollout/plan")
    for n in range(8):
        make_rollout(make_school(name=f"Fler {n}"), "anchoring", NOW + n % 3)
    with count_queries() as many:
        assert client.get("/rollout/plan").status_code == 200
    assert len(few) == len(many)
