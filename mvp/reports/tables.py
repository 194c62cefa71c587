"""The evaluation laid out as tables: the one layout the web page, the PDF and Excel all draw.

A Table holds the Evaluation's figures as they are (numbers, ".." or None) with a kind per
column that says how to write them; nothing here computes or rounds. Because every renderer
draws these same tables, a figure reads the same on the web, in the PDF and in the Excel
appendix.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from mvp.evaluation.labels import (
    CONTINUATION_LABELS,
    GROUP_SEX_LABELS,
    KIND_LABELS,
    LEADER_SEX_LABELS,
    PHASE_IN_HEADING,
    PHASE_LABELS,
    PUPIL_SEX_LABELS,
    label,
)
from mvp.evaluation.numbers import DASH, fmt_ci, fmt_kind
from mvp.evaluation.residual import RESIDUAL_SEXES
from mvp.evaluation.results import (
    GROUP_SEXES,
    LEADER_SEXES,
    PUPIL_SEXES,
    Comparison,
    Evaluation,
    SchoolSection,
)

SECTIONS = (
    "summary",
    "reach",
    "adoption",
    "implementation",
    "effectiveness",
    "maintenance",
    "rollout",
)


@dataclass
class Column:
    """A column: its heading and the kind of figure it holds (see mvp.evaluation.numbers)."""

    label: str
    kind: str = "text"


@dataclass
class Table:
    """One table of the report and one sheet of the Excel appendix."""

    key: str
    section: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    total_row: bool = False
    # A table of detail: the web page folds it away (a disclosure the reader opens); the PDF
    # and Excel show every table whole.
    detail: bool = False

    def column_index(self, label: str) -> int:
        """The position of a column, by its heading."""
        return [c.label for c in self.columns].index(label)


def cell_text(value, kind: str) -> str:
    """A cell as the reader sees it ("figure" cells carry their own kind)."""
    if kind == "figure":
        value, kind = value
    if value is None and kind == "ci":
        return DASH  # no interval: a row that says its group was set aside
    if kind == "ci":
        return fmt_ci(*value)
    if kind in ("text", "date"):
        return DASH if value is None else str(value)
    return fmt_kind(value, kind)


def evaluation_tables(evaluation: Evaluation) -> list[Table]:
    """Every table of the evaluation, in the report's order."""
    tables = [*summary_tables(evaluation)]
    tables += reach_tables(evaluation)
    tables += adoption_tables(evaluation)
    tables += implementation_tables(evaluation)
    tables += comparison_tables(evaluation.effectiveness, "effectiveness")
    tables += comparison_tables(evaluation.maintenance.follow_up, "maintenance")
    tables.append(continuation_table(evaluation))
    tables += rollout_tables(evaluation)
    for school in evaluation.schools:
        tables += school_tables(school)
    tables.append(method_table(evaluation))
    return tables


def tables_by_section(evaluation: Evaluation) -> dict[str, list[Table]]:
    """The tables grouped by the section (or school) they belong to."""
    grouped: dict[str, list[Table]] = {}
    for table in evaluation_tables(evaluation):
        grouped.setdefault(table.section, []).append(table)
    return grouped


# --- summary -----------------------------------------------------------------------------------


def summary_tables(evaluation: Evaluation) -> list[Table]:
    """Key figures, and each scale's change in one line."""
    figures = Table(
        "key_figures",
        "summary",
        _("Key figures"),
        [Column(_("Figure")), Column(_("Value"), "figure")],
    )
    rates = {r.phase: r for r in evaluation.reach.responses}
    for figure in evaluation.summary.figures:
        figures.rows.append([figure.label, (figure.value, figure.unit)])
        # Response rates are about people: girls' and boys' rates follow the total.
        phase = {"response_before": "before", "response_after": "after"}.get(figure.key)
        if phase in rates:
            for sex, rate in (
                (_("girls"), rates[phase].rate_girls),
                (_("boys"), rates[phase].rate_boys),
            ):
                figures.rows.append([f"{figure.label}: {sex}", (rate, "share")])
    tables = [figures]
    if evaluation.effectiveness.scales:
        scales = Table(
            "key_scales",
            "summary",
            _("Change per scale, linked pupils (index 0–100)"),
            [
                Column(_("Scale")),
                Column(_("Linked pupils"), "count"),
                Column(_("Before"), "index"),
                Column(_("After"), "index"),
                Column(_("Mean change"), "change"),
                Column(_("95 % CI"), "ci"),
                Column(_("p (Holm)"), "p"),
            ],
        )
        for scale in evaluation.effectiveness.scales:
            p = scale.paired
            scales.rows.append(
                [
                    scale.name,
                    p.n,
                    p.before_index,
                    p.later_index,
                    p.change,
                    (p.ci_low, p.ci_high),
                    p.p_holm,
                ]
            )
        tables.append(scales)
    return tables


# --- reach -------------------------------------------------------------------------------------


def reach_tables(evaluation: Evaluation) -> list[Table]:
    """Pupils by school and sex, and questionnaires answered per phase."""
    reach = evaluation.reach
    pupils = Table(
        "reach_pupils",
        "reach",
        _("Pupils in MVP groups by sex"),
        [
            Column(_("School")),
            Column(_("Groups"), "count"),
            *(Column(label(GROUP_SEX_LABELS, sex), "count") for sex in GROUP_SEXES),
            Column(_("Total"), "count"),
            Column(_("Pupils in those grades"), "count"),
            Column(_("Share of those pupils"), "share"),
        ],
        total_row=True,
    )
    for row in [*reach.schools, reach.total]:
        pupils.rows.append(
            [
                row.name,
                row.groups,
                row.girls,
                row.boys,
                row.others,
                row.total,
                row.pupils_in_grades,
                row.share_of_grades,
            ]
        )
    responses = Table(
        "reach_responses",
        "reach",
        _("Questionnaires answered per phase"),
        [
            Column(_("Phase")),
            Column(_("Groups with a questionnaire"), "count"),
            Column(_("Answers"), "count"),
            *(Column(label(PUPIL_SEX_LABELS, sex), "count") for sex in PUPIL_SEXES),
            Column(_("Response rate"), "share"),
            Column(_("Response rate, girls"), "share"),
            Column(_("Response rate, boys"), "share"),
        ],
        note=_(
            "Sex as the pupils gave it in the questionnaire; response rates compare it with "
            "the registered girls and boys of the groups asked in that phase (a questionnaire "
            "has opened)."
        ),
    )
    if reach.set_aside:
        phases = ", ".join(label(PHASE_LABELS, phase).lower() for phase in reach.set_aside)
        responses.note += " " + _(
            'Answers of pupils who gave "other" or preferred not to say are shown only where '
            "they are at least the threshold at a school; where they were fewer (phases: "
            "%(phases)s), those answers are left out of every figure, totals included, so that "
            "girls' and boys' results can be shown.",
            phases=phases,
        )
    for phase in reach.responses:
        responses.rows.append(
            [
                label(PHASE_LABELS, phase.phase),
                phase.groups_with_wave,
                phase.responses,
                *(phase.by_sex[sex] for sex in PUPIL_SEXES),
                phase.rate,
                phase.rate_girls,
                phase.rate_boys,
            ]
        )
    return [pupils, responses]


# --- adoption ----------------------------------------------------------------------------------


def adoption_tables(evaluation: Evaluation) -> list[Table]:
    """Leaders by sex and role, and each school's steps."""
    adoption = evaluation.adoption
    sex_columns = [Column(label(LEADER_SEX_LABELS, s), "count") for s in LEADER_SEXES]
    leaders = Table(
        "adoption_leaders",
        "adoption",
        _("MVP leaders by sex"),
        [Column(_("Leaders")), *sex_columns, Column(_("Total"), "count")],
    )
    for name, counts in (
        (_("Registered"), adoption.leaders),
        (_("Trained"), adoption.trained),
        (_("Active (led a lesson)"), adoption.active),
    ):
        leaders.rows.append([name, counts.woman, counts.man, counts.other, counts.total])
    roles = Table(
        "adoption_roles",
        "adoption",
        _("Trained leaders by profession and sex"),
        [Column(_("Profession")), *sex_columns, Column(_("Total"), "count")],
    )
    for row in adoption.trained_by_role:
        t = row.trained
        roles.rows.append([row.label, t.woman, t.man, t.other, t.total])
    schools = Table(
        "adoption_schools",
        "adoption",
        _("The schools' steps towards MVP"),
        [
            Column(_("School")),
            Column(_("Groups"), "count"),
            Column(_("Leaders"), "count"),
            Column(_("Trained"), "count"),
            Column(_("Active"), "count"),
            Column(_("Anchoring meeting"), "date"),
            Column(_("Staff half-day"), "date"),
        ],
    )
    for row in adoption.schools:
        schools.rows.append(
            [
                row.name,
                row.groups,
                row.leaders,
                row.trained,
                row.active,
                row.anchoring_on,
                row.staff_day_on,
            ]
        )
    return [leaders, roles, schools]


# --- implementation ----------------------------------------------------------------------------


def implementation_tables(evaluation: Evaluation) -> list[Table]:
    """Dose, leader pairs, delivery, supervision; and attendance by sex."""
    impl = evaluation.implementation
    rows = [*impl.schools, *([impl.total] if impl.total else [])]
    dose = Table(
        "implementation",
        "implementation",
        _("Lessons held of planned (dose)"),
        [
            Column(_("School")),
            Column(_("Groups"), "count"),
            Column(_("Lessons planned"), "count"),
            Column(_("Lessons held"), "count"),
            Column(_("Dose"), "share"),
            Column(_("Groups with every lesson"), "count"),
            Column(_("Repeats"), "count"),
        ],
        note=_("Lessons held: distinct lesson numbers held, repeats excluded."),
        total_row=impl.total is not None,
    )
    delivery = Table(
        "delivery",
        "implementation",
        _("Leader pairs, delivery and supervision"),
        [
            Column(_("School")),
            Column(_("Leader pair"), "share"),
            Column(_("As planned"), "share"),
            Column(_("Partly"), "share"),
            Column(_("Not as planned"), "share"),
            Column(_("Supervision hours"), "hours"),
            Column(_("Supervision hours per active leader"), "hours"),
        ],
        note=_("Shares are of the held lessons, repeats excluded."),
        total_row=impl.total is not None,
    )
    attendance = Table(
        "attendance",
        "implementation",
        _("Attendance at the lessons by sex"),
        [
            Column(_("School")),
            *(Column(label(GROUP_SEX_LABELS, s), "share") for s in GROUP_SEXES),
            Column(_("All pupils"), "share"),
        ],
        total_row=impl.total is not None,
    )
    for row in rows:
        dose.rows.append(
            [
                row.name,
                row.groups,
                row.lessons_planned,
                row.lessons_held,
                row.dose,
                row.groups_full_dose,
                row.repeat_lessons,
            ]
        )
        delivery.rows.append(
            [
                row.name,
                row.full_pair_share,
                row.delivered_fully,
                row.delivered_partly,
                row.delivered_not,
                row.supervision_hours,
                row.supervision_hours_per_leader,
            ]
        )
        attendance.rows.append(
            [row.name, *(row.attendance[s] for s in GROUP_SEXES), row.attendance["total"]]
        )
    return [dose, delivery, attendance]


# --- effectiveness and follow-up ---------------------------------------------------------------


def _paired_columns(later: str) -> list[Column]:
    return [
        Column(_("Linked pupils"), "count"),
        Column(_("Before, mean"), "mean"),
        Column(_("Before, index"), "index"),
        Column(_("%(phase)s, mean", phase=later), "mean"),
        Column(_("%(phase)s, index", phase=later), "index"),
        Column(_("Mean change"), "change"),
        Column(_("95 % CI"), "ci"),
        Column(_("d_z"), "effect"),
        Column(_("p (Wilcoxon)"), "p"),
        Column(_("p (Holm)"), "p"),
    ]


def _paired_values(p) -> list:
    return [
        p.n,
        p.before_mean,
        p.before_index,
        p.later_mean,
        p.later_index,
        p.change,
        (p.ci_low, p.ci_high),
        p.d_z,
        p.p,
        p.p_holm,
    ]


def _unpaired_columns(later: str, later_in_heading: str) -> list[Column]:
    return [
        Column(_("Answers before"), "count"),
        Column(_("Before, index"), "index"),
        Column(_("Answers %(phase)s", phase=later_in_heading), "count"),
        Column(_("%(phase)s, index", phase=later), "index"),
        Column(_("Difference"), "change"),
        Column(_("Hedges' g"), "effect"),
        Column(_("p (Mann–Whitney)"), "p"),
        Column(_("p (Holm)"), "p"),
    ]


def _unpaired_values(u) -> list:
    return [
        u.n_before,
        u.before_index,
        u.n_later,
        u.later_index,
        u.difference,
        u.hedges_g,
        u.p,
        u.p_holm,
    ]


def comparison_tables(comparison: Comparison, section: str) -> list[Table]:
    """The tables of the after (or follow-up) comparison; none when there are no answers."""
    if not comparison.available:
        return []
    prefix = "fu_" if comparison.later_phase == "follow_up" else ""
    later = label(PHASE_LABELS, comparison.later_phase)
    later_in_heading = label(PHASE_IN_HEADING, comparison.later_phase)
    titles = {
        "linkage": _("Linked answers"),
        "scales": _("Scales: linked pupils"),
        "unpaired": _("Scales: all answers compared"),
        "sex": _("Scales by sex: linked pupils"),
        "unpaired_sex": _("Scales by sex: all answers"),
        "school": _("Scales by school: linked pupils"),
        "grade": _("Scales by grade: linked pupils"),
        "alpha": _("Reliability of the scales (Cronbach's alpha)"),
        "items": _('Questions: positive answers and "don\'t know"'),
        "baseline": _("Before the lessons: linked and unlinked pupils"),
        "linkage_sex": _("Linked answers by sex"),
        "school_sex": _("Scales by school and sex: linked pupils"),
        "grade_sex": _("Scales by grade and sex: linked pupils"),
        "alpha_sex": _("Reliability of the scales by sex (Cronbach's alpha)"),
        "baseline_sex": _("Before the lessons by sex: linked and unlinked pupils"),
    }
    if comparison.later_phase == "follow_up":
        titles = {key: _("Follow-up: %(title)s", title=title) for key, title in titles.items()}
    tables = [
        _linkage_table(comparison, section, prefix + "linkage", titles["linkage"], later),
        _linkage_sex_table(comparison, section, prefix + "linkage_sex", titles["linkage_sex"]),
    ]
    scales = Table(
        prefix + "scales",
        section,
        titles["scales"],
        [Column(_("Scale")), *_paired_columns(later)],
        note=_("Index 0–100, where 100 is the hoped-for end; change in index points."),
    )
    unpaired = Table(
        prefix + "unpaired",
        section,
        titles["unpaired"],
        [Column(_("Scale")), *_unpaired_columns(later, later_in_heading)],
    )
    for scale in comparison.scales:
        scales.rows.append([scale.name, *_paired_values(scale.paired)])
        unpaired.rows.append([scale.name, *_unpaired_values(scale.unpaired)])
    tables += [scales, unpaired]
    empty = _empty_residuals(comparison.scales)
    for key, attribute, heading, columns, values in (
        ("sex", "by_sex", _("Sex"), _paired_columns(later), _paired_values),
        (
            "unpaired_sex",
            "by_sex",
            _("Sex"),
            _unpaired_columns(later, later_in_heading),
            _unpaired_values,
        ),
        ("school", "by_school", _("School"), _paired_columns(later), _paired_values),
        ("grade", "by_grade", _("Grade"), _paired_columns(later), _paired_values),
    ):
        table = Table(
            prefix + key, section, titles[key], [Column(_("Scale")), Column(heading), *columns]
        )
        for scale in comparison.scales:
            for group in getattr(scale, attribute):
                if attribute == "by_sex" and group.key in empty:
                    continue
                result = group.unpaired if key.startswith("unpaired") else group.paired
                cells = values(result)
                if attribute == "by_sex" and _set_aside(group.key, cells):
                    # A small "other" group left out of this scale: said so, never "0".
                    label_text = _("%(group)s: set aside (too few)", group=group.label)
                    table.rows.append([scale.name, label_text, *[None] * len(cells)])
                    continue
                table.rows.append([scale.name, group.label, *cells])
        tables.append(table)
    for key, attribute, heading in (
        ("school_sex", "by_school_sex", _("School")),
        ("grade_sex", "by_grade_sex", _("Grade")),
    ):
        table = Table(
            prefix + key,
            section,
            titles[key],
            [Column(_("Scale")), Column(heading), Column(_("Sex")), *_paired_columns(later)],
        )
        for scale in comparison.scales:
            for group in getattr(scale, attribute):
                table.rows.append(
                    [scale.name, group.label, group.sex_label, *_paired_values(group.paired)]
                )
        table.rows = _without_empty_residuals(table.rows, sex_column=2)
        tables.append(table)
    alpha = Table(
        prefix + "alpha",
        section,
        titles["alpha"],
        [
            Column(_("Scale")),
            Column(_("Phase")),
            Column(_("Complete answers"), "count"),
            Column(_("Alpha"), "alpha"),
        ],
    )
    for scale in comparison.scales:
        for result in scale.alpha:
            alpha.rows.append(
                [scale.name, label(PHASE_LABELS, result.phase), result.n, result.alpha]
            )
    tables.append(alpha)
    tables.append(_alpha_sex_table(comparison, section, prefix + "alpha_sex", titles["alpha_sex"]))
    tables.append(_items_table(comparison, section, prefix + "items", titles["items"], later))
    baseline = Table(
        prefix + "baseline",
        section,
        titles["baseline"],
        [
            Column(_("Scale")),
            Column(_("Linked pupils"), "count"),
            Column(_("Linked, index"), "index"),
            Column(_("Unlinked pupils"), "count"),
            Column(_("Unlinked, index"), "index"),
            Column(_("Difference (linked − unlinked)"), "change"),
            Column(_("Hedges' g"), "effect"),
            Column(_("p (Mann–Whitney)"), "p"),
        ],
    )
    for row in comparison.baseline:
        baseline.rows.append([row.name, *_baseline_values(row)])
    tables.append(baseline)
    baseline_sex = Table(
        prefix + "baseline_sex",
        section,
        titles["baseline_sex"],
        [Column(_("Scale")), Column(_("Sex")), *baseline.columns[1:]],
    )
    for row in comparison.baseline:
        for group in row.by_sex:
            cells = _baseline_values(group)
            if _set_aside(group.key, cells) and group.key not in empty:
                # A small "other" group left out of this scale: said so, never "0".
                label_text = _("%(group)s: set aside (too few)", group=group.name)
                baseline_sex.rows.append([row.name, label_text, *[None] * len(cells)])
            elif group.key not in empty:
                baseline_sex.rows.append([row.name, group.name, *cells])
    tables.append(baseline_sex)
    for table in tables:
        table.detail = table.key.removeprefix(prefix) in DETAIL_TABLES
    return tables


# The comparison's tables of detail, behind the main ones (linked pupils, overall and by sex).
DETAIL_TABLES = {
    "unpaired",
    "unpaired_sex",
    "school",
    "grade",
    "alpha",
    "items",
    "baseline",
    "linkage_sex",
    "school_sex",
    "grade_sex",
    "alpha_sex",
    "baseline_sex",
}


def _baseline_values(row) -> list:
    return [
        row.n_linked,
        row.linked_index,
        row.n_unlinked,
        row.unlinked_index,
        row.difference,
        row.hedges_g,
        row.p,
    ]


def _without_empty_residuals(rows: list[list], sex_column: int) -> list[list]:
    """Rows of "other" and "no answer" with nobody in them (every count 0 or empty) left
    out: a school or grade without such pupils, or with too few of them set aside."""
    residual_labels = {label(PUPIL_SEX_LABELS, sex) for sex in RESIDUAL_SEXES}
    kept = []
    for row in rows:
        counts = [c for c in row[sex_column + 1 :] if not isinstance(c, tuple)]
        if row[sex_column] in residual_labels and all(c in (0, None) for c in counts):
            continue
        kept.append(row)
    return kept


def _linkage_sex_table(comparison: Comparison, section, key, title) -> Table:
    link = comparison.linkage
    later_in_heading = label(PHASE_IN_HEADING, comparison.later_phase)
    table = Table(
        key,
        section,
        title,
        [
            Column(_("Sex")),
            Column(_("Answers before"), "count"),
            Column(_("Answers %(phase)s", phase=later_in_heading), "count"),
            Column(_("Linked pairs"), "count"),
            Column(_("Share of answers before that were linked"), "share"),
            Column(
                _("Share of answers %(phase)s that were linked", phase=later_in_heading), "share"
            ),
        ],
        note=_(
            "A pair counts with the sex given before the lessons, except in the share of "
            "later answers linked, where it counts with the sex given then."
        ),
    )
    for group in link.by_sex:
        table.rows.append(
            [
                group.label,
                group.before,
                group.later,
                group.pairs,
                group.rate_before,
                group.rate_later,
            ]
        )
    table.rows.append(
        [_("All pupils"), link.before, link.later, link.pairs, link.rate_before, link.rate_later]
    )
    table.rows = _without_empty_residuals(table.rows, sex_column=0)
    table.total_row = True
    return table


def _alpha_sex_table(comparison: Comparison, section, key, title) -> Table:
    table = Table(
        key,
        section,
        title,
        [
            Column(_("Scale")),
            Column(_("Phase")),
            Column(_("Sex")),
            Column(_("Complete answers"), "count"),
            Column(_("Alpha"), "alpha"),
        ],
    )
    for scale in comparison.scales:
        for result in scale.alpha:
            phase = label(PHASE_LABELS, result.phase)
            for group in result.by_sex:
                table.rows.append([scale.name, phase, group.label, group.n, group.alpha])
            table.rows.append([scale.name, phase, _("All pupils"), result.n, result.alpha])
    table.rows = _without_empty_residuals(table.rows, sex_column=2)
    return table


def _set_aside(sex: str, cells: list) -> bool:
    """Whether a residual group's row holds nothing but zero or empty counts: its answers
    were set aside for this scale (see mvp.evaluation.outcomes), not absent."""
    flat = [c[0] if isinstance(c, tuple) else c for c in cells]
    return sex in ("other", "no_answer") and all(c in (0, None) for c in flat)


def _empty_residuals(scales) -> set[str]:
    """The residual sexes ("other", "no answer") nobody in these results belongs to.

    Their rows would only repeat zeros (the response counts show them as 0); a row with any
    pupil, hidden or not, stays.
    """
    empty = set(RESIDUAL_SEXES)
    for scale in scales:
        for group in getattr(scale, "by_sex", []):
            counts = (group.paired.n, group.unpaired.n_before, group.unpaired.n_later)
            if any(n not in (0, None) for n in counts):
                empty.discard(group.key)
    return empty


def _linkage_table(comparison: Comparison, section, key, title, later) -> Table:
    link = comparison.linkage
    later_in_heading = label(PHASE_IN_HEADING, comparison.later_phase)
    table = Table(key, section, title, [Column(_("Measure")), Column(_("Value"), "figure")])
    table.rows = [
        [_("Answers before"), (link.before, "count")],
        [_("Answers %(phase)s", phase=later_in_heading), (link.later, "count")],
        [_("Linked pairs"), (link.pairs, "count")],
        [_("of which exact"), (link.exact, "count")],
        [_("of which one element differs"), (link.one_differs, "count")],
        [_("Share of answers before that were linked"), (link.rate_before, "share")],
        [
            _("Share of answers %(phase)s that were linked", phase=later_in_heading),
            (link.rate_later, "share"),
        ],
        [_("Linked pairs giving different sexes"), (link.sex_differs, "count")],
    ]
    return table


def _items_table(comparison: Comparison, section, key, title, later) -> Table:
    later_in_heading = label(PHASE_IN_HEADING, comparison.later_phase)
    table = Table(
        key,
        section,
        title,
        [
            Column(_("Question")),
            Column(_("Scale")),
            Column(_("Pupils")),
            Column(_("Answers before"), "count"),
            Column(_("Positive before"), "share"),
            Column(_("Don't know before"), "share"),
            Column(_("Answers %(phase)s", phase=later_in_heading), "count"),
            Column(_("Positive %(phase)s", phase=later_in_heading), "share"),
            Column(_("Don't know %(phase)s", phase=later_in_heading), "share"),
        ],
        note=_(
            'Positive: the top two steps (agree) or "yes"; for a negatively worded question '
            "(marked *) a lower share is better. Shares are of everyone who answered the "
            'question, "don\'t know" included.'
        ),
    )
    empty = _empty_residuals(comparison.scales)
    for item in comparison.items:
        text = item.text + (" *" if item.reverse else "")
        for row in item.rows:
            if row.key in empty:
                continue
            table.rows.append(
                [
                    text,
                    item.scale,
                    row.label,
                    row.before.n,
                    row.before.positive,
                    row.before.dont_know,
                    row.later.n,
                    row.later.positive,
                    row.later.dont_know,
                ]
            )
    return table


# --- maintenance -------------------------------------------------------------------------------


def continuation_table(evaluation: Evaluation) -> Table:
    """Schools with groups the school year after."""
    table = Table(
        "continuation",
        "maintenance",
        _("Schools continuing the school year after"),
        [
            Column(_("School")),
            Column(_("School year")),
            Column(_("Next school year")),
            Column(_("Groups the next year"), "count"),
            Column(_("Status")),
        ],
    )
    for row in evaluation.maintenance.continuation:
        table.rows.append(
            [
                row.name,
                row.school_year,
                row.next_year,
                row.groups_next,
                label(CONTINUATION_LABELS, row.status),
            ]
        )
    return table


# --- rollout -----------------------------------------------------------------------------------


def rollout_tables(evaluation: Evaluation) -> list[Table]:
    """How far from MVP in every school, schools per stage, the plan by term, pupils reached by
    grade band, and every school's stage (the projection only for the whole municipality)."""
    rollout = evaluation.rollout
    goal = Table(
        "rollout_goal",
        "rollout",
        _("MVP in every school"),
        [Column(_("Measure")), Column(_("Value"), "figure")],
    )
    goal.rows = [
        [_("Schools with MVP (first round or established)"), (rollout.schools_running, "count")],
        [_("Schools MVP is meant for"), (rollout.schools_eligible, "count")],
        [_("Share of the schools MVP is meant for"), (rollout.running_share, "share")],
        [_("Schools remaining"), (rollout.schools_remaining, "count")],
    ]
    if rollout.scope == "municipality":
        goal.rows.append([_("Every school has MVP by the end of"), (rollout.complete_in, "text")])
    goal.rows += [
        [_("Active schools"), (rollout.schools_active, "count")],
        [_("Schools without a grade MVP targets"), (len(rollout.not_targeted), "count")],
    ]
    stages = Table(
        "rollout_stages",
        "rollout",
        _("Active schools per stage"),
        [Column(_("Stage")), Column(_("Schools"), "count")],
        total_row=True,
    )
    stages.rows = [[row.label, row.schools] for row in rollout.stages]
    stages.rows.append([_("Total"), rollout.schools_active])
    tables = [goal, stages]
    if rollout.scope == "municipality":
        terms = Table(
            "rollout_terms",
            "rollout",
            _("Schools starting MVP per term, leaders to train and pupils reached"),
            [
                Column(_("Term")),
                Column(_("Schools starting")),
                Column(_("Schools with MVP at the end of the term"), "count"),
                Column(_("Share of the schools MVP is meant for"), "share"),
                Column(_("Leaders still to train (at least two per school)"), "count"),
                Column(
                    _("Leaders still to train (recommended team of %(n)d)", n=rollout.team_min),
                    "count",
                ),
                Column(_("Pupils reached by the starting schools"), "count"),
                Column(_("Pupils reached in all, per school year"), "count"),
            ],
            note=_(
                "Leaders still to train: the trained leaders the starting schools lack, "
                "counting those already trained. Schools already running MVP are counted from "
                "the current term."
            ),
        )
        for term in rollout.terms:
            terms.rows.append(
                [
                    term.label,
                    ", ".join(term.starting) or None,
                    term.schools_running,
                    term.schools_share,
                    term.leaders_to_train_minimum,
                    term.leaders_to_train_recommended,
                    term.pupils_starting,
                    term.pupils_reached,
                ]
            )
        bands = Table(
            "rollout_bands",
            "rollout",
            _("Share of the municipality's pupils reached in a school year, by grade band"),
            [
                Column(_("When")),
                *(Column(_("%(band)s, share", band=band.label), "share") for band in rollout.now),
                *(
                    Column(_("%(band)s, pupils reached", band=band.label), "count")
                    for band in rollout.now
                ),
            ],
            note=_(
                "MVP targets one grade at each kind of school: grade 5 at 4–6 and F–6 schools "
                "(“Agera tillsammans”), grade 8 at 7–9 and F–9 schools, and the first year at "
                "upper secondary schools. The share is the pupils reached in a school year out "
                "of all the municipality's pupils in the grade band, so a band of three grades "
                "reaches at most about a third each year."
            ),
        )
        bands.rows.append(
            [
                _("Now (schools with MVP today)"),
                *(band.share for band in rollout.now),
                *(band.pupils_reached for band in rollout.now),
            ]
        )
        for term in rollout.terms:
            bands.rows.append(
                [
                    _("End of %(term)s", term=term.label),
                    *(band.share for band in term.bands),
                    *(band.pupils_reached for band in term.bands),
                ]
            )
        tables += [terms, bands]
    schools = Table(
        "rollout_schools",
        "rollout",
        _("The schools' stages"),
        [
            Column(_("School")),
            Column(_("Stage")),
            Column(_("Target term")),
            Column(_("Pupils in the grades MVP targets"), "count"),
            Column(_("Trained leaders"), "count"),
            Column(_("Readiness items done"), "count"),
            Column(_("Readiness items"), "count"),
        ],
    )
    for row in rollout.schools:
        schools.rows.append(
            [
                row.name,
                row.stage_label,
                row.target_term,
                row.pupils_targeted,
                row.trained_leaders,
                row.ready_items,
                row.total_items,
            ]
        )
    tables.append(schools)
    return tables


# --- one school --------------------------------------------------------------------------------


def school_tables(school: SchoolSection) -> list[Table]:
    """The tables of one school's page."""
    section = f"school:{school.key}"
    impl, pupils = school.implementation, school.pupils
    facts = Table(
        f"school_{school.key}",
        section,
        school.name,
        [Column(_("Measure")), Column(_("Value"), "figure")],
    )
    facts.rows = [
        [_("Pupil groups"), (pupils.groups, "count")],
        [_("Pupils in the groups"), (pupils.total, "count")],
        *[[label(GROUP_SEX_LABELS, sex), (getattr(pupils, sex), "count")] for sex in GROUP_SEXES],
        [_("Share of the pupils in those grades"), (pupils.share_of_grades, "share")],
        *[
            [
                _("Response rate, %(phase)s", phase=label(PHASE_LABELS, r.phase).lower()),
                (r.rate, "share"),
            ]
            for r in school.responses
        ],
        [_("Dose"), (impl.dose, "share")],
        [_("Lessons led by a leader pair"), (impl.full_pair_share, "share")],
        [_("Lessons delivered as planned"), (impl.delivered_fully, "share")],
        [_("Attendance"), (impl.attendance["total"], "share")],
        [_("Supervision hours"), (impl.supervision_hours, "hours")],
        [_("Trained leaders"), (school.adoption.trained, "count")],
        [_("Active leaders"), (school.adoption.active, "count")],
    ]
    tables = [facts]
    if school.scales:
        scales = Table(
            f"school_{school.key}_scales",
            section,
            _("%(school)s: scales, linked pupils", school=school.name),
            [
                Column(_("Scale")),
                Column(_("Pupils")),
                *_paired_columns(label(PHASE_LABELS, "after")),
            ],
            detail=True,
        )
        empty = _empty_residuals(school.scales)
        for scale in school.scales:
            scales.rows.append([scale.name, _("All"), *_paired_values(scale.paired)])
            for group in scale.by_sex:
                if group.key in empty:
                    continue
                scales.rows.append([scale.name, group.label, *_paired_values(group.paired)])
            for group in scale.by_grade:
                name = _("Grade %(grade)s", grade=group.label)
                scales.rows.append([scale.name, name, *_paired_values(group.paired)])
        tables.append(scales)
        grade_sex = Table(
            f"school_{school.key}_grade_sex",
            section,
            _("%(school)s: scales by grade and sex, linked pupils", school=school.name),
            [
                Column(_("Scale")),
                Column(_("Grade")),
                Column(_("Sex")),
                *_paired_columns(label(PHASE_LABELS, "after")),
            ],
            detail=True,
        )
        for scale in school.scales:
            for group in scale.by_grade_sex:
                grade_sex.rows.append(
                    [scale.name, group.label, group.sex_label, *_paired_values(group.paired)]
                )
        grade_sex.rows = _without_empty_residuals(grade_sex.rows, sex_column=2)
        tables.append(grade_sex)
    return tables


# --- method ------------------------------------------------------------------------------------


def method_table(evaluation: Evaluation) -> Table:
    """The scales of the instrument."""
    table = Table(
        "method_scales",
        "method",
        _("The questionnaire's scales"),
        [
            Column(_("Scale")),
            Column(_("What it measures")),
            Column(_("Answers")),
            Column(_("Questions"), "count"),
            Column(_("Negatively worded"), "count"),
        ],
    )
    for scale in evaluation.method.scales:
        table.rows.append(
            [
                scale.name,
                scale.construct,
                label(KIND_LABELS, scale.kind),
                scale.items,
                scale.reverse_items,
            ]
        )
    return table
