"""School years (läsår): stored as the calendar year they start in, written 2025/26."""

import datetime as dt
import re

# A Swedish school year runs from the autumn term to the spring term; July is the turn.
FIRST_MONTH = 7

_PATTERN = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})\s*$")


class SchoolYearError(ValueError):
    """A text that is not a school year such as 2025/26."""


def format_school_year(start_year: int | None) -> str:
    """2025 -> '2025/26'."""
    if start_year is None:
        return ""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_school_year(text: str) -> int:
    """'2025/26' -> 2025; raises SchoolYearError for anything else (2025/27, 25/26, 2025)."""
    match = _PATTERN.match(text or "")
    if not match:
        raise SchoolYearError(text)
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end or not 2000 <= start <= 2100:
        raise SchoolYearError(text)
    return start


def school_year_of(day: dt.date) -> int:
    """The school year a date belongs to: 2026-11-27 -> 2026 (2026/27)."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def current_school_year(today: dt.date | None = None) -> int:
    """The school year of today (or of the given day)."""
    return school_year_of(today or dt.date.today())


def school_year_span(start_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a school year: 2025 -> (2025-07-01, 2026-06-30)."""
    return dt.date(start_year, FIRST_MONTH, 1), dt.date(
        start_year + 1, FIRST_MONTH, 1
    ) - dt.timedelta(days=1)
