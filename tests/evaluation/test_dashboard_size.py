"""The dashboard at the scale of many schools: its size follows the design, not the data.

The overview holds one row per school in a few main tables and a link per school; answers,
groups, items and grades live on the pages of detail. So more answers leave the page's size
alone, each school adds a bounded amount, and the queries stay the same in number.
"""

import re

from mvp.bench.dataset import Scale, generate
from mvp.extensions import db
from mvp.schools.years import current_school_year, format_school_year
from tests.conftest import clean_database
from tests.factories import make_user, sign_in

# The overview's size: a fixed part (summary, sections, method) and a bounded part per school
# (its rows in the main tables and its link), in bytes. 40 schools stay under 300 KB.
FIXED_BYTES = 125_000
BYTES_PER_SCHOOL = 4_000


def _dashboard(client, count_queries, *, groups: int, schools: int) -> tuple[str, int, int]:
    clean_database()
    year = current_school_year() - 1
    # The bench's generated municipality, one school year, `groups` groups in all.
    generate(Scale("test", schools=schools, years=1, groups_per_school_year=groups // schools))
    db.session.commit()
    sign_in(client, make_user("lead"))
    url = f"/evaluation/?year={format_school_year(year)}"
    with count_queries() as first:
        html = client.get(url).get_data(as_text=True)
    with count_queries() as again:
        # The same page, but for the CSRF token: it is signed with the second it was made.
        assert _without_tokens(client.get(url).get_data(as_text=True)) == _without_tokens(html)
    return html, len(first), len(again)


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)


def test_the_dashboard_grows_with_schools_by_design_and_not_with_answers(client, count_queries):
    small, small_queries, small_again = _dashboard(client, count_queries, groups=4, schools=4)
    large, large_queries, large_again = _dashboard(client, count_queries, groups=24, schools=24)
    more, more_queries, more_again = _dashboard(client, count_queries, groups=72, schools=24)
    for html, schools in ((small, 4), (large, 24), (more, 24)):
        size = len(html.encode("utf-8"))
        assert size < FIXED_BYTES + BYTES_PER_SCHOOL * schools, (schools, size)
        assert html.count('href="/evaluation/schools/') == schools
    assert FIXED_BYTES + BYTES_PER_SCHOOL * 40 <= 300_000
    # Three times the answers at the same schools: the same page but for its figures.
    assert abs(len(more) - len(large)) < 0.03 * len(large)
    # The queries do not grow with schools or answers; a repeated view runs a few only.
    assert small_queries == large_queries == more_queries
    # (one of them asks whether any cohort has new answers to pair: mvp.surveys.pairing)
    assert small_again == large_again == more_again <= 7


def test_pages_of_detail_carry_the_item_and_school_tables(client, count_queries):
    html, *_ = _dashboard(client, count_queries, groups=24, schools=24)
    year = format_school_year(current_school_year() - 1)
    section = client.get(f"/evaluation/section/effectiveness?year={year}")
    assert section.status_code == 200
    text = section.get_data(as_text=True)
    assert "Skalor efter skola: ihopkopplade elever" in text
    assert "Skalor efter skola: ihopkopplade elever" not in html.split("Alla tabeller om effekt")[0]
    # Every table keeps its caption and column headers, and the list at the top leads to it.
    assert text.count("<table") == text.count("<caption") == text.count("<thead>") > 5
    # A table of nothing but ".." is one line (with the table's anchor) instead of a table.
    assert text.count('<li><a href="#t-') == text.count("<table") + text.count('"table-empty"')
