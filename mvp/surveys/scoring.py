"""Scale scores of one response, computed when it is saved (never at report time).

For a scale of 4-step agreement items: reverse-scored items are turned round (5 − value), the
mean is taken over the items answered (not blank, not "vet ej"), and the index is
(mean − 1) / 3 × 100, so 4 → 100, 3 → 67, 2 → 33, 1 → 0 as in Skolenkäten. For a scale of
yes/no items the mean is the share of "yes" (reverse: of "no") among the answered items, and
the index is that share × 100. A score is valid when at least two thirds of the scale's items
are answered; an invalid score keeps its count of answered items but no mean or index, so it
cannot slip into an average by mistake.
"""

import math
from dataclasses import dataclass

from mvp.surveys.models import ResponseKind


@dataclass(frozen=True)
class ScaleItem:
    """What scoring needs to know of an item."""

    item_id: int
    kind: str
    reverse: bool


@dataclass(frozen=True)
class Score:
    """One scale score of one response."""

    mean: float | None
    index: float | None
    answered: int
    valid: bool


def required_answers(item_count: int) -> int:
    """The fewest answered items that make a valid score: two thirds, rounded up."""
    return math.ceil(item_count * 2 / 3)


def reverse_scored(value, kind: str, reverse: bool):
    """An answer's value in the scale's hoped-for direction: 4..1 -> 1..4, yes/no swapped.

    The one place answers are turned round: scale scores at save time and the evaluation's
    item answers (Cronbach's alpha) both use it. `value` may be a number or a numpy array.
    """
    if not reverse:
        return value
    return 1 - value if kind == ResponseKind.YES_NO else 5 - value


def _oriented(item: ScaleItem, value: int) -> int:
    return reverse_scored(value, item.kind, item.reverse)


def score(items: list[ScaleItem], answers: dict[int, tuple[int | None, bool]]) -> Score:
    """Score one scale. `answers` maps item id -> (value, dont_know) of the answered items."""
    values = []
    for item in items:
        value, dont_know = answers.get(item.item_id, (None, False))
        if value is not None and not dont_know:
            values.append(_oriented(item, value))
    answered = len(values)
    valid = bool(items) and answered >= required_answers(len(items))
    if not valid:
        return Score(None, None, answered, False)
    mean = sum(values) / answered
    if all(item.kind == ResponseKind.YES_NO for item in items):
        index = mean * 100
    else:
        index = (mean - 1) / 3 * 100
    return Score(round(mean, 4), round(index, 2), answered, True)
