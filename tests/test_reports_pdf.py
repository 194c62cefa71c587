"""The PDF report for SKR: read back with pdftotext, its figures equal the JSON; a page renders."""

import re
import subprocess

import pytest
from PIL import Image

from mvp.reports.pdf import missing_glyphs
from tests.evaluation.conftest import build_pilot
from tests.factories import make_user, sign_in


def pdf_text(path, *pages) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    result = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8").replace("\xa0", " ")


def _strings(value):
    """Every text in the JSON."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def sv(value, decimals) -> str:
    """A number as the Swedish report writes it (independent of the app's formatting)."""
    if value == "..":
        return ".."
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text


def share(value) -> str:
    return ".." if value == ".." else sv(value * 100, 1) + " %"


def p_text(value) -> str:
    return "< 0,001" if value < 0.001 else sv(value, 3)


@pytest.fixture
def downloaded(client, app, tmp_path):
    pilot = build_pilot()
    sign_in(client, make_user("lead"))
    response = client.get("/evaluation/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    path = tmp_path / "rapport.pdf"
    path.write_bytes(response.data)
    return pilot, path, client.get("/api/v1/evaluation").json


def test_the_pdf_holds_the_key_figures_of_the_json(downloaded):
    _pilot, path, data = downloaded
    text = pdf_text(path)
    assert "Utvärdering av MVP – Mentorer i våldsprevention" in " ".join(text.split())
    assert "Utvärdering av MVP, " + data["meta"]["period"] in text  # the footer
    assert data["meta"]["municipality"] in text and f"Framtagen {data['meta']['made_on']}" in text
    pages = int(re.search(r"Sida 2 av (\d+)", text).group(1))
    assert pages >= 10 and f"Sida {pages} av {pages}" in text
    assert "?" not in text  # a character the font lacks would have been printed as "?"
    # The summary's tables open the appendix (page 1 says the same in sentences).
    appendix = text.split("Bilaga: tabeller i detalj")[-1]
    summary = re.split(r"\n\s*Räckvidd\n", appendix)[0]
    lines = {line.strip() for line in summary.splitlines()}
    for figure in data["summary"]["figures"]:
        value = figure["value"]
        written = (
            share(value)
            if figure["unit"] == "share"
            else sv(value, 1 if figure["unit"] == "hours" else 0)
        )
        line = next(line for line in lines if line.startswith(figure["label"] + " "))
        assert line.endswith(written), (line, written)
    for scale in data["effectiveness"]["scales"]:
        p = scale["paired"]
        line = re.sub(r"\s+", " ", next(line for line in lines if line.startswith(scale["name"])))
        expected = " ".join(
            [
                scale["name"],
                str(p["n"]),
                sv(p["before_index"], 1),
                sv(p["later_index"], 1),
                ("+" if p["change"] > 0 else "") + sv(p["change"], 1),
                f"[{sv(p['ci_low'], 1)}; {sv(p['ci_high'], 1)}]",
                p_text(p["p_holm"]),
            ]
        )
        assert line == expected


def test_the_pdf_has_every_section_and_the_schools_pages(downloaded):
    _pilot, path, data = downloaded
    text = pdf_text(path)
    for heading in (
        "Innehåll",
        "Sammanfattning",
        "Räckvidd",
        "Antagande",
        "Genomförande",
        "Effekt",
        "Vidmakthållande",
        "Lärdomar och nästa steg",
        "Metod",
        "Långsjöskolan",
        "Hallsta skola",
        "Koppling av svar",
        "Små tal",
    ):
        assert heading in text
    for finding in data["effectiveness"]["findings"]:
        # Findings wrap over lines; their first words are on one line.
        assert " ".join(finding.split()[:5]) in re.sub(r"\s+", " ", text)
    method = pdf_text(path, *range(len(text.split("\f")) - 2, len(text.split("\f"))))
    assert "Uppgifter som bygger på färre än 10 elever visas som" in re.sub(r"\s+", " ", method)
    assert "MVP-enkäten, version 1 (mvp-test)" in text
    # No formatting code leaks into the text ("95 %%", "%(n)s"), and no sign on a zero.
    assert "%%" not in text and "%(" not in text, text[text.find("%") - 80 : text.find("%") + 40]
    assert not re.search(r"-0,0(?!\d)", text)
    assert "med 95 % konfidensintervall (Students t)" in re.sub(r"\s+", " ", method)


def test_a_page_of_the_pdf_renders_to_an_image(downloaded, tmp_path):
    _pilot, path, _data = downloaded
    subprocess.run(
        ["pdftoppm", "-f", "3", "-l", "3", "-r", "60", "-png", str(path), str(tmp_path / "page")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert image.size[0] > 400
    darkest, lightest = image.getextrema()
    assert darkest < 60 and lightest > 200  # text on paper, not a blank page


def test_english_pdf_and_embedded_fonts_only(client, app, tmp_path):
    build_pilot()
    sign_in(client, make_user("viewer"))
    response = client.get("/evaluation/report.pdf?lang=en")
    assert response.headers["Content-Disposition"].endswith("-en.pdf")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    text = pdf_text(path)
    assert "Evaluation of MVP – Mentorer i våldsprevention" in " ".join(text.split())
    assert "Page 2 of" in text and "Reach" in text and "Effectiveness" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout
    rows = fonts.decode().splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), rows  # every font embedded
    assert "Helvetica" not in fonts.decode()


def test_a_selection_without_data_gives_a_pdf_with_no_data_sections(client, app, tmp_path):
    sign_in(client, make_user("lead"))
    response = client.get("/evaluation/report.pdf?year=2015/16")
    assert response.status_code == 200
    path = tmp_path / "tom.pdf"
    path.write_bytes(response.data)
    text = pdf_text(path)
    assert "Det finns inga MVP-grupper läsåret 2015/16" in re.sub(r"\s+", " ", text)
    assert text.count("Inga uppgifter för urvalet.") >= 2
    assert "Inga enkäter efter lektionerna har besvarats i urvalet." in text


def test_a_bad_selection_gets_the_filter_page_not_a_pdf(client, app):
    sign_in(client, make_user("lead"))
    response = client.get("/evaluation/report.pdf?school=4711")
    assert response.status_code == 400
    assert "Det finns ingen skola ”4711”" in response.get_data(as_text=True)


def test_every_character_the_report_prints_is_in_the_embedded_font(client, app):
    build_pilot()
    sign_in(client, make_user("lead"))
    for lang in ("sv", "en"):
        data = client.get(f"/api/v1/evaluation?lang={lang}").json
        assert missing_glyphs("".join(_strings(data))) == set()
    assert missing_glyphs("åäöÅÄÖ – ≥ ≤ … ± · × − ” ’ é ü") == set()
    assert missing_glyphs("→") == {"→"}


def test_no_word_or_figure_of_a_table_is_broken_over_lines(downloaded):
    _pilot, path, _data = downloaded
    text = pdf_text(path)
    words = set(re.findall(r"[\wåäöÅÄÖ]+", text))
    # Headings of the widest tables (twelve columns): whole words, never "Ihopkopplad" + "e".
    assert {"Ihopkopplade", "medelvärde", "Wilcoxon", "Förändring"} <= words
    assert not {"Ihopkopplad", "Ihopkoppl", "medelvärd", "Förändrin", "Wilcox"} & words
    # Confidence intervals stay on one line: "[a; b]" whole wherever one is printed.
    assert re.search(r"\[-?\d+,\d; -?\d+,\d\]", text)
    assert not re.search(r"\[-?\d+,\d;\s*$", text, re.MULTILINE)


def test_a_wide_table_is_set_in_smaller_type_rather_than_broken(app):
    from reportlab.pdfbase import pdfmetrics

    from mvp.reports import pdf
    from mvp.reports.tables import Column, Table

    pdf.register_fonts()
    styles = pdf._Styles()
    # Nine columns headed "medelvärde": too wide at 7.5 pt for 480 pt, not at 7 pt.
    columns = [Column("Skala")] + [Column(f"Före{i}, medelvärde", "count") for i in range(9)]
    table = Table("wide", "test", "Bred", columns, rows=[["Beredskap att agera", *range(9)]])
    widths, size = pdf._column_widths(table, styles, 480)
    assert pdf.SMALLEST_TYPE <= size < styles.cell.fontSize
    assert sum(widths) <= 480 + 0.01
    for width, column in zip(widths[1:], columns[1:], strict=True):
        longest = max(pdfmetrics.stringWidth(w, pdf.FONT_BOLD, size) for w in column.label.split())
        assert width >= longest + 2 * pdf.CELL_PAD
    # A narrow table keeps the normal type.
    narrow = Table("narrow", "test", "Smal", columns[:3], rows=[["Beredskap att agera", 1, 2]])
    assert pdf._column_widths(narrow, styles, 480)[1] == styles.cell.fontSize
