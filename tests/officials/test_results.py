"""The headline shares and their Wilson intervals against an independent computation, the
suppression rule (with the secondary cell), and the by-sex tables."""

import math

import pytest

from mvp.evaluation.suppress import SUPPRESSED
from mvp.officials import results
from tests.officials_factories import add_answers, make_body, make_round, set_seats


def _score_interval(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Every p whose score test does not reject k of n, found by bisection (an independent way
    to the Wilson interval: |k/n - p| <= z * sqrt(p(1-p)/n))."""

    def inside(p):
        return abs(k / n - p) <= z * math.sqrt(p * (1 - p) / n)

    def edge(a, b):  # a inside, b outside
        for _ in range(200):
            middle = (a + b) / 2
            a, b = (middle, b) if inside(middle) else (a, middle)
        return a

    centre = k / n if 0 < k < n else (0.5 / n if k == 0 else 1 - 0.5 / n)
    low = 0.0 if inside(1e-15) else edge(centre, 0.0)
    high = 1.0 if inside(1 - 1e-15) else edge(centre, 1.0)
    return low, high


@pytest.mark.parametrize(("k", "n"), [(7, 12), (0, 9), (9, 9), (23, 31), (1, 40)])
def test_wilson_matches_the_score_test(app, k, n):
    low, high = results.wilson(k, n)
    expected = _score_interval(k, n)
    assert low == pytest.approx(expected[0], abs=1e-6)
    assert high == pytest.approx(expected[1], abs=1e-6)


def _scenario():
    body = make_body()
    set_seats(2026, body, ordinary_woman=20, ordinary_man=20, ordinary_other=3)
    round_ = make_round(2026)
    rows = []
    # Women: 12 answered the headline with a step (8 safe), 2 "Vet inte".
    rows += [("woman", {"trygg": 4, "utsatt_hot": 1})] * 5
    rows += [("woman", {"trygg": 3, "utsatt_hot": 2})] * 3
    rows += [("woman", {"trygg": 2, "utsatt_hot": 1})] * 2
    rows += [("woman", {"trygg": 1, "utsatt_hot": 2})] * 2
    rows += [("woman", {"trygg": "V"})] * 2
    # Men: 10 answered (9 safe).
    rows += [("man", {"trygg": 4, "utsatt_hot": 2})] * 6
    rows += [("man", {"trygg": 3, "utsatt_vald": 1})] * 3
    rows += [("man", {"trygg": 2})]
    # Two of another sex or not stated: a small group.
    rows += [("other", {"trygg": 4}), ("no_answer", {"trygg": 1})]
    add_answers(round_, rows)
    return round_


def test_shares_by_sex_are_counted_from_the_answers(app):
    _scenario()
    result = results.build(2026)
    safe = result.current.safe
    assert (safe["woman"].n, safe["woman"].share) == (12, round(8 / 12, 3))
    assert (safe["man"].n, safe["man"].share) == (10, round(9 / 10, 3))
    low, high = _score_interval(8, 12)
    assert (safe["woman"].low, safe["woman"].high) == (round(low, 3), round(high, 3))
    assert result.current.dont_know == SUPPRESSED  # two "Vet inte": fewer than five


def test_a_small_group_is_hidden_and_so_is_the_total_that_would_give_it_away(app):
    _scenario()
    safe = results.build(2026).current.safe
    assert safe["other"].share == SUPPRESSED and safe["other"].n == SUPPRESSED
    # Primary: "other" (2 answers). Secondary: the total, else all − women − men = other.
    assert safe["all"].share == SUPPRESSED and safe["all"].n == SUPPRESSED
    assert safe["woman"].share != SUPPRESSED and safe["man"].share != SUPPRESSED


def test_exposure_by_sex_and_a_threshold_set_for_the_survey(app):
    round_ = _scenario()
    exposed = next(m for m in results.build(2026).measures if m.key == "exposed")
    # Women: 7 exposed (5 + 2 said yes to threats) of the 12 answering an exposure question.
    assert (exposed.shares["woman"].n, exposed.shares["woman"].share) == (12, round(7 / 12, 3))
    # Men: 3 exposed to violence of 9 answering one of the four.
    assert (exposed.shares["man"].n, exposed.shares["man"].share) == (9, round(3 / 9, 3))
    round_.suppression_min = 10
    from mvp.extensions import db

    db.session.commit()
    exposed = next(m for m in results.build(2026).measures if m.key == "exposed")
    assert exposed.shares["man"].share == SUPPRESSED  # 9 answers, threshold 10
    assert exposed.shares["woman"].share != SUPPRESSED


def test_the_trend_compares_with_the_year_before(app):
    body = make_body()
    for year in (2025, 2026):
        set_seats(year, body, ordinary_woman=30, ordinary_man=30)
    earlier = make_round(2025)
    add_answers(earlier, [("woman", {"trygg": 4})] * 5 + [("woman", {"trygg": 1})] * 5)
    add_answers(earlier, [("man", {"trygg": 4})] * 8 + [("man", {"trygg": 2})] * 2)
    now = make_round(2026)
    add_answers(now, [("woman", {"trygg": 4})] * 8 + [("woman", {"trygg": 1})] * 2)
    add_answers(now, [("man", {"trygg": 4})] * 8 + [("man", {"trygg": 2})] * 2)
    result = results.build()
    assert [y.year for y in result.trend] == [2025, 2026]
    assert result.trend[0].safe["woman"].share == 0.5
    assert result.changes[0].startswith("Kvinnor: +30,0 procentenheter från 2025 till 2026.")


def test_the_results_page_keeps_its_query_count_as_rounds_and_answers_grow(
    app, client, count_queries
):
    from tests.factories import make_user, sign_in

    body = make_body()
    set_seats(2024, body, ordinary_woman=30, ordinary_man=30)
    first = make_round(2024)
    add_answers(first, [("woman", {"trygg": 4, "utsatt_hot": 1})] * 6)
    sign_in(client, make_user("viewer"))
    with count_queries() as few:
        assert client.get("/officials/results").status_code == 200
    for year in (2025, 2026):
        set_seats(year, body, ordinary_woman=30, ordinary_man=30)
        add_answers(make_round(year), [("man", {"trygg": 3, "oro": 2})] * 12)
    with count_queries() as many:
        assert client.get("/officials/results").status_code == 200
    assert len(few) == len(many)
