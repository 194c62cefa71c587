"""Access rules of the elected officials' safety survey: leads and administrators run it and
read everything; viewers read the suppressed results only; coordinators do not see the area
(403). The officials' answer pages are public (the single-use code is the key)."""

from tests.access import FORBIDDEN, OK, PUBLIC, Rule, expect

MANAGE = expect()
# An HR contact (staff training) works with staff, not politicians: like a coordinator, no access.
READERS = expect(viewer=OK, hr=FORBIDDEN)


def _officials(w):
    """A body with seats, an open round with codes, and a reference value (built once)."""
    if "official_round" not in w.objects:
        from mvp.extensions import db
        from mvp.officials import services
        from tests.officials_factories import make_body, make_round, set_seats

        body = make_body("Socialnämnden", "committee")
        set_seats(2026, body, ordinary_woman=3, ordinary_man=3)
        round_ = make_round(2026)
        w.objects["official_codes"] = services.make_codes(round_)
        w.objects["official_reference"] = services.add_reference(
            services.ReferenceData("safe", "all", 71.0, 2024, "Brå")
        )
        db.session.commit()
        w.objects["official_body"] = body
        w.objects["official_round"] = round_
    return w


def _round_url(tail=""):
    return lambda w: f"/officials/rounds/{_officials(w).official_round.id}{tail}"


RULES = {
    "officials.index": Rule(lambda w: "/officials/", READERS),
    "officials.body_new": Rule(lambda w: "/officials/bodies/new", MANAGE),
    "officials.body_new POST": Rule(
        lambda w: "/officials/bodies/new", MANAGE, data=lambda w: {"name": "", "kind": "committee"}
    ),
    "officials.body_edit": Rule(
        lambda w: f"/officials/bodies/{_officials(w).official_body.id}/edit", MANAGE
    ),
    "officials.body_edit POST": Rule(
        lambda w: f"/officials/bodies/{_officials(w).official_body.id}/edit",
        MANAGE,
        data=lambda w: {"name": "", "kind": "committee"},
    ),
    "officials.seats": Rule(lambda w: "/officials/seats/2026", MANAGE),
    "officials.seats POST": Rule(lambda w: "/officials/seats/2026", MANAGE, data=lambda w: {}),
    "officials.seats_import": Rule(lambda w: "/officials/seats/import", MANAGE),
    "officials.seats_import POST": Rule(
        lambda w: "/officials/seats/import", MANAGE, data=lambda w: {}
    ),
    "officials.seats_template": Rule(lambda w: "/officials/seats/template.csv", MANAGE),
    "officials.round_new": Rule(lambda w: "/officials/rounds/new", MANAGE),
    "officials.round_new POST": Rule(lambda w: "/officials/rounds/new", MANAGE, data=lambda w: {}),
    "officials.round_page": Rule(_round_url(), MANAGE),
    "officials.round_codes POST": Rule(_round_url("/codes"), MANAGE, data=lambda w: {}),
    "officials.round_close POST": Rule(_round_url("/close"), MANAGE, data=lambda w: {}),
    "officials.round_threshold POST": Rule(
        _round_url("/threshold"), MANAGE, data=lambda w: {"suppression_min": "6"}
    ),
    "officials.references": Rule(lambda w: "/officials/references", MANAGE),
    "officials.references POST": Rule(lambda w: "/officials/references", MANAGE, data=lambda w: {}),
    "officials.reference_delete POST": Rule(
        lambda w: f"/officials/references/{_officials(w).official_reference.id}/delete",
        MANAGE,
        data=lambda w: {},
    ),
    "officials.results_page": Rule(lambda w: "/officials/results", READERS),
    "officials.results_pdf": Rule(lambda w: "/officials/results.pdf", READERS),
    "officials.results_xlsx": Rule(lambda w: "/officials/results.xlsx", READERS),
    "officials.results_json": Rule(lambda w: "/officials/api/results.json", READERS),
    "official_answer.start": Rule(lambda w: "/f", PUBLIC),
    "official_answer.start POST": Rule(
        lambda w: "/f", PUBLIC, data=lambda w: {"kod": _officials(w).official_codes[0]}
    ),
    "official_answer.page": Rule(lambda w: "/f/sida/1", PUBLIC),
    "official_answer.page POST": Rule(lambda w: "/f/sida/1", PUBLIC, data=lambda w: {}),
    "official_answer.send POST": Rule(lambda w: "/f/skicka", PUBLIC, data=lambda w: {}),
    "official_answer.thanks": Rule(lambda w: "/f/tack", PUBLIC),
}
