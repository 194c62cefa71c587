"""The world the access matrix runs in: an own and another school, and one user per role."""

from dataclasses import dataclass, field

from mvp.extensions import db
from mvp.main.models import AccessibilityReport
from tests.factories import make_group, make_school, make_user


@dataclass
class World:
    own_school: object = None
    other_school: object = None
    users: dict = field(default_factory=dict)
    # Area builders put their objects here: objects["own_group"], objects["other_group"], ...
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_foundation(world: World) -> None:
    world.own_school = make_school(name="Egna skolan")
    world.other_school = make_school(name="Andra skolan")
    world.objects["own_group"] = make_group(world.own_school, name="8A")
    world.objects["other_group"] = make_group(world.other_school, name="8A")
    world.users = {
        "viewer": make_user("viewer"),
        "coordinator": make_user("coordinator", schools=[world.own_school]),
        "lead": make_user("lead"),
        "admin": make_user("admin"),
    }
    world.objects["some_user"] = world.users["viewer"]
    world.objects["report"] = AccessibilityReport(description="Knappen syns inte")
    db.session.add(world.report)
    db.session.commit()


def build_delivery(world: World) -> None:
    """Leaders, trainings, a plan and a held lesson at each school, plus central ones."""
    from tests.delivery_factories import (
        make_leader,
        make_plan,
        make_training,
        record_lesson,
        set_up_group,
    )

    plan = make_plan(14)
    world.objects["plan"] = plan
    world.objects["spare_plan"] = make_plan(3)
    world.objects["own_school_obj"] = world.own_school
    world.objects["other_school_obj"] = world.other_school
    for side, school in (("own", world.own_school), ("other", world.other_school)):
        leader = make_leader(school, name=f"Ledare {side}")
        world.objects[f"{side}_leader"] = leader
        world.objects[f"{side}_training"] = make_training(
            "supervision", hours=3, school=school, attended=[leader]
        )
        group = set_up_group(world.objects[f"{side}_group"], plan, [leader])
        world.objects[f"{side}_lesson"] = record_lesson(group, 1)
    world.objects["central_leader"] = make_leader(None, name="Central ledare")


def build_surveys(world: World) -> None:
    from tests.survey_factories import add_responses, make_instrument, make_wave, response_data

    world.objects["instrument"] = make_instrument()
    world.objects["item"] = world.instrument.items[0]
    world.objects["own_wave"] = make_wave(world.own_group)
    world.objects["other_wave"] = make_wave(world.other_group)
    world.objects["own_batch"] = add_responses(world.own_wave, [response_data(world.own_wave)])
    world.objects["other_batch"] = add_responses(
        world.other_wave, [response_data(world.other_wave)]
    )


def build_goals(world: World) -> None:
    """An equality goal whose owners include the coordinator, with a typed-in indicator."""
    from tests.goals.factories import make_goal, make_indicator

    world.objects["goal"] = make_goal(owners=[world.users["coordinator"]])
    world.objects["indicator"] = make_indicator(world.goal)


def build_staff_training(world: World) -> None:
    """Two administrations with a unit each, a programme, an occasion per administration,
    and the HR contact of the own administration."""
    import datetime as dt

    from tests.staff_training_factories import make_administration, make_occasion, make_unit

    for side in ("own", "other"):
        administration = make_administration(f"{side.title()} förvaltning")
        world.objects[f"{side}_administration"] = administration
        unit = make_unit(administration, f"Enhet {side}", managers=(2, 1), staff=(10, 6))
        world.objects[f"{side}_unit"] = unit
        world.objects[f"{side}_occasion"] = make_occasion(
            [unit], audience="managers", held_on=dt.date.today() - dt.timedelta(days=7)
        )
    world.objects["programme"] = world.own_occasion.programme
    world.users["hr"] = make_user("hr", administrations=[world.own_administration])


# Each area adds its builder here; they run in order.
BUILDERS = [build_foundation, build_delivery, build_surveys, build_goals, build_staff_training]


def build_world() -> World:
    world = World()
    for builder in BUILDERS:
        builder(world)
    return world
