"""The comparisons' figures about people, split by sex: linkage, reliability, the baseline of
linked and unlinked pupils, and the scales by school and by grade.

The scales' cells by sex (school × sex, grade × sex, the unlinked answers before by sex) are
protected with every other cell of the scale, in one run of the rule (mvp.evaluation.outcomes);
the linkage and the complete answers behind Cronbach's alpha are counts of their own and are
protected here, each as a total and its sexes (a small sex hidden with a second one, never the
total already shown), named as keys.Cell of kind LINKAGE and COMPLETE. Runs after the
comparisons are made (effectiveness.outcomes).
"""

import numpy as np

from mvp.evaluation import stats
from mvp.evaluation.keys import COMPLETE, LINKAGE, Cell
from mvp.evaluation.labels import PUPIL_SEX_LABELS, label
from mvp.evaluation.numbers import rounded
from mvp.evaluation.outcomes import PHASE_CODES, OutcomeBuilder
from mvp.evaluation.results import (
    PUPIL_SEXES,
    AlphaGroup,
    AlphaResult,
    Comparison,
    Linkage,
    LinkageGroup,
    SubgroupResult,
)
from mvp.evaluation.suppress import SUPPRESSED, Line, Protection, protect
from mvp.schools.grades import grade_label

# A total is already published (unsplit) before its sexes are protected: never the one hidden.
_TOTAL_PRIORITY = 9


def split_by_sex(comparisons: dict[str, Comparison], outcome: OutcomeBuilder, min_n: int) -> None:
    """Add the by-sex figures to each available comparison (in place)."""
    for phase, comparison in comparisons.items():
        if not comparison.available:
            continue
        comparison.linkage.by_sex = linkage_by_sex(outcome, phase, comparison.linkage, min_n)
        for scale, work, baseline in zip(
            comparison.scales, outcome.works, comparison.baseline, strict=True
        ):
            scale.by_school_sex = crossed(
                outcome,
                work,
                phase,
                [("school_sex", s, x) for s in outcome.cells.schools for x in PUPIL_SEXES],
            )
            scale.by_grade_sex = crossed(
                outcome,
                work,
                phase,
                [("grade_sex", g, x) for g in outcome.cells.grades for x in PUPIL_SEXES],
            )
            for alpha in scale.alpha:
                alpha.by_sex = alpha_by_sex(outcome, work.info, alpha, min_n)
            baseline.by_sex = [outcome.baseline(work, phase, ("sex", sex)) for sex in PUPIL_SEXES]


def crossed(outcome: OutcomeBuilder, work, phase: str, cells: list[tuple]) -> list[SubgroupResult]:
    """Results of school × sex or grade × sex cells: `key` and `label` name the school or
    grade, `sex` and `sex_label` the sex."""
    results = outcome.subgroups(work, phase, cells)
    for result, cell in zip(results, cells, strict=True):
        place = cell[-2]
        result.sex, result.sex_label = cell[-1], result.label
        result.key = str(place)
        if cell[0] == "school_sex":
            result.label = outcome.school_names.get(place, str(place))
        else:
            result.label = grade_label(place)
    return results


def _protect_by_sex(totals: dict[str, int], by_sex: dict[str, np.ndarray], min_n: int, cell):
    """Protect each measure's sexes under its total; where the total is itself hidden by the
    unsplit figure (`totals` value None), every sex of it is hidden too. `cell(measure, sex)`
    names the counts (sex None: the total); sizes and protection are by those cells."""
    sizes, lines, priority = {}, [], {}
    for measure, counts in by_sex.items():
        total = cell(measure, None)
        sizes[total] = int(counts.sum())
        priority[total] = _TOTAL_PRIORITY
        members = []
        for n, sex in enumerate(PUPIL_SEXES):
            sizes[cell(measure, sex)] = int(counts[n])
            members.append(cell(measure, sex))
        lines.append(Line(total, tuple(members)))
    shown = protect(sizes, lines, min_n, priority=priority)
    hidden = set(shown.hidden)
    for measure, total in totals.items():
        if total is None or not shown.shows(cell(measure, None)):
            # The total the reader has is hidden, or the sexes would give a small one back.
            hidden |= {cell(measure, sex) for sex in PUPIL_SEXES}
    return sizes, Protection(hidden)


def _sex_counts(sex_codes: np.ndarray) -> np.ndarray:
    """How many of each sex in PUPIL_SEXES (a code of -1, no sex known, is left out)."""
    return np.bincount(sex_codes + 1, minlength=len(PUPIL_SEXES) + 1)[1:]


def linkage_by_sex(
    outcome: OutcomeBuilder, phase: str, total: Linkage, min_n: int
) -> list[LinkageGroup]:
    """Answers before and later, pairs and shares linked, for each sex.

    A pair counts with the sex given before in the pairs and the share of answers before
    linked, and with the sex given later in the share of later answers linked.
    """
    before_ids, later_ids, _exact = outcome.links[phase]
    counts = {
        "before": _sex_counts(outcome.sex[outcome.compared[phase]]),
        "later": _sex_counts(outcome.sex[outcome.phase == PHASE_CODES[phase]]),
        "pairs": _sex_counts(outcome.sex[before_ids]),
        "linked_later": _sex_counts(outcome.sex[later_ids]),
    }
    published = {
        "before": total.before,
        "later": total.later,
        "pairs": total.pairs,
        "linked_later": total.pairs,
    }

    def cell(measure, sex):
        return Cell(LINKAGE, sex=sex, phase=phase, family=measure)

    sizes, shown = _protect_by_sex(
        {m: None if v == SUPPRESSED else v for m, v in published.items()}, counts, min_n, cell
    )

    def figure(measure, sex):
        return sizes[cell(measure, sex)] if shown.shows(cell(measure, sex)) else SUPPRESSED

    def rate(numerator, denominator, sex):
        if not (shown.shows(cell(numerator, sex)) and shown.shows(cell(denominator, sex))):
            return SUPPRESSED
        if sizes[cell(denominator, sex)] == 0:
            return None
        return rounded(sizes[cell(numerator, sex)] / sizes[cell(denominator, sex)], "share")

    return [
        LinkageGroup(
            key=sex,
            label=label(PUPIL_SEX_LABELS, sex),
            before=figure("before", sex),
            later=figure("later", sex),
            pairs=figure("pairs", sex),
            rate_before=rate("pairs", "before", sex),
            rate_later=rate("linked_later", "later", sex),
        )
        for sex in PUPIL_SEXES
    ]


def alpha_by_sex(
    outcome: OutcomeBuilder, scale, total: AlphaResult, min_n: int
) -> list[AlphaGroup]:
    """Cronbach's alpha of one phase's complete answers, for each sex."""
    matrix, sex_codes = outcome.complete_answers(scale, total.phase)
    counts = {"complete": _sex_counts(sex_codes)}

    def cell(_measure, sex):
        return Cell(COMPLETE, sex=sex, phase=total.phase)

    sizes, shown = _protect_by_sex(
        {"complete": None if total.n == SUPPRESSED else total.n}, counts, min_n, cell
    )
    groups = []
    for code, sex in enumerate(PUPIL_SEXES):
        n = sizes[cell("complete", sex)]
        if not shown.shows(cell("complete", sex)):
            n, alpha = SUPPRESSED, SUPPRESSED
        elif n == 0:
            alpha = None
        else:
            alpha = rounded(stats.cronbach_alpha(matrix[sex_codes == code]), "alpha")
        groups.append(AlphaGroup(sex, label(PUPIL_SEX_LABELS, sex), n, alpha))
    return groups
