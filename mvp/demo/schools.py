"""Demo step: the municipality's schools and the pilot schools' pupil groups."""

from mvp.demo import DemoContext
from mvp.schools import services
from mvp.schools.services import GroupData, SchoolData

PILOT_SCHOOLS = {
    "Långsjöskolan": SchoolData(
        name="Långsjöskolan",
        kind="7-9",
        principal_name="Annika Lindqvist",
        principal_email="annika.lindqvist@exempelkommun.se",
        pupils_by_grade={7: 118, 8: 112, 9: 109},
    ),
    "Hallsta skola": SchoolData(
        name="Hallsta skola",
        kind="F-9",
        principal_name="Johan Berglund",
        principal_email="johan.berglund@exempelkommun.se",
        pupils_by_grade={0: 44, 1: 47, 2: 45, 3: 49, 4: 46, 5: 51, 6: 48, 7: 56, 8: 53, 9: 50},
    ),
}

OTHER_SCHOOLS = [
    SchoolData(
        "Norrgårdsskolan",
        "7-9",
        "Sara Holm",
        "sara.holm@exempelkommun.se",
        {7: 142, 8: 138, 9: 131},
    ),
    SchoolData(
        "Västra skolan",
        "F-9",
        "Mikael Öberg",
        "mikael.oberg@exempelkommun.se",
        {0: 30, 1: 32, 2: 29, 3: 31, 4: 33, 5: 30, 6: 28, 7: 36, 8: 34, 9: 35},
    ),
    SchoolData(
        "Björkbacka skola",
        "F-6",
        "Eva Sandberg",
        "eva.sandberg@exempelkommun.se",
        {0: 52, 1: 55, 2: 50, 3: 54, 4: 57, 5: 53, 6: 56},
    ),
    SchoolData(
        "Solängsskolan", "4-6", "Karin Åberg", "karin.aberg@exempelkommun.se", {4: 74, 5: 71, 6: 77}
    ),
    SchoolData(
        "Kvarnbyskolan",
        "F-3",
        "Per Nilsson",
        "per.nilsson@exempelkommun.se",
        {0: 40, 1: 38, 2: 42, 3: 39},
    ),
    SchoolData(
        "Ekbackens gymnasium",
        "gymnasium",
        "Lena Ahmadi",
        "lena.ahmadi@exempelkommun.se",
        {10: 210, 11: 198, 12: 187},
    ),
]

# (school, group name, grade) per school year: "pilot" is the first round, "current" the second.
GROUPS = {
    "pilot": [
        ("Långsjöskolan", "8A", 8),
        ("Långsjöskolan", "8B", 8),
        ("Långsjöskolan", "8C", 8),
        ("Långsjöskolan", "8D", 8),
        ("Hallsta skola", "7A", 7),
        ("Hallsta skola", "8A", 8),
        ("Hallsta skola", "8B", 8),
    ],
    "current": [
        ("Långsjöskolan", "8A", 8),
        ("Långsjöskolan", "8B", 8),
        ("Långsjöskolan", "8C", 8),
        ("Långsjöskolan", "8D", 8),
        ("Långsjöskolan", "7A", 7),
        ("Hallsta skola", "8A", 8),
        ("Hallsta skola", "8B", 8),
        ("Hallsta skola", "9A", 9),
    ],
}


def seed(context: DemoContext) -> None:
    """Create every school, and groups of 20–29 pupils in the pilot schools."""
    for data in [*PILOT_SCHOOLS.values(), *OTHER_SCHOOLS]:
        context.schools[data.name] = services.create_school(data)
    for round_name, year in (("pilot", context.pilot_year), ("current", context.current_year)):
        for school_name, name, grade in GROUPS[round_name]:
            size = context.rng.randint(20, 29)
            girls = context.rng.randint(size // 2 - 3, size // 2 + 2)
            # Schools register pupils' legal sex, which is binary; "other or unknown" stays
            # empty unless a coordinator does not know. (Pupils' own answers have more options.)
            others = 0
            group = services.create_group(
                context.schools[school_name],
                GroupData(year, name, grade, girls, size - girls - others, others),
            )
            context.groups[(round_name, school_name, name)] = group
