"""The suppression rule: figures about fewer than SUPPRESSION_MIN pupils are shown as "..".

Skolverket shows ".." for results based on fewer than 10 pupils. Suppressing one cell of a
row is not enough when the row's total is shown, since the total minus the other cells
gives it back; a second (the smallest remaining) cell is then suppressed too.
"""

from collections.abc import Mapping

SUPPRESSED = ".."


def suppress_counts(
    cells: Mapping[str, int], min_n: int, *, total: int | None = None
) -> tuple[dict[str, int | str], int | str | None]:
    """Suppress small counts in one row of a table, and a second cell where the total would tell.

    Zero is shown: it says nothing about any person. Returns the row and its total (the total
    is suppressed only when no other cell can protect the small one).
    """
    small = {key for key, count in cells.items() if 0 < count < min_n}
    if len(small) == 1 and total is not None:
        others = sorted(
            (count, key) for key, count in cells.items() if key not in small and count > 0
        )
        if others:
            small.add(others[0][1])
        else:
            total = SUPPRESSED  # the total is the small cell itself
    if total is not None and total != SUPPRESSED and 0 < total < min_n:
        total = SUPPRESSED
    row = {key: (SUPPRESSED if key in small else count) for key, count in cells.items()}
    return row, total
