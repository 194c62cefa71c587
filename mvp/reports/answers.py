"""The de-identified answer file for researchers (CSV): one row per questionnaire.

What it holds: school year, a school and a group code made for this file, grade, phase,
self-reported sex, each scale's stored mean, index and validity, and every item's answer
("vet ej" as dont_know). What it never holds: names, linkage codes or their hashes, dates,
database ids. Answers of the same pupil share a `pupil` number made for this file only, so
that researchers can analyse pairs; rows are shuffled so their order tells nothing.

A row's school, grade and sex together could point at a pupil who answered "other" or
preferred not to say where only a few did; those answers are left out of the file, by the
same rule as in the evaluation (mvp.evaluation.residual), so the file gives back the
evaluation's figures.
"""

import io
import random
import secrets

from mvp.evaluation import residual
from mvp.evaluation.data import AnswerFile
from mvp.schools.years import format_school_year
from mvp.spreadsheet_safety import csv_writer

DONT_KNOW = "dont_know"


def answers_csv(raw: AnswerFile, min_n: int) -> str:
    """The file's text (UTF-8 with a byte-order mark is added by the caller)."""
    responses, _set_aside = residual.set_aside(
        raw.responses, key=lambda r: (r.phase, r.school_id), sex=lambda r: r.sex, min_n=min_n
    )
    item_keys = list(dict.fromkeys(row.key for row in raw.items))
    scale_keys = list(dict.fromkeys(row.scale for row in raw.items if row.scale))
    item_of = {row.id: row.key for row in raw.items}
    shuffle = random.Random(secrets.randbits(64))

    groups = sorted({(r.school_id, r.school_year, r.group_id) for r in responses})
    schools = sorted({r.school_id for r in responses})
    order_schools = list(schools)
    shuffle.shuffle(order_schools)
    school_code = {s: f"S{n}" for n, s in enumerate(order_schools, 1)}
    order_groups = list(groups)
    shuffle.shuffle(order_groups)
    group_code = {g[2]: f"G{n}" for n, g in enumerate(order_groups, 1)}

    pupil = {}
    chains = {}
    kept = {r.id for r in responses}
    for link in raw.links:
        if link.before_id not in kept or link.later_id not in kept:
            continue
        chains.setdefault(link.before_id, []).append(link.later_id)
    numbered = list(chains)
    shuffle.shuffle(numbered)
    for number, before_id in enumerate(numbered, 1):
        pupil[before_id] = number
        for later_id in chains[before_id]:
            pupil[later_id] = number

    scores = {}
    for row in raw.scores:
        scores[(row.response_id, row.scale)] = row
    answers = {}
    for row in raw.answers:
        key = item_of.get(row.item_id)
        if key is not None:
            answers[(row.response_id, key)] = DONT_KNOW if row.dont_know else row.value

    header = ["row", "pupil", "school_year", "school", "group", "grade", "phase", "sex"]
    for key in scale_keys:
        header += [f"{key}_mean", f"{key}_index", f"{key}_valid"]
    header += item_keys
    rows = []
    for response in responses:
        row = [
            pupil.get(response.id, ""),
            format_school_year(response.school_year),
            school_code[response.school_id],
            group_code[response.group_id],
            response.grade,
            response.phase,
            response.sex,
        ]
        for key in scale_keys:
            score = scores.get((response.id, key))
            if score is None:
                row += ["", "", ""]
            else:
                row += [
                    "" if score.mean is None else round(score.mean, 4),
                    "" if score.index is None else round(score.index, 2),
                    int(bool(score.valid)),
                ]
        row += [
            "" if answers.get((response.id, k)) is None else answers[(response.id, k)]
            for k in item_keys
        ]
        rows.append(row)
    shuffle.shuffle(rows)
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for number, row in enumerate(rows, 1):
        writer.writerow([number, *row])
    return out.getvalue()
