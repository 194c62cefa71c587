"""Paper questionnaires typed into the grid: codes as printed, every error named by row and
column, all-or-nothing, and corrections of a batch (the only place single answers show)."""

import sqlalchemy as sa

from mvp.extensions import db
from mvp.surveys import importing, services
from mvp.surveys.answers import store_responses
from mvp.surveys.linkage import hash_code, linkage_key
from mvp.surveys.models import Answer, ImportBatch, Response
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import CODE, make_wave
from tests.test_versions import SOMEONE_ELSE, hidden, opened_form


def grid(rows: dict[int, dict], answered_on="2026-09-14") -> dict:
    data = {"answered_on": answered_on}
    for number, row in rows.items():
        for key, value in row.items():
            data[f"r{number}-{key}"] = value
    return data


GOOD = {
    "kon": "1",
    "arskurs": "8",
    "agera1": "1",
    "agera2": "4",
    "agera3": "v",
    "vald1": "2",
    **CODE,
}


def setup(client, **group):
    school = make_school()
    wave = make_wave(make_group(school, **group))
    sign_in(client, make_user("coordinator", schools=[school]))
    return wave


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_grid_has_a_labelled_cell_per_column_and_a_row_per_pupil(client):
    wave = setup(client, girls=12, boys=11, others=1)
    page = client.get(f"/surveys/waves/{wave.id}/paper").get_data(as_text=True)
    assert page.count('id="row-') == 24
    assert 'name="r24-arskurs"' in page and 'value="8"' in page
    assert 'aria-labelledby="row-3 col-agera1"' in page
    assert 'id="col-agera1"' in page and "Fråga 3: " in page
    assert 'data-values="1 2 3 4 V"' in page and 'data-values="1 2 V"' in page
    assert "Skriv in pappersenkäter" in page and "paper-grid.js" in page


def test_typed_questionnaires_are_saved_with_the_printed_codes_turned_into_values(client):
    wave = setup(client)
    second = {"kon": "4", "arskurs": "8", "agera1": "3", "sett": "2", "kod_bokstav": "å"}
    response = client.post(
        f"/surveys/waves/{wave.id}/paper", data=grid({1: GOOD, 2: second, 3: {"arskurs": "8"}})
    )
    assert response.status_code == 302
    assert "2 enkäter sparades." in client.get(response.headers["Location"]).get_data(as_text=True)
    first, other = db.session.scalars(sa.select(Response).order_by(Response.id)).all()
    assert (first.source, first.sex, first.grade, str(first.answered_on)) == (
        "paper",
        "girl",
        8,
        "2026-09-14",
    )
    assert other.sex == "no_answer"
    assert first.link_code == hash_code(CODE, linkage_key())
    assert other.link_code[0] == hash_code({"kod_bokstav": "Å"}, linkage_key())[0]
    assert other.link_code[1] is None
    values = {
        (a.response_id, a.item.key): (a.value, a.dont_know)
        for a in db.session.scalars(sa.select(Answer))
    }
    # 1 = the first box ("Stämmer helt och hållet") = 4; 4 = "Stämmer inte alls" = 1.
    assert values[(first.id, "agera1")] == (4, False)
    assert values[(first.id, "agera2")] == (1, False)
    assert values[(first.id, "agera3")] == (None, True)
    assert values[(first.id, "vald1")] == (0, False)  # 2 = Nej
    assert values[(other.id, "sett")] == (2, False)
    assert (first.id, "agera4") not in values  # blank: not answered
    assert db.session.scalar(sa.select(ImportBatch)).rows == 2


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_saved(client):
    wave = setup(client)
    rows = {
        1: {**GOOD, "agera1": "5"},
        2: {**GOOD, "kon": "", "vald1": "3"},
        4: {**GOOD, "arskurs": "6", "kod_manad": "13", "kod_bokstav": "7"},
        5: {"kon": "2", "arskurs": "8", "kod_hand": "1"},
        6: {**GOOD, "sett": "V"},
    }
    response = client.post(f"/surveys/waves/{wave.id}/paper", data=grid(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ingenting sparades." in page
    for message in (
        "Rad 1, kolumn 1: Endast 1–4, V eller tomt.",
        "Rad 2, kolumn Kön: Måste fyllas i: 1–4",
        "Rad 2, kolumn 20: Endast 1 (ja), 2 (nej), V eller tomt.",
        "Rad 4, kolumn Åk: Endast någon av skolans årskurser (7, 8, 9).",
        "Rad 4, kolumn K2: Endast 1–12 eller tomt.",
        "Rad 4, kolumn K1: Endast en bokstav A–Ö eller tomt.",
        "Rad 5: Raden har inga svar på frågorna.",
        "Rad 6, kolumn 29: Endast 1–4 eller tomt.",
    ):
        assert message in page, message
    # The typed values stay in the grid, the wrong cell marked and described.
    assert 'name="r1-agera1" id="r1-agera1" value="5"' in page
    assert 'aria-invalid="true" aria-describedby="e-r1-agera1"' in page
    assert 'href="#r4-kod_manad"' in page
    assert count(Response) == 0 and count(ImportBatch) == 0


def test_a_batch_cannot_give_a_wave_more_answers_than_the_group_has_pupils(client):
    wave = setup(client, girls=1, boys=1, others=0)
    rows = dict.fromkeys(range(1, 4), GOOD)
    page = client.post(f"/surveys/waves/{wave.id}/paper", data=grid(rows)).get_data(as_text=True)
    assert "Omgången skulle få 3 svar men grupp" in page and "har 2 elever" in page
    assert count(Response) == 0


def test_an_empty_grid_or_a_bad_date_is_refused(client):
    wave = setup(client)
    page = client.post(f"/surveys/waves/{wave.id}/paper", data=grid({})).get_data(as_text=True)
    assert "Skriv in minst en enkät." in page
    page = client.post(
        f"/surveys/waves/{wave.id}/paper", data=grid({1: GOOD}, answered_on="2999-01-01")
    ).get_data(as_text=True)
    assert "Datumet kan inte ligga i framtiden." in page
    page = client.post(
        f"/surveys/waves/{wave.id}/paper", data=grid({1: GOOD}, answered_on="")
    ).get_data(as_text=True)
    assert "Ange datumet då eleverna svarade" in page
    assert count(Response) == 0


def test_a_paper_batch_is_corrected_keeping_stored_codes(client):
    wave = setup(client)
    client.post(
        f"/surveys/waves/{wave.id}/paper",
        data=grid({1: GOOD, 2: {**GOOD, "kon": "2", "kod_bokstav": "B"}, 3: {**GOOD, "kon": "3"}}),
    )
    batch = db.session.scalar(sa.select(ImportBatch))
    first, second, third = db.session.scalars(sa.select(Response).order_by(Response.id)).all()
    kept_code, second_code = first.link_code, second.link_code
    page = client.get(f"/surveys/batches/{batch.id}/edit").get_data(as_text=True)
    # The coordinator correcting the entry sees the typed codes again (never the link code).
    assert "Rätta inskrivna enkäter" in page
    assert f'name="r1-id" value="{first.id}"' in page
    assert 'name="r1-agera1" id="r1-agera1" value="1"' in page
    assert 'name="r1-kod_bokstav" id="r1-kod_bokstav" value=""' in page
    correction = {
        1: {"id": str(first.id), "kon": "1", "arskurs": "8", "agera1": "2"},
        2: {"id": str(second.id), "kon": "2", "arskurs": "8", "agera1": "1", "kod_manad": "11"},
        3: {"id": str(third.id), "kon": "3", "arskurs": "8", "agera1": "1", "remove": "1"},
    }
    response = client.post(f"/surveys/batches/{batch.id}/edit", data=grid(correction))
    assert response.status_code == 302
    corrected = db.session.scalars(sa.select(Response).order_by(Response.id)).all()
    assert len(corrected) == 2 and db.session.get(ImportBatch, batch.id).rows == 2
    assert corrected[0].link_code == kept_code
    assert corrected[1].link_code[0] == second_code[0]
    assert corrected[1].link_code[1] != second_code[1]
    agera1 = {
        a.response_id: a.value
        for a in db.session.scalars(
            sa.select(Answer).join(Answer.item).where(Answer.item.has(key="agera1"))
        )
    }
    assert agera1 == {corrected[0].id: 3, corrected[1].id: 4}
    # An error in the correction keeps the stored batch as it was.
    bad = {1: {**correction[1], "id": str(corrected[0].id), "agera1": "9"}}
    page = client.post(f"/surveys/batches/{batch.id}/edit", data=grid(bad)).get_data(as_text=True)
    assert "Rad 1, kolumn 1: Endast 1–4, V eller tomt." in page
    assert count(Response) == 2


def test_imports_cannot_be_corrected_in_the_grid_but_removed(client):
    wave = setup(client)
    batch = services.add_batch(wave, [], source="import", answered_on=wave.opens_on)
    db.session.commit()
    response = client.get(f"/surveys/batches/{batch.id}/edit", follow_redirects=True)
    assert "Bara inskrivna pappersenkäter kan rättas." in response.get_data(as_text=True)
    client.post(f"/surveys/batches/{batch.id}/delete")
    assert count(ImportBatch) == 0


def test_a_stale_batch_correction_is_refused_keeping_the_typed_grid(app):
    school = make_school()
    wave = make_wave(make_group(school))
    first, second = app.test_client(), app.test_client()
    sign_in(first, make_user("coordinator", schools=[school], email="omar@kommun.se"))
    sign_in(second, make_user("coordinator", schools=[school], email="lisa@kommun.se"))
    first.post(f"/surveys/waves/{wave.id}/paper", data=grid({1: GOOD, 2: {**GOOD, "kon": "2"}}))
    batch = db.session.scalar(sa.select(ImportBatch))
    # A later batch of the wave holds the highest id, so that replaced questionnaires' ids are
    # never given again (SQLite would otherwise reuse them).
    first.post(f"/surveys/waves/{wave.id}/paper", data=grid({1: GOOD}))

    def in_batch(what):
        return sa.select(what).where(Response.batch_id == batch.id).order_by(Response.id)

    one, two = db.session.scalars(in_batch(Response.id)).all()
    url = f"/surveys/batches/{batch.id}/edit"
    omar, lisa = opened_form(first, url), opened_form(second, url)
    assert omar["version"] == lisa["version"] == "1"

    # Omar corrects the first questionnaire; the same number of rows still counts as an edit.
    mine = {1: {"id": str(one), "kon": "1", "arskurs": "8", "agera1": "2"}}
    mine[2] = {"id": str(two), "kon": "2", "arskurs": "8", "agera1": "1"}
    assert first.post(url, data={**grid(mine), **omar}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).version == 2
    stored = [(r.id, r.sex) for r in db.session.scalars(in_batch(Response))]

    # Lisa saves the grid she opened before: refused, nothing of hers stored, her grid kept.
    hers = {1: {"id": str(one), "kon": "3", "arskurs": "7", "agera1": "4"}}
    hers[2] = {"id": str(two), "kon": "2", "arskurs": "8", "agera1": "1", "remove": "1"}
    response = second.post(url, data={**grid(hers, answered_on="2026-09-15"), **lisa})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert SOMEONE_ELSE in page
    assert "Någon annan har rättat enkäterna i den här inmatningen." in page
    assert 'name="r1-kon" id="r1-kon" value="3"' in page
    assert 'name="r1-arskurs" id="r1-arskurs" value="7"' in page
    assert 'name="r1-agera1" id="r1-agera1" value="4"' in page
    assert 'id="r2-remove" value="1" aria-labelledby="row-2 remove-label-2" checked' in page
    assert 'value="2026-09-15"' in page and 'id="row-3"' not in page
    db.session.expire_all()
    now = db.session.scalars(in_batch(Response))
    assert [(r.id, r.sex) for r in now] == stored
    assert [sex for _id, sex in stored] == ["girl", "boy"]
    assert db.session.get(ImportBatch, batch.id).version == 2
    # The page now carries the new version: saving again is a choice made knowing theirs.
    assert hidden(page, "version") == "2"
    # Saving it again as it is: her row's questionnaire was replaced by Omar's correction, so
    # its stored code would be lost without a word; the row is named instead.
    kept = {"version": "2", "opened": hidden(page, "opened")}
    page = second.post(url, data={**grid(hers), **kept}).get_data(as_text=True)
    assert "Rad 1: Någon annans rättning har ersatt den här enkäten" in page
    assert "Rad 2:" not in page  # marked for removal
    db.session.expire_all()
    now = db.session.scalars(in_batch(Response))
    assert [(r.id, r.sex) for r in now] == stored

    # A correction opened after Omar's is saved.
    fresh = opened_form(second, url)
    again = {1: {"id": str(stored[0][0]), "kon": "3", "arskurs": "8", "agera1": "4"}}
    again[2] = {"id": str(stored[1][0]), "kon": "2", "arskurs": "8", "agera1": "1"}
    assert second.post(url, data={**grid(again), **fresh}).status_code == 302
    db.session.expire_all()
    assert [r.sex for r in db.session.scalars(in_batch(Response))] == [
        "other",
        "boy",
    ]
    assert db.session.get(ImportBatch, batch.id).version == 3


def test_a_correction_saved_while_this_one_writes_stops_it(client, monkeypatch):
    """Both pass the version check; the later write finds the batch's version moved on."""
    wave = setup(client)
    client.post(f"/surveys/waves/{wave.id}/paper", data=grid({1: GOOD}))
    batch = db.session.scalar(sa.select(ImportBatch))
    response_id = db.session.scalar(sa.select(Response.id))
    url = f"/surveys/batches/{batch.id}/edit"
    opened = opened_form(client, url)
    correct = importing.correct_paper

    def someone_else_first(batch, *args):
        # Another coordinator's correction commits between this one's check and its write.
        db.session.connection().execute(
            sa.text("UPDATE import_batch SET version = version + 1 WHERE id = :id"),
            {"id": batch.id},
        )
        return correct(batch, *args)

    monkeypatch.setattr(importing, "correct_paper", someone_else_first)
    typed = {1: {"id": str(response_id), "kon": "2", "arskurs": "8", "agera1": "3"}}
    page = client.post(url, data={**grid(typed), **opened}).get_data(as_text=True)
    assert SOMEONE_ELSE in page and 'name="r1-agera1" id="r1-agera1" value="3"' in page
    db.session.expire_all()
    assert db.session.scalars(sa.select(Response)).one().sex == "girl"


def test_new_answers_to_the_wave_never_write_a_batch_row(client):
    wave = setup(client)
    client.post(f"/surveys/waves/{wave.id}/paper", data=grid({1: GOOD}))
    batch = db.session.scalar(sa.select(ImportBatch))
    # Another typed-in batch and a pupil's online answer in the same wave.
    client.post(f"/surveys/waves/{wave.id}/paper", data=grid({1: {**GOOD, "kon": "2"}}))
    row = importing.parse_rows(
        wave, services.instrument_items(wave.instrument_id), [(1, GOOD)], for_grid=True
    )
    store_responses(wave, row, source="online", answered_on=wave.opens_on)
    db.session.commit()
    db.session.expire_all()
    assert count(Response) == 3
    assert db.session.get(ImportBatch, batch.id).version == 1
