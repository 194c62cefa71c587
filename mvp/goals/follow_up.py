"""The follow-up of an indicator against its target: pure functions, checked by hand in tests.

Definitions (every figure is computed here and only here):

- **gap**: women's value minus men's value in the latest year with both; its size is the
  absolute value. Shown with a sign so the reader sees who is ahead.
- **direction**: the size of the gap in the latest year against the year before with both
  values: smaller is *narrowing*, larger *widening*, the same *unchanged*; with fewer than
  two such years there is no direction.
- **status** of an indicator, from its latest figures:
  * *no data* when the figures the target needs are missing (a hidden ".." counts as
    missing);
  * *on track* when the target is met already (every value at least — or, where lower is
    better, at most — its target; the gap at most the allowed gap), or when a straight line
    through the last two years with figures reaches the target by the target year;
  * *not on track* otherwise.
- **status of a goal**: *no data* when none of its indicators has data; *not on track* when
  any indicator with data is not on track; else *on track*.
"""

from dataclasses import dataclass

NO_DATA = "no_data"
ON_TRACK = "on_track"
NOT_ON_TRACK = "not_on_track"
NARROWING = "narrowing"
WIDENING = "widening"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class YearFigures:
    """An indicator's figures of one year; a figure is a number, None or ".." (hidden)."""

    year: int
    women: object = None
    men: object = None
    total: object = None


@dataclass(frozen=True)
class Target:
    """What an indicator aims at by `year` (kind: values, gap or total)."""

    kind: str
    year: int
    women: float | None = None
    men: float | None = None
    gap: float | None = None
    total: float | None = None
    higher_is_better: bool = True


def number(value) -> float | None:
    """A figure as a float, or None when it is missing or hidden."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _points(series: list[YearFigures], value) -> list[tuple[int, float]]:
    """(year, value) of the years where `value(figures)` is a number, oldest first."""
    points = []
    for figures in sorted(series, key=lambda f: f.year):
        v = value(figures)
        if v is not None:
            points.append((figures.year, v))
    return points


def _gap_of(figures: YearFigures) -> float | None:
    women, men = number(figures.women), number(figures.men)
    if women is None or men is None:
        return None
    return women - men


def latest_gap(series: list[YearFigures]) -> tuple[int, float] | None:
    """(year, women minus men) of the latest year with both values, or None."""
    points = _points(series, _gap_of)
    return points[-1] if points else None


def gap_direction(series: list[YearFigures]) -> str | None:
    """narrowing, widening or unchanged between the last two years with both values."""
    points = _points(series, _gap_of)
    if len(points) < 2:
        return None
    before, now = abs(points[-2][1]), abs(points[-1][1])
    if abs(now - before) < 1e-9:
        return UNCHANGED
    return NARROWING if now < before else WIDENING


def _projected(points: list[tuple[int, float]], year: int) -> float:
    """The value a straight line through the last two points reaches in `year`."""
    (y0, v0), (y1, v1) = points[-2], points[-1]
    slope = (v1 - v0) / (y1 - y0)
    return v1 + slope * (year - y1)


def _reaches(points, goal: float, year: int, at_least: bool) -> bool:
    """Met now, or a straight line through the last two points meets it by `year`."""
    latest = points[-1][1]

    def met(v: float) -> bool:
        return v >= goal - 1e-9 if at_least else v <= goal + 1e-9

    if met(latest):
        return True
    if len(points) < 2 or points[-1][0] >= year:
        return False
    return met(_projected(points, year))


def indicator_status(series: list[YearFigures], target: Target) -> str:
    """on_track, not_on_track or no_data (see the module's definitions)."""
    if target.kind == "gap":
        points = [(year, abs(gap)) for year, gap in _points(series, _gap_of)]
        if not points or target.gap is None:
            return NO_DATA
        return ON_TRACK if _reaches(points, target.gap, target.year, False) else NOT_ON_TRACK
    if target.kind == "total":
        checks = [("total", target.total)]
    else:
        checks = [("women", target.women), ("men", target.men)]
    results = []
    for name, goal in checks:
        points = _points(series, lambda f, n=name: number(getattr(f, n)))
        if not points or goal is None:
            return NO_DATA
        results.append(_reaches(points, goal, target.year, target.higher_is_better))
    return ON_TRACK if all(results) else NOT_ON_TRACK


def goal_status(statuses: list[str]) -> str:
    """A goal's status from its indicators' statuses."""
    known = [s for s in statuses if s != NO_DATA]
    if not known:
        return NO_DATA
    return NOT_ON_TRACK if NOT_ON_TRACK in known else ON_TRACK
