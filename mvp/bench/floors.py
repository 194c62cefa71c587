"""The floors the bench compares with: the least the same work can cost on this machine.

- the evaluation's own SELECTs (recorded while it builds), run again on a bare database
  cursor and fetched, with no processing: what reading the rows it needs costs;
- a bare reportlab render with as many pages, tables (the same cells, as plain strings) and
  charts as the report, drawn straight on the canvas in one pass;
- a bare INSERT of as many responses and answers as an import stores.
"""

import contextlib
import io
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas

from mvp.extensions import db
from mvp.reports.tables import cell_text

READS = ("select", "with")


@dataclass
class Statements:
    """The SQL statements an operation ran, with their parameters, in order."""

    executed: list[tuple[str, object]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.executed)

    @property
    def reads(self) -> list[tuple[str, object]]:
        return [(s, p) for s, p in self.executed if s.lstrip().lower().startswith(READS)]


@contextlib.contextmanager
def recording():
    """Record every statement run on the app's engine inside the block."""
    statements = Statements()

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.executed.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def bare_read(statements: Statements) -> int:
    """Run the recorded SELECTs again on a raw DB-API cursor and fetch every row; returns the
    number of rows. No ORM, no Python objects beyond the driver's tuples."""
    connection = db.engine.raw_connection()
    rows = 0
    try:
        cursor = connection.cursor()
        for statement, parameters in statements.reads:
            cursor.execute(statement, parameters)
            rows += len(cursor.fetchall())
        cursor.close()
        connection.rollback()
    finally:
        connection.close()
    return rows


def explain(statements: Statements) -> list[tuple[str, list[str]]]:
    """PostgreSQL's plan of each recorded SELECT: (the statement, the plan's lines)."""
    connection = db.engine.raw_connection()
    plans = []
    try:
        cursor = connection.cursor()
        for statement, parameters in statements.reads:
            cursor.execute("EXPLAIN " + statement, parameters)
            plans.append((statement, [row[0] for row in cursor.fetchall()]))
        cursor.close()
        connection.rollback()
    finally:
        connection.close()
    return plans


@dataclass
class PdfShape:
    """What a report holds, for a floor of the same size."""

    pages: int
    tables: list  # mvp.reports.tables.Table
    charts: list  # mvp.reports.charts.Chart (drawable ones)

    @property
    def cells(self) -> int:
        return sum(len(t.rows) * len(t.columns) for t in self.tables)


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF (reportlab writes one `/Type /Page` object per page)."""
    return pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>")


def bare_pdf(shape: PdfShape) -> bytes:
    """The report's tables and charts drawn on a bare canvas: every cell as a plain string
    (numbers right-aligned by their measured width), a new page when one is full, each chart
    as bars; then blank numbered pages up to the report's count."""
    buffer = io.BytesIO()
    canvas = pdfcanvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    margin, line = 50, 10
    y = height - margin
    pages = 1

    def new_page():
        nonlocal y, pages
        canvas.drawRightString(width - margin, 30, f"{pages}")
        canvas.showPage()
        canvas.setFont("Helvetica", 7)
        pages += 1
        y = height - margin

    canvas.setFont("Helvetica", 7)
    for table in shape.tables:
        column_width = (width - 2 * margin) / max(1, len(table.columns))
        for number, row in enumerate([[c.label for c in table.columns], *table.rows]):
            header = number == 0
            if y < margin:
                new_page()
            for i, value in enumerate(row):
                # The report's own cell texts, as pdf.py writes them.
                text = value if i == 0 or header else cell_text(value, table.columns[i].kind)
                text = "" if text is None else str(text)
                right = margin + (i + 1) * column_width - 2
                canvas.drawString(right - stringWidth(text, "Helvetica", 7), y, text)
            y -= line
        y -= line
    for chart in shape.charts:
        drawing = Drawing(width - 2 * margin, 20 + 12 * len(chart.rows))
        for n, row in enumerate(chart.rows):
            drawing.add(String(0, 10 + 12 * n, row.label[:40], fontSize=7))
            for k, value in enumerate(row.values.values()):
                number = next((v for v in value if v is not None), 0) or 0
                drawing.add(Rect(200, 10 + 12 * n + 4 * k, abs(float(number)), 3))
        if y - drawing.height < margin:
            new_page()
        renderPDF.draw(drawing, canvas, margin, y - drawing.height)
        y -= drawing.height + line
    while pages < shape.pages:
        new_page()
    canvas.drawRightString(width - margin, 30, f"{pages}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def bare_insert(responses: list[dict], answers_per_response: list[list[dict]]) -> float:
    """Seconds to INSERT the rows of an import with plain executemany (then rolled back)."""
    connection = db.engine.connect()
    try:
        started = time.perf_counter()
        with connection.begin() as transaction:
            from mvp.surveys.models import Answer, Response

            ids = list(
                connection.scalars(
                    sa.insert(Response).returning(Response.id, sort_by_parameter_order=True),
                    responses,
                )
            )
            rows = [
                {**answer, "response_id": response_id}
                for response_id, answers in zip(ids, answers_per_response, strict=True)
                for answer in answers
            ]
            connection.execute(sa.insert(Answer), rows)
            elapsed = time.perf_counter() - started
            transaction.rollback()
    finally:
        connection.close()
    return elapsed
