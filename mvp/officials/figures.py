"""The officials' headline as an equality indicator: the share feeling safe per year, by sex.

Read from the committee's own result object (mvp.officials.results), so the goal shows exactly
what the officials' results page shows, suppressed cells included.
"""

from mvp.evaluation.suppress import SUPPRESSED


def _percent(share) -> object:
    if share.share == SUPPRESSED:
        return SUPPRESSED
    return None if share.share is None else round(share.share * 100, 1)


def safe_by_year() -> list:
    """Per round's year: the share (%) of women, of men and of all who feel safe."""
    from mvp.goals.follow_up import YearFigures
    from mvp.officials import results

    return [
        YearFigures(
            year.year,
            _percent(year.safe["woman"]),
            _percent(year.safe["man"]),
            _percent(year.safe["all"]),
        )
        for year in results.build().trend
    ]
