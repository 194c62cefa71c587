"""The statistics of every cell of a family at once: sums, means, standard deviations and the
rank tests' normal approximations as a few array operations over all the cells' members.

One evaluation asks for thousands of cells (every school, sex and grade and their crossings,
for every scale and phase), most of them small; computed one cell at a time (mvp.evaluation.
stats on each cell's slice), numpy's cost per call was a third of the build. Here a family's
members come sorted by cell (outcomes._Family), every cell's sums come out of one pass, and
each figure (mean, spread, interval, effect size, p) is one array over the cells, made with
the same floating-point operations, in the same order, as stats makes it for one cell.

Scale scores are stored rounded (the index to two decimals, the mean to four), so sums,
means and variances are taken on whole units of that precision — integers, exact — and
divided once (CellSums): a mean no longer depends on the order the floats were added in.
The rank tests rank whole hundredths of the index, as stats does. Where stats uses an
exact distribution (up to stats.EXACT_MAX values without ties) the cell is handed to stats
itself, so every p-value is the one stats gives; the normal approximations below are
stats' formulas, term for term.
"""

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


# Below this, integers convert to floats exactly and Python divides them as numpy does
# (float(a) / float(b)); above it Python's exact integer division can differ in the last bit.
_EXACT_FLOAT_INT = 2**53


def _missing(values: np.ndarray) -> list:
    """An array as a Python list with None for NaN (a figure that does not apply)."""
    listed = values.astype(object)
    listed[np.isnan(values)] = None
    return listed.tolist()


class CellSums:
    """Each cell's sum and sum of squared deviations of one kind of value (members sorted by
    cell): exact, in whole units of the precision the values are stored with, when they are
    (scores the app computed always are); else in floats, as numpy would add them.

    ``means`` and ``deviations_all`` give every cell's figure as an array (NaN for an empty
    cell), each equal to the bit to what Python computes from the exact integer sums."""

    def __init__(self, flat: np.ndarray, start: np.ndarray, count: np.ndarray, unit: int):
        self.count, self.start = count, start
        scaled = np.asarray(flat, dtype=float) * unit
        units = np.rint(scaled)
        self.unit = unit if np.all(np.abs(scaled - units) < 1e-6) else None
        self._deviations = None
        if self.unit:
            units = units.astype(np.int64)
            self.sum = segment_sums(units, start, count)
            self.squares = segment_sums(units * units, start, count)
            with np.errstate(invalid="ignore", divide="ignore"):
                self.means = self.sum / (self.unit * count)
            for cell in np.flatnonzero(np.abs(self.sum) >= _EXACT_FLOAT_INT).tolist():
                self.means[cell] = int(self.sum[cell]) / (self.unit * int(count[cell]))
        else:
            self.flat = np.asarray(flat, dtype=float)
            self.sum = segment_sums(self.flat, start, count)
            with np.errstate(invalid="ignore", divide="ignore"):
                self.means = self.sum / count

    def mean(self, cell: int) -> float:
        """A (non-empty) cell's mean."""
        return float(self.means[cell])

    def deviations(self, cell: int) -> float:
        """A (non-empty) cell's Σ(x − mean)²."""
        return float(self.deviations_all()[cell])

    def deviations_all(self) -> np.ndarray:
        """Every cell's Σ(x − mean)² (NaN where empty)."""
        if self._deviations is not None:
            return self._deviations
        count = self.count
        if self.unit:
            # n·Σx² − (Σx)² in whole units, then divided as Python divides the integers;
            # where it is too large for a float to hold exactly (or for 64 bits), by Python.
            size = count.astype(float) * self.squares.astype(float)
            exact = size < _EXACT_FLOAT_INT
            numerator = np.where(exact, count * self.squares - self.sum * self.sum, 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                deviations = numerator / count / (self.unit * self.unit)
            for cell in np.flatnonzero(~exact).tolist():
                n, total = int(count[cell]), int(self.sum[cell])
                squares = int(self.squares[cell])
                deviations[cell] = (n * squares - total * total) / n / (self.unit * self.unit)
        else:
            # Two passes, as numpy's var: each member's distance from its cell's mean.
            means = self.sum / np.maximum(count, 1)
            distance = self.flat - np.repeat(means, count)
            deviations = segment_sums(distance * distance, self.start, count)
            deviations = np.where(count > 0, deviations, np.nan)
        self._deviations = deviations
        return deviations


class _Ranks:
    """Average ranks of values within each cell (ties share their mean rank), as the tests
    take them: per cell the sum of the ranks of the flagged members, the tie term
    Σ(t³ − t) and the number of distinct values.

    The values are whole hundredths of an index, and a family has few distinct ones (13 to
    51 in a municipality's school year, against tens of thousands of members): each cell's
    ranks then follow from how often each value occurs in it, a table of cells × values
    counted in one pass, with no sort. Every rank is a whole or half number and every sum
    of them is exact in floats, so the figures are those of ranking member by member
    (``_sorted``, the way taken where the values are many).
    """

    # The counting table may be this many times the members (each cell × value a count).
    _TABLE_PER_MEMBER = 4

    def __init__(self, cells: np.ndarray, values: np.ndarray, flagged: np.ndarray, n_cells: int):
        size = len(cells)
        if size == 0:
            self.flagged_sum = np.zeros(n_cells)
            self.tie_term = np.zeros(n_cells)
            self.distinct = np.zeros(n_cells, dtype=np.int64)
            return
        value_number, n_values = _dense(values)
        if n_values * n_cells > self._TABLE_PER_MEMBER * size + 65536:
            self._sorted(cells, values, flagged, n_cells)
            return
        slot = cells * n_values + value_number
        table = n_cells * n_values
        count = np.bincount(slot, minlength=table).reshape(n_cells, n_values)
        flagged_count = np.bincount(slot[flagged], minlength=table).reshape(n_cells, n_values)
        # A value's members share the mean of the ranks they take: after the cell's smaller
        # values, places 1 to t.
        below = np.cumsum(count, axis=1) - count
        mean_rank = below + (count + 1) / 2.0
        self.flagged_sum = (flagged_count * mean_rank).sum(axis=1)
        # Σ(t³ − t) in whole numbers (a float power is slow, and these are exact either way).
        self.tie_term = (count * count * count - count).sum(axis=1).astype(float)
        self.distinct = np.count_nonzero(count, axis=1)

    def _sorted(self, cells, values, flagged, n_cells: int) -> None:
        """The same figures from the members sorted by cell and value."""
        size = len(cells)
        order = by_cell_then_value(cells, values, n_cells)
        cells, values, flagged = cells[order], values[order], flagged[order]
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
        self.flagged_sum = np.bincount(cells, weights=rank * flagged, minlength=n_cells)
        ties = group_size.astype(float)
        self.tie_term = np.bincount(group_cell, weights=ties**3 - ties, minlength=n_cells)
        self.distinct = np.bincount(group_cell, minlength=n_cells)


def _dense(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Each integer value's number among the distinct values, in increasing order, and how
    many there are: through a table of the range where it is small (no sort), else unique."""
    low = int(values.min())
    span = int(values.max()) - low + 1
    if span <= 4 * len(values) + 65536:
        present = np.zeros(span, dtype=bool)
        shifted = values - low
        present[shifted] = True
        number = np.cumsum(present) - 1
        return number[shifted], int(number[-1]) + 1
    distinct, number = np.unique(values, return_inverse=True)
    return number.reshape(-1), len(distinct)


def _t_quantiles(df: np.ndarray) -> np.ndarray:
    """stats._t_quantile of each degree of freedom (each distinct one computed once)."""
    distinct, where = np.unique(df, return_inverse=True)
    return np.array([stats._t_quantile(int(d)) for d in distinct.tolist()])[where]


class PairedCells:
    """stats.paired for every cell of a family of linked pairs (outcomes._Family with
    before_index, later_index): each figure an array over the cells, NaN where it does not
    apply; the p-values of cells that stats tests exactly are computed when asked for."""

    def __init__(self, family):
        self.family = family
        start, count = family.start, family.count
        self.n = count
        before = family.values["before_index"][family.member]
        later = family.values["later_index"][family.member]
        self.before_mean = CellSums(before, start, count, 100).means
        self.after_mean = CellSums(later, start, count, 100).means
        change_sums = CellSums(later - before, start, count, 100)
        self.mean_change = change_sums.means
        # Ranked as stats ranks them: the change in whole hundredths.
        change = stats.hundredths(later - before)
        nonzero = change != 0
        ranked = segment_sums(nonzero.astype(np.int64), start, count)
        cells = _cell_of(count)[nonzero]
        ranks = _Ranks(cells, np.abs(change[nonzero]), change[nonzero] > 0, len(count))
        spread = count >= 2
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(change_sums.deviations_all() / (count - 1))
            sd[~spread] = np.nan
            half_width = np.full(len(count), np.nan)
            half_width[spread] = (
                _t_quantiles(count[spread] - 1) * sd[spread] / np.sqrt(count[spread])
            )
            self.sd_change = sd
            self.ci_low = self.mean_change - half_width
            self.ci_high = self.mean_change + half_width
            self.d_z = np.where(sd > 0, self.mean_change / sd, np.nan)
            # Wilcoxon's normal approximation, stats' formula term for term.
            n = ranked
            mean = n * (n + 1.0) * 0.25
            se = np.sqrt((n * (n + 1.0) * (2.0 * n + 1.0) - ranks.tie_term / 2) / 24)
            z = (ranks.flagged_sum - mean) / se
            p = 2 * special.ndtr(-np.abs(z))
        p[n == 0] = 1.0
        p[~spread] = np.nan
        self._p = _missing(p)
        # Up to EXACT_MAX changes without ties: stats' exact distribution, when asked for.
        self._exact = set(
            np.flatnonzero(
                spread & (n > 0) & (n <= stats.EXACT_MAX) & (ranks.distinct == n)
            ).tolist()
        )

    def p(self, cell: int) -> float | None:
        """A cell's Wilcoxon p-value (None under two pairs)."""
        if cell in self._exact:
            family = self.family
            self._exact.discard(cell)
            self._p[cell] = stats.wilcoxon_p(
                family.get("later_index", cell) - family.get("before_index", cell)
            )
        return self._p[cell]

    def stats(self, cell: int) -> stats.PairedStats:
        """The linked pupils' statistics of one cell (numbered as the family's)."""
        n = int(self.n[cell])
        if n == 0:
            return stats.PairedStats(0, None, None, None, None, None, None, None, None)
        figures = (
            self.before_mean,
            self.after_mean,
            self.mean_change,
            self.sd_change,
            self.ci_low,
            self.ci_high,
            self.d_z,
        )
        return stats.PairedStats(n, *(_one(values, cell) for values in figures), self.p(cell))


def _one(values: np.ndarray, cell: int) -> float | None:
    value = float(values[cell])
    return None if value != value else value


class UnpairedCells:
    """stats.unpaired for every cell of two families numbered alike (outcomes._Family with
    index): all answers before against all answers later, each figure an array over the
    cells as in PairedCells."""

    def __init__(self, before, later):
        self.before, self.later = before, later
        n_cells = len(before.count)
        index, sums = {}, {}
        for name, family in (("before", before), ("later", later)):
            values = family.values["index"][family.member]
            sums[name] = CellSums(values, family.start, family.count, 100)
            index[name] = stats.hundredths(values)
        # Ranked together per cell, later answers flagged (stats ranks after, then before).
        ranks = _Ranks(
            np.concatenate([_cell_of(later.count), _cell_of(before.count)]),
            np.concatenate([index["later"], index["before"]]),
            np.concatenate(
                [np.ones(len(index["later"]), dtype=bool), np.zeros(len(index["before"]), bool)]
            ),
            n_cells,
        )
        n_before, n_later = before.count, later.count
        self.n_before, self.n_after = n_before, n_later
        self.before_mean, self.after_mean = sums["before"].means, sums["later"].means
        both = (n_before > 0) & (n_later > 0)
        self.difference = np.where(both, self.after_mean - self.before_mean, np.nan)
        self.hedges_g = self._hedges_g(sums, n_before, n_later)
        self._p = _missing(self._mann_whitney(ranks, n_before, n_later, both))
        self._exact = set(
            np.flatnonzero(
                both
                & (ranks.distinct != 1)
                & (n_later <= stats.EXACT_MAX)
                & (n_before <= stats.EXACT_MAX)
                & (ranks.distinct == n_later + n_before)
            ).tolist()
        )

    def _hedges_g(self, sums, n1, n2) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            deviations = sums["before"].deviations_all() + sums["later"].deviations_all()
            pooled = np.sqrt(deviations / (n1 + n2 - 2))
            correction = 1 - 3 / (4 * (n1 + n2) - 9)
            g = (self.after_mean - self.before_mean) / pooled * correction
        return np.where((n1 >= 2) & (n2 >= 2) & (pooled != 0), g, np.nan)

    @staticmethod
    def _mann_whitney(ranks, n_before, n_later, both) -> np.ndarray:
        n1, n2 = n_later, n_before  # as stats.mann_whitney_p: the later answers first
        with np.errstate(invalid="ignore", divide="ignore"):
            u1 = ranks.flagged_sum - n1 * (n1 + 1) / 2
            u = np.maximum(u1, n1 * n2 - u1)
            n = n1 + n2
            s = np.sqrt(n1 * n2 / 12 * ((n + 1) - ranks.tie_term / (n * (n - 1))))
            z = (u - n1 * n2 / 2 - 0.5) / s
            p = np.minimum(1.0, np.maximum(0.0, 2 * special.ndtr(-z)))
        p[ranks.distinct == 1] = 1.0
        p[~both] = np.nan
        return p

    def p(self, cell: int) -> float | None:
        """A cell's Mann–Whitney p-value (None where one side has no answers)."""
        if cell in self._exact:
            self._exact.discard(cell)
            self._p[cell] = stats.mann_whitney_p(
                self.before.get("index", cell), self.later.get("index", cell)
            )
        return self._p[cell]

    def stats(self, cell: int) -> stats.UnpairedStats:
        """All answers' statistics of one cell (numbered as the families')."""
        figures = (self.before_mean, self.after_mean, self.difference, self.hedges_g)
        return stats.UnpairedStats(
            int(self.n_before[cell]),
            int(self.n_after[cell]),
            *(_one(values, cell) for values in figures),
            self.p(cell),
        )
