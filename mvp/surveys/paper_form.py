"""The printable paper questionnaire of a wave (PDF): for pupils without a device, in the order
of the paper-entry grid (sex, grade, the questions numbered, the six code questions), each box
numbered with the code that is typed into the grid (see mvp.surveys.importing.columns).

Swedish on purpose, like the classroom sheet: it is handed to Swedish pupils whatever language
the coordinator reads.
"""

import io

from flask_babel import force_locale
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table

from mvp.reports.pdf import FONT, FONT_BOLD, para, register_fonts
from mvp.schools.grades import grade_label
from mvp.surveys.coding import SEX_CHOICES
from mvp.surveys.importing import columns
from mvp.surveys.linkage import QUESTIONS
from mvp.surveys.models import Item, Wave
from mvp.surveys.questionnaire import item_options

BOX = 4.5 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=16, leading=20),
        "heading": ParagraphStyle(
            "heading", base, fontName=FONT_BOLD, fontSize=12, leading=16, spaceBefore=6
        ),
        "question": ParagraphStyle("question", base, fontName=FONT_BOLD, spaceBefore=5),
        "hint": ParagraphStyle("hint", base, fontSize=8.5, leading=11, textColor=colors.grey),
        "option": ParagraphStyle("option", base, fontSize=9, leading=11),
    }


def _boxes(options: list[tuple[str, str]], styles, width: float) -> Table:
    """One question's boxes in a row (wrapping after four): box, code and label."""
    per_row = 4 if len(options) > 3 else len(options)
    cells, row = [], []
    for code, label in options:
        text = label if label == code else f"{code} {label}"
        row += ["", para(text, styles["option"])]
        if len(row) == 2 * per_row:
            cells.append(row)
            row = []
    if row:
        cells.append(row + [""] * (2 * per_row - len(row)))
    label_width = (width - per_row * (BOX + 2 * mm)) / per_row
    table = Table(cells, colWidths=[BOX + 2 * mm, label_width] * per_row, hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 1)]
    for r, cell_row in enumerate(cells):
        for c in range(0, len(cell_row), 2):
            if cell_row[c + 1] != "":
                style.append(("BOX", (c, r), (c, r), 0.8, colors.black))
    table.setStyle(style)
    return table


def _write_in() -> Table:
    """Two boxes to write a letter or a number in."""
    table = Table([["", ""]], colWidths=[7 * mm, 7 * mm], rowHeights=[7 * mm], hAlign="LEFT")
    table.setStyle(
        [("BOX", (0, 0), (0, 0), 0.8, colors.black), ("BOX", (1, 0), (1, 0), 0.8, colors.black)]
    )
    return table


def paper_questionnaire_pdf(wave: Wave, items: list[Item]) -> bytes:
    """The wave's questionnaire as a PDF to print and hand out."""
    register_fonts()
    with force_locale("sv"):
        return _render(wave, items)


def _render(wave: Wave, items: list[Item]) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{wave.instrument.name_sv} – {wave.group.name}",
    )
    width = doc.width
    by_key = {item.key: item for item in items}
    story = [
        para(
            f"{wave.instrument.name_sv} – {wave.group.name}, {wave.group.school.name}",
            styles["title"],
        ),
        para(
            "Du är anonym: skriv inte ditt namn. Kryssa i en ruta per fråga. Frågorna om vad du "
            "tycker kan du hoppa över. Frågorna om dig och de sex kodfrågorna behöver svar – där "
            "kan du välja ”Vill inte svara” eller ”Vet inte”.",
            styles["body"],
        ),
        Spacer(0, 3 * mm),
        para("Om dig", styles["heading"]),
    ]

    def question(label: str, text: str, options: list[tuple[str, str]], hint: str = "") -> None:
        parts = [para(f"{label} {text}", styles["question"])]
        if hint:
            parts.append(para(hint, styles["hint"]))
        parts.append(_boxes(options, styles, width) if options else _write_in())
        story.append(KeepTogether(parts))

    # The grid's headings: Kön, Åk, the questions 1, 2, …, the code K1–K6.
    number = 0
    for key in columns(items):
        if key == "kon":
            sexes = [(str(n), str(label)) for n, (_sex, label) in enumerate(SEX_CHOICES, start=1)]
            question("Kön:", "Är du tjej, kille eller annat?", sexes)
        elif key == "arskurs":
            grades = [(str(g), grade_label(g)) for g in wave.group.school.grades]
            question("Åk:", "Vilken årskurs går du i?", grades)
            story.append(para("Vad tycker du?", styles["heading"]))
        elif key in by_key:
            number += 1
            question(f"{number}.", by_key[key].text_sv, item_options(by_key[key], "sv"))
    story.append(para("Din kod", styles["heading"]))
    story.append(
        para(
            "Svaren blir en kod som gör att dina svar nu kan jämföras med dina svar senare, "
            "utan att någon vet vem du är. Skriv en bokstav eller en siffra, eller ett ? om du "
            "inte vet.",
            styles["body"],
        )
    )
    for n, link in enumerate(QUESTIONS, start=1):
        question(f"K{n}.", str(link.label), [], str(link.hint or ""))
    story.append(Spacer(0, 4 * mm))
    story.append(para("Tack för dina svar! Lämna enkäten till din lärare.", styles["body"]))
    doc.build(story)
    return buffer.getvalue()
