"""One scale's published results in one phase, for every cell at once.

An evaluation publishes a result for thousands of cells (every school, sex and grade and
their crossings, for each scale and phase), most of them small. Each figure of every cell
is computed as one array (mvp.evaluation.cell_stats) and rounded once, as one array
(numbers.rounded_all); a cell's PairedResult and UnpairedResult are then read from those
lists, with the suppression rule's verdict on the cell's families. Holm's adjustment is
across the scales, so it is asked of the caller (outcomes.OutcomeBuilder) for a cell whose
p-value is shown.
"""

from collections.abc import Callable

from mvp.evaluation.cell_stats import PairedCells, UnpairedCells
from mvp.evaluation.numbers import rounded_all
from mvp.evaluation.results import PairedResult, UnpairedResult
from mvp.evaluation.suppress import SUPPRESSED

# The families of a cell in one phase, as outcomes lists their keys: answers before (b),
# linked pairs (p) and answers later (l) are the published ones.
_BEFORE, _PAIRS, _LATER = 0, 2, 3


class PhaseResults:
    """The results of every cell of one scale (outcomes._ScaleWork) in one later phase.

    `keys` lists each cell's family keys in cell order (outcomes.OutcomeBuilder._shape);
    `holm(cell)` gives a cell's Holm-adjusted p-values of every scale (linked pupils' and all
    answers'), this scale's at `position`."""

    def __init__(
        self,
        work,
        phase: str,
        keys: list[tuple],
        *,
        holm: Callable[[int], tuple[list, list]],
        position: int,
    ):
        self._holm, self._position = holm, position
        hidden = work.shown.hidden  # Protection.shows, without a call per cell and family
        self.shown_pairs = [six[_PAIRS] not in hidden for six in keys]
        self.shown_before = [six[_BEFORE] not in hidden for six in keys]
        self.shown_later = [six[_LATER] not in hidden for six in keys]
        pairs, before, later = work.pairs[phase], work.before[phase], work.later[phase]
        self.paired_cells = paired = PairedCells(pairs)
        self.n_pairs = paired.n.tolist()
        self.pair_figures = [
            rounded_all(pairs.means("before_mean"), "mean"),
            rounded_all(paired.before_mean, "index"),
            rounded_all(pairs.means("later_mean"), "mean"),
            rounded_all(paired.after_mean, "index"),
            rounded_all(paired.mean_change, "change"),
            rounded_all(paired.ci_low, "change"),
            rounded_all(paired.ci_high, "change"),
            rounded_all(paired.d_z, "effect"),
        ]
        self.unpaired_cells = unpaired = UnpairedCells(before, later)
        self.n_before = unpaired.n_before.tolist()
        self.n_later = unpaired.n_after.tolist()
        self.before_mean = rounded_all(before.means("mean"), "mean")
        self.before_index = rounded_all(unpaired.before_mean, "index")
        self.later_mean = rounded_all(later.means("mean"), "mean")
        self.later_index = rounded_all(unpaired.after_mean, "index")
        self.difference = rounded_all(unpaired.difference, "change")
        self.hedges_g = rounded_all(unpaired.hedges_g, "effect")

    # --- what Holm's adjustment takes: the p-values shown ----------------------------------

    def paired_p(self, cell: int) -> float | None:
        """The linked pupils' p-value of a cell where it is shown, else None."""
        if self.shown_pairs[cell] and self.n_pairs[cell] > 0:
            return self.paired_cells.p(cell)
        return None

    def unpaired_p(self, cell: int) -> float | None:
        """All answers' p-value of a cell where both sides are shown, else None."""
        if self.shown_before[cell] and self.shown_later[cell]:
            return self.unpaired_cells.p(cell)
        return None

    # --- a cell's results --------------------------------------------------------------------

    def paired(self, cell: int) -> PairedResult:
        """The linked pupils' figures of a cell, suppressed and rounded."""
        n = self.n_pairs[cell]
        if n == 0:
            return PairedResult(n=0)
        if not self.shown_pairs[cell]:
            return PairedResult(*([SUPPRESSED] * 11))
        return PairedResult(
            n,
            *(figures[cell] for figures in self.pair_figures),
            self.paired_cells.p(cell),  # exact: rounded once, when written (numbers.fmt_p)
            self._holm(cell)[0][self._position],
        )

    def unpaired(self, cell: int) -> UnpairedResult:
        """All answers of a cell before and later, suppressed and rounded."""
        n_before, n_later = self.n_before[cell], self.n_later[cell]
        result = UnpairedResult(n_before=n_before, n_later=n_later)
        before_shown, later_shown = self.shown_before[cell], self.shown_later[cell]
        if not before_shown:
            result.n_before = result.before_mean = result.before_index = SUPPRESSED
        elif n_before:
            result.before_mean = self.before_mean[cell]
            result.before_index = self.before_index[cell]
        if not later_shown:
            result.n_later = result.later_mean = result.later_index = SUPPRESSED
        elif n_later:
            result.later_mean = self.later_mean[cell]
            result.later_index = self.later_index[cell]
        if before_shown and later_shown:
            result.difference = self.difference[cell]
            result.hedges_g = self.hedges_g[cell]
            result.p = self.unpaired_cells.p(cell)
            result.p_holm = self._holm(cell)[1][self._position]
        elif n_before and n_later:
            result.difference = result.hedges_g = result.p = result.p_holm = SUPPRESSED
        return result
