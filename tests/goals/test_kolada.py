"""Kolada's figures: both download formats read from small recorded files, the fetch command
against recorded answers through a fake transport (never the network), and bad input that
gets a Swedish message with nothing saved."""

import io
import json

import pytest
import sqlalchemy as sa

from mvp.extensions import db
from mvp.goals import kolada
from mvp.goals.kolada import KoladaUnavailable
from mvp.goals.models import KoladaKpi, KoladaValue
from mvp.tabular import TableErrors
from tests.factories import make_user, sign_in
from tests.goals.factories import import_recorded, recorded


def values_of(kpi: str) -> dict:
    rows = db.session.execute(
        sa.select(KoladaValue.year, KoladaValue.gender, KoladaValue.value).where(
            KoladaValue.kpi_id == kpi
        )
    )
    return {(year, gender): value for year, gender, value in rows}


def test_a_saved_v3_api_answer_is_read_with_women_men_and_total(app):
    figures = kolada.read_download(recorded("kolada_v3_data.json"), "svar.json")
    assert figures.years == [2021, 2022, 2023]
    assert figures.values[("N00938", "0188", 2023, "K")] == 31.0
    assert figures.values[("N00938", "0188", 2023, "M")] == 34.0
    assert figures.values[("N00938", "0188", 2023, "T")] == 32.5
    assert figures.kpis["N00938"][1] is True  # divided by gender


@pytest.mark.parametrize("name", ["kolada_export.csv", "kolada_export.xlsx"])
def test_kolada_table_export_is_read_as_csv_and_excel(app, name):
    saved = import_recorded(name)
    assert saved.kpis == ["N00945"]
    assert values_of("N00945") == {
        (2022, "K"): 8.9,
        (2022, "M"): 5.1,
        (2022, "T"): 7.9,
        (2023, "K"): 8.4,
        (2023, "M"): 5.3,
        (2023, "T"): 7.6,
    }
    kpi = db.session.get(KoladaKpi, "N00945")
    assert kpi.title == "Sjukfrånvaro bland kommunalt anställda, andel (%)"
    assert kpi.by_sex


def test_importing_again_replaces_a_years_values_and_keeps_the_title(app):
    import_recorded("kolada_v3_data.json")
    answer = json.loads(recorded("kolada_v3_data.json"))
    answer["values"] = answer["values"][-1:]
    answer["values"][0]["values"][0]["value"] = 33.0
    kolada.import_download(json.dumps(answer).encode(), "svar.json")
    db.session.commit()
    assert values_of("N00938")[(2023, "K")] == 33.0
    assert values_of("N00938")[(2021, "K")] == 28.0


def _messages(error: TableErrors) -> str:
    return " ".join(str(e) for e in error.errors)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.update(kpi="X938"), "är inte ett nyckeltals-id i Kolada"),
        (lambda e: e.update(municipality="188"), "är inte en kommunkod"),
        (lambda e: e.update(period="23"), "är inte ett år"),
    ],
)
def test_bad_values_in_an_api_answer_are_refused_and_nothing_is_saved(app, change, message):
    answer = json.loads(recorded("kolada_v3_data.json"))
    change(answer["values"][1])
    with pytest.raises(TableErrors) as refused:
        kolada.import_download(json.dumps(answer).encode(), "svar.json")
    db.session.rollback()
    assert message in _messages(refused.value)
    assert "Värde 2" in _messages(refused.value)
    assert values_of("N00938") == {}


def test_a_year_written_wrongly_in_the_export_names_row_and_column(app):
    data = recorded("kolada_export.csv").decode().replace(";2023;K;", ";20023;K;").encode()
    with pytest.raises(TableErrors) as refused:
        kolada.import_download(data, "export.csv")
    assert "Rad 5, kolumn År" in _messages(refused.value)
    assert "är inte ett år" in _messages(refused.value)


def test_a_file_that_is_not_a_kolada_download_is_refused_in_one_message(app):
    for data, name in (
        (b"namn;skolform\nLangsjo;7-9\n", "skolor.csv"),
        (b'{"skolor": []}', "fel.json"),
        (b"%PDF-1.4 not a table", "rapport.csv"),
    ):
        with pytest.raises(TableErrors) as refused:
            kolada.import_download(data, name)
        assert len(refused.value.errors) == 1
    assert "inte en nedladdning från Kolada" in _messages(refused.value) or "PDF" in _messages(
        refused.value
    )


def test_figures_of_another_municipality_are_refused(app):
    data = recorded("kolada_v3_data.json").replace(b'"0188"', b'"0180"')
    with pytest.raises(TableErrors) as refused:
        kolada.import_download(data, "svar.json")
    assert "kommun 0180" in _messages(refused.value)


def test_the_lead_imports_a_download_on_the_web_and_sees_kolada_as_source(client):
    sign_in(client, make_user("lead"))
    response = client.post(
        "/goals/kolada/import",
        data={"file": (io.BytesIO(recorded("kolada_export.csv")), "export.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Kolada-siffrorna importerades: 6 värden av N00945." in response.get_data(True)
    page = client.get("/goals/kolada/import").get_data(True)
    assert "N00945" in page and "Källa: Kolada" in page


def test_a_bad_download_on_the_web_lists_the_problems_and_saves_nothing(client):
    sign_in(client, make_user("lead"))
    data = recorded("kolada_export.csv").decode().replace("N00945;", "N945;", 1).encode()
    response = client.post(
        "/goals/kolada/import",
        data={"file": (io.BytesIO(data), "export.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(True)
    assert "Ingenting importerades: filen har 1 fel" in page
    assert "Rad 2, kolumn Nyckeltals-id" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KoladaValue)) == 0


# --- the fetch command ---------------------------------------------------------------------------


class FakeKolada:
    """Answers Kolada's addresses with recorded answers, and remembers what was asked."""

    def __init__(self, answers: dict[str, str]):
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, url: str) -> dict:
        self.asked.append(url)
        for part, name in self.answers.items():
            if part in url:
                return json.loads(recorded(name))
        return json.loads(recorded("kolada_v3_empty.json"))


RECORDED_ANSWERS = {
    "/data/kpi/": "kolada_v3_data.json",
    "/kpi/N00938": "kolada_v3_kpi.json",
    "/municipality/0188": "kolada_v3_municipality.json",
}


def test_fetch_saves_the_recorded_answer_with_the_kpis_title(app, runner):
    fake = FakeKolada(RECORDED_ANSWERS)
    app.config["KOLADA_TRANSPORT"] = fake
    try:
        result = runner.invoke(
            args=[
                "kolada",
                "fetch",
                "--kpi",
                "N00938",
                "--municipality",
                "0188",
                "--years",
                "2021-2023",
            ]
        )
    finally:
        app.config.pop("KOLADA_TRANSPORT")
    assert result.exit_code == 0, result.output
    assert "9 värden av N00938" in result.output
    assert fake.asked[-1] == (
        "https://api.kolada.se/v3/data/kpi/N00938/municipality/0188/year/2021,2022,2023"
    )
    assert values_of("N00938")[(2022, "M")] == 35.0
    assert db.session.get(KoladaKpi, "N00938").title.startswith("Förtroendevalda")


def test_fetch_of_an_unknown_kpi_or_municipality_says_so_and_saves_nothing(app, runner):
    app.config["KOLADA_TRANSPORT"] = FakeKolada({"/kpi/N00938": "kolada_v3_kpi.json"})
    try:
        unknown = runner.invoke(
            args=["kolada", "fetch", "--kpi", "N99999", "--municipality", "0188", "--years", "2023"]
        )
        wrong_place = runner.invoke(
            args=["kolada", "fetch", "--kpi", "N00938", "--municipality", "9999", "--years", "2023"]
        )
        bad_id = runner.invoke(
            args=["kolada", "fetch", "--kpi", "938", "--municipality", "0188", "--years", "2023"]
        )
        bad_year = runner.invoke(
            args=["kolada", "fetch", "--kpi", "N00938", "--municipality", "0188", "--years", "23"]
        )
    finally:
        app.config.pop("KOLADA_TRANSPORT")
    assert unknown.exit_code == 1 and "Kolada har inget nyckeltal N99999." in unknown.output
    assert wrong_place.exit_code == 1 and "Kolada har ingen kommun 9999." in wrong_place.output
    assert bad_id.exit_code == 1 and "är inte ett nyckeltals-id i Kolada" in bad_id.output
    assert bad_year.exit_code == 1 and "är inte ett år" in bad_year.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KoladaValue)) == 0


def test_fetch_without_network_says_so_in_one_line_and_changes_nothing(app, runner):
    import_recorded("kolada_v3_data.json")

    def no_network(url):
        raise KoladaUnavailable("Temporary failure in name resolution")

    app.config["KOLADA_TRANSPORT"] = no_network
    try:
        result = runner.invoke(args=["kolada", "fetch", "--kpi", "N00938", "--years", "2021-2023"])
    finally:
        app.config.pop("KOLADA_TRANSPORT")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [
        "Error: Kolada kunde inte nås (Temporary failure in name resolution); inget ändrades."
    ]
    assert len(values_of("N00938")) == 9
