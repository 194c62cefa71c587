"""Changes to goals, indicators, typed figures and deviations, and the reads they need.

Every change checks its input and raises Invalid (nothing saved) with a Swedish message per
field; the request or command commits once. Deviations are only ever added.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from mvp.auth.models import User
from mvp.extensions import db
from mvp.goals import own_figures
from mvp.goals.kolada import FIRST_YEAR
from mvp.goals.models import (
    Deviation,
    Goal,
    Indicator,
    KoladaKpi,
    Source,
    SubGoal,
    TargetKind,
    TypedValue,
)
from mvp.organisation.models import Administration
from mvp.validation import Invalid

TITLE_MAX = 200
NOTE_MAX = 200
TEXT_MAX = 5000
RESPONSIBLE_MAX = 120
# A period or target further ahead than this is taken for a typing error.
YEARS_AHEAD = 30


@dataclass
class GoalData:
    """A goal as the lead writes it."""

    title: str
    sub_goal: str
    administration_id: int | None
    first_year: object
    last_year: object
    description: str = ""
    owner_ids: list[int] = field(default_factory=list)


@dataclass
class IndicatorData:
    """An indicator: its source and what it is, and its target by a year."""

    source: str
    target_kind: str
    target_year: object
    kpi: str = ""
    provider: str = ""
    title: str = ""
    source_note: str = ""
    by_sex: bool = True
    unit: str = ""
    higher_is_better: bool = True
    target_women: float | None = None
    target_men: float | None = None
    target_gap: float | None = None
    target_total: float | None = None


@dataclass
class TypedData:
    """A year's typed figures of an indicator and where they come from."""

    year: object
    women: float | None = None
    men: float | None = None
    total: float | None = None
    source_note: str = ""


@dataclass
class DeviationData:
    """A deviation: the year, the analysed cause, the action, who owns it, the follow-up."""

    indicator_id: int | None
    year: object
    cause: str
    action: str
    responsible: str
    follow_up_on: dt.date | None
    follows_id: int | None = None


# --- reads -------------------------------------------------------------------------------------


def goals_statement() -> sa.Select:
    """Every goal with its administration, indicators and owners, by sub-goal and title."""
    order = sa.case({s.value: i for i, s in enumerate(SubGoal)}, value=Goal.sub_goal)
    return (
        sa.select(Goal)
        .options(
            selectinload(Goal.administration),
            selectinload(Goal.indicators),
            selectinload(Goal.owners),
        )
        .order_by(order, Goal.title)
    )


def get_goal_or_404(goal_id: int) -> Goal:
    """A goal, or 404."""
    goal = db.session.scalars(goals_statement().where(Goal.id == goal_id)).first()
    if goal is None:
        abort(404)
    return goal


def get_indicator_or_404(indicator_id: int) -> Indicator:
    """An indicator (with its goal), or 404."""
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None:
        abort(404)
    return indicator


def administrations() -> list[Administration]:
    """The active administrations, by name."""
    return list(
        db.session.scalars(
            sa.select(Administration).where(Administration.active).order_by(Administration.name)
        )
    )


def possible_owners() -> list[User]:
    """The active user accounts, by name (any role may own a goal)."""
    return list(db.session.scalars(sa.select(User).where(User.active).order_by(User.name)))


def kolada_kpis() -> list[KoladaKpi]:
    """The Kolada key figures brought in, by id."""
    return list(db.session.scalars(sa.select(KoladaKpi).order_by(KoladaKpi.id)))


# --- checks ------------------------------------------------------------------------------------


def _year(value, errors: dict, name: str) -> int | None:
    """A year of four digits from 1990 up to YEARS_AHEAD years ahead (targets lie ahead)."""
    text = "" if value is None else str(value).strip()
    if re.fullmatch(r"\d{4}", text) and FIRST_YEAR <= int(text) <= _latest_year():
        return int(text)
    if not text:
        errors[name] = _("Write the year with four digits, e.g. 2026.")
    else:
        errors[name] = _(
            "“%(year)s” is not a year. Write it with four digits, from %(first)d to %(last)d.",
            year=text,
            first=FIRST_YEAR,
            last=_latest_year(),
        )
    return None


def _latest_year() -> int:
    return dt.date.today().year + YEARS_AHEAD


def _text(value: str, limit: int, errors: dict, name: str, required: str | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[name] = required
    elif len(text) > limit:
        errors[name] = _("Write at most %(max)d characters.", max=limit)
    return text


# --- goals -------------------------------------------------------------------------------------


def save_goal(goal: Goal | None, data: GoalData) -> Goal:
    """Create (goal None) or change a goal; raises Invalid, nothing saved."""
    errors: dict[str, str] = {}
    title = _text(data.title, TITLE_MAX, errors, "title", _("Write the goal's title."))
    if data.sub_goal not in {s.value for s in SubGoal}:
        errors["sub_goal"] = _("Choose the national sub-goal the goal serves.")
    administration = (
        db.session.get(Administration, data.administration_id) if data.administration_id else None
    )
    if administration is None:
        errors["administration_id"] = _("Choose the administration that owns the goal.")
    first = _year(data.first_year, errors, "first_year")
    last = _year(data.last_year, errors, "last_year")
    if first and last and last < first:
        errors["last_year"] = _("The last year cannot be before the first.")
    description = _text(data.description, TEXT_MAX, errors, "description")
    owners = []
    if data.owner_ids:
        owners = list(db.session.scalars(sa.select(User).where(User.id.in_(data.owner_ids))))
        if len(owners) != len(set(data.owner_ids)):
            errors["owner_ids"] = _("Choose the owners from the list.")
    if errors:
        raise Invalid(errors)
    if goal is None:
        goal = Goal()
        db.session.add(goal)
    goal.title, goal.sub_goal, goal.administration = title, data.sub_goal, administration
    goal.first_year, goal.last_year, goal.description = first, last, description
    goal.owners = owners
    db.session.flush()
    return goal


# --- indicators --------------------------------------------------------------------------------


def _source_of(data: IndicatorData, errors: dict) -> tuple[str, str, bool, str]:
    """(source key, title, by sex, unit) of the indicator's source."""
    if data.source == Source.KOLADA:
        kpi_id = (data.kpi or "").strip().upper()
        kpi = db.session.get(KoladaKpi, kpi_id) if kpi_id else None
        if kpi is None:
            errors["kpi"] = (
                _(
                    "The key figure %(kpi)s has not been brought in from Kolada. Import or "
                    "fetch it first.",
                    kpi=kpi_id,
                )
                if kpi_id
                else _("Choose the Kolada key figure.")
            )
            return "", "", True, ""
        return kpi.id, kpi.title[:TITLE_MAX], kpi.by_sex, data.unit
    if data.source == Source.OWN:
        found = own_figures.provider(data.provider or "")
        if found is None:
            errors["provider"] = _("Choose one of the application's own figures.")
            return "", "", True, ""
        return found.key, str(found.label), True, data.unit or str(found.unit)
    if data.source == Source.TYPED:
        title = _text(data.title, TITLE_MAX, errors, "title", _("Write what the figure is."))
        return "", title, bool(data.by_sex), data.unit
    errors["source"] = _("Choose where the figures come from.")
    return "", "", True, ""


def save_indicator(goal: Goal, indicator: Indicator | None, data: IndicatorData) -> Indicator:
    """Add (indicator None) or change an indicator of a goal; raises Invalid, nothing saved.

    A target for women and men, or a gap, needs figures by sex: on an indicator with only
    totals it is refused with a message saying so.
    """
    errors: dict[str, str] = {}
    key, title, by_sex, unit = _source_of(data, errors)
    note = _text(data.source_note, NOTE_MAX, errors, "source_note")
    if data.source == Source.TYPED and not note:
        errors["source_note"] = _("Write where the figures come from, e.g. SCB.")
    unit = _text(unit, 40, errors, "unit")
    target_year = _year(data.target_year, errors, "target_year")
    kind = data.target_kind
    if kind not in {k.value for k in TargetKind}:
        errors["target_kind"] = _("Choose the kind of target.")
    elif kind in (TargetKind.VALUES, TargetKind.GAP) and not by_sex and "kpi" not in errors:
        errors["target_kind"] = _(
            "“%(title)s” has only totals, not figures for women and men. Choose a target "
            "for the total.",
            title=title,
        )
    elif kind == TargetKind.VALUES:
        for name, message in (
            ("target_women", _("Write the target for women.")),
            ("target_men", _("Write the target for men.")),
        ):
            if getattr(data, name) is None:
                errors[name] = message
    elif kind == TargetKind.GAP:
        if data.target_gap is None:
            errors["target_gap"] = _("Write the largest allowed gap.")
        elif data.target_gap < 0:
            errors["target_gap"] = _("The gap is a size: write 0 or more.")
    elif kind == TargetKind.TOTAL and data.target_total is None:
        errors["target_total"] = _("Write the target for the total.")
    if errors:
        raise Invalid(errors)
    if indicator is None:
        indicator = Indicator(goal=goal)
        db.session.add(indicator)
    indicator.source, indicator.source_key, indicator.title = data.source, key, title
    indicator.source_note, indicator.by_sex, indicator.unit = note, by_sex, unit
    indicator.higher_is_better = bool(data.higher_is_better)
    indicator.target_kind, indicator.target_year = kind, target_year
    indicator.target_women = data.target_women if kind == TargetKind.VALUES else None
    indicator.target_men = data.target_men if kind == TargetKind.VALUES else None
    indicator.target_gap = data.target_gap if kind == TargetKind.GAP else None
    indicator.target_total = data.target_total if kind == TargetKind.TOTAL else None
    db.session.flush()
    return indicator


def save_typed_value(indicator: Indicator, data: TypedData) -> TypedValue:
    """Set a year's typed figures (a new year, or that year's figures replaced, audited)."""
    errors: dict[str, str] = {}
    if indicator.source != Source.TYPED:
        raise Invalid({"year": _("Only typed-in indicators take figures typed in.")})
    year = _year(data.year, errors, "year")
    note = _text(data.source_note, NOTE_MAX, errors, "source_note")
    if not indicator.by_sex and (data.women is not None or data.men is not None):
        errors["women"] = _(
            "This indicator has only totals: leave women and men empty and write the total."
        )
    if all(v is None for v in (data.women, data.men, data.total)):
        errors["total"] = _("Write at least one figure.")
    if errors:
        raise Invalid(errors)
    existing = db.session.scalar(
        sa.select(TypedValue).where(
            TypedValue.indicator_id == indicator.id, TypedValue.year == year
        )
    )
    value = existing or TypedValue(indicator_id=indicator.id, year=year)
    value.women, value.men, value.total = data.women, data.men, data.total
    value.source_note = note or indicator.source_note
    if existing is None:
        db.session.add(value)
    db.session.flush()
    return value


# --- deviations --------------------------------------------------------------------------------


def record_deviation(goal: Goal, data: DeviationData, *, actor: User | None) -> Deviation:
    """Add a deviation entry for one of the goal's indicators (never changes an earlier one)."""
    errors: dict[str, str] = {}
    indicator = next((i for i in goal.indicators if i.id == data.indicator_id), None)
    if indicator is None:
        errors["indicator_id"] = _("Choose the indicator that deviates.")
    year = _year(data.year, errors, "year")
    cause = _text(data.cause, TEXT_MAX, errors, "cause", _("Write the analysed cause."))
    action = _text(data.action, TEXT_MAX, errors, "action", _("Write the action decided."))
    responsible = _text(
        data.responsible,
        RESPONSIBLE_MAX,
        errors,
        "responsible",
        _("Write who is responsible for the action."),
    )
    if data.follow_up_on is None:
        errors["follow_up_on"] = _("Write the date of the follow-up, e.g. 2026-03-15.")
    follows = None
    if data.follows_id:
        follows = db.session.get(Deviation, data.follows_id)
        if follows is None or indicator is None or follows.indicator_id != indicator.id:
            errors["follows_id"] = _("Choose an earlier entry of the same indicator.")
    if errors:
        raise Invalid(errors)
    deviation = Deviation(
        indicator=indicator,
        year=year,
        cause=cause,
        action=action,
        responsible=responsible,
        follow_up_on=data.follow_up_on,
        follows_id=follows.id if follows else None,
        recorded_by_id=actor.id if actor is not None else None,
    )
    db.session.add(deviation)
    db.session.flush()
    return deviation
