"""The overview: key figures of a school year, within the user's scope, suppressed for viewers."""

from mvp.main.services import overview
from mvp.schools.years import current_school_year
from tests.factories import make_group, make_school, make_user, sign_in


def test_staff_see_exact_counts_and_viewers_see_small_ones_suppressed(app):
    year = current_school_year()
    school = make_school()
    make_group(school, name="8A", girls=40, boys=38, others=3, school_year=year)
    lead_view = overview(make_user("lead"), year)
    assert lead_view.pupils_by_sex == {"girls": 40, "boys": 38, "others": 3}
    assert lead_view.pupils_total == 81
    viewer_view = overview(make_user("viewer"), year)
    assert viewer_view.pupils_by_sex == {"girls": 40, "boys": "..", "others": ".."}
    assert viewer_view.pupils_total == 81


def test_coordinators_count_only_their_schools(app):
    year = current_school_year()
    own, other = make_school(), make_school()
    make_group(own, girls=10, boys=10, others=0, school_year=year)
    make_group(other, girls=30, boys=30, others=0, school_year=year)
    figures = overview(make_user("coordinator", schools=[own]), year)
    assert (figures.schools, figures.groups, figures.pupils_total) == (1, 1, 20)


def test_the_overview_page_shows_the_figures(client):
    year = current_school_year()
    make_group(make_school(), girls=12, boys=14, others=0, school_year=year)
    sign_in(client, make_user("viewer"))
    page = client.get("/").get_data(as_text=True)
    assert "Elever i MVP-grupper efter kön" in page
    assert ">12<" in page and ">14<" in page and ">26<" in page
