"""The main menu: short, role by role, with the current entry marked."""

import re

from tests.factories import make_school, make_user, sign_in


def menu(client, path="/"):
    page = client.get(path).get_data(as_text=True)
    nav = page.split('aria-label="Huvudmeny"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r">([^<>]+)</a>", nav)


def test_each_role_sees_its_own_short_menu(client):
    school = make_school()
    # The equality work's three areas follow the programme's own: officials' safety (leads
    # run it, viewers read its results), the staff training and the goals (everyone reads).
    equality = ["Förtroendevalda", "Jämställdhetsutbildning", "Jämställdhetsmål"]
    school_work = ["Skolor", "Elevgrupper", "Ledare", "Genomförande", "Enkäter"]
    reader = ["Översikt", "Genomförande", "Utvärdering", "Införande"]
    expected = {
        "viewer": [*reader, *equality],
        "hr": [*reader, *equality[1:]],
        "coordinator": ["Översikt", *school_work, "Utvärdering", "Införande", *equality[1:]],
        "lead": [
            "Översikt",
            *school_work,
            "Utvärdering",
            "Införande",
            *equality,
            "Ändringslogg",
        ],
        "admin": [
            "Översikt",
            *school_work,
            "Utvärdering",
            "Införande",
            *equality,
            "Administration",
        ],
    }
    for role, entries in expected.items():
        sign_in(client, make_user(role, schools=[school] if role == "coordinator" else ()))
        assert menu(client) == entries, role


def test_administration_gathers_the_administrators_pages(client):
    sign_in(client, make_user("admin"))
    page = client.get("/admin/").get_data(as_text=True)
    for link in ('href="/admin/users"', 'href="/audit/"', 'href="/admin/feedback"'):
        assert link in page
    # The entry stays current on the pages it gathers.
    assert '<a href="/admin/" aria-current="page">Administration</a>' in client.get(
        "/admin/users"
    ).get_data(as_text=True)
