"""The overview's "To do": what a coordinator or project lead should act on, within scope."""

import datetime as dt

from mvp.extensions import db
from mvp.main.attention import attention
from mvp.rollout.terms import term_of
from mvp.schools.years import current_school_year
from tests.delivery_factories import make_leader, make_plan, record_lesson, set_up_group
from tests.factories import make_group, make_school, make_user, sign_in
from tests.rollout_factories import make_rollout
from tests.survey_factories import make_wave

TODAY = dt.date(2026, 11, 27)


def names(groups):
    return sorted(f"{g.group.school_name} {g.group.name}" for g in groups)


def test_a_lead_sees_what_needs_doing_in_every_school(demo):
    todo = attention(demo.users["lead"], demo.current_year, today=TODAY)
    assert names(todo.behind) == ["Hallsta skola 8B", "Långsjöskolan 8D"]
    assert [
        (p.group.name, p.missing, [x.name for x in p.untrained]) for p in todo.pair_problems
    ] == [("8B", 0, ["Nils Åkesson"])]
    assert [(w.wave.group.name, w.wave.phase) for w in todo.open_waves] == [("8A", "after")]
    assert todo.open_waves[0].responses > 0
    assert [leader.name for leader in todo.refresher_due] == ["Petra Ås"]
    assert [s.name for s, _missing in todo.starting_not_ready] == ["Norrgårdsskolan"]
    assert todo.starting_not_ready[0][1]  # the readiness items still missing, by name
    assert not todo.without_plan and not todo.without_before and not todo.without_after
    assert not todo.empty


def test_a_coordinator_sees_only_their_school_and_no_rollout_planning(demo):
    coordinator = demo.users["samordnare.langsjo@exempelkommun.se"]
    todo = attention(coordinator, demo.current_year, today=TODAY)
    assert names(todo.behind) == ["Långsjöskolan 8D"]
    assert todo.pair_problems == []  # Hallsta's untrained leader is not theirs
    assert {w.wave.group.school.name for w in todo.open_waves} == {"Långsjöskolan"}
    assert todo.overdue_schools == [] and todo.starting_not_ready == []


def test_a_viewer_gets_no_to_do_list(demo):
    assert attention(demo.users["viewer"], demo.current_year, today=TODAY) is None


def test_groups_missing_a_plan_a_pair_or_questionnaires_and_overdue_schools(app):
    year = current_school_year()
    school = make_school(name="Ekskolan")
    make_group(school, name="7A", school_year=year, grade=7)
    finished = make_group(school, name="8A", school_year=year, grade=8)
    plan = make_plan(lessons=3)
    set_up_group(finished, plan, [make_leader(school), make_leader(school)])
    for number in (1, 2, 3):
        record_lesson(finished, number)
    make_wave(finished, "before")
    late = make_school(name="Sena skolan")
    make_rollout(late, "preparing", term_of(dt.date.today()) + -2)
    todo = attention(make_user("lead"), year)
    assert names(todo.without_plan) == ["Ekskolan 7A"]
    assert names(todo.without_before) == ["Ekskolan 7A"]
    assert names(todo.without_after) == ["Ekskolan 8A"]
    problems = {
        p.group.name: (p.missing, [x.name for x in p.untrained]) for p in todo.pair_problems
    }
    assert problems["7A"] == (2, [])
    assert problems["8A"][0] == 0 and len(problems["8A"][1]) == 2  # neither has been trained
    assert [s.name for s in todo.overdue_schools] == ["Sena skolan"]


def test_the_overview_shows_the_list_with_links_for_the_current_year_only(client, app):
    year = current_school_year()
    school = make_school(name="Ekskolan")
    group = make_group(school, name="7A", school_year=year, grade=7)
    make_group(school, name="9A", school_year=year - 1, grade=9)
    sign_in(client, make_user("coordinator", schools=[school]))
    html = client.get("/").get_data(as_text=True)
    assert "Att göra" in html and "Grupper utan lektionsplan" in html
    assert f'href="/groups/{group.id}/delivery"' in html
    assert f'href="/surveys/waves/new?group={group.id}"' in html
    # An open wave says how many of the group's pupils have answered, and its code.
    wave = make_wave(group, "before")
    html = client.get("/").get_data(as_text=True)
    assert "Omgångar som är öppna nu" in html
    assert f"0 av {group.girls + group.boys + group.others} har svarat, kod {wave.code}" in html
    past = client.get(f"/?year={year - 1}/{year % 100:02d}").get_data(as_text=True)
    assert "Att göra" not in past


def test_a_viewer_sees_no_list_on_the_overview(client, app):
    make_group(make_school(), school_year=current_school_year())
    sign_in(client, make_user("viewer"))
    assert "Att göra" not in client.get("/").get_data(as_text=True)


def test_the_list_is_read_in_a_fixed_number_of_queries(app, count_queries):
    year = current_school_year()
    lead = make_user("lead")
    plan = make_plan(lessons=2)

    def add_school(n):
        school = make_school(name=f"Skola {n}")
        for name in ("7A", "8A"):
            group = make_group(school, name=name, school_year=year, grade=int(name[0]))
            set_up_group(group, plan, [make_leader(school)])
            record_lesson(group, 1)
            make_wave(group, "before")

    add_school(1)
    db.session.expire_all()
    with count_queries() as small:
        first = attention(lead, year)
    for n in range(2, 6):
        add_school(n)
    db.session.expire_all()
    with count_queries() as large:
        second = attention(lead, year)
    assert len(second.pair_problems) == 5 * len(first.pair_problems) == 10
    assert len(large) == len(small) <= 16
