"""The evaluation dashboard, its filters and messages, the lead's texts, and the JSON API."""

import random
import re
from html import unescape

import sqlalchemy as sa

from mvp.evaluation.models import ReportText
from mvp.extensions import db
from mvp.schools.years import format_school_year
from mvp.surveys.pairing import ensure_paired
from tests.evaluation.conftest import build_pilot
from tests.evaluation.factories import make_cohort
from tests.factories import make_group, make_school, make_user, sign_in


def page(client, url="/evaluation/", status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def test_a_lead_sees_every_reaim_section_with_findings_and_charts(client, pilot):
    sign_in(client, make_user("lead"))
    html = page(client)
    for heading in (
        "Sammanfattning",
        "Räckvidd",
        "Antagande",
        "Genomförande",
        "Effekt",
        "Vidmakthållande",
        "Metod",
    ):
        assert f">{heading}</h2>" in html
    assert "Läsåret " + format_school_year(pilot.year) in html
    assert "indexet steg från" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 3
    assert "style=" not in html  # the Content-Security-Policy forbids inline styles
    assert "%%" not in html and "%(" not in html  # no formatting code leaks into the text
    assert "Långsjöskolan" in html and "Hallsta skola" in html
    assert "Rapport till SKR (PDF)" in html and "Svar för forskare (CSV)" in html


def test_tables_of_detail_are_on_the_sections_page_linked_from_the_dashboard(client, pilot):
    sign_in(client, make_user("lead"))
    html = page(client)
    captions = [unescape(c) for c in re.findall(r"<caption[^>]*>(.*?)</caption>", html)]
    assert "Skalor: ihopkopplade elever" in captions
    assert "Skalor efter kön: ihopkopplade elever" in captions
    assert 'Frågor: positiva svar och "vet ej"' not in captions
    assert "Skalor efter skola: ihopkopplade elever" not in captions
    # The link names what is behind it and keeps the selection.
    year = format_school_year(pilot.year)
    link = re.search(r'<a href="(/evaluation/section/effectiveness\?[^"]*)">([^<]*)</a>', html)
    assert link and f"year={year}" in link.group(1)
    assert unescape(link.group(2)) == "Alla tabeller om effekt"
    assert "Skalor efter skola: ihopkopplade elever" in unescape(html)  # named beside the link
    detail = page(client, unescape(link.group(1)))
    assert "<h1>Effekt: alla tabeller</h1>" in detail
    captions = [unescape(c) for c in re.findall(r"<caption[^>]*>(.*?)</caption>", detail)]
    assert 'Frågor: positiva svar och "vet ej"' in captions
    assert "Skalor: ihopkopplade elever" in captions
    content = detail.split("<main", 1)[1]  # the menu folds in a <details> on phones
    assert "<details" not in content  # open, every table with its caption and headers
    assert detail.count('<th scope="col"') > 20
    assert 'aria-current="page"' in detail
    assert page(client, "/evaluation/section/nothing", status=404)


def test_each_school_has_its_own_page(client, pilot):
    sign_in(client, make_user("lead"))
    hallsta = pilot.schools["Hallsta skola"]
    html = page(client)
    assert f'href="/evaluation/schools/{hallsta.id}?year=' in html
    assert "<h3" not in html.split('id="schools"')[1].split("</section>")[0]
    school = page(client, f"/evaluation/schools/{hallsta.id}")
    assert "<h1>Hallsta skola</h1>" in school
    assert "Hallsta skola: skalor, ihopkopplade elever" in unescape(school)
    assert "Långsjöskolan" not in school
    empty = make_school(name="Tomma skolan")
    assert "Skolan har inga MVP-elevgrupper i urvalet." in page(
        client, f"/evaluation/schools/{empty.id}"
    )
    page(client, "/evaluation/schools/99999", status=404)


def test_filters_narrow_the_evaluation(client, pilot):
    sign_in(client, make_user("lead"))
    hallsta = pilot.schools["Hallsta skola"]
    data = client.get(f"/api/v1/evaluation?school={hallsta.id}").json
    assert [s["name"] for s in data["schools"]] == ["Hallsta skola"]
    assert data["reach"]["total"]["groups"] == 2
    grade_7 = client.get("/api/v1/evaluation?grade=7").json
    assert grade_7["reach"]["total"]["groups"] == 1 and grade_7["meta"]["grades"] == [7]
    plan = client.get(f"/api/v1/evaluation?plan={pilot.plan.id}").json
    assert plan["meta"]["plans"] == ["MVP högstadiet"]
    html = page(client, f"/evaluation/?school={hallsta.id}&grade=8")
    assert "Hallsta skola · årskurs 8" in html
    assert re.search(r'<input checked id="grade-\d" name="grade" type="checkbox" value="8">', html)


def test_bad_filters_get_clear_messages(client, pilot):
    sign_in(client, make_user("lead"))
    html = page(client, "/evaluation/?school=99999")
    assert "Det finns ingen skola ”99999” bland de skolor du kan se." in html
    assert "Rätta följande" in html and 'id="effectiveness"' not in html
    html = page(client, "/evaluation/?year=2025-26&grade=x")
    assert "”2025-26” är inget läsår." in html
    assert "”x” är ingen årskurs." in html
    assert "Det finns ingen lektionsplan ”Okänd”" in page(client, "/evaluation/?plan=Okänd")
    response = client.get("/api/v1/evaluation?school=99999")
    assert response.status_code == 400
    assert "school" in response.json["errors"]


def test_a_year_without_data_says_so_everywhere(client, pilot):
    sign_in(client, make_user("lead"))
    html = page(client, "/evaluation/?year=2015/16")
    assert "Det finns inga MVP-grupper läsåret 2015/16 bland de skolor du kan se." in html
    assert "Inga uppgifter för urvalet." in html
    data = client.get("/api/v1/evaluation?year=2015/16").json
    assert data["has_data"] is False and data["effectiveness"]["available"] is False
    empty = page(client, f"/evaluation/?grade=9&year={format_school_year(pilot.year)}")
    assert "Inga MVP-grupper matchar urvalet" in empty


def test_a_coordinator_sees_only_their_school_and_not_another(client, pilot):
    own, other = pilot.schools["Långsjöskolan"], pilot.schools["Hallsta skola"]
    sign_in(client, make_user("coordinator", schools=[own]))
    data = client.get("/api/v1/evaluation").json
    assert [s["name"] for s in data["schools"]] == ["Långsjöskolan"]
    assert data["meta"]["all_schools"] is False
    html = page(client)
    assert "Hallsta skola" not in html
    # Naming the other school gets the same answer as a school that does not exist.
    html = page(client, f"/evaluation/?school={other.id}")
    assert f"Det finns ingen skola ”{other.id}” bland de skolor du kan se." in html
    assert "Hallsta skola" not in html
    assert "Svar för forskare" not in html  # leads only


def test_a_viewer_sees_all_schools_suppressed_and_no_answer_file(client, pilot):
    sign_in(client, make_user("viewer"))
    data = client.get("/api/v1/evaluation").json
    assert len(data["schools"]) == 2
    assert data["reach"]["total"]["others"] == ".."
    html = page(client)
    assert "Svar för forskare" not in html and "Skriv lärdomar" not in html
    assert client.get("/evaluation/answers.csv").status_code == 403


def test_the_api_returns_the_dashboards_evaluation(client, pilot):
    sign_in(client, make_user("lead"))
    data = client.get("/api/v1/evaluation").json
    assert data["meta"]["period"] == format_school_year(pilot.year)
    assert data["meta"]["suppression_min"] == 10
    html = page(client)
    for scale in data["effectiveness"]["scales"]:
        assert scale["finding"] in unescape(html)
    english = client.get("/api/v1/evaluation?lang=en").json
    assert english["effectiveness"]["scales"][0]["finding"].split(":")[1].startswith(" the index")
    assert (
        english["effectiveness"]["scales"][0]["paired"]
        == data["effectiveness"]["scales"][0]["paired"]
    )


def test_the_api_answers_401_without_a_sign_in(client):
    response = client.get("/api/v1/evaluation")
    assert response.status_code == 401
    assert response.json["error"] == "Logga in för att använda API:et."


def test_a_lead_writes_the_reports_own_sections(client, pilot):
    lead = make_user("lead")
    sign_in(client, lead)
    year = format_school_year(pilot.year)
    form = page(client, f"/evaluation/texts?year={year}")
    assert "Lärdomar" in form and f'value="{year}"' in form
    response = client.post(
        "/evaluation/texts",
        data={
            "school_year": year,
            "lessons_learned": (
                "Ledarparen behövde mer tid för handledning.\n\nRektorernas stöd avgjorde."
            ),
            "next_steps": "Utbilda ledare på Norrgårdsskolan under hösten.",
        },
    )
    assert response.status_code == 302
    texts = db.session.scalar(sa.select(ReportText))
    assert texts.school_year == pilot.year and texts.updated_by_id == lead.id
    html = page(client)
    assert "Rektorernas stöd avgjorde." in html and "Utbilda ledare på Norrgårdsskolan" in html
    bad = client.post(
        "/evaluation/texts", data={"school_year": "2025", "lessons_learned": "x" * 10_001}
    )
    body = bad.get_data(as_text=True)
    assert "Skriv läsåret som 2025/26." in body and "Skriv högst 10 000 tecken." in body


def test_the_dashboard_runs_a_fixed_number_of_queries(client, app, count_queries):
    pilot = build_pilot(groups_per_school=1)
    sign_in(client, make_user("lead"))
    with count_queries() as few:
        page(client)
    rng = random.Random(2)
    for index, school in enumerate(pilot.schools.values()):
        group = make_group(school, name=f"8X{index}", school_year=pilot.year, grade=8)
        make_cohort(group, pilot.instrument, rng=rng)
    make_school(name="Nyskolan")
    # New answers are paired on the first read, a few queries per cohort that changed; that
    # is the answers' cost, not the page's, so it is done before the page is counted.
    ensure_paired()
    with count_queries() as many:
        page(client)
    assert len(many) == len(few)


def test_the_demo_has_the_leads_texts_for_the_pilot_round(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    texts = db.session.scalar(sa.select(ReportText))
    assert "Ledarparen uppskattade handledningen" in texts.lessons_learned
    sign_in(client, make_user("lead"))
    html = page(client, f"/evaluation/?year={format_school_year(texts.school_year)}")
    assert "Lärdomar och nästa steg" in html and "Norrgårdsskolan och Västra skolan" in html


def test_the_evaluation_opens_on_the_last_round_that_has_largely_answered(client, pilot):
    # This year's round is under way: one of three groups has answered after its lessons.
    year = pilot.year + 1
    school = pilot.schools["Långsjöskolan"]
    groups = [
        make_group(school, name=name, grade=8, school_year=year) for name in ("8A", "8B", "8C")
    ]
    make_cohort(groups[0], pilot.instrument, rng=random.Random(3))
    sign_in(client, make_user("lead"))
    html = page(client)
    assert "Läsåret " + format_school_year(pilot.year) in html
    assert "pågår" not in html  # last year's round is over
    # Once half the groups have answered after the lessons, this year's round is the default.
    make_cohort(groups[1], pilot.instrument, rng=random.Random(4))
    html = page(client)
    assert "Läsåret " + format_school_year(year) in html
    assert f"Läsåret {format_school_year(year)} pågår" in html
