"""Instruments: the default questionnaire shipped with the app, versions, and freezing once
answers exist (a change makes a new version; old answers keep theirs)."""

import json
from pathlib import Path

import sqlalchemy as sa

from mvp.extensions import db
from mvp.surveys import instruments, services
from mvp.surveys.instruments import ItemData
from mvp.surveys.models import Answer, Instrument, Item
from mvp.validation import Invalid
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import add_responses, make_instrument, make_wave, response_data

ROOT = Path(__file__).resolve().parents[2]


def test_default_instrument_has_the_scales_the_project_measures(app):
    instrument = make_instrument()
    assert instrument.key == "mvp-standard" and instrument.version == 1
    assert 20 <= len(instrument.items) <= 30
    scales = {scale.key: scale for scale in instrument.scales}
    assert set(scales) == {"agera", "tilltro", "avstand", "jamstalld", "kanna_igen", "trygghet"}
    kinds = {key: {item.kind for item in scale.items} for key, scale in scales.items()}
    assert kinds["kanna_igen"] == {"yes_no"}
    assert all(kinds[key] == {"agreement"} for key in scales if key != "kanna_igen")
    # Acceptance of violence and traditional norms are asked as such and reverse-scored, so
    # that the scales (named for the hoped-for direction) point the same way as the others.
    assert all(item.reverse for item in scales["avstand"].items)
    assert sum(item.reverse for item in scales["jamstalld"].items) >= 3
    assert scales["avstand"].name_sv == "Avståndstagande från våld och kontroll"
    for item in instrument.items:
        assert item.text_sv.strip() and item.text_en.strip()
    assert len({item.key for item in instrument.items}) == len(instrument.items)


def test_readme_documents_every_scale_and_its_direction(app):
    readme = (ROOT / "README.md").read_text()
    for scale in instruments.default_definition()["scales"]:
        assert f"`{scale['key']}`" in readme
        assert scale["name_sv"] in readme


def test_load_instrument_command_is_idempotent(app, runner):
    first = runner.invoke(args=["surveys", "load-instrument"])
    second = runner.invoke(args=["surveys", "load-instrument"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert "Enkäten MVP-enkäten v1 finns." in second.output
    assert db.session.scalar(sa.select(sa.func.count(Instrument.id))) == 1


def test_changing_an_unanswered_instrument_changes_it_in_place(app):
    instrument = make_instrument()
    item = instrument.items[0]
    change = instruments.update_item(item, ItemData(text_sv="Ny text", text_en="New text"))
    db.session.commit()
    assert not change.new_version and change.instrument.id == instrument.id
    assert instrument.version == 1
    assert instrument.items[0].text_sv == "Ny text"


def test_an_answered_instrument_is_frozen_and_a_change_makes_a_new_version(app):
    group = make_group(make_school())
    wave = make_wave(group)
    v1 = wave.instrument
    add_responses(wave, [response_data(wave, {"agera1": "1", "vald1": "1"})])
    assert instruments.is_frozen(v1)
    old_item_ids = {item.key: item.id for item in v1.items}

    change = instruments.update_item(
        v1.items[0], ItemData(text_sv="Säger du ifrån?", text_en="Do you speak up?")
    )
    db.session.commit()
    v2 = change.instrument
    assert change.new_version and v2.id != v1.id
    assert (v2.key, v2.version, v2.active) == ("mvp-standard", 2, True)
    assert not db.session.get(Instrument, v1.id).active
    # The old version and its answers are untouched.
    assert db.session.get(Item, old_item_ids["agera1"]).text_sv.startswith("Om någon i klassen")
    answered = set(db.session.scalars(sa.select(Answer.item_id)))
    assert answered == {old_item_ids["agera1"], old_item_ids["vald1"]}
    assert v2.items[0].text_sv == "Säger du ifrån?" and v2.items[0].key == "agera1"
    # New waves are offered the new version; the group's after wave is offered its before's.
    assert services.instruments_for(None) == [v2]
    assert set(services.instruments_for(group)) == {v1, v2}
    assert services.suggested_instrument(group) == v1


def test_adding_and_removing_questions(app):
    instrument = make_instrument()
    count = len(instrument.items)
    data = ItemData(
        key="sett2",
        text_sv="Hur ofta har du själv sagt ifrån?",
        text_en="How often have you spoken up?",
        kind="choice",
        options=[
            {"value": "1", "sv": "Aldrig", "en": "Never"},
            {"value": "2", "sv": "Ofta", "en": "Often"},
        ],
    )
    instruments.add_item(instrument, data)
    db.session.commit()
    assert len(instrument.items) == count + 1 and instrument.items[-1].key == "sett2"
    instruments.remove_item(instrument.items[-1])
    db.session.commit()
    assert len(instrument.items) == count


def test_bad_questions_are_refused_with_swedish_messages(app, client):
    instrument = make_instrument()
    sign_in(client, make_user("lead"))
    url = f"/surveys/instruments/{instrument.id}/items/new"
    cases = [
        (
            {"key": "agera1", "text_sv": "x", "text_en": "x"},
            "Enkäten har redan en fråga med den nyckeln.",
        ),
        (
            {"key": "kon", "text_sv": "x", "text_en": "x"},
            "Nyckeln används redan av en bakgrunds- eller kodkolumn.",
        ),
        ({"key": "Ny Fråga", "text_sv": "x", "text_en": "x"}, "Använd små bokstäver a–z"),
        ({"key": "ny", "text_sv": "", "text_en": "x"}, "Skriv frågan på svenska."),
        (
            {"key": "ny", "text_sv": "x", "text_en": "x", "kind": "choice", "options": "Bara ett"},
            "Skriv minst två alternativ",
        ),
        (
            {"key": "ny", "text_sv": "x", "text_en": "x", "kind": "yes_no", "scale": "agera"},
            "Skalans övriga frågor har en annan svarstyp.",
        ),
        (
            {
                "key": "ny",
                "text_sv": "x",
                "text_en": "x",
                "kind": "choice",
                "options": "A\nB",
                "scale": "agera",
            },
            "En fråga med enkelval kan inte ingå i en skala.",
        ),
    ]
    count = len(instrument.items)
    for data, message in cases:
        response = client.post(url, data={"kind": "agreement", **data})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page, message
    assert len(db.session.get(Instrument, instrument.id).items) == count


def test_lead_edits_a_frozen_instrument_in_the_browser_and_gets_a_new_version(app, client):
    wave = make_wave(make_group(make_school()))
    add_responses(wave, [response_data(wave)])
    item = wave.instrument.items[1]
    sign_in(client, make_user("lead"))
    page = client.get(f"/surveys/items/{item.id}/edit").get_data(as_text=True)
    assert "Enkäten har svar, så när du sparar skapas en ny version" in page
    response = client.post(
        f"/surveys/items/{item.id}/edit",
        data={"text_sv": "Ändrad", "text_en": "Changed", "scale": "agera"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "ändringen sparades som en ny version (v2)" in page
    assert "MVP-enkäten v2" in page


def test_coordinators_see_but_cannot_change_instruments(app, client):
    instrument = make_instrument()
    school = make_school()
    sign_in(client, make_user("coordinator", schools=[school]))
    page = client.get(f"/surveys/instruments/{instrument.id}").get_data(as_text=True)
    assert "Beredskap att agera" in page and "Lägg till en fråga" not in page
    assert client.get(f"/surveys/items/{instrument.items[0].id}/edit").status_code == 403


def test_preview_shows_the_pupils_form_without_sending(app, client):
    instrument = make_instrument()
    sign_in(client, make_user("lead"))
    page = client.get(f"/surveys/instruments/{instrument.id}/preview").get_data(as_text=True)
    assert page.count("<fieldset") == len(instrument.items) + 2
    assert page.count("<legend>") == len(instrument.items) + 2
    assert "Stämmer helt och hållet" in page and "Vet inte" in page
    # Nothing to send: no pupils' form, no single-use token, no send button.
    assert "Skicka svaren" not in page and 'name="token"' not in page


def test_definition_download_loads_back_unchanged_and_a_changed_file_versions(
    app, client, runner, tmp_path
):
    wave = make_wave(make_group(make_school()))
    add_responses(wave, [response_data(wave)])
    sign_in(client, make_user("lead"))
    body = client.get(f"/surveys/instruments/{wave.instrument.id}/definition.json").get_data()
    definition = json.loads(body)
    assert instruments.install_definition(definition)[1] == "unchanged"
    definition["items"][0]["text_sv"] = "En ny formulering."
    path = tmp_path / "enkat.json"
    path.write_text(json.dumps(definition), "utf-8")
    result = runner.invoke(args=["surveys", "load-instrument", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert "Enkäten hade svar: MVP-enkäten v2 lades till." in result.output
    path.write_text("{inte json", "utf-8")
    result = runner.invoke(args=["surveys", "load-instrument", "--file", str(path)])
    assert result.exit_code == 2 and "Filen är inte giltig JSON" in result.output


def test_a_broken_definition_names_every_problem(app):
    definition = instruments.default_definition()
    definition["items"][0]["kind"] = "slider"
    definition["items"][1]["key"] = "kod_dag"
    definition["items"][2]["scale"] = "finns_inte"
    try:
        instruments.check_definition(definition)
    except Invalid as error:
        message = error.errors["file"]
    else:
        raise AssertionError("accepted a broken definition")
    assert "agera1: okänd svarstyp." in message
    assert "kod_dag: nyckeln används redan" in message
    assert "agera3: okänd skala." in message
