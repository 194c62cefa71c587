"""The evaluation's cover: what was selected, when, in which language; and its notices."""

import datetime as dt

from flask_babel import gettext as _

from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.results import Meta
from mvp.evaluation.sections.frame import Frame
from mvp.schools.years import format_school_year

PROGRAMME = "MVP – Mentorer i våldsprevention"


def notices(selection: EvaluationFilter, groups: list, frame: Frame, today: dt.date) -> list[str]:
    """What the reader must know first: no groups, no answers yet, a school year under way."""
    found: list[str] = []
    if not groups:
        found.append(_no_groups_notice(selection))
    elif not frame.all_responses:
        found.append(_("No questionnaires have been answered in the selection yet."))
    if groups and today <= selection.last_day:
        found.append(
            _(
                "School year %(year)s is under way: lessons, supervision and answers are "
                "counted up to today, %(today)s, and the dose is of the whole plan.",
                year=format_school_year(max(selection.years)),
                today=today.isoformat(),
            )
        )
    return found


def _no_groups_notice(selection: EvaluationFilter) -> str:
    if selection.grades or selection.plan_ids or selection.chosen_schools:
        return _(
            "No MVP pupil groups match the selection for %(period)s. Choose other schools, "
            "grades or lesson plans.",
            period=selection.period,
        )
    return _(
        "There are no MVP pupil groups in school year %(period)s among the schools you may see.",
        period=selection.period,
    )


def meta(
    selection: EvaluationFilter,
    groups: list,
    frame: Frame,
    *,
    municipality: str,
    today: dt.date,
    language: str,
    min_n: int,
) -> Meta:
    """The cover of the evaluation of `selection` (its `groups`), made on `today`."""
    plans = list(selection.plan_names) or sorted({g.plan_name for g in groups if g.plan_name})
    return Meta(
        municipality=municipality,
        programme=PROGRAMME,
        period=selection.period,
        school_years=[format_school_year(y) for y in selection.years],
        schools=[frame.school_names[s] for s in frame.schools] or list(selection.school_names),
        grades=sorted({g.grade for g in groups}),
        plans=plans,
        made_on=today.isoformat(),
        language=language,
        suppression_min=min_n,
        all_schools=selection.school_ids is None,
        filters=selection.as_dict(),
    )
