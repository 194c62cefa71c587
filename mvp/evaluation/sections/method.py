"""The method appendix: instruments, scales, linkage, the suppression rule, tests, definitions;
and the report texts of the selected school years.

Needs the instruments' structure (effectiveness.structure) and the effectiveness' linkage.
"""

from flask_babel import gettext as _

from mvp.evaluation.numbers import fmt, fmt_share
from mvp.evaluation.outcomes import LOW_LINKAGE
from mvp.evaluation.results import Comparison, Method, ReportTexts
from mvp.evaluation.results import ScaleInfo as MethodScale
from mvp.evaluation.sections.effectiveness import Structure
from mvp.schools.years import format_school_year


def method(
    waves: list, item_rows: list, instruments: Structure, effectiveness: Comparison, min_n: int
) -> Method:
    """The appendix for the instruments (of `item_rows`) used by `waves`, as named in
    `instruments`."""
    result = Method()
    used = {w.instrument_id for w in waves}
    versions = sorted({(r.instrument, r.version, r.instrument_id) for r in item_rows})
    for key, version, instrument_id in versions:
        if instrument_id in used:
            result.instruments.append(
                _(
                    "%(name)s, version %(version)s (%(key)s)",
                    name=instruments.instruments[(key, version)],
                    version=version,
                    key=key,
                )
            )
    for scale in instruments.scales:
        result.scales.append(
            MethodScale(
                key=scale.key,
                name=scale.name,
                construct=scale.construct,
                kind=scale.kind,
                items=len(scale.items),
                reverse_items=sum(1 for r in scale.items if scale.reverse[r]),
            )
        )
    linkage = effectiveness.linkage
    result.linkage = [
        _(
            "Pupils answer anonymously. Before and later answers of the same pupil are "
            "linked through a self-generated code made of a few stable facts that only "
            "the pupil knows; the system keeps each element only as a keyed hash, never "
            "in clear. A pair is exact when every element agrees; one element may differ."
        ),
        _(
            "Of %(later)s answers after the lessons, %(pairs)s were linked to an answer "
            "before (%(rate)s): %(exact)s exactly and %(one)s with one element differing. "
            "%(differs)s linked pairs gave a different sex at the two times.",
            later=fmt(linkage.later),
            pairs=fmt(linkage.pairs),
            rate=fmt_share(linkage.rate_later),
            exact=fmt(linkage.exact),
            one=fmt(linkage.one_differs),
            differs=fmt(linkage.sex_differs),
        ),
        _(
            "Pupils who could not be linked may differ from those who could; the baseline "
            "table compares them, and where fewer than %(share)s of later answers are "
            "linked the comparison of all answers is reported beside the linked one.",
            share=fmt_share(LOW_LINKAGE, 0),
        ),
    ]
    result.suppression = [
        _(
            'Any figure based on fewer than %(n)s pupils is shown as "..". Zero is shown.',
            n=min_n,
        ),
        _(
            "Where a total, the other parts of a breakdown (sex, school, grade) or the "
            "difference between all answers and the linked ones would reveal a hidden "
            "figure, one more figure is hidden (the smallest, and linked results last). "
            "The rule is applied once, when the evaluation is built, before any table, "
            "chart or file is made."
        ),
        _(
            'Pupils who answered "other" or preferred not to say to the question about '
            "sex are shown in their own column only where they are at least %(n)s at a "
            "school in a phase (and, for a scale, among its answers and linked pairs). "
            "Where they are fewer, their answers are left out of that table's figures, "
            "totals included: hiding only their cell would force hiding the girls' or the "
            "boys' figure, which would otherwise give it back.",
            n=min_n,
        ),
        _(
            "Figures about staff (leaders and their trainings) are counts of people in "
            "their professional role and are not suppressed."
        ),
    ]
    result.tests = [
        _(
            "Scale scores are the mean of a pupil's answered items after reverse scoring, "
            "stored when the answer was saved, and shown as an index from 0 to 100 (100 "
            "is the hoped-for end); a score counts when at least two thirds of the scale's "
            "items were answered."
        ),
        _(
            "Linked pupils: the mean change in index points with its %(level)s confidence "
            "interval (Student's t), the effect size Cohen's d_z (mean change divided by "
            "the standard deviation of the changes) and the Wilcoxon signed-rank test.",
            level=fmt_share(0.95, 0),
        ),
        _("All answers: the difference of means, Hedges' g and the Mann–Whitney U test."),
        _(
            "P-values are two-sided and adjusted with Holm's method across the scales of "
            "each table. A change is called clear when its confidence interval lies on one "
            "side of zero and the adjusted p-value is below 0.05."
        ),
        _(
            "Effect sizes below 0.2 are called negligible, from 0.2 small, from 0.5 "
            "moderate and from 0.8 large."
        ),
        _(
            "Cronbach's alpha from the answers of pupils who answered every item of the "
            "scale, reverse-scored where an item is negatively worded."
        ),
        _(
            'Per question: the share of positive answers (the top two steps, or "yes") and '
            'the share "don\'t know", both of everyone who answered the question.'
        ),
        _("A linked pair belongs to the sex, school and grade of its answer before the lessons."),
    ]
    result.definitions = [
        _(
            "Dose: the distinct lesson numbers held (repeats excluded) divided by the "
            "lessons in the group's lesson plan."
        ),
        _("Leader pairs: the share of held lessons (repeats excluded) led by two leaders."),
        _("As planned: the share of held lessons (repeats excluded) delivered fully."),
        _(
            "Attendance: pupils present at the held lessons (repeats excluded) divided by "
            "the group's pupils times those lessons, by sex."
        ),
        _(
            "Supervision: hours of supervision held for the school in the period (up to "
            "today), and per active leader the hours of supervision attended."
        ),
        _(
            "Trained leader: attended a leader training that was over by the end of the "
            "period (or today, if earlier). Active leader: led at least one lesson in the "
            "selection."
        ),
        _(
            "Share of the schools' pupils: pupils in MVP groups divided by the pupils in "
            "the same grades of the participating schools, as registered for each school."
        ),
        _(
            "Response rate: answers in a phase divided by the registered pupils of the "
            "groups asked in that phase, that is whose questionnaire had opened when the "
            "evaluation was made."
        ),
        _(
            "All answers compared, the shares of linked answers and the questions compare "
            "the answers after the lessons (or at follow-up) with the answers before of the "
            "same groups: those asked in the later phase."
        ),
    ]
    return result


def texts(report_texts: list) -> list[ReportTexts]:
    """The lessons learned and next steps written for the selected school years."""
    return [
        ReportTexts(format_school_year(t.school_year), t.lessons_learned, t.next_steps)
        for t in report_texts
        if t.lessons_learned.strip() or t.next_steps.strip()
    ]
