"""The evaluation's figures against an independent computation from the raw rows.

Scale scores are recomputed here from the Answer rows (not from the stored ScaleScore), pairs
from ResponseLink, lessons from Lesson rows; the statistics with numpy and scipy directly.
"""

import datetime as dt
import math
from collections import defaultdict

import numpy as np
import pytest
import sqlalchemy as sa
from scipy import stats as sps

from mvp.evaluation.build import build_evaluation
from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.suppress import SUPPRESSED
from mvp.extensions import db
from mvp.lessons.models import Lesson, lesson_leader
from mvp.schools.models import StudentGroup
from mvp.surveys.models import Answer, Item, Response, ResponseLink, Scale, Wave
from tests.evaluation.conftest import build_pilot
from tests.evaluation.factories import make_cohort


def close(value, expected, decimals):
    """The evaluation's rounded figure equals the independent one, to its decimals."""
    assert value == pytest.approx(expected, abs=0.5 * 10**-decimals + 1e-9)


def raw_respondents():
    """The responses the evaluation shows (see shown_responses)."""
    rows = db.session.execute(
        sa.select(Response.id, Response.sex, Wave.phase, Wave.group_id).join(
            Wave, Wave.id == Response.wave_id
        )
    )
    shown = shown_responses()
    return {row.id: row for row in rows if row.id in shown}


def shown_responses(min_n=10):
    """Responses the evaluation shows: all but those of a school's "other" or "no answer"
    pupils in a phase where they are fewer than the threshold (they are set aside)."""
    rows = list(
        db.session.execute(
            sa.select(Response.id, Response.sex, Wave.phase, StudentGroup.school_id)
            .join(Wave, Wave.id == Response.wave_id)
            .join(StudentGroup, StudentGroup.id == Wave.group_id)
        )
    )
    residual = defaultdict(int)
    for row in rows:
        if row.sex in ("other", "no_answer"):
            residual[(row.phase, row.school_id, row.sex)] += 1
    return {
        row.id
        for row in rows
        if not 0 < residual.get((row.phase, row.school_id, row.sex), 0) < min_n
    }


def raw_scale_indexes():
    """{scale key: {response id: index}} from the answers, valid with two thirds answered,
    of the responses shown."""
    rows = db.session.execute(
        sa.select(Answer.response_id, Answer.value, Item.kind, Item.reverse, Scale.key)
        .join(Item, Item.id == Answer.item_id)
        .join(Scale, Scale.id == Item.scale_id)
    )
    values, kinds = defaultdict(list), {}
    for row in rows:
        kinds[row.key] = row.kind
        if row.value is None:
            continue
        value = row.value
        if row.reverse:
            value = 5 - value if row.kind == "agreement" else 1 - value
        values[(row.key, row.response_id)].append(value)
    items = dict(
        db.session.execute(
            sa.select(Scale.key, sa.func.count(Item.id))
            .join(Item, Item.scale_id == Scale.id)
            .group_by(Scale.key)
        ).all()
    )
    result = defaultdict(dict)
    shown = shown_responses()
    for (key, response_id), answered in values.items():
        if len(answered) * 3 < 2 * items[key] or response_id not in shown:
            continue
        mean = sum(answered) / len(answered)
        index = (mean - 1) / 3 * 100 if kinds[key] == "agreement" else mean * 100
        result[key][response_id] = index
    return result


def raw_pairs(phase="after"):
    """Links of a phase between two shown responses."""
    shown = shown_responses()
    return [
        row
        for row in db.session.execute(
            sa.select(ResponseLink.before_id, ResponseLink.later_id).where(
                ResponseLink.later_phase == phase
            )
        )
        if row.before_id in shown and row.later_id in shown
    ]


def hundredths(values):
    """Index values as whole hundredths, as stored: ranks are taken on these."""
    return np.rint(np.asarray(values) * 100)


def wilcoxon(change):
    change = hundredths(change)
    nonzero = change[change != 0]
    ties = len(np.unique(np.abs(nonzero))) < len(nonzero)
    method = "exact" if len(nonzero) <= 50 and not ties else "approx"
    return sps.wilcoxon(nonzero, method=method).pvalue


def holm(pvalues):
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    adjusted, running = [0.0] * len(pvalues), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(pvalues) - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


@pytest.fixture
def evaluation(pilot):
    return build_evaluation(EvaluationFilter(years=(pilot.year,)), language="sv")


def test_linked_change_per_scale_equals_an_independent_computation(pilot, evaluation):
    indexes = raw_scale_indexes()
    pairs = raw_pairs()
    expected, pvalues = {}, []
    for scale in evaluation.effectiveness.scales:
        scores = indexes[scale.key]
        linked = [(scores[b], scores[la]) for b, la in pairs if b in scores and la in scores]
        before, after = np.array(linked).T
        change = after - before
        interval = sps.t.interval(0.95, len(change) - 1, change.mean(), sps.sem(change))
        expected[scale.key] = (len(change), before.mean(), after.mean(), change, interval)
        pvalues.append(wilcoxon(change))
    for scale, p_holm in zip(evaluation.effectiveness.scales, holm(pvalues), strict=True):
        n, before, after, change, (low, high) = expected[scale.key]
        p = scale.paired
        assert p.n == n
        close(p.before_index, before, 1)
        close(p.later_index, after, 1)
        close(p.change, change.mean(), 1)
        close(p.ci_low, low, 1)
        close(p.ci_high, high, 1)
        close(p.d_z, change.mean() / change.std(ddof=1), 2)
        # p is kept exact (rounded once, when written): equal to the last bits.
        assert p.p_holm == pytest.approx(p_holm, rel=1e-9)
    # The pilot was made with a lift in the hoped-for direction: the sentences say so.
    assert any("steg från" in scale.finding for scale in evaluation.effectiveness.scales)


def test_all_answers_compared_equals_an_independent_computation(pilot, evaluation):
    indexes = raw_scale_indexes()
    people = raw_respondents()
    for scale in evaluation.effectiveness.scales:
        scores = indexes[scale.key]
        before = np.array([v for r, v in scores.items() if people[r].phase == "before"])
        after = np.array([v for r, v in scores.items() if people[r].phase == "after"])
        u = scale.unpaired
        assert (u.n_before, u.n_later) == (len(before), len(after))
        close(u.before_index, before.mean(), 1)
        close(u.later_index, after.mean(), 1)
        n1, n2 = len(before), len(after)
        pooled = math.sqrt(
            ((n1 - 1) * before.var(ddof=1) + (n2 - 1) * after.var(ddof=1)) / (n1 + n2 - 2)
        )
        g = (after.mean() - before.mean()) / pooled * (1 - 3 / (4 * (n1 + n2) - 9))
        close(u.hedges_g, g, 2)
        p = sps.mannwhitneyu(hundredths(after), hundredths(before), method="asymptotic").pvalue
        assert u.p == pytest.approx(p, rel=1e-9)


def test_girls_results_equal_an_independent_computation(pilot, evaluation):
    indexes = raw_scale_indexes()
    people = raw_respondents()
    pairs = raw_pairs()
    for scale in evaluation.effectiveness.scales:
        scores = indexes[scale.key]
        girls = [
            scores[la] - scores[b]
            for b, la in pairs
            if b in scores and la in scores and people[b].sex == "girl"
        ]
        result = next(g for g in scale.by_sex if g.key == "girl").paired
        assert result.n == len(girls)
        close(result.change, np.mean(girls), 1)


def test_alpha_and_item_shares_equal_an_independent_computation(pilot, evaluation):
    people = raw_respondents()
    answers = defaultdict(dict)
    for row in db.session.execute(
        sa.select(Answer.response_id, Item.key, Answer.value, Answer.dont_know).join(Item)
    ):
        answers[row.response_id][row.key] = (row.value, row.dont_know)
    # Readiness: r1, r2 and r3, the last negatively worded (reverse-scored).
    complete = [
        [a["r1"][0], a["r2"][0], 5 - a["r3"][0]]
        for r, a in answers.items()
        if r in people
        and people[r].phase == "before"
        and all(a.get(k, (None,))[0] is not None for k in ("r1", "r2", "r3"))
    ]
    matrix = np.array(complete, dtype=float)
    k = matrix.shape[1]
    alpha = k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))
    readiness = next(s for s in evaluation.effectiveness.scales if s.key == "readiness")
    before_alpha = next(a for a in readiness.alpha if a.phase == "before")
    assert before_alpha.n == len(complete)
    close(before_alpha.alpha, alpha, 2)

    answered = [
        a["r3"]
        for r, a in answers.items()
        if r in people and people[r].phase == "before" and "r3" in a
    ]
    positive = sum(1 for value, _dk in answered if value is not None and value >= 3)
    dont_know = sum(1 for _value, dk in answered if dk)
    item = next(i for i in evaluation.effectiveness.items if i.key == "r3")
    assert item.reverse
    overall = item.rows[0]
    assert overall.before.n == len(answered)
    close(overall.before.positive, positive / len(answered), 3)
    close(overall.before.dont_know, dont_know / len(answered), 3)
    yes = [
        a["v1"]
        for r, a in answers.items()
        if r in people and people[r].phase == "after" and "v1" in a
    ]
    item = next(i for i in evaluation.effectiveness.items if i.key == "v1")
    close(item.rows[0].later.positive, sum(1 for v, _ in yes if v == 1) / len(yes), 3)


def test_linkage_and_baseline(pilot, evaluation):
    people = raw_respondents()
    pairs = raw_pairs()
    linkage = evaluation.effectiveness.linkage
    later = sum(1 for p in people.values() if p.phase == "after")
    assert linkage.pairs == len(pairs)
    assert linkage.later == later
    close(linkage.rate_later, len(pairs) / later, 3)
    indexes = raw_scale_indexes()["norms"]
    linked = {b for b, la in pairs if b in indexes and la in indexes}
    unlinked = [v for r, v in indexes.items() if people[r].phase == "before" and r not in linked]
    row = next(b for b in evaluation.effectiveness.baseline if b.key == "norms")
    assert row.n_unlinked == len(unlinked)
    close(row.unlinked_index, np.mean(unlinked), 1)


def test_reach_implementation_and_adoption_follow_the_definitions(pilot, evaluation):
    reach = evaluation.reach.total
    # 4 groups of 13 girls and 12 boys, 2 "other": the 2 are hidden, and the boys with them.
    assert (reach.girls, reach.boys, reach.others, reach.total) == (52, SUPPRESSED, SUPPRESSED, 102)
    # Pupils in the same grades: Långsjöskolan grade 8 (112), Hallsta grades 7 and 8 (56 + 53).
    assert reach.pupils_in_grades == 112 + 56 + 53
    close(reach.share_of_grades, 102 / 221, 3)

    rows = db.session.execute(
        sa.select(
            Lesson.id,
            Lesson.group_id,
            Lesson.number,
            Lesson.is_repeat,
            Lesson.delivered,
            Lesson.girls_present,
        )
    ).all()
    leaders = defaultdict(int)
    for lesson_id, _leader in db.session.execute(sa.select(lesson_leader)):
        leaders[lesson_id] += 1
    held = [r for r in rows if not r.is_repeat]
    distinct = sum(len({r.number for r in held if r.group_id == g.id}) for g in pilot.groups)
    total = evaluation.implementation.total
    assert (total.lessons_held, total.lessons_planned) == (distinct, 14 * len(pilot.groups))
    close(total.dose, distinct / (14 * len(pilot.groups)), 3)
    close(total.full_pair_share, sum(1 for r in held if leaders[r.id] >= 2) / len(held), 3)
    close(total.delivered_fully, sum(1 for r in held if r.delivered == "fully") / len(held), 3)
    assert total.repeat_lessons == len(rows) - len(held)
    close(
        total.attendance["girls"],
        sum(r.girls_present for r in held) / (13 * len(held)),
        3,
    )
    assert total.attendance["boys"] == SUPPRESSED  # hidden with the boys' count
    assert total.supervision_hours == 6.0
    adoption = evaluation.adoption
    assert (adoption.schools_participating, adoption.trained.total, adoption.active.total) == (
        2,
        4,
        4,
    )
    assert (adoption.trained.woman, adoption.trained.man) == (2, 2)


def test_the_evaluation_is_built_with_a_fixed_number_of_queries(app, count_queries):
    from mvp.rollout.terms import term_of
    from tests.factories import make_school
    from tests.rollout_factories import make_rollout

    pilot = build_pilot(groups_per_school=1)
    for school in pilot.schools.values():
        make_rollout(school, "first_round", term_of(dt.date.today()))
    selection = EvaluationFilter(years=(pilot.year,))
    with count_queries() as few:
        small = build_evaluation(selection)
    # Four more groups' answers, and a follow-up round for all of them.
    import random

    rng = random.Random(3)
    from tests.factories import make_group

    for index, school in enumerate(pilot.schools.values()):
        for name in ("9A", "9B"):
            group = make_group(school, name=f"{name}{index}", school_year=pilot.year, grade=8)
            make_cohort(group, pilot.instrument, rng=rng)
    for group in pilot.groups:
        make_cohort(group, pilot.instrument, rng=rng, later_phase="follow_up")
    # More schools in the rollout, at other stages.
    for stage in ("anchoring", "preparing", "first_round"):
        make_rollout(make_school(), stage, term_of(dt.date.today()) + 1)
    db.session.expire_all()
    with count_queries() as many:
        large = build_evaluation(selection)
    assert large.effectiveness.linkage.later > 2 * small.effectiveness.linkage.later
    assert large.maintenance.follow_up.available
    assert large.rollout.schools_active == small.rollout.schools_active + 3
    # Fourteen for the selection (three of them the delivery area's fidelity loader) and
    # four for the municipality's rollout.
    assert len(many) == len(few) == 18


def test_follow_up_is_compared_with_before_in_maintenance(app):
    import random

    pilot = build_pilot()
    rng = random.Random(11)
    for group in pilot.groups:
        make_cohort(group, pilot.instrument, rng=rng, later_phase="follow_up", lift=0.3)
    db.session.expire_all()
    evaluation = build_evaluation(EvaluationFilter(years=(pilot.year,)), language="sv")
    follow_up = evaluation.maintenance.follow_up
    pairs = raw_pairs("follow_up")
    assert follow_up.available and follow_up.linkage.pairs == len(pairs)
    scores = raw_scale_indexes()["norms"]
    change = np.array([scores[la] - scores[b] for b, la in pairs if b in scores and la in scores])
    norms = next(s for s in follow_up.scales if s.key == "norms")
    assert norms.paired.n == len(change)
    close(norms.paired.change, change.mean(), 1)
    assert "vid uppföljningen" in norms.finding
    assert follow_up.findings and follow_up.findings == evaluation.summary.follow_up


def test_several_school_years_together(app):
    from tests.factories import make_group

    pilot = build_pilot(groups_per_school=1)
    school = pilot.schools["Långsjöskolan"]
    make_group(school, name="8N", school_year=pilot.year + 1, grade=8)
    evaluation = build_evaluation(EvaluationFilter(years=(pilot.year, pilot.year + 1)))
    assert evaluation.meta.period.count("/") == 2 and "–" in evaluation.meta.period
    assert evaluation.reach.total.groups == 3
    continuation = {(row.name, row.school_year): row for row in evaluation.maintenance.continuation}
    first = continuation[("Långsjöskolan", evaluation.meta.school_years[0])]
    assert (first.status, first.groups_next) == ("continues", 1)
    assert continuation[("Hallsta skola", evaluation.meta.school_years[0])].status == "stopped"
    assert continuation[("Långsjöskolan", evaluation.meta.school_years[1])].status == "not_yet"


def test_response_rates_and_follow_up_comparisons_look_at_the_groups_asked(app):
    import random

    from tests.evaluation.factories import make_wave

    pilot = build_pilot()
    # Nobody asked at follow-up yet: there is no rate, not a hidden one (the boys' count is).
    nobody = build_evaluation(EvaluationFilter(years=(pilot.year,))).reach.responses[2]
    assert nobody.groups_with_wave == 0 and nobody.rate is None and nobody.rate_boys is None
    rng = random.Random(5)
    langsjo_id = pilot.schools["Långsjöskolan"].id
    asked = [g for g in pilot.groups if g.school_id == langsjo_id]
    for group in asked:
        make_cohort(group, pilot.instrument, rng=rng, later_phase="follow_up", lift=0.3)
    # A follow-up questionnaire that has not opened yet asks nobody so far.
    later = next(g for g in pilot.groups if g.school_id != langsjo_id)
    make_wave(later, "follow_up", pilot.instrument, opens_on=dt.date.today() + dt.timedelta(30))
    db.session.expire_all()
    evaluation = build_evaluation(EvaluationFilter(years=(pilot.year,)), language="sv")

    people = raw_respondents()
    asked_ids = {g.id for g in asked}
    answered = sum(1 for p in people.values() if p.phase == "follow_up")
    follow_up = next(r for r in evaluation.reach.responses if r.phase == "follow_up")
    assert follow_up.groups_with_wave == 2 and follow_up.groups == 4
    close(follow_up.rate, answered / sum(g.girls + g.boys + g.others for g in asked), 3)
    after = next(r for r in evaluation.reach.responses if r.phase == "after")
    all_pupils = sum(g.girls + g.boys + g.others for g in pilot.groups)
    close(after.rate, sum(1 for p in people.values() if p.phase == "after") / all_pupils, 3)

    # At follow-up, the answers before are those of the groups asked then.
    before = {r for r, p in people.items() if p.phase == "before" and p.group_id in asked_ids}
    comparison = evaluation.maintenance.follow_up
    assert comparison.linkage.before == len(before)
    close(comparison.linkage.rate_before, len(raw_pairs("follow_up")) / len(before), 3)
    indexes = raw_scale_indexes()["norms"]
    norms = next(s for s in comparison.scales if s.key == "norms")
    compared = [indexes[r] for r in before if r in indexes]
    assert norms.unpaired.n_before == len(compared)
    close(norms.unpaired.before_index, np.mean(compared), 1)
    linked = {b for b, _later in raw_pairs("follow_up")}
    baseline = next(row for row in comparison.baseline if row.key == "norms")
    assert baseline.n_unlinked == len([r for r in before if r in indexes and r not in linked])
    # After the lessons every group was asked: all answers before are compared.
    every = {r for r, p in people.items() if p.phase == "before"}
    assert evaluation.effectiveness.linkage.before == len(every) > len(before)
    norms_after = next(s for s in evaluation.effectiveness.scales if s.key == "norms")
    assert norms_after.unpaired.n_before == len([r for r in every if r in indexes])
