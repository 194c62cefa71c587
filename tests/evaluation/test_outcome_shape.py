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
