"""The report's figure tables as one light flowable: rows measured once, every cell a plain
string drawn as it is, a header row repeated on every page a table runs over.

reportlab's Table keeps a style object per cell, lays out a Paragraph for every text that
wraps and measures every row again on each wrap and each split (a long table is split once
per page): that was most of the cost of a report with 63,000 cells. The figure tables need
little of it — one font for the header row and one for the body, figures right-aligned and
text left-aligned, a rule under the header row, a thin line under each row and a rule above
a total row — so this draws just that. A text wraps between words (`wrap_words`), never
inside one; the column widths (mvp.reports.pdf) are made so that the longest word fits.
"""

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable


class Widths:
    """Text widths at 1 pt, measured once per text and font (a report writes the same few
    texts — "..", counts, p-values, scale names — tens of thousands of times); a width at
    any size is the 1 pt width times the size."""

    def __init__(self):
        self._known: dict[tuple[str, str], float] = {}

    def __call__(self, text: str, font: str, size: float) -> float:
        key = (text, font)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = pdfmetrics.stringWidth(text, font, 1.0)
        return found * size


def wrap_words(text: str, room: float, font: str, size: float, widths: Widths) -> str:
    """The text in lines (joined by newlines) no wider than `room`, broken between words
    only: a word longer than the room stands on a line of its own."""
    if widths(text, font, size) <= room:
        return text
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and widths(candidate, font, size) > room:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class GridStyle:
    """How a grid is set: fonts, type size, padding and lines."""

    font: str
    bold: str
    size: float
    leading: float
    pad: float  # left and right, inside each cell
    top: float = 2
    bottom: float = 2
    line: object = colors.lightgrey  # under each body row, 0.25 pt
    rule: object = colors.black  # under the header row and above a total row, 1 pt


class Grid(Flowable):
    """A table of strings (a newline starts a line) whose first row is its header, repeated
    wherever the table breaks across pages."""

    def __init__(
        self,
        rows: list[list[str]],
        widths: list[float],
        numeric: list[bool],
        style: GridStyle,
        measure: Widths,
        *,
        total_row: bool = False,
        heights: list[float] | None = None,
    ):
        super().__init__()
        self.rows = rows
        self.widths = widths
        self.numeric = numeric
        self.style = style
        self.measure = measure
        self.total_row = total_row
        self.hAlign = "LEFT"
        padding = style.top + style.bottom
        self.heights = (
            heights
            if heights is not None
            else [
                max(cell.count("\n") for cell in row) * style.leading + style.leading + padding
                for row in rows
            ]
        )
        self.width = sum(widths)
        self.height = sum(self.heights)

    def _part(self, rows: list, heights: list, total_row: bool) -> "Grid":
        return Grid(
            rows,
            self.widths,
            self.numeric,
            self.style,
            self.measure,
            total_row=total_row,
            heights=heights,
        )

    def wrap(self, available_width, available_height):  # reportlab calls it by this name
        return self.width, self.height

    def split(self, available_width, available_height):  # reportlab calls it by this name
        """The rows that fit under the header, and the rest under a repeated header; nothing
        (the table goes on the next page) when not even one body row fits."""
        room = available_height - self.heights[0]
        fitting = 0
        for height in self.heights[1:]:
            if height > room:
                break
            room -= height
            fitting += 1
        if fitting == 0 or fitting == len(self.rows) - 1:
            return []
        cut = 1 + fitting
        return [
            self._part(self.rows[:cut], self.heights[:cut], False),
            self._part(
                self.rows[:1] + self.rows[cut:],
                self.heights[:1] + self.heights[cut:],
                self.total_row,
            ),
        ]

    def draw(self):  # reportlab calls it by this name
        """Every cell's lines in one text object, row by row (the order a screen reader or
        a copy of the text follows), then the lines between the rows."""
        style, measure = self.style, self.measure
        lefts = [0.0]
        for width in self.widths:
            lefts.append(lefts[-1] + width)
        text = self.canv.beginText()
        text.setFillColor(colors.black)
        top = self.height
        for number, (row, height) in enumerate(zip(self.rows, self.heights, strict=True)):
            font = style.bold if number == 0 else style.font
            text.setFont(font, style.size, style.leading)
            for i, cell in enumerate(row):
                baseline = top - style.top - style.size
                for line in cell.split("\n") if "\n" in cell else (cell,):
                    if line:
                        if self.numeric[i]:
                            x = lefts[i + 1] - style.pad - measure(line, font, style.size)
                        else:
                            x = lefts[i] + style.pad
                        text.setTextOrigin(x, baseline)
                        text.textOut(line)
                    baseline -= style.leading
            top -= height
        self.canv.drawText(text)
        self._draw_lines()

    def _draw_lines(self):
        canvas, style = self.canv, self.style
        bottoms, top = [], self.height
        for height in self.heights:
            top -= height
            bottoms.append(top)
        canvas.setStrokeColor(style.line)
        canvas.setLineWidth(0.25)
        body = canvas.beginPath()
        for y in bottoms[1:]:
            body.moveTo(0, y)
            body.lineTo(self.width, y)
        canvas.drawPath(body, stroke=1, fill=0)
        canvas.setStrokeColor(style.rule)
        canvas.setLineWidth(1)
        canvas.line(0, bottoms[0], self.width, bottoms[0])
        if self.total_row and len(self.rows) > 1:
            canvas.line(0, bottoms[-2], self.width, bottoms[-2])
