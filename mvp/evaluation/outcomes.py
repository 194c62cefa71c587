"""Effectiveness and follow-up: the scales' before/later results, computed, suppressed, rounded.

For every scale the pupils' stored scale scores are grouped into cells — all pupils, each
sex, each school, each grade, each school's sexes and grades, each grade's sexes and each
school's grades by sex — and into families:

- ``b:<phase>``: every valid answer before the lessons in the groups asked in the later
  phase (a questionnaire of that phase has opened, or has answers), so that all answers
  before and later compare the same groups;
- ``l:<phase>``: every valid answer after the lessons or at follow-up;
- ``p:<phase>``: linked pupils (before and later answers of the same pupil);
- ``ub:<phase>`` and ``ul:<phase>``: the unlinked answers before and later — only the
  baseline comparison shows ``ub``, for all pupils and by sex; the rest are never shown but
  could be computed (all answers minus linked ones), so they are protected like the others;
- ``b`` and ``bx:<phase>``: every valid answer before, and those of groups not asked in the
  later phase — never shown, but the difference of the after and follow-up analyses' answers
  before, so they are protected too.

One run of the suppression rule per scale covers all of them: small cells are hidden and,
where a total (or all answers against linked ones) would give a hidden cell back, one more.
A pair belongs to the cells of its before-answer. Each count the rule sees is named by a
``keys.Cell`` of kind SCALE: its family ("p", "b", "l", "ub", "ul", "bx"), the later phase
(None for "b") and the grouping; items and linkage counts by cells of kind ITEM and LINKAGE.

Each scale's results in a phase are computed for every cell at once (cell_results, on the
statistics of cell_stats) and read cell by cell as the sections ask for them.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from flask_babel import gettext as _

from mvp.evaluation import residual, stats
from mvp.evaluation.cell_results import PhaseResults
from mvp.evaluation.cell_stats import (
    CellSums,
    stable_order,
    stored_unit,
)
from mvp.evaluation.data import NO_VALUE
from mvp.evaluation.keys import LINKAGE, Cell, item_cell, scale_cell
from mvp.evaluation.labels import PUPIL_SEX_LABELS, label
from mvp.evaluation.numbers import rounded
from mvp.evaluation.residual import RESIDUAL_SEXES
from mvp.evaluation.results import (
    PUPIL_SEXES,
    AlphaResult,
    BaselineRow,
    Comparison,
    ItemResult,
    ItemRow,
    ItemShare,
    Linkage,
    PairedResult,
    ScaleResult,
    SubgroupResult,
    UnpairedResult,
)
from mvp.evaluation.suppress import SUPPRESSED, Layout, Line, Protection, protect
from mvp.schools.grades import grade_label
from mvp.surveys.scoring import reverse_scored

LATER_PHASES = ("after", "follow_up")
# Below this share of later answers linked, all answers are compared as well (the Swedish and
# Irish studies linked 60–75 % exactly).
LOW_LINKAGE = 0.6
# Who is protected first when a second cell must go: linked results are the main finding.
PRIORITY = {"p": 3, "b": 2, "l": 2, "ub": 1}


@dataclass(slots=True)
class Respondent:
    """What the analysis knows about one response."""

    group_id: int
    phase: str
    sex: str
    school_id: int
    grade: int


def _codes(values, codes: dict, other: int, dtype) -> np.ndarray:
    """Each value's code (`other` for a value without one), looked up in C: a value per
    answer, where a Python step each was a visible part of the build."""
    codes = {**codes, **{value: other for value in set(values) if value not in codes}}
    return np.fromiter(map(codes.__getitem__, values), dtype=dtype, count=len(values))


@dataclass
class Respondents:
    """The responses the analysis counts, as columns in the order given (by id): id, group,
    phase code (PHASE_CODES) and kind — a number for the (school, sex, grade) it is of,
    listed in `kinds`. Built from the rows at once: one object per response was a tenth of
    a whole municipality's build."""

    ids: np.ndarray
    group: np.ndarray
    phase: np.ndarray
    kind: np.ndarray
    kinds: list[tuple]

    @classmethod
    def of(cls, rows: list, groups: dict) -> "Respondents":
        """From rows (id, group id, phase, sex) and the groups by id (school_id, grade)."""
        if rows:
            ids, group_ids, phases, sexes = zip(*rows, strict=True)
        else:
            ids = group_ids = phases = sexes = ()
        group = np.array(group_ids, dtype=np.int64)
        phase = _codes(phases, PHASE_CODES, OTHER_PHASE, np.int8)
        # Each sex as said, numbered in the order first met.
        said = {x: n for n, x in enumerate(dict.fromkeys(sexes))}
        sex = _codes(sexes, said, -1, np.int64)
        # Each group's (school, grade), numbered; then (school, grade) × sex, numbered.
        places: dict[tuple, int] = {}
        unique_groups, group_number = np.unique(group, return_inverse=True)
        place_of_group = np.array(
            [
                places.setdefault((groups[g].school_id, groups[g].grade), len(places))
                for g in unique_groups.tolist()
            ],
            dtype=np.int64,
        )
        combined = place_of_group[group_number] * max(len(said), 1) + sex
        unique_kinds, kind = np.unique(combined, return_inverse=True)
        place_list, sex_list = list(places), list(said)
        kinds = []
        for code in unique_kinds.tolist():
            school_id, grade = place_list[code // len(sex_list)]
            kinds.append((school_id, sex_list[code % len(sex_list)], grade))
        return cls(
            ids=np.array(ids, dtype=np.int64),
            group=group,
            phase=phase,
            kind=kind.astype(np.int64).reshape(-1),
            kinds=kinds,
        )


@dataclass
class ScaleInfo:
    """A scale pooled over an instrument's versions (by instrument key and scale key)."""

    ref: tuple
    key: str
    name: str
    construct: str
    kind: str
    position: tuple
    items: list = field(default_factory=list)  # item refs
    reverse: dict = field(default_factory=dict)  # item ref -> reverse-scored?


@dataclass
class ItemInfo:
    """An item pooled over versions."""

    ref: tuple
    key: str
    text: str
    kind: str
    reverse: bool
    scale_ref: tuple | None
    position: tuple


class Cells:
    """The cells a response belongs to, and the lines that tie them together."""

    def __init__(self, schools: list[int], grades_by_school: dict[int, list[int]]):
        self.schools = schools
        self.grades_by_school = grades_by_school
        self.grades = sorted({g for gs in grades_by_school.values() for g in gs})

    @staticmethod
    def of(person: Respondent) -> tuple:
        """The cells of one pupil (CELLS_PER_PUPIL of them)."""
        return (
            ("all",),
            ("sex", person.sex),
            ("school", person.school_id),
            ("grade", person.grade),
            ("school_sex", person.school_id, person.sex),
            ("school_grade", person.school_id, person.grade),
            ("grade_sex", person.grade, person.sex),
            ("school_grade_sex", person.school_id, person.grade, person.sex),
        )

    def all(self) -> list[tuple]:
        """Every cell, in reading order."""
        cells = [("all",)]
        cells += [("sex", s) for s in PUPIL_SEXES]
        cells += [("school", s) for s in self.schools]
        cells += [("grade", g) for g in self.grades]
        cells += [("school_sex", s, x) for s in self.schools for x in PUPIL_SEXES]
        cells += [("school_grade", s, g) for s in self.schools for g in self.grades_by_school[s]]
        cells += [("grade_sex", g, x) for g in self.grades for x in PUPIL_SEXES]
        cells += [
            ("school_grade_sex", s, g, x)
            for s in self.schools
            for g in self.grades_by_school[s]
            for x in PUPIL_SEXES
        ]
        return cells

    def lines(self, family: str, phase: str | None) -> list[Line]:
        """How the cells of one family (of answers compared with `phase`) add up."""

        def key(*cell):
            return scale_cell(family, phase, cell)

        lines = [
            Line(key("all"), tuple(key("sex", s) for s in PUPIL_SEXES)),
            Line(key("all"), tuple(key("school", s) for s in self.schools)),
            Line(key("all"), tuple(key("grade", g) for g in self.grades)),
        ]
        for school in self.schools:
            lines.append(
                Line(
                    key("school", school), tuple(key("school_sex", school, x) for x in PUPIL_SEXES)
                )
            )
            lines.append(
                Line(
                    key("school", school),
                    tuple(key("school_grade", school, g) for g in self.grades_by_school[school]),
                )
            )
        for sex in PUPIL_SEXES:
            lines.append(
                Line(key("sex", sex), tuple(key("school_sex", s, sex) for s in self.schools))
            )
        for grade in self.grades:
            members = tuple(
                key("school_grade", s, grade)
                for s in self.schools
                if grade in self.grades_by_school[s]
            )
            lines.append(Line(key("grade", grade), members))
        # Grades by sex: each grade is its sexes, each sex its grades.
        for grade in self.grades:
            lines.append(
                Line(key("grade", grade), tuple(key("grade_sex", grade, x) for x in PUPIL_SEXES))
            )
        for sex in PUPIL_SEXES:
            lines.append(
                Line(key("sex", sex), tuple(key("grade_sex", g, sex) for g in self.grades))
            )
        # A school's grades by sex: of its grade, of its sex, and of the grade's sex.
        for school in self.schools:
            grades = self.grades_by_school[school]
            for grade in grades:
                members = tuple(key("school_grade_sex", school, grade, x) for x in PUPIL_SEXES)
                lines.append(Line(key("school_grade", school, grade), members))
            for sex in PUPIL_SEXES:
                members = tuple(key("school_grade_sex", school, g, sex) for g in grades)
                lines.append(Line(key("school_sex", school, sex), members))
        for grade in self.grades:
            for sex in PUPIL_SEXES:
                members = tuple(
                    key("school_grade_sex", s, grade, sex)
                    for s in self.schools
                    if grade in self.grades_by_school[s]
                )
                lines.append(Line(key("grade_sex", grade, sex), members))
        return lines


CELLS_PER_PUPIL = len(Cells.of(Respondent(0, "", "", 0, 0)))


PHASE_CODES = {"before": 0, "after": 1, "follow_up": 2}
OTHER_PHASE = 3


class _Family:
    """The values of one family of answers, grouped by cell (cells numbered as Cells.all()).

    Each member belongs to up to CELLS_PER_PUPIL cells (one row of `cell_rows`, -1 for a cell
    that is not listed); one stable sort by cell number gives every cell its members as a
    slice, in the order the members came in, so no per-cell Python lists are ever built.
    """

    def __init__(self, cell_rows: np.ndarray, n_cells: int, **values: np.ndarray):
        self.values = values
        self._cell_rows, self._n_cells = cell_rows, n_cells
        self.count = np.bincount(cell_rows[cell_rows >= 0], minlength=n_cells)
        self.end = np.cumsum(self.count)
        self.start = self.end - self.count
        self.counts = self.count.tolist()  # read one cell at a time: plain ints
        self._sums: dict[str, CellSums] = {}

    @cached_property
    def member(self) -> np.ndarray:
        """The members (rows of `cell_rows`) cell after cell, each cell's in the order they
        came in: sorted when first read, as many families are only ever counted (the
        suppression rule's sizes, an attempt whose residual groups are then set aside)."""
        cell_rows = self._cell_rows
        flat = cell_rows.T.ravel()
        listed = np.flatnonzero(flat >= 0)  # place in `flat`: column × members + member
        order = stable_order(flat[listed], self._n_cells)
        return listed[order] % max(len(cell_rows), 1)

    def n(self, cell: int) -> int:
        """Members of a cell."""
        return self.counts[cell]

    def get(self, name: str, cell: int) -> np.ndarray:
        """One kind of value of a cell's members."""
        return self.values[name][self.member[self.start[cell] : self.end[cell]]]

    def mean(self, name: str, cell: int) -> float:
        """The mean of one kind of value of a (non-empty) cell's members."""
        return self._cell_sums(name).mean(cell)

    def means(self, name: str) -> np.ndarray:
        """Every cell's mean of one kind of value (NaN for an empty cell)."""
        return self._cell_sums(name).means

    def _cell_sums(self, name: str) -> CellSums:
        """Every cell's sum of one kind of value, made once, exactly where the values are
        stored rounded (cell_stats.CellSums)."""
        sums = self._sums.get(name)
        if sums is None:
            flat = self.values[name][self.member]
            sums = self._sums[name] = CellSums(flat, self.start, self.count, stored_unit(name))
        return sums


@dataclass
class _ScaleWork:
    """One scale's values per cell and analysis; statistics computed when first asked for."""

    info: ScaleInfo
    shown: Protection
    number: dict  # cell -> cell number
    before: dict  # later phase -> _Family (answers before of the groups asked then)
    later: dict  # phase -> _Family
    pairs: dict  # phase -> _Family of linked pairs, by the before-answer's cells
    unlinked_before: dict  # phase -> array of before indexes not linked (all pupils)
    # phase -> _Family of the answers before not linked, by cell (the baseline by sex).
    unlinked: dict = field(default_factory=dict)

    def values(self, family: dict, phase: str, cell: tuple, name: str) -> np.ndarray:
        """One kind of value of a cell in one family."""
        return family[phase].get(name, self.number[cell])


@dataclass(frozen=True)
class ScaleShape:
    """What the suppression rule sees of every scale apart from its sizes: the cells'
    keys (the answers before of each cell; per later phase each cell's six families, in
    the order of `families`), the priority among them, and the rule's numbering of them
    and of their lines (suppress.Layout); where the sizes list the residual groups of a
    school (`residual_slots`) and which (school, sex) each is. Read-only once made."""

    every_cells: list
    keys: dict  # later phase -> per cell (b, bx, p, l, ub, ul)
    layout: Layout
    priority: dict
    residual_slots: np.ndarray
    residual_groups: list


# The shapes a process keeps, newest last, up to about this many cells in all (a shape of a
# municipality's 40 schools has 10,660 cells and takes 7.6 MB): several selections of a
# municipality, or the newest one however large.
_SHAPE_CELLS = 40_000
_shapes: "OrderedDict[tuple, ScaleShape]" = OrderedDict()
_shapes_lock = threading.Lock()


def scale_shape(schools: tuple[int, ...], grades: tuple[tuple[int, tuple], ...]) -> ScaleShape:
    """The ScaleShape of these schools with these grades (each school's, in order).

    It depends on the schools and grades alone, and numbering some ten thousand cells and
    their lines is about a twentieth of a school year's build: a process keeps the last few
    (up to _SHAPE_CELLS cells), so the next build of the same schools (the next view after
    a write) reuses it."""
    key = (schools, grades)
    with _shapes_lock:
        found = _shapes.get(key)
        if found is not None:
            _shapes.move_to_end(key)
            return found
    shape = _make_shape(schools, grades)
    with _shapes_lock:
        _shapes[key] = shape
        _shapes.move_to_end(key)
        while len(_shapes) > 1 and sum(len(s.layout.keys) for s in _shapes.values()) > _SHAPE_CELLS:
            _shapes.popitem(last=False)
    return shape


def _make_shape(schools: tuple[int, ...], grades: tuple[tuple[int, tuple], ...]) -> ScaleShape:
    cells = Cells(list(schools), {school: list(own) for school, own in grades})
    cell_list = cells.all()
    lines, priority, unpublished = [], {}, set()
    every_cells = [scale_cell("b", None, cell) for cell in cell_list]
    unpublished.update(every_cells)
    lines += cells.lines("b", None)
    keys = {}
    for phase in LATER_PHASES:
        keys[phase] = []
        for number, cell in enumerate(cell_list):
            every_b = every_cells[number]
            b, bx, p, lt, ub, ul = (
                scale_cell(family, phase, cell) for family in ("b", "bx", "p", "l", "ub", "ul")
            )
            keys[phase].append((b, bx, p, lt, ub, ul))
            priority[b] = PRIORITY["b"]
            priority[p] = PRIORITY["p"]
            priority[lt] = PRIORITY["l"]
            priority[ub] = PRIORITY["ub"]
            # The unlinked answers before are published for all pupils and by sex
            # (the baseline comparison); inside the other cells they stay unpublished.
            if cell[0] not in ("all", "sex"):
                unpublished.add(ub)
            unpublished.add(ul)
            unpublished.add(bx)
            lines.append(Line(every_b, (b, bx)))
            lines.append(Line(b, (p, ub)))
            lines.append(Line(lt, (p, ul)))
        for family in ("b", "bx", "p", "l", "ub", "ul"):
            lines += cells.lines(family, phase)
    # The cells numbered in the order the sizes list them (OutcomeBuilder._sizes), then the
    # lines'.
    ordered = [
        *every_cells,
        *(key for phase in LATER_PHASES for six in keys[phase] for key in six),
    ]
    residual = [
        (number, (key.school, key.sex))
        for number, key in enumerate(ordered)
        if key.grouping()[0] == "school_sex" and key.sex in RESIDUAL_SEXES
    ]
    slots = np.array([number for number, _group in residual], dtype=np.int64)
    slots.flags.writeable = False
    return ScaleShape(
        every_cells=every_cells,
        keys=keys,
        layout=Layout(ordered, lines, unpublished),
        priority=priority,
        residual_slots=slots,
        residual_groups=[group for _number, group in residual],
    )


class OutcomeBuilder:
    """Computes the Comparison for after and for follow-up, with one suppression per scale.

    The responses are numbered once (their order in `respondents`); scores, links and answers
    become numpy arrays indexed by that number, so each scale is grouped by cell with a few
    array operations whatever the number of answers.
    """

    def __init__(
        self,
        *,
        respondents: "Respondents",
        scales: list[ScaleInfo],
        items: list[ItemInfo],
        item_ids: dict[int, tuple],
        scores: list,
        links: list,
        answers: list,
        cells: Cells,
        school_names: dict[int, str],
        min_n: int,
        asked: dict[str, set[int]],
        scale_ids: dict[int, tuple],
    ):
        """`asked` gives, per later phase, the groups asked then (answers before of other
        groups are left out of the comparison with that phase). Scores and answers are float
        arrays (mvp.evaluation.data.numeric_rows): scores (response, scale id, mean, index),
        `scale_ids` mapping a scale's id to its pooled scale; answers (response, item, value
        or NaN, don't know), or the same as whole numbers with data.NO_VALUE for no value."""
        self.asked = {phase: set(asked.get(phase, ())) for phase in LATER_PHASES}
        self.scales = scales
        self.items = items
        self.item_ids = item_ids
        self.cells = cells
        self.school_names = school_names
        self.min_n = min_n
        self.cell_list = cells.all()
        self.number = {cell: n for n, cell in enumerate(self.cell_list)}
        self._scale_shape: ScaleShape | None = None
        self._labels: dict[tuple, str] = {}
        self._complete: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._item_tables: dict[str, dict] = {}
        self.ids, self.group, self.phase = respondents.ids, respondents.group, respondents.phase
        # The responses come in id order (data.load_responses); sorted ids are searched as
        # they are, without an order to look through (a random access per answer).
        in_order = bool(np.all(self.ids[1:] > self.ids[:-1]))
        self._sorted = None if in_order else np.argsort(self.ids, kind="stable")
        # The pupils' cells, through the few distinct (school, sex, grade) they come in.
        self.kinds, kind = respondents.kinds, respondents.kind
        kind_cells = np.array(
            [
                [self.number.get(cell, -1) for cell in Cells.of(Respondent(0, "", x, s, g))]
                for s, x, g in self.kinds
            ],
            dtype=np.int64,
        ).reshape(len(self.kinds), CELLS_PER_PUPIL)
        self.kind = kind
        self.cell_rows = kind_cells[kind]
        sexes = {sex: n for n, sex in enumerate(PUPIL_SEXES)}
        self.sex = np.array([sexes.get(x, -1) for _s, x, _g in self.kinds], dtype=np.int64)[kind]
        self.compared = {
            phase: (self.phase == PHASE_CODES["before"])
            & np.isin(self.group, np.fromiter(self.asked[phase], dtype=np.int64))
            for phase in LATER_PHASES
        }
        self._scores(scores, scale_ids)
        self._links(links)
        self._answers(answers)

    def _positions(self, ids) -> tuple[np.ndarray, np.ndarray]:
        """The numbers of the responses with these ids, and which ids are respondents."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(self.ids) == 0:
            return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
        if len(ids) > 1 and bool(np.all(ids[1:] >= ids[:-1])):
            # Ids in order, in runs (the answers: one row per item of each response): each
            # distinct id is looked up once and its number repeated over its run.
            starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
            runs = np.diff(np.append(starts, len(ids)))
            found, ok = self._lookup(ids[starts])
            return np.repeat(found, runs), np.repeat(ok, runs)
        return self._lookup(ids)

    def _lookup(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``_positions`` by binary search, one per id (there is at least one response)."""
        if self._sorted is None:
            found = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        else:
            found = np.searchsorted(self.ids, ids, sorter=self._sorted)
            found = self._sorted[np.minimum(found, len(self.ids) - 1)]
        return found, self.ids[found] == ids

    def _scores(self, rows: np.ndarray, scale_ids: dict[int, tuple]) -> None:
        """Per scale: (respondent numbers, means, indexes), in the order of the rows."""
        self.scores: dict[tuple, tuple] = {}
        rows = np.asarray(rows, dtype=float).reshape(-1, 4)
        positions, ok = self._positions(rows[:, 0].astype(np.int64))
        scale_col = rows[:, 1].astype(np.int64)
        by_ref: dict[tuple, list[int]] = {}
        for scale_id in np.unique(scale_col).tolist():
            ref = scale_ids.get(scale_id)
            if ref is not None:
                by_ref.setdefault(ref, []).append(scale_id)
        for ref, ids in by_ref.items():
            mine = ok & np.isin(scale_col, ids)
            self.scores[ref] = (positions[mine], rows[mine, 2], rows[mine, 3])

    def _links(self, rows: list) -> None:
        """Per later phase: (before numbers, later numbers, exact?), linked as stored."""
        self.links: dict[str, tuple] = {}
        if rows:
            before_ids, later_ids, later_phases, qualities = zip(*rows, strict=True)
        else:
            before_ids = later_ids = later_phases = qualities = ()
        before, before_ok = self._positions(before_ids)
        later, later_ok = self._positions(later_ids)
        link_phase = _codes(later_phases, PHASE_CODES, OTHER_PHASE, np.int8)
        exact = _codes(qualities, {"exact": 1}, 0, np.int8).astype(bool)
        valid = before_ok & later_ok
        valid[valid] &= self.phase[before[valid]] == PHASE_CODES["before"]
        valid[valid] &= self.phase[later[valid]] == link_phase[valid]
        for phase in LATER_PHASES:
            mine = valid & (link_phase == PHASE_CODES[phase])
            self.links[phase] = (before[mine], later[mine], exact[mine])

    def _answers(self, rows: np.ndarray) -> None:
        """A matrix of the answers: one row per response, one column per pooled item;
        NaN where not answered, with a parallel matrix of "don't know"."""
        self.item_column = {item.ref: n for n, item in enumerate(self.items)}
        shape = (len(self.ids), len(self.items))
        cells = shape[0] * shape[1]
        # One slot more than the matrix: answers that have no place in it (an item not
        # pooled, a response not selected) are written there, and no answer is copied out.
        values = np.full(cells + 1, np.nan)
        dont_know = np.zeros(cells + 1, dtype=bool)
        self.values, self.dont_know = (
            values[:cells].reshape(shape),
            dont_know[:cells].reshape(shape),
        )
        rows = np.asarray(rows).reshape(-1, 4)
        if not len(rows) or not self.items:
            return
        positions, ok = self._positions(rows[:, 0].astype(np.int64, copy=False))
        item_ids = rows[:, 1].astype(np.int64, copy=False)
        lookup = np.full(int(item_ids.max()) + 1, -1, dtype=np.int64)
        for item_id, ref in self.item_ids.items():
            if item_id < len(lookup):
                lookup[item_id] = self.item_column.get(ref, -1)
        columns = lookup[item_ids]
        ok &= columns >= 0
        # One flat index per answer (a response answers an item once: the primary key).
        flat = np.where(ok, positions * shape[1] + columns, cells)
        values[flat] = rows[:, 2]
        dont_know[flat[rows[:, 3] == 1]] = True
        values[cells], dont_know[cells] = np.nan, False
        # No value (a "don't know"): NaN, or data.NO_VALUE where the rows are whole numbers.
        if rows.dtype.kind == "i":
            values[values == NO_VALUE] = np.nan

    # --- the whole analysis ----------------------------------------------------------------

    def comparisons(self) -> dict[str, Comparison]:
        """The after and follow-up comparisons."""
        works = [self._scale_work(scale) for scale in self.scales]
        self._position = {work.info.ref: n for n, work in enumerate(works)}
        self._holm(works)
        result = {}
        for phase in LATER_PHASES:
            result[phase] = self._comparison(phase, works)
        self.works = works
        return result

    def _phase_count(self, phase: str, asked_in: str | None = None) -> int:
        """Answers of a phase (of the groups asked in the phase `asked_in`)."""
        if asked_in is not None and phase == "before":
            return int(np.count_nonzero(self.compared[asked_in]))
        mask = self.phase == PHASE_CODES.get(phase, OTHER_PHASE)
        if asked_in is not None:
            mask &= np.isin(self.group, np.fromiter(self.asked[asked_in], dtype=np.int64))
        return int(np.count_nonzero(mask))

    # --- one scale -------------------------------------------------------------------------

    def _scale_work(self, scale: ScaleInfo) -> _ScaleWork:
        """One scale's cells and their protection, with small residual groups set aside.

        The answers kept differ from scale to scale (a score needs two thirds of the items)
        and pairs are fewer than answers, so a residual group of a school may be large
        enough in the response counts and still small in one of the scale's families; it
        is then set aside from this scale's results, and the cells are made again.
        The suppression rule runs once, on the cells of the last attempt: the earlier
        attempts' protection would be thrown away, and only their sizes decide.
        """
        set_aside: set[tuple[int, str]] = set()
        shape = self._shape()
        slots, groups = shape.residual_slots, shape.residual_groups
        while True:
            work, sizes, (layout, priority) = self._scale_attempt(scale, set_aside)
            # The residual groups of a school (in any family) that are small: 1 to min_n − 1
            # pupils, as residual.is_small, for all of them at once.
            n = sizes[slots]
            small = {groups[i] for i in np.flatnonzero((n > 0) & (n < self.min_n)).tolist()}
            if small <= set_aside:
                work.shown = layout.protect_numbered(sizes, self.min_n, priority=priority)
                return work
            set_aside |= small

    def _scale_attempt(self, scale: ScaleInfo, set_aside: set) -> tuple[_ScaleWork, dict, tuple]:
        """One scale's families and cell sizes with these residual groups set aside, and the
        rest of the suppression rule's input (its layout and priority); not yet protected."""
        n_cells = len(self.cell_list)
        empty = np.zeros(0, dtype=np.int64)
        positions, means, indexes = self.scores.get(scale.ref, (empty, empty * 1.0, empty * 1.0))
        aside_kind = np.array([(s, x) in set_aside for s, x, _g in self.kinds], dtype=bool)
        if aside_kind.any():
            kept = ~aside_kind[self.kind[positions]]
            positions, means, indexes = positions[kept], means[kept], indexes[kept]
        phase = self.phase[positions]

        def family(mask) -> _Family:
            return _Family(
                self.cell_rows[positions[mask]], n_cells, mean=means[mask], index=indexes[mask]
            )

        every_before = family(phase == PHASE_CODES["before"])
        before = {p: family(self.compared[p][positions]) for p in LATER_PHASES}
        later = {p: family(phase == PHASE_CODES[p]) for p in LATER_PHASES}
        scored = np.zeros(len(self.ids), dtype=bool)
        scored[positions] = True
        mean_of = np.full(len(self.ids), np.nan)
        index_of = np.full(len(self.ids), np.nan)
        mean_of[positions], index_of[positions] = means, indexes
        pairs, pairs_by_later, unlinked_before, unlinked_families = {}, {}, {}, {}
        for p in LATER_PHASES:
            b, la, _exact = self.links[p]
            both = scored[b] & scored[la]
            b, la = b[both], la[both]
            pairs[p] = _Family(
                self.cell_rows[b],
                n_cells,
                before_mean=mean_of[b],
                before_index=index_of[b],
                later_mean=mean_of[la],
                later_index=index_of[la],
            )
            later_cells = self.cell_rows[la].ravel()
            pairs_by_later[p] = np.bincount(later_cells[later_cells >= 0], minlength=n_cells)
            linked = np.zeros(len(self.ids), dtype=bool)
            linked[b] = True
            unlinked = self.compared[p][positions] & ~linked[positions]
            unlinked_before[p] = indexes[unlinked]
            unlinked_families[p] = _Family(
                self.cell_rows[positions[unlinked]], n_cells, index=indexes[unlinked]
            )
        sizes, layout, priority = self._sizes(every_before, before, later, pairs, pairs_by_later)
        work = _ScaleWork(scale, Protection(), self.number, before, later, pairs, unlinked_before)
        work.unlinked = unlinked_families
        return work, sizes, (layout, priority)

    def _shape(self) -> "ScaleShape":
        """Every scale's cells, lines, priority and unpublished cells (the same for every
        scale and attempt: only the sizes differ), for this selection's schools and grades."""
        if self._scale_shape is None:
            grades = tuple((s, tuple(self.cells.grades_by_school[s])) for s in self.cells.schools)
            self._scale_shape = scale_shape(tuple(self.cells.schools), grades)
        return self._scale_shape

    def _sizes(self, every_before, before, later, pairs, pairs_by_later) -> tuple:
        """The pupils behind every cell of every family, listed in the order of the layout's
        cells (see _shape: every cell's answers before, then per later phase and cell its six
        families), and how the cells add up."""
        shape = self._shape()
        layout, priority = shape.layout, shape.priority
        every = every_before.count
        parts = [every]
        for phase in LATER_PHASES:
            n_before, n_pairs, n_later = (
                before[phase].count,
                pairs[phase].count,
                later[phase].count,
            )
            six = (
                n_before,  # b
                every - n_before,  # bx: before, of groups not asked in this phase
                n_pairs,  # p
                n_later,  # l
                n_before - n_pairs,  # ub
                n_later - pairs_by_later[phase],  # ul
            )
            parts.append(np.stack(six, axis=1).ravel())
        return np.concatenate(parts), layout, priority

    # --- Holm across scales, per cell ------------------------------------------------------

    def _holm(self, works: list[_ScaleWork]) -> None:
        """Holm's adjustment across the scales, per phase and cell — made for a cell when its
        results are first asked for, as most cells of the follow-up are never shown."""
        self._works_for_holm = works
        self._holm_done: dict[tuple, tuple[list, list]] = {}
        self._phase_results: dict[tuple, PhaseResults] = {}

    def _results(self, work: _ScaleWork, phase: str) -> PhaseResults:
        """Every cell's results of one scale in one phase (made when first asked for)."""
        key = (work.info.ref, phase)
        found = self._phase_results.get(key)
        if found is None:
            keys = self._shape().keys[phase]
            found = self._phase_results[key] = PhaseResults(
                work,
                phase,
                keys,
                holm=lambda cell: self._holm_cell(phase, cell),
                position=self._position[work.info.ref],
            )
        return found

    def _holm_cell(self, phase: str, cell: int) -> tuple[list, list]:
        """The Holm-adjusted p-values of one cell (numbered) for each scale: linked pupils'
        and all answers', in the order of the scales."""
        found = self._holm_done.get((phase, cell))
        if found is None:
            results = [self._results(work, phase) for work in self._works_for_holm]
            found = self._holm_done[(phase, cell)] = (
                stats.holm([r.paired_p(cell) for r in results]),
                stats.holm([r.unpaired_p(cell) for r in results]),
            )
        return found

    # --- results ---------------------------------------------------------------------------

    def paired_result(self, work: _ScaleWork, phase: str, cell: tuple) -> PairedResult:
        """The linked pupils' figures of one cell, suppressed and rounded."""
        return self._results(work, phase).paired(self.number[cell])

    def unpaired_result(self, work: _ScaleWork, phase: str, cell: tuple) -> UnpairedResult:
        """All answers of one cell before and later, suppressed and rounded."""
        return self._results(work, phase).unpaired(self.number[cell])

    def subgroups(self, work: _ScaleWork, phase: str, cells: list[tuple]) -> list[SubgroupResult]:
        """Results of several cells, labelled for the reader."""
        results, number = self._results(work, phase), self.number
        return [
            SubgroupResult(
                key=self.cell_key(cell),
                label=self.cell_label(cell),
                paired=results.paired(number[cell]),
                unpaired=results.unpaired(number[cell]),
            )
            for cell in cells
        ]

    @staticmethod
    def cell_key(cell: tuple) -> str:
        """A cell's key in the JSON: the sex, school id or grade it is about."""
        return str(cell[-1])

    def cell_label(self, cell: tuple) -> str:
        """A cell's name for the reader (named once per build: a cell is named for every
        scale and phase, and each naming is a translation)."""
        found = self._labels.get(cell)
        if found is None:
            found = self._labels[cell] = self._name_cell(cell)
        return found

    def _name_cell(self, cell: tuple) -> str:
        kind = cell[0]
        if kind == "sex":
            return label(PUPIL_SEX_LABELS, cell[-1])
        if kind in ("school_sex", "grade_sex", "school_grade_sex"):
            # Named as its sex: translated once per sex, not once per school or grade.
            return self.cell_label(("sex", cell[-1]))
        if kind == "school":
            return self.school_names.get(cell[1], str(cell[1]))
        if kind in ("grade", "school_grade"):
            return grade_label(cell[-1])
        return _("All pupils")

    def _comparison(self, phase: str, works: list[_ScaleWork]) -> Comparison:
        comparison = Comparison(phase)
        comparison.linkage = self._linkage(phase)
        comparison.available = self._phase_count(phase) > 0
        rate = comparison.linkage.rate_later
        comparison.low_linkage = not isinstance(rate, float) or rate < LOW_LINKAGE
        for work in works:
            scale = work.info
            result = ScaleResult(
                key=scale.key,
                name=scale.name,
                construct=scale.construct,
                kind=scale.kind,
                items=len(scale.items),
                paired=self.paired_result(work, phase, ("all",)),
                unpaired=self.unpaired_result(work, phase, ("all",)),
                by_sex=self.subgroups(work, phase, [("sex", s) for s in PUPIL_SEXES]),
                by_school=self.subgroups(work, phase, [("school", s) for s in self.cells.schools]),
                by_grade=self.subgroups(work, phase, [("grade", g) for g in self.cells.grades]),
                alpha=self._alpha(scale, phase),
            )
            comparison.scales.append(result)
            comparison.baseline.append(self._baseline(work, phase))
        comparison.items = self._items(phase)
        return comparison

    def _linkage(self, phase: str) -> Linkage:
        b, la, exact_links = self.links[phase]
        before = self._phase_count("before", asked_in=phase)
        later = self._phase_count(phase)
        exact = int(np.count_nonzero(exact_links))
        # Any stated sex, "other" and "no answer" included, as given at each time.
        stated: dict[str, int] = {}
        said = np.array([stated.setdefault(x, len(stated)) for _s, x, _g in self.kinds])
        sex_differs = int(np.count_nonzero(said[self.kind[b]] != said[self.kind[la]]))
        sizes = {
            "before": before,
            "later": later,
            "pairs": len(b),
            "sex_differs": sex_differs,
        }
        shown = protect({self._linkage_cell(phase, k): n for k, n in sizes.items()}, [], self.min_n)
        # How the pairs were matched (exactly or with one element differing) describes the
        # linkage method, not the pupils, and is shown whatever its size: a project lead
        # judges the linkage by it. It is shown only with the number of pairs it splits.
        quality = {"exact": exact, "one_differs": len(b) - exact}

        def shows(key):
            return shown.shows(self._linkage_cell(phase, key))

        def figure(key):
            if key in quality:
                return quality[key] if shows("pairs") else SUPPRESSED
            return sizes[key] if shows(key) else SUPPRESSED

        def rate(numerator, denominator):
            if not (shows(numerator) and shows(denominator)):
                return SUPPRESSED
            if sizes[denominator] == 0:
                return None
            return rounded(sizes[numerator] / sizes[denominator], "share")

        return Linkage(
            before=figure("before"),
            later=figure("later"),
            pairs=figure("pairs"),
            exact=figure("exact"),
            one_differs=figure("one_differs"),
            rate_before=rate("pairs", "before"),
            rate_later=rate("pairs", "later"),
            sex_differs=figure("sex_differs"),
        )

    @staticmethod
    def _linkage_cell(phase: str, count: str) -> Cell:
        """The cell of a linkage count: "before", "later", "pairs" or "sex_differs"."""
        return Cell(LINKAGE, phase=phase, family=count)

    def baseline(self, work: _ScaleWork, phase: str, cell: tuple) -> BaselineRow:
        """The baseline comparison of one cell (e.g. one sex), named as the cell."""
        return self._baseline(work, phase, cell)

    def _baseline(self, work: _ScaleWork, phase: str, cell: tuple = ("all",)) -> BaselineRow:
        """Linked against unlinked answers before, of all pupils (named as the scale) or of
        one cell (named as the cell, e.g. one sex)."""
        linked = work.values(work.pairs, phase, cell, "before_index")
        unlinked = work.unlinked[phase].get("index", self.number[cell])
        linked_shown = work.shown.shows(scale_cell("p", phase, cell))
        unlinked_shown = work.shown.shows(scale_cell("ub", phase, cell))
        whole = cell == ("all",)
        row = BaselineRow(
            key=work.info.key if whole else self.cell_key(cell),
            name=work.info.name if whole else self.cell_label(cell),
            n_linked=len(linked) if linked_shown else SUPPRESSED,
            linked_index=rounded(float(np.mean(linked)), "index") if len(linked) else None,
            n_unlinked=len(unlinked) if unlinked_shown else SUPPRESSED,
            unlinked_index=rounded(float(np.mean(unlinked)), "index") if len(unlinked) else None,
            difference=None,
            hedges_g=None,
            p=None,
        )
        if not linked_shown:
            row.linked_index = SUPPRESSED
        if not unlinked_shown:
            row.unlinked_index = SUPPRESSED
        if linked_shown and unlinked_shown and len(linked) and len(unlinked):
            comparison = stats.unpaired(unlinked, linked)
            row.difference = rounded(comparison.difference, "change")
            row.hedges_g = rounded(comparison.hedges_g, "effect")
            row.p = comparison.p
        elif len(linked) and len(unlinked):
            row.difference = row.hedges_g = row.p = SUPPRESSED
        return row

    def _alpha(self, scale: ScaleInfo, later_phase: str) -> list[AlphaResult]:
        results = []
        for phase in ("before", later_phase):
            matrix = self.item_matrix(scale, phase)
            n = len(matrix)
            if n == 0:
                results.append(AlphaResult(phase, 0, None))
            elif n < self.min_n:
                results.append(AlphaResult(phase, SUPPRESSED, SUPPRESSED))
            else:
                results.append(
                    AlphaResult(phase, n, rounded(stats.cronbach_alpha(matrix), "alpha"))
                )
        return results

    def item_matrix(self, scale: ScaleInfo, phase: str) -> np.ndarray:
        """Complete answers to a scale's items in one phase, reverse-scored where needed."""
        return self.complete_answers(scale, phase)[0]

    def complete_answers(self, scale: ScaleInfo, phase: str) -> tuple[np.ndarray, np.ndarray]:
        """The item matrix of ``item_matrix`` and, per row, the pupil's sex (its number in
        PUPIL_SEXES, -1 for none): Cronbach's alpha by sex."""
        # Made once per scale and phase (read-only): the answers before are asked for by
        # both later phases' comparisons, each for alpha and for alpha by sex.
        key = (scale.ref, phase)
        found = self._complete.get(key)
        if found is None:
            found = self._complete[key] = self._complete_answers(scale, phase)
            for array in found:
                array.setflags(write=False)
        return found

    def _complete_answers(self, scale: ScaleInfo, phase: str) -> tuple[np.ndarray, np.ndarray]:
        columns = [self.item_column[ref] for ref in scale.items if ref in self.item_column]
        if not columns or len(columns) < len(scale.items):
            return np.zeros((0, len(scale.items))), np.zeros(0, dtype=np.int64)
        rows = np.flatnonzero(self.phase == PHASE_CODES.get(phase, OTHER_PHASE))
        matrix = self.values[rows[:, None], columns]  # only the scale's columns are copied
        complete = ~np.isnan(matrix).any(axis=1)
        matrix, sex = matrix[complete], self.sex[rows[complete]]
        for column, ref in enumerate(scale.items):
            matrix[:, column] = reverse_scored(matrix[:, column], scale.kind, scale.reverse[ref])
        return matrix, sex

    # --- items ---------------------------------------------------------------------------

    def _items(self, phase: str) -> list[ItemResult]:
        results = []
        for item in self.items:
            if item.kind not in ("agreement", "yes_no"):
                continue
            counts = self._item_counts(item, phase)
            set_aside_item_counts(counts, ("before", phase), self.min_n)
            sizes = {item_cell(which, cell): c[0] for (which, cell), c in counts.items()}
            lines = [
                Line(
                    item_cell(which, ("all",)),
                    tuple(item_cell(which, ("sex", s)) for s in PUPIL_SEXES),
                )
                for which in ("before", phase)
            ]
            shown = protect(sizes, lines, self.min_n)
            rows = []
            for cell in [("all",), *(("sex", s) for s in PUPIL_SEXES)]:
                shares = []
                for which in ("before", phase):
                    answered, positive, dont_know = counts[(which, cell)]
                    if not shown.shows(item_cell(which, cell)):
                        shares.append(ItemShare(SUPPRESSED, SUPPRESSED, SUPPRESSED))
                    elif answered == 0:
                        shares.append(ItemShare(0, None, None))
                    else:
                        shares.append(
                            ItemShare(
                                answered,
                                rounded(positive / answered, "share"),
                                rounded(dont_know / answered, "share"),
                            )
                        )
                rows.append(
                    ItemRow(
                        key=self.cell_key(cell) if cell != ("all",) else "all",
                        label=self.cell_label(cell),
                        before=shares[0],
                        later=shares[1],
                    )
                )
            scale = next((s for s in self.scales if s.ref == item.scale_ref), None)
            results.append(
                ItemResult(
                    key=item.key,
                    text=item.text,
                    scale=scale.name if scale else "",
                    kind=item.kind,
                    reverse=item.reverse,
                    rows=rows,
                )
            )
        return results

    def _item_counts(self, item: ItemInfo, phase: str) -> dict:
        """(phase, cell) -> [answered, positive, "don't know"] of one item, all and by sex."""
        tables = self._item_tables.get(phase)
        if tables is None:
            tables = self._item_tables[phase] = self._count_items(phase)
        column = self.item_column[item.ref]
        counts = {}
        for which, (total, by_sex) in tables.items():
            counts[(which, ("all",))] = total[:, column].tolist()
            for n, sex in enumerate(PUPIL_SEXES):
                counts[(which, ("sex", sex))] = by_sex[:, n, column].tolist()
        return counts

    def _count_items(self, phase: str) -> dict:
        """Every item's answered, positive and "don't know" answers before and in `phase`, of
        all pupils and of each sex, as arrays: which -> (counts[3, item], counts[3, sex,
        item]). Counted for all items at once (one item at a time was most of the items'
        time); "positive" is agreeing (3 or 4) or yes (1) by the item's kind."""
        agreement = np.array([item.kind == "agreement" for item in self.items], dtype=bool)
        tables = {}
        for which, members in (("before", self.compared[phase]), (phase, None)):
            if members is None:
                members = self.phase == PHASE_CODES[phase]
            rows = np.flatnonzero(members)
            values, dont_know = self.values[rows], self.dont_know[rows]
            answered = ~np.isnan(values) | dont_know
            with np.errstate(invalid="ignore"):
                positive = np.where(agreement, values >= 3, values == 1)
            # answered | positive | don't know, side by side, counted per column.
            flags = np.hstack([answered, positive & answered, dont_know])
            sex = self.sex[rows]
            total = np.count_nonzero(flags, axis=0)
            # A pupil of no known sex counts in the total only.
            by_sex = np.stack(
                [np.count_nonzero(flags[sex == n], axis=0) for n in range(len(PUPIL_SEXES))]
            )
            tables[which] = (
                total.reshape(3, -1),
                by_sex.reshape(len(PUPIL_SEXES), 3, -1).transpose(1, 0, 2),
            )
        return tables


def set_aside_item_counts(counts: dict, phases: tuple, min_n: int) -> None:
    """Leave small residual groups out of an item's counts, its total included."""
    for which in phases:
        total = counts[(which, ("all",))]
        for sex in RESIDUAL_SEXES:
            count = counts[(which, ("sex", sex))]
            if residual.is_small(count[0], min_n):
                for i, value in enumerate(count):
                    total[i] -= value
                    count[i] = 0
