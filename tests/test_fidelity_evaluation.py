"""The fidelity page and the evaluation show the same implementation figures.

Both read them through mvp.lessons.fidelity; this checks what a reader sees on /fidelity/
against the evaluation's JSON for the same school year, on data with several schools and
groups, repeats, partly and not delivered lessons, lessons with a leader missing, a group
with only one leader, a group that has not begun and central supervision.
"""

import datetime as dt
from html.parser import HTMLParser

import pytest

from mvp.schools.years import current_school_year, format_school_year
from tests.delivery_factories import (
    make_plan,
    make_trained_leader,
    make_training,
    record_lesson,
    set_up_group,
)
from tests.factories import make_group, make_school, make_user, sign_in


class _Rows(HTMLParser):
    """The text of every cell of one table's rows (head, body and foot)."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data.replace("\xa0", " "))


def table_rows(html: str, table_id: str) -> list[list[str]]:
    parser = _Rows(table_id)
    parser.feed(html)
    return parser.rows


def percent(text: str) -> float | None:
    """'46 %' -> 46.0; '–' -> None."""
    return None if text == "–" else float(text.removesuffix("%").strip().replace(",", "."))


def hours(text: str) -> float:
    return float(text.replace(",", ".").replace(" ", ""))


def same_share(page_text: str, json_share) -> bool:
    """The page's whole percent is the JSON's share, rounded."""
    shown = percent(page_text)
    if json_share is None or shown is None:
        return shown is None and json_share is None
    return abs(json_share * 100 - shown) <= 0.5 + 1e-9


@pytest.fixture
def delivered(app):
    """Three schools of last school year, five groups, their lessons and supervision."""
    year = current_school_year() - 1
    start = dt.date(year, 9, 1)

    def week(n):
        return start + dt.timedelta(weeks=n)

    fourteen, eleven = make_plan(14), make_plan(11)
    langsjo = make_school(name="Långsjöskolan")
    hallsta = make_school(name="Hallsta skola")
    norrgard = make_school(name="Norrgårdsskolan")
    pair = [make_trained_leader(langsjo), make_trained_leader(langsjo, sex="man")]
    hallsta_pair = [make_trained_leader(hallsta), make_trained_leader(hallsta, sex="man")]
    lone = make_trained_leader(hallsta, name="Ensam ledare")

    def group(school, name, grade, girls, boys, plan, leaders):
        made = make_group(
            school, name=name, grade=grade, girls=girls, boys=boys, others=0, school_year=year
        )
        return set_up_group(made, plan, leaders)

    a = group(langsjo, "8A", 8, 13, 12, fourteen, pair)
    for number in range(1, 11):
        record_lesson(
            a,
            number,
            held_on=week(number),
            leaders=pair[:1] if number == 6 else pair,
            girls_present=10 if number == 7 else 13,
            boys_present=11 if number % 3 == 0 else 12,
            delivered="partly" if number == 4 else "fully",
            adaptation="Kortare pass" if number == 4 else "",
        )
    record_lesson(
        a, 2, held_on=week(12), leaders=pair[:1], girls_present=4, boys_present=5, is_repeat=True
    )
    b = group(langsjo, "8B", 8, 11, 14, fourteen, pair)
    for number in range(1, 15):
        record_lesson(
            b,
            number,
            held_on=week(number),
            boys_present=12 if number in (2, 9, 13) else 14,
            delivered="not" if number == 9 else "fully",
            adaptation="Inställt tema, samtal i stället" if number == 9 else "",
        )
    c = group(hallsta, "7A", 7, 12, 10, eleven, hallsta_pair)
    for number in range(1, 7):
        record_lesson(
            c,
            number,
            held_on=week(number),
            leaders=hallsta_pair[1:] if number == 5 else hallsta_pair,
            girls_present=11,
            delivered="partly" if number == 3 else "fully",
            adaptation="Halvklass" if number == 3 else "",
        )
    record_lesson(c, 5, held_on=week(8), is_repeat=True, leaders=hallsta_pair)
    d = group(hallsta, "9A", 9, 10, 13, fourteen, [lone])  # a pair with a leader missing
    for number in range(1, 4):
        record_lesson(d, number, held_on=week(number + 2), boys_present=13 - number)
    group(norrgard, "8A", 8, 15, 15, fourteen, [])  # has not begun
    for school, hours_held, attended in (
        (langsjo, 3, pair),
        (langsjo, 3, pair[:1]),
        (hallsta, 4.5, hallsta_pair),
        (None, 2, [lone]),
    ):
        make_training("supervision", on=week(5), hours=hours_held, school=school, attended=attended)
    return year


def test_the_fidelity_page_and_the_evaluation_show_the_same_figures(client, delivered):
    year = format_school_year(delivered)
    sign_in(client, make_user("lead"))
    page = client.get(f"/fidelity/?year={year}").get_data(as_text=True)
    data = client.get(f"/api/v1/evaluation?year={year}").json
    implementation = data["implementation"]
    json_rows = {row["name"]: row for row in implementation["schools"]}
    json_rows["Totalt"] = implementation["total"]

    rows = table_rows(page, "fidelity-schools")
    header, body = rows[0], rows[1:]
    assert header[2:11] == [
        "Hållna lektioner av planerade",
        "Dos (hållna lektioner av planerade)",
        "Med fullt ledarpar",
        "Helt enligt plan",
        "Delvis",
        "Inte enligt plan",
        "Närvaro, flickor",
        "Närvaro, pojkar",
        "Närvaro, annat eller okänt",
    ]
    assert [row[0] for row in body] == [
        "Hallsta skola",
        "Långsjöskolan",
        "Norrgårdsskolan",
        "Totalt",
    ]
    assert set(json_rows) == {row[0] for row in body}
    for row in body:
        name, groups, held, dose, pair, fully, partly, not_, girls, boys, others = row[:11]
        figures = json_rows[name]
        assert int(groups) == figures["groups"]
        assert held == f"{figures['lessons_held']} av {figures['lessons_planned']}", name
        for shown, share in (
            (dose, figures["dose"]),
            (pair, figures["full_pair_share"]),
            (fully, figures["delivered_fully"]),
            (partly, figures["delivered_partly"]),
            (not_, figures["delivered_not"]),
            (girls, figures["attendance"]["girls"]),
            (boys, figures["attendance"]["boys"]),
            (others, figures["attendance"]["others"]),
        ):
            assert same_share(shown, share), (name, shown, share)
        if name != "Totalt":
            assert hours(row[11]) == figures["supervision_hours"]
    # The page's total adds the central supervision that the evaluation reports beside it.
    total_hours = hours(body[-1][11])
    assert (
        total_hours
        == implementation["total"]["supervision_hours"]
        + implementation["central_supervision_hours"]
    )
    assert implementation["central_supervision_hours"] == 2

    # The key figures above the table, and the evaluation's summary of them.
    cards = page.split('id="programme-fidelity"')[1].split("</ul>")[0]
    shown = [text.split("</span>")[0] for text in cards.split('<span class="figure">')[1:4]]
    shown = [text.replace("\xa0", " ") for text in shown]
    key = {figure["key"]: figure["value"] for figure in data["summary"]["figures"]}
    assert same_share(shown[0], key["dose"])
    assert same_share(shown[1], key["full_pair"])
    assert same_share(shown[2], key["as_planned"])

    # The data are what the test means them to be: neither side can pass by being empty.
    total = implementation["total"]
    assert (total["lessons_held"], total["lessons_planned"]) == (10 + 14 + 6 + 3, 14 * 4 + 11)
    assert total["repeat_lessons"] == 2 and total["groups_full_dose"] == 1
    assert 0 < total["full_pair_share"] < 1 and 0 < total["delivered_partly"] < 1
    assert 0 < total["attendance"]["girls"] < 1 and 0 < total["attendance"]["boys"] < 1
