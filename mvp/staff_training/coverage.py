"""Who is trained: coverage by unit, role and sex, managers first, and refreshers due.

Every figure is defined here once, read from three aggregate queries (`load_records`), and
computed by pure functions that the pages, the year's status report and the tests share.

- A person is *trained* once they attended an occasion that has been held (its day is not
  after the day asked about). People are told apart by e-mail, else by name.
- Counted attendance (HR keeps no names) adds to the unit's trained people only from
  programmes that are not refreshers (a refresher renews people already counted).
- A unit's trained people of a role and sex never exceed its headcount (staff move on and
  are replaced; the headcount is HR's latest).
- The *managers' share* of a unit is its trained managers over its managers; the unit is
  *ready for staff training* when that share reaches STAFF_TRAINING_MANAGERS_FIRST (default
  0.8). A staff occasion that invites a unit not ready on its day is flagged "chefer först".
- A person's refresher is *due* REFRESHER_YEARS after their latest occasion attended (any
  programme); a counted group's, after the day it was counted.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from mvp.extensions import db
from mvp.mentors.models import Sex
from mvp.mentors.services import years_before
from mvp.organisation.models import Administration
from mvp.staff_training.models import (
    AUDIENCE_ORDER,
    HEADCOUNT_SEXES,
    AttendanceCount,
    Occasion,
    OrgUnit,
    Participant,
    Programme,
    ProgrammeKind,
    StaffRole,
)

ROLES = (StaffRole.MANAGER, StaffRole.STAFF)
TOTAL = "total"
SEXES = (*HEADCOUNT_SEXES, TOTAL)


@dataclass(frozen=True)
class NamedRecord:
    """A person's attendance in one unit: first and latest day attended."""

    unit_id: int | None
    role: str
    sex: str
    key: str
    name: str
    first_on: dt.date
    latest_on: dt.date


@dataclass(frozen=True)
class CountRecord:
    """People of a unit, role and sex counted as attending on a day."""

    unit_id: int
    role: str
    sex: str
    held_on: dt.date
    attended: int
    refresher: bool


@dataclass
class Records:
    """Everything the figures are computed from (see `load_records`)."""

    units: list[OrgUnit]
    named: list[NamedRecord]
    counted: list[CountRecord]


@dataclass(frozen=True)
class Cell:
    """Trained people out of a headcount."""

    trained: int
    headcount: int

    @property
    def share(self) -> float | None:
        return self.trained / self.headcount if self.headcount else None


@dataclass
class UnitCoverage:
    """A unit's coverage: {(role, sex): Cell}, sex "total" included."""

    unit: OrgUnit
    cells: dict
    ready: bool

    @property
    def managers_share(self) -> float | None:
        return self.cells[(StaffRole.MANAGER, TOTAL)].share


@dataclass
class AdministrationCoverage:
    """An administration's coverage and its units'."""

    administration: Administration
    cells: dict
    units: list[UnitCoverage] = field(default_factory=list)

    @property
    def ready_units(self) -> list[UnitCoverage]:
        return [unit for unit in self.units if unit.ready]


def _as_date(value) -> dt.date:
    # SQLite hands back MIN()/MAX() of a date as text.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def person_key_column():
    """The person's key in SQL: their e-mail, else their name, in lower case."""
    return sa.func.lower(
        sa.func.coalesce(sa.func.nullif(sa.func.trim(Participant.email), ""), Participant.name)
    )


def load_records(*, administration_ids=None, until: dt.date | None = None) -> Records:
    """The units (with their administrations) and every attendance held up to `until`.

    Three queries whatever the number of units, occasions and people.
    """
    units_query = (
        sa.select(OrgUnit)
        .join(OrgUnit.administration)
        .options(sa.orm.contains_eager(OrgUnit.administration))
        .where(OrgUnit.active)
        .order_by(Administration.name, OrgUnit.name)
    )
    if administration_ids is not None:
        units_query = units_query.where(OrgUnit.administration_id.in_(administration_ids))
    units = list(db.session.scalars(units_query))
    held = Occasion.held_on <= (until or dt.date.today())
    key = person_key_column()
    named_rows = db.session.execute(
        sa.select(
            Participant.unit_id,
            Participant.role,
            Participant.sex,
            key,
            sa.func.max(Participant.name),
            sa.func.min(Occasion.held_on),
            sa.func.max(Occasion.held_on),
        )
        .join(Occasion, Occasion.id == Participant.occasion_id)
        .where(Participant.attended, held)
        .group_by(Participant.unit_id, Participant.role, Participant.sex, key)
    )
    named = [
        NamedRecord(unit, role, sex, k, name, _as_date(first), _as_date(latest))
        for unit, role, sex, k, name, first, latest in named_rows
    ]
    count_rows = db.session.execute(
        sa.select(
            AttendanceCount.unit_id,
            AttendanceCount.role,
            AttendanceCount.sex,
            Occasion.held_on,
            sa.func.sum(AttendanceCount.attended),
            Programme.kind == ProgrammeKind.REFRESHER,
        )
        .join(Occasion, Occasion.id == AttendanceCount.occasion_id)
        .join(Programme, Programme.id == Occasion.programme_id)
        .where(held)
        .group_by(
            AttendanceCount.unit_id,
            AttendanceCount.role,
            AttendanceCount.sex,
            Occasion.held_on,
            Programme.kind,
        )
    )
    counted = [
        CountRecord(unit, role, sex, _as_date(day), int(n or 0), bool(refresher))
        for unit, role, sex, day, n, refresher in count_rows
    ]
    return Records(units, named, counted)


def trained_counts(records: Records, as_of: dt.date) -> dict:
    """{(unit id, role, sex): people trained by `as_of`}, before capping at the headcount."""
    trained: dict = defaultdict(int)
    for record in records.named:
        if record.unit_id is not None and record.first_on <= as_of:
            trained[(record.unit_id, record.role, record.sex)] += 1
    for record in records.counted:
        if not record.refresher and record.held_on <= as_of:
            trained[(record.unit_id, record.role, record.sex)] += record.attended
    return trained


def unit_cells(unit: OrgUnit, trained: dict) -> dict:
    """{(role, sex): Cell} of one unit, totals included, each capped at its headcount."""
    cells = {}
    for role in ROLES:
        total = 0
        for sex in HEADCOUNT_SEXES:
            headcount = unit.headcount(role, sex)
            cells[(role, sex)] = Cell(
                min(trained.get((unit.id, role, sex), 0), headcount), headcount
            )
            total += trained.get((unit.id, role, sex), 0)
        for sex in (Sex.OTHER, Sex.UNKNOWN):  # counted in the total only
            total += trained.get((unit.id, role, sex), 0)
        headcount = unit.role_headcount(role)
        cells[(role, TOTAL)] = Cell(min(total, headcount), headcount)
    return cells


def is_ready(cells: dict, threshold: float) -> bool:
    """Managers first: ready for staff training when enough of the managers are trained.

    A unit without managers is ready (there is nobody to train first).
    """
    share = cells[(StaffRole.MANAGER, TOTAL)].share
    return share is None or share >= threshold


def sum_cells(cell_dicts) -> dict:
    """The cells of several units added up."""
    totals: dict = {}
    for cells in cell_dicts:
        for key, cell in cells.items():
            before = totals.get(key, Cell(0, 0))
            totals[key] = Cell(before.trained + cell.trained, before.headcount + cell.headcount)
    return totals or {(role, sex): Cell(0, 0) for role in ROLES for sex in SEXES}


def coverage(records: Records, as_of: dt.date, threshold: float) -> list[AdministrationCoverage]:
    """Coverage per administration and unit on a day (pure)."""
    trained = trained_counts(records, as_of)
    result: dict[int, AdministrationCoverage] = {}
    for unit in records.units:
        cells = unit_cells(unit, trained)
        entry = result.setdefault(
            unit.administration_id, AdministrationCoverage(unit.administration, {})
        )
        entry.units.append(UnitCoverage(unit, cells, is_ready(cells, threshold)))
    for entry in result.values():
        entry.cells = sum_cells(unit.cells for unit in entry.units)
    return list(result.values())


def flagged_units(records: Records, occasion: Occasion, threshold: float) -> list[OrgUnit]:
    """The invited units of a staff occasion whose managers were not trained first (pure)."""
    if occasion.audience != "staff":
        return []
    # Managers trained before the day itself: training them the same day is not "first".
    trained = trained_counts(records, occasion.held_on - dt.timedelta(days=1))
    return [unit for unit in occasion.units if not is_ready(unit_cells(unit, trained), threshold)]


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for 29 February in a common year)."""
    return years_before(day, -years)


@dataclass(frozen=True)
class Due:
    """A person or counted group due a refresher."""

    unit_id: int
    role: str
    sex: str
    last_on: dt.date
    due_on: dt.date
    name: str = ""  # empty for a counted group
    people: int = 1


def refreshers_due(records: Records, *, years: int, by: dt.date) -> list[Due]:
    """People and counted groups whose refresher falls due on or before `by` (pure).

    A counted refresher renews the earliest counted people of its unit, role and sex first.
    """
    due = [
        Due(r.unit_id, r.role, r.sex, r.latest_on, add_years(r.latest_on, years), r.name)
        for r in records.named
        if r.unit_id is not None and add_years(r.latest_on, years) <= by
    ]
    groups: dict = defaultdict(list)
    for record in sorted(records.counted, key=lambda r: r.held_on):
        groups[(record.unit_id, record.role, record.sex)].append(record)
    for (unit_id, role, sex), records_of_group in groups.items():
        remaining: list[list] = []  # [day, people] still to be renewed, oldest first
        for record in records_of_group:
            if not record.refresher:
                remaining.append([record.held_on, record.attended])
                continue
            renew = record.attended
            for entry in remaining:
                taken = min(renew, entry[1])
                entry[1] -= taken
                renew -= taken
            # Everyone at the refresher is renewed on its day, whoever they were.
            remaining = [entry for entry in remaining if entry[1] > 0]
            remaining.append([record.held_on, record.attended])
        for day, people in remaining:
            if add_years(day, years) <= by:
                due.append(Due(unit_id, role, sex, day, add_years(day, years), people=people))
    return sorted(due, key=lambda d: (d.due_on, d.name))


@dataclass
class PlanStep:
    """One audience of the top-down order: its occasions' first and last day."""

    audience: str
    first_on: dt.date | None
    last_on: dt.date | None
    held: int
    planned: int
    out_of_order: bool = False


def plan_steps(occasions, today: dt.date) -> list[PlanStep]:
    """Politicians, management, managers, staff: when each is trained, and whether an
    audience starts before the one above it (pure)."""
    steps = []
    previous_first = None
    for audience in AUDIENCE_ORDER:
        days = sorted(o.held_on for o in occasions if o.audience == audience)
        first = days[0] if days else None
        step = PlanStep(
            audience,
            first,
            days[-1] if days else None,
            sum(1 for d in days if d <= today),
            sum(1 for d in days if d > today),
        )
        if first is not None and previous_first is not None and first < previous_first:
            step.out_of_order = True
        if first is not None:
            previous_first = first if previous_first is None else max(previous_first, first)
        steps.append(step)
    return steps
