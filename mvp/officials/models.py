"""Political bodies, their seats by sex per year (counts only), yearly rounds and the national
reference values.

No table here names a person or a party (political opinion is special-category data), and no
table links an answer to a code: the round's answers are the engine's Response rows of its
wave, its codes the engine's SingleUseCode rows (used or not, nothing else).
"""

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin


class BodyKind(StrEnum):
    """The kinds of political body of a municipality."""

    ASSEMBLY = "assembly"  # kommunfullmäktige
    EXECUTIVE = "executive"  # kommunstyrelsen
    COMMITTEE = "committee"  # en nämnd
    COMPANY_BOARD = "company_board"  # styrelse i ett kommunalt bolag


class SeatKind(StrEnum):
    """How a seat is held; a chair is counted as chair only, not also as ordinary member."""

    ORDINARY = "ordinary"  # ordinarie ledamot
    SUBSTITUTE = "substitute"  # ersättare
    CHAIR = "chair"  # ordförande


class SeatSex(StrEnum):
    """The sexes the secretariat's lists count (no "prefer not to say" in a register)."""

    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"


class PoliticalBody(Audited, TimestampMixin, VersionedMixin, Base):
    """A political body of the municipality, e.g. "Kommunfullmäktige"."""

    __tablename__ = "political_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)

    seats: Mapped[list["SeatCount"]] = relationship(
        back_populates="body", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(sa.column("kind").in_([k.value for k in BodyKind]), name="kind_known"),
    )

    @property
    def audit_label(self) -> str:
        return self.name


class SeatCount(Base):
    """How many women, men or others hold one kind of seat in a body in a year."""

    __tablename__ = "seat_count"

    body_id: Mapped[int] = mapped_column(
        sa.ForeignKey("political_body.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seat_kind: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    sex: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)

    body: Mapped[PoliticalBody] = relationship(back_populates="seats")

    __table_args__ = (
        sa.CheckConstraint(
            sa.column("seat_kind").in_([k.value for k in SeatKind]), name="seat_kind_known"
        ),
        sa.CheckConstraint(sa.column("sex").in_([s.value for s in SeatSex]), name="sex_known"),
        sa.CheckConstraint("count >= 0", name="count_not_negative"),
    )


class OfficialRound(Audited, TimestampMixin, VersionedMixin, Base):
    """The yearly round (mätning): one engine wave of the officials' population."""

    __tablename__ = "official_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id", ondelete="RESTRICT"), unique=True)
    # Figures about fewer answers than this are shown as ".." (default 5, as the issue says).
    suppression_min: Mapped[int] = mapped_column(default=5, server_default="5")
    # Closed by the lead before its last day: no more answers, whatever the dates say.
    closed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    wave: Mapped["Wave"] = relationship()  # noqa: F821

    __table_args__ = (sa.CheckConstraint("suppression_min >= 2", name="threshold_sensible"),)

    @property
    def audit_label(self) -> str:
        return f"Mätning {self.year}"


class Reference(Audited, TimestampMixin, Base):
    """A national reference value (BRÅ's PTU) the lead enters: figure, year and source."""

    __tablename__ = "official_reference"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(sa.String(30))  # a key of mvp.officials.measures
    sex: Mapped[str] = mapped_column(sa.String(8))  # "all", "woman" or "man"
    percent: Mapped[float]
    year: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(300))

    __table_args__ = (
        sa.CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),
        sa.CheckConstraint(sa.column("sex").in_(["all", "woman", "man"]), name="sex_known"),
    )

    @property
    def audit_label(self) -> str:
        return f"{self.measure} {self.year}"
