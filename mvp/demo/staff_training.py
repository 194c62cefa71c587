"""Demo step: the gender-equality training in two administrations.

The management is partly trained: Individ- och familjeomsorg has all its managers trained,
Hemtjänst Norr one of two, so the staff occasion a month ago is flagged "chefer först" for
Hemtjänst Norr; in Barn- och utbildningsförvaltningen all managers are trained but one at
Förskoleområde Norr, ahead of a planned staff occasion. Staff trained in the earlier round
(2019) are due a refresher. Every date is relative to the demo's today.
"""

import datetime as dt

from mvp.auth import services as auth_services
from mvp.demo import DemoContext, school_day
from mvp.extensions import db
from mvp.organisation.models import Administration
from mvp.staff_training.models import AttendanceCount, Occasion, OrgUnit, Participant, Programme

# administration -> [(unit, managers (women, men), all staff (women, men))]
UNITS = {
    "Socialförvaltningen": [
        ("Individ- och familjeomsorg", (3, 1), (40, 12)),
        ("Hemtjänst Norr", (2, 0), (55, 9)),
    ],
    "Barn- och utbildningsförvaltningen": [
        ("Förskoleområde Norr", (3, 1), (48, 6)),
        ("Grundskoleområde Söder", (2, 2), (60, 25)),
    ],
}

PROGRAMMES = [
    ("Grundutbildning i jämställdhetsintegrering", "basic"),
    ("Ledarutbildning: jämställdhet i organisation, kultur och ekonomi", "leadership"),
    ("Repetition: jämställdhetsintegrering och normmedvetet arbetssätt", "refresher"),
]

# (unit, name, sex) of managers trained this year at the managers' occasion.
MANAGERS_TRAINED = [
    ("Individ- och familjeomsorg", "Maja Sjöberg", "woman"),
    ("Individ- och familjeomsorg", "Petra Nyström", "woman"),
    ("Individ- och familjeomsorg", "Ulrika Falk", "woman"),
    ("Individ- och familjeomsorg", "Henrik Dahl", "man"),
    ("Hemtjänst Norr", "Sofia Lindqvist", "woman"),
    ("Förskoleområde Norr", "Elin Forsberg", "woman"),
    ("Förskoleområde Norr", "Anneli Holm", "woman"),
    ("Förskoleområde Norr", "Mats Engström", "man"),
    ("Grundskoleområde Söder", "Karin Björk", "woman"),
    ("Grundskoleområde Söder", "Lotta Sandberg", "woman"),
    ("Grundskoleområde Söder", "Johan Berglund", "man"),
    ("Grundskoleområde Söder", "Ali Karimi", "man"),
]

HR_ACCOUNT = ("hr.social@exempelkommun.se", "Hanna HR-kontakt", "Socialförvaltningen")


def _email(name: str) -> str:
    table = str.maketrans("åäöé", "aaoe")
    return name.lower().translate(table).replace(" ", ".") + "@exempelkommun.se"


def seed(context: DemoContext) -> None:
    """Administrations, units, programmes, occasions and attendance, and an HR contact."""
    today = context.today
    administrations, units = {}, {}
    for administration_name, unit_rows in UNITS.items():
        administration = Administration(name=administration_name)
        db.session.add(administration)
        administrations[administration_name] = administration
        for name, managers, staff in unit_rows:
            unit = OrgUnit(
                administration=administration,
                name=name,
                managers_women=managers[0],
                managers_men=managers[1],
                staff_women=staff[0],
                staff_men=staff[1],
            )
            db.session.add(unit)
            units[name] = unit
    programmes = {}
    for name, kind in PROGRAMMES:
        programmes[kind] = Programme(name=name, kind=kind)
        db.session.add(programmes[kind])

    def occasion(kind, day, audience, unit_names, hours=3.0, trainer="Jämställdhetsstrategen"):
        record = Occasion(
            programme=programmes[kind],
            held_on=school_day(day),
            hours=hours,
            audience=audience,
            trainer=trainer,
            units=[units[n] for n in unit_names],
        )
        db.session.add(record)
        return record

    def person(record, unit_name, name, role, sex, attended=True):
        db.session.add(
            Participant(
                occasion=record,
                unit=units[unit_name] if unit_name else None,
                name=name,
                email=_email(name),
                role=role,
                sex=sex,
                attended=attended,
            )
        )

    # The earlier round, until December 2019: staff trained then are due a refresher now.
    earlier = occasion(
        "basic", dt.date(2019, 11, 12), "staff", ["Individ- och familjeomsorg", "Hemtjänst Norr"]
    )
    person(earlier, "Individ- och familjeomsorg", "Gunilla Ek", "staff", "woman")
    person(earlier, "Individ- och familjeomsorg", "Tomas Nord", "staff", "man")
    earlier.counts.append(
        AttendanceCount(unit=units["Hemtjänst Norr"], role="staff", sex="woman", attended=6)
    )

    politicians = occasion("basic", today - dt.timedelta(days=120), "politicians", [], hours=2)
    for name, sex in (("Birgitta Ström", "woman"), ("Lars Öberg", "man"), ("Yasmin Ali", "woman")):
        person(politicians, None, name, "staff", sex)

    all_units = [name for rows in UNITS.values() for name, _m, _s in rows]
    management = occasion("leadership", today - dt.timedelta(days=100), "management", all_units)
    person(management, "Individ- och familjeomsorg", "Henrik Dahl", "manager", "man")
    person(management, "Grundskoleområde Söder", "Karin Björk", "manager", "woman")

    managers = occasion("leadership", today - dt.timedelta(days=75), "managers", all_units, hours=6)
    for unit_name, name, sex in MANAGERS_TRAINED:
        person(managers, unit_name, name, "manager", sex)
    person(managers, "Hemtjänst Norr", "Emma Lund", "manager", "woman", attended=False)

    # A month ago: staff of Socialförvaltningen; Hemtjänst Norr's managers were not all there.
    staff = occasion(
        "basic",
        today - dt.timedelta(days=30),
        "staff",
        ["Individ- och familjeomsorg", "Hemtjänst Norr"],
    )
    for unit_name, women, men in (("Individ- och familjeomsorg", 14, 5), ("Hemtjänst Norr", 12, 3)):
        staff.counts.append(
            AttendanceCount(unit=units[unit_name], role="staff", sex="woman", attended=women)
        )
        staff.counts.append(
            AttendanceCount(unit=units[unit_name], role="staff", sex="man", attended=men)
        )
    # Planned: staff of Barn- och utbildningsförvaltningen.
    occasion(
        "basic",
        today + dt.timedelta(days=21),
        "staff",
        ["Förskoleområde Norr", "Grundskoleområde Söder"],
    )
    db.session.flush()

    email, name, administration_name = HR_ACCOUNT
    password = auth_services.generate_password()
    user, _ = auth_services.create_user(
        email=email,
        role="hr",
        name=name,
        password=password,
        administration_ids=[administrations[administration_name].id],
    )
    context.users["hr"] = user
    context.passwords[email] = ("hr", password)
    context.extra["staff_occasion"] = staff
    _questionnaire(context, programmes["leadership"], managers.held_on)


def _questionnaire(context: DemoContext, programme: Programme, day: dt.date) -> None:
    """The managers' course asked before and after: anonymous answers by sex, a little more
    agreement afterwards (drawn from the step's own seeded random source)."""
    from mvp.staff_training import questionnaire
    from mvp.surveys.answers import ResponseData, store_responses
    from mvp.surveys.coding import Coded
    from mvp.surveys.services import instrument_items

    rng = context.rng_for("staff_training")
    for phase, opens_on, leaning in (
        (questionnaire.BEFORE, day - dt.timedelta(days=7), 0.0),
        (questionnaire.AFTER, day + dt.timedelta(days=14), 0.6),
    ):
        opens_on = min(opens_on, context.today)
        wave = questionnaire.open_wave(programme.id, phase, opens_on, opens_on).wave
        items = instrument_items(wave.instrument_id)
        rows = []
        for sex, people in (("woman", 9), ("man", 6), ("no_answer", 1)):
            for _person in range(people):
                # 1 = "stämmer helt och hållet" … 4 = "stämmer inte alls".
                answers = {
                    item.id: Coded(max(1, min(4, round(rng.gauss(2.8 - 1.2 * leaning, 0.8)))))
                    for item in items
                }
                rows.append(ResponseData(sex, None, answers))
        store_responses(wave, rows, source="online", answered_on=opens_on)
