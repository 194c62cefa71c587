"""The de-identified answer file for researchers: leads only, no codes, no dates, right figures."""

import csv
import io
import re

import numpy as np

from tests.evaluation.conftest import build_pilot
from tests.factories import make_user, sign_in


def download(client) -> list[dict]:
    response = client.get("/evaluation/answers.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_answer_file_holds_scores_and_items_without_codes_or_dates(client, app):
    build_pilot()
    sign_in(client, make_user("lead"))
    rows = download(client)
    data = client.get("/api/v1/evaluation").json
    header = list(rows[0])
    assert header[:8] == ["row", "pupil", "school_year", "school", "group", "grade", "phase", "sex"]
    assert {"readiness_index", "norms_valid", "r3", "v1"} <= set(header)
    assert not any("code" in name or "hash" in name or "date" in name for name in header)
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", value) for row in rows for value in row.values())
    assert {row["school"] for row in rows} == {"S1", "S2"}  # codes made for this file only
    linkage = data["effectiveness"]["linkage"]
    assert sum(1 for row in rows if row["phase"] == "before") == linkage["before"]
    assert sum(1 for row in rows if row["phase"] == "after") == linkage["later"]
    # Linked answers share a pupil number: one before- and one after-answer per pair.
    linked_after = {row["pupil"] for row in rows if row["phase"] == "after" and row["pupil"]}
    assert len(linked_after) == linkage["pairs"]
    # The valid scores in the file give the evaluation's mean before the lessons.
    for scale in data["effectiveness"]["scales"]:
        values = [
            float(row[f"{scale['key']}_index"])
            for row in rows
            if row["phase"] == "before" and row[f"{scale['key']}_valid"] == "1"
        ]
        assert round(np.mean(values), 1) == scale["unpaired"]["before_index"]
    assert "dont_know" in {row["r1"] for row in rows}


def test_only_leads_and_administrators_get_the_answer_file(client, app):
    build_pilot()
    for role, status in (("viewer", 403), ("coordinator", 403), ("admin", 200)):
        sign_in(client, make_user(role))
        assert client.get("/evaluation/answers.csv").status_code == status
