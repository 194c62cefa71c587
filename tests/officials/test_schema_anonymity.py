"""No table or column links an answer to a code or to a person (the schema itself)."""

import sqlalchemy as sa

from mvp.extensions import db

ANSWER_TABLES = {"response", "answer", "scale_score"}


def test_no_answer_table_points_at_a_code_a_user_or_a_seat(app):
    for name in ANSWER_TABLES:
        table = db.metadata.tables[name]
        targets = {fk.column.table.name for fk in table.foreign_keys}
        assert not targets & {"single_use_code", "user", "seat_count", "political_body"}, name


def test_a_code_knows_only_its_round_and_whether_it_was_used(app):
    table = db.metadata.tables["single_use_code"]
    assert set(table.columns.keys()) == {"id", "wave_id", "code_hash", "used", "void"}
    assert {fk.column.table.name for fk in table.foreign_keys} == {"wave"}
    # No table points at a code either.
    for other in db.metadata.tables.values():
        assert "single_use_code" not in {fk.column.table.name for fk in other.foreign_keys}


def test_answers_carry_no_time_of_day_address_or_name(app):
    for name in ANSWER_TABLES:
        for column in db.metadata.tables[name].columns:
            assert not isinstance(column.type, sa.DateTime), f"{name}.{column.name}"
            assert not any(w in column.name for w in ("ip", "agent", "name", "email", "code_id"))


def test_the_officials_tables_hold_no_person_or_party(app):
    for name in ("political_body", "seat_count", "official_round", "official_reference"):
        columns = set(db.metadata.tables[name].columns.keys())
        assert not columns & {"person", "party", "parti", "email", "user_id", "person_name"}
