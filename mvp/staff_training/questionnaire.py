"""Did it help: a programme's anonymous before/after questionnaire on the shared engine.

The staff training is a population of the questionnaire engine (mvp.surveys.populations):
adults asked their sex only, one shared code per wave (a link or QR code on the screen in
the room; answered on the engine's pages /e/<code>), no linkage between before and after.
A programme's waves are linked to it by ProgrammeWave; nothing of the engine is copied.

The result is the change by sex of each scale's index (0–100) from the answers before to
those after: unpaired (the answers are anonymous), with Hedges' g. A group of fewer than
STAFF_TRAINING_SUPPRESSION_MIN answers in either phase is "..", and so is its change; where
a hidden sex could be computed back from the total, the total is hidden rather than another
sex (mvp.evaluation.suppress with the total first in priority).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.db import Base
from mvp.evaluation.stats import unpaired
from mvp.evaluation.suppress import SUPPRESSED, partition_lines, protect
from mvp.extensions import db
from mvp.reports.tables import Column, Table
from mvp.surveys.instruments import install_definition, latest_version
from mvp.surveys.models import Response, Scale, ScaleScore, Wave
from mvp.surveys.populations import (
    ADULT_SEX_QUESTION,
    ADULT_SEXES,
    Codes,
    Population,
    PopulationSpec,
    register,
)
from mvp.surveys.waves import new_code
from mvp.validation import Invalid

SPEC = register(
    PopulationSpec(
        Population.STAFF_TRAINING,
        sexes=ADULT_SEXES,
        sex_question=ADULT_SEX_QUESTION,
        codes=Codes.WAVE_CODE,
        pairs=False,
        asks_grade=False,
        permission="staff_training.manage",
    )
)

BEFORE, AFTER = "before", "after"
INSTRUMENT_KEY = "jamstalldhet-utbildning"

# Our own items (not a published scale's wording): what the participant knows about gender
# mainstreaming, and how they see equality work in their own job.
DEFINITION = {
    "key": INSTRUMENT_KEY,
    "population": Population.STAFF_TRAINING.value,
    "name_sv": "Jämställdhetsutbildningen: före och efter",
    "name_en": "The gender-equality training: before and after",
    "description_sv": "Anonym enkät före och efter kommunens utbildning i jämställdhetsintegrering "
    "och normmedvetet arbetssätt. Frågorna är formulerade för kommunen.",
    "description_en": "Anonymous questionnaire before and after the municipality's training in "
    "gender mainstreaming and norm-aware work. The questions were written for the municipality.",
    "scales": [
        {
            "key": "kunskap",
            "name_sv": "Kunskap om jämställdhetsintegrering",
            "name_en": "Knowledge of gender mainstreaming",
            "construct_sv": "Hur väl deltagaren anser sig känna till vad jämställdhetsintegrering "
            "innebär och hur den görs i det egna arbetet. Högre värde = mer kunskap.",
            "construct_en": "How well the participant considers they know what gender "
            "mainstreaming means and how it is done in their own work. Higher = more knowledge.",
        },
        {
            "key": "attityd",
            "name_sv": "Syn på jämställdhetsarbete",
            "name_en": "View of equality work",
            "construct_sv": "Hur viktigt och möjligt deltagaren ser jämställdhetsarbetet i sin "
            "egen verksamhet. Högre värde = mer positiv syn.",
            "construct_en": "How important and feasible the participant finds equality work in "
            "their own operations. Higher = a more positive view.",
        },
    ],
    "items": [
        {
            "key": "kunskap1",
            "scale": "kunskap",
            "kind": "agreement",
            "reverse": False,
            "text_sv": "Jag kan förklara vad jämställdhetsintegrering betyder för en kollega.",
            "text_en": "I can explain to a colleague what gender mainstreaming means.",
        },
        {
            "key": "kunskap2",
            "scale": "kunskap",
            "kind": "agreement",
            "reverse": False,
            "text_sv": "Jag vet hur vi kan ta fram statistik uppdelad på kön i vår verksamhet.",
            "text_en": "I know how we can produce statistics by sex in our operations.",
        },
        {
            "key": "kunskap3",
            "scale": "kunskap",
            "kind": "agreement",
            "reverse": False,
            "text_sv": "Jag känner igen när normer om kön påverkar hur vi bemöter dem vi "
            "är till för.",
            "text_en": "I recognise when norms about sex affect how we treat the people we serve.",
        },
        {
            "key": "attityd1",
            "scale": "attityd",
            "kind": "agreement",
            "reverse": False,
            "text_sv": "Jämställdhet är en fråga för hela arbetsplatsen, inte bara för några.",
            "text_en": "Equality is a matter for the whole workplace, not just for a few.",
        },
        {
            "key": "attityd2",
            "scale": "attityd",
            "kind": "agreement",
            "reverse": True,
            "text_sv": "Vi behandlar redan alla lika, så jämställdhetsarbete behövs inte hos oss.",
            "text_en": "We already treat everyone the same, so equality work is not needed here.",
        },
        {
            "key": "attityd3",
            "scale": "attityd",
            "kind": "agreement",
            "reverse": False,
            "text_sv": "Jag kan påverka att vår verksamhet blir mer jämställd.",
            "text_en": "I can help make our operations more equal.",
        },
    ],
}


class ProgrammeWave(Base):
    """A wave of the engine asking a programme's participants, before or after."""

    __tablename__ = "staff_programme_wave"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_programme.id", ondelete="CASCADE"), index=True
    )
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id", ondelete="CASCADE"), unique=True)
    phase: Mapped[str] = mapped_column(sa.String(10))

    wave: Mapped[Wave] = relationship()

    __table_args__ = (
        sa.CheckConstraint(sa.column("phase").in_([BEFORE, AFTER]), name="phase_known"),
    )


def ensure_instrument():
    """The training's instrument: the latest version, installed from DEFINITION if none."""
    return latest_version(INSTRUMENT_KEY) or install_definition(DEFINITION)[0]


def programme_waves(programme_id: int) -> list[ProgrammeWave]:
    """A programme's waves, oldest first, with the engine's wave."""
    return list(
        db.session.scalars(
            sa.select(ProgrammeWave)
            .where(ProgrammeWave.programme_id == programme_id)
            .options(sa.orm.joinedload(ProgrammeWave.wave))
            .order_by(ProgrammeWave.id)
        )
    )


def open_wave(programme_id: int, phase: str, opens_on, closes_on) -> ProgrammeWave:
    """Open a before or after wave of a programme, with a shared code for link and QR."""
    errors = {}
    if phase not in (BEFORE, AFTER):
        errors["phase"] = _("Choose before or after.")
    if opens_on is None or closes_on is None or closes_on < opens_on:
        errors["closes_on"] = _("The last day cannot come before the first.")
    if errors:
        raise Invalid(errors)
    instrument = ensure_instrument()
    wave = Wave(
        population=Population.STAFF_TRAINING.value,
        instrument_id=instrument.id,
        phase=phase,
        opens_on=opens_on,
        closes_on=closes_on,
        code=new_code(),
    )
    db.session.add(wave)
    db.session.flush()
    link = ProgrammeWave(programme_id=programme_id, wave_id=wave.id, phase=phase)
    db.session.add(link)
    db.session.flush()
    return link


@dataclass(frozen=True)
class ChangeRow:
    """A scale's change for one sex (or all): answers and mean index before and after."""

    scale: str
    sex: str  # woman, man, other, no_answer or "total"
    n_before: int | str
    n_after: int | str
    before: float | str | None
    after: float | str | None
    change: float | str | None
    hedges_g: float | str | None


def change_by_sex(programme_ids=None, *, year: int | None = None) -> dict[str, list[ChangeRow]]:
    """{programme name: rows} of the index change before -> after, suppressed (one query)."""
    from mvp.staff_training.models import Programme

    statement = (
        sa.select(
            Programme.name,
            Scale.name_sv,
            Scale.name_en,
            Scale.position,
            ProgrammeWave.phase,
            Response.sex,
            ScaleScore.index,
        )
        .join(ProgrammeWave, ProgrammeWave.programme_id == Programme.id)
        .join(Response, Response.wave_id == ProgrammeWave.wave_id)
        .join(ScaleScore, ScaleScore.response_id == Response.id)
        .join(Scale, Scale.id == ScaleScore.scale_id)
        .join(Wave, Wave.id == ProgrammeWave.wave_id)
        .where(ScaleScore.index.is_not(None))
        .order_by(Programme.name, Scale.position)
    )
    if programme_ids is not None:
        statement = statement.where(Programme.id.in_(programme_ids))
    if year is not None:
        statement = statement.where(
            Wave.opens_on >= dt.date(year, 1, 1), Wave.opens_on <= dt.date(year, 12, 31)
        )
    scores: dict = defaultdict(lambda: defaultdict(list))
    english = str(get_locale() or "sv").startswith("en")
    for programme, name_sv, name_en, _position, phase, sex, index in db.session.execute(statement):
        scale = name_en if english else name_sv
        scores[(programme, scale)][(phase, sex)].append(index)
        scores[(programme, scale)][(phase, "total")].append(index)
    min_n = int(current_app.config["STAFF_TRAINING_SUPPRESSION_MIN"])
    result: dict[str, list[ChangeRow]] = defaultdict(list)
    sexes = [*SPEC.sex_values, "total"]
    for (programme, scale), groups in scores.items():
        shown = {}
        for phase in (BEFORE, AFTER):
            sizes = {sex: len(groups.get((phase, sex), [])) for sex in sexes}
            # The figures by sex are what must be shown: the total goes first when one of them
            # could be computed back from it.
            protected = protect(
                sizes, partition_lines("total", SPEC.sex_values), min_n, priority={"total": -1}
            )
            shown.update({(phase, sex): protected.shows(sex) for sex in sexes})
        for sex in sexes:
            before, after = groups.get((BEFORE, sex), []), groups.get((AFTER, sex), [])
            if not before and not after:
                continue
            stats = unpaired(before, after)
            visible = shown[(BEFORE, sex)] and shown[(AFTER, sex)]
            hide = lambda value, v=visible: value if v else SUPPRESSED  # noqa: E731
            result[programme].append(
                ChangeRow(
                    scale,
                    sex,
                    len(before) if shown[(BEFORE, sex)] else SUPPRESSED,
                    len(after) if shown[(AFTER, sex)] else SUPPRESSED,
                    stats.before_mean if shown[(BEFORE, sex)] else SUPPRESSED,
                    stats.after_mean if shown[(AFTER, sex)] else SUPPRESSED,
                    hide(stats.difference),
                    hide(stats.hedges_g),
                )
            )
    return dict(result)


def change_table(programme: str, rows: list[ChangeRow]) -> Table:
    """A programme's change as a report table (web, PDF, Excel, JSON)."""
    table = Table(
        "questionnaire",
        "status",
        _("Did it help: %(programme)s, before and after by sex", programme=programme),
        [
            Column(_("Scale")),
            Column(_("Sex")),
            Column(_("Answers before"), "count"),
            Column(_("Index before"), "index"),
            Column(_("Answers after"), "count"),
            Column(_("Index after"), "index"),
            Column(_("Difference"), "change"),
            Column(_("Effect size (g)"), "effect"),
        ],
        note=_(
            "Index 0–100. Anonymous answers, not linked: the groups before and after may "
            "differ. Fewer than the threshold of answers is shown as “..”."
        ),
    )
    for row in rows:
        sex = _("All") if row.sex == "total" else SPEC.sex_label(row.sex)
        table.rows.append(
            [
                row.scale,
                sex,
                row.n_before,
                row.before,
                row.n_after,
                row.after,
                row.change,
                row.hedges_g,
            ]
        )
    return table
