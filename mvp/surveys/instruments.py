"""Instruments: the default questionnaire shipped as a data file, versions, and frozen editing.

An instrument is written down as a definition (a dict, stored as JSON in mvp/surveys/data/):
its names, its scales and its items. Once any answer exists for a version it is frozen: a
change then makes a new version (the old one stops being offered for new waves), and answers
keep the version they were given with. Item and scale keys keep their meaning across versions,
which is how the evaluation compares a before-wave on one version with an after-wave on another.
"""

import json
import re
from dataclasses import dataclass, field
from importlib import resources

import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.surveys.linkage import QUESTION_KEYS
from mvp.surveys.models import Instrument, Item, Response, ResponseKind, Scale, Wave
from mvp.surveys.populations import Population
from mvp.validation import Invalid

DEFAULT_KEY = "mvp-standard"
DEFAULT_FILE = "mvp-standard.json"
# Columns of the import template besides the items: an item key must not take one of them.
BACKGROUND_COLUMNS = ("kon", "arskurs")
RESERVED_KEYS = frozenset(BACKGROUND_COLUMNS) | frozenset(QUESTION_KEYS)
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def default_definition() -> dict:
    """The default MVP instrument as shipped with the app."""
    text = resources.files("mvp.surveys").joinpath("data", DEFAULT_FILE).read_text("utf-8")
    return json.loads(text)


def read_definition(text: str) -> dict:
    """A definition from JSON text; raises Invalid when it is not JSON."""
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as error:
        raise Invalid({"file": _("The file is not valid JSON: %(error)s", error=error)}) from error
    if not isinstance(definition, dict):
        raise Invalid({"file": _("The file does not describe a questionnaire.")})
    return definition


def check_definition(definition: dict) -> None:
    """Raise Invalid naming every problem of a definition (keys, kinds, scales, options)."""
    problems = []
    for name in ("key", "name_sv", "name_en"):
        if not str(definition.get(name) or "").strip():
            problems.append(_("%(field)s is missing.", field=name))
    if definition.get("population", Population.PUPILS) not in {p.value for p in Population}:
        problems.append(_("Unknown population %(value)s.", value=definition.get("population")))
    scales = definition.get("scales") or []
    scale_keys = [s.get("key") for s in scales]
    for key in scale_keys:
        if not key or not _KEY.match(str(key)):
            problems.append(_("Scale key %(key)s: use a–z, 0–9 and _.", key=key))
    if len(set(scale_keys)) != len(scale_keys):
        problems.append(_("Two scales have the same key."))
    items = definition.get("items") or []
    if not items:
        problems.append(_("The questionnaire has no questions."))
    seen = set()
    kinds_of_scale: dict[str, set] = {}
    for item in items:
        key = item.get("key")
        problems += [f"{key}: {p}" for p in _item_problems(item, scale_keys)]
        if key in seen:
            problems.append(_("%(key)s: two questions have this key.", key=key))
        seen.add(key)
        if item.get("scale"):
            kinds_of_scale.setdefault(item["scale"], set()).add(item.get("kind"))
    for scale_key, kinds in kinds_of_scale.items():
        if len(kinds) > 1:
            problems.append(
                _("Scale %(key)s mixes kinds of questions; use one kind per scale.", key=scale_key)
            )
    if problems:
        raise Invalid({"file": " ".join(str(p) for p in problems)})


def _item_problems(item: dict, scale_keys: list) -> list[str]:
    problems = []
    key = item.get("key")
    if not key or not _KEY.match(str(key)):
        problems.append(_("use a key of a–z, 0–9 and _ that starts with a letter."))
    elif key in RESERVED_KEYS:
        problems.append(_("the key is taken by a background or linkage-code column."))
    if not str(item.get("text_sv") or "").strip() or not str(item.get("text_en") or "").strip():
        problems.append(_("the question needs a Swedish and an English text."))
    kind = item.get("kind")
    if kind not in {k.value for k in ResponseKind}:
        problems.append(_("unknown kind of question."))
    if item.get("scale") and item["scale"] not in scale_keys:
        problems.append(_("unknown scale."))
    if kind == ResponseKind.CHOICE:
        options = item.get("options") or []
        if len(options) < 2 or not all(o.get("sv") and o.get("en") for o in options):
            problems.append(_("a single-choice question needs at least two options."))
        if item.get("scale"):
            problems.append(_("a single-choice question cannot belong to a scale."))
    return problems


def definition_of(instrument: Instrument) -> dict:
    """An instrument written down as a definition (the inverse of building one)."""
    keys = {scale.id: scale.key for scale in instrument.scales}
    return {
        "key": instrument.key,
        "population": instrument.population,
        "name_sv": instrument.name_sv,
        "name_en": instrument.name_en,
        "description_sv": instrument.description_sv,
        "description_en": instrument.description_en,
        "scales": [
            {
                "key": s.key,
                "name_sv": s.name_sv,
                "name_en": s.name_en,
                "construct_sv": s.construct_sv,
                "construct_en": s.construct_en,
            }
            for s in instrument.scales
        ],
        "items": [
            {
                "key": i.key,
                "scale": keys.get(i.scale_id),
                "kind": i.kind,
                "reverse": i.reverse,
                "text_sv": i.text_sv,
                "text_en": i.text_en,
                **({"options": i.options} if i.kind == ResponseKind.CHOICE else {}),
                **({"required": True} if i.required else {}),
            }
            for i in instrument.items
        ],
    }


def _normalised(definition: dict) -> dict:
    """A definition with defaults filled in, so that two equal questionnaires compare equal."""
    return {
        "key": definition["key"],
        "population": definition.get("population") or Population.PUPILS.value,
        "name_sv": definition["name_sv"],
        "name_en": definition["name_en"],
        "description_sv": definition.get("description_sv") or "",
        "description_en": definition.get("description_en") or "",
        "scales": [
            {
                "key": s["key"],
                "name_sv": s.get("name_sv") or s["key"],
                "name_en": s.get("name_en") or s["key"],
                "construct_sv": s.get("construct_sv") or "",
                "construct_en": s.get("construct_en") or "",
            }
            for s in definition.get("scales") or []
        ],
        "items": [
            {
                "key": i["key"],
                "scale": i.get("scale") or None,
                "kind": i["kind"],
                "reverse": bool(i.get("reverse")),
                "text_sv": i["text_sv"].strip(),
                "text_en": i["text_en"].strip(),
                **({"options": i.get("options") or []} if i["kind"] == ResponseKind.CHOICE else {}),
                **({"required": True} if i.get("required") else {}),
            }
            for i in definition["items"]
        ],
    }


def _fill(instrument: Instrument, definition: dict) -> None:
    definition = _normalised(definition)
    for name in ("population", "name_sv", "name_en", "description_sv", "description_en"):
        setattr(instrument, name, definition[name])
    scales = {}
    for position, data in enumerate(definition["scales"], start=1):
        scale = Scale(position=position, **data)
        instrument.scales.append(scale)
        scales[data["key"]] = scale
    for position, data in enumerate(definition["items"], start=1):
        instrument.items.append(
            Item(
                key=data["key"],
                position=position,
                text_sv=data["text_sv"],
                text_en=data["text_en"],
                kind=data["kind"],
                scale=scales.get(data["scale"]),
                reverse=data["reverse"],
                options=data.get("options", []),
                required=data.get("required", False),
            )
        )


# --- reads ---------------------------------------------------------------------------------


def is_frozen(instrument: Instrument) -> bool:
    """Whether any answer was given with this version (then it must not change)."""
    return (
        db.session.scalar(
            sa.select(Response.id)
            .join(Response.wave)
            .where(Wave.instrument_id == instrument.id)
            .limit(1)
        )
        is not None
    )


def latest_version(key: str) -> Instrument | None:
    """The newest version of an instrument, or None."""
    return db.session.scalars(
        sa.select(Instrument).where(Instrument.key == key).order_by(Instrument.version.desc())
    ).first()


def list_instruments(populations=None) -> list["InstrumentRow"]:
    """Every version (of the given populations, default all), newest first per key, with its
    waves and answers counted (3 queries)."""
    statement = (
        sa.select(Instrument)
        .options(sa.orm.selectinload(Instrument.items))
        .order_by(Instrument.key, Instrument.version.desc())
    )
    if populations is not None:
        statement = statement.where(Instrument.population.in_(list(populations)))
    instruments = list(db.session.scalars(statement))
    waves = dict(
        db.session.execute(
            sa.select(Wave.instrument_id, sa.func.count(Wave.id)).group_by(Wave.instrument_id)
        ).all()
    )
    answers = dict(
        db.session.execute(
            sa.select(Wave.instrument_id, sa.func.count(Response.id))
            .join(Response.wave)
            .group_by(Wave.instrument_id)
        ).all()
    )
    return [InstrumentRow(i, waves.get(i.id, 0), answers.get(i.id, 0)) for i in instruments]


@dataclass
class InstrumentRow:
    """An instrument version with how much it is used."""

    instrument: Instrument
    waves: int
    responses: int


def get_instrument(instrument_id: int) -> Instrument:
    """One instrument version with its scales and items, else 404."""
    return db.get_or_404(
        Instrument,
        instrument_id,
        options=[sa.orm.selectinload(Instrument.items), sa.orm.selectinload(Instrument.scales)],
    )


# --- changes -------------------------------------------------------------------------------


def create_version(definition: dict, version: int = 1) -> Instrument:
    """Add a version built from a checked definition."""
    check_definition(definition)
    instrument = Instrument(key=definition["key"], version=version, name_sv="", name_en="")
    _fill(instrument, definition)
    db.session.add(instrument)
    db.session.flush()
    return instrument


def install_definition(definition: dict) -> tuple[Instrument, str]:
    """Install a definition: a first version, nothing (unchanged), in place, or a new version.

    Returns the instrument and what happened: "created", "unchanged", "updated" (the newest
    version had no answers and was changed in place) or "new_version".
    """
    check_definition(definition)
    current = latest_version(definition["key"])
    if current is None:
        return create_version(definition), "created"
    if _normalised(definition_of(current)) == _normalised(definition):
        return current, "unchanged"
    if not is_frozen(current):
        current.scales.clear()
        current.items.clear()
        db.session.flush()
        _fill(current, definition)
        db.session.flush()
        return current, "updated"
    return _new_version_from(current, definition), "new_version"


def ensure_default_instrument() -> Instrument:
    """The default MVP instrument, created from the shipped file if the database has none.

    An existing one is left alone, whatever its version: project leads may have changed it.
    """
    existing = latest_version(DEFAULT_KEY)
    if existing is not None:
        return existing
    return create_version(default_definition())


def _new_version_from(base: Instrument, definition: dict) -> Instrument:
    newest = latest_version(base.key)
    for version in db.session.scalars(sa.select(Instrument).where(Instrument.key == base.key)):
        version.active = False
    instrument = create_version(definition, version=newest.version + 1)
    instrument.active = True
    return instrument


@dataclass
class ItemData:
    """What a project lead enters about a question."""

    text_sv: str
    text_en: str
    kind: str = ResponseKind.AGREEMENT.value
    scale: str | None = None  # the scale's key
    reverse: bool = False
    required: bool = False
    options: list[dict] = field(default_factory=list)
    key: str | None = None  # only for a new question


@dataclass
class Change:
    """The result of changing an instrument: where the changed question now lives."""

    instrument: Instrument
    new_version: bool


def _apply(definition: dict, key: str | None, data: ItemData | None, *, new_key=None) -> dict:
    """A copy of `definition` with item `key` replaced by `data` (None: removed) or appended."""
    items = []
    for item in definition["items"]:
        if item["key"] != key:
            items.append(item)
        elif data is not None:
            items.append(_item_dict(item["key"], data))
    if new_key is not None and data is not None:
        items.append(_item_dict(new_key, data))
    return {**definition, "items": items}


def _item_dict(key: str, data: ItemData) -> dict:
    return {
        "key": key,
        "scale": data.scale or None,
        "kind": data.kind,
        "reverse": bool(data.reverse),
        "text_sv": (data.text_sv or "").strip(),
        "text_en": (data.text_en or "").strip(),
        **({"options": data.options} if data.kind == ResponseKind.CHOICE else {}),
        **({"required": True} if data.required else {}),
    }


def _change(instrument: Instrument, definition: dict) -> Change:
    try:
        check_definition(definition)
    except Invalid as error:
        raise Invalid({"text_sv": error.errors["file"]}) from error
    if not is_frozen(instrument):
        instrument.revision = (instrument.revision or 1) + 1  # pages keep questions per revision
        instrument.scales.clear()
        instrument.items.clear()
        db.session.flush()
        _fill(instrument, definition)
        db.session.flush()
        return Change(instrument, False)
    return Change(_new_version_from(instrument, definition), True)


def _check_item(data: ItemData, instrument: Instrument, *, new: bool) -> None:
    errors = {}
    if not (data.text_sv or "").strip():
        errors["text_sv"] = _("Write the question in Swedish.")
    if not (data.text_en or "").strip():
        errors["text_en"] = _("Write the question in English.")
    if new:
        key = (data.key or "").strip()
        if not _KEY.match(key):
            errors["key"] = _("Use lower-case a–z, 0–9 and _, starting with a letter.")
        elif key in RESERVED_KEYS:
            errors["key"] = _("The key is taken by a background or linkage-code column.")
        elif any(item.key == key for item in instrument.items):
            errors["key"] = _("The questionnaire already has a question with this key.")
    if data.kind == ResponseKind.CHOICE:
        if len(data.options) < 2:
            errors["options"] = _("Write at least two options, one per line.")
        if data.scale:
            errors["scale"] = _("A single-choice question cannot belong to a scale.")
    elif data.scale:
        kinds = {i.kind for i in instrument.items if i.scale and i.scale.key == data.scale}
        if kinds and data.kind not in kinds:
            errors["scale"] = _("The scale's other questions are of another kind.")
    if errors:
        raise Invalid(errors)


def update_item(item: Item, data: ItemData) -> Change:
    """Change a question; in a frozen instrument this makes a new version with the change."""
    instrument = item.instrument
    data.kind = item.kind if data.kind is None else data.kind
    _check_item(data, instrument, new=False)
    return _change(instrument, _apply(definition_of(instrument), item.key, data))


def add_item(instrument: Instrument, data: ItemData) -> Change:
    """Add a question at the end; in a frozen instrument this makes a new version."""
    _check_item(data, instrument, new=True)
    definition = _apply(definition_of(instrument), None, data, new_key=data.key.strip())
    return _change(instrument, definition)


def remove_item(item: Item) -> Change:
    """Remove a question; in a frozen instrument this makes a new version without it."""
    instrument = item.instrument
    if len(instrument.items) <= 1:
        raise Invalid({"item": _("A questionnaire needs at least one question.")})
    return _change(instrument, _apply(definition_of(instrument), item.key, None))


def set_active(instrument: Instrument, active: bool) -> None:
    """Offer (or stop offering) a version for new waves."""
    instrument.active = active
    db.session.flush()
