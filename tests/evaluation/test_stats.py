"""The statistics against hand calculations and against numpy/scipy used directly."""

import math

import numpy as np
import pytest
from scipy import stats as sps

from mvp.evaluation import stats


def test_paired_change_checked_by_hand():
    # Changes 10, 5, 8, 0, 12: mean 7, deviations 3, -2, 1, -7, 5 -> variance 88 / 4 = 22.
    before = [50, 60, 40, 70, 55]
    after = [60, 65, 48, 70, 67]
    result = stats.paired(before, after)
    sd = math.sqrt(22)
    half = 2.7764451 * sd / math.sqrt(5)  # t(0.975, 4) from a printed table
    assert result.n == 5
    assert result.before_mean == pytest.approx(55.0)
    assert result.after_mean == pytest.approx(62.0)
    assert result.mean_change == pytest.approx(7.0)
    assert result.sd_change == pytest.approx(sd)
    assert result.ci_low == pytest.approx(7 - half, abs=1e-6)
    assert result.ci_high == pytest.approx(7 + half, abs=1e-6)
    assert result.d_z == pytest.approx(7 / sd)
    # The zero is dropped; the four remaining changes are all positive and distinct, so the
    # exact two-sided p is 2 * (1/2)^4.
    assert result.p == pytest.approx(0.125)


def test_no_change_at_all_gives_p_one_and_no_effect_size():
    result = stats.paired([50, 60, 70], [50, 60, 70])
    assert result.mean_change == 0 and result.p == 1.0 and result.d_z is None
    assert result.ci_low == result.ci_high == 0


def test_one_pupil_gives_no_interval_and_none_gives_nothing():
    one = stats.paired([50], [60])
    assert one.n == 1 and one.mean_change == 10 and one.ci_low is None and one.p is None
    assert stats.paired([], []).mean_change is None


def test_hedges_g_checked_by_hand():
    # Means 2 and 4, both variances 1, pooled SD 1, d = 2, J = 1 - 3 / (4 * 6 - 9) = 0.8.
    assert stats.hedges_g(np.array([1.0, 2, 3]), np.array([3.0, 4, 5])) == pytest.approx(1.6)


def test_mann_whitney_exact_checked_by_hand():
    # Every after-value above every before-value: U = 9 of 9; P = 2 / C(6, 3) = 0.1.
    result = stats.unpaired([1, 2, 3], [4, 5, 6])
    assert result.p == pytest.approx(0.1)
    assert result.difference == pytest.approx(3.0)


def test_holm_checked_by_hand():
    # Sorted 0.01, 0.03, 0.04 -> 3 * 0.01, 2 * 0.03, max(0.06, 1 * 0.04); None stays None.
    assert stats.holm([0.01, 0.04, None, 0.03]) == pytest.approx([0.03, 0.06, None, 0.06])
    assert stats.holm([0.6, 0.5]) == [1.0, 1.0]


def test_cronbach_alpha_checked_by_hand():
    # Item variances 1 and 1/3, total variance 7/3: alpha = 2 * (1 - (4/3) / (7/3)) = 6/7.
    assert stats.cronbach_alpha([[1, 2], [2, 3], [3, 3]]) == pytest.approx(6 / 7)
    assert stats.cronbach_alpha([[1, 2]]) is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_paired_and_unpaired_equal_scipy_on_random_data(seed):
    rng = np.random.default_rng(seed)
    before = rng.integers(0, 101, 80).astype(float)
    after = np.clip(before + rng.normal(4, 15, 80).round(), 0, 100)
    result = stats.paired(before, after)
    change = after - before
    t = sps.ttest_1samp(change, 0).confidence_interval(0.95)
    assert (result.ci_low, result.ci_high) == pytest.approx((t.low, t.high))
    assert result.d_z == pytest.approx(change.mean() / change.std(ddof=1))
    nonzero = change[change != 0]
    expected = sps.wilcoxon(nonzero, method="approx").pvalue  # ties: normal approximation
    assert result.p == pytest.approx(expected)
    other = stats.unpaired(before, after)
    assert other.p == pytest.approx(
        sps.mannwhitneyu(after, before, alternative="two-sided", method="asymptotic").pvalue
    )
    n1, n2 = len(before), len(after)
    pooled = math.sqrt(((n1 - 1) * before.var(ddof=1) + (n2 - 1) * after.var(ddof=1)) / 158)
    assert other.hedges_g == pytest.approx(
        (after.mean() - before.mean()) / pooled * (1 - 3 / (4 * 160 - 9))
    )


def _changes_without_ties(rng, n: int, signs: list[int]) -> np.ndarray:
    """n changes of distinct sizes (whole hundredths), with these signs."""
    sizes = rng.choice(np.arange(1, 2000), size=n, replace=False)
    return np.array(signs) * sizes / 100


@pytest.mark.parametrize("n", range(1, 51))
def test_the_exact_wilcoxon_p_is_scipys_to_the_last_bit(n):
    # stats computes the exact distribution itself (scipy's per-call cost was a tenth of a
    # school year's build): every sign pattern of up to 8 changes, and 30 random ones of
    # more, give scipy's own p-value exactly — the figure a reader checks against scipy.
    rng = np.random.default_rng(n)
    if n <= 8:
        patterns = [[1 if bit >> i & 1 else -1 for i in range(n)] for bit in range(2**n)]
    else:
        patterns = [list(rng.choice([-1, 1], size=n)) for _ in range(30)]
    for signs in patterns:
        change = _changes_without_ties(rng, n, signs)
        expected = sps.wilcoxon(change, alternative="two-sided", method="exact").pvalue
        # One change is a single pupil: the test needs two answers, one of them no change.
        given = np.append(change, 0.0) if n == 1 else change
        assert stats.wilcoxon_p(given) == float(expected)


def test_the_same_answers_always_give_the_same_p_value():
    rng = np.random.default_rng(9)
    before = rng.integers(1, 5, 30).astype(float)
    after = before + rng.integers(-1, 3, 30)
    assert len({stats.paired(before, after).p for _ in range(5)}) == 1


def test_effect_size_words():
    assert [stats.effect_size_class(v) for v in (0.1, -0.3, 0.6, 1.2, None)] == [
        "negligible",
        "small",
        "medium",
        "large",
        None,
    ]


def test_equal_changes_are_ties_whatever_float_noise_the_subtraction_leaves():
    # Twelve pupils, each up 2.78 index points, one down 1.5 and one unchanged, as stored
    # (two decimals). As floats, 63.78 - 61.0 and 12.78 - 10.0 are 2.7799999999999994 and
    # 2.780000000000001: ranked as floats they would not be tied.
    before = np.array([61.0, 10.0, 33.33, 50.0, 66.67, 25.5, 44.44, 70.1, 5.55, 90.0, 12.3, 80.8])
    after = before + 2.78
    before = np.append(before, [40.0, 20.0])
    after = np.append(after, [38.5, 20.0])
    change = after - before
    assert len(np.unique(np.abs(change[change != 0]))) > 2  # the float noise is there
    # By hand: 13 non-zero changes; the 1.5 has rank 1, the twelve 2.78 share ranks 2..13
    # (7.5 each). T+ = 90, n(n+1)/4 = 45.5; variance n(n+1)(2n+1)/24 - (12**3 - 12)/48
    # = 204.75 - 35.75 = 169; z = 44.5 / 13; p = 2 * (1 - Phi(z)).
    z = 44.5 / 13
    expected = math.erfc(z / math.sqrt(2))
    assert stats.paired(before, after).p == pytest.approx(expected, rel=1e-12)
    # and scipy on the exact integer changes (hundredths) agrees
    integers = np.array([278] * 12 + [-150])
    assert expected == pytest.approx(sps.wilcoxon(integers, method="approx").pvalue, rel=1e-12)


def test_tied_values_in_all_answers_are_tied_whatever_float_noise():
    before = np.array([0.1 + 0.2, 0.3, 50.0, 60.0, 70.0] * 12)  # 0.30000000000000004 and 0.3
    after = np.array([0.3, 55.0, 65.0, 75.0, 80.0] * 12)
    integers_before = np.array([30, 30, 5000, 6000, 7000] * 12)
    integers_after = np.array([30, 5500, 6500, 7500, 8000] * 12)
    expected = sps.mannwhitneyu(integers_after, integers_before, method="asymptotic").pvalue
    assert stats.unpaired(before, after).p == pytest.approx(expected, rel=1e-12)
