"""Build the Evaluation of a selection: load, compute, suppress once, round once.

Everything a reader sees — web page, PDF, Excel sheet or JSON — is drawn from the object
this returns; none of them queries the database or computes a statistic of its own.
"""

import datetime as dt
from collections import Counter, defaultdict

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from mvp.evaluation import data, residual, text
from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.labels import ROLE_LABELS, label
from mvp.evaluation.numbers import fmt, fmt_share, rounded
from mvp.evaluation.outcomes import (
    LOW_LINKAGE,
    Cells,
    ItemInfo,
    OutcomeBuilder,
    Respondent,
    ScaleInfo,
)
from mvp.evaluation.results import (
    GROUP_SEXES,
    PUPIL_SEXES,
    Adoption,
    AdoptionSchool,
    Comparison,
    ContinuationRow,
    Evaluation,
    Implementation,
    ImplementationRow,
    KeyFigure,
    LeaderCounts,
    Maintenance,
    Meta,
    Method,
    PhaseResponses,
    PupilRow,
    Reach,
    ReportTexts,
    RoleRow,
    Rollout,
    RolloutBandRow,
    RolloutSchoolRow,
    RolloutStageRow,
    RolloutTermRow,
    SchoolResponses,
    SchoolScale,
    SchoolSection,
    Summary,
)
from mvp.evaluation.results import ScaleInfo as MethodScale
from mvp.evaluation.suppress import SUPPRESSED, grid_lines, protect
from mvp.lessons.fidelity import Figures
from mvp.mentors.models import LeaderRole, TrainingKind
from mvp.rollout.plan import StageCount
from mvp.rollout.stages import stage_label
from mvp.schools.years import current_school_year, format_school_year

PHASES = ("before", "after", "follow_up")
PROGRAMME = "MVP – Mentorer i våldsprevention"


def build_evaluation(
    selection: EvaluationFilter, *, language: str | None = None, today: dt.date | None = None
) -> Evaluation:
    """The evaluation of a checked selection, in the given language (default: the reader's)."""
    if language:
        with force_locale(language):
            return _Builder(selection, language, today).build()
    from flask_babel import get_locale

    return _Builder(selection, str(get_locale() or "sv"), today).build()


def _share(numerator, denominator):
    if denominator in (None, 0):
        return None
    return rounded(numerator / denominator, "share")


def _leader_sex(sex: str) -> str:
    return sex if sex in ("woman", "man") else "other"


class _Builder:
    def __init__(self, selection: EvaluationFilter, language: str, today: dt.date | None):
        self.selection = selection
        self.language = language
        self.today = today or dt.date.today()
        self.min_n = int(current_app.config["SUPPRESSION_MIN"])
        self.raw = data.load(selection, self.today)
        self.groups = {g.id: g for g in self.raw.groups}
        # The groups asked in each phase: a questionnaire of the phase has opened (by the day
        # the evaluation is made) or has answers. Response rates and the comparisons with a
        # later phase look at these groups only.
        self.asked: dict[str, set[int]] = defaultdict(set)
        for wave in self.raw.waves:
            if wave.opens_on is None or wave.opens_on <= self.today:
                self.asked[wave.phase].add(wave.group_id)
        for response in self.raw.responses:
            self.asked[response.phase].add(response.group_id)
        # Small groups of pupils who answered "other" or "prefer not to say" are set aside
        # from every figure (mvp.evaluation.residual); all answers still tell who was asked.
        self.all_responses = self.raw.responses
        self.raw.responses, set_aside = residual.set_aside(
            self.raw.responses,
            key=lambda r: (r.phase, self.groups[r.group_id].school_id),
            sex=lambda r: r.sex,
            min_n=self.min_n,
        )
        self.set_aside_phases = [p for p in PHASES if any(k[0] == p for k, _sex in set_aside)]
        self.school_names = {s.id: s.name for s in self.raw.schools}
        for g in self.raw.groups:
            self.school_names.setdefault(g.school_id, g.school_name)
        self.schools: list[int] = list(dict.fromkeys(g.school_id for g in self.raw.groups))
        self.schools.sort(key=lambda s: self.school_names[s])
        self.grades_by_school: dict[int, list[int]] = defaultdict(list)
        for g in self.raw.groups:
            if g.grade not in self.grades_by_school[g.school_id]:
                self.grades_by_school[g.school_id].append(g.grade)
        for grades in self.grades_by_school.values():
            grades.sort()

    # --- the whole --------------------------------------------------------------------------

    def build(self) -> Evaluation:
        """The sections, in the order their state needs (kept on `self` until the sections
        are split into modules of their own):

        1. reach — sets `pupils`/`pupils_shown` (pupils per school and sex, protected) and,
           through `_responses`, `responses`/`responses_shown`; the response rates use both;
        2. adoption — from the leaders and trainings only;
        3. implementation — attendance is shown only where `pupils_shown` shows the pupils;
        4. outcomes (effectiveness, maintenance) — sets `instruments` and `scale_infos`;
        5. rollout — from the rollout summary only;
        6. schools — reuses 1–4 (rows, rates, the outcome builder's results per school);
        7. method — needs `instruments` and `scale_infos` (4) and the linkage of the
           effectiveness; texts; and last the summary, from the finished evaluation.
        """
        notices: list[str] = []
        has_data = bool(self.raw.groups)
        if not has_data:
            notices.append(self._no_groups_notice())
        elif not self.all_responses:
            notices.append(_("No questionnaires have been answered in the selection yet."))
        if has_data and self.today <= self.selection.last_day:
            notices.append(
                _(
                    "School year %(year)s is under way: lessons, supervision and answers are "
                    "counted up to today, %(today)s, and the dose is of the whole plan.",
                    year=format_school_year(max(self.selection.years)),
                    today=self.today.isoformat(),
                )
            )
        reach = self._reach()
        adoption = self._adoption()
        implementation = self._implementation()
        comparisons, outcome = self._outcomes()
        effectiveness = comparisons["after"]
        maintenance = self._maintenance(comparisons["follow_up"])
        rollout = self._rollout()
        schools = self._school_sections(reach, adoption, implementation, outcome)
        evaluation = Evaluation(
            meta=self._meta(),
            has_data=has_data,
            notices=notices,
            summary=Summary(),
            reach=reach,
            adoption=adoption,
            implementation=implementation,
            effectiveness=effectiveness,
            maintenance=maintenance,
            rollout=rollout,
            schools=schools,
            method=self._method(effectiveness),
            texts=self._texts(),
        )
        evaluation.summary = self._summary(evaluation)
        return evaluation

    def _no_groups_notice(self) -> str:
        if self.selection.grades or self.selection.plan_ids or self.selection.chosen_schools:
            return _(
                "No MVP pupil groups match the selection for %(period)s. Choose other schools, "
                "grades or lesson plans.",
                period=self.selection.period,
            )
        return _(
            "There are no MVP pupil groups in school year %(period)s among the schools you "
            "may see.",
            period=self.selection.period,
        )

    def _meta(self) -> Meta:
        plans = list(self.selection.plan_names) or sorted(
            {g.plan_name for g in self.raw.groups if g.plan_name}
        )
        return Meta(
            municipality=current_app.config["MUNICIPALITY_NAME"],
            programme=PROGRAMME,
            period=self.selection.period,
            school_years=[format_school_year(y) for y in self.selection.years],
            schools=[self.school_names[s] for s in self.schools]
            or list(self.selection.school_names),
            grades=sorted({g.grade for g in self.raw.groups}),
            plans=plans,
            made_on=self.today.isoformat(),
            language=self.language,
            suppression_min=self.min_n,
            all_schools=self.selection.school_ids is None,
            filters=self.selection.as_dict(),
        )

    # --- Reach -----------------------------------------------------------------------------

    def _reach(self) -> Reach:
        counts = {s: dict.fromkeys(GROUP_SEXES, 0) for s in self.schools}
        groups = Counter()
        grade_places = set()
        for g in self.raw.groups:
            counts[g.school_id]["girls"] += g.girls
            counts[g.school_id]["boys"] += g.boys
            counts[g.school_id]["others"] += g.others
            groups[g.school_id] += 1
            grade_places.add((g.school_id, g.school_year, g.grade))
        pupils_by_grade = {s.id: s.pupils_by_grade or {} for s in self.raw.schools}
        in_grades = Counter()
        for school, _year, grade in grade_places:
            in_grades[school] += int(pupils_by_grade.get(school, {}).get(str(grade), 0) or 0)
        sizes = {}
        for s in self.schools:
            for sex in GROUP_SEXES:
                sizes[("rs", s, sex)] = counts[s][sex]
            sizes[("rs", s)] = sum(counts[s].values())
        for sex in GROUP_SEXES:
            sizes[("rc", sex)] = sum(counts[s][sex] for s in self.schools)
        sizes[("rc",)] = sum(sizes[("rc", sex)] for sex in GROUP_SEXES)
        lines = grid_lines(
            self.schools,
            GROUP_SEXES,
            cell=lambda r, c: ("rs", r, c),
            row_margin=lambda r: ("rs", r),
            column_margin=lambda c: ("rc", c),
            total=("rc",),
        )
        self.pupils = sizes
        self.pupils_shown = protect(sizes, lines, self.min_n)

        def row(key, name, n_groups, cell, margin, denominator):
            shown = self.pupils_shown
            figures = {
                sex: sizes[cell(sex)] if shown.shows(cell(sex)) else SUPPRESSED
                for sex in GROUP_SEXES
            }
            total = sizes[margin] if shown.shows(margin) else SUPPRESSED
            share = SUPPRESSED if total == SUPPRESSED else _share(total, denominator)
            return PupilRow(key, name, n_groups, *figures.values(), total, denominator, share)

        rows = [
            row(
                str(s),
                self.school_names[s],
                groups[s],
                lambda sex, s=s: ("rs", s, sex),
                ("rs", s),
                in_grades[s],
            )
            for s in self.schools
        ]
        total = row(
            "total",
            _("All schools"),
            len(self.raw.groups),
            lambda sex: ("rc", sex),
            ("rc",),
            sum(in_grades.values()),
        )
        return Reach(rows, total, self._responses(), self.set_aside_phases)

    def _responses(self) -> list[PhaseResponses]:
        counts = Counter()
        for r in self.raw.responses:
            school = self.groups[r.group_id].school_id
            counts[(r.phase, school, r.sex)] += 1
        sizes, lines, unpublished = {}, [], set()
        for phase in PHASES:
            for s in self.schools:
                for sex in PUPIL_SEXES:
                    sizes[("q", phase, s, sex)] = counts[(phase, s, sex)]
                    unpublished.add(("q", phase, s, sex))
                sizes[("q", phase, "school", s)] = sum(
                    counts[(phase, s, sex)] for sex in PUPIL_SEXES
                )
            for sex in PUPIL_SEXES:
                sizes[("q", phase, "sex", sex)] = sum(counts[(phase, s, sex)] for s in self.schools)
            sizes[("q", phase)] = sum(sizes[("q", phase, "sex", sex)] for sex in PUPIL_SEXES)
            lines += grid_lines(
                self.schools,
                PUPIL_SEXES,
                cell=lambda r, c, phase=phase: ("q", phase, r, c),
                row_margin=lambda r, phase=phase: ("q", phase, "school", r),
                column_margin=lambda c, phase=phase: ("q", phase, "sex", c),
                total=("q", phase),
            )
        self.responses = sizes
        self.responses_shown = shown = protect(sizes, lines, self.min_n, unpublished=unpublished)
        result = []
        for phase in PHASES:

            def figure(key):
                return sizes[key] if shown.shows(key) else SUPPRESSED

            total = figure(("q", phase))
            result.append(
                PhaseResponses(
                    phase=phase,
                    groups_with_wave=len(self.asked[phase] & set(self.groups)),
                    groups=len(self.raw.groups),
                    responses=total,
                    by_sex={sex: figure(("q", phase, "sex", sex)) for sex in PUPIL_SEXES},
                    rate=self._rate(("q", phase), ("rc",), self._asked_pupils(phase)),
                    rate_girls=self._rate(
                        ("q", phase, "sex", "girl"),
                        ("rc", "girls"),
                        self._asked_pupils(phase, sex="girls"),
                    ),
                    rate_boys=self._rate(
                        ("q", phase, "sex", "boy"),
                        ("rc", "boys"),
                        self._asked_pupils(phase, sex="boys"),
                    ),
                )
            )
        return result

    def _asked_pupils(self, phase: str, school: int | None = None, sex: str | None = None) -> int:
        """Registered pupils (of one sex) of the groups asked in a phase (at one school)."""
        return sum(
            g.count(sex) if sex else g.girls + g.boys + g.others
            for g in self.raw.groups
            if g.id in self.asked[phase] and school in (None, g.school_id)
        )

    def _rate(self, response_key, pupils_key, asked: int):
        """Responses over the registered pupils of the groups asked, shown only where the
        responses and the pupils are; and, when only some groups were asked, only where
        neither those groups' pupils nor the others' are fewer than the threshold (the rate
        would give their number back)."""
        if asked == 0:  # nobody asked: there is no rate, and nothing to hide
            return None
        if not (self.responses_shown.shows(response_key) and self.pupils_shown.shows(pupils_key)):
            return SUPPRESSED
        total = self.pupils[pupils_key]
        if asked != total and min(asked, total - asked) < self.min_n:
            return SUPPRESSED
        return _share(self.responses[response_key], asked)

    # --- Adoption --------------------------------------------------------------------------

    def _adoption(self) -> Adoption:
        adoption = Adoption()
        considered = [s for s in self.raw.schools if s.active or s.id in self.schools]
        adoption.schools_total = len(considered)
        adoption.schools_participating = len(self.schools)
        by_role = defaultdict(LeaderCounts)
        per_school = defaultdict(lambda: [0, 0, 0])
        for leader in self.raw.leaders:
            sex = _leader_sex(leader.sex)
            self._count(adoption.leaders, sex)
            if leader.trained:
                self._count(adoption.trained, sex)
                self._count(by_role[leader.role], sex)
            if leader.lessons:
                self._count(adoption.active, sex)
            if leader.school_id is not None:
                counts = per_school[leader.school_id]
                counts[0] += 1
                counts[1] += int(bool(leader.trained))
                counts[2] += int(bool(leader.lessons))
        adoption.trained_by_role = [
            RoleRow(role.value, label(ROLE_LABELS, role.value), by_role[role.value])
            for role in LeaderRole
            if by_role[role.value].total
        ]
        first = {(t.school_id, t.kind): t.first_on for t in self.raw.trainings}
        groups = Counter(g.school_id for g in self.raw.groups)
        for school in considered:
            leaders, trained, active = per_school[school.id]
            anchoring = first.get((school.id, TrainingKind.ANCHORING.value))
            staff_day = first.get((school.id, TrainingKind.STAFF_HALF_DAY.value))
            adoption.schools.append(
                AdoptionSchool(
                    key=str(school.id),
                    name=school.name,
                    groups=groups[school.id],
                    leaders=leaders,
                    trained=trained,
                    active=active,
                    anchoring_on=anchoring.isoformat() if anchoring else None,
                    staff_day_on=staff_day.isoformat() if staff_day else None,
                )
            )
        return adoption

    @staticmethod
    def _count(counts: LeaderCounts, sex: str) -> None:
        setattr(counts, sex, getattr(counts, sex) + 1)
        counts.total += 1

    # --- Implementation --------------------------------------------------------------------

    def _implementation(self) -> Implementation:
        """The delivery area's fidelity figures (mvp.lessons.fidelity), suppressed and rounded."""
        programme = self.raw.fidelity
        by_school = {school.school_id: school for school in programme.schools}
        active_hours = defaultdict(list)
        for leader in self.raw.leaders:
            if leader.lessons:
                active_hours[leader.school_id].append(float(leader.supervision_hours or 0))
                active_hours["all"].append(float(leader.supervision_hours or 0))
        rows = [
            self._implementation_row(
                str(s),
                self.school_names[s],
                by_school[s].figures,
                attendance_keys={sex: ("rs", s, sex) for sex in GROUP_SEXES} | {"total": ("rs", s)},
                supervision_hours=by_school[s].supervision_hours,
                leader_hours=active_hours[s],
            )
            for s in self.schools
        ]
        total = self._implementation_row(
            "total",
            _("All schools"),
            programme.figures,
            attendance_keys={sex: ("rc", sex) for sex in GROUP_SEXES} | {"total": ("rc",)},
            # The participating schools' sessions; central ones are reported beside them.
            supervision_hours=sum(by_school[s].supervision_hours for s in self.schools),
            leader_hours=active_hours["all"],
        )
        return Implementation(rows, total, rounded(programme.central_supervision_hours, "hours"))

    def _implementation_row(
        self, key, name, figures: Figures, *, attendance_keys, supervision_hours, leader_hours
    ) -> ImplementationRow:
        attendance = {}
        for sex in (*GROUP_SEXES, "total"):
            if not self.pupils_shown.shows(attendance_keys[sex]):
                attendance[sex] = SUPPRESSED
            else:
                value = figures.attendance_all if sex == "total" else figures.attendance(sex)
                attendance[sex] = rounded(value, "share")
        return ImplementationRow(
            key=key,
            name=name,
            groups=figures.groups,
            groups_with_plan=figures.groups_with_plan,
            groups_full_dose=figures.groups_full_dose,
            lessons_planned=figures.planned,
            lessons_held=figures.held,
            dose=rounded(figures.dose, "share"),
            held_lessons=figures.lessons,
            repeat_lessons=figures.repeats,
            full_pair_share=rounded(figures.full_pair_share, "share"),
            delivered_fully=rounded(figures.fully_share, "share"),
            delivered_partly=rounded(figures.partly_share, "share"),
            delivered_not=rounded(figures.not_share, "share"),
            attendance=attendance,
            supervision_hours=rounded(supervision_hours, "hours"),
            supervision_hours_per_leader=(
                rounded(sum(leader_hours) / len(leader_hours), "hours") if leader_hours else None
            ),
        )

    # --- Effectiveness and follow-up -------------------------------------------------------

    def _instrument_structure(self):
        """Scales and items pooled by key over an instrument's versions (the newest names)."""
        english = self.language.startswith("en")
        scales: dict[tuple, ScaleInfo] = {}
        items: dict[tuple, ItemInfo] = {}
        item_ids: dict[int, tuple] = {}
        self.instruments: dict[tuple, str] = {}
        self.scale_ids: dict[int, tuple] = {}
        for row in self.raw.items:  # ordered by instrument key, version, position
            name = row.instrument_en if english else row.instrument_sv
            self.instruments[(row.instrument, row.version)] = name
            ref = (row.instrument, row.key)
            item_ids[row.id] = ref
            scale_ref = (row.instrument, row.scale) if row.scale else None
            if scale_ref is not None:
                self.scale_ids[row.scale_id] = scale_ref
            items[ref] = ItemInfo(
                ref=ref,
                key=row.key,
                text=row.text_en if english else row.text_sv,
                kind=row.kind,
                reverse=bool(row.reverse),
                scale_ref=scale_ref,
                position=(row.instrument, row.position),
            )
            if scale_ref is None:
                continue
            scale = scales.get(scale_ref)
            info = ScaleInfo(
                ref=scale_ref,
                key=row.scale,
                name=row.scale_en if english else row.scale_sv,
                construct=(row.construct_en if english else row.construct_sv) or "",
                kind="agreement",
                position=(row.instrument, row.scale_position),
            )
            if scale is None:
                scales[scale_ref] = scale = info
            else:  # a newer version: its names win, its items join
                scale.name, scale.construct, scale.position = (
                    info.name,
                    info.construct,
                    info.position,
                )
            if ref not in scale.reverse:
                scale.items.append(ref)
            scale.reverse[ref] = bool(row.reverse)
        for scale in scales.values():
            kinds = {items[ref].kind for ref in scale.items}
            scale.kind = "yes_no" if kinds == {"yes_no"} else "agreement"
        ordered_items = sorted(items.values(), key=lambda i: i.position)
        ordered_scales = sorted(scales.values(), key=lambda s: s.position)
        return ordered_scales, ordered_items, item_ids

    def _outcomes(self):
        respondents = {
            r.id: Respondent(
                group_id=r.group_id,
                phase=r.phase,
                sex=r.sex,
                school_id=self.groups[r.group_id].school_id,
                grade=self.groups[r.group_id].grade,
            )
            for r in self.raw.responses
        }
        scales, items, item_ids = self._instrument_structure()
        self.scale_infos = scales
        outcome = OutcomeBuilder(
            respondents=respondents,
            scales=scales,
            items=items,
            item_ids=item_ids,
            scores=self.raw.scores,
            links=self.raw.links,
            answers=self.raw.answers,
            cells=Cells(self.schools, dict(self.grades_by_school)),
            school_names=self.school_names,
            min_n=self.min_n,
            asked=self.asked,
            scale_ids=self.scale_ids,
        )
        comparisons = outcome.comparisons()
        for phase, comparison in comparisons.items():
            self._explain(comparison, phase)
        return comparisons, outcome

    def _explain(self, comparison: Comparison, phase: str) -> None:
        if not comparison.available:
            comparison.message = (
                _("No questionnaires after the lessons have been answered in the selection.")
                if phase == "after"
                else _("No follow-up questionnaires have been answered in the selection.")
            )
            comparison.scales = []
            comparison.items = []
            comparison.baseline = []
            return
        for scale in comparison.scales:
            scale.finding = text.scale_finding(
                scale.name,
                scale.paired,
                scale.unpaired,
                later_phase=phase,
                low_linkage=comparison.low_linkage,
                linkage_rate=comparison.linkage.rate_later,
                min_n=self.min_n,
            )
            scale.findings_by_sex = [
                text.subgroup_finding(group.label, group.paired)
                for group in scale.by_sex
                if group.key in ("girl", "boy")
            ]
            comparison.findings.append(scale.finding)

    # --- Maintenance -----------------------------------------------------------------------

    def _maintenance(self, follow_up: Comparison) -> Maintenance:
        maintenance = Maintenance(follow_up=follow_up)
        groups_next = Counter()
        for row in self.raw.continuation:
            groups_next[(row.school_id, row.school_year)] += int(row.groups)
        current = current_school_year(self.today)
        places = sorted(
            {(g.school_id, g.school_year) for g in self.raw.groups},
            key=lambda p: (self.school_names[p[0]], p[1]),
        )
        continuing = decided = pending = 0
        for school, year in places:
            n = groups_next[(school, year + 1)]
            if year + 1 > current:
                status, count = "not_yet", None
                pending += 1
            else:
                status, count = ("continues" if n else "stopped"), n
                decided += 1
                continuing += int(bool(n))
            maintenance.continuation.append(
                ContinuationRow(
                    key=str(school),
                    name=self.school_names[school],
                    school_year=format_school_year(year),
                    next_year=format_school_year(year + 1),
                    groups_next=count,
                    status=status,
                )
            )
        maintenance.finding = text.continuation_finding(continuing, decided, pending)
        return maintenance

    # --- Rollout ---------------------------------------------------------------------------

    def _rollout(self) -> Rollout:
        """The rollout as it stands today: the municipality's plan, or the selection's schools.

        Readers who may see the rollout plan (leads, administrators, viewers, the command line)
        get the whole municipality when they choose no school; an evaluation of chosen schools,
        and a coordinator's evaluation of their own, shows only those schools' stages and
        readiness, without the projection by term. Grades and lesson plans do not narrow it.
        """
        summary = self.raw.rollout
        whole = self.selection.whole_rollout and not self.selection.chosen_schools
        wanted = None if whole else set(self.selection.school_ids or ())

        def mine(plans):
            return [p for p in plans if wanted is None or p.school_id in wanted]

        schools = mine(summary.schools)
        eligible = [p for p in schools if p.eligible]
        running = [p for p in eligible if p.running]
        if whole:
            stages = summary.stages
        else:
            stages = [
                StageCount(count.stage, sum(1 for p in schools if p.stage == count.stage))
                for count in summary.stages
            ]
        outside = mine(summary.unplanned) + mine(summary.overdue)
        rollout = Rollout(
            scope="municipality" if whole else "schools",
            as_of=summary.today.isoformat(),
            current_term=summary.current_term.label,
            schools_active=len(schools),
            schools_eligible=len(eligible),
            schools_running=len(running),
            running_share=_share(len(running), len(eligible)),
            schools_remaining=len(eligible) - len(running),
            complete_in=(
                summary.complete_in.label if whole and summary.complete_in is not None else None
            ),
            team_min=summary.team_min,
            stages=[
                RolloutStageRow(count.stage, stage_label(count.stage), count.schools)
                for count in stages
            ],
            schools=[
                RolloutSchoolRow(
                    key=str(p.school_id),
                    name=p.name,
                    stage=p.stage,
                    stage_label=stage_label(p.stage),
                    target_term=p.target.label if p.target else None,
                    pupils_targeted=p.pupils_targeted,
                    trained_leaders=p.trained_leaders,
                    ready_items=p.ready_items,
                    total_items=p.total_items,
                )
                for p in schools
            ],
            overdue=[p.name for p in mine(summary.overdue)],
            unplanned=[p.name for p in mine(summary.unplanned)],
            not_targeted=[p.name for p in mine(summary.not_targeted)],
        )
        if whole:
            rollout.now = self._bands(summary.now)
            rollout.terms = [
                RolloutTermRow(
                    key=term.term.value,
                    label=term.term.label,
                    current=term.term == summary.current_term,
                    starting=[p.name for p in term.starting],
                    schools_running=term.schools_running,
                    schools_share=rounded(term.schools_share, "share"),
                    leaders_to_train_minimum=term.leaders_to_train_minimum,
                    leaders_to_train_recommended=term.leaders_to_train_recommended,
                    pupils_starting=term.pupils_starting,
                    pupils_reached=term.pupils_reached,
                    bands=self._bands(term.bands),
                )
                for term in summary.terms
            ]
        rollout.finding = text.rollout_finding(
            rollout.schools_running,
            rollout.schools_eligible,
            rollout.running_share,
            municipality=whole,
            complete_in=rollout.complete_in,
            outside_plan=len(outside),
        )
        rollout.notes = [
            _(
                "These figures are about schools and the schools' registered pupil numbers, not "
                "about people's answers, so they are neither broken down by sex nor suppressed."
            ),
            _(
                "The rollout is shown as it stands on %(date)s, whatever school years are chosen.",
                date=rollout.as_of,
            ),
            self._rollout_scope_note(whole),
        ]
        return rollout

    def _rollout_scope_note(self, whole: bool) -> str:
        if whole:
            return _(
                "It covers every active school of the municipality, whatever grades or lesson "
                "plans are chosen."
            )
        if self.selection.whole_rollout:
            return _(
                "It covers the chosen schools only; choose no school to see the municipality's "
                "plan term by term."
            )
        return _(
            "It covers the schools of the selection only; the municipality's plan term by term "
            "is kept by the project leads."
        )

    @staticmethod
    def _bands(bands) -> list[RolloutBandRow]:
        """The grade bands MVP targets, with the share of their pupils reached."""
        return [
            RolloutBandRow(
                band.band,
                band.label,
                band.pupils_total,
                band.pupils_reached,
                rounded(band.share, "share"),
            )
            for band in bands
            if band.targeted
        ]

    # --- One section per school ------------------------------------------------------------

    def _school_sections(self, reach, adoption, implementation, outcome) -> list[SchoolSection]:
        rows = {r.key: r for r in reach.schools}
        adopted = {a.key: a for a in adoption.schools}
        implemented = {i.key: i for i in implementation.schools}
        sections = []
        for s in self.schools:
            key = str(s)
            responses = []
            for phase in PHASES:
                count_key = ("q", phase, "school", s)
                shown = self.responses_shown.shows(count_key)
                responses.append(
                    SchoolResponses(
                        phase=phase,
                        responses=self.responses[count_key] if shown else SUPPRESSED,
                        rate=self._rate(count_key, ("rs", s), self._asked_pupils(phase, s)),
                    )
                )
            scales = []
            after_available = self.all_responses and any(
                r.phase == "after" for r in self.all_responses
            )
            for work in outcome.works if after_available else []:
                paired = outcome.paired_result(work, "after", ("school", s))
                scales.append(
                    SchoolScale(
                        key=work.info.key,
                        name=work.info.name,
                        paired=paired,
                        unpaired=outcome.unpaired_result(work, "after", ("school", s)),
                        by_sex=outcome.subgroups(
                            work, "after", [("school_sex", s, x) for x in PUPIL_SEXES]
                        ),
                        by_grade=outcome.subgroups(
                            work,
                            "after",
                            [("school_grade", s, g) for g in self.grades_by_school[s]],
                        ),
                        finding=text.subgroup_finding(work.info.name, paired),
                    )
                )
            sections.append(
                SchoolSection(
                    key=key,
                    name=self.school_names[s],
                    pupils=rows[key],
                    responses=responses,
                    adoption=adopted.get(key)
                    or AdoptionSchool(key, self.school_names[s], 0, 0, 0, 0, None, None),
                    implementation=implemented[key],
                    scales=scales,
                )
            )
        return sections

    # --- Method appendix -------------------------------------------------------------------

    def _method(self, effectiveness: Comparison) -> Method:
        method = Method()
        used = {w.instrument_id for w in self.raw.waves}
        versions = sorted({(r.instrument, r.version, r.instrument_id) for r in self.raw.items})
        for key, version, instrument_id in versions:
            if instrument_id in used:
                method.instruments.append(
                    _(
                        "%(name)s, version %(version)s (%(key)s)",
                        name=self.instruments[(key, version)],
                        version=version,
                        key=key,
                    )
                )
        for scale in self.scale_infos:
            method.scales.append(
                MethodScale(
                    key=scale.key,
                    name=scale.name,
                    construct=scale.construct,
                    kind=scale.kind,
                    items=len(scale.items),
                    reverse_items=sum(1 for r in scale.items if scale.reverse[r]),
                )
            )
        linkage = effectiveness.linkage
        method.linkage = [
            _(
                "Pupils answer anonymously. Before and later answers of the same pupil are "
                "linked through a self-generated code made of a few stable facts that only "
                "the pupil knows; the system keeps each element only as a keyed hash, never "
                "in clear. A pair is exact when every element agrees; one element may differ."
            ),
            _(
                "Of %(later)s answers after the lessons, %(pairs)s were linked to an answer "
                "before (%(rate)s): %(exact)s exactly and %(one)s with one element differing. "
                "%(differs)s linked pairs gave a different sex at the two times.",
                later=fmt(linkage.later),
                pairs=fmt(linkage.pairs),
                rate=fmt_share(linkage.rate_later),
                exact=fmt(linkage.exact),
                one=fmt(linkage.one_differs),
                differs=fmt(linkage.sex_differs),
            ),
            _(
                "Pupils who could not be linked may differ from those who could; the baseline "
                "table compares them, and where fewer than %(share)s of later answers are "
                "linked the comparison of all answers is reported beside the linked one.",
                share=fmt_share(LOW_LINKAGE, 0),
            ),
        ]
        method.suppression = [
            _(
                'Any figure based on fewer than %(n)s pupils is shown as "..". Zero is shown.',
                n=self.min_n,
            ),
            _(
                "Where a total, the other parts of a breakdown (sex, school, grade) or the "
                "difference between all answers and the linked ones would reveal a hidden "
                "figure, one more figure is hidden (the smallest, and linked results last). "
                "The rule is applied once, when the evaluation is built, before any table, "
                "chart or file is made."
            ),
            _(
                'Pupils who answered "other" or preferred not to say to the question about '
                "sex are shown in their own column only where they are at least %(n)s at a "
                "school in a phase (and, for a scale, among its answers and linked pairs). "
                "Where they are fewer, their answers are left out of that table's figures, "
                "totals included: hiding only their cell would force hiding the girls' or the "
                "boys' figure, which would otherwise give it back.",
                n=self.min_n,
            ),
            _(
                "Figures about staff (leaders and their trainings) are counts of people in "
                "their professional role and are not suppressed."
            ),
        ]
        method.tests = [
            _(
                "Scale scores are the mean of a pupil's answered items after reverse scoring, "
                "stored when the answer was saved, and shown as an index from 0 to 100 (100 "
                "is the hoped-for end); a score counts when at least two thirds of the scale's "
                "items were answered."
            ),
            _(
                "Linked pupils: the mean change in index points with its %(level)s confidence "
                "interval (Student's t), the effect size Cohen's d_z (mean change divided by "
                "the standard deviation of the changes) and the Wilcoxon signed-rank test.",
                level=fmt_share(0.95, 0),
            ),
            _("All answers: the difference of means, Hedges' g and the Mann–Whitney U test."),
            _(
                "P-values are two-sided and adjusted with Holm's method across the scales of "
                "each table. A change is called clear when its confidence interval lies on one "
                "side of zero and the adjusted p-value is below 0.05."
            ),
            _(
                "Effect sizes below 0.2 are called negligible, from 0.2 small, from 0.5 "
                "moderate and from 0.8 large."
            ),
            _(
                "Cronbach's alpha from the answers of pupils who answered every item of the "
                "scale, reverse-scored where an item is negatively worded."
            ),
            _(
                'Per question: the share of positive answers (the top two steps, or "yes") and '
                'the share "don\'t know", both of everyone who answered the question.'
            ),
            _(
                "A linked pair belongs to the sex, school and grade of its answer before the "
                "lessons."
            ),
        ]
        method.definitions = [
            _(
                "Dose: the distinct lesson numbers held (repeats excluded) divided by the "
                "lessons in the group's lesson plan."
            ),
            _("Leader pairs: the share of held lessons (repeats excluded) led by two leaders."),
            _("As planned: the share of held lessons (repeats excluded) delivered fully."),
            _(
                "Attendance: pupils present at the held lessons (repeats excluded) divided by "
                "the group's pupils times those lessons, by sex."
            ),
            _(
                "Supervision: hours of supervision held for the school in the period (up to "
                "today), and per active leader the hours of supervision attended."
            ),
            _(
                "Trained leader: attended a leader training that was over by the end of the "
                "period (or today, if earlier). Active leader: led at least one lesson in the "
                "selection."
            ),
            _(
                "Share of the schools' pupils: pupils in MVP groups divided by the pupils in "
                "the same grades of the participating schools, as registered for each school."
            ),
            _(
                "Response rate: answers in a phase divided by the registered pupils of the "
                "groups asked in that phase, that is whose questionnaire had opened when the "
                "evaluation was made."
            ),
            _(
                "All answers compared, the shares of linked answers and the questions compare "
                "the answers after the lessons (or at follow-up) with the answers before of the "
                "same groups: those asked in the later phase."
            ),
        ]
        return method

    def _texts(self) -> list[ReportTexts]:
        return [
            ReportTexts(format_school_year(t.school_year), t.lessons_learned, t.next_steps)
            for t in self.raw.texts
            if t.lessons_learned.strip() or t.next_steps.strip()
        ]

    # --- Summary ---------------------------------------------------------------------------

    def _summary(self, evaluation: Evaluation) -> Summary:
        reach, adoption = evaluation.reach, evaluation.adoption
        total = evaluation.implementation.total
        responses = {r.phase: r for r in reach.responses}
        figures = [
            KeyFigure(
                "schools", _("Participating schools"), adoption.schools_participating, "count"
            ),
            KeyFigure(
                "schools_total", _("Schools in the selection"), adoption.schools_total, "count"
            ),
            KeyFigure("groups", _("Pupil groups"), len(self.raw.groups), "count"),
            KeyFigure("pupils", _("Pupils in the groups"), reach.total.total, "count"),
            KeyFigure(
                "share_of_grades",
                _("Share of the pupils in those grades"),
                reach.total.share_of_grades,
                "share",
            ),
            KeyFigure(
                "response_before", _("Response rate before"), responses["before"].rate, "share"
            ),
            KeyFigure("response_after", _("Response rate after"), responses["after"].rate, "share"),
            KeyFigure(
                "linkage",
                _("Answers after the lessons linked to before"),
                evaluation.effectiveness.linkage.rate_later,
                "share",
            ),
            KeyFigure("dose", _("Dose: lessons held of planned"), total.dose, "share"),
            KeyFigure(
                "full_pair", _("Lessons led by a leader pair"), total.full_pair_share, "share"
            ),
            KeyFigure(
                "as_planned", _("Lessons delivered as planned"), total.delivered_fully, "share"
            ),
            KeyFigure("trained", _("Trained leaders"), adoption.trained.total, "count"),
            KeyFigure("active", _("Active leaders"), adoption.active.total, "count"),
            KeyFigure("supervision", _("Hours of supervision"), total.supervision_hours, "hours"),
        ]
        findings = list(evaluation.notices)
        if evaluation.effectiveness.available:
            findings += evaluation.effectiveness.findings
        elif evaluation.has_data:
            findings.append(evaluation.effectiveness.message)
        follow_up = evaluation.maintenance.follow_up
        return Summary(
            figures,
            findings,
            follow_up=follow_up.findings if follow_up.available else [],
            maintenance=evaluation.maintenance.finding if evaluation.has_data else "",
            rollout=evaluation.rollout.finding,
        )
