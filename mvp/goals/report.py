"""The yearly equality report (jämställdhetsbokslut) as tables, charts, PDF, Excel and JSON.

It draws a FollowUp (mvp.goals.results) and nothing else, with the evaluation report's
building blocks: the table layout of mvp.reports.tables, the charts of mvp.reports.charts
(SVG on the web, reportlab in the PDF), the PDF's fonts, styles and table drawing, and the
Excel appendix's sheets. Page 1 holds every goal with its status; then one page per goal with
its chart (women and men over the years against the target), its figures and its deviations
and actions. "Källa: Kolada" is printed wherever Kolada's figures are.
"""

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer

from mvp.goals import follow_up
from mvp.goals.follow_up import number
from mvp.goals.results import FollowUp, GoalResult, IndicatorResult
from mvp.reports import pdf
from mvp.reports.charts import Chart, ChartRow
from mvp.reports.tables import Column, Table
from mvp.reports.xlsx import sheet_title, write_contents, write_table_sheet
from mvp.spreadsheet_safety import workbook_bytes

KOLADA_NOTE_KEY = "kolada"


def report_title(result: FollowUp) -> str:
    """The report's name: "Jämställdhetsbokslut 2025"."""
    if result.year is None:
        return _("Equality goals: follow-up")
    return _("Equality report %(year)d", year=result.year)


def _kind(value) -> str:
    v = number(value)
    return "count" if v is not None and float(v).is_integer() else "index"


def _figure(value) -> tuple:
    return (value, _kind(value))


def overview_table(result: FollowUp) -> Table:
    """Every goal with its sub-goal, owner and status (page 1)."""
    table = Table(
        key="goals",
        section="goals",
        title=_("Every goal and its status"),
        columns=[
            Column(_("Goal")),
            Column(_("National sub-goal")),
            Column(_("Owner")),
            Column(_("Period")),
            Column(_("Indicators"), "count"),
            Column(_("Status")),
        ],
    )
    for goal in result.goals:
        table.rows.append(
            [
                goal.title,
                goal.sub_goal_label,
                goal.owner,
                goal.period,
                len(goal.indicators),
                goal.status_label,
            ]
        )
    if result.uses_kolada:
        table.note = _("Source: Kolada (kolada.se) for the key figures marked so.")
    return table


def indicator_table(goal: GoalResult, indicator: IndicatorResult) -> Table:
    """An indicator's figures per year (women, men, total, the gap) and its target."""
    columns = [Column(_("Year"))]
    if indicator.by_sex:
        columns += [Column(_("Women"), "figure"), Column(_("Men"), "figure")]
    columns.append(Column(_("Total"), "figure"))
    if indicator.by_sex:
        columns.append(Column(_("Gap"), "figure"))
    table = Table(
        key=f"indicator-{indicator.id}",
        section=f"goal-{goal.id}",
        title=indicator.title,
        columns=columns,
    )
    for figures in indicator.series:
        row = [str(figures.year)]
        if indicator.by_sex:
            row += [_figure(figures.women), _figure(figures.men)]
        row.append(_figure(figures.total))
        if indicator.by_sex:
            women, men = number(figures.women), number(figures.men)
            gap = None if women is None or men is None else round(women - men, 6)
            row.append(_figure(gap))
        table.rows.append(row)
    parts = [indicator.source_label, _("Target: %(target)s", target=indicator.target_text)]
    if indicator.by_sex:
        parts.append(_("Gap = women − men, %(direction)s", direction=indicator.direction_label))
    parts.append(_("Status: %(status)s", status=indicator.status_label))
    table.note = " · ".join(parts)
    return table


def deviation_table(goal: GoalResult) -> Table:
    """The goal's deviations and actions, newest first (the whole history)."""
    table = Table(
        key=f"deviations-{goal.id}",
        section=f"goal-{goal.id}",
        title=_("Deviations and actions"),
        columns=[
            Column(_("Recorded")),
            Column(_("Indicator")),
            Column(_("Year")),
            Column(_("Analysed cause")),
            Column(_("Action decided")),
            Column(_("Responsible")),
            Column(_("Follow-up"), "date"),
        ],
    )
    for entry in goal.deviations:
        table.rows.append(
            [
                entry.recorded_on.isoformat() if entry.recorded_on else "–",
                entry.indicator,
                str(entry.year),
                entry.cause,
                entry.action,
                entry.responsible,
                entry.follow_up_on.isoformat(),
            ]
        )
    if not goal.deviations:
        table.note = _("No deviation recorded.")
    return table


def indicator_chart(indicator: IndicatorResult) -> Chart:
    """Women and men (or the total) per year, and the target as the last row."""
    series = {"women": _("Women"), "men": _("Men")} if indicator.by_sex else {"total": _("Total")}
    rows = []
    for figures in indicator.series:
        values = {}
        for key in series:
            value = number(getattr(figures, key))
            if value is not None:
                values[key] = (value, None, None)
        rows.append(ChartRow(str(figures.year), values))
    target = indicator.target
    goal_values = {}
    if target.kind == "values":
        goal_values = {"women": (target.women, None, None), "men": (target.men, None, None)}
    elif target.kind == "total" and "total" in series:
        goal_values = {"total": (target.total, None, None)}
    elif target.kind == "total":
        goal_values = {}
    if goal_values:
        rows.append(ChartRow(_("Target %(year)d", year=target.year), goal_values))
    return Chart(
        key=f"chart-{indicator.id}",
        kind="forest",
        title=_("%(title)s: women and men per year against the target", title=indicator.title)
        if indicator.by_sex
        else _("%(title)s: the total per year against the target", title=indicator.title),
        axis_label=indicator.unit or _("Value"),
        series=series,
        rows=rows,
        table_key=f"indicator-{indicator.id}",
        zero_line=False,
    )


# --- PDF ---------------------------------------------------------------------------------------


class _Document(BaseDocTemplate):
    def __init__(self, buffer, result: FollowUp, footer: str):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=pdf.printable(report_title(result)),
            author=pdf.printable(result.municipality),
            creator="MVP",
            initialFontName=pdf.FONT,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("body", [frame], onPage=self._on_page)])
        self.footer = footer

    def _on_page(self, canvas, doc):
        canvas._footer = self.footer


def render_pdf(result: FollowUp) -> bytes:
    """The equality report as PDF bytes (call in the report's language)."""
    pdf.register_fonts()
    styles = pdf.Styles()
    buffer = io.BytesIO()
    title = report_title(result)
    document = _Document(buffer, result, f"{result.municipality} · {title}")
    width = document.width
    story = [
        pdf.para(title, styles.h1),
        pdf.para(
            _(
                "%(municipality)s · made on %(day)s",
                municipality=result.municipality,
                day=result.made_on.isoformat(),
            ),
            styles.small,
        ),
        Spacer(0, 4 * mm),
        pdf.para(_status_summary(result), styles.body),
        Spacer(0, 3 * mm),
    ]
    if result.goals:
        story += pdf.table_flowable(overview_table(result), styles, width)
    else:
        story.append(pdf.para(_("No goals have been registered yet."), styles.body))
    for goal in result.goals:
        story += [PageBreak(), pdf.para(goal.title, styles.h1)]
        story.append(
            pdf.para(
                " · ".join(
                    [
                        goal.sub_goal_label,
                        _("Owner: %(owner)s", owner=goal.owner),
                        _("Period %(period)s", period=goal.period),
                        _("Status: %(status)s", status=goal.status_label),
                    ]
                ),
                styles.small,
            )
        )
        if goal.description:
            story.append(pdf.para(goal.description, styles.body))
        for indicator in goal.indicators:
            chart = indicator_chart(indicator)
            story.append(pdf.para(chart.title, styles.caption))
            if chart.drawable:
                story.append(pdf.chart_drawing(chart, width))
            story += pdf.table_flowable(indicator_table(goal, indicator), styles, width)
        story += pdf.table_flowable(deviation_table(goal), styles, width)
    document.build(story, canvasmaker=pdf.NumberedCanvas)
    return buffer.getvalue()


def _status_summary(result: FollowUp) -> str:
    counts = result.counts()
    return _(
        "%(goals)d goals: %(on)d on track, %(off)d not on track, %(none)d without data.",
        goals=len(result.goals),
        on=counts[follow_up.ON_TRACK],
        off=counts[follow_up.NOT_ON_TRACK],
        none=counts[follow_up.NO_DATA],
    )


# --- Excel and JSON ----------------------------------------------------------------------------


def report_tables(result: FollowUp) -> list[Table]:
    """Every table of the report in its order: the overview, then each goal's."""
    tables = [overview_table(result)]
    for goal in result.goals:
        tables += [indicator_table(goal, i) for i in goal.indicators]
        tables.append(deviation_table(goal))
    return tables


def render_xlsx(result: FollowUp) -> bytes:
    """The report as .xlsx bytes: an about sheet, contents, one sheet per table."""
    workbook = Workbook()
    about = workbook.active
    about.title = _("About")[:31]
    used = {about.title.lower()}
    for row in (
        (report_title(result), ""),
        (_("Municipality"), f"{result.municipality} ({result.municipality_code})"),
        (_("Made on"), result.made_on.isoformat()),
        (_("Status"), _status_summary(result)),
    ):
        about.append(list(row))
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    contents = workbook.create_sheet(sheet_title(_("Contents"), used))
    sheets = []
    for table in report_tables(result):
        title = table.title
        if table.key.startswith("deviations-"):
            goal = next(g for g in result.goals if table.key == f"deviations-{g.id}")
            title = f"{table.title}: {goal.title}"
        sheet = workbook.create_sheet(sheet_title(title, used))
        write_table_sheet(sheet, table)
        sheets.append((sheet.title, title))
    write_contents(contents, sheets)
    return workbook_bytes(workbook)


def render_json(result: FollowUp) -> dict:
    """The report as the JSON download gives it (every figure, the sources named)."""
    answer = result.as_dict()
    answer["title"] = report_title(result)
    for goal_dict, goal in zip(answer["goals"], result.goals, strict=True):
        goal_dict["status_label"] = goal.status_label
        for indicator_dict, indicator in zip(goal_dict["indicators"], goal.indicators, strict=True):
            indicator_dict["status_label"] = indicator.status_label
            indicator_dict["direction_label"] = (
                indicator.direction_label if indicator.direction else None
            )
    return answer
