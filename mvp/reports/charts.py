"""The evaluation's charts as data: which figures each chart shows (drawn as SVG and in the PDF).

Charts only pick shown figures out of the Evaluation; a suppressed or missing figure is left
out of the drawing and named in the chart's note. Every chart repeats figures of a table,
which is its text alternative.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from mvp.evaluation.labels import PHASE_LABELS, label
from mvp.evaluation.results import Comparison, Evaluation
from mvp.evaluation.suppress import SUPPRESSED

# Series drawn with different marker shapes (never colour alone).
SERIES_SHAPES = {
    "all": "circle",
    "girl": "circle",
    "boy": "square",
    # Adults (the officials' and trained staff's results) are drawn as girls and boys are.
    "woman": "circle",
    "man": "square",
    "before": "square",
    "later": "circle",
    # The equality goals' charts (mvp.goals.report): women and men over the years.
    "women": "circle",
    "men": "square",
    "total": "circle",
}


@dataclass
class ChartRow:
    """One row of a chart: a label and its values per series."""

    label: str
    values: dict = field(default_factory=dict)  # series -> (value, low, high)


@dataclass
class Chart:
    """A chart: interval ("forest") or before/after ("dumbbell"), with its table's key."""

    key: str
    kind: str
    title: str
    axis_label: str
    series: dict  # series key -> label
    rows: list[ChartRow]
    table_key: str
    hidden: list[str] = field(default_factory=list)
    zero_line: bool = True

    @property
    def drawable(self) -> bool:
        """Whether anything can be drawn."""
        return any(row.values for row in self.rows)

    def bounds(self) -> tuple[float, float]:
        """The axis: every value and interval, with zero for change charts."""
        numbers = [n for row in self.rows for v in row.values.values() for n in v if n is not None]
        if self.kind == "dumbbell":
            return 0.0, 100.0
        low = min([0.0, *numbers])
        high = max([0.0, *numbers])
        span = max(high - low, 1.0)
        return low - span * 0.05, high + span * 0.05


def _shown(*values) -> bool:
    return all(v is not None and v != SUPPRESSED for v in values)


def comparison_charts(comparison: Comparison) -> list[Chart]:
    """Change with its confidence interval per scale, before/after indexes, change by sex."""
    if not comparison.available or not comparison.scales:
        return []
    later = label(PHASE_LABELS, comparison.later_phase)
    prefix = "fu_" if comparison.later_phase == "follow_up" else ""
    change = Chart(
        prefix + "change",
        "forest",
        _("Change per scale with confidence interval (95 %), linked pupils"),
        _("Change in index points"),
        {"all": _("All pupils")},
        [],
        prefix + "scales",
    )
    levels = Chart(
        prefix + "levels",
        "dumbbell",
        _("Index before and %(phase)s per scale (linked pupils)", phase=later.lower()),
        _("Index 0–100"),
        {"before": label(PHASE_LABELS, "before"), "later": later},
        [],
        prefix + "scales",
        zero_line=False,
    )
    by_sex = Chart(
        prefix + "change_by_sex",
        "forest",
        _("Change per scale by sex with confidence interval (95 %)"),
        _("Change in index points"),
        {"girl": _("Girls"), "boy": _("Boys")},
        [],
        prefix + "sex",
    )
    for scale in comparison.scales:
        p = scale.paired
        row = ChartRow(scale.name)
        if _shown(p.change, p.ci_low, p.ci_high):
            row.values["all"] = (p.change, p.ci_low, p.ci_high)
        else:
            change.hidden.append(scale.name)
        change.rows.append(row)
        level = ChartRow(scale.name)
        if _shown(p.before_index, p.later_index):
            level.values["before"] = (p.before_index, None, None)
            level.values["later"] = (p.later_index, None, None)
        else:
            levels.hidden.append(scale.name)
        levels.rows.append(level)
        sexes = ChartRow(scale.name)
        for group in scale.by_sex:
            g = group.paired
            if group.key not in by_sex.series:
                continue
            if _shown(g.change, g.ci_low, g.ci_high):
                sexes.values[group.key] = (g.change, g.ci_low, g.ci_high)
            else:
                by_sex.hidden.append(f"{scale.name} ({group.label.lower()})")
        by_sex.rows.append(sexes)
    return [change, levels, by_sex]


def evaluation_charts(evaluation: Evaluation) -> dict[str, list[Chart]]:
    """The charts of the effectiveness and maintenance sections."""
    return {
        "effectiveness": comparison_charts(evaluation.effectiveness),
        "maintenance": comparison_charts(evaluation.maintenance.follow_up),
    }


def chart_table(chart: Chart, key: str):
    """The chart's figures as a table (its text alternative): per series the value and, for
    an interval chart, its 95 % interval; a figure not drawn is ".."."""
    from mvp.reports.tables import Column, Table

    columns = [Column(_("Scale"))]
    for name in chart.series.values():
        columns.append(Column(f"{name}: {_('change in index points')}", "change"))
        columns.append(Column(f"{name}: {_('95 % CI')}", "ci"))
    rows = []
    for row in chart.rows:
        cells = [row.label]
        for series in chart.series:
            value, low, high = row.values.get(series, (SUPPRESSED, SUPPRESSED, SUPPRESSED))
            cells += [value, (low, high)]
        rows.append(cells)
    return Table(key, chart.table_key, chart.title, columns, rows)
