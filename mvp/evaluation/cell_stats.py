"""The statistics of every cell of a family at once: sums, means, standard deviations and the
rank tests' normal approximations as a few array operations over all the cells' members.

One evaluation asks for thousands of cells (every school, sex and grade and their crossings,
for every scale and phase), most of them small; computed one cell at a time (mvp.evaluation.
stats on each cell's slice), numpy's cost per call was a third of the build. Here a family's
members come sorted by cell (outcomes._Family) and every cell's sums come out of one pass.

Scale scores are stored rounded (the index to two decimals, the mean to four), so sums,
means and variances are taken on whole units of that precision — integers, exact — and
divided once (CellSums): a mean no longer depends on the order the floats were added in.
The rank tests rank whole hundredths of the index, as stats does. Where stats uses an
exact distribution (up to stats.EXACT_MAX values without ties) the cell is handed to stats
itself, so every p-value is the one stats gives; the normal approximations below are
stats' formulas, term for term.
"""

import math

import numpy as np
from scipy import special

from mvp.evaluation import stats


def stored_unit(name: str) -> int:
    """The unit a scale score is stored in (mvp.surveys.scoring): the mean to four decimals,
    the index to two; "before_mean", "later_index" and the like are the same values."""
    return 10_000 if name.endswith("mean") else 100


def segment_sums(flat: np.ndarray, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The sum of each cell's slice of `flat` (cells' slices back to back, 0 where empty)."""
    sums = np.zeros(len(count), dtype=flat.dtype)
    filled = count > 0
    if filled.any():
        sums[filled] = np.add.reduceat(flat, start[filled])
    return sums


def stable_order(numbers: np.ndarray, below: int) -> np.ndarray:
    """The stable sorting order of non-negative integers less than `below`: as 16-bit
    integers where they fit, which numpy sorts by radix, several times faster."""
    if below <= 1 << 16:
        numbers = numbers.astype(np.uint16)
    return np.argsort(numbers, kind="stable")


def by_cell_then_value(cells: np.ndarray, values: np.ndarray, n_cells: int) -> np.ndarray:
    """The order of members by cell, then by value (integers), ties in their given order —
    lexsort's, as two stable sorts (by value, then by cell)."""
    low = int(values.min())
    by_value = stable_order(values - low, int(values.max()) - low + 1)
    return by_value[stable_order(cells[by_value], n_cells)]


def _cell_of(count: np.ndarray) -> np.ndarray:
    """The cell number of every member, for members sorted by cell."""
    return np.repeat(np.arange(len(count)), count)


class CellSums:
    """Each cell's sum and sum of squared deviations of one kind of value (members sorted by
    cell): exact, in whole units of the precision the values are stored with, when they are
    (scores the app computed always are); else in floats, as numpy would add them."""

    def __init__(self, flat: np.ndarray, start: np.ndarray, count: np.ndarray, unit: int):
        self.count, self.start = count, start
        scaled = np.asarray(flat, dtype=float) * unit
        units = np.rint(scaled)
        self.unit = unit if np.all(np.abs(scaled - units) < 1e-6) else None
        # Per-cell figures are read one cell at a time, thousands of times: as Python lists
        # (plain ints and floats), not numpy scalars, each read is a tenth of the cost.
        self._count = count.tolist()
        if self.unit:
            units = units.astype(np.int64)
            self.sum = segment_sums(units, start, count)
            self._sum = self.sum.tolist()
            self._squares = segment_sums(units * units, start, count).tolist()
        else:
            self.flat = np.asarray(flat, dtype=float)
            self.sum = segment_sums(self.flat, start, count)
            self._deviations = None

    def mean(self, cell: int) -> float:
        """A (non-empty) cell's mean."""
        if self.unit:
            return self._sum[cell] / (self.unit * self._count[cell])
        return float(self.sum[cell] / self._count[cell])

    def deviations(self, cell: int) -> float:
        """A (non-empty) cell's Σ(x − mean)²."""
        if self.unit:
            n, total = self._count[cell], self._sum[cell]
            return (n * self._squares[cell] - total * total) / n / (self.unit * self.unit)
        if self._deviations is None:
            # Two passes, as numpy's var: each member's distance from its cell's mean.
            means = self.sum / np.maximum(self.count, 1)
            distance = self.flat - np.repeat(means, self.count)
            self._deviations = segment_sums(distance * distance, self.start, self.count)
        return float(self._deviations[cell])


class _Ranks:
    """Average ranks of values within each cell (ties share their mean rank), as the tests
    take them: per cell the sum of the ranks of the flagged members, the tie term
    Σ(t³ − t) and the number of distinct values."""

    def __init__(self, cells: np.ndarray, values: np.ndarray, flagged: np.ndarray, n_cells: int):
        size = len(cells)
        if size:
            order = by_cell_then_value(cells, values, n_cells)
            cells, values, flagged = cells[order], values[order], flagged[order]
        if size == 0:
            self.flagged_sum = [0.0] * n_cells
            self.tie_term = [0.0] * n_cells
            self.distinct = [0] * n_cells
            return
        new_group = np.ones(size, dtype=bool)
        new_group[1:] = (cells[1:] != cells[:-1]) | (values[1:] != values[:-1])
        group_start = np.flatnonzero(new_group)
        group_size = np.diff(np.append(group_start, size))
        group_cell = cells[group_start]
        # A member's rank within its cell: its place after the cell's first member, plus 1.
        cell_first = np.searchsorted(cells, np.arange(n_cells))
        first_rank = group_start - cell_first[group_cell] + 1
        mean_rank = first_rank + (group_size - 1) / 2.0
        rank = np.repeat(mean_rank, group_size)
        # As lists: read one cell at a time (plain floats and ints, not numpy scalars).
        self.flagged_sum = np.bincount(cells, weights=rank * flagged, minlength=n_cells).tolist()
        ties = group_size.astype(float)
        self.tie_term = np.bincount(group_cell, weights=ties**3 - ties, minlength=n_cells).tolist()
        self.distinct = np.bincount(group_cell, minlength=n_cells).tolist()


class PairedCells:
    """stats.paired for every cell of a family of linked pairs (outcomes._Family with
    before_index, later_index)."""

    def __init__(self, family):
        self.family = family
        start, count = family.start, family.count
        self.count = count.tolist()
        before = family.values["before_index"][family.member]
        later = family.values["later_index"][family.member]
        self.before = CellSums(before, start, count, 100)
        self.later = CellSums(later, start, count, 100)
        self.change = CellSums(later - before, start, count, 100)
        # Ranked as stats ranks them: the change in whole hundredths.
        change = stats.hundredths(later - before)
        nonzero = change != 0
        self.nonzero = segment_sums(nonzero.astype(np.int64), start, count).tolist()
        cells = _cell_of(count)[nonzero]
        self.ranks = _Ranks(cells, np.abs(change[nonzero]), change[nonzero] > 0, len(count))

    def stats(self, cell: int) -> stats.PairedStats:
        """The linked pupils' statistics of one cell (numbered as the family's)."""
        n = self.count[cell]
        if n == 0:
            return stats.PairedStats(0, None, None, None, None, None, None, None, None)
        before_mean, after_mean = self.before.mean(cell), self.later.mean(cell)
        mean_change = self.change.mean(cell)
        if n < 2:
            return stats.PairedStats(
                n, before_mean, after_mean, mean_change, None, None, None, None, None
            )
        sd = math.sqrt(self.change.deviations(cell) / (n - 1))
        half_width = stats._t_quantile(n - 1) * sd / math.sqrt(n)
        return stats.PairedStats(
            n=n,
            before_mean=before_mean,
            after_mean=after_mean,
            mean_change=mean_change,
            sd_change=sd,
            ci_low=mean_change - half_width,
            ci_high=mean_change + half_width,
            d_z=mean_change / sd if sd > 0 else None,
            p=self._wilcoxon(cell),
        )

    def _wilcoxon(self, cell: int) -> float:
        n = self.nonzero[cell]
        if n == 0:
            return 1.0
        if n <= stats.EXACT_MAX and self.ranks.distinct[cell] == n:
            family = self.family
            return stats.wilcoxon_p(
                family.get("later_index", cell) - family.get("before_index", cell)
            )
        r_plus = self.ranks.flagged_sum[cell]
        mean = n * (n + 1.0) * 0.25
        tie_term = self.ranks.tie_term[cell]
        se = math.sqrt((n * (n + 1.0) * (2.0 * n + 1.0) - tie_term / 2) / 24)
        z = (r_plus - mean) / se
        return float(2 * special.ndtr(-abs(z)))


class UnpairedCells:
    """stats.unpaired for every cell of two families numbered alike (outcomes._Family with
    index): all answers before against all answers later."""

    def __init__(self, before, later):
        self.before, self.later = before, later
        n_cells = len(before.count)
        index = {}
        for name, family in (("before", before), ("later", later)):
            values = family.values["index"][family.member]
            setattr(self, f"{name}_sums", CellSums(values, family.start, family.count, 100))
            index[name] = stats.hundredths(values)
        # Ranked together per cell, later answers flagged (stats ranks after, then before).
        self.ranks = _Ranks(
            np.concatenate([_cell_of(later.count), _cell_of(before.count)]),
            np.concatenate([index["later"], index["before"]]),
            np.concatenate(
                [np.ones(len(index["later"]), dtype=bool), np.zeros(len(index["before"]), bool)]
            ),
            n_cells,
        )

    def stats(self, cell: int) -> stats.UnpairedStats:
        """All answers' statistics of one cell (numbered as the families')."""
        n1, n2 = self.before.counts[cell], self.later.counts[cell]
        m1 = self.before_sums.mean(cell) if n1 else None
        m2 = self.later_sums.mean(cell) if n2 else None
        if n1 == 0 or n2 == 0:
            return stats.UnpairedStats(n1, n2, m1, m2, None, None, None)
        return stats.UnpairedStats(
            n_before=n1,
            n_after=n2,
            before_mean=m1,
            after_mean=m2,
            difference=m2 - m1,
            hedges_g=self._hedges_g(cell, n1, n2, m1, m2),
            p=self._mann_whitney(cell, n1, n2),
        )

    def _hedges_g(self, cell, n1, n2, m1, m2) -> float | None:
        if n1 < 2 or n2 < 2:
            return None
        deviations = self.before_sums.deviations(cell) + self.later_sums.deviations(cell)
        pooled = math.sqrt(deviations / (n1 + n2 - 2))
        if pooled == 0:
            return None
        correction = 1 - 3 / (4 * (n1 + n2) - 9)
        return (m2 - m1) / pooled * correction

    def _mann_whitney(self, cell: int, n_before: int, n_later: int) -> float:
        distinct = self.ranks.distinct[cell]
        if distinct == 1:
            return 1.0
        n1, n2 = n_later, n_before  # as stats.mann_whitney_p: the later answers first
        if n1 <= stats.EXACT_MAX and n2 <= stats.EXACT_MAX and distinct == n1 + n2:
            return stats.mann_whitney_p(
                self.before.get("index", cell), self.later.get("index", cell)
            )
        u1 = float(self.ranks.flagged_sum[cell]) - n1 * (n1 + 1) / 2
        u = max(u1, n1 * n2 - u1)
        n = n1 + n2
        tie_term = self.ranks.tie_term[cell]
        s = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
        z = (u - n1 * n2 / 2 - 0.5) / s
        return float(min(1.0, max(0.0, 2 * special.ndtr(-z))))
