"""Goals, their indicators and targets, Kolada key figures, typed figures and deviations.

A deviation is never edited: a new analysis of the same deviation is a new row, so the
deviation matrix keeps its whole history (SKR's way of working: deviation, cause, action,
follow-up).
"""

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin, utcnow


class SubGoal(enum.StrEnum):
    """The six national equality sub-goals (Prop. 2005/06:155, 2016/17:10)."""

    POWER = "power"
    ECONOMY = "economy"
    EDUCATION = "education"
    HEALTH = "health"
    UNPAID_WORK = "unpaid_work"
    VIOLENCE = "violence"


class Source(enum.StrEnum):
    """Where an indicator's figures come from."""

    KOLADA = "kolada"
    OWN = "own"
    TYPED = "typed"


class TargetKind(enum.StrEnum):
    """A target: values for women and for men, a largest allowed gap, or a total."""

    VALUES = "values"
    GAP = "gap"
    TOTAL = "total"


GENDERS = ("T", "K", "M")  # Kolada's total, women (kvinnor), men (män)

goal_owner = sa.Table(
    "goal_owner",
    Base.metadata,
    sa.Column("goal_id", sa.ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


def _in(column: str, values) -> sa.CheckConstraint:
    return sa.CheckConstraint(sa.column(column).in_([v.value for v in values]), name=column)


class Goal(Audited, TimestampMixin, VersionedMixin, Base):
    """A measurable equality goal of the municipality, owned by an administration."""

    __tablename__ = "goal"
    __table_args__ = (_in("sub_goal", SubGoal),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    sub_goal: Mapped[str] = mapped_column(sa.String(20))
    administration_id: Mapped[int] = mapped_column(sa.ForeignKey("administration.id"), index=True)
    first_year: Mapped[int]
    last_year: Mapped[int]
    description: Mapped[str] = mapped_column(sa.Text, default="")

    administration = relationship("Administration")
    # The user accounts (of any role) who may record deviations and actions for the goal.
    owners = relationship("User", secondary=goal_owner, order_by="User.name")
    indicators = relationship(
        "Indicator", back_populates="goal", order_by="Indicator.id", cascade="all, delete-orphan"
    )

    @property
    def audit_label(self) -> str:
        return self.title


class Indicator(Audited, TimestampMixin, VersionedMixin, Base):
    """A figure followed for a goal, with its target (by a year)."""

    __tablename__ = "indicator"
    __table_args__ = (_in("source", Source), _in("target_kind", TargetKind))

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(sa.String(10))
    # Kolada: the KPI id (N00938); own figures: the provider's key; typed: empty.
    source_key: Mapped[str] = mapped_column(sa.String(40), default="")
    title: Mapped[str] = mapped_column(sa.String(200))
    # Typed figures: where they come from (a local survey, SCB).
    source_note: Mapped[str] = mapped_column(sa.String(200), default="")
    by_sex: Mapped[bool] = mapped_column(default=True)
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    higher_is_better: Mapped[bool] = mapped_column(default=True)
    target_kind: Mapped[str] = mapped_column(sa.String(10))
    target_women: Mapped[float | None]
    target_men: Mapped[float | None]
    target_gap: Mapped[float | None]
    target_total: Mapped[float | None]
    target_year: Mapped[int]

    goal = relationship("Goal", back_populates="indicators")

    @property
    def audit_label(self) -> str:
        return self.title


class KoladaKpi(Base):
    """A Kolada key figure brought in (by import or fetch): its id, title, whether by sex."""

    __tablename__ = "kolada_kpi"

    id: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    by_sex: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class KoladaValue(Base):
    """One Kolada value: a KPI for a municipality, a year and a gender (T, K or M)."""

    __tablename__ = "kolada_value"
    __table_args__ = (
        sa.UniqueConstraint("kpi_id", "municipality", "year", "gender"),
        sa.CheckConstraint(sa.column("gender").in_(GENDERS), name="gender"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[str] = mapped_column(
        sa.ForeignKey("kolada_kpi.id", ondelete="CASCADE"), index=True
    )
    municipality: Mapped[str] = mapped_column(sa.String(4))
    year: Mapped[int]
    gender: Mapped[str] = mapped_column(sa.String(1))
    value: Mapped[float | None]


class TypedValue(Audited, TimestampMixin, VersionedMixin, Base):
    """A year's figures of a typed-in indicator, with where they come from."""

    __tablename__ = "typed_value"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    women: Mapped[float | None]
    men: Mapped[float | None]
    total: Mapped[float | None]
    source_note: Mapped[str] = mapped_column(sa.String(200), default="")

    indicator = relationship("Indicator")

    @property
    def audit_label(self) -> str:
        return f"{self.indicator.title if self.indicator else ''} {self.year}".strip()


class Deviation(Audited, TimestampMixin, Base):
    """A deviation of an indicator from its target: the analysed cause, the action decided,
    who owns it and when it is followed up. Rows are only added, never changed."""

    __tablename__ = "deviation"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    cause: Mapped[str] = mapped_column(sa.Text)
    action: Mapped[str] = mapped_column(sa.Text)
    responsible: Mapped[str] = mapped_column(sa.String(120))
    follow_up_on: Mapped[dt.date]
    # An earlier entry this one follows up or revises (the history of one deviation).
    follows_id: Mapped[int | None] = mapped_column(sa.ForeignKey("deviation.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )

    indicator = relationship("Indicator")
    recorded_by = relationship("User")

    @property
    def audit_label(self) -> str:
        return f"{self.indicator.title if self.indicator else ''} {self.year}".strip()
