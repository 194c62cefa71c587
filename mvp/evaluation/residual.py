"""Pupils who answered "other" or "prefer not to say" to the question about sex.

They are few, and a figure about a handful of them would identify them. Hiding their cell is
not enough: the total minus girls and boys would give it back, and the suppression rule
would then hide the girls' or the boys' figure instead — the very breakdown the evaluation
must show (förordning 2001:100, 14 §). So these *residual* groups are shown in their own
column only where they are at least the suppression threshold; where a residual group is
smaller, its answers are set aside: left out of every figure of that table, totals
included, and said so in a note. The totals are then the pupils who are shown.

A residual group is judged per school and phase (the finest breakdown by sex that is
published), so a set-aside group leaves no trace in any total either.
"""

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence

RESIDUAL_SEXES = ("other", "no_answer")


def is_small(n: int, min_n: int) -> bool:
    """A group that would be hidden: 1 to min_n − 1 pupils (zero tells nothing)."""
    return 0 < n < min_n


def small_residuals(
    people: Iterable, key: Callable[[object], Hashable], sex: Callable[[object], str], min_n: int
) -> set[tuple[Hashable, str]]:
    """The (key, residual sex) groups with 1 to min_n − 1 of `people`."""
    counts = Counter((key(person), sex(person)) for person in people)
    return {
        (group_key, group_sex)
        for (group_key, group_sex), n in counts.items()
        if group_sex in RESIDUAL_SEXES and is_small(n, min_n)
    }


def set_aside(
    people: list,
    key: Callable[[object], Hashable],
    sex: Callable[[object], str],
    min_n: int,
    *,
    sexes: Sequence[str] | None = None,
) -> tuple[list, set[tuple[Hashable, str]]]:
    """`people` without those of small residual groups, and which groups were set aside.
    `sexes`, when given, is each person's sex in order (as `sex` gives it), read without a
    call per person."""
    # Only the residual answers are grouped: they are few, and `key` costs a lookup each.
    if sexes is None:
        residual = [person for person in people if sex(person) in RESIDUAL_SEXES]
    else:
        residual = [
            person for person, said in zip(people, sexes, strict=True) if said in RESIDUAL_SEXES
        ]
    small = small_residuals(residual, key, sex, min_n)
    if not small:
        return list(people), small
    aside = {id(person) for person in residual if (key(person), sex(person)) in small}
    return [person for person in people if id(person) not in aside], small
