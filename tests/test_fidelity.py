"""Fidelity: the shared definitions as pure functions, the loader within a user's scope, the
programme and school pages for each role, and their query counts."""

import datetime as dt

import pytest

from mvp.lessons.fidelity import (
    Figures,
    GroupFacts,
    HeldLesson,
    group_figures,
    load_fidelity,
    next_lesson_number,
    pace,
    pool,
    suppressed_attendance,
)
from mvp.schools.years import current_school_year
from tests.delivery_factories import (
    lesson_day,
    make_leader,
    make_plan,
    make_trained_leader,
    make_training,
    record_lesson,
    set_up_group,
)
from tests.factories import make_group, make_school, make_user, sign_in

TODAY = dt.date.today()


def facts(group_id=1, *, planned=14, girls=12, boys=11, others=1, year=2026, school_id=1):
    return GroupFacts(group_id, school_id, year, "8A", 8, girls, boys, others, planned)


def held(number, *, day=None, repeat=False, leaders=2, delivered="fully", present=(12, 11, 1)):
    return HeldLesson(
        group_id=1,
        number=number,
        held_on=day or dt.date(2026, 9, number),
        is_repeat=repeat,
        leaders_present=leaders,
        delivered=delivered,
        girls=present[0],
        boys=present[1],
        others=present[2],
    )


# --- the definitions -------------------------------------------------------------------------


def test_dose_counts_distinct_lessons_of_the_plan_and_not_repeats():
    lessons = [held(1), held(2), held(2, repeat=True), held(3)]
    figures = group_figures(facts(planned=14), lessons)
    assert (figures.held, figures.planned, figures.repeats) == (3, 14, 1)
    assert figures.dose == pytest.approx(3 / 14)


def test_shares_count_held_non_repeat_lessons():
    lessons = [
        held(1),
        held(2, leaders=1),
        held(3, delivered="partly"),
        held(4, delivered="not", leaders=3),
        held(4, repeat=True, leaders=1, delivered="not"),
    ]
    figures = group_figures(facts(), lessons)
    assert figures.lessons == 4
    assert figures.full_pair_share == pytest.approx(3 / 4)
    assert (figures.fully_share, figures.partly_share, figures.not_share) == (0.5, 0.25, 0.25)


def test_attendance_rate_by_sex_is_present_over_size_times_lessons():
    lessons = [held(1, present=(12, 11, 1)), held(2, present=(9, 11, 0))]
    figures = group_figures(facts(girls=12, boys=11, others=1), lessons)
    assert figures.attendance("girls") == pytest.approx(21 / 24)
    assert figures.attendance("boys") == 1.0
    assert figures.attendance("others") == 0.5


def test_nothing_held_gives_no_shares_rather_than_zero():
    figures = group_figures(facts(), [])
    assert figures.dose == 0
    assert figures.full_pair_share is None and figures.fully_share is None
    assert figures.attendance("girls") is None


def test_a_school_pools_its_groups_rather_than_averaging_them():
    small = group_figures(facts(1, planned=10, girls=10), [held(1, present=(10, 11, 1))])
    big = group_figures(
        facts(2, planned=14, girls=20),
        [held(n, present=(10, 11, 1)) for n in range(1, 4)],
    )
    school = pool([small, big])
    assert school.dose == pytest.approx(4 / 24)  # not the mean of 1/10 and 3/14
    assert school.attendance("girls") == pytest.approx(40 / (10 * 1 + 20 * 3))
    assert school.groups == 2 and school.lessons == 4


def test_groups_with_every_lesson_and_the_attendance_of_all_pupils_pool_too():
    lessons = [held(1, present=(10, 9, 0)), held(2, present=(9, 10, 0))]
    done = group_figures(facts(1, planned=2, girls=10, boys=10, others=0), lessons)
    begun = group_figures(facts(2, planned=14), [held(1, present=(6, 11, 1))])
    unplanned = group_figures(facts(3, planned=None), [])
    together = pool([done, begun, unplanned])
    assert (done.groups_full_dose, begun.groups_full_dose, unplanned.groups_full_dose) == (1, 0, 0)
    assert together.groups_full_dose == 1 and together.groups_with_plan == 2
    # Pupils present over the places of every sex: (38 + 18) / (2 × 20 + 24).
    assert done.attendance_all == 38 / 40
    assert together.attendance_all == pytest.approx((38 + 18) / (40 + 24))
    assert unplanned.attendance_all is None


def test_small_groups_of_a_sex_are_suppressed_in_attendance():
    figures = group_figures(facts(girls=12, boys=9, others=0), [held(1, present=(12, 9, 0))])
    shown = suppressed_attendance(figures, 10)
    assert shown == {"girls": 1.0, "boys": "..", "others": None}
    assert suppressed_attendance(Figures(), 10) == {"girls": None, "boys": None, "others": None}


@pytest.mark.parametrize(
    ("held_days", "today", "planned", "behind", "weeks"),
    [
        # Nothing held: the count starts on 20 August, once that day has passed.
        ([], dt.date(2026, 8, 19), 14, False, 0),
        ([], dt.date(2026, 8, 26), 14, False, 0),
        ([], dt.date(2026, 8, 27), 14, True, 1),
        # One lesson a week is on pace; one week's slack is allowed.
        ([dt.date(2026, 9, 1)], dt.date(2026, 9, 8), 14, False, 1),
        ([dt.date(2026, 9, 1)], dt.date(2026, 9, 14), 14, False, 1),
        ([dt.date(2026, 9, 1)], dt.date(2026, 9, 15), 14, True, 2),
        ([dt.date(2026, 9, 1), dt.date(2026, 9, 8)], dt.date(2026, 9, 15), 14, False, 2),
        # A finished plan is never behind, and without a plan there is no pace to keep.
        ([dt.date(2026, 9, 1), dt.date(2026, 9, 2)], dt.date(2027, 3, 1), 2, False, 25),
        ([dt.date(2026, 9, 1)], dt.date(2027, 3, 1), None, False, 25),
    ],
)
def test_behind_the_weekly_pace(held_days, today, planned, behind, weeks):
    lessons = [held(n, day=day) for n, day in enumerate(held_days, 1)]
    result = pace(facts(planned=planned), lessons, today)
    assert (result.behind, result.weeks) == (behind, weeks)


def test_repeats_do_not_keep_a_group_on_pace_but_their_dates_count_from_the_first():
    lessons = [held(1, day=dt.date(2026, 9, 1)), held(1, day=dt.date(2026, 9, 9), repeat=True)]
    assert pace(facts(), lessons, dt.date(2026, 9, 15)).behind
    assert pace(facts(), lessons, dt.date(2026, 9, 15)).lessons_short == 1


def test_the_next_lesson_is_the_lowest_not_held():
    assert next_lesson_number([1, 2, 4], 14) == 3
    assert next_lesson_number(range(1, 15), 14) is None
    assert next_lesson_number([], None) is None


# --- the loader --------------------------------------------------------------------------------


@pytest.fixture
def programme(app):
    """Two schools with two groups each in the current school year, lessons and supervision."""
    year = current_school_year()
    plan = make_plan(14)
    world = {}
    for school_name in ("Långsjöskolan", "Hallsta skola"):
        school = make_school(name=school_name)
        pair = [
            make_trained_leader(school, name=f"Ledare A {school_name}"),
            make_trained_leader(school, name=f"Ledare B {school_name}", sex="man"),
        ]
        make_training("supervision", hours=3, school=school, attended=pair[:1])
        groups = [
            set_up_group(make_group(school, name=name, school_year=year), plan, pair)
            for name in ("8A", "8B")
        ]
        world[school_name] = (school, groups, pair)
    lang_a, lang_b = world["Långsjöskolan"][1]
    for number in range(1, 4):
        record_lesson(lang_a, number, held_on=lesson_day(lang_a, 10 - number))
    record_lesson(lang_b, 1, held_on=lesson_day(lang_b, 1), delivered="partly", adaptation="Kort")
    hall_a = world["Hallsta skola"][1][0]
    record_lesson(hall_a, 1, held_on=lesson_day(hall_a, 2))
    return world


def test_the_loader_matches_the_pure_definitions(programme):
    result = load_fidelity(make_user("lead"), current_school_year())
    assert [school.name for school in result.schools] == ["Hallsta skola", "Långsjöskolan"]
    langsjo = result.schools[1]
    assert (langsjo.figures.held, langsjo.figures.planned) == (4, 28)
    assert langsjo.figures.fully_share == 0.75 and langsjo.figures.partly_share == 0.25
    assert langsjo.supervision_hours == 3
    assert (result.figures.held, result.figures.planned, result.figures.groups) == (5, 56, 4)
    assert result.supervision_hours == 6
    group = result.group(programme["Långsjöskolan"][1][0].id)
    assert group.figures.dose == pytest.approx(3 / 14) and group.next_number == 4


def test_the_loader_keeps_a_coordinator_to_their_schools(programme):
    school = programme["Hallsta skola"][0]
    coordinator = make_user("coordinator", schools=[school])
    result = load_fidelity(coordinator, current_school_year(), with_leaders=True)
    assert [s.name for s in result.schools] == ["Hallsta skola"]
    assert result.figures.held == 1 and result.supervision_hours == 3
    assert {leader.name for leader in result.leaders} == {
        "Ledare A Hallsta skola",
        "Ledare B Hallsta skola",
    }
    hours = {leader.name: leader.supervision_hours for leader in result.leaders}
    assert hours == {"Ledare A Hallsta skola": 3, "Ledare B Hallsta skola": 0}


def test_the_loader_runs_a_fixed_number_of_queries(programme, count_queries):
    lead = make_user("lead")
    with count_queries() as few:
        load_fidelity(lead, current_school_year(), with_leaders=True)
    school, groups, pair = programme["Hallsta skola"]
    for number in range(2, 9):
        record_lesson(groups[0], number, held_on=lesson_day(groups[0], 20 - number))
    for name in ("9A", "9B", "9C"):
        group = set_up_group(make_group(school, name=name), groups[0].curriculum, pair)
        record_lesson(group, 1)
    with count_queries() as many:
        load_fidelity(lead, current_school_year(), with_leaders=True)
    assert len(few) == len(many) <= 5


# --- the pages ---------------------------------------------------------------------------------


def test_a_viewer_sees_aggregate_fidelity_without_groups_or_leaders(client, programme):
    sign_in(client, make_user("viewer"))
    response = client.get("/fidelity/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Genomförande per skola" in page and "Långsjöskolan" in page
    assert "5 av 56" in page  # lessons held of planned in total
    assert "Ledare A" not in page and "/groups/" not in page and "/leaders/" not in page
    assert "Grupper som ligger efter</h2>" not in page
    school = programme["Långsjöskolan"][0]
    assert client.get(f"/fidelity/schools/{school.id}").status_code == 403


def test_staff_see_groups_behind_the_weekly_pace_highlighted(client, programme):
    school, groups, pair = programme["Hallsta skola"]
    late = set_up_group(
        make_group(school, name="9X", school_year=current_school_year()), groups[0].curriculum, pair
    )
    record_lesson(late, 1, held_on=lesson_day(late, 22))
    sign_in(client, make_user("lead"))
    page = client.get("/fidelity/").get_data(as_text=True)
    assert "Grupper som ligger efter" in page
    behind = page.split('id="fidelity-behind"')[1].split("</table>")[0]
    assert (
        "9X" in behind
        and "⚠" in behind
        and "Ligger efter veckotakten: 1 lektion på 3 veckor" in behind
    )
    school_page = client.get(f"/fidelity/schools/{school.id}").get_data(as_text=True)
    assert 'class="behind"' in school_page and "Ligger efter veckotakten" in school_page
    assert "Ledare A Hallsta skola" in school_page and "Handledningstimmar" in school_page


def test_a_coordinator_reads_only_their_schools_fidelity(client, programme):
    own = programme["Hallsta skola"][0]
    other = programme["Långsjöskolan"][0]
    sign_in(client, make_user("coordinator", schools=[own]))
    page = client.get("/fidelity/").get_data(as_text=True)
    assert "Hallsta skola" in page and "Långsjöskolan" not in page
    assert client.get(f"/fidelity/schools/{own.id}").status_code == 200
    assert client.get(f"/fidelity/schools/{other.id}").status_code == 404


def test_fidelity_pages_keep_their_query_count(client, programme, count_queries):
    sign_in(client, make_user("lead"))
    school, groups, pair = programme["Hallsta skola"]
    with count_queries() as few:
        client.get("/fidelity/")
    with count_queries() as few_school:
        client.get(f"/fidelity/schools/{school.id}")
    extra_leaders = [make_leader(school) for _ in range(4)]
    for index in range(6):
        group = set_up_group(make_group(make_school(), name=f"7{index}"), groups[0].curriculum)
        set_up_group(group, group.curriculum, [make_leader(group.school)])
        for number in range(1, 5):
            record_lesson(group, number, held_on=lesson_day(group, 10 - number))
    record_lesson(groups[1], 1, leaders=[pair[0], extra_leaders[0]])
    with count_queries() as many:
        assert client.get("/fidelity/").status_code == 200
    with count_queries() as many_school:
        client.get(f"/fidelity/schools/{school.id}")
    assert len(many) == len(few)
    assert len(many_school) == len(few_school)


def test_the_loader_narrows_to_schools_grades_and_plans(programme):
    lead = make_user("lead")
    hallsta, _groups, pair = programme["Hallsta skola"]
    other_plan = make_plan(11)
    seventh = set_up_group(make_group(hallsta, name="7A", grade=7), other_plan, pair)
    record_lesson(seventh, 1)
    year = current_school_year()
    by_school = load_fidelity(lead, [year], school_ids=[hallsta.id])
    assert [s.name for s in by_school.schools] == ["Hallsta skola"]
    assert by_school.supervision_hours == 3
    by_grade = load_fidelity(lead, year, grades=[7])
    assert [g.group.name for g in by_grade.groups] == ["7A"]
    by_plan = load_fidelity(lead, year, curriculum_ids=[other_plan.id])
    assert by_plan.figures.planned == 11 and by_plan.figures.held == 1


def test_only_aggregate_readers_get_small_attendance_figures_suppressed(client, programme):
    # Every group has one pupil of other or unknown sex: too few to show to a viewer.
    sign_in(client, make_user("viewer"))
    row = client.get("/fidelity/").get_data(as_text=True).split("Långsjöskolan</th>")[1]
    assert '<abbr title="För få svar för att visas">..</abbr>' in row.split("</tr>")[0]
    sign_in(client, make_user("lead"))
    row = client.get("/fidelity/").get_data(as_text=True).split("Långsjöskolan</a></th>")[1]
    assert "..</abbr>" not in row.split("</tr>")[0]
