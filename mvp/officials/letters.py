"""The secretariat's letters: one printable page per single-use code (with a QR code and the
address) and a CSV for mail merge, packed in one ZIP file.

The codes exist in clear only here, in the answer to the request that made them: the
application keeps their keyed hashes only (mvp.surveys.single_use). A secretariat that loses
the file makes new codes (the unused ones become void), so nobody can print a code twice
and no list of codes is ever stored beside the letters' recipients.
"""

import io
import zipfile
from urllib.parse import quote

from flask_babel import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas

from mvp.reports.pdf import FONT, FONT_BOLD, printable, register_fonts
from mvp.spreadsheet_safety import csv_writer
from mvp.surveys.single_use import shown


def direct_address(base: str, code: str) -> str:
    """The address in the QR code: the answer page with the code filled in."""
    return f"{base}?kod={quote(code)}"


def _qr(text: str, size: float) -> Drawing:
    widget = QrCodeWidget(text, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing


def _wrap(canvas, text: str, x: float, y: float, width: float, size: float) -> float:
    """Draw `text` wrapped to `width`; returns the y below it."""
    words, line = printable(text).split(), ""
    canvas.setFont(FONT, size)
    for word in words:
        trial = f"{line} {word}".strip()
        if canvas.stringWidth(trial, FONT, size) > width and line:
            canvas.drawString(x, y, line)
            y -= size * 1.4
            line = word
        else:
            line = trial
    if line:
        canvas.drawString(x, y, line)
        y -= size * 1.4
    return y


def letters_pdf(codes: list[str], *, year: int, municipality: str, base: str) -> bytes:
    """One A4 page per code: who asks, why, the address, the code and its QR code."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = pdfcanvas.Canvas(buffer, pagesize=A4, initialFontName=FONT)
    canvas.setTitle(printable(_("Letters with codes %(year)d", year=year)))
    width, height = A4
    left, text_width = 22 * mm, width - 44 * mm
    for code in codes:
        y = height - 28 * mm
        canvas.setFont(FONT, 10)
        canvas.drawString(left, y, printable(municipality))
        y -= 16 * mm
        canvas.setFont(FONT_BOLD, 16)
        canvas.drawString(
            left, y, printable(_("Survey: safety in the political role %(year)d", year=year))
        )
        y -= 12 * mm
        for paragraph in (
            _(
                "You hold a seat in one of the municipality's political bodies. We ask every "
                "elected official how safe they feel in their role, and whether they have been "
                "harassed, threatened or attacked because of it. The answers guide the "
                "municipality's work for a safe local democracy."
            ),
            _(
                "You are anonymous: the code below can be used once, nobody has recorded who "
                "got which code, and your answers are stored without the code. Results are "
                "shown only for groups of several people. It takes about 10 minutes."
            ),
            _(
                "Answer on a phone or a computer: scan the QR code, or go to the address and "
                "type the code."
            ),
        ):
            y = _wrap(canvas, paragraph, left, y, text_width, 11) - 4 * mm
        y -= 6 * mm
        canvas.setFont(FONT, 11)
        canvas.drawString(left, y, printable(_("Address:")))
        canvas.setFont(FONT_BOLD, 13)
        canvas.drawString(left + 30 * mm, y, printable(base))
        y -= 10 * mm
        canvas.setFont(FONT, 11)
        canvas.drawString(left, y, printable(_("Your code:")))
        canvas.setFont(FONT_BOLD, 20)
        canvas.drawString(left + 30 * mm, y, shown(code))
        qr_size = 45 * mm
        renderPDF.draw(_qr(direct_address(base, code), qr_size), canvas, left, y - qr_size - 8 * mm)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def codes_csv(codes: list[str], *, base: str) -> bytes:
    """The codes for mail merge: code, address and the direct link (semicolons, BOM)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["kod", "adress", "direktlank"])
    for code in codes:
        writer.writerow([shown(code), base, direct_address(base, code)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def letters_zip(codes: list[str], *, year: int, municipality: str, base: str) -> bytes:
    """The letters (PDF) and the mail-merge file (CSV) in one ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            f"brev-{year}.pdf",
            letters_pdf(codes, year=year, municipality=municipality, base=base),
        )
        archive.writestr(f"koder-{year}.csv", codes_csv(codes, base=base))
    return buffer.getvalue()
