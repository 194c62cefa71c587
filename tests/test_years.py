"""School years: written 2025/26, turning on 1 July."""

import datetime as dt

import pytest

from mvp.schools.years import (
    SchoolYearError,
    current_school_year,
    format_school_year,
    parse_school_year,
    school_year_span,
)


@pytest.mark.parametrize("text", ["2025/26", " 2025 / 26 "])
def test_parse(text):
    assert parse_school_year(text) == 2025


@pytest.mark.parametrize("text", ["2025/27", "25/26", "2025", "2025-26", "", "1899/00", "abcd/ef"])
def test_malformed_school_years_are_refused(text):
    with pytest.raises(SchoolYearError):
        parse_school_year(text)


def test_format_and_century_turn():
    assert format_school_year(2025) == "2025/26"
    assert format_school_year(2099) == "2099/00"
    assert parse_school_year("2099/00") == 2099


def test_the_school_year_turns_on_the_first_of_july():
    assert current_school_year(dt.date(2026, 6, 30)) == 2025
    assert current_school_year(dt.date(2026, 7, 1)) == 2026
    assert current_school_year(dt.date(2026, 11, 27)) == 2026
    assert school_year_span(2025) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
