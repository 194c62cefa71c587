"""Demo step: the municipality's political bodies, their seats and three yearly rounds of the
elected officials' safety survey with a plausible trend (women's sense of safety rising from
a lower level than men's, exposure slowly falling).

The two earlier rounds are closed; this year's is open, about two thirds answered. Answers go
through the engine's code path: codes are made per seat and one is used per answer, so the
response rate the lead sees is the codes'. Two national reference values from BRÅ's PTU.
"""

import datetime as dt

from mvp.demo import DemoContext
from mvp.extensions import db
from mvp.officials import services
from mvp.surveys import single_use
from mvp.surveys.answers import ResponseData, instrument_items, store_responses
from mvp.surveys.coding import Coded
from mvp.surveys.models import Source

# (name, kind, ordinary seats, substitutes) — a chair is one of the ordinary seats, counted
# as chair.
BODIES = [
    ("Kommunfullmäktige", "assembly", 51, 26),
    ("Kommunstyrelsen", "executive", 13, 7),
    ("Barn- och utbildningsnämnden", "committee", 11, 6),
    ("Socialnämnden", "committee", 11, 6),
    ("Bygg- och miljönämnden", "committee", 9, 5),
    ("Kommunfastigheter AB, styrelsen", "company_board", 7, 3),
]
# Per year back from now: share of women among seat holders, and the chance to feel safe
# (of those choosing a step), to have been exposed, to worry, to consider leaving, by sex.
TREND = {
    2: {"women": 0.44, "safe": (0.58, 0.76), "exposed": (0.36, 0.30), "leave": (0.16, 0.08)},
    1: {"women": 0.45, "safe": (0.62, 0.78), "exposed": (0.33, 0.29), "leave": (0.14, 0.08)},
    0: {"women": 0.46, "safe": (0.69, 0.80), "exposed": (0.30, 0.27), "leave": (0.12, 0.07)},
}
RESPONSE_RATE = {2: 0.68, 1: 0.66, 0: 0.55}


def _seats(context: DemoContext, year: int, bodies, share_women: float, rng) -> list[tuple]:
    """Seat holders (sex, kind) of the year, and the counts saved for it."""
    grid, holders = {}, []
    for body, (_name, _kind, ordinary, substitutes) in zip(bodies, BODIES, strict=True):
        for kind, count in (("chair", 1), ("ordinary", ordinary - 1), ("substitute", substitutes)):
            women = round(count * share_women + rng.uniform(-0.6, 0.6))
            women = max(0, min(count, women))
            others = 1 if kind == "substitute" and body.kind == "assembly" and year % 2 else 0
            men = count - women - others
            for sex, n in (("woman", women), ("man", men), ("other", others)):
                if n:
                    grid[(body.id, kind, sex)] = n
                    holders += [(sex, kind)] * n
    services.save_seats(year, grid)
    return holders


def _quota(rng, n: int, share: float) -> list[bool]:
    """n flags of which round(n × share) are true, in random order: the year's figure is then
    the planned one (not a coin's), so the demo's trend is the same on every run."""
    flags = [k < round(n * share) for k in range(n)]
    rng.shuffle(flags)
    return flags


def _answer(rng, sex: str, kind: str, trend: dict, items: dict, safe: bool) -> ResponseData:
    stated = sex if rng.random() > 0.02 else "no_answer"
    i = 0 if sex == "woman" else 1
    a: dict[str, Coded] = {}

    def put(key, value):
        a[items[key]] = Coded(value, False)

    if rng.random() < 0.06:
        a[items["trygg"]] = Coded(None, True)  # "Vet inte"
    else:
        put("trygg", rng.choice((3, 4)) if safe else rng.choice((1, 2, 2)))
    exposed = rng.random() < trend["exposed"][i] * (1.4 if kind == "chair" else 1)
    kinds = ["utsatt_trakasserier", "utsatt_hot", "utsatt_vald", "utsatt_skadegorelse"]
    chosen = {"utsatt_trakasserier"} if exposed else set()
    if exposed and rng.random() < 0.45:
        chosen.add("utsatt_hot")
    if exposed and rng.random() < 0.05:
        chosen.add("utsatt_vald")
    if exposed and rng.random() < 0.08:
        chosen.add("utsatt_skadegorelse")
    for key in kinds:
        put(key, 1 if key in chosen else 0)
    if exposed:
        put("kanal_person", int(rng.random() < 0.35))
        put("kanal_sociala", int(rng.random() < 0.7))
        put("kanal_epost", int(rng.random() < 0.45))
        put("kanal_telefon", int(rng.random() < 0.15))
        put("kanal_brev", int(rng.random() < 0.1))
        put("anmalt_polis", int(rng.random() < 0.2))
        put("fatt_stod", int(rng.random() < 0.55))
    worried = rng.random() < (0.42 if i == 0 else 0.28) + (0.2 if exposed else 0)
    put("oro", rng.choice((3, 4)) if worried else rng.choice((1, 2)))
    put("undvikit_fraga", int(rng.random() < (0.18 if exposed else 0.06)))
    put("sjalvcensur", int(rng.random() < (0.22 if exposed else 0.07)))
    put("overvagt_lamna", int(rng.random() < trend["leave"][i] * (1.8 if exposed else 0.7)))
    put("uppdrag", 2 if kind == "substitute" else 1)
    put("ordforande", 1 if kind == "chair" else 2)
    put("ar_i_politiken", rng.choice((1, 1, 2, 2, 2, 3)))
    return ResponseData(stated, None, a)


def seed(context: DemoContext) -> None:
    """Bodies, three years of seats, three rounds with answers, two reference values."""
    rng = context.rng_for("officials")
    bodies = [services.create_body(services.BodyData(n, k)) for n, k, _o, _s in BODIES]
    this_year = context.today.year
    for back in (2, 1, 0):
        year, trend = this_year - back, TREND[back]
        holders = _seats(context, year, bodies, trend["women"], rng)
        if back:
            opens = dt.date(year, 10, 1)
            closes = dt.date(year, 10, 31)
        else:
            opens = context.today - dt.timedelta(days=12)
            closes = context.today + dt.timedelta(days=16)
        round_ = services.create_round(services.RoundData(year, opens, closes, 5))
        codes = single_use.issue_codes(round_.wave, len(holders))
        items = {i.key: i.id for i in instrument_items(round_.wave.instrument_id)}
        answering = [h for h in holders if rng.random() < RESPONSE_RATE[back]]
        flags = {
            sex: iter(_quota(rng, sum(1 for s, _k in answering if s == sex), trend["safe"][i]))
            for i, sex in enumerate(("woman", "man"))
        }
        flags["other"] = iter(_quota(rng, len(answering), 0.7))
        rows = [_answer(rng, sex, kind, trend, items, next(flags[sex])) for sex, kind in answering]
        for code in codes[: len(rows)]:
            single_use.redeem(round_.wave, code)
        store_responses(
            round_.wave,
            rows,
            source=Source.ONLINE.value,
            answered_on=min(opens + dt.timedelta(days=9), context.today),
        )
        if back:
            round_.closed = True
    for measure, percent, year, source in (
        ("exposed", 33.0, 2018, "Brå, Politikernas trygghetsundersökning 2019"),
        ("exposed", 29.0, 2022, "Brå, Politikernas trygghetsundersökning 2023"),
    ):
        services.add_reference(services.ReferenceData(measure, "all", percent, year, source))
    db.session.flush()
