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

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

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
    """
    lines = list(lines)
    priority = priority or {}
    unpublished = set(unpublished)

    def size(key) -> int:
        return int(sizes.get(key, 0) or 0)

    cells = set(sizes) | {key for line in lines for key in (line.margin, *line.members)}
    hidden = {key for key in cells if 0 < size(key) < min_n}
    while True:
        violation, derived_by = _first_disclosure(cells, lines, hidden, unpublished, size)
        if violation is None:
            return Protection(hidden)
        candidates = _protectors(violation, derived_by, hidden, unpublished, size, priority)
        if not candidates:  # cannot happen with consistent sizes; never loop forever
            return Protection(hidden | (cells - unpublished))
        hidden.add(min(candidates)[3])


def _first_disclosure(cells, lines, hidden, unpublished, size):
    """The first line that gives a hidden cell away, and which line revealed each derived cell."""
    known = {
        key for key in cells if size(key) == 0 or (key not in unpublished and key not in hidden)
    }
    derived_by: dict = {}
    changed = True
    while changed:
        changed = False
        for line in lines:
            unknown = [key for key in (line.margin, *line.members) if key not in known]
            if len(unknown) != 1:
                continue
            if unknown[0] in hidden:
                return line, derived_by
            known.add(unknown[0])
            derived_by[unknown[0]] = line
            changed = True
    return None, derived_by


def _protectors(line, derived_by, hidden, unpublished, size, priority) -> list:
    """Shown cells whose hiding stops `line` (directly, or through the cells it derived from)."""
    candidates, seen, todo = [], set(), [line]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for key in (current.margin, *current.members):
            if key in derived_by:
                todo.append(derived_by[key])
            elif key not in hidden and key not in unpublished and size(key) > 0:
                rank = priority.get(key, 1 if key == current.margin else 0)
                candidates.append((rank, size(key), repr(key), key))
    return candidates


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
