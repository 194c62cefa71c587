"""The report's tables as drawn (mvp.reports.pdf_grid): read back from real PDFs, no cell
overlaps another, no word is cut, a long table repeats its header on every page."""

import itertools
import re
import subprocess
from html import unescape

import pytest
from reportlab.lib.pagesizes import A4

from mvp.reports import pdf
from mvp.reports.pdf_grid import Grid, GridStyle, Widths, wrap_words
from mvp.reports.tables import Column, Table
from tests.evaluation.conftest import build_pilot
from tests.factories import make_user, sign_in

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def words_by_page(path) -> list[list[tuple]]:
    """Every word of every page with its box, as pdftotext -bbox reads it."""
    result = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True)
    pages = result.stdout.decode("utf-8").split("<page ")[1:]
    return [
        [(*map(float, match.groups()[:4]), unescape(match.group(5))) for match in WORD.finditer(p)]
        for p in pages
    ]


def overlaps(words: list[tuple]) -> list[tuple[str, str]]:
    """Pairs of words on the same line whose boxes run into each other."""
    found = []
    lines: dict[float, list] = {}
    for word in words:
        lines.setdefault(round(word[3], 1), []).append(word)  # same baseline: same bottom
    for line in lines.values():
        line.sort()
        for left, right in itertools.pairwise(line):
            if right[0] < left[2] - 0.3:
                found.append((left[4], right[4]))
    return found


def test_no_text_of_the_report_runs_into_another(client, app, tmp_path):
    build_pilot()
    sign_in(client, make_user("lead"))
    path = tmp_path / "rapport.pdf"
    path.write_bytes(client.get("/evaluation/report.pdf").data)
    pages = words_by_page(path)
    assert len(pages) >= 10
    # The widest tables (twelve columns of figures) are on these pages: headings such as
    # "Ihopkopplade elever" and "Före, medelvärde" once ran into each other there.
    assert any(w[4] == "Ihopkopplade" for page in pages for w in page)
    for number, page in enumerate(pages, start=1):
        assert overlaps(page) == [], f"page {number}"


def test_words_wrap_between_words_never_inside_one():
    pdf.register_fonts()
    widths = Widths()
    text = "Avståndstagande från våld och kontroll"
    room = widths("Avståndstagande", pdf.FONT, 8) + 1
    lines = wrap_words(text, room, pdf.FONT, 8, widths).split("\n")
    assert lines == ["Avståndstagande", "från våld och", "kontroll"]
    assert all(widths(line, pdf.FONT, 8) <= room for line in lines)
    # A word wider than the room stands whole on a line of its own.
    assert wrap_words("Ihopkopplade elever", 10, pdf.FONT, 8, widths) == "Ihopkopplade\nelever"
    # A text that fits is left as it is.
    assert wrap_words("Alla", room, pdf.FONT, 8, widths) == "Alla"


def test_a_width_is_measured_once_and_scales_with_the_size():
    pdf.register_fonts()
    widths = Widths()
    expected = pdf.pdfmetrics.stringWidth("12 345", pdf.FONT, 7.5)
    assert abs(widths("12 345", pdf.FONT, 7.5) - expected) < 1e-9
    assert abs(widths("12 345", pdf.FONT, 15) - 2 * expected) < 1e-9


def _grid(rows: int, *, total_row=False) -> Grid:
    pdf.register_fonts()
    body = [[f"Skola {n:03}", str(n)] for n in range(rows)]
    style = GridStyle(pdf.FONT, pdf.FONT_BOLD, 8, 9.6, 3)
    return Grid(
        [["Skola", "Elever"], *body], [200, 60], [False, True], style, Widths(), total_row=total_row
    )


def test_a_split_keeps_every_row_once_and_repeats_the_header():
    grid = _grid(40, total_row=True)
    row = grid.heights[1]
    first, rest = grid.split(500, grid.heights[0] + 10 * row + 1)
    assert [r[0] for r in first.rows] == ["Skola", *(f"Skola {n:03}" for n in range(10))]
    assert [r[0] for r in rest.rows] == ["Skola", *(f"Skola {n:03}" for n in range(10, 40))]
    # The total row's rule belongs to the part that holds the total row.
    assert not first.total_row and rest.total_row
    assert first.height + rest.height == pytest.approx(grid.height + grid.heights[0])
    # Room for the header but not one row: the table goes whole to the next page.
    assert grid.split(500, grid.heights[0] + row / 2) == []


def test_a_long_table_runs_over_pages_with_its_header_on_each(app, tmp_path):
    columns = [Column("Skola", "text"), Column("Elever", "count"), Column("Andel", "share")]
    rows = [[f"Skola {n:03}", 100 + n, n / 200] for n in range(150)]
    table = Table("long", "test", "Lång tabell", columns, rows, total_row=True)
    with app.test_request_context():
        data = pdf.render_report(
            title="Test",
            author="Test",
            subject="Test",
            lang="sv",
            footer="Test",
            story=lambda styles, width: pdf.table_flowable(table, styles, width),
        )
    path = tmp_path / "lang.pdf"
    path.write_bytes(data)
    pages = words_by_page(path)
    assert len(pages) >= 3
    seen = []
    for page in pages:
        texts = [w[4] for w in sorted(page, key=lambda w: (w[1], w[0]))]
        # Each page opens with the header row (after the caption on the first).
        body = texts[texts.index("Skola") :]
        assert body[:3] == ["Skola", "Elever", "Andel"]
        seen += [f"Skola {t}" for p, t in itertools.pairwise(body) if p == "Skola" and t.isdigit()]
        assert overlaps(page) == []
    assert seen == [f"Skola {n:03}" for n in range(150)]
    # Figures are right-aligned: every count ends where the header "Elever" ends.
    # (the footer's page numbers, at the foot of the page, left out)
    counts = [w for p in pages for w in p if w[4].isdigit() and w[0] > 250 and w[3] < 780]
    right = {round(w[2]) for w in counts}
    header = {round(w[2]) for page in pages for w in page if w[4] == "Elever"}
    assert right == header and len(header) == 1
    assert A4[0] > max(header)
