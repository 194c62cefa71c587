"""The statistics of the evaluation: pure functions of numpy arrays, no database, no Flask.

Conventions (the method appendix states them for the reader):
- paired change = later − before for each linked pupil; its 95 % confidence interval from
  Student's t with n − 1 degrees of freedom; Cohen's d_z = mean change / SD of the changes;
  Wilcoxon signed-rank test (two-sided, zero changes dropped, exact for up to 50 changes
  without ties, else the normal approximation with tie correction);
- unpaired comparison of all answers: difference of means, Hedges' g (Cohen's d with the
  pooled SD, times the small-sample correction J = 1 − 3 / (4(n₁ + n₂) − 9)) and the
  Mann–Whitney U test (two-sided);
- Holm's step-down adjustment of p-values across the scales of one table;
- Cronbach's alpha from the complete answers to a scale's items (sample variances);
- ranks (Wilcoxon, Mann–Whitney) are taken on whole hundredths of an index point, the
  precision the index is stored with, so that equal changes are tied whatever float noise
  a subtraction leaves; p-values are returned exact and rounded only when written
  (mvp.evaluation.numbers.fmt_p).
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special
from scipy import stats as sps

CONFIDENCE = 0.95
# Up to this many pupils (without ties) the tests use their exact distributions.
EXACT_MAX = 50


@dataclass(frozen=True)
class PairedStats:
    """Before and after of the same pupils."""

    n: int
    before_mean: float | None
    after_mean: float | None
    mean_change: float | None
    sd_change: float | None
    ci_low: float | None
    ci_high: float | None
    d_z: float | None
    p: float | None


@dataclass(frozen=True)
class UnpairedStats:
    """All answers before against all answers after, pupils not matched."""

    n_before: int
    n_after: int
    before_mean: float | None
    after_mean: float | None
    difference: float | None
    hedges_g: float | None
    p: float | None


def _mean(values: np.ndarray) -> float | None:
    return float(np.mean(values)) if len(values) else None


def paired(before, after) -> PairedStats:
    """Compare the before and later values of linked pupils (arrays of equal length)."""
    before = np.asarray(before, dtype=float)
    after = np.asarray(after, dtype=float)
    n = len(before)
    if n == 0:
        return PairedStats(0, None, None, None, None, None, None, None, None)
    change = after - before
    mean_change = float(np.mean(change))
    if n < 2:
        return PairedStats(
            n, _mean(before), _mean(after), mean_change, None, None, None, None, None
        )
    sd = float(np.std(change, ddof=1))
    half_width = _t_quantile(n - 1) * sd / math.sqrt(n)
    return PairedStats(
        n=n,
        before_mean=_mean(before),
        after_mean=_mean(after),
        mean_change=mean_change,
        sd_change=sd,
        ci_low=mean_change - half_width,
        ci_high=mean_change + half_width,
        d_z=mean_change / sd if sd > 0 else None,
        p=wilcoxon_p(change),
    )


@lru_cache(maxsize=4096)
def _t_quantile(df: int) -> float:
    """Student's t quantile for the confidence interval (the same few df over and over)."""
    return float(sps.t.ppf(0.5 + CONFIDENCE / 2, df))


def hundredths(values) -> np.ndarray:
    """Index values (or changes of them) as whole hundredths, the precision they are stored
    with (mvp.surveys.scoring rounds the index to two decimals).

    Ranks are taken on these integers, never on the floats: 63.78 − 61.00 and 12.78 − 10.00
    are the same change of 2.78, but as floats they are 2.7799999999999994 and
    2.780000000000001 and would be ranked as different values, so real ties would not be
    tied and the p-values would be off.
    """
    return np.rint(np.asarray(values, dtype=float) * 100).astype(np.int64)


def _average_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks 1..n, tied values sharing their average rank; and the size of each tie."""
    _unique, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return (ends - (counts - 1) / 2.0)[inverse], counts


def wilcoxon_p(change: np.ndarray) -> float | None:
    """Two-sided Wilcoxon signed-rank p-value; 1 when no pupil changed at all.

    Zero changes are dropped (Wilcoxon's own method). The exact distribution is used for up
    to 50 changes without ties, else the normal approximation with the tie correction —
    never a random permutation test, so the same answers always give the same p-value.
    Changes are ranked as whole hundredths of an index point (``hundredths``).
    The normal approximation is computed here as scipy does it (no continuity correction)
    but without its per-call overhead, as it runs for every cell of every scale.
    """
    change = hundredths(change)
    if len(change) < 2:
        return None
    nonzero = change[change != 0]
    n = len(nonzero)
    if n == 0:
        return 1.0
    ranks, ties = _average_ranks(np.abs(nonzero))
    r_plus = float(np.sum(ranks[nonzero > 0]))
    if n <= EXACT_MAX and len(ties) == n:
        return _exact_signed_rank_p(int(r_plus), n)
    mean = n * (n + 1.0) * 0.25
    tie_term = float(np.sum(ties.astype(float) ** 3 - ties))
    se = math.sqrt((n * (n + 1.0) * (2.0 * n + 1.0) - tie_term / 2) / 24)
    z = (r_plus - mean) / se
    return float(2 * special.ndtr(-abs(z)))


@lru_cache(maxsize=EXACT_MAX + 1)
def _signed_rank_distribution(n: int) -> np.ndarray:
    """The probability of each sum of positive ranks 0 … n(n+1)/2 among n changes without
    ties, when no change is more likely up than down; as scipy makes it (read-only)."""
    probability = np.ones(1)
    for k in range(1, n + 1):
        before = probability
        probability = np.zeros(k * (k + 1) // 2 + 1)
        probability[: len(before)] = before * 0.5
        probability[-len(before) :] += before * 0.5
    probability.setflags(write=False)
    return probability


def _exact_signed_rank_p(r_plus: int, n: int) -> float:
    """The exact two-sided p-value of a sum of positive ranks: scipy.stats.wilcoxon's
    (method="exact", scipy 1.17), its floating-point operations one for one, without its
    per-call cost (a third of a millisecond, for each of a report's small cells); the
    distribution is made once per n. Every probability is a multiple of 2⁻ⁿ, so each sum
    is exact in any order. tests/evaluation/test_stats.py holds the two equal."""
    probability = _signed_rank_distribution(n)
    mean = n * (n + 1) / 4
    # The lower tail up to r_plus, and the upper from it, each summed from its short end.
    if r_plus <= mean:
        lower = probability[: r_plus + 1].sum()
        upper = probability[r_plus:].sum()
    else:
        lower = 1 - probability[r_plus + 1 :].sum()
        upper = 1 - probability[:r_plus].sum()
    return float(np.clip(2 * np.minimum(upper, lower), 0, 1))


def unpaired(before, after) -> UnpairedStats:
    """Compare two independent sets of values."""
    before = np.asarray(before, dtype=float)
    after = np.asarray(after, dtype=float)
    n1, n2 = len(before), len(after)
    m1, m2 = _mean(before), _mean(after)
    if n1 == 0 or n2 == 0:
        return UnpairedStats(n1, n2, m1, m2, None, None, None)
    return UnpairedStats(
        n_before=n1,
        n_after=n2,
        before_mean=m1,
        after_mean=m2,
        difference=m2 - m1,
        hedges_g=hedges_g(before, after),
        p=mann_whitney_p(before, after),
    )


def hedges_g(before: np.ndarray, after: np.ndarray) -> float | None:
    """(mean after − mean before) / pooled SD, with the small-sample correction."""
    n1, n2 = len(before), len(after)
    if n1 < 2 or n2 < 2:
        return None
    pooled = math.sqrt(
        ((n1 - 1) * np.var(before, ddof=1) + (n2 - 1) * np.var(after, ddof=1)) / (n1 + n2 - 2)
    )
    if pooled == 0:
        return None
    correction = 1 - 3 / (4 * (n1 + n2) - 9)
    return float((np.mean(after) - np.mean(before)) / pooled * correction)


def mann_whitney_p(before: np.ndarray, after: np.ndarray) -> float | None:
    """Two-sided Mann–Whitney U p-value; 1 when every value is the same.

    Exact for small samples without ties, else the normal approximation with the tie and
    continuity corrections (deterministic, as above; computed as scipy does it).
    """
    if len(before) == 0 or len(after) == 0:
        return None
    before, after = hundredths(before), hundredths(after)
    values = np.concatenate([after, before])
    if np.all(values == values[0]):
        return 1.0
    n1, n2 = len(after), len(before)
    ranks, ties = _average_ranks(values)
    if n1 <= EXACT_MAX and n2 <= EXACT_MAX and len(ties) == n1 + n2:
        return float(
            sps.mannwhitneyu(after, before, alternative="two-sided", method="exact").pvalue
        )
    u1 = float(np.sum(ranks[:n1])) - n1 * (n1 + 1) / 2
    u = max(u1, n1 * n2 - u1)
    n = n1 + n2
    tie_term = float(np.sum(ties.astype(float) ** 3 - ties))
    s = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    z = (u - n1 * n2 / 2 - 0.5) / s
    return float(min(1.0, max(0.0, 2 * special.ndtr(-z))))


def holm(pvalues: list[float | None]) -> list[float | None]:
    """Holm's step-down adjusted p-values, in the given order; None stays None."""
    present = sorted((p, index) for index, p in enumerate(pvalues) if p is not None)
    m = len(present)
    adjusted: list[float | None] = [None] * len(pvalues)
    running = 0.0
    for rank, (p, index) in enumerate(present):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[index] = running
    return adjusted


def cronbach_alpha(matrix) -> float | None:
    """Cronbach's alpha of complete answers: rows are pupils, columns the scale's items."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 2 or matrix.shape[1] < 2:
        return None
    k = matrix.shape[1]
    total_variance = float(np.var(matrix.sum(axis=1), ddof=1))
    if total_variance == 0:
        return None
    item_variances = float(np.var(matrix, axis=0, ddof=1).sum())
    return k / (k - 1) * (1 - item_variances / total_variance)


def effect_size_class(value: float | None) -> str | None:
    """Cohen's conventional words for an effect size: negligible, small, medium or large."""
    if value is None:
        return None
    size = abs(value)
    if size < 0.2:
        return "negligible"
    if size < 0.5:
        return "small"
    if size < 0.8:
        return "medium"
    return "large"
