"""The result in one look (issue 12): page 1 of the PDF, the main part's length and type size,
the PDF's metadata and bookmarks, and the same "Resultat i korthet" on the dashboard."""

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.evaluation.conftest import build_pilot
from tests.factories import make_user, sign_in

MAIN_PAGES_MAX = 12
# Set to a folder to keep the rendered report for a look (never in CI).
KEEP = Path(os.environ["KEEP_REPORT_DIR"]) if os.environ.get("KEEP_REPORT_DIR") else None


def pdf_text(path, first=None, last=None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    result = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8").replace("\xa0", " ")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def report(client, app, tmp_path):
    build_pilot()
    sign_in(client, make_user("lead"))
    response = client.get("/evaluation/report.pdf")
    assert response.status_code == 200
    path = tmp_path / "rapport.pdf"
    path.write_bytes(response.data)
    data = client.get("/api/v1/evaluation").json
    return path, data, client


def _main_pages(path) -> int:
    """Pages before the appendix heading (the contents page names it too: skip page 2)."""
    pages = pdf_text(path).split("\f")
    start = next(i for i, page in enumerate(pages) if i > 1 and "Bilaga: tabeller i detalj" in page)
    return start  # the appendix starts on page start + 1


def test_page_one_is_the_result(report, tmp_path):
    path, data, _client = report
    page_one = pdf_text(path, 1)
    text = flat(page_one)
    # The compact heading: municipality, programme, period and date, no cover page.
    assert data["meta"]["municipality"] in text
    assert "Mentorer i våldsprevention" in text
    assert f"Läsåret {data['meta']['period']}" in text
    assert f"Framtagen {data['meta']['made_on']}" in text
    assert "Resultat i korthet" in text
    # 3–5 headline sentences, with the change for girls and for boys (or why there is none).
    sentences = re.findall(r"• ([^•]+)", text.split("Nyckeltal")[0].split("korthet")[-1])
    assert 1 <= len(sentences) <= 5
    linked = [s for s in data["effectiveness"]["scales"] if s["paired"]["ci_low"] is not None]
    if linked:
        assert "För flickor" in text and "För pojkar" in text
        assert "Hur säkra vi är" in text
        # The chart of change by sex names every scale.
        for scale in data["effectiveness"]["scales"]:
            assert scale["name"] in text
    # The four key figures, the pupils by sex among them.
    for label in (
        "Elever som nåtts",
        "Dos: hållna lektioner av planerade",
        "Lektioner ledda av ett ledarpar",
        "Svar efter lektionerna som kopplats till svar",
    ):
        assert label in text
    pupils = data["reach"]["total"]
    assert f"flickor {pupils['girls']}" in text
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-png", str(path), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    darkest, lightest = image.getextrema()
    assert darkest < 60 and lightest > 200


def test_the_main_part_is_short_and_never_below_8_pt(report):
    path, _data, _client = report
    main = _main_pages(path)
    assert main <= MAIN_PAGES_MAX
    reader = PdfReader(path)
    assert len(reader.pages) > main  # the appendix follows
    small = []
    for number, page in enumerate(reader.pages[:main], start=1):

        def visit(text, cm, tm, font, size, number=number):
            scale = (tm[3] or 1) * (cm[3] or 1)
            if text.strip() and size * abs(scale) < 7.99:
                small.append((number, round(size * abs(scale), 2), text[:30]))

        page.extract_text(visitor_text=visit)
    assert not small, small[:10]


def test_metadata_language_and_a_bookmark_for_every_section(report):
    path, data, _client = report
    reader = PdfReader(path)
    assert reader.metadata.title.startswith("Utvärdering av MVP")
    assert reader.metadata.author == data["meta"]["municipality"]
    assert reader.trailer["/Root"]["/Lang"] == "sv"

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    marks = set(titles(reader.outline))
    for section in (
        "Resultat i korthet",
        "Räckvidd",
        "Antagande",
        "Genomförande",
        "Effekt",
        "Vidmakthållande",
        "Införande",
        "Lärdomar och nästa steg",
        "Bilaga: tabeller i detalj",
        "Metod",
    ):
        assert section in marks, section


def test_d_z_is_never_printed_with_its_underscore(report):
    path, _data, client = report
    assert "d_z" not in pdf_text(path)
    assert "d_z" not in client.get("/evaluation/").get_data(as_text=True)


def test_p_is_written_one_way_in_pdf_web_and_excel(report):
    from openpyxl import load_workbook

    path, data, client = report
    text = pdf_text(path)
    page = client.get("/evaluation/section/effectiveness").get_data(as_text=True)
    values = [
        s["unpaired"]["p_holm"]
        for s in data["effectiveness"]["scales"]
        if isinstance(s["unpaired"]["p_holm"], float)
    ]
    assert values
    for value in values:
        written = "< 0,001" if value < 0.001 else f"{value:.3f}".replace(".", ",")
        assert written in text
        assert written.replace("<", "&lt;") in page
    assert not re.search(r"p = 0,000\b", text)
    workbook = load_workbook(io.BytesIO(client.get("/evaluation/report.xlsx").data))
    formats = {
        cell.number_format
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, float) and cell.value in values
    }
    assert formats == {'[<0.001]"< 0,001";0.000'}


def test_the_dashboard_opens_with_the_result_in_brief(report):
    _path, data, client = report
    html = client.get("/evaluation/").get_data(as_text=True)
    brief = html.index('id="in-brief"')
    assert brief < html.index('id="reach"')
    assert "Resultat i korthet" in html
    assert "Elever som nåtts" in html[brief:]
    if any(s["paired"]["ci_low"] is not None for s in data["effectiveness"]["scales"]):
        assert 'id="chart-in-brief-title"' in html
        # The chart has a table with the same figures.
        assert "t-in-brief" in html


def test_the_dashboard_draws_the_chart_by_sex_with_its_table(report, monkeypatch):
    from mvp.dashboard import views
    from mvp.reports.charts import comparison_charts
    from tests.evaluation.test_headlines import comparison

    charts = {"effectiveness": comparison_charts(comparison()), "maintenance": []}
    monkeypatch.setattr(views, "evaluation_charts", lambda evaluation: charts)
    _path, _data, client = report
    html = client.get("/evaluation/?year=2025/26&fresh=1").get_data(as_text=True)
    brief = html[html.index('id="in-brief"') : html.index('id="reach"')]
    assert 'id="chart-in-brief-title"' in brief and 'role="img"' in brief
    assert 'id="t-in-brief"' in brief and "Flickor: 95 % KI" in brief
    assert "[2,0; 12,0]" in brief


def test_each_bookmark_leads_to_its_sections_page(report):
    path, _data, _client = report
    reader = PdfReader(path)
    pages = pdf_text(path).split("\f")

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item

    marks = list(walk(reader.outline))
    numbers = [reader.get_destination_page_number(m) for m in marks]
    assert numbers == sorted(numbers) and numbers[-1] > 2
    for mark, number in zip(marks, numbers, strict=True):
        assert mark.title in flat(pages[number]), (mark.title, number + 1)


def test_with_linked_pupils_page_one_says_it_for_girls_and_boys(client, app, tmp_path, monkeypatch):
    """The pilot with linked answers on six scales: page 1 still holds the sentences, the
    chart with every scale's name and the key figures, and the main part stays short."""
    import dataclasses

    from mvp.reports import pdf, views
    from tests.evaluation.test_headlines import comparison, paired, scale

    linked = comparison()
    linked.scales += [
        scale(f"Skala nummer {i} med ett långt namn", *(paired(6, 2, 10),) * 3) for i in range(3)
    ]

    def render(evaluation):
        return pdf.render_pdf(dataclasses.replace(evaluation, effectiveness=linked))

    monkeypatch.setattr(views, "render_pdf", render)
    build_pilot()
    sign_in(client, make_user("lead"))
    path = tmp_path / "rapport.pdf"
    path.write_bytes(client.get("/evaluation/report.pdf").data)
    if KEEP:
        (KEEP / "linked.pdf").write_bytes(path.read_bytes())
    text = flat(pdf_text(path, 1))
    assert "Efter lektionerna blev 4 av 6 skalor tydligt bättre" in text
    assert "För flickor blev" in text and "För pojkar blev" in text
    assert "Hur säkra vi är" in text
    for item in linked.scales:
        assert item.name in text
    assert "Elever som nåtts" in text and "Svar efter lektionerna som kopplats" in text
    assert _main_pages(path) <= MAIN_PAGES_MAX
