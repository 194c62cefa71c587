"""Demo step: the pilot schools running MVP, the other schools at different rollout stages.

The pilot schools moved through the stages before the pilot year and are established now.
The next schools are anchoring or preparing with target terms in the coming terms, and have
the anchoring meetings, staff half-days, leader training and supervision that their stage
makes plausible; one school has paused. Every date is relative to the demo's today.
"""

import datetime as dt

from mvp.demo import DemoContext, school_day
from mvp.extensions import db
from mvp.mentors.models import Leader, Training, TrainingKind, TrainingParticipant
from mvp.rollout.models import Stage
from mvp.rollout.services import PlanData, StageData, change_stage, set_plan
from mvp.rollout.terms import term_of

# (name, role, sex) of the leaders trained for the next school to start.
NEXT_LEADERS = [
    ("Amanda Ek", "teacher", "woman"),
    ("Omar Haddad", "teacher", "man"),
    ("Lina Persson", "counsellor", "woman"),
    ("Jonas Wik", "youth_worker", "man"),
]


def _move(context: DemoContext, school_name: str, stage: Stage, day: dt.date, reason=""):
    day = min(day, context.today)
    change_stage(
        context.schools[school_name], StageData(stage.value, None, reason), actor=None, today=day
    )


def _training(
    context, kind: TrainingKind, school_name: str | None, day: dt.date, *, days: int = 1, **extra
):
    """A training on weekdays: one of several days starts on the Monday of its week."""
    day = school_day(day)
    if days > 1 and day.weekday() + days > 5:
        day -= dt.timedelta(days=day.weekday())
    training = Training(
        kind=kind.value,
        school=context.schools[school_name] if school_name else None,
        starts_on=day,
        ends_on=day + dt.timedelta(days=days - 1) if days > 1 else None,
        title=extra.pop("title", ""),
        trainer=extra.pop("trainer", "Kommunens MVP-samordnare"),
        **extra,
    )
    db.session.add(training)
    return training


def _pilot_schools(context: DemoContext) -> None:
    pilot = context.pilot_year
    for name, first_reason in (
        (
            "Långsjöskolan",
            "Pilotskola i SKR-projektet. Handledningen bokas under första terminen.",
        ),
        (
            "Hallsta skola",
            "Pilotskola i SKR-projektet; föreenkäten genomförs på papper första veckan.",
        ),
    ):
        school = context.schools[name]
        set_plan(school, PlanData(None, school.principal_name), dt.date(pilot - 1, 12, 1))
        _move(context, name, Stage.ANCHORING, dt.date(pilot, 2, 3))
        _move(context, name, Stage.PREPARING, dt.date(pilot, 4, 21))
        _move(context, name, Stage.FIRST_ROUND, dt.date(pilot, 8, 18), first_reason)
        _move(context, name, Stage.ESTABLISHED, dt.date(context.current_year, 8, 17))


def _next_schools(context: DemoContext) -> None:
    today = context.today
    now = term_of(today)
    weeks = dt.timedelta(weeks=1)

    # Norrgårdsskolan starts next term: anchored, staff informed, leaders trained.
    set_plan(context.schools["Norrgårdsskolan"], PlanData(now + 1, "Sara Holm"), today)
    _training(
        context,
        TrainingKind.ANCHORING,
        "Norrgårdsskolan",
        today - 20 * weeks,
        hours=2,
        other_attendees=4,
    )
    _move(context, "Norrgårdsskolan", Stage.ANCHORING, today - 20 * weeks)
    _training(
        context,
        TrainingKind.STAFF_HALF_DAY,
        "Norrgårdsskolan",
        today - 12 * weeks,
        hours=3.5,
        other_attendees=46,
    )
    leader_training = _training(
        context,
        TrainingKind.LEADER_TRAINING,
        None,
        today - 6 * weeks,
        days=3,
        hours=18,
        title="Ledarutbildning MVP",
        trainer="MVP Sverige",
    )
    for number, (name, role, sex) in enumerate(NEXT_LEADERS):
        leader = Leader(
            name=name,
            email=name.lower().replace(" ", ".") + "@exempelkommun.se",
            school=context.schools["Norrgårdsskolan"],
            role=role,
            sex=sex,
        )
        db.session.add(leader)
        # One of the four was ill during the training and takes the next one.
        db.session.add(
            TrainingParticipant(training=leader_training, leader=leader, attended=number != 3)
        )
    _training(
        context,
        TrainingKind.SUPERVISION,
        "Norrgårdsskolan",
        (now + 1).first_day + 10 * weeks,
        hours=3,
        trainer="MVP Sverige",
    )
    _move(context, "Norrgårdsskolan", Stage.PREPARING, today - 5 * weeks)

    # Västra skolan has held its anchoring meeting; the staff half-day is booked.
    set_plan(context.schools["Västra skolan"], PlanData(now + 2, "Mikael Öberg"), today)
    _training(context, TrainingKind.ANCHORING, "Västra skolan", today - 3 * weeks, hours=2)
    _training(context, TrainingKind.STAFF_HALF_DAY, "Västra skolan", today + 3 * weeks, hours=3.5)
    _move(context, "Västra skolan", Stage.ANCHORING, today - 3 * weeks)

    # Björkbacka skola (Agera tillsammans in grade 5) has its anchoring meeting booked.
    set_plan(context.schools["Björkbacka skola"], PlanData(now + 3, "Eva Sandberg"), today)
    _training(context, TrainingKind.ANCHORING, "Björkbacka skola", today + 2 * weeks, hours=2)
    _move(context, "Björkbacka skola", Stage.ANCHORING, today - 1 * weeks)

    # Solängsskolan is planned but has not begun; Kvarnbyskolan (F–3) has no MVP grade.
    set_plan(context.schools["Solängsskolan"], PlanData(now + 4, "Karin Åberg"), today)

    # Ekbackens gymnasium anchored, then paused when its principal left.
    set_plan(context.schools["Ekbackens gymnasium"], PlanData(None, "Lena Ahmadi"), today)
    _training(context, TrainingKind.ANCHORING, "Ekbackens gymnasium", today - 34 * weeks, hours=2)
    _move(context, "Ekbackens gymnasium", Stage.ANCHORING, today - 34 * weeks)
    _move(
        context,
        "Ekbackens gymnasium",
        Stage.PAUSED,
        today - 14 * weeks,
        "Rektorsbyte. Arbetet återupptas när den nya rektorn har tillträtt.",
    )


def seed(context: DemoContext) -> None:
    """Give every demo school its stage, target term, responsible person and history."""
    _pilot_schools(context)
    _next_schools(context)
    db.session.flush()
