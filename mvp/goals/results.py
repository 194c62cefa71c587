"""The goals' follow-up as one result object: the web pages, the PDF, Excel and JSON draw it.

`build_follow_up` reads every goal (or one) with its indicators, their figures per year from
the three sources, the deviations, and computes gap, direction and status once
(mvp.goals.follow_up). Renderers never query or compute. The figures are read in a fixed
number of queries, whatever the number of goals: one for the goals (and three for their
administrations, indicators and owners), one for Kolada's values, one for typed figures,
one for deviations, and each own figure's provider once.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.goals import follow_up, own_figures
from mvp.goals.follow_up import Target, YearFigures
from mvp.goals.kolada import SOURCE as KOLADA
from mvp.goals.kolada import municipality_code
from mvp.goals.labels import DIRECTION_LABELS, STATUS_LABELS, SUB_GOAL_LABELS
from mvp.goals.models import Deviation, Goal, Indicator, KoladaValue, Source, TypedValue
from mvp.goals.services import goals_statement


@dataclass
class DeviationEntry:
    """A deviation entry as the reader sees it."""

    id: int
    indicator: str
    year: int
    cause: str
    action: str
    responsible: str
    follow_up_on: dt.date
    recorded_on: dt.date | None
    recorded_by: str
    follows_id: int | None


@dataclass
class IndicatorResult:
    """An indicator's figures over the years against its target, gap, direction, status."""

    id: int
    title: str
    source: str  # kolada | own | typed
    source_label: str  # "Källa: Kolada (N00938)", "Källa: SCB", …
    by_sex: bool
    unit: str
    target_kind: str
    target_text: str
    target: Target
    series: list[YearFigures] = field(default_factory=list)
    gap: float | None = None
    gap_year: int | None = None
    direction: str | None = None
    status: str = follow_up.NO_DATA

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def direction_label(self) -> str:
        return str(DIRECTION_LABELS[self.direction]) if self.direction else "–"


@dataclass
class GoalResult:
    """A goal with its indicators' follow-up and its deviations, newest first."""

    id: int
    title: str
    sub_goal: str
    sub_goal_label: str
    owner: str
    period: str
    description: str
    owners: list[str]
    indicators: list[IndicatorResult]
    deviations: list[DeviationEntry]
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class FollowUp:
    """Every goal's follow-up up to a year (None: every year), as of a day."""

    municipality: str
    municipality_code: str
    year: int | None
    made_on: dt.date
    goals: list[GoalResult]

    @property
    def uses_kolada(self) -> bool:
        return any(i.source == Source.KOLADA for g in self.goals for i in g.indicators)

    def counts(self) -> dict[str, int]:
        """How many goals have each status."""
        counted = dict.fromkeys(STATUS_LABELS, 0)
        for goal in self.goals:
            counted[goal.status] += 1
        return counted

    def as_dict(self) -> dict:
        """The follow-up as the JSON download gives it (dates as ISO text)."""

        def plain(value):
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return plain(asdict(self))


def target_of(indicator: Indicator) -> Target:
    """The indicator's target as the follow-up reads it."""
    return Target(
        kind=indicator.target_kind,
        year=indicator.target_year,
        women=indicator.target_women,
        men=indicator.target_men,
        gap=indicator.target_gap,
        total=indicator.target_total,
        higher_is_better=indicator.higher_is_better,
    )


def _fmt(value: float | None) -> str:
    from mvp.evaluation.numbers import fmt

    if value is None:
        return "–"
    return fmt(value, 0 if float(value).is_integer() else 1)


def target_text(indicator: Indicator) -> str:
    """The target in words: "Kvinnor 40, män 40 år 2027", "Skillnad högst 2 år 2027"."""
    unit = f" {indicator.unit}" if indicator.unit else ""
    if indicator.target_kind == "gap":
        return _(
            "Gap at most %(gap)s%(unit)s by %(year)d",
            gap=_fmt(indicator.target_gap),
            unit=unit,
            year=indicator.target_year,
        )
    if indicator.target_kind == "total":
        return _(
            "Total %(total)s%(unit)s by %(year)d",
            total=_fmt(indicator.target_total),
            unit=unit,
            year=indicator.target_year,
        )
    return _(
        "Women %(women)s%(unit)s, men %(men)s%(unit)s by %(year)d",
        women=_fmt(indicator.target_women),
        men=_fmt(indicator.target_men),
        unit=unit,
        year=indicator.target_year,
    )


def source_label(indicator: Indicator) -> str:
    """Where the figures come from, as every rendering names it."""
    if indicator.source == Source.KOLADA:
        return _("Source: %(source)s (%(kpi)s)", source=KOLADA, kpi=indicator.source_key)
    if indicator.source == Source.OWN:
        return _("Source: this application")
    return _("Source: %(source)s", source=indicator.source_note or "–")


# --- loading the figures ------------------------------------------------------------------------


def load_series(indicators: list[Indicator], year: int | None) -> dict[int, list[YearFigures]]:
    """Each indicator's figures per year up to `year`, from its source (fixed query count)."""
    kpis = {i.source_key for i in indicators if i.source == Source.KOLADA}
    typed_ids = [i.id for i in indicators if i.source == Source.TYPED]
    providers = {i.source_key for i in indicators if i.source == Source.OWN}
    kolada: dict[str, dict[int, dict[str, float | None]]] = defaultdict(lambda: defaultdict(dict))
    if kpis:
        rows = db.session.execute(
            sa.select(KoladaValue.kpi_id, KoladaValue.year, KoladaValue.gender, KoladaValue.value)
            .where(KoladaValue.kpi_id.in_(kpis), KoladaValue.municipality == municipality_code())
            .order_by(KoladaValue.year)
        )
        for kpi, row_year, gender, value in rows:
            kolada[kpi][row_year][gender] = value
    typed: dict[int, list[YearFigures]] = defaultdict(list)
    if typed_ids:
        for value in db.session.scalars(
            sa.select(TypedValue)
            .where(TypedValue.indicator_id.in_(typed_ids))
            .order_by(TypedValue.year)
        ):
            typed[value.indicator_id].append(
                YearFigures(value.year, value.women, value.men, value.total)
            )
    own = {}
    for key in providers:
        found = own_figures.provider(key)
        own[key] = found.load() if found is not None else []
    series = {}
    for indicator in indicators:
        if indicator.source == Source.KOLADA:
            by_year = kolada.get(indicator.source_key, {})
            figures = [
                YearFigures(y, v.get("K"), v.get("M"), v.get("T")) for y, v in by_year.items()
            ]
        elif indicator.source == Source.OWN:
            figures = list(own.get(indicator.source_key, []))
        else:
            figures = typed.get(indicator.id, [])
        if not indicator.by_sex:
            figures = [YearFigures(f.year, None, None, f.total) for f in figures]
        series[indicator.id] = sorted(
            (f for f in figures if year is None or f.year <= year), key=lambda f: f.year
        )
    return series


def _deviations(indicator_ids: list[int], year: int | None) -> dict[int, list[DeviationEntry]]:
    from mvp.auth.models import User

    found: dict[int, list[DeviationEntry]] = defaultdict(list)
    if not indicator_ids:
        return found
    statement = (
        sa.select(Deviation, Indicator.goal_id, Indicator.title, User.name)
        .join(Indicator, Indicator.id == Deviation.indicator_id)
        .outerjoin(User, User.id == Deviation.recorded_by_id)
        .where(Deviation.indicator_id.in_(indicator_ids))
        .order_by(Deviation.created_at.desc(), Deviation.id.desc())
    )
    if year is not None:
        statement = statement.where(Deviation.year <= year)
    for deviation, goal_id, title, name in db.session.execute(statement):
        found[goal_id].append(
            DeviationEntry(
                id=deviation.id,
                indicator=title,
                year=deviation.year,
                cause=deviation.cause,
                action=deviation.action,
                responsible=deviation.responsible,
                follow_up_on=deviation.follow_up_on,
                recorded_on=deviation.created_at.date() if deviation.created_at else None,
                recorded_by=name or "",
                follows_id=deviation.follows_id,
            )
        )
    return found


def indicator_result(indicator: Indicator, series: list[YearFigures]) -> IndicatorResult:
    """One indicator's follow-up from its figures (pure)."""
    target = target_of(indicator)
    gap = follow_up.latest_gap(series) if indicator.by_sex else None
    return IndicatorResult(
        id=indicator.id,
        title=indicator.title,
        source=indicator.source,
        source_label=source_label(indicator),
        by_sex=indicator.by_sex,
        unit=indicator.unit,
        target_kind=indicator.target_kind,
        target_text=target_text(indicator),
        target=target,
        series=series,
        gap=gap[1] if gap else None,
        gap_year=gap[0] if gap else None,
        direction=follow_up.gap_direction(series) if indicator.by_sex else None,
        status=follow_up.indicator_status(series, target),
    )


def build_follow_up(
    *, year: int | None = None, goal_id: int | None = None, today: dt.date | None = None
) -> FollowUp:
    """The follow-up of every goal (or one) with figures up to `year` (None: all years)."""
    statement = goals_statement()
    if goal_id is not None:
        statement = statement.where(Goal.id == goal_id)
    goals = list(db.session.scalars(statement))
    indicators = [i for g in goals for i in g.indicators]
    series = load_series(indicators, year)
    deviations = _deviations([i.id for i in indicators], year)
    results = []
    for goal in goals:
        shown = [indicator_result(i, series[i.id]) for i in goal.indicators]
        results.append(
            GoalResult(
                id=goal.id,
                title=goal.title,
                sub_goal=goal.sub_goal,
                sub_goal_label=str(SUB_GOAL_LABELS[goal.sub_goal]),
                owner=goal.administration.name,
                period=f"{goal.first_year}–{goal.last_year}",
                description=goal.description,
                owners=[u.name or u.email for u in goal.owners],
                indicators=shown,
                deviations=deviations.get(goal.id, []),
                status=follow_up.goal_status([i.status for i in shown]),
            )
        )
    return FollowUp(
        municipality=current_app.config["MUNICIPALITY_NAME"],
        municipality_code=municipality_code(),
        year=year,
        made_on=today or dt.date.today(),
        goals=results,
    )
