"""How figures are written: Swedish and English decimals, signs, intervals and p-values."""

import math

import numpy as np
import pytest
from flask_babel import force_locale

from mvp.evaluation.numbers import (
    DECIMALS,
    fmt,
    fmt_ci,
    fmt_p,
    fmt_share,
    fmt_signed,
    rounded,
    rounded_all,
)


def test_swedish_and_english_decimals_and_shares(app):
    with app.test_request_context(), force_locale("sv"):
        assert fmt(1234.5, 1) == "1\xa0234,5"
        assert fmt_share(0.457) == "45,7\xa0%"
        assert fmt_p(0.0004) == "< 0,001" and fmt_p(0.0456) == "0,046"
    with app.test_request_context(), force_locale("en"):
        assert fmt(1234.5, 1) == "1,234.5"
        assert fmt_share(0.457) == "45.7%"


def test_a_figure_that_rounds_to_zero_has_no_sign(app):
    # A confidence interval from -0.04 to 6.3 is written [0,0; 6,3], never [-0,0; 6,3].
    low = rounded(-0.04, "change")
    assert low == 0 and math.copysign(1, low) == 1
    with app.test_request_context(), force_locale("sv"):
        assert fmt_ci(low, 6.3) == "[0,0; 6,3]"
        assert fmt_ci(-0.04, 6.3) == "[0,0; 6,3]"  # also when given unrounded
        assert fmt_signed(rounded(-0.02, "change")) == "0,0"
        assert fmt_signed(-2.0) == "-2,0" and fmt_signed(6.1) == "+6,1"


def test_p_is_written_by_one_rule_rounded_once(app):
    with app.test_request_context(), force_locale("sv"):
        assert [fmt_p(p) for p in (0.0009999, 0.001, 0.04649, 0.0465001, 0.5, 1.0)] == [
            "< 0,001",
            "0,001",
            "0,046",
            "0,047",
            "0,500",
            "1,000",
        ]
        assert fmt_p(None) == "–" and fmt_p("..") == ".."
    with app.test_request_context(), force_locale("en"):
        assert fmt_p(0.00002) == "< 0.001" and fmt_p(0.04649) == "0.046"


@pytest.mark.parametrize("kind", ["index", "mean", "change", "effect", "share"])
def test_every_cell_rounded_at_once_is_each_figure_rounded_alone(kind):
    # Means of stored hundredths land on halves all the time (63.45 to one decimal); 2.675
    # is really 2.67499999…, which Python rounds down and scale-and-rint would round up.
    decimals = DECIMALS[kind]
    rng = np.random.default_rng(7)
    halves = rng.integers(-(10**6), 10**6, 20_000) / (2 * 10**decimals) + 0.5 / 10**decimals
    values = np.concatenate(
        [
            rng.uniform(-100, 100, 20_000),
            np.round(rng.uniform(-100, 100, 20_000), decimals + 1),
            halves,
            [2.675, 1.005, -0.04, -0.0, 0.0, np.nan, 1e12 + 0.5],
        ]
    )
    got = rounded_all(values, kind)
    want = [None if math.isnan(v) else rounded(v, kind) for v in values.tolist()]
    assert [repr(v) for v in got] == [repr(v) for v in want]
    assert rounded_all(np.array([2.675]), "mean") == [2.67]
