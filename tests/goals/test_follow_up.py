"""Status, gap and direction on cases worked out by hand (mvp.goals.follow_up's definitions)."""

import pytest

from mvp.evaluation.suppress import SUPPRESSED
from mvp.goals.follow_up import (
    NARROWING,
    NO_DATA,
    NOT_ON_TRACK,
    ON_TRACK,
    UNCHANGED,
    WIDENING,
    Target,
    YearFigures,
    gap_direction,
    goal_status,
    indicator_status,
    latest_gap,
)

# Women's share of the assembly 28 → 29.5 → 31 %, men's 36 → 35 → 34 %.
ASSEMBLY = [
    YearFigures(2021, 28.0, 36.0, 32.1),
    YearFigures(2022, 29.5, 35.0, 32.3),
    YearFigures(2023, 31.0, 34.0, 32.5),
]


def test_gap_is_women_minus_men_of_the_latest_year_and_narrowing():
    # 2023: 31 − 34 = −3; 2022: |29,5 − 35| = 5,5 > 3, so the gap narrows.
    assert latest_gap(ASSEMBLY) == (2023, -3.0)
    assert gap_direction(ASSEMBLY) == NARROWING


def test_gap_widening_unchanged_and_too_few_years():
    widening = [YearFigures(2022, 8.0, 5.0), YearFigures(2023, 8.4, 5.0)]  # 3 → 3,4
    assert gap_direction(widening) == WIDENING
    same = [YearFigures(2022, 8.0, 5.0), YearFigures(2023, 9.0, 6.0)]  # 3 → 3
    assert gap_direction(same) == UNCHANGED
    assert gap_direction(widening[:1]) is None
    # A year where one sex is hidden does not count: the gap compares 2021 with 2023.
    hidden = [
        YearFigures(2021, 10.0, 4.0),
        YearFigures(2022, SUPPRESSED, 5.0),
        YearFigures(2023, 9.0, 5.0),
    ]
    assert latest_gap(hidden) == (2023, 4.0)
    assert gap_direction(hidden) == NARROWING  # 6 → 4


def test_a_gap_target_met_now_is_on_track():
    assert indicator_status(ASSEMBLY, Target("gap", 2027, gap=3.0)) == ON_TRACK


def test_a_gap_target_reached_by_the_line_through_the_last_two_years_is_on_track():
    # Gap 5,5 (2022) → 3 (2023): −2,5 a year, so 0,5 in 2024 and −2 in 2025 ≤ 1: on track
    # for a gap of at most 1 by 2025, not by 2023 (the target year has come and it is 3).
    assert indicator_status(ASSEMBLY, Target("gap", 2025, gap=1.0)) == ON_TRACK
    assert indicator_status(ASSEMBLY, Target("gap", 2023, gap=1.0)) == NOT_ON_TRACK


def test_values_target_needs_both_women_and_men():
    # Women 31 (+1,5 a year) reach 40 only in 2029; men 34 already ≥ 30.
    by_2029 = Target("values", 2029, women=40.0, men=30.0)
    by_2027 = Target("values", 2027, women=40.0, men=30.0)  # women 37 in 2027 < 40
    assert indicator_status(ASSEMBLY, by_2029) == ON_TRACK
    assert indicator_status(ASSEMBLY, by_2027) == NOT_ON_TRACK


def test_lower_is_better_reads_the_target_as_a_ceiling():
    sick_leave = [YearFigures(2022, 8.9, 5.1, 7.9), YearFigures(2023, 8.4, 5.3, 7.6)]
    # Women −0,5 a year: 7,4 in 2025 ≤ 7,5; men 5,3 ≤ 7,5 already.
    target = Target("values", 2025, women=7.5, men=7.5, higher_is_better=False)
    assert indicator_status(sick_leave, target) == ON_TRACK
    # By 2024 the women's line is at 7,9 > 7,5.
    assert (
        indicator_status(sick_leave, Target("values", 2024, 7.5, 7.5, higher_is_better=False))
        == NOT_ON_TRACK
    )


def test_total_target_and_no_data():
    assert indicator_status(ASSEMBLY, Target("total", 2023, total=32.0)) == ON_TRACK
    assert indicator_status([], Target("total", 2023, total=32.0)) == NO_DATA
    only_totals = [YearFigures(2023, None, None, 50.0)]
    assert indicator_status(only_totals, Target("gap", 2025, gap=1.0)) == NO_DATA
    hidden = [YearFigures(2023, SUPPRESSED, SUPPRESSED, 14)]
    assert indicator_status(hidden, Target("values", 2025, women=10, men=10)) == NO_DATA


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], NO_DATA),
        ([NO_DATA, NO_DATA], NO_DATA),
        ([ON_TRACK, NO_DATA], ON_TRACK),
        ([ON_TRACK, NOT_ON_TRACK], NOT_ON_TRACK),
    ],
)
def test_goal_status_from_its_indicators(statuses, expected):
    assert goal_status(statuses) == expected
