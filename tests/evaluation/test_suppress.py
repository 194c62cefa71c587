"""Suppression: small cells hidden, a second cell where a total (or a difference) would tell,
applied once in the evaluation so that no rendering can show a figure about few pupils."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from mvp.evaluation.build import build_evaluation
from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.suppress import SUPPRESSED, Line, protect
from mvp.extensions import db
from mvp.schools.years import current_school_year
from tests.evaluation.factories import make_cohort, make_instrument
from tests.factories import make_group, make_school


def test_a_small_cell_takes_the_smallest_other_part_with_it():
    sizes = {"all": 81, "girl": 40, "boy": 38, "other": 3, "no_answer": 0}
    shown = protect(sizes, [Line("all", ("girl", "boy", "other", "no_answer"))], 10)
    assert shown.hidden == {"other", "boy"}


def test_a_total_is_hidden_only_when_no_part_can_protect():
    sizes = {"all": 7, "girl": 7, "boy": 0}
    assert protect(sizes, [Line("all", ("girl", "boy"))], 10).hidden == {"all", "girl"}


def test_an_unpublished_difference_is_protected_but_never_chosen_to_protect():
    # All answers before (40) = linked (38) + unlinked (2, never shown): the 2 could be
    # computed from the two shown figures, so one of them goes — the one of lower priority.
    sizes = {"all_before": 40, "linked": 38, "unlinked": 2}
    shown = protect(
        sizes,
        [Line("all_before", ("linked", "unlinked"))],
        10,
        priority={"linked": 3, "all_before": 2},
        unpublished={"unlinked"},
    )
    assert shown.hidden == {"unlinked", "all_before"}


def test_a_hidden_cell_revealed_through_a_chain_of_lines_is_protected():
    # school A = A girls + A boys; A girls is small. A boys is unpublished but is given away
    # by another line (boys = A boys + B boys), so A girls = A − A boys would be known.
    sizes = {"A": 30, "A_girls": 4, "A_boys": 26, "boys": 50, "B_boys": 24}
    lines = [Line("A", ("A_girls", "A_boys")), Line("boys", ("A_boys", "B_boys"))]
    shown = protect(sizes, lines, 10, unpublished={"A_boys"})
    assert "A_girls" in shown.hidden
    assert shown.hidden & {"A", "boys", "B_boys"}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=2, max_size=5),
    st.lists(st.integers(0, 30), min_size=2, max_size=4),
)
def test_no_hidden_cell_of_a_two_way_table_can_be_solved_from_one_line(row_sizes, col_sizes):
    rows = {f"r{i}": n for i, n in enumerate(row_sizes)}
    cells = {
        (r, c): (n * (j + 1) + i) % 17
        for i, (r, n) in enumerate(rows.items())
        for j, c in enumerate(f"c{k}" for k in range(len(col_sizes)))
    }
    columns = sorted({c for _r, c in cells})
    sizes = dict(cells)
    for r in rows:
        sizes[r] = sum(cells[(r, c)] for c in columns)
    for c in columns:
        sizes[c] = sum(cells[(r, c)] for r in rows)
    sizes["all"] = sum(sizes[r] for r in rows)
    lines = [Line(r, tuple((r, c) for c in columns)) for r in rows]
    lines += [Line(c, tuple((r, c) for r in rows)) for c in columns]
    lines += [Line("all", tuple(rows)), Line("all", tuple(columns))]
    hidden = protect(sizes, lines, 10).hidden
    for key, n in sizes.items():
        if 0 < n < 10:
            assert key in hidden
    for line in lines:
        cells_in_line = [line.margin, *line.members]
        unknown = [k for k in cells_in_line if k in hidden and sizes[k] > 0]
        assert len(unknown) != 1, f"{line} gives away {unknown}"


def _walk(value, path=""):
    """Every dict in the evaluation, with where it is."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def test_no_figure_about_fewer_than_ten_pupils_is_shown_anywhere(pilot):
    data = build_evaluation(EvaluationFilter(years=(pilot.year,))).as_dict()
    counts = ("n", "n_before", "n_later", "n_linked", "n_unlinked", "responses")
    checked = 0
    for path, item in _walk(data):
        for key in counts:
            value = item.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                checked += 1
                assert not 0 < value < 10, f"{path}.{key} = {value}"
        if not (path.endswith(("by_sex", "schools", "total")) or ".reach" in path):
            continue
        for key in ("girls", "boys", "others", "girl", "boy", "other", "no_answer"):
            value = item.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                assert not 0 < value < 10, f"{path}.{key} = {value}"
    assert checked > 100


def test_a_lone_small_sex_takes_a_second_sex_with_it_in_every_table(app):
    # 30 girls, 28 boys and 3 pupils answering "other": "other" is hidden, and the boys too,
    # since the total minus the girls would otherwise give the three away.
    rng = random.Random(5)
    school = make_school(name="Ekskolan")
    year = current_school_year() - 1
    group = make_group(school, name="8A", school_year=year, girls=25, boys=25, others=0)
    instrument = make_instrument()
    make_cohort(
        group,
        instrument,
        rng=rng,
        sexes=["girl"] * 30 + ["boy"] * 28 + ["other"] * 3,
        answer_rate=1.0,
        link_rate=1.0,
    )
    db.session.expire_all()
    evaluation = build_evaluation(EvaluationFilter(years=(year,)))
    responses = evaluation.reach.responses[0]
    assert responses.by_sex == {
        "girl": 30,
        "boy": SUPPRESSED,
        "other": SUPPRESSED,
        "no_answer": 0,
    }
    assert responses.responses == 61
    for scale in evaluation.effectiveness.scales:
        assert isinstance(scale.paired.n, int) and scale.paired.n >= 50
        by_sex = {group.key: group.paired for group in scale.by_sex}
        assert by_sex["girl"].n >= 25 and isinstance(by_sex["girl"].change, float)
        assert by_sex["other"].change == SUPPRESSED
        assert by_sex["boy"].change == SUPPRESSED and by_sex["boy"].n == SUPPRESSED
        assert all(text.startswith(("Flickor", "Pojkar")) for text in scale.findings_by_sex)
        assert "för få" in scale.findings_by_sex[1]


def test_the_threshold_is_a_setting(app, pilot, monkeypatch):
    monkeypatch.setitem(app.config, "SUPPRESSION_MIN", 2)
    evaluation = build_evaluation(EvaluationFilter(years=(pilot.year,)))
    assert evaluation.reach.total.boys == 48 and evaluation.reach.total.others == 2
    assert evaluation.meta.suppression_min == 2
