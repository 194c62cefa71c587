"""Build the Evaluation of a selection: load, compute, suppress once, round once.

Everything a reader sees — web page, PDF, Excel sheet or JSON — is drawn from the object
this returns; none of them queries the database or computes a statistic of its own. Each
section is a function of its own in mvp.evaluation.sections; this module only threads them.
"""

import datetime as dt

from flask import current_app
from flask_babel import force_locale, get_locale

from mvp.evaluation import data
from mvp.evaluation.collector import collector_paused
from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.language import writing_in
from mvp.evaluation.results import Evaluation, Reach, Summary
from mvp.evaluation.sections import (
    adoption,
    effectiveness,
    frame,
    implementation,
    maintenance,
    meta,
    method,
    reach,
    responses,
    rollout,
    schools,
    summary,
)


def build_evaluation(
    selection: EvaluationFilter, *, language: str | None = None, today: dt.date | None = None
) -> Evaluation:
    """The evaluation of a checked selection, in the given language (default: the reader's)."""
    with collector_paused():
        if language:
            with force_locale(language), writing_in():
                return _build(selection, language, today or dt.date.today())
        with writing_in():
            return _build(selection, str(get_locale() or "sv"), today or dt.date.today())


def _build(selection: EvaluationFilter, language: str, today: dt.date) -> Evaluation:
    """Load the rows once, then the sections in the order their inputs need:

    1. frame — the schools, groups asked and answers counted, shared by every section;
    2. reach — the pupils per school and sex, protected: response rates and attendance are
       shown only where these counts are;
    3. responses — the answers per phase, protected; the rates need 2;
    4. adoption — from the leaders and trainings only;
    5. implementation — attendance is hidden where 2 hides the pupils;
    6. effectiveness — the instruments' structure and the comparisons (with their own
       suppression, in the outcome builder); "follow_up" goes on to maintenance;
    7. maintenance — continuation, and the follow-up from 6;
    8. rollout — from the rollout summary only;
    9. schools — one section per school, reusing 2, 3, 4, 5 and 6's outcome builder;
    10. method — needs 6's structure and the effectiveness' linkage; then the texts;
    11. summary — last, from the finished evaluation.
    """
    min_n = int(current_app.config["SUPPRESSION_MIN"])
    raw = data.load(selection, today)
    shared = frame.frame(raw, today, min_n)
    pupil_rows, pupil_total, pupils = reach.pupils(raw.groups, raw.schools, shared, min_n)
    phase_responses, answers = responses.responses(raw.groups, shared, pupils, min_n)
    adopted = adoption.adoption(raw.schools, raw.leaders, raw.trainings, raw.groups, shared.schools)
    implemented = implementation.implementation(raw.fidelity, raw.leaders, shared, pupils)
    instruments = effectiveness.structure(raw.items, language)
    comparisons, outcome = effectiveness.outcomes(raw, shared, instruments, min_n)
    evaluation = Evaluation(
        meta=meta.meta(
            selection,
            raw.groups,
            shared,
            municipality=current_app.config["MUNICIPALITY_NAME"],
            today=today,
            language=language,
            min_n=min_n,
        ),
        has_data=bool(raw.groups),
        notices=meta.notices(selection, raw.groups, shared, today),
        summary=Summary(),
        reach=Reach(pupil_rows, pupil_total, phase_responses, shared.set_aside_phases),
        adoption=adopted,
        implementation=implemented,
        effectiveness=comparisons["after"],
        maintenance=maintenance.maintenance(
            comparisons["follow_up"], raw.continuation, raw.groups, shared, today
        ),
        rollout=rollout.rollout(raw.rollout, selection),
        schools=schools.school_sections(
            raw.groups,
            shared,
            pupil_rows=pupil_rows,
            pupils=pupils,
            answers=answers,
            adoption=adopted,
            implementation=implemented,
            outcome=outcome,
            min_n=min_n,
        ),
        method=method.method(raw.waves, raw.items, instruments, comparisons["after"], min_n),
        texts=method.texts(raw.texts),
    )
    evaluation.summary = summary.summary(evaluation, len(raw.groups))
    return evaluation
