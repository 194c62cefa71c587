"""Effectiveness and follow-up: the scales' before/later results, computed, suppressed, rounded.

For every scale the pupils' stored scale scores are grouped into cells — all pupils, each
sex, each school, each grade, each school's sexes and grades — and into families:

- ``b:<phase>``: every valid answer before the lessons in the groups asked in the later
  phase (a questionnaire of that phase has opened, or has answers), so that all answers
  before and later compare the same groups;
- ``l:<phase>``: every valid answer after the lessons or at follow-up;
- ``p:<phase>``: linked pupils (before and later answers of the same pupil);
- ``ub:<phase>`` and ``ul:<phase>``: the unlinked answers before and later — only the
  baseline comparison shows ``ub`` for all pupils; the rest are never shown but could be
  computed (all answers minus linked ones), so they are protected like the others;
- ``b`` and ``bx:<phase>``: every valid answer before, and those of groups not asked in the
  later phase — never shown, but the difference of the after and follow-up analyses' answers
  before, so they are protected too.

One run of the suppression rule per scale covers all of them: small cells are hidden and,
where a total (or all answers against linked ones) would give a hidden cell back, one more.
A pair belongs to the cells of its before-answer.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _

from mvp.evaluation import residual, stats
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
from mvp.evaluation.suppress import SUPPRESSED, Line, Protection, protect
from mvp.schools.grades import grade_label

LATER_PHASES = ("after", "follow_up")
# Below this share of later answers linked, all answers are compared as well (the Swedish and
# Irish studies linked 60–75 % exactly).
LOW_LINKAGE = 0.6
# Who is protected first when a second cell must go: linked results are the main finding.
PRIORITY = {"p": 3, "b": 2, "l": 2, "ub": 1}


def before_family(phase: str) -> str:
    """The family of the answers before that a later phase is compared with."""
    return f"b:{phase}"


@dataclass
class Respondent:
    """What the analysis knows about one response."""

    group_id: int
    phase: str
    sex: str
    school_id: int
    grade: int


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
        """The six cells of one pupil."""
        return (
            ("all",),
            ("sex", person.sex),
            ("school", person.school_id),
            ("grade", person.grade),
            ("school_sex", person.school_id, person.sex),
            ("school_grade", person.school_id, person.grade),
        )

    def all(self) -> list[tuple]:
        """Every cell, in reading order."""
        cells = [("all",)]
        cells += [("sex", s) for s in PUPIL_SEXES]
        cells += [("school", s) for s in self.schools]
        cells += [("grade", g) for g in self.grades]
        cells += [("school_sex", s, x) for s in self.schools for x in PUPIL_SEXES]
        cells += [("school_grade", s, g) for s in self.schools for g in self.grades_by_school[s]]
        return cells

    def lines(self, family: str) -> list[Line]:
        """How the cells of one family add up."""

        def key(*cell):
            return (family, *cell)

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
        return lines


@dataclass
class _Values:
    """Values of one cell: stored means and indexes."""

    mean: list = field(default_factory=list)
    index: list = field(default_factory=list)


@dataclass
class _Pairs:
    """Linked values of one cell."""

    before_mean: list = field(default_factory=list)
    before_index: list = field(default_factory=list)
    later_mean: list = field(default_factory=list)
    later_index: list = field(default_factory=list)


@dataclass
class _ScaleWork:
    """One scale's raw statistics per cell and analysis, before Holm and rounding."""

    info: ScaleInfo
    shown: Protection
    before: dict  # later phase -> cell -> _Values (answers before of the groups asked then)
    later: dict  # phase -> cell -> _Values
    pairs: dict  # phase -> cell -> _Pairs
    unlinked_before: dict  # phase -> list of before indexes not linked (all pupils)
    paired_stats: dict = field(default_factory=dict)  # (phase, cell) -> PairedStats
    unpaired_stats: dict = field(default_factory=dict)  # (phase, cell) -> UnpairedStats


class OutcomeBuilder:
    """Computes the Comparison for after and for follow-up, with one suppression per scale."""

    def __init__(
        self,
        *,
        respondents: dict[int, Respondent],
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
    ):
        """`asked` gives, per later phase, the groups asked then (answers before of other
        groups are left out of the comparison with that phase)."""
        self.asked = {phase: set(asked.get(phase, ())) for phase in LATER_PHASES}
        self.respondents = respondents
        self.scales = scales
        self.items = items
        self.item_ids = item_ids
        self.cells = cells
        self.school_names = school_names
        self.min_n = min_n
        self.scores = defaultdict(dict)  # scale ref -> response id -> (mean, index)
        for row in scores:
            if row.response_id in respondents:
                self.scores[(row.instrument, row.scale)][row.response_id] = (
                    float(row.mean),
                    float(row.index),
                )
        self.links = defaultdict(list)  # later phase -> [(before id, later id, quality)]
        for row in links:
            before = respondents.get(row.before_id)
            later = respondents.get(row.later_id)
            if before is None or later is None or before.phase != "before":
                continue
            if later.phase == row.later_phase:
                self.links[row.later_phase].append((row.before_id, row.later_id, row.quality))
        self.answers = defaultdict(dict)  # response id -> item ref -> (value, dont_know)
        for row in answers:
            ref = item_ids.get(row.item_id)
            if ref is not None and row.response_id in respondents:
                self.answers[row.response_id][ref] = (row.value, bool(row.dont_know))

    # --- the whole analysis ----------------------------------------------------------------

    def comparisons(self) -> dict[str, Comparison]:
        """The after and follow-up comparisons."""
        works = [self._scale_work(scale) for scale in self.scales]
        self._holm(works)
        result = {}
        for phase in LATER_PHASES:
            result[phase] = self._comparison(phase, works)
        self.works = works
        return result

    def _phase_count(self, phase: str, asked_in: str | None = None) -> int:
        """Answers of a phase (of the groups asked in the phase `asked_in`)."""
        return sum(
            1
            for person in self.respondents.values()
            if person.phase == phase
            and (asked_in is None or person.group_id in self.asked[asked_in])
        )

    def _compared_before(self, person: Respondent, later_phase: str) -> bool:
        """Whether an answer is one of the answers before compared with `later_phase`."""
        return person.phase == "before" and person.group_id in self.asked[later_phase]

    # --- one scale -------------------------------------------------------------------------

    def _scale_work(self, scale: ScaleInfo) -> _ScaleWork:
        """One scale's cells and their protection, with small residual groups set aside.

        The answers kept differ from scale to scale (a score needs two thirds of the items)
        and pairs are fewer than answers, so a residual group of a school may be large
        enough in the response counts and still small in one of the scale's families; it
        is then set aside from this scale's results, and the cells are made again.
        """
        set_aside: set[tuple[int, str]] = set()
        while True:
            work, sizes = self._scale_attempt(scale, set_aside)
            small = {
                (key[2], key[3])
                for key, n in sizes.items()
                if key[1] == "school_sex"
                and key[3] in RESIDUAL_SEXES
                and residual.is_small(n, self.min_n)
            }
            if small <= set_aside:
                return work
            set_aside |= small

    def _scale_attempt(self, scale: ScaleInfo, set_aside: set) -> tuple[_ScaleWork, dict]:
        scores = {
            response_id: values
            for response_id, values in self.scores.get(scale.ref, {}).items()
            if (self.respondents[response_id].school_id, self.respondents[response_id].sex)
            not in set_aside
        }
        every_before = defaultdict(_Values)
        before = {phase: defaultdict(_Values) for phase in LATER_PHASES}
        later = {phase: defaultdict(_Values) for phase in LATER_PHASES}
        for response_id, (mean, index) in scores.items():
            person = self.respondents[response_id]
            if person.phase == "before":
                targets = [every_before] + [
                    before[phase] for phase in LATER_PHASES if self._compared_before(person, phase)
                ]
            elif person.phase in later:
                targets = [later[person.phase]]
            else:
                continue
            for target in targets:
                for cell in Cells.of(person):
                    target[cell].mean.append(mean)
                    target[cell].index.append(index)
        pairs = {phase: defaultdict(_Pairs) for phase in LATER_PHASES}
        pairs_by_later = {phase: defaultdict(int) for phase in LATER_PHASES}
        linked_before = {phase: set() for phase in LATER_PHASES}
        for phase in LATER_PHASES:
            for before_id, later_id, _quality in self.links[phase]:
                if before_id not in scores or later_id not in scores:
                    continue
                b_mean, b_index = scores[before_id]
                l_mean, l_index = scores[later_id]
                linked_before[phase].add(before_id)
                for cell in Cells.of(self.respondents[before_id]):
                    pair = pairs[phase][cell]
                    pair.before_mean.append(b_mean)
                    pair.before_index.append(b_index)
                    pair.later_mean.append(l_mean)
                    pair.later_index.append(l_index)
                for cell in Cells.of(self.respondents[later_id]):
                    pairs_by_later[phase][cell] += 1
        unlinked_before = {
            phase: [
                index
                for response_id, (_mean, index) in scores.items()
                if self._compared_before(self.respondents[response_id], phase)
                and response_id not in linked_before[phase]
            ]
            for phase in LATER_PHASES
        }
        sizes, lines, priority, unpublished = self._sizes(
            every_before, before, later, pairs, pairs_by_later
        )
        shown = protect(sizes, lines, self.min_n, priority=priority, unpublished=unpublished)
        work = _ScaleWork(scale, shown, before, later, pairs, unlinked_before)
        for phase in LATER_PHASES:
            for cell in self.cells.all():
                pair = pairs[phase].get(cell, _Pairs())
                work.paired_stats[(phase, cell)] = stats.paired(pair.before_index, pair.later_index)
                work.unpaired_stats[(phase, cell)] = stats.unpaired(
                    before[phase].get(cell, _Values()).index,
                    later[phase].get(cell, _Values()).index,
                )
        return work, sizes

    def _sizes(self, every_before, before, later, pairs, pairs_by_later) -> tuple:
        """The pupils behind every cell of every family, and how the cells add up."""
        sizes, lines, priority, unpublished = {}, [], {}, set()
        cells = self.cells.all()
        for cell in cells:
            sizes[("b", *cell)] = len(every_before.get(cell, _Values()).index)
            unpublished.add(("b", *cell))
        lines += self.cells.lines("b")
        for phase in LATER_PHASES:
            b, bx = before_family(phase), f"bx:{phase}"
            p, lt, ub, ul = f"p:{phase}", f"l:{phase}", f"ub:{phase}", f"ul:{phase}"
            for cell in cells:
                n_before = len(before[phase].get(cell, _Values()).index)
                n_pairs = len(pairs[phase].get(cell, _Pairs()).before_index)
                n_later = len(later[phase].get(cell, _Values()).index)
                sizes[(b, *cell)] = n_before
                sizes[(bx, *cell)] = sizes[("b", *cell)] - n_before
                sizes[(p, *cell)] = n_pairs
                sizes[(lt, *cell)] = n_later
                sizes[(ub, *cell)] = n_before - n_pairs
                sizes[(ul, *cell)] = n_later - pairs_by_later[phase].get(cell, 0)
                priority[(b, *cell)] = PRIORITY["b"]
                priority[(p, *cell)] = PRIORITY["p"]
                priority[(lt, *cell)] = PRIORITY["l"]
                priority[(ub, *cell)] = PRIORITY["ub"]
                if cell != ("all",):
                    unpublished.add((ub, *cell))
                unpublished.add((ul, *cell))
                unpublished.add((bx, *cell))
                lines.append(Line(("b", *cell), ((b, *cell), (bx, *cell))))
                lines.append(Line((b, *cell), ((p, *cell), (ub, *cell))))
                lines.append(Line((lt, *cell), ((p, *cell), (ul, *cell))))
            for family in (b, bx, p, lt, ub, ul):
                lines += self.cells.lines(family)
        return sizes, lines, priority, unpublished

    # --- Holm across scales, per cell ------------------------------------------------------

    def _holm(self, works: list[_ScaleWork]) -> None:
        self.holm_paired: dict = {}
        self.holm_unpaired: dict = {}
        for phase in LATER_PHASES:
            for cell in self.cells.all():
                paired_p = [
                    w.paired_stats[(phase, cell)].p if self._paired_shown(w, phase, cell) else None
                    for w in works
                ]
                unpaired_p = [
                    w.unpaired_stats[(phase, cell)].p
                    if self._unpaired_shown(w, phase, cell)
                    else None
                    for w in works
                ]
                for work, adjusted in zip(works, stats.holm(paired_p), strict=True):
                    self.holm_paired[(work.info.ref, phase, cell)] = adjusted
                for work, adjusted in zip(works, stats.holm(unpaired_p), strict=True):
                    self.holm_unpaired[(work.info.ref, phase, cell)] = adjusted

    @staticmethod
    def _paired_shown(work: _ScaleWork, phase: str, cell: tuple) -> bool:
        return work.shown.shows((f"p:{phase}", *cell)) and work.paired_stats[(phase, cell)].n > 0

    @staticmethod
    def _unpaired_shown(work: _ScaleWork, phase: str, cell: tuple) -> bool:
        return work.shown.shows((before_family(phase), *cell)) and work.shown.shows(
            (f"l:{phase}", *cell)
        )

    # --- results ---------------------------------------------------------------------------

    def paired_result(self, work: _ScaleWork, phase: str, cell: tuple) -> PairedResult:
        """The linked pupils' figures of one cell, suppressed and rounded."""
        raw = work.paired_stats[(phase, cell)]
        if raw.n == 0:
            return PairedResult(n=0)
        if not work.shown.shows((f"p:{phase}", *cell)):
            return PairedResult(*([SUPPRESSED] * 11))
        pair = work.pairs[phase][cell]
        return PairedResult(
            n=raw.n,
            before_mean=rounded(float(np.mean(pair.before_mean)), "mean"),
            before_index=rounded(raw.before_mean, "index"),
            later_mean=rounded(float(np.mean(pair.later_mean)), "mean"),
            later_index=rounded(raw.after_mean, "index"),
            change=rounded(raw.mean_change, "change"),
            ci_low=rounded(raw.ci_low, "change"),
            ci_high=rounded(raw.ci_high, "change"),
            d_z=rounded(raw.d_z, "effect"),
            p=rounded(raw.p, "p"),
            p_holm=rounded(self.holm_paired[(work.info.ref, phase, cell)], "p"),
        )

    def unpaired_result(self, work: _ScaleWork, phase: str, cell: tuple) -> UnpairedResult:
        """All answers of one cell before and later, suppressed and rounded."""
        raw = work.unpaired_stats[(phase, cell)]
        before = work.before[phase].get(cell, _Values())
        later = work.later[phase].get(cell, _Values())
        result = UnpairedResult(n_before=raw.n_before, n_later=raw.n_after)
        if work.shown.shows((before_family(phase), *cell)):
            if raw.n_before:
                result.before_mean = rounded(float(np.mean(before.mean)), "mean")
                result.before_index = rounded(raw.before_mean, "index")
        else:
            result.n_before = result.before_mean = result.before_index = SUPPRESSED
        if work.shown.shows((f"l:{phase}", *cell)):
            if raw.n_after:
                result.later_mean = rounded(float(np.mean(later.mean)), "mean")
                result.later_index = rounded(raw.after_mean, "index")
        else:
            result.n_later = result.later_mean = result.later_index = SUPPRESSED
        if self._unpaired_shown(work, phase, cell):
            result.difference = rounded(raw.difference, "change")
            result.hedges_g = rounded(raw.hedges_g, "effect")
            result.p = rounded(raw.p, "p")
            result.p_holm = rounded(self.holm_unpaired[(work.info.ref, phase, cell)], "p")
        elif raw.n_before and raw.n_after:
            result.difference = result.hedges_g = result.p = result.p_holm = SUPPRESSED
        return result

    def subgroups(self, work: _ScaleWork, phase: str, cells: list[tuple]) -> list[SubgroupResult]:
        """Results of several cells, labelled for the reader."""
        return [
            SubgroupResult(
                key=self.cell_key(cell),
                label=self.cell_label(cell),
                paired=self.paired_result(work, phase, cell),
                unpaired=self.unpaired_result(work, phase, cell),
            )
            for cell in cells
        ]

    @staticmethod
    def cell_key(cell: tuple) -> str:
        """A cell's key in the JSON: the sex, school id or grade it is about."""
        return str(cell[-1])

    def cell_label(self, cell: tuple) -> str:
        """A cell's name for the reader."""
        kind = cell[0]
        if kind in ("sex", "school_sex"):
            return label(PUPIL_SEX_LABELS, cell[-1])
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
        links = self.links[phase]
        before = self._phase_count("before", asked_in=phase)
        later = self._phase_count(phase)
        exact = sum(1 for _b, _l, quality in links if quality == "exact")
        sex_differs = sum(
            1 for b, la, _q in links if self.respondents[b].sex != self.respondents[la].sex
        )
        sizes = {
            "before": before,
            "later": later,
            "pairs": len(links),
            "sex_differs": sex_differs,
        }
        shown = protect(sizes, [], self.min_n)
        # How the pairs were matched (exactly or with one element differing) describes the
        # linkage method, not the pupils, and is shown whatever its size: a project lead
        # judges the linkage by it. It is shown only with the number of pairs it splits.
        quality = {"exact": exact, "one_differs": len(links) - exact}

        def figure(key):
            if key in quality:
                return quality[key] if shown.shows("pairs") else SUPPRESSED
            return sizes[key] if shown.shows(key) else SUPPRESSED

        def rate(numerator, denominator):
            if not (shown.shows(numerator) and shown.shows(denominator)):
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

    def _baseline(self, work: _ScaleWork, phase: str) -> BaselineRow:
        linked = work.pairs[phase].get(("all",), _Pairs()).before_index
        unlinked = work.unlinked_before[phase]
        linked_shown = work.shown.shows((f"p:{phase}", "all"))
        unlinked_shown = work.shown.shows((f"ub:{phase}", "all"))
        row = BaselineRow(
            key=work.info.key,
            name=work.info.name,
            n_linked=len(linked) if linked_shown else SUPPRESSED,
            linked_index=rounded(float(np.mean(linked)), "index") if linked else None,
            n_unlinked=len(unlinked) if unlinked_shown else SUPPRESSED,
            unlinked_index=rounded(float(np.mean(unlinked)), "index") if unlinked else None,
            difference=None,
            hedges_g=None,
            p=None,
        )
        if not linked_shown:
            row.linked_index = SUPPRESSED
        if not unlinked_shown:
            row.unlinked_index = SUPPRESSED
        if linked_shown and unlinked_shown and linked and unlinked:
            comparison = stats.unpaired(unlinked, linked)
            row.difference = rounded(comparison.difference, "change")
            row.hedges_g = rounded(comparison.hedges_g, "effect")
            row.p = rounded(comparison.p, "p")
        elif linked and unlinked:
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

    def item_matrix(self, scale: ScaleInfo, phase: str) -> list[list[float]]:
        """Complete answers to a scale's items in one phase, reverse-scored where needed."""
        rows = []
        for response_id, person in self.respondents.items():
            if person.phase != phase:
                continue
            answers = self.answers.get(response_id, {})
            values = []
            for ref in scale.items:
                value, _dont_know = answers.get(ref, (None, False))
                if value is None:
                    break
                values.append(reverse_scored(value, scale.kind, scale.reverse[ref]))
            else:
                if values:
                    rows.append(values)
        return rows

    # --- items ---------------------------------------------------------------------------

    def _items(self, phase: str) -> list[ItemResult]:
        results = []
        for item in self.items:
            if item.kind not in ("agreement", "yes_no"):
                continue
            counts = {
                (which, cell): [0, 0, 0]  # answered, positive, vet ej
                for which in ("before", phase)
                for cell in [("all",), *(("sex", s) for s in PUPIL_SEXES)]
            }
            for response_id, person in self.respondents.items():
                if person.phase != phase and not self._compared_before(person, phase):
                    continue
                value, dont_know = self.answers.get(response_id, {}).get(item.ref, (None, False))
                if value is None and not dont_know:
                    continue
                positive = value is not None and (
                    value >= 3 if item.kind == "agreement" else value == 1
                )
                for cell in (("all",), ("sex", person.sex)):
                    count = counts[(person.phase, cell)]
                    count[0] += 1
                    count[1] += int(positive)
                    count[2] += int(bool(dont_know))
            set_aside_item_counts(counts, ("before", phase), self.min_n)
            sizes = {(which, *cell): c[0] for (which, cell), c in counts.items()}
            lines = [
                Line((which, "all"), tuple((which, "sex", s) for s in PUPIL_SEXES))
                for which in ("before", phase)
            ]
            shown = protect(sizes, lines, self.min_n)
            rows = []
            for cell in [("all",), *(("sex", s) for s in PUPIL_SEXES)]:
                shares = []
                for which in ("before", phase):
                    answered, positive, dont_know = counts[(which, cell)]
                    if not shown.shows((which, *cell)):
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


def reverse_scored(value: float, kind: str, reverse: bool) -> float:
    """An answer's value in the scale's hoped-for direction: 4..1 -> 1..4, yes/no swapped."""
    if not reverse:
        return float(value)
    return float(5 - value) if kind == "agreement" else float(1 - value)
