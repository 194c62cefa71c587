"""Named suppression cells (mvp.evaluation.keys.Cell) hide exactly what the tuples they
replaced hid, also where equal-sized cells make protect() choose between them."""

from mvp.evaluation.keys import (
    COMPLETE,
    LINKAGE,
    PUPILS,
    RESPONSES,
    Cell,
    item_cell,
    scale_cell,
)
from mvp.evaluation.suppress import Line, grid_lines, protect

SEXES = ("girls", "boys", "others")


def _hidden(schools, counts, cell, row, column, total):
    sizes = {}
    for s in schools:
        for sex in SEXES:
            sizes[cell(s, sex)] = counts[s][sex]
        sizes[row(s)] = sum(counts[s].values())
    for sex in SEXES:
        sizes[column(sex)] = sum(counts[s][sex] for s in schools)
    sizes[total] = sum(sizes[column(sex)] for sex in SEXES)
    lines = grid_lines(schools, SEXES, cell=cell, row_margin=row, column_margin=column, total=total)
    return protect(sizes, lines, 10).hidden


def test_equal_sized_cells_are_hidden_as_with_the_old_tuple_keys():
    # School 3 has a small "others"; every other cell is 14, so which cell is hidden next
    # (school 12's or 7's boys: "12" sorts before "7" as the old keys printed) is decided
    # by the tie-break alone.
    schools = [3, 12, 7]
    counts = {
        3: {"girls": 14, "boys": 14, "others": 2},
        12: {"girls": 14, "boys": 14, "others": 0},
        7: {"girls": 14, "boys": 14, "others": 0},
    }
    old = _hidden(
        schools,
        counts,
        cell=lambda r, c: ("rs", r, c),
        row=lambda r: ("rs", r),
        column=lambda c: ("rc", c),
        total=("rc",),
    )
    new = _hidden(
        schools,
        counts,
        cell=lambda r, c: Cell(PUPILS, school=r, sex=c),
        row=lambda r: Cell(PUPILS, school=r),
        column=lambda c: Cell(PUPILS, sex=c),
        total=Cell(PUPILS),
    )

    def as_old(cell):
        if cell.school is None:
            return ("rc",) + ((cell.sex,) if cell.sex else ())
        return ("rs", cell.school) + ((cell.sex,) if cell.sex else ())

    assert len(old) > 1  # the small cell and at least one more
    assert {as_old(c) for c in new} == old


def test_answer_cells_sort_as_the_old_keys_printed():
    cells = [
        Cell(RESPONSES, school=12, sex="girl", phase="after"),
        Cell(RESPONSES, school=3, sex="girl", phase="after"),
        Cell(RESPONSES, school=3, phase="after"),
        Cell(RESPONSES, sex="boy", phase="after"),
        Cell(RESPONSES, phase="after"),
    ]
    old = [
        ("q", "after", 12, "girl"),
        ("q", "after", 3, "girl"),
        ("q", "after", "school", 3),
        ("q", "after", "sex", "boy"),
        ("q", "after"),
    ]
    assert [c.tie_break() for c in cells] == [repr(k) for k in old]


def test_outcome_cells_sort_as_the_old_keys_printed():
    # The outcomes' keys were ("p:after", "school_sex", 12, "girl"), ("before", "sex", "boy"),
    # "pairs" …; the named cells must break ties between equal-sized cells in that order.
    groupings = [
        ("all",),
        ("sex", "girl"),
        ("school", 12),
        ("grade", 8),
        ("school_sex", 12, "other"),
        ("school_grade", 3, 9),
        ("grade_sex", 7, "boy"),
        ("school_grade_sex", 12, 9, "no_answer"),
    ]
    for grouping in groupings:
        assert scale_cell("b", None, grouping).tie_break() == repr(("b", *grouping))
        for family in ("b", "bx", "p", "l", "ub", "ul"):
            cell = scale_cell(family, "follow_up", grouping)
            assert cell.grouping() == grouping
            assert cell.tie_break() == repr((f"{family}:follow_up", *grouping))
    assert item_cell("before", ("all",)).tie_break() == repr(("before", "all"))
    assert item_cell("after", ("sex", "boy")).tie_break() == repr(("after", "sex", "boy"))
    assert Cell(LINKAGE, phase="after", family="pairs").tie_break() == repr("pairs")


def test_by_sex_cells_sort_as_the_old_keys_printed():
    # The linkage's and Cronbach's alpha's sexes were ("pairs", "girl"), ("complete", "boy")
    # and their totals ("pairs", "all"), ("complete", "all"); a total always has a higher
    # priority than its sexes, so only totals are ordered among totals.
    sexes = ("girl", "boy", "other", "no_answer")
    measures = ("before", "later", "pairs", "linked_later")
    for measure in measures:
        for sex in sexes:
            cell = Cell(LINKAGE, sex=sex, phase="after", family=measure)
            assert cell.tie_break() == repr((measure, sex))
    totals = [Cell(LINKAGE, phase="after", family=m) for m in measures]
    assert sorted(totals, key=Cell.tie_break) == [
        Cell(LINKAGE, phase="after", family=m) for m in sorted(measures)
    ]
    assert Cell(COMPLETE, phase="before").tie_break() == repr(("complete", "all"))
    assert Cell(COMPLETE, sex="girl", phase="before").tie_break() == repr(("complete", "girl"))


def test_outcome_cells_hide_what_the_old_tuples_hid():
    # A school's girls and boys and its total, linked against all answers before: with
    # equal sizes, which cell goes second is decided by the tie-break alone.
    def hidden(key):
        sizes, lines = {}, []
        for school, small in ((3, 4), (12, 20), (7, 20)):
            parts = [key("p", ("school_sex", school, x)) for x in ("girl", "boy")]
            sizes[parts[0]], sizes[parts[1]] = small, 20
            sizes[key("p", ("school", school))] = small + 20
            lines.append(Line(key("p", ("school", school)), tuple(parts)))
        girls = [key("p", ("school_sex", s, "girl")) for s in (3, 12, 7)]
        sizes[key("p", ("sex", "girl"))] = sum(sizes[g] for g in girls)
        lines.append(Line(key("p", ("sex", "girl")), tuple(girls)))
        return protect(sizes, lines, 10).hidden

    old = hidden(lambda family, grouping: (f"{family}:after", *grouping))
    new = hidden(lambda family, grouping: scale_cell(family, "after", grouping))
    assert len(old) > 2
    assert {(f"{c.family}:{c.phase}", *c.grouping()) for c in new} == old
