"""Instruments (versioned questionnaires), waves per group, and pupils' anonymous responses.

Personal data are minimised here by design: a Response has no name, no IP address, no user
agent and no time of day — only the date — and its linkage code is kept only as keyed hashes
of its elements (HMAC with instance/linkage_key), never in clear. Responses are therefore not
in the audit log, which would copy them.
"""

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin
from mvp.surveys.populations import Population, Sex


class ResponseKind(StrEnum):
    """How an item is answered."""

    AGREEMENT = (
        "agreement"  # Stämmer helt och hållet / ganska bra / ganska dåligt / inte alls + Vet inte
    )
    YES_NO = "yes_no"  # Ja / Nej / Vet inte
    CHOICE = "choice"  # one of the item's own options


class Phase(StrEnum):
    """When a wave is answered: before the lessons (T1), at the end (T2), months later (T3)."""

    BEFORE = "before"
    AFTER = "after"
    FOLLOW_UP = "follow_up"


class PupilSex(StrEnum):
    """Pupils' self-reported sex (tjej / kille / annat / vill inte svara)."""

    GIRL = "girl"
    BOY = "boy"
    OTHER = "other"
    NO_ANSWER = "no_answer"


class Source(StrEnum):
    """How a response came in."""

    ONLINE = "online"
    PAPER = "paper"
    IMPORT = "import"


class LinkQuality(StrEnum):
    """How a before-answer was paired with a later one."""

    EXACT = "exact"
    ONE_DIFFERS = "one_differs"


class Instrument(Audited, TimestampMixin, Base):
    """One version of a questionnaire. Once it has answers it is frozen; a change makes a new
    version, and old answers keep theirs."""

    __tablename__ = "instrument"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(50))  # e.g. "mvp-standard"
    version: Mapped[int] = mapped_column(default=1)
    name_sv: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    description_sv: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Who it asks (mvp.surveys.populations): its waves are of the same population.
    population: Mapped[str] = mapped_column(
        sa.String(20), default=Population.PUPILS.value, server_default=Population.PUPILS.value
    )
    # Counts in-place edits of a version that has no answers yet (mvp.surveys.instruments):
    # the answering pages keep a version's questions per (id, revision) in memory.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")

    scales: Mapped[list["Scale"]] = relationship(
        back_populates="instrument", order_by="Scale.position", cascade="all, delete-orphan"
    )
    items: Mapped[list["Item"]] = relationship(
        back_populates="instrument", order_by="Item.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("key", "version"),
        sa.CheckConstraint(
            sa.column("population").in_([p.value for p in Population]), name="population_known"
        ),
    )

    @property
    def audit_label(self) -> str:
        return f"{self.name_sv} v{self.version}"


class Scale(Base):
    """A group of items measuring one construct (e.g. readiness to act as a bystander).

    Items are reverse-scored where needed so that a higher score is always the hoped-for
    direction (more readiness, more rejection of violence, more safety).
    """

    __tablename__ = "scale"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(40))
    position: Mapped[int] = mapped_column(default=0)
    name_sv: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    construct_sv: Mapped[str] = mapped_column(sa.Text, default="")
    construct_en: Mapped[str] = mapped_column(sa.Text, default="")

    instrument: Mapped[Instrument] = relationship(back_populates="scales")
    items: Mapped[list["Item"]] = relationship(back_populates="scale", order_by="Item.position")

    __table_args__ = (sa.UniqueConstraint("instrument_id", "key"),)


class Item(VersionedMixin, Base):
    """One question of an instrument, in Swedish and English."""

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(40))  # the column name in import templates
    position: Mapped[int]
    text_sv: Mapped[str] = mapped_column(sa.Text)
    text_en: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(20))
    scale_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("scale.id", ondelete="SET NULL"), index=True
    )
    reverse: Mapped[bool] = mapped_column(default=False)
    # For kind "choice": [{"value": "a", "sv": "…", "en": "…"}, …]
    options: Mapped[list] = mapped_column(sa.JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)

    instrument: Mapped[Instrument] = relationship(back_populates="items")
    scale: Mapped[Scale | None] = relationship(back_populates="items")

    __table_args__ = (
        sa.UniqueConstraint("instrument_id", "key"),
        sa.CheckConstraint(
            sa.column("kind").in_([k.value for k in ResponseKind]), name="kind_known"
        ),
    )


class Wave(Audited, TimestampMixin, VersionedMixin, Base):
    """One questionnaire round of a population: for pupils, of one group before, after or at
    follow-up; for another population, of whatever its area attaches to it (a yearly round of
    the elected officials, a training programme's before or after)."""

    __tablename__ = "wave"

    id: Mapped[int] = mapped_column(primary_key=True)
    population: Mapped[str] = mapped_column(
        sa.String(20), default=Population.PUPILS.value, server_default=Population.PUPILS.value
    )
    # Pupils' waves only: the group asked and the phase (other populations: None).
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("student_group.id", ondelete="RESTRICT"), index=True
    )
    phase: Mapped[str | None] = mapped_column(sa.String(10))
    instrument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument.id", ondelete="RESTRICT"), index=True
    )
    opens_on: Mapped[dt.date]
    closes_on: Mapped[dt.date]
    # The shared access code of a WAVE_CODE population: 6 characters without look-alikes (no
    # 0/O, 1/l/I). None where each person gets a single-use code (SingleUseCode) instead.
    code: Mapped[str | None] = mapped_column(sa.String(6), unique=True)
    # A class sharing devices: after "Tack" the next pupil starts fresh, and only the form's
    # single-use token guards against a second answer (no "already answered" cookie).
    shared_device: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    group: Mapped["StudentGroup"] = relationship()  # noqa: F821
    instrument: Mapped[Instrument] = relationship()
    responses: Mapped[list["Response"]] = relationship(back_populates="wave", passive_deletes=True)

    __table_args__ = (
        sa.UniqueConstraint("group_id", "phase"),
        sa.CheckConstraint(sa.column("phase").in_([p.value for p in Phase]), name="phase_known"),
        sa.CheckConstraint("closes_on >= opens_on", name="closes_after_opening"),
        sa.CheckConstraint(
            sa.column("population").in_([p.value for p in Population]), name="population_known"
        ),
        # A pupils' wave always belongs to a group and a phase.
        sa.CheckConstraint(
            "population != 'pupils' OR (group_id IS NOT NULL AND phase IS NOT NULL)",
            name="pupils_have_group",
        ),
    )

    @property
    def audit_label(self) -> str:
        """The phase in words, group and school, code: "Förmätning 8B, Hallsta skola (K7M4PX)"."""
        from mvp.surveys.labels import PHASE_LABELS  # the labels module imports these models

        if self.population != Population.PUPILS:
            return f"{self.population} {self.opens_on.isoformat()}"
        group = self.group
        where = f"{group.name}, {group.school.name}" if group is not None else ""
        return f"{PHASE_LABELS.get(self.phase, self.phase)} {where} ({self.code})"


class ImportBatch(TimestampMixin, VersionedMixin, Base):
    """One imported file or saved batch of paper questionnaires, so a file is never read twice.

    Versioned because a paper batch is corrected through a form: every correction writes the
    batch row (mvp.surveys.batches.replace_batch), so two coordinators correcting the same
    batch never silently undo each other. Pupils' online answers never touch this row.
    """

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(sa.String(10))
    # SHA-256 of an imported file's content; None for a batch typed in by hand.
    file_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    rows: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (sa.UniqueConstraint("wave_id", "file_sha256"),)


class Response(Base):
    """One answered questionnaire: date only, background, (pupils) keyed-hash linkage code.

    Nothing here names who answered or which single-use code was given in: a SingleUseCode
    only knows that it was used (tests/surveys/test_schema_anonymity.py keeps it so)."""

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id", ondelete="CASCADE"), index=True)
    answered_on: Mapped[dt.date]  # never a time of day
    source: Mapped[str] = mapped_column(sa.String(10))
    sex: Mapped[str] = mapped_column(sa.String(10))
    grade: Mapped[int | None]
    # HMAC-SHA256 (hex, truncated) of each linkage-code element, in the instrument's order;
    # None for an element left unanswered. Compared element by element when pairing.
    link_code: Mapped[list] = mapped_column(sa.JSON, default=list)
    batch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    # Online answers only: the random single-use token of the form the pupil was given, so a
    # double submission (double click, back and resend) is refused even between app servers.
    # It is random, says nothing about the pupil and carries no time; None for paper and import.
    form_nonce: Mapped[str | None] = mapped_column(sa.String(32), unique=True)

    wave: Mapped[Wave] = relationship(back_populates="responses")
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )
    scores: Mapped[list["ScaleScore"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(sa.column("sex").in_([s.value for s in Sex]), name="sex_known"),
        sa.CheckConstraint(sa.column("source").in_([s.value for s in Source]), name="source_known"),
    )


class Answer(Base):
    """One answer. `value` is scored so that higher means more agreement: 4 = stämmer helt och
    hållet … 1 = stämmer inte alls; yes = 1, no = 0; for a choice, the option's position.
    "Vet inte" is kept as dont_know (value None): its share is itself a finding."""

    __tablename__ = "answer"

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("item.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    value: Mapped[int | None]
    dont_know: Mapped[bool] = mapped_column(default=False)

    response: Mapped[Response] = relationship(back_populates="answers")
    item: Mapped[Item] = relationship()


class ScaleScore(Base):
    """A response's score on one scale, computed when the response is saved (never at report
    time): the mean of the answered items after reverse scoring, and the same as 0–100."""

    __tablename__ = "scale_score"

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    scale_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scale.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # Both None when the score is not valid (see mvp.surveys.scoring); for a yes/no scale the
    # mean is the share of "yes" (0–1).
    mean: Mapped[float | None]
    index: Mapped[float | None]  # 0–100
    answered: Mapped[int] = mapped_column(default=0)
    # At least two thirds of the scale's items answered (not "vet ej", not blank).
    valid: Mapped[bool] = mapped_column(default=False)

    response: Mapped[Response] = relationship(back_populates="scores")
    scale: Mapped[Scale] = relationship()


class ResponseLink(Base):
    """A before-response paired with a later one of the same pupil, through the linkage code."""

    __tablename__ = "response_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    before_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    later_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), unique=True
    )
    later_phase: Mapped[str] = mapped_column(sa.String(10))
    quality: Mapped[str] = mapped_column(sa.String(12))

    before: Mapped[Response] = relationship(foreign_keys=[before_id])
    later: Mapped[Response] = relationship(foreign_keys=[later_id])

    __table_args__ = (
        sa.UniqueConstraint("before_id", "later_phase"),
        sa.CheckConstraint(
            sa.column("quality").in_([q.value for q in LinkQuality]), name="quality_known"
        ),
    )


class SingleUseCode(Base):
    """One code of a wave whose population gets a code per person (mvp.surveys.single_use).

    Only a keyed hash of the code is kept (HMAC under the installation's key), so a stolen
    database gives no usable code, and only whether it was used: no time, no response, no
    person. Marking it used is one conditional UPDATE in the answer's transaction, so two
    requests with the same code cannot both store an answer.
    """

    __tablename__ = "single_use_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    used: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A code made void when the codes were printed again (lost letters): never usable.
    void: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class CohortPairing(Base):
    """When one school's cohort was last paired, and what it held then (mvp.surveys.pairing).

    Pupils never touch this row: their answers only add responses. Pairing locks it, so two
    pairings of one cohort run one after the other, and compares `signature` with the cohort
    as it is now to know whether its pairs are still current.
    """

    __tablename__ = "cohort_pairing"

    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school.id", ondelete="CASCADE"), primary_key=True
    )
    cohort: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # "waves:responses:highest response id" of the answers the stored pairs were made from.
    signature: Mapped[str] = mapped_column(sa.String(40), default="")


@sa.event.listens_for(sa.orm.Mapper, "before_delete")
def _keep_groups_that_have_waves(mapper, connection, target) -> None:
    """A pupil group with questionnaire waves is not removed: its answers would go with it.

    Raised inside the flush, so the schools area's delete view shows the message and rolls
    back without knowing about questionnaires.
    """
    if mapper.local_table.name != "student_group":
        return
    has_wave = connection.scalar(sa.select(Wave.id).where(Wave.group_id == target.id).limit(1))
    if has_wave is not None:
        from flask_babel import gettext

        from mvp.validation import Invalid

        raise Invalid(
            {"group": gettext("The group has questionnaire waves. Remove the waves first.")}
        )
