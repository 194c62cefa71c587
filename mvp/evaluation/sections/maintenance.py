"""Maintenance: whether each school went on with MVP groups the school year after; and the
follow-up comparison (made by effectiveness.py)."""

import datetime as dt
from collections import Counter

from mvp.evaluation import text
from mvp.evaluation.results import Comparison, ContinuationRow, Maintenance
from mvp.evaluation.sections.frame import Frame
from mvp.schools.years import current_school_year, format_school_year


def maintenance(
    follow_up: Comparison, continuation: list, groups: list, frame: Frame, today: dt.date
) -> Maintenance:
    """Continuation per school and year of the selection, as it stands on `today`."""
    result = Maintenance(follow_up=follow_up)
    groups_next = Counter()
    for row in continuation:
        groups_next[(row.school_id, row.school_year)] += int(row.groups)
    current = current_school_year(today)
    places = sorted(
        {(g.school_id, g.school_year) for g in groups},
        key=lambda p: (frame.school_names[p[0]], p[1]),
    )
    continuing = decided = pending = 0
    for school, year in places:
        n = groups_next[(school, year + 1)]
        if year + 1 > current:
            status, count = "not_yet", None
            pending += 1
        else:
            status, count = ("continues" if n else "stopped"), n
            decided += 1
            continuing += int(bool(n))
        result.continuation.append(
            ContinuationRow(
                key=str(school),
                name=frame.school_names[school],
                school_year=format_school_year(year),
                next_year=format_school_year(year + 1),
                groups_next=count,
                status=status,
            )
        )
    result.finding = text.continuation_finding(continuing, decided, pending)
    return result
