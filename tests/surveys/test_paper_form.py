"""The printable paper questionnaire of a wave: linked from the classroom sheet, in the order of
the paper-entry grid, every box numbered with the code typed into the grid."""

import re
import subprocess

from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import make_wave


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "enkat.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8").replace("\xa0", " ")


def test_the_classroom_sheet_links_a_paper_questionnaire_in_the_grids_order(client, tmp_path):
    school = make_school()
    wave = make_wave(make_group(school))
    sign_in(client, make_user("coordinator", schools=[school]))
    sheet = client.get(f"/surveys/waves/{wave.id}/sheet").get_data(as_text=True)
    assert f'href="/surveys/waves/{wave.id}/paper.pdf"' in sheet
    assert "Pappersenkät att skriva ut (PDF)" in sheet
    response = client.get(f"/surveys/waves/{wave.id}/paper.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert wave.group.name in text and "skriv inte ditt namn" in text
    # The grid's columns: Kön, Åk, the questions 1–29, the code K1–K6, in this order.
    headings = ["Kön:", "Åk:", *(f"{n}." for n in range(1, 30)), *(f"K{n}." for n in range(1, 7))]
    positions = [text.find(f" {h} ") if h != "Kön:" else text.find(h) for h in headings]
    assert -1 not in positions and positions == sorted(positions)
    assert "1 Stämmer helt och" in text and "V Vet inte" in text and "Vet ej" not in text
    assert "1 Tjej" in text or "1 tjej" in text
    assert "Vilken bokstav börjar din mammas förnamn på?" in text
    assert re.search(r"Om någon i klassen blir hånad", text)


def test_another_schools_paper_questionnaire_is_not_found(client):
    wave = make_wave(make_group(make_school()))
    sign_in(client, make_user("coordinator", schools=[make_school()]))
    assert client.get(f"/surveys/waves/{wave.id}/paper.pdf").status_code == 404
