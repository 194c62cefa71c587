"""The suppression rule on counts: small cells hidden, and a second cell where a total tells."""

from hypothesis import given
from hypothesis import strategies as st

from mvp.evaluation.suppress import SUPPRESSED, suppress_counts


def test_large_counts_are_shown():
    row, total = suppress_counts({"girls": 40, "boys": 38, "others": 12}, 10, total=90)
    assert row == {"girls": 40, "boys": 38, "others": 12} and total == 90


def test_one_small_cell_takes_the_smallest_other_with_it_when_the_total_is_shown():
    row, total = suppress_counts({"girls": 40, "boys": 38, "others": 3}, 10, total=81)
    assert row == {"girls": 40, "boys": SUPPRESSED, "others": SUPPRESSED}
    assert total == 81


def test_without_a_total_one_small_cell_is_enough():
    row, total = suppress_counts({"girls": 40, "boys": 38, "others": 3}, 10)
    assert row == {"girls": 40, "boys": 38, "others": SUPPRESSED} and total is None


def test_zero_is_shown_and_cannot_protect_a_small_cell():
    row, total = suppress_counts({"girls": 7, "boys": 0, "others": 0}, 10, total=7)
    assert row == {"girls": SUPPRESSED, "boys": 0, "others": 0}
    assert total == SUPPRESSED


def test_two_small_cells_protect_each_other():
    row, total = suppress_counts({"girls": 50, "boys": 4, "others": 2}, 10, total=56)
    assert row == {"girls": 50, "boys": SUPPRESSED, "others": SUPPRESSED} and total == 56


@given(
    st.dictionaries(
        st.sampled_from(["girls", "boys", "others", "no_answer"]), st.integers(0, 40), min_size=2
    ),
    st.integers(2, 15),
)
def test_no_small_cell_can_be_recovered_from_the_total(cells, min_n):
    row, total = suppress_counts(cells, min_n, total=sum(cells.values()))
    hidden = [key for key, value in row.items() if value == SUPPRESSED]
    for key, count in cells.items():
        if 0 < count < min_n:
            assert row[key] == SUPPRESSED
    # A total minus the shown cells must never reveal exactly one hidden cell.
    if total != SUPPRESSED:
        assert len(hidden) != 1
