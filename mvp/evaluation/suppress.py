"""The suppression rule: figures about fewer than SUPPRESSION_MIN pupils are shown as "..".

Skolverket shows ".." for results based on fewer than 10 pupils. Suppressing one cell of a
row is not enough when the row's total is shown, since the total minus the other cells
gives it back; a second (the smallest remaining) cell is then suppressed too.

The evaluation publishes many figures that add up: a total is the sum of its girls, boys,
"other" and "no answer"; of its schools; of its grades; a school is the sum of its sexes
and of its grades; all answers before the lessons are the linked ones plus the unlinked
ones. Each such relation is a *line* (a margin and its members). ``protect`` hides every
small cell and then, line by line and until nothing changes, a second cell wherever a line
has exactly one hidden cell — the one way a hidden figure could be computed back from the
shown ones. Means, shares and changes are weighted sums over the same pupils as counts,
so the same rule protects them when it is run on the numbers of pupils behind them.
"""

from bisect import bisect_left, bisect_right, insort
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from heapq import heappop, heappush

import numpy as np

SUPPRESSED = ".."


@dataclass(frozen=True)
class Line:
    """A margin that is the sum of its members (a total and its parts)."""

    margin: Hashable
    members: tuple


@dataclass
class Protection:
    """Which cells to hide: the result of ``protect``."""

    hidden: set = field(default_factory=set)

    def shows(self, key: Hashable) -> bool:
        """Whether the figures of a cell may be shown."""
        return key not in self.hidden


def protect(
    sizes: Mapping[Hashable, int],
    lines: Iterable[Line],
    min_n: int,
    *,
    priority: Mapping[Hashable, int] | None = None,
    unpublished: Iterable[Hashable] = (),
) -> Protection:
    """Hide small cells, then more cells until no hidden cell can be computed from shown ones.

    `sizes` gives the number of pupils behind each cell (a missing key counts as 0; zero is
    shown, it says nothing about anyone). A cell of 1 to min_n − 1 pupils is hidden. A reader
    knows every shown cell and can solve any line with one unknown cell; `unpublished` cells
    (never shown, such as the unlinked answers inside a total) are unknown but become known
    when a line gives them away. Wherever a line would give away a hidden cell, one more
    shown cell is hidden: of that line, or of a line that gave away one of its cells, the one
    with the lowest (priority, size). By default a line's members have priority 0 and its
    margin 1, so the smallest other part goes before the total.

    The reader's reasoning is simulated as sweeps over the lines in their given order (a
    line solved in a sweep helps the lines after it in the same sweep), and the first line
    that gives a hidden cell away is the one protected. The cells and lines are numbered, and
    each round keeps what the last one solved and changes only what the newly hidden cell
    changes (``_Table``), so a round costs about the lines it changes, not every line
    solved again.
    """
    return Layout(sizes, lines, unpublished).protect(sizes, min_n, priority=priority)


class Layout:
    """The cells and lines of a table, numbered once for any number of ``protect`` runs over
    different sizes (every scale of the evaluation has the same cells and lines: only the
    numbers of pupils differ, and numbering them was a tenth of the rule's time)."""

    def __init__(self, keys: Iterable[Hashable], lines: Iterable[Line], unpublished=()):
        number: dict = {}
        ordered: list = []

        def index(key) -> int:
            found = number.get(key)
            if found is None:
                found = number[key] = len(ordered)
                ordered.append(key)
            return found

        for key in keys:
            index(key)
        self.lines = [[index(key) for key in (line.margin, *line.members)] for line in lines]
        self.keys = ordered
        unpublished = set(unpublished)
        self.unpublished = [key in unpublished for key in ordered]
        # The lines each cell is in (once per time it appears in the line).
        self.lines_of: list[list[int]] = [[] for _key in ordered]
        for line_number, members in enumerate(self.lines):
            for cell in members:
                self.lines_of[cell].append(line_number)
        self.width = len(self.lines) + 1
        self.distinct_lines_of = [list(dict.fromkeys(found)) for found in self.lines_of]
        # Every line's cells back to back, and the line of each: the state before any line
        # is solved is then a few array sums, not a Python sum per line (_Table.start).
        self.line_cells = np.fromiter(
            (cell for members in self.lines for cell in members), dtype=np.int64
        )
        self.line_of_cell = np.repeat(
            np.arange(len(self.lines)), [len(members) for members in self.lines]
        )
        self.unpublished_array = np.array(self.unpublished, dtype=bool)

    def protect(
        self,
        sizes: Mapping[Hashable, int],
        min_n: int,
        *,
        priority: Mapping[Hashable, int] | None = None,
    ) -> Protection:
        """``protect`` over these cells and lines with these sizes (see there)."""
        return self.protect_numbered(
            [int(sizes.get(key, 0) or 0) for key in self.keys], min_n, priority=priority
        )

    def protect_numbered(
        self,
        sizes: Sequence[int],
        min_n: int,
        *,
        priority: Mapping[Hashable, int] | None = None,
    ) -> Protection:
        """``protect`` with the sizes listed in the order of ``keys`` (the keys a layout was
        made with come first, in their order; cells beyond the list count as 0) — for a
        caller that has its sizes as an array already (numpy's or a list), so no mapping is
        made and read back."""
        sizes = np.asarray(sizes, dtype=np.int64)
        if len(sizes) < len(self.keys):
            sizes = np.concatenate([sizes, np.zeros(len(self.keys) - len(sizes), np.int64)])
        table = _Table(self, sizes.tolist())
        priority = priority or {}
        small = (sizes > 0) & (sizes < min_n)
        hidden = small.tolist()
        table.start(hidden, known=(sizes == 0) | ~(self.unpublished_array | small))
        while True:
            violation, derived_by = table.first_disclosure()
            if violation is None:
                return Protection({table.keys[i] for i, h in enumerate(hidden) if h})
            candidates = table.protectors(violation, derived_by, priority)
            if not candidates:  # cannot happen with consistent sizes; never loop forever
                return Protection(
                    {
                        key
                        for i, key in enumerate(table.keys)
                        if hidden[i] or not table.unpublished[i]
                    }
                )
            table.hide(table.choose(candidates))


_NEVER = 1 << 62  # a time after every sweep
_START = -1  # before the first sweep
_NONE = -2  # no time at all (below _START)


class _Table:
    """The cells (numbered) and lines (lists of cell numbers, margin first) of one ``protect``,
    and the reader's sweeps over them, kept from round to round.

    A sweep point is a time: pass × (lines + 1) + line number; at its time a line is visited
    and, with exactly one unknown cell, solves it. A round ends at the first line that gives
    a hidden cell away (time V). The round keeps when each cell was solved and by which
    line, and the reader's state at V. Hiding one more cell c (shown so far, so known from
    the start) can only take knowledge away, and only through the lines c is in: so the next
    round goes through the times where something may now differ — a line holding a changed
    cell, at the time it solved its cell (it may not any more) or at its next visit where it
    is down to one unknown cell (it may now solve one) — in time order, cancelling solutions
    and making new ones, each change waking the lines of its cell. Everything else the last
    round solved stands. Before V this finds the same first disclosure a sweep from the
    beginning would; past V the sweeps go on as usual. A round costs the lines that change,
    not the lines solved since c first mattered (re-solving those was most of the rule).
    """

    def __init__(self, layout: Layout, sizes: list[int]):
        self.layout = layout
        self.lines = layout.lines
        self.keys = layout.keys
        self.unpublished = layout.unpublished
        self.lines_of = layout.lines_of
        self.width = layout.width
        self.size = sizes

    # --- the state before any line is solved -------------------------------------------------

    def start(self, hidden: list[bool], known: np.ndarray) -> None:
        """What the reader knows before solving any line (`known`: shown cells and zeros).
        Per line: its unknown cells, and the sum of their numbers (the one unknown cell,
        when one)."""
        self.hidden = hidden
        layout = self.layout
        self.known = known.tolist()
        unknown_member = ~known[layout.line_cells]
        lines = len(self.lines)
        self.unknown = (
            np.bincount(layout.line_of_cell, weights=unknown_member, minlength=lines)
            .astype(np.int64)
            .tolist()
        )
        # Cell numbers are far below 2**53: their sums in floats are exact.
        self.sums = (
            np.bincount(
                layout.line_of_cell, weights=layout.line_cells * unknown_member, minlength=lines
            )
            .astype(np.int64)
            .tolist()
        )
        self.round_started = False
        self.pending: int | None = None

    def hide(self, cell: int) -> None:
        """Hide one more (shown, so known) cell: from the start, it is unknown."""
        self.hidden[cell] = True
        self.known[cell] = False
        for line in self.lines_of[cell]:
            self.unknown[line] += 1
            self.sums[line] += cell
        self.pending = cell

    # --- the rounds ------------------------------------------------------------------------

    def first_disclosure(self) -> tuple[int | None, dict]:
        """The first line that gives a hidden cell away, and which line revealed each derived
        cell — as sweeps over the lines in order until a sweep solves nothing."""
        if not self.round_started:
            self._from_start()
            return self._sweep(0, 0)
        cell, self.pending = self.pending, None
        line = self._update(cell)
        if line is not None:
            return line, self.derived
        return self._sweep(self.violation_line, self.violation // self.width)

    def _from_start(self) -> None:
        self.round_started = True
        # Per cell when it was solved (_NEVER: not solved; cells known from the start are
        # never solved), per derived cell its line, per line when it solved its cell; the
        # solutions in time order, to take back those after an earlier disclosure.
        self.solved_at = [_NEVER] * len(self.size)
        self.derived: dict[int, int] = {}
        self.line_solved_at = [_NEVER] * len(self.lines)
        self.log_times: list[int] = []
        self.log_cells: list[int] = []
        self.violation, self.violation_line = _NEVER, 0
        # The reader's state when the round stopped (at its disclosure): what is known, per
        # line its unknown cells and their sum, and the lines down to one unknown cell, in
        # line order (the sweeps visit them in that order, and only them).
        self.work_known = list(self.known)
        self.work_unknown = list(self.unknown)
        self.work_sums = list(self.sums)
        self.ones = [line for line, n in enumerate(self.work_unknown) if n == 1]

    def _sweep(self, position: int, sweep_number: int) -> tuple[int | None, dict]:
        """Visit the lines down to one unknown cell in line order from `position`, pass after
        pass, solving each, until one gives a hidden cell away or none is left."""
        hidden, width, derived = self.hidden, self.width, self.derived
        sums, ones = self.work_sums, self.ones
        solved_at, line_solved_at = self.solved_at, self.line_solved_at
        log_times, log_cells = self.log_times, self.log_cells
        # `ones` holds exactly the lines with one unknown cell, kept in order: the next line
        # to visit is the first after the current one, or the first of the next pass.
        at = bisect_left(ones, position)
        while ones:
            if at >= len(ones):
                at = 0
                sweep_number += 1
            number = ones[at]
            cell = sums[number]
            now = sweep_number * width + number
            if hidden[cell]:
                self.violation, self.violation_line = now, number
                return number, derived
            solved_at[cell] = now
            derived[cell] = number
            line_solved_at[number] = now
            log_times.append(now)
            log_cells.append(cell)
            self._work_known(cell)
            at = bisect_right(ones, number)
        self.violation = _NEVER
        return None, derived

    def _update(self, cell: int) -> int | None:
        """The last round's solutions with `cell` newly hidden, up to the last disclosure:
        the line of an earlier disclosure (the state then taken back to it), or None (the
        state is the reader's at the last disclosure, for the sweeps to go on from)."""
        lines, lines_of, width = self.lines, self.lines_of, self.width
        known, hidden, solved_at = self.known, self.hidden, self.solved_at
        derived, line_solved_at = self.derived, self.line_solved_at
        until = self.violation
        work_unknown = self.work_unknown
        waiting: list[tuple[int, int]] = []

        # A line woken after `after` (a change to one of its cells) may act again: when it
        # solved its cell (it may not any more), and at its first visit down to one unknown
        # cell (by when its cells are solved now). The loops below check the first, and
        # whether two of its cells are still unknown at the disclosure (the reader's state
        # there, with every change so far): then it comes down to one unknown cell no
        # sooner, and its members need no look. Most lines woken are such; the others:
        def next_visit(line: int, after: int) -> None:
            # The latest and the second latest time one of its cells is solved (a cell known
            # from the start is no unknown cell): down to one unknown cell between the two.
            last = second = _NONE
            for member in lines[line]:
                if not known[member]:
                    solved = solved_at[member]
                    if solved > last:
                        last, second = solved, last
                    elif solved > second:
                        second = solved
            if last == _NONE:
                return
            since = max(second, after)  # _NONE < _START: one unknown cell from the start
            if since >= _NEVER:
                return
            if since < 0:
                time = line
            else:
                sweep, position = divmod(since, width)
                time = sweep * width + line if line > position else (sweep + 1) * width + line
            if time < until and time <= last:
                heappush(waiting, (time, line))

        self._work_unknown_again(cell)
        for line in self.layout.distinct_lines_of[cell]:
            solved = line_solved_at[line]  # woken from the start
            if _START < solved < until:
                heappush(waiting, (solved, line))
            if work_unknown[line] <= 1:
                next_visit(line, _START)
        while waiting:
            now, line = heappop(waiting)
            unknown = [
                member for member in lines[line] if not known[member] and solved_at[member] >= now
            ]
            if len(unknown) == 1:
                member = unknown[0]
                if solved_at[member] == now:
                    continue  # it solves the same cell, at the same time, as before
                if hidden[member]:
                    self._take_back_from(now)
                    self.violation, self.violation_line = now, line
                    return line
                # It solves a cell now that it could not solve before.
                solved_at[member] = now
                derived[member] = line
                line_solved_at[line] = now
                at = bisect_left(self.log_times, now)
                self.log_times.insert(at, now)
                self.log_cells.insert(at, member)
                self._work_known(member)
            elif line_solved_at[line] == now:
                # It no longer solves the cell it solved at this time.
                member = next(m for m in lines[line] if solved_at[m] == now)
                solved_at[member] = _NEVER
                del derived[member]
                line_solved_at[line] = _NEVER
                at = bisect_left(self.log_times, now)
                del self.log_times[at], self.log_cells[at]
                self._work_unknown_again(member)
            else:
                continue
            for other in lines_of[member]:
                solved = line_solved_at[other]  # woken after now
                if now < solved < until:
                    heappush(waiting, (solved, other))
                if work_unknown[other] <= 1:
                    next_visit(other, now)
        return None

    def _take_back_from(self, time: int) -> None:
        """Take back the solutions from `time` on: the state at an earlier disclosure."""
        log_times, log_cells = self.log_times, self.log_cells
        keep = bisect_left(log_times, time)
        for member in reversed(log_cells[keep:]):
            self.line_solved_at[self.derived.pop(member)] = _NEVER
            self.solved_at[member] = _NEVER
            self._work_unknown_again(member)
        del log_times[keep:], log_cells[keep:]

    def _work_unknown_again(self, cell: int) -> None:
        """The reader's state with `cell` unknown again: per line one unknown cell more (a
        line rising to one unknown cell is not in `ones` yet, a line rising to two is)."""
        unknown, sums, ones = self.work_unknown, self.work_sums, self.ones
        self.work_known[cell] = False
        for line in self.lines_of[cell]:
            left = unknown[line] + 1
            unknown[line] = left
            sums[line] += cell
            if left == 1:
                insort(ones, line)
            elif left == 2:
                del ones[bisect_left(ones, line)]

    def _work_known(self, cell: int) -> None:
        """The reader's state with `cell` solved: per line one unknown cell fewer (a line
        falling to one unknown cell is not in `ones` yet, a line falling to none is)."""
        unknown, sums, ones = self.work_unknown, self.work_sums, self.ones
        self.work_known[cell] = True
        for line in self.lines_of[cell]:
            left = unknown[line] - 1
            unknown[line] = left
            sums[line] -= cell
            if left == 1:
                insort(ones, line)
            elif left == 0:
                del ones[bisect_left(ones, line)]

    def protectors(self, line: int, derived_by: dict, priority) -> list:
        """Shown cells whose hiding stops `line` (directly, or through the cells it derived)."""
        hidden = self.hidden
        candidates, seen, todo = [], set(), [line]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            members = self.lines[current]
            for cell in members:
                if cell in derived_by:
                    todo.append(derived_by[cell])
                elif not hidden[cell] and not self.unpublished[cell] and self.size[cell] > 0:
                    key = self.keys[cell]
                    rank = priority.get(key, 1 if cell == members[0] else 0)
                    candidates.append((rank, self.size[cell], cell))
        return candidates

    def choose(self, candidates: list) -> int:
        """The candidate of the lowest (priority, size), then tie-break: the tie-break (a
        printed key) is made only for the candidates tied on the first two."""
        best = min(candidates)[:2]
        tied = {cell for rank, size, cell in candidates if (rank, size) == best}
        if len(tied) == 1:
            return tied.pop()
        return min((_tie_break(self.keys[cell]), cell) for cell in tied)[1]


def _tie_break(key: Hashable) -> str:
    """The order among equal-sized candidates: a key's own (mvp.evaluation.keys.Cell) or its
    printed form, so the same cells are hidden whatever the key type."""
    own = getattr(key, "tie_break", None)
    return own() if own is not None else repr(key)


def suppress_counts(
    cells: Mapping[str, int], min_n: int, *, total: int | None = None
) -> tuple[dict[str, int | str], int | str | None]:
    """Suppress small counts in one row of a table, and a second cell where the total would tell.

    Zero is shown: it says nothing about any person. Returns the row and its total (the total
    is suppressed only when it is small itself or no other cell can protect the small one).
    """
    sizes: dict = dict(cells)
    lines = []
    if total is not None:
        sizes[_TOTAL] = total
        lines.append(Line(_TOTAL, tuple(cells)))
    shown = protect(sizes, lines, min_n)
    row = {key: (count if shown.shows(key) else SUPPRESSED) for key, count in cells.items()}
    if total is not None and not shown.shows(_TOTAL):
        total = SUPPRESSED
    return row, total


_TOTAL = ("__total__",)


def partition_lines(margin: Hashable, members: Iterable[Hashable]) -> list[Line]:
    """One line: a margin and the parts it is split into."""
    return [Line(margin, tuple(members))]


def grid_lines(
    rows: Iterable[Hashable],
    columns: Iterable[Hashable],
    *,
    cell,
    row_margin,
    column_margin,
    total: Hashable,
) -> list[Line]:
    """The lines of a two-way table with row, column and grand totals.

    `cell(r, c)`, `row_margin(r)` and `column_margin(c)` name the cells.
    """
    rows, columns = list(rows), list(columns)
    lines = [Line(row_margin(r), tuple(cell(r, c) for c in columns)) for r in rows]
    lines += [Line(column_margin(c), tuple(cell(r, c) for r in rows)) for c in columns]
    lines.append(Line(total, tuple(row_margin(r) for r in rows)))
    lines.append(Line(total, tuple(column_margin(c) for c in columns)))
    return lines


def shown_or_suppressed(value, visible: bool):
    """The value itself where the cell is shown, else ".."."""
    return value if visible else SUPPRESSED
