"""Every cell's statistics at once (mvp.evaluation.cell_stats) against stats.paired and
stats.unpaired on each cell alone: the same p-values to the last bit, the same means and
spreads (exact sums, so at most the float noise of the old per-cell sums apart)."""

import math
from fractions import Fraction

import numpy as np
import pytest

from mvp.evaluation import stats
from mvp.evaluation.cell_stats import CellSums, PairedCells, UnpairedCells, segment_sums
from mvp.evaluation.outcomes import _Family


def _index(rng, size, *, coarse=False):
    """Index values as stored: two decimals; `coarse` gives many ties (few distinct values)."""
    if coarse:
        return rng.choice([0.0, 33.33, 50.0, 66.67, 83.33, 100.0], size)
    return np.round(rng.uniform(0, 100, size), 2)


def _cells(rng, sizes):
    """Members spread over cells of the given sizes, shuffled, each also in cell 0 (all)."""
    own = np.repeat(np.arange(1, len(sizes) + 1), sizes)
    rng.shuffle(own)
    return np.column_stack([np.zeros(len(own), dtype=np.int64), own])


# Cells of every kind: empty, one pupil, small without ties (exact tests), small with ties,
# large (normal approximation), all changes zero, every value the same.
SIZES = [0, 1, 2, 5, 12, 30, 49, 50, 51, 80, 400]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("coarse", [False, True])
def test_paired_cells_equal_stats_paired_cell_by_cell(seed, coarse):
    rng = np.random.default_rng(seed)
    rows = _cells(rng, SIZES)
    before = _index(rng, len(rows), coarse=coarse)
    later = np.where(rng.random(len(rows)) < 0.2, before, _index(rng, len(rows), coarse=coarse))
    family = _Family(
        rows, len(SIZES) + 1, before_index=before, later_index=later, before_mean=before / 25
    )
    cells = PairedCells(family)
    for cell in range(len(SIZES) + 1):
        expected = stats.paired(family.get("before_index", cell), family.get("later_index", cell))
        got = cells.stats(cell)
        assert got.n == expected.n
        assert got.p == expected.p  # exact or normal, to the last bit
        for name in ("before_mean", "after_mean", "mean_change", "sd_change", "ci_low", "d_z"):
            want, have = getattr(expected, name), getattr(got, name)
            assert (want is None) == (have is None), name
            if want is not None:
                assert have == pytest.approx(want, rel=1e-12, abs=1e-12), name


def test_a_cell_of_no_change_has_p_one_and_a_cell_of_one_pair_no_spread():
    rows = np.array([[1], [1], [1], [2]])
    values = np.array([40.0, 50.0, 60.0, 70.0])
    family = _Family(rows, 3, before_index=values, later_index=values.copy())
    cells = PairedCells(family)
    assert cells.stats(1).p == 1.0 and cells.stats(1).mean_change == 0.0
    assert cells.stats(2).n == 1 and cells.stats(2).sd_change is None
    assert cells.stats(0).n == 0 and cells.stats(0).p is None


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("coarse", [False, True])
def test_unpaired_cells_equal_stats_unpaired_cell_by_cell(seed, coarse):
    rng = np.random.default_rng(100 + seed)
    before_rows = _cells(rng, SIZES)
    later_rows = _cells(rng, list(reversed(SIZES)))
    before = _Family(
        before_rows, len(SIZES) + 1, index=_index(rng, len(before_rows), coarse=coarse)
    )
    later = _Family(later_rows, len(SIZES) + 1, index=_index(rng, len(later_rows), coarse=coarse))
    cells = UnpairedCells(before, later)
    for cell in range(len(SIZES) + 1):
        expected = stats.unpaired(before.get("index", cell), later.get("index", cell))
        got = cells.stats(cell)
        assert (got.n_before, got.n_after) == (expected.n_before, expected.n_after)
        assert got.p == expected.p
        for name in ("before_mean", "after_mean", "difference", "hedges_g"):
            want, have = getattr(expected, name), getattr(got, name)
            assert (want is None) == (have is None), name
            if want is not None:
                assert have == pytest.approx(want, rel=1e-12, abs=1e-12), name


def test_every_value_the_same_gives_p_one():
    rows = np.array([[0], [0], [0]])
    same = np.array([50.0, 50.0, 50.0])
    cells = UnpairedCells(_Family(rows, 1, index=same), _Family(rows, 1, index=same.copy()))
    assert cells.stats(0).p == 1.0 and cells.stats(0).hedges_g is None


def test_a_mean_is_the_exact_one_whatever_order_the_values_come_in():
    # 0.1 + 0.2 + 0.3 as floats depends on the order; the mean of the stored hundredths not.
    values = np.array([10.10, 20.20, 30.30, 0.01, 99.99, 12.34] * 7)
    rows = np.zeros((len(values), 1), dtype=np.int64)
    means = set()
    for seed in range(5):
        shuffled = np.random.default_rng(seed).permutation(values)
        family = _Family(rows, 1, index=shuffled)
        means.add(family.mean("index", 0))
    exact = Fraction(int(np.rint(values * 100).sum()), 100 * len(values))
    assert means == {float(exact)}


def test_segment_sums_skip_empty_cells():
    flat = np.array([1, 2, 3, 4, 5])
    count = np.array([0, 2, 0, 3, 0])
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    assert segment_sums(flat, start, count).tolist() == [0, 3, 0, 12, 0]
    assert math.isclose(float(segment_sums(flat * 1.0, start, count).sum()), 15.0)


def test_values_not_stored_rounded_are_summed_as_floats():
    # Scores of a third (33.333…) are not whole hundredths: summed as numpy would.
    values = np.array([100 / 3, 200 / 3, 50.0, 12.5, 100 / 7])
    rows = np.zeros((len(values), 1), dtype=np.int64)
    family = _Family(rows, 1, index=values)
    assert family.mean("index", 0) == pytest.approx(float(np.mean(values)), rel=1e-15)
    deviations = CellSums(values, np.array([0]), np.array([len(values)]), 100).deviations(0)
    assert deviations == pytest.approx(float(np.var(values) * len(values)), rel=1e-12)


def test_every_cells_mean_and_spread_are_pythons_from_the_exact_sums_small_or_huge():
    # A cell of two million answers: n·Σx² − (Σx)² passes 2**63, so it neither fits a
    # float exactly (past 2**53 a float division is no longer Python's exact one of the
    # integers) nor 64 bits; next to it small cells, one empty.
    rng = np.random.default_rng(3)
    sizes = [0, 1, 7, 2_000_000]
    values = np.round(rng.uniform(0, 100, sum(sizes)), 2)
    count = np.array(sizes)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    sums = CellSums(values, start, count, 100)
    units = [int(u) for u in np.rint(values * 100).astype(np.int64)]
    big = units[8:]
    assert len(big) * sum(u * u for u in big) - sum(big) ** 2 > 2**63
    deviations, means = sums.deviations_all(), sums.means
    assert math.isnan(means[0]) and math.isnan(deviations[0])
    for cell in (1, 2, 3):
        mine = units[start[cell] : start[cell] + count[cell]]
        n, total, squares = len(mine), sum(mine), sum(u * u for u in mine)
        assert means[cell] == total / (100 * n)
        assert deviations[cell] == (n * squares - total * total) / n / 10_000


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("way", ["counted", "sorted"])
@pytest.mark.parametrize("spread", [1, 10_000])
def test_ranks_within_each_cell_are_average_ranks_however_they_are_taken(
    seed, way, spread, monkeypatch
):
    # Few distinct values (a school year's families have 13 to 51) are ranked from per-cell
    # counts, numbered through a table of their range or, where that is wide, by sorting
    # them; many are sorted with the members. Either way: each cell's flagged rank sum, tie
    # term and distinct values are those of ranking the cell's own values, ties sharing.
    from scipy.stats import rankdata

    from mvp.evaluation import cell_stats

    if way == "sorted":
        monkeypatch.setattr(cell_stats._Ranks, "_TABLE_PER_MEMBER", -(10**9))
    rng = np.random.default_rng(seed)
    n_cells = 9
    cells = rng.integers(0, n_cells - 1, 600)  # the last cell stays empty
    values = rng.choice(rng.integers(-500, 5000, 25), 600) * spread  # whole, with ties
    flagged = rng.random(600) < 0.4
    ranks = cell_stats._Ranks(cells, values, flagged, n_cells)
    for cell in range(n_cells):
        mine = values[cells == cell]
        rank = rankdata(mine)
        _distinct, ties = np.unique(mine, return_counts=True)
        assert ranks.flagged_sum[cell] == rank[flagged[cells == cell]].sum()
        assert ranks.tie_term[cell] == float((ties.astype(float) ** 3 - ties).sum())
        assert ranks.distinct[cell] == len(ties)
