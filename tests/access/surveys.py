"""Access rules of the questionnaires: waves and paper entry per school, instruments for all
staff (changed by project leads), and the pupils' pages open to everyone."""

from tests.access import CENTRAL, OK, PUBLIC, STAFF, Rule, expect


def _wave_rule(path: str, **kwargs) -> Rule:
    return Rule(
        lambda w: f"/surveys/waves/{w.own_wave.id}{path}",
        STAFF,
        other_url=lambda w: f"/surveys/waves/{w.other_wave.id}{path}",
        **kwargs,
    )


def _batch_rule(path: str, **kwargs) -> Rule:
    return Rule(
        lambda w: f"/surveys/batches/{w.own_batch.id}{path}",
        STAFF,
        other_url=lambda w: f"/surveys/batches/{w.other_batch.id}{path}",
        **kwargs,
    )


def _pupil_page(w) -> dict:
    # A browser without a draft of this wave is sent to the questionnaire's start.
    return {"kon": "girl", "arskurs": "8", "q-agera1": "1"}


RULES = {
    "surveys.index": Rule(lambda w: "/surveys/", STAFF),
    "surveys.wave_new": Rule(lambda w: "/surveys/waves/new", STAFF),
    "surveys.wave_new POST": Rule(lambda w: "/surveys/waves/new", STAFF, data=lambda w: {}),
    "surveys.wave": _wave_rule(""),
    "surveys.wave_edit": _wave_rule("/edit"),
    "surveys.wave_edit POST": _wave_rule("/edit", data=lambda w: {}),
    "surveys.wave_delete": _wave_rule("/delete"),
    "surveys.wave_delete POST": _wave_rule("/delete"),
    "surveys.sheet": _wave_rule("/sheet"),
    "surveys.paper_pdf": _wave_rule("/paper.pdf"),
    "surveys.wave_shared_device POST": _wave_rule("/shared-device", data=lambda w: {"shared": "1"}),
    "surveys.template": _wave_rule("/template.xlsx"),
    "surveys.paper": _wave_rule("/paper"),
    "surveys.paper POST": _wave_rule("/paper", data=lambda w: {}),
    "surveys.import_answers": _wave_rule("/import"),
    "surveys.import_answers POST": _wave_rule("/import", data=lambda w: {}),
    "surveys.batch_edit": _batch_rule("/edit"),
    "surveys.batch_edit POST": _batch_rule("/edit", data=lambda w: {}),
    "surveys.batch_delete": _batch_rule("/delete"),
    "surveys.batch_delete POST": _batch_rule("/delete"),
    "surveys.instruments_index": Rule(lambda w: "/surveys/instruments/", STAFF),
    "surveys.instrument_default POST": Rule(lambda w: "/surveys/instruments/default", CENTRAL),
    "surveys.instrument": Rule(lambda w: f"/surveys/instruments/{w.instrument.id}", STAFF),
    "surveys.instrument_preview": Rule(
        lambda w: f"/surveys/instruments/{w.instrument.id}/preview", STAFF
    ),
    "surveys.instrument_definition": Rule(
        lambda w: f"/surveys/instruments/{w.instrument.id}/definition.json", STAFF
    ),
    "surveys.instrument_active POST": Rule(
        lambda w: f"/surveys/instruments/{w.instrument.id}/active", CENTRAL
    ),
    "surveys.item_new": Rule(
        lambda w: f"/surveys/instruments/{w.instrument.id}/items/new", CENTRAL
    ),
    "surveys.item_new POST": Rule(
        lambda w: f"/surveys/instruments/{w.instrument.id}/items/new", CENTRAL, data=lambda w: {}
    ),
    "surveys.item_edit": Rule(lambda w: f"/surveys/items/{w.item.id}/edit", CENTRAL),
    "surveys.item_edit POST": Rule(
        lambda w: f"/surveys/items/{w.item.id}/edit", CENTRAL, data=lambda w: {}
    ),
    "surveys.item_delete": Rule(lambda w: f"/surveys/items/{w.item.id}/delete", CENTRAL),
    "surveys.item_delete POST": Rule(lambda w: f"/surveys/items/{w.item.id}/delete", CENTRAL),
    # The pupils' pages: no account, the same for everyone.
    "pupil.start": Rule(lambda w: "/e", PUBLIC),
    "pupil.start POST": Rule(lambda w: "/e", PUBLIC, data=lambda w: {"kod": w.own_wave.code}),
    "pupil.form": Rule(lambda w: f"/e/{w.own_wave.code}", PUBLIC),
    "pupil.page": Rule(lambda w: f"/e/{w.own_wave.code}/sida/1", PUBLIC),
    "pupil.page POST": Rule(lambda w: f"/e/{w.own_wave.code}/sida/1", PUBLIC, data=_pupil_page),
    "pupil.send POST": Rule(lambda w: f"/e/{w.own_wave.code}/skicka", PUBLIC, data=_pupil_page),
    "pupil.thanks": Rule(lambda w: f"/e/{w.own_wave.code}/tack", expect(OK, OK, OK, OK, OK)),
}
