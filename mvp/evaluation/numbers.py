"""How the evaluation writes its figures, in the reader's language, the same in every format.

The PDF, the web page and the plain-language findings all use these, so that "6,1" in a
sentence is the "6,1" of the table beside it. A suppressed figure stays "..", a figure that
does not apply is a dash.
"""

from functools import lru_cache

import numpy as np
from flask_babel import format_decimal

from mvp.evaluation.language import locale_name
from mvp.evaluation.suppress import SUPPRESSED

DASH = "–"


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _decimal(value, pattern: str) -> str:
    """format_decimal, kept per language: a report writes the same few thousand values
    again and again (Babel's formatting was an eighth of the PDF's time)."""
    return _in_language(locale_name(), value, pattern)


@lru_cache(maxsize=65536)
def _in_language(language: str, value, pattern: str) -> str:
    # `language` is the current locale's, so format_decimal (which reads it) agrees with it.
    return format_decimal(value, format=pattern)


def fmt(value, decimals: int = 0) -> str:
    """A number with `decimals` decimals (1 234,5 in Swedish)."""
    if value is None:
        return DASH
    if value == SUPPRESSED:
        return SUPPRESSED
    if round(value, decimals) == 0:
        value = 0  # never "-0,0": a figure that rounds to zero has no sign
    return _decimal(value, _pattern(decimals))


def fmt_signed(value, decimals: int = 1) -> str:
    """A change with its sign: +6,1 or -2,0."""
    text = fmt(value, decimals)
    if isinstance(value, int | float) and value > 0:
        return "+" + text
    return text


def fmt_share(value, decimals: int = 1) -> str:
    """A share between 0 and 1 as a percentage: 45,7 % in Swedish, 45.7% in English."""
    if value is None:
        return DASH
    if value == SUPPRESSED:
        return SUPPRESSED
    sign = "%" if locale_name().startswith("en") else "\u00a0%"
    return _decimal(value * 100, _pattern(decimals)) + sign


P_DECIMALS = 3
P_FLOOR = 0.001


def fmt_p(value) -> str:
    """A p-value, the one rule for every rendering: "< 0,001" (English "< 0.001") below
    0.001, else three decimals ("0,046"). The evaluation keeps p exact; this is the only
    place it is rounded."""
    if value is None:
        return DASH
    if value == SUPPRESSED:
        return SUPPRESSED
    if value < P_FLOOR:
        return "< " + _decimal(P_FLOOR, _pattern(P_DECIMALS))
    return _decimal(value, _pattern(P_DECIMALS))


def fmt_ci(low, high, decimals: int = 1) -> str:
    """A confidence interval: "2,3 to 9,9" is written [2,3; 9,9] (a comma is the decimal sign)."""
    if low is None or high is None:
        return DASH
    if SUPPRESSED in (low, high):
        return SUPPRESSED
    return f"[{fmt(low, decimals)}; {fmt(high, decimals)}]"


# How many decimals each kind of figure is rounded to (once, in the evaluation) and shown with.
# P-values are not here: they stay exact in the evaluation and are rounded once, when written
# (fmt_p).
DECIMALS = {
    "count": 0,
    "index": 1,
    "mean": 2,
    "change": 1,
    "effect": 2,
    "share": 3,
    "alpha": 2,
    "hours": 1,
}


def rounded(value, kind: str):
    """Round a figure once, as the evaluation stores it; None stays None."""
    if value is None or value == SUPPRESSED:
        return value
    decimals = DECIMALS[kind]
    if decimals == 0:
        return round(value)
    return round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


def rounded_all(values: np.ndarray, kind: str) -> list:
    """``rounded`` of every value of a float array, as a list; NaN (a figure that does not
    apply) becomes None.

    Python's round is correctly rounded on the float's exact binary value; numpy's (scale,
    round to an integer, scale back) gives the same float except where the scaled value lies
    within float noise of a half (2.675 is 2.67499999…), and those few are left to round."""
    decimals = DECIMALS[kind]
    values = np.asarray(values, dtype=float)
    factor = 10.0**decimals
    scaled = values * factor
    # As Python floats in an object array (+ 0.0 turns -0.0 into 0.0), so that NaN becomes
    # None in one step: most cells of a phase are empty, and one assignment each was slow.
    result = (np.rint(scaled) / factor + 0.0).astype(object)
    with np.errstate(invalid="ignore"):
        near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for at in np.flatnonzero(near_half).tolist():
        result[at] = round(float(values[at]), decimals) + 0.0
    result[np.isnan(values)] = None
    return result.tolist()


def fmt_kind(value, kind: str) -> str:
    """Write a figure of a kind the way the evaluation's tables do."""
    if kind == "share":
        return fmt_share(value)
    if kind == "p":
        return fmt_p(value)
    if kind == "change":
        return fmt_signed(value, DECIMALS["change"])
    if kind == "text":
        return DASH if value is None else str(value)
    return fmt(value, DECIMALS.get(kind, 0))
