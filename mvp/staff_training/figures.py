"""The training's coverage as equality indicators: the share of the municipality's managers,
and of its staff, trained by the end of each year, by sex.

Computed by the coverage module the training's pages use (mvp.staff_training.coverage), over
every administration, and suppressed as the yearly status suppresses its counts.
"""

import datetime as dt

from flask import current_app

from mvp.evaluation.suppress import SUPPRESSED, suppress_counts
from mvp.staff_training import coverage as cov
from mvp.staff_training.models import StaffRole


def _percent(trained, headcount) -> object:
    if trained == SUPPRESSED:
        return SUPPRESSED
    return round(trained / headcount * 100, 1) if headcount else None


def trained_by_year(role: str) -> list:
    """Per year from the first occasion held to this year: the share (%) of women, of men and
    of all in `role` trained by 31 December (by today for the year under way)."""
    from mvp.goals.follow_up import YearFigures

    records = cov.load_records()
    days = [r.first_on for r in records.named] + [r.held_on for r in records.counted]
    if not days:
        return []
    today = dt.date.today()
    config = current_app.config
    threshold = float(config["STAFF_TRAINING_MANAGERS_FIRST"])
    min_n = int(config["STAFF_TRAINING_SUPPRESSION_MIN"])
    figures = []
    for year in range(min(days).year, today.year + 1):
        administrations = cov.coverage(records, min(dt.date(year, 12, 31), today), threshold)
        cells = cov.sum_cells(entry.cells for entry in administrations)
        by_sex = {sex: cells[(role, sex)] for sex in cov.SEXES}
        shown, total = suppress_counts(
            {sex: by_sex[sex].trained for sex in cov.HEADCOUNT_SEXES},
            min_n,
            total=by_sex[cov.TOTAL].trained,
        )
        women, men = (_percent(shown[s], by_sex[s].headcount) for s in cov.HEADCOUNT_SEXES)
        figures.append(YearFigures(year, women, men, _percent(total, by_sex[cov.TOTAL].headcount)))
    return figures


def managers_trained() -> list:
    """The managers' share trained per year, by sex."""
    return trained_by_year(StaffRole.MANAGER)


def staff_trained() -> list:
    """The staff's share trained per year, by sex."""
    return trained_by_year(StaffRole.STAFF)
