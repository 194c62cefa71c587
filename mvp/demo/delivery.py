"""Demo step: MVP leaders, their trainings, lesson plans, leader pairs and held lessons.

The pilot round (the previous school year) was prepared in the Swedish order — anchoring
meeting, staff half-day, the 3-day leader training — and supervised three times during the
round. Its groups are mostly complete: a few lessons delivered partly (with adaptation notes)
and one group that missed two lessons. The current round is under way up to today, with two
groups behind the weekly pace, a leader not yet trained and one due for a refresher.
Everything goes through the services, so the demo obeys the same rules as a user.
"""

import datetime as dt

import sqlalchemy as sa

from mvp.demo import DemoContext, school_day
from mvp.extensions import db
from mvp.lessons import services as lesson_services
from mvp.lessons.models import Curriculum, Delivery
from mvp.lessons.services import LessonData, SetupData
from mvp.mentors import services as mentor_services
from mvp.mentors.models import LeaderRole, Sex, TrainingKind
from mvp.mentors.services import ATTENDED, REGISTERED, LeaderData, TrainingData

LANGSJO, HALLSTA = "Långsjöskolan", "Hallsta skola"
PLAN = "MVP högstadiet"
TRAINER = "Helena Strömberg"

# (name, role, sex, joined): "pilot" leaders were trained before the pilot round, "earlier"
# ones years before it, "current" ones this August; "untrained" waits for January's training.
LEADERS = {
    LANGSJO: [
        ("Karin Ek", LeaderRole.TEACHER, Sex.WOMAN, "pilot"),
        ("Ahmed Yusuf", LeaderRole.TEACHER, Sex.MAN, "pilot"),
        ("Lena Björk", LeaderRole.COUNSELLOR, Sex.WOMAN, "pilot"),
        ("Jonas Holm", LeaderRole.TEACHER, Sex.MAN, "pilot"),
        ("Sara Lind", LeaderRole.SCHOOL_NURSE, Sex.WOMAN, "pilot"),
        ("Mikael Sund", LeaderRole.YOUTH_WORKER, Sex.MAN, "pilot"),
        ("Elin Nyberg", LeaderRole.TEACHER, Sex.WOMAN, "pilot"),
        ("Petra Ås", LeaderRole.SCHOOL_LEADER, Sex.WOMAN, "earlier"),
    ],
    HALLSTA: [
        ("Maria Olsson", LeaderRole.TEACHER, Sex.WOMAN, "pilot"),
        ("Daniel Berg", LeaderRole.TEACHER, Sex.MAN, "pilot"),
        ("Fatima Hassan", LeaderRole.COUNSELLOR, Sex.WOMAN, "pilot"),
        ("Erik Strand", LeaderRole.YOUTH_WORKER, Sex.MAN, "pilot"),
        ("Anna Wikström", LeaderRole.TEACHER, Sex.WOMAN, "pilot"),
        ("Robin Ek", LeaderRole.TEACHER, Sex.OTHER, "pilot"),
        ("Johanna Falk", LeaderRole.SCHOOL_NURSE, Sex.WOMAN, "current"),
        ("Nils Åkesson", LeaderRole.TEACHER, Sex.MAN, "untrained"),
    ],
}

# Leader pairs per (round, school, group).
PAIRS = {
    ("pilot", LANGSJO, "8A"): ("Karin Ek", "Ahmed Yusuf"),
    ("pilot", LANGSJO, "8B"): ("Lena Björk", "Jonas Holm"),
    ("pilot", LANGSJO, "8C"): ("Sara Lind", "Mikael Sund"),
    ("pilot", LANGSJO, "8D"): ("Elin Nyberg", "Karin Ek"),
    ("pilot", HALLSTA, "7A"): ("Maria Olsson", "Daniel Berg"),
    ("pilot", HALLSTA, "8A"): ("Fatima Hassan", "Erik Strand"),
    ("pilot", HALLSTA, "8B"): ("Anna Wikström", "Robin Ek"),
    ("current", LANGSJO, "8A"): ("Karin Ek", "Ahmed Yusuf"),
    ("current", LANGSJO, "8B"): ("Lena Björk", "Jonas Holm"),
    ("current", LANGSJO, "8C"): ("Sara Lind", "Mikael Sund"),
    ("current", LANGSJO, "8D"): ("Elin Nyberg", "Mikael Sund"),
    ("current", LANGSJO, "7A"): ("Ahmed Yusuf", "Petra Ås"),
    ("current", HALLSTA, "8A"): ("Maria Olsson", "Daniel Berg"),
    ("current", HALLSTA, "8B"): ("Fatima Hassan", "Nils Åkesson"),
    ("current", HALLSTA, "9A"): ("Anna Wikström", "Johanna Falk"),
}

# How each group's lessons went: the weeks between lessons, lessons not held, lessons
# delivered partly or not (with the note), and repeats.
PILOT_STORIES = {
    (LANGSJO, "8B"): {"repeat": {5: "Repeterades för de elever som var på studiebesök."}},
    (LANGSJO, "8C"): {
        "partly": {6: "Brandlarm mitt i lektionen; vi hann bara det första scenariot."}
    },
    (LANGSJO, "8D"): {
        "not": {
            11: "Lektionen blev ett samtal om en händelse i klassen i stället för planens scenario."
        }
    },
    (HALLSTA, "7A"): {
        "partly": {10: "Scenariot om samtycke anpassades till årskurs 7 och kortades."}
    },
    (HALLSTA, "8B"): {
        "missed": {9, 12},
        "notes": {10: "Lektion 9 ställdes in när båda ledarna var sjuka."},
    },
}
CURRENT_STORIES = {
    (LANGSJO, "8D"): {"every": 2},
    (HALLSTA, "8B"): {"start_offset": 28, "every": 2},
    # Two lessons in one week twice in the autumn, so it finishes first and gets its after
    # questionnaire.
    (LANGSJO, "8A"): {
        "double": {3, 8},
        "partly": {4: "Halva klassen var på prao; diskussionen blev kort."},
    },
}
# Half-group work: single-sex for the lessons on harassment and consent, mixed otherwise.
HALF_GROUPS = {4: False, 6: True, 7: False, 10: True}


def seed(context: DemoContext) -> None:
    """Leaders, trainings, plans, pairs and lessons for both pilot schools."""
    lead = context.users["lead"]
    lesson_services.load_standard_plans()
    leaders = _leaders(context, lead)
    context.extra["leaders"] = leaders
    _trainings(context, lead, leaders)
    plan = _plan(context)
    for (round_name, school, name), group in context.groups.items():
        first, second = PAIRS[(round_name, school, name)]
        lesson_services.update_setup(
            group, SetupData(plan.id, leaders[first].id, leaders[second].id)
        )
    for (round_name, school, name), group in context.groups.items():
        stories = PILOT_STORIES if round_name == "pilot" else CURRENT_STORIES
        _lessons(context, group, len(plan.lessons), stories.get((school, name), {}))


def _plan(context: DemoContext) -> Curriculum:
    plan = db.session.scalar(sa.select(Curriculum).where(Curriculum.name == PLAN))
    context.extra["plan"] = plan
    return plan


def _leaders(context: DemoContext, lead) -> dict:
    leaders = {
        TRAINER: mentor_services.create_leader(
            LeaderData(
                TRAINER,
                None,
                LeaderRole.OTHER,
                Sex.WOMAN,
                email="helena.stromberg@exempelkommun.se",
            ),
            user=lead,
        )
    }
    for school, people in LEADERS.items():
        for name, role, sex, _joined in people:
            email = (
                name.lower().replace(" ", ".").translate(str.maketrans("åäöé", "aaoe"))
                + "@exempelkommun.se"
            )
            leaders[name] = mentor_services.create_leader(
                LeaderData(name, context.schools[school].id, role, sex, email=email),
                user=lead,
            )
    return leaders


def _joined(kind: str) -> list[str]:
    return [
        name for people in LEADERS.values() for name, _r, _s, joined in people if joined == kind
    ]


def _school_people(school: str, *kinds: str) -> list[str]:
    return [name for name, _r, _s, joined in LEADERS[school] if joined in kinds]


def _trainings(context: DemoContext, lead, leaders: dict) -> None:
    pilot, current = context.pilot_year, context.current_year

    def add(kind, day, hours, people, *, school=None, absent=(), days=1, **extra) -> None:
        """A training; its people attended if it has taken place, else they are registered.

        It falls on weekdays: a training of several days starts on the Monday of its week."""
        day = school_day(day)
        if days > 1 and day.weekday() + days > 5:
            day -= dt.timedelta(days=day.weekday())
        data = TrainingData(
            kind,
            day,
            hours,
            school_id=context.schools[school].id if school else None,
            ends_on=day + dt.timedelta(days=days - 1) if days > 1 else None,
            trainer=extra.pop("trainer", TRAINER),
            **extra,
        )
        training = mentor_services.create_training(data, user=lead, today=context.today)
        held = day <= context.today
        statuses = {
            leaders[name].id: ATTENDED if held and name not in absent else REGISTERED
            for name in people
        }
        mentor_services.set_participants(lead, training, statuses, today=context.today)

    def leader_training(day, title, people, trainer=TRAINER) -> None:
        add(TrainingKind.LEADER_TRAINING, day, 21, people, days=3, title=title, trainer=trainer)

    # Years before the pilot the trainer and Långsjö's principal took a leader training; the
    # trainer has had a refresher since.
    leader_training(
        dt.date(pilot - 4, 8, 12),
        "Ledarutbildning i grannkommunen",
        [TRAINER, "Petra Ås"],
        "MVP Sverige",
    )
    add(
        TrainingKind.REFRESHER,
        dt.date(pilot - 1, 10, 8),
        7,
        [TRAINER],
        title="Fortbildning för lokala utbildare",
        trainer="MVP Sverige",
    )
    # Before the pilot round, school by school: the leadership, then all staff.
    for offset, school in enumerate((LANGSJO, HALLSTA)):
        people = _school_people(school, "pilot", "earlier")
        leadership = [name for name in people if name == "Petra Ås"]
        anchoring = dt.date(pilot, 3, 10 + 7 * offset)
        add(TrainingKind.ANCHORING, anchoring, 1.5, leadership, school=school, other_attendees=3)
        half_day = dt.date(pilot, 5, 20 + 7 * offset)
        add(
            TrainingKind.STAFF_HALF_DAY,
            half_day,
            3.5,
            people,
            school=school,
            title="Personalens halvdag om MVP",
            other_attendees=44 - 6 * offset,
        )
    leader_training(dt.date(pilot, 8, 10), "Ledarutbildning inför pilotomgången", _joined("pilot"))
    # Supervision during the pilot round: three sessions of three hours per school.
    pilot_sessions = (dt.date(pilot, 10, 14), dt.date(pilot + 1, 1, 20), dt.date(pilot + 1, 4, 7))
    for number, day in enumerate(pilot_sessions, 1):
        for offset, school in enumerate((LANGSJO, HALLSTA)):
            people = _school_people(school, "pilot")
            add(
                TrainingKind.SUPERVISION,
                day + dt.timedelta(days=offset),
                3,
                people,
                school=school,
                absent=people[number::4],
                title=f"Handledning {number}",
            )
    # The current round: new leaders trained in August, supervision this autumn and next
    # spring, and the next leader training planned for January.
    leader_training(dt.date(current, 8, 11), "Ledarutbildning för nya ledare", _joined("current"))
    for day in (dt.date(current, 10, 13), dt.date(current + 1, 2, 9)):
        for offset, school in enumerate((LANGSJO, HALLSTA)):
            add(
                TrainingKind.SUPERVISION,
                day + dt.timedelta(days=offset),
                3,
                _school_people(school, "pilot", "earlier", "current", "untrained"),
                school=school,
                absent=["Nils Åkesson"],
                title="Handledning",
            )
    leader_training(
        dt.date(current + 1, 1, 19), "Ledarutbildning, vårens omgång", _joined("untrained")
    )


def _is_break(day: dt.date) -> bool:
    """Autumn, Christmas and winter breaks, when no lessons are held."""
    week = day.isocalendar().week
    christmas = (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day < 9)
    return week in (44, 8) or christmas


def _lessons(context: DemoContext, group, planned: int, story: dict) -> None:
    rng = context.rng
    offset = rng.randint(0, 14) + story.get("start_offset", 0)
    start = school_day(dt.date(group.school_year, 8, 25) + dt.timedelta(days=offset))
    step = dt.timedelta(weeks=story.get("every", 1))
    pair = [leader.id for leader in group.leader_pair]
    day = start
    missed = story.get("missed", set())
    for number in range(1, planned + 1):
        while _is_break(day):
            day += dt.timedelta(weeks=1)
        day = school_day(day)
        if day > context.today:
            return
        if number in missed:
            day += step
            continue
        _hold(context, group, pair, number, day, story)
        if number in story.get("repeat", {}):
            again = school_day(day + dt.timedelta(days=2))
            if again <= context.today:
                _hold(context, group, pair, number, again, story, repeat=True)
        # A "double" lesson is followed by the next one two days later, in the same week.
        day += dt.timedelta(days=2) if number in story.get("double", ()) else step


def _hold(context, group, pair, number, day, story, *, repeat=False) -> None:
    rng = context.rng
    delivered, adaptation = Delivery.FULLY, ""
    if number in story.get("partly", {}) and not repeat:
        delivered, adaptation = Delivery.PARTLY, story["partly"][number]
    if number in story.get("not", {}) and not repeat:
        delivered, adaptation = Delivery.NOT, story["not"][number]
    present = [
        max(0, count - rng.choice([0, 0, 0, 1, 1, 2, 3]))
        for count in (group.girls, group.boys, group.others)
    ]
    if repeat:
        present = [min(count, 3) for count in present]
    # Now and then one of the pair is away (ill, or covering a colleague's class).
    led = pair if rng.random() > 0.08 else pair[:1]
    notes = story.get("notes", {}).get(number, "")
    if repeat:
        notes = story["repeat"][number]
    lesson_services.create_lesson(
        group,
        LessonData(
            number=number,
            held_on=day,
            leader_ids=led,
            girls_present=present[0],
            boys_present=present[1],
            others_present=present[2],
            minutes=rng.choice([60, 60, 60, 55, 50]),
            is_repeat=repeat,
            half_groups=number in HALF_GROUPS,
            single_sex=HALF_GROUPS.get(number, False),
            delivered=delivered,
            adaptation=adaptation,
            notes=notes,
        ),
        today=context.today,
    )
