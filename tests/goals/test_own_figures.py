"""The officials' and the staff training's figures as goal indicators equal what their own
areas show (the officials' results, the training's coverage), suppressed cells included."""

import datetime as dt

from mvp.evaluation.suppress import SUPPRESSED
from mvp.goals import own_figures
from mvp.officials import results
from mvp.staff_training import coverage as cov
from mvp.staff_training import status
from tests.officials_factories import add_answers, make_body, make_round, set_seats
from tests.staff_training_factories import (
    attend,
    count,
    make_administration,
    make_occasion,
    make_unit,
)


def test_the_officials_share_feeling_safe_equals_their_results(app):
    body = make_body()
    for year in (2025, 2026):
        set_seats(year, body, ordinary_woman=20, ordinary_man=20)
    # 2025: 6 of 8 women and 5 of 7 men safe. 2026: 9 of 10 women, 3 men (too few).
    add_answers(
        make_round(2025, opens_on=dt.date(2025, 3, 1), closes_on=dt.date(2025, 3, 31)),
        [("woman", {"trygg": 4})] * 6
        + [("woman", {"trygg": 1})] * 2
        + [("man", {"trygg": 3})] * 5
        + [("man", {"trygg": 2})] * 2,
    )
    add_answers(
        make_round(2026),
        [("woman", {"trygg": 4})] * 9 + [("woman", {"trygg": 2})] + [("man", {"trygg": 4})] * 3,
    )
    figures = {f.year: f for f in own_figures.provider("officials_safe").load()}
    trend = {year.year: year for year in results.build().trend}
    assert sorted(figures) == sorted(trend) == [2025, 2026]
    for year, shown in figures.items():
        safe = trend[year].safe
        for figure, group in ((shown.women, "woman"), (shown.men, "man"), (shown.total, "all")):
            expected = safe[group].share
            assert figure == (expected if expected == SUPPRESSED else round(expected * 100, 1))
    # By hand: 6/8 = 75 %, 5/7 = 71.4 %, 11/15 = 73.3 %; in 2026 the 3 men are hidden, and
    # with them the total (else the men could be worked out from it).
    assert (figures[2025].women, figures[2025].men, figures[2025].total) == (75.0, 71.4, 73.3)
    assert figures[2026].women == 90.0
    assert figures[2026].men == SUPPRESSED


def test_the_trained_managers_and_staff_equal_the_trainings_coverage(app):
    today = dt.date.today()
    last_year = dt.date(today.year - 1, 6, 1)
    administration = make_administration("Socialförvaltningen")
    unit = make_unit(administration, "Hemtjänst", managers=(6, 5), staff=(40, 30))
    managers_day = make_occasion([unit], audience="managers", held_on=last_year)
    for number in range(6):
        attend(managers_day, unit, f"Chef K{number}", role="manager", sex="woman")
    for number in range(5):
        attend(managers_day, unit, f"Chef M{number}", role="manager", sex="man")
    staff_day = make_occasion([unit], audience="staff", held_on=today - dt.timedelta(days=1))
    count(staff_day, unit, "staff", "woman", 20)
    count(staff_day, unit, "staff", "man", 3)

    managers = {f.year: f for f in own_figures.provider("managers_trained").load()}
    staff = {f.year: f for f in own_figures.provider("staff_trained").load()}
    assert sorted(managers) == sorted(staff) == [today.year - 1, today.year]
    # Every manager trained last year: 6 of 6 women, 5 of 5 men, 11 of 11.
    assert (managers[today.year - 1].women, managers[today.year - 1].men) == (100.0, 100.0)
    assert managers[today.year - 1].total == 100.0
    # Staff (not managers: 34 women, 25 men): none last year. This year 3 men are too few to
    # show; as in the training's yearly status the women go with them (else the total would
    # give the men back) and the total, 23 of 59, stays.
    assert (staff[today.year - 1].women, staff[today.year - 1].men) == (0.0, 0.0)
    assert (staff[today.year].women, staff[today.year].men) == (SUPPRESSED, SUPPRESSED)
    assert staff[today.year].total == 39.0
    # The same figures as the training's own yearly status (one administration: its rows).
    table = status.year_status(today.year, cov.load_records(), [], today=today).tables[0]
    rows = {row[1]: row for row in table.rows}
    for role, figures in (("Chefer", managers[today.year]), ("Medarbetare", staff[today.year])):
        row = rows[role]
        expected = [share if share == SUPPRESSED else round(share * 100, 1) for share in row[3:8:2]]
        assert [figures.women, figures.men, figures.total] == expected
