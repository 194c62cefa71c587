"""Rollout: the municipality's plan as it stands today, or the selection's schools.

From the rollout summary only (loaded with the rows); figures about schools, not people,
so neither broken down by sex nor suppressed.
"""

from flask_babel import gettext as _

from mvp.evaluation import text
from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.numbers import rounded
from mvp.evaluation.results import (
    Rollout,
    RolloutBandRow,
    RolloutSchoolRow,
    RolloutStageRow,
    RolloutTermRow,
)
from mvp.evaluation.sections.shares import share
from mvp.rollout.plan import RolloutSummary, StageCount
from mvp.rollout.stages import stage_label


def rollout(summary: RolloutSummary, selection: EvaluationFilter) -> Rollout:
    """The rollout as it stands today: the municipality's plan, or the selection's schools.

    Readers who may see the rollout plan (leads, administrators, viewers, the command line)
    get the whole municipality when they choose no school; an evaluation of chosen schools,
    and a coordinator's evaluation of their own, shows only those schools' stages and
    readiness, without the projection by term. Grades and lesson plans do not narrow it.
    """
    whole = selection.whole_rollout and not selection.chosen_schools
    wanted = None if whole else set(selection.school_ids or ())

    def mine(plans):
        return [p for p in plans if wanted is None or p.school_id in wanted]

    schools = mine(summary.schools)
    eligible = [p for p in schools if p.eligible]
    running = [p for p in eligible if p.running]
    if whole:
        stages = summary.stages
    else:
        stages = [
            StageCount(count.stage, sum(1 for p in schools if p.stage == count.stage))
            for count in summary.stages
        ]
    outside = mine(summary.unplanned) + mine(summary.overdue)
    rollout = Rollout(
        scope="municipality" if whole else "schools",
        as_of=summary.today.isoformat(),
        current_term=summary.current_term.label,
        schools_active=len(schools),
        schools_eligible=len(eligible),
        schools_running=len(running),
        running_share=share(len(running), len(eligible)),
        schools_remaining=len(eligible) - len(running),
        complete_in=(
            summary.complete_in.label if whole and summary.complete_in is not None else None
        ),
        team_min=summary.team_min,
        stages=[
            RolloutStageRow(count.stage, stage_label(count.stage), count.schools)
            for count in stages
        ],
        schools=[
            RolloutSchoolRow(
                key=str(p.school_id),
                name=p.name,
                stage=p.stage,
                stage_label=stage_label(p.stage),
                target_term=p.target.label if p.target else None,
                pupils_targeted=p.pupils_targeted,
                trained_leaders=p.trained_leaders,
                ready_items=p.ready_items,
                total_items=p.total_items,
            )
            for p in schools
        ],
        overdue=[p.name for p in mine(summary.overdue)],
        unplanned=[p.name for p in mine(summary.unplanned)],
        not_targeted=[p.name for p in mine(summary.not_targeted)],
    )
    if whole:
        rollout.now = _bands(summary.now)
        rollout.terms = [
            RolloutTermRow(
                key=term.term.value,
                label=term.term.label,
                current=term.term == summary.current_term,
                starting=[p.name for p in term.starting],
                schools_running=term.schools_running,
                schools_share=rounded(term.schools_share, "share"),
                leaders_to_train_minimum=term.leaders_to_train_minimum,
                leaders_to_train_recommended=term.leaders_to_train_recommended,
                pupils_starting=term.pupils_starting,
                pupils_reached=term.pupils_reached,
                bands=_bands(term.bands),
            )
            for term in summary.terms
        ]
    rollout.finding = text.rollout_finding(
        rollout.schools_running,
        rollout.schools_eligible,
        rollout.running_share,
        municipality=whole,
        complete_in=rollout.complete_in,
        outside_plan=len(outside),
    )
    rollout.notes = [
        _(
            "These figures are about schools and the schools' registered pupil numbers, not "
            "about people's answers, so they are neither broken down by sex nor suppressed."
        ),
        _(
            "The rollout is shown as it stands on %(date)s, whatever school years are chosen.",
            date=rollout.as_of,
        ),
        _scope_note(whole, selection),
    ]
    return rollout


def _scope_note(whole: bool, selection: EvaluationFilter) -> str:
    if whole:
        return _(
            "It covers every active school of the municipality, whatever grades or lesson "
            "plans are chosen."
        )
    if selection.whole_rollout:
        return _(
            "It covers the chosen schools only; choose no school to see the municipality's "
            "plan term by term."
        )
    return _(
        "It covers the schools of the selection only; the municipality's plan term by term "
        "is kept by the project leads."
    )


def _bands(bands) -> list[RolloutBandRow]:
    """The grade bands MVP targets, with the share of their pupils reached."""
    return [
        RolloutBandRow(
            band.band,
            band.label,
            band.pupils_total,
            band.pupils_reached,
            rounded(band.share, "share"),
        )
        for band in bands
        if band.targeted
    ]
