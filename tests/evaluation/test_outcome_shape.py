"""The suppression rule's view of every scale (outcomes.scale_shape), kept per set of schools
and grades: the same schools and grades give the same shape, any other set its own."""

from mvp.evaluation.outcomes import LATER_PHASES, Cells, scale_shape


def test_the_same_schools_and_grades_share_one_shape_and_others_get_their_own():
    first = scale_shape((3, 1), ((3, (7, 8)), (1, (8,))))
    assert scale_shape((3, 1), ((3, (7, 8)), (1, (8,)))) is first
    other_grade = scale_shape((3, 1), ((3, (7, 8)), (1, (8, 9))))
    other_order = scale_shape((1, 3), ((1, (8,)), (3, (7, 8))))
    assert other_grade is not first and other_order is not first
    # Each lists the cells of its own schools and grades, in the builder's order.
    cells = Cells([3, 1], {3: [7, 8], 1: [8, 9]}).all()
    for phase in LATER_PHASES:
        assert [six[2].grouping() for six in other_grade.keys[phase]] == cells
    assert len(first.keys["after"]) == len(Cells([3, 1], {3: [7, 8], 1: [8]}).all())
    # School 1's grade 9 is a cell of its own only where the school has it.
    assert ("school_grade", 1, 9) in [k[0].grouping() for k in other_grade.keys["after"]]
    assert ("school_grade", 1, 9) not in [k[0].grouping() for k in first.keys["after"]]


def test_a_process_keeps_shapes_up_to_its_budget_of_cells_and_always_the_newest(monkeypatch):
    from mvp.evaluation import outcomes

    monkeypatch.setattr(outcomes, "_shapes", type(outcomes._shapes)())
    small = ((5,), ((5, (7,)),))
    first = scale_shape(*small)
    budget = len(first.layout.keys) * 2
    monkeypatch.setattr(outcomes, "_SHAPE_CELLS", budget)
    second = scale_shape((6,), ((6, (8,)),))
    assert scale_shape(*small) is first  # within the budget: kept (and now the newest)
    third = scale_shape((7,), ((7, (9,)),))  # over it: the least recently used goes
    assert scale_shape((7,), ((7, (9,)),)) is third
    assert scale_shape((6,), ((6, (8,)),)) is not second
    # A shape larger than the whole budget is still kept while it is the newest.
    monkeypatch.setattr(outcomes, "_SHAPE_CELLS", 1)
    big = scale_shape((1, 2), ((1, (7, 8)), (2, (9,))))
    assert scale_shape((1, 2), ((1, (7, 8)), (2, (9,)))) is big
