"""The safety survey's renderings of one SafetyResult: tables (the one layout the web page, the
PDF and Excel draw), the trend chart, the annual PDF for the committee and the Excel appendix.

Nothing here queries the database or computes a statistic: it lays out and draws the result
with the engine's renderers (mvp.reports.pdf.render_report, mvp.reports.xlsx.tables_workbook,
mvp.reports.charts.Chart), so a figure reads the same in every format.
"""

from flask_babel import gettext as _

from mvp.evaluation.numbers import fmt_share
from mvp.evaluation.suppress import SUPPRESSED
from mvp.officials.results import GROUP_LABELS, SECTION_LABELS, SafetyResult, Share
from mvp.reports import pdf
from mvp.reports.charts import Chart, ChartRow
from mvp.reports.tables import Column, Table
from mvp.reports.xlsx import tables_workbook

SHOWN_GROUPS = ("woman", "man", "other", "all")


def _ci(share: Share):
    if share.low == SUPPRESSED:
        return (SUPPRESSED, SUPPRESSED)
    if share.low is None:
        return None
    return (round(share.low * 100, 1), round(share.high * 100, 1))


def _share_columns() -> list[Column]:
    columns = []
    for group in SHOWN_GROUPS:
        name = str(GROUP_LABELS[group])
        columns += [
            Column(_("%(group)s, share", group=name), "share"),
            Column(_("%(group)s, 95 %% interval", group=name), "ci"),
            Column(_("%(group)s, n", group=name), "count"),
        ]
    return columns


def _share_cells(shares: dict[str, Share]) -> list:
    cells = []
    for group in SHOWN_GROUPS:
        s = shares[group]
        cells += [s.share, _ci(s), s.n]
    return cells


def trend_table(result: SafetyResult) -> Table:
    """The headline, every year: share feeling safe by sex with interval and n."""
    return Table(
        "trend",
        "result",
        _("Share who feel safe in their political role, by year"),
        [Column(_("Year"), "text"), *_share_columns(), Column(_("Don't know"), "count")],
        [[str(y.year), *_share_cells(y.safe), y.dont_know] for y in result.trend],
        note=_definition(result),
    )


def _definition(result: SafetyResult) -> str:
    return _(
        "Feeling safe: “completely” or “fairly true” to “I feel safe in my political role”, "
        "among those who chose one of the four steps. “Don't know” is not in the share; "
        "its number is in the last column. Interval: Wilson 95 %%. Figures about fewer than "
        '%(n)d answers are shown as "..", and so is a second figure where the first could '
        "otherwise be worked out.",
        n=result.threshold,
    )


def participation_table(result: SafetyResult) -> Table:
    """Seats, answers and the response rate per year."""
    return Table(
        "participation",
        "result",
        _("Seats, answers and response rate"),
        [
            Column(_("Year"), "text"),
            Column(_("Seats"), "count"),
            Column(_("Answers"), "count"),
            Column(_("Response rate"), "share"),
        ],
        [[str(y.year), y.seats, y.answers, y.response_rate] for y in result.trend],
    )


def measure_tables(result: SafetyResult) -> list[Table]:
    """Exposure, channels, worry, consequences and reporting by sex, for the chosen year."""
    tables = []
    for section, label in SECTION_LABELS.items():
        rows = [m for m in result.measures if m.section == section]
        if not rows:
            continue
        tables.append(
            Table(
                f"measures-{section}",
                "measures",
                _("%(what)s, %(year)s", what=str(label), year=result.year),
                [Column(_("Share answering yes"), "text"), *_share_columns()],
                [[m.label, *_share_cells(m.shares)] for m in rows],
            )
        )
    return tables


def reference_table(result: SafetyResult) -> Table:
    """The national reference values (BRÅ's PTU) as the lead entered them."""
    return Table(
        "references",
        "references",
        _("National reference values"),
        [
            Column(_("Measure"), "text"),
            Column(_("Group"), "text"),
            Column(_("Share"), "share"),
            Column(_("Year"), "text"),
            Column(_("Source"), "text"),
        ],
        [
            [
                r.label,
                str(GROUP_LABELS.get(r.sex, GROUP_LABELS["all"])),
                round(r.percent / 100, 3),
                str(r.year),
                r.source,
            ]
            for r in result.references
        ],
    )


def all_tables(result: SafetyResult) -> list[Table]:
    """Every table, in the report's order."""
    tables = [trend_table(result), participation_table(result), *measure_tables(result)]
    if result.references:
        tables.append(reference_table(result))
    return tables


def trend_chart(result: SafetyResult) -> Chart:
    """Women's and men's share feeling safe per year, with intervals (drawn where shown)."""
    rows, hidden = [], []
    for y in result.trend:
        values = {}
        for group in ("woman", "man"):
            s = y.safe[group]
            if s.share in (None, SUPPRESSED):
                hidden.append(f"{GROUP_LABELS[group]} {y.year}")
                continue
            values[group] = (s.share * 100, s.low * 100, s.high * 100)
        rows.append(ChartRow(str(y.year), values))
    return Chart(
        "trend",
        "forest",
        _("Share who feel safe, women and men, by year (95 %% interval)"),
        _("Per cent"),
        {"woman": str(GROUP_LABELS["woman"]), "man": str(GROUP_LABELS["man"])},
        rows,
        "trend",
        hidden,
        zero_line=False,
    )


def title(result: SafetyResult) -> str:
    """The report's title, with its year."""
    return _("Safety in the political role %(year)s", year=result.year)


def headline_text(result: SafetyResult, group: str) -> str:
    """ "Women: 71,4 % feel safe (95 % interval [58,5; 81,6], n = 35)" """
    now = result.current
    share = now.safe[group]
    name = str(GROUP_LABELS[group])
    if share.share == SUPPRESSED or share.share is None:
        return _("%(group)s: too few answers to show.", group=name)
    low, high = _ci(share)
    from mvp.evaluation.numbers import fmt_ci

    return _(
        "%(group)s: %(share)s feel safe (95 %% interval %(ci)s, n = %(n)d)",
        group=name,
        share=fmt_share(share.share),
        ci=fmt_ci(low, high),
        n=share.n,
    )


def render_pdf(result: SafetyResult) -> bytes:
    """The committee's annual report: page 1 is the result in one look."""

    def story(styles, width):
        flowables = [pdf.para(title(result), styles.h1)]
        flowables.append(
            pdf.para(
                _(
                    "%(municipality)s · the elected officials' safety survey · made on %(date)s",
                    municipality=result.municipality,
                    date=result.made_on,
                ),
                styles.small,
            )
        )
        if result.current is None:
            flowables.append(pdf.para(_("No round yet."), styles.body))
            return flowables
        for group in ("woman", "man"):
            flowables.append(pdf.para(headline_text(result, group), styles.h2))
        flowables.append(pdf.heading(_("What changed"), styles.h2, 0))
        for sentence in result.changes:
            flowables.append(pdf.para("• " + sentence, styles.body))
        chart = trend_chart(result)
        flowables += pdf.tables_story(
            [trend_table(result)], [chart], styles, width, too_few=_("Too few answers to show.")
        )
        flowables.append(pdf.PageBreak())
        flowables.append(pdf.heading(_("Tables"), styles.h1, 0))
        flowables += pdf.tables_story(
            all_tables(result)[1:], [], styles, width, too_few=_("Too few answers to show.")
        )
        return flowables

    return pdf.render_report(
        title=title(result),
        author=result.municipality,
        subject=_("Report to the election and democracy committee"),
        lang=result.language,
        footer=f"{result.municipality} · {title(result)}",
        story=story,
    )


def render_xlsx(result: SafetyResult) -> bytes:
    """The Excel appendix: one sheet per table, the same figures as the PDF and the JSON."""
    facts = [
        (title(result), ""),
        (_("Municipality"), result.municipality),
        (_("Year"), str(result.year)),
        (_("Made on"), result.made_on),
        (
            _("Small numbers"),
            _('Figures based on fewer than %(n)s answers are shown as "..".', n=result.threshold),
        ),
    ]
    return tables_workbook(facts, all_tables(result))
