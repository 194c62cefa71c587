"""The evaluation report for SKR as a PDF (reportlab): the result on page 1, RE-AIM, appendix.

It draws an Evaluation and nothing else: the tables of mvp.reports.tables and the charts of
mvp.reports.charts, the findings and texts as written. The font is the Bitstream Vera family
that ships inside reportlab, embedded in the file, so å, ä, ö, – and ≥ print on any machine;
a character the font lacks is replaced (see `printable`) rather than printed as a box.
"""

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from flask_babel import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from mvp.evaluation.headlines import headlines
from mvp.evaluation.numbers import fmt
from mvp.evaluation.results import Evaluation
from mvp.reports import outline
from mvp.reports import tables as layout
from mvp.reports.charts import SERIES_SHAPES, Chart, evaluation_charts
from mvp.reports.pdf_grid import Grid, GridStyle, Widths, wrap_words
from mvp.reports.svg import COLOURS, nice_ticks

FONT = "MVPSans"
FONT_BOLD = "MVPSans-Bold"
FONT_DIR = Path(reportlab.__file__).parent / "fonts"
BRAND = colors.HexColor("#1d4f91")
MUTED = colors.HexColor("#4a4a4a")
LINE = colors.HexColor("#d5d9df")
# Characters the font lacks, and what to print instead.
FALLBACK = {"→": "->", "←": "<-", "✓": "x", "\u202f": "\u00a0"}

_registered = False
_glyphs: set[int] = set()


def register_fonts() -> None:
    """Embed the Vera family (regular, bold, italic) under our names, once per process."""
    global _registered
    if _registered:
        return
    faces = {
        FONT: "Vera.ttf",
        FONT_BOLD: "VeraBd.ttf",
        "MVPSans-Italic": "VeraIt.ttf",
        "MVPSans-BoldItalic": "VeraBI.ttf",
    }
    for name, filename in faces.items():
        font = TTFont(name, str(FONT_DIR / filename))
        pdfmetrics.registerFont(font)
        if name in (FONT, FONT_BOLD):
            _glyphs.update(font.face.charToGlyph)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic="MVPSans-Italic", boldItalic="MVPSans-BoldItalic"
    )
    _registered = True


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` that the embedded font cannot print."""
    register_fonts()
    return {ch for ch in text if ord(ch) not in _glyphs and ch not in "\n\r\t"}


def printable(text) -> str:
    """Text the font can print: known substitutes, else "?" for a missing character."""
    return _printable(str(text))


# Tables repeat the same few texts ("..", "–", headings, scale names) thousands of times.
@functools.lru_cache(maxsize=65_536)
def _printable(text: str) -> str:
    for missing in missing_glyphs(text):
        text = text.replace(missing, FALLBACK.get(missing, "?"))
    return text


def para(text, style) -> Paragraph:
    """A paragraph of plain text (escaped: names and texts may hold < or &)."""
    return Paragraph(escape(printable(text)), style)


class _Styles:
    def __init__(self):
        base = ParagraphStyle("base", fontName=FONT, bulletFontName=FONT, fontSize=9.5, leading=13)
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10, textColor=MUTED)
        self.cell = ParagraphStyle("cell", base, fontSize=8, leading=9.6)
        self.head = ParagraphStyle("head", self.cell, fontName=FONT_BOLD)
        self.h1 = ParagraphStyle(
            "h1",
            base,
            fontName=FONT_BOLD,
            fontSize=17,
            leading=21,
            spaceAfter=8,
            textColor=BRAND,
        )
        self.h2 = ParagraphStyle(
            "h2",
            base,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=5,
        )
        self.caption = ParagraphStyle(
            "caption",
            base,
            fontName=FONT_BOLD,
            fontSize=9,
            leading=11,
            spaceBefore=6,
            spaceAfter=3,
        )
        self.bullet = ParagraphStyle("bullet", base, leftIndent=10, bulletIndent=0, spaceAfter=3)
        self.cover_title = ParagraphStyle(
            "cover_title", base, fontName=FONT_BOLD, fontSize=26, leading=31, textColor=BRAND
        )
        self.cover = ParagraphStyle("cover", base, fontSize=13, leading=18)
        self.toc1 = ParagraphStyle("toc1", base, fontSize=10.5, leading=15, leftIndent=0)
        self.toc2 = ParagraphStyle("toc2", base, fontSize=9.5, leading=13, leftIndent=14)
        # Cell texts by value and kind, written once per report (pdf._cell_texts).
        self.texts: dict = {}
        # Text widths, measured once per text and font (pdf_grid.Widths).
        self.widths = Widths()


class _NumberedCanvas(pdfcanvas.Canvas):
    """Writes "page n of N" once the number of pages is known."""

    def __init__(self, *args, **kwargs):
        # The embedded font from the start, so that no unembedded Helvetica is referenced.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        super().__init__(*args, **kwargs)
        self._pages = []
        self.bookmarks: dict[int, list[str]] = {}

    def showPage(self):  # reportlab calls it by this name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        # The contents' page numbers, known only now: written on the contents pages, at the
        # places the entries kept (so the document is laid out once, not until it settles).
        slots = getattr(self, "toc_slots", [])
        heading_pages = getattr(self, "heading_pages", {})
        for state in self._pages:
            self.__dict__.update(state)
            for key in self.bookmarks.get(self._pageNumber, []):
                self.bookmarkPage(key)
            for page, x, y, key in slots:
                if page == self._pageNumber and key in heading_pages:
                    self.setFont(FONT, 10)
                    self.setFillColor(colors.black)
                    self.drawRightString(x, y, str(heading_pages[key]))
            if self._pageNumber > 1:
                self.setFont(FONT, 8)
                self.setFillColor(MUTED)
                self.drawRightString(
                    A4[0] - 18 * mm,
                    11 * mm,
                    printable(_("Page %(n)s of %(total)s", n=self._pageNumber, total=total)),
                )
                self.drawString(18 * mm, 11 * mm, printable(getattr(self, "_footer", "")))
            super().showPage()
        super().save()


class _Document(BaseDocTemplate):
    """A4: the first page (the result) and body pages; headings feed the contents."""

    def __init__(self, buffer, *, title: str, author: str, subject: str, lang: str, footer: str):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=printable(title),
            author=printable(author),
            subject=printable(subject),
            creator="MVP",
            lang=lang,
            initialFontName=FONT,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame]),
                PageTemplate("body", [frame], onPage=self._on_page),
            ]
        )
        self.footer = footer

    def _on_page(self, canvas, doc):
        canvas._footer = self.footer

    def afterFlowable(self, flowable):  # reportlab calls it by this name
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            key = flowable.toc_key
            # The canvas holds its pages until save(): a bookmark made now would point at
            # the first page, so it is made when its page is written (_NumberedCanvas.save).
            self.canv.bookmarks.setdefault(self.canv.getPageNumber(), []).append(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)
            if not hasattr(self.canv, "heading_pages"):
                self.canv.heading_pages = {}
            self.canv.heading_pages[key] = self.page


class _ContentsEntry(Flowable):
    """A line of the contents: the heading's text (a link to it) and, later, its page.

    Every heading is known before the layout, so the contents take their final room at
    once; the page numbers are drawn by the canvas when the document is saved.
    """

    NUMBER_ROOM = 36

    def __init__(self, text: str, key: str, style):
        super().__init__()
        self.key = key
        self.paragraph = Paragraph(f'<a href="#{key}">{escape(printable(text))}</a>', style)

    def wrap(self, available_width, available_height):
        self.width = available_width
        _w, self.height = self.paragraph.wrap(available_width - self.NUMBER_ROOM, available_height)
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):  # reportlab calls it by this name
        # Top-level flowables are drawn at page coordinates: keep where the number goes.
        baseline = y + self.height - self.paragraph.style.fontSize
        if not hasattr(canvas, "toc_slots"):
            canvas.toc_slots = []
        canvas.toc_slots.append((canvas.getPageNumber(), x + self.width, baseline, self.key))
        self.paragraph.drawOn(canvas, x, y, _sW)


def _heading(text: str, style, level: int) -> Paragraph:
    paragraph = para(text, style)
    paragraph.toc_level = level
    return paragraph


def _contents(story: list, styles) -> list:
    """The contents' entries for every heading of the story (each given its link key)."""
    entries = []
    for number, flowable in enumerate(f for f in story if hasattr(f, "toc_level")):
        flowable.toc_key = f"h{number}"
        style = styles.toc1 if flowable.toc_level == 0 else styles.toc2
        entries.append(_ContentsEntry(flowable.getPlainText(), flowable.toc_key, style))
    return entries


def render_pdf(evaluation: Evaluation) -> bytes:
    """The report as PDF bytes (call in the report's language: flask_babel.force_locale)."""
    report_name = _("Evaluation of MVP, %(period)s", period=evaluation.meta.period)
    return render_report(
        title=report_name,
        author=evaluation.meta.municipality,
        subject=_("Report to SKR"),
        lang=evaluation.meta.language,
        footer=f"{evaluation.meta.municipality} · {report_name}",
        story=lambda styles, width: _story(evaluation, styles, width),
    )


def render_report(*, title: str, author: str, subject: str, lang: str, footer: str, story):
    """Any result object's report as PDF bytes: A4, the embedded font, "page n of N", and the
    contents where `story(styles, width)` puts a ContentsPlace (if it does).

    The pupils' evaluation and the elected officials' annual report are both drawn here."""
    register_fonts()
    styles = _Styles()
    buffer = io.BytesIO()
    document = _Document(
        buffer, title=title, author=author, subject=subject, lang=lang, footer=footer
    )
    flowables = story(styles, document.width)
    # One layout pass: the contents are known before it (see _ContentsEntry).
    place = next((i for i, f in enumerate(flowables) if isinstance(f, _ContentsPlace)), None)
    entries = _contents(flowables, styles)  # also gives every heading its outline key
    if place is not None:
        flowables[place : place + 1] = entries
    document.build(flowables, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


# Public names for other result objects' reports (mvp.officials.reports): styles, headings,
# the contents' place, and tables with their charts.
Styles = _Styles


def heading(text: str, style, level: int) -> Paragraph:
    """A heading that appears in the PDF's outline and contents."""
    return _heading(text, style, level)


def tables_story(tables, charts, styles, width, *, too_few: str) -> list:
    """Tables (mvp.reports.tables.Table) with the charts drawn above them; a table of nothing
    but ".." is one line saying `too_few` instead."""
    return _tables(tables, charts, styles, width, too_few=too_few)


class _ContentsPlace(Spacer):
    """Where the contents go, filled in once the story is complete."""

    def __init__(self):
        super().__init__(0, 0)


# --- the story ---------------------------------------------------------------------------------


def _story(evaluation: Evaluation, styles: _Styles, width: float) -> list:
    """Page 1 the result, then the RE-AIM sections (one table or chart each), the lead's
    texts, and at the back the appendix: every table in detail, the schools, the method."""
    grouped = layout.tables_by_section(evaluation)
    charts = evaluation_charts(evaluation)
    shown: set[str] = set()
    story = _first_page(evaluation, charts, styles, width)
    story += [NextPageTemplate("body"), PageBreak()]
    story += [para(_("Contents"), styles.h1), _ContentsPlace(), PageBreak()]
    for section in outline.sections(evaluation):
        story += [CondPageBreak(70 * mm), _heading(section.title, styles.h1, 0)]
        if section.empty:
            story.append(para(section.empty, styles.body))
            continue
        if section.takeaway:
            story.append(para(section.takeaway, styles.body))
        story.append(para(section.intro, styles.small))
        story += _section_main(section.key, evaluation, grouped, shown, styles, width)
    story += _texts(evaluation, styles)
    story += _appendix(evaluation, grouped, charts, shown, styles, width)
    return story


def _first_page(evaluation: Evaluation, charts, styles: _Styles, width: float) -> list:
    """The result in one look: a compact heading, the headline sentences, the chart of
    change by sex with its 95 % interval, and the four key figures."""
    meta = evaluation.meta
    result = headlines(evaluation)
    story = [
        _heading(_("Evaluation of %(programme)s", programme=meta.programme), styles.h1, 0),
        para(
            " · ".join(
                [
                    meta.municipality,
                    _("School year %(period)s", period=meta.period),
                    _("Made on %(date)s", date=meta.made_on),
                ]
            ),
            styles.body,
        ),
    ]
    story += _selection(meta, styles)
    story += [para(notice, styles.body) for notice in evaluation.notices]
    story.append(_heading(_("The result in brief"), styles.h2, 1))
    story += [_bullet(sentence, styles) for sentence in result.sentences]
    by_sex = next((c for c in charts["effectiveness"] if c.key == "change_by_sex"), None)
    if by_sex is not None and by_sex.drawable:
        story.append(para(by_sex.title, styles.caption))
        story.append(chart_drawing(by_sex, width))
    rows = [
        [
            Paragraph(escape(printable(f.label)), styles.body),
            printable(f.text),
            Paragraph(escape(printable(f.parts_text)), styles.body),
        ]
        for f in result.figures
    ]
    if rows:
        story.append(para(_("Key figures"), styles.caption))
        table = Table(rows, colWidths=[width * 0.45, width * 0.15, width * 0.4], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT_BOLD, 9.5, 12),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
                ]
            )
        )
        story.append(table)
    story.append(
        para(
            _(
                'Figures based on fewer than %(n)s pupils are shown as "..".',
                n=meta.suppression_min,
            ),
            styles.small,
        )
    )
    return story


def _selection(meta, styles) -> list:
    """The selection in one small line each (schools, grades, lesson plans), when chosen."""
    lines = []
    if meta.schools:
        lines.append(_("Schools: %(names)s", names=", ".join(meta.schools)))
    if meta.grades:
        from mvp.schools.grades import grade_label

        lines.append(_("Grades: %(grades)s", grades=", ".join(grade_label(g) for g in meta.grades)))
    if meta.plans:
        lines.append(_("Lesson plans: %(plans)s", plans=", ".join(meta.plans)))
    return [para(line, styles.small) for line in lines]


# The one table (by key) each section shows in the main part; the rest are in the appendix.
MAIN_TABLES = {
    "reach": "pupils",
    "adoption": "leaders",
    "implementation": "dose",
    "effectiveness": "scales",
    "maintenance": "continuation",
    "rollout": None,
}


def _section_main(key, evaluation, grouped, shown, styles, width) -> list:
    story = []
    if key == "effectiveness":
        story += [_bullet(f, styles) for f in evaluation.effectiveness.findings]
    if key == "maintenance":
        follow_up = evaluation.maintenance.follow_up
        if follow_up.available:
            story += [_bullet(f, styles) for f in follow_up.findings]
        else:
            story.append(para(follow_up.message or _("No data for the selection."), styles.small))
    if key == "rollout":
        rollout = evaluation.rollout
        story += [para(note, styles.small) for note in rollout.notes]
        story += _rollout_chart(rollout, styles, width)
        for title, names in (
            (_("Target term passed without a start:"), rollout.overdue),
            (_("No target term:"), rollout.unplanned),
        ):
            if names:
                story.append(para(f"{title} {', '.join(names)}.", styles.body))
        return story
    tables = grouped.get(key, [])
    wanted = MAIN_TABLES.get(key)
    table = next((t for t in tables if t.key == wanted), None)
    if table is None:
        table = next((t for t in tables if not t.detail), None)
    if table is not None:
        shown.add(f"{table.section}/{table.key}")
        story += _tables([table], [], styles, width, smallest=MAIN_SMALLEST_TYPE)
    return story


def _rollout_chart(rollout, styles, width) -> list:
    """Schools running MVP at the end of each term of the plan (cumulative), as bars."""
    terms = list(rollout.terms)
    total = max([rollout.schools_eligible or 0, *(t.schools_running for t in terms)], default=0)
    if not terms or total <= 0:
        return []
    row_height, label_width = 16, 60
    height = row_height * len(terms) + 6
    drawing = Drawing(width, height, initialFontName=FONT)
    plot = width - label_width - 110
    for index, term in enumerate(terms):
        y = height - row_height * (index + 1)
        drawing.add(
            String(
                label_width - 4,
                y + 4,
                printable(term.label),
                fontName=FONT,
                fontSize=8,
                textAnchor="end",
            )
        )
        length = plot * term.schools_running / total
        drawing.add(Rect(label_width, y + 1, max(length, 0.5), 11, fillColor=BRAND, strokeWidth=0))
        drawing.add(
            String(
                label_width + length + 4,
                y + 4,
                printable(_("%(n)s of %(total)s schools", n=term.schools_running, total=total)),
                fontName=FONT,
                fontSize=8,
            )
        )
    return [
        para(_("Schools running MVP at the end of each term (the plan)"), styles.caption),
        drawing,
        para(_("The same figures are in the appendix: the plan term by term."), styles.small),
    ]


def _texts(evaluation, styles) -> list:
    story = [CondPageBreak(60 * mm), _heading(_("Lessons learned and next steps"), styles.h1, 0)]
    if not evaluation.texts:
        story.append(
            para(
                _("The project lead has not written these sections for the selected school years."),
                styles.small,
            )
        )
    for texts in evaluation.texts:
        if len(evaluation.texts) > 1:
            story.append(para(_("School year %(year)s", year=texts.school_year), styles.h2))
        for title, body in (
            (_("Lessons learned"), texts.lessons_learned),
            (_("Next steps"), texts.next_steps),
        ):
            if body.strip():
                story.append(_heading(title, styles.h2, 1))
                story += [para(p.strip(), styles.body) for p in body.split("\n\n") if p.strip()]
    return story


APPENDIX_MARK = "appendix"


def _appendix(evaluation, grouped, charts, shown, styles, width) -> list:
    heading = _heading(_("Appendix: tables in detail"), styles.h1, 0)
    story = [PageBreak(), heading]
    story.append(
        para(
            _(
                "Every table of the report in full, section by section; the same tables are "
                "sheets of the Excel appendix."
            ),
            styles.small,
        )
    )
    titles = {"summary": _("Summary")} | {s.key: s.title for s in outline.sections(evaluation)}
    for key in ("summary", *MAIN_TABLES):
        rest = [t for t in grouped.get(key, []) if f"{t.section}/{t.key}" not in shown]
        if not rest:
            continue
        story.append(_heading(titles[key], styles.h2, 1))
        if key == "effectiveness":
            for scale in evaluation.effectiveness.scales:
                if scale.findings_by_sex:
                    story.append(
                        para(f"{scale.name}: " + " ".join(scale.findings_by_sex), styles.small)
                    )
        # The change by sex is drawn on page 1; the other charts go before their tables.
        drawn = [c for c in charts.get(key, []) if c.key != "change_by_sex"]
        story += _tables(rest, drawn, styles, width)
    for school in evaluation.schools:
        story += [CondPageBreak(80 * mm), _heading(school.name, styles.h2, 1)]
        for scale in school.scales:
            # The school's result for girls and for boys follows its result for all.
            story.append(para(" ".join([scale.finding, *scale.findings_by_sex]), styles.bullet))
        story += _tables(grouped.get(f"school:{school.key}", []), [], styles, width)
    story += [PageBreak(), _heading(_("Method"), styles.h1, 0)]
    story += _method(evaluation, grouped.get("method", []), styles, width)
    return story


def _bullet(text: str, styles: _Styles) -> Paragraph:
    return Paragraph(escape(printable(text)), styles.bullet, bulletText="•")


def _method(evaluation, tables, styles, width) -> list:
    method = evaluation.method
    story = []
    if method.instruments:
        story.append(_heading(_("Questionnaire"), styles.h2, 1))
        story += [para(text, styles.body) for text in method.instruments]
    story += _tables(tables, [], styles, width, first=True)
    for title, texts in (
        (_("Linking answers"), method.linkage),
        (_("Small numbers"), method.suppression),
        (_("Statistics"), method.tests),
        (_("Definitions"), method.definitions),
    ):
        story.append(_heading(title, styles.h2, 1))
        story += [_bullet(t, styles) for t in texts]
    return story


def _no_data(styles) -> Paragraph:
    return para(_("No data for the selection."), styles.body)


# --- tables ------------------------------------------------------------------------------------


def _tables(tables, charts, styles, width, *, first=False, smallest=None, too_few=None) -> list:
    story = []
    for table in tables:
        if outline.all_suppressed(table):
            # A table of nothing but "..": one line saying so instead.
            story.append(para(table.title, styles.caption))
            story.append(para(too_few or _("Too few pupils to show these figures."), styles.body))
            continue
        for chart in charts:
            if chart.table_key == table.key and chart.drawable:
                story.append(CondPageBreak(60 * mm))
                story.append(para(chart.title, styles.caption))
                story.append(chart_drawing(chart, width))
                if chart.hidden:
                    story.append(
                        para(
                            _(
                                "Not drawn (too few pupils): %(names)s.",
                                names=", ".join(chart.hidden),
                            ),
                            styles.small,
                        )
                    )
        story += _table_flowable(table, styles, width, smallest)
    return story


def _table_flowable(table: layout.Table, styles: _Styles, width: float, smallest=None):
    numeric = [c.kind not in ("text", "date") for c in table.columns]
    texts = _cell_texts(table, styles.texts)
    widths, size, pad = _fit(table, styles, width, texts, smallest)
    # Body figures never wrap (their columns are as wide as the widest); headings and text
    # wrap between words (the columns are as wide as the longest word).
    room = [w - 2 * pad - 0.5 for w in widths]
    measure = styles.widths

    def cell_of(text, i, font, wraps):
        text = printable("" if text is None else text)
        return wrap_words(text, room[i], font, size, measure) if wraps else text

    rows = [[cell_of(c.label, i, FONT_BOLD, True) for i, c in enumerate(table.columns)]]
    for row in texts:
        rows.append([cell_of(text, i, FONT, not numeric[i]) for i, text in enumerate(row)])
    flowable = Grid(
        rows,
        widths,
        numeric,
        GridStyle(FONT, FONT_BOLD, size, round(size * 1.2, 2), pad, line=LINE),
        measure,
        total_row=table.total_row,
    )
    caption = para(table.title, styles.caption)
    caption.keepWithNext = True
    parts = [caption, flowable]
    if table.note:
        parts.append(para(table.note, styles.small))
    # Short tables stay whole on one page; long ones may break (their header row repeats).
    return [KeepTogether(parts)] if len(table.rows) <= 15 else parts


# Cell padding on each side, and the smallest type a wide table may be set in.
CELL_PAD = 3
SMALLEST_TYPE = 6.0
# A table too wide at its smallest type first gives up most of its padding, then squeezes.
TIGHT_PAD = 1.5
# The main part is read, not looked up: its tables never go below 8 pt (issue 12).
MAIN_SMALLEST_TYPE = 8.0


def _cell_texts(table: layout.Table, written: dict | None = None) -> list[list]:
    """Every body cell as the reader sees it, written once (measured and then drawn).

    `written` keeps the texts of one report (one language) by value and kind: a report
    writes the same few values ("..", small counts, p-values) tens of thousands of times.
    """
    written = {} if written is None else written
    kinds = [c.kind for c in table.columns]

    def text(value, kind):
        try:
            key = (kind, value)
            found = written.get(key)
        except TypeError:  # an unhashable value: written each time
            return layout.cell_text(value, kind)
        if found is None:
            found = written[key] = layout.cell_text(value, kind)
        return found

    return [
        [row[0], *(text(value, kind) for value, kind in zip(row[1:], kinds[1:], strict=True))]
        for row in table.rows
    ]


def _fit(table, styles, width, texts, smallest) -> tuple[list, float, float]:
    """Column widths, type size and cell padding: the normal padding where the table fits
    with it, else the tight one (a wide table at its smallest type, rather than words cut)."""
    widths, size, fits = _measure_columns(table, styles, width, texts, smallest, CELL_PAD)
    if fits:
        return widths, size, CELL_PAD
    # The same (smallest) type: the padding given up makes room for whole words, not for
    # larger type and a longer report.
    widths, size, _fits = _measure_columns(
        table, styles, width, texts, smallest, TIGHT_PAD, largest=size
    )
    return widths, size, TIGHT_PAD


def _column_widths(
    table: layout.Table,
    styles: _Styles,
    width: float,
    texts: list[list] | None = None,
    smallest: float | None = None,
) -> tuple[list, float]:
    """Column widths and the type size at the normal padding (see _measure_columns)."""
    widths, size, _fits = _measure_columns(table, styles, width, texts, smallest, CELL_PAD)
    return widths, size


def _measure_columns(
    table, styles, width, texts, smallest, pad, largest=None
) -> tuple[list, float, bool]:
    """Column widths, the type size, and whether every word fits: no word and no figure is
    ever broken.

    A figure ("[−0,1; 6,2]", "< 0,001") is one unbreakable piece; headings and text wrap
    between words only. Text columns take what room is left, down to their longest word.
    A table whose unbreakable pieces do not fit at the normal size is set in smaller type
    (down to SMALLEST_TYPE), scaled just enough to fit. A table that does not fit even
    then is squeezed evenly, and said not to fit (_fit then tries a tighter padding).
    """
    pad = 2 * pad + 1
    base = styles.cell.fontSize

    def measure(text, font):
        return styles.widths(printable(text), font, base)

    cells = texts if texts is not None else _cell_texts(table)
    needed, least, is_text = [], [], []
    for i, column in enumerate(table.columns):
        texts = [str(row[i]) for row in cells if row[i] is not None]
        text = i == 0 or column.kind in ("text", "date")
        pieces = [w for t in texts for w in t.split()] if text else texts
        longest_piece = max(
            [measure(w, FONT_BOLD) for w in column.label.split()]
            + [measure(w, FONT) for w in pieces],
            default=10,
        )
        longest_text = max((measure(t, FONT) for t in texts), default=0)
        is_text.append(text)
        least.append(longest_piece)
        needed.append(max(longest_piece, longest_text))
    fixed = pad * len(needed)
    scale = min(
        (largest or base) / base,
        max((smallest or SMALLEST_TYPE) / base, (width - fixed) / max(sum(least), 1)),
    )
    least = [w * scale + pad for w in least]
    needed = [w * scale + pad for w in needed]
    size = round(base * scale, 2)
    widths = list(needed)
    total = sum(widths)
    if total <= width:
        extra = width - total
        share = [i for i, t in enumerate(is_text) if t] or list(range(len(widths)))
        for i in share:
            widths[i] += extra / len(share)
        return widths, size, True
    # Too wide: text columns wrap, down to their longest word.
    surplus = total - width
    room = sum(needed[i] - least[i] for i, t in enumerate(is_text) if t)
    if room > 0:
        cut = min(1.0, surplus / room)
        for i, text in enumerate(is_text):
            if text:
                widths[i] = needed[i] - (needed[i] - least[i]) * cut
    # Still too wide only at the smallest type: then the last resort is to squeeze evenly.
    total = sum(widths)
    if total > width:
        widths = [w * width / total for w in widths]
    return widths, size, total <= width + 0.01


# --- charts ------------------------------------------------------------------------------------


def chart_drawing(chart: Chart, width: float) -> Drawing:
    """A chart as a reportlab drawing (the same layout as the SVG on the web)."""
    row_height = 18
    top, bottom = 22, 30
    label_width = min(
        width * 0.4, max(70, 4.6 * max((len(r.label) for r in chart.rows), default=10))
    )
    plot_left, plot_right = label_width + 8, width - 10
    height = top + row_height * len(chart.rows) + bottom
    drawing = Drawing(width, height, initialFontName=FONT)
    low, high = chart.bounds()

    def x_of(value):
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    def y_of(index):
        return height - top - row_height * index - row_height / 2

    axis_y = height - top - row_height * len(chart.rows)
    legend_x = plot_left
    for series, name in chart.series.items():
        drawing.add(_pdf_marker(SERIES_SHAPES[series], legend_x + 4, height - 10, series))
        drawing.add(String(legend_x + 12, height - 13, printable(name), fontName=FONT, fontSize=8))
        legend_x += 24 + 4.5 * len(str(name))
    for tick in nice_ticks(low, high):
        x = x_of(tick)
        drawing.add(Line(x, axis_y, x, height - top + 4, strokeColor=LINE, strokeWidth=0.5))
        drawing.add(
            String(
                x,
                axis_y - 10,
                printable(fmt(tick, 0 if float(tick).is_integer() else 1)),
                fontName=FONT,
                fontSize=8,
                textAnchor="middle",
            )
        )
    if chart.zero_line and low < 0 < high:
        drawing.add(Line(x_of(0), axis_y, x_of(0), height - top + 4, strokeWidth=1))
    drawing.add(
        String(
            (plot_left + plot_right) / 2,
            axis_y - 22,
            printable(chart.axis_label),
            fontName=FONT,
            fontSize=8,
            textAnchor="middle",
        )
    )
    keys = list(chart.series)
    for index, row in enumerate(chart.rows):
        y = y_of(index)
        drawing.add(
            String(
                label_width,
                y - 3,
                printable(row.label),
                fontName=FONT,
                fontSize=8,
                textAnchor="end",
            )
        )
        if not row.values:
            drawing.add(String(plot_left + 2, y - 3, "..", fontName=FONT, fontSize=8))
            continue
        if chart.kind == "dumbbell":
            drawing.add(
                Line(
                    x_of(row.values["before"][0]),
                    y,
                    x_of(row.values["later"][0]),
                    y,
                    strokeColor=colors.HexColor("#8a8f98"),
                    strokeWidth=2,
                )
            )
        for position, series in enumerate(keys):
            if series not in row.values:
                continue
            value, lower, upper = row.values[series]
            offset = (position - (len(keys) - 1) / 2) * 6 if chart.kind == "forest" else 0
            colour = colors.HexColor(COLOURS[series])
            if lower is not None and upper is not None:
                drawing.add(
                    Line(
                        x_of(lower),
                        y - offset,
                        x_of(upper),
                        y - offset,
                        strokeColor=colour,
                        strokeWidth=1.2,
                    )
                )
            drawing.add(_pdf_marker(SERIES_SHAPES[series], x_of(value), y - offset, series))
    return drawing


def _pdf_marker(shape: str, x: float, y: float, series: str):
    colour = colors.HexColor(COLOURS[series])
    if shape == "square":
        return Rect(x - 3, y - 3, 6, 6, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5)
    return Circle(x, y, 3.4, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5)


# The building blocks other reports draw with (the equality report, mvp.goals.report).
Styles = _Styles
NumberedCanvas = _NumberedCanvas
table_flowable = _table_flowable
