"""The demo pilot's questionnaires: before and after waves, realistic answers within each
group's size, a modest change that differs between girls and boys, typos that still link,
pupils who cannot be linked, and less "vet ej" after the lessons."""

import datetime as dt
from statistics import mean

import sqlalchemy as sa

from mvp.extensions import db
from mvp.surveys.models import (
    Answer,
    Item,
    Response,
    ResponseLink,
    Scale,
    ScaleScore,
    Source,
    Wave,
)

TODAY = dt.date(2026, 11, 20)


def waves_by_group(context):
    result = {}
    for key, group in context.groups.items():
        result[key] = {
            w.phase: w for w in db.session.scalars(sa.select(Wave).where(Wave.group == group))
        }
    return result


def test_pilot_groups_have_before_and_after_and_current_groups_a_before_wave(demo):
    waves = waves_by_group(demo)
    for (round_name, _school, _name), phases in waves.items():
        if round_name == "pilot":
            assert {"before", "after"} <= set(phases)
        else:
            assert set(phases) == {"before"}
    follow_ups = [key for key, phases in waves.items() if "follow_up" in phases]
    assert 1 <= len(follow_ups) < len([k for k in waves if k[0] == "pilot"])
    for key, phases in waves.items():
        for wave in phases.values():
            answered = db.session.scalar(
                sa.select(sa.func.count(Response.id)).where(Response.wave_id == wave.id)
            )
            assert 0 < answered <= demo.groups[key].size
    sources = set(db.session.scalars(sa.select(Response.source).distinct()))
    assert sources == {Source.ONLINE.value, Source.PAPER.value}


def test_most_pupils_link_some_through_a_typo_and_some_not_at_all(demo):
    after = db.session.scalar(
        sa.select(sa.func.count(Response.id)).join(Response.wave).where(Wave.phase == "after")
    )
    links = dict(
        db.session.execute(
            sa.select(ResponseLink.quality, sa.func.count(ResponseLink.id))
            .where(ResponseLink.later_phase == "after")
            .group_by(ResponseLink.quality)
        ).all()
    )
    linked = links["exact"] + links["one_differs"]
    assert 0.6 < linked / after < 0.95
    assert links["one_differs"] >= 5
    assert db.session.scalar(
        sa.select(sa.func.count(ResponseLink.id)).where(ResponseLink.later_phase == "follow_up")
    )


def _index(scale_key: str, phase: str, sex: str) -> float:
    return mean(
        db.session.scalars(
            sa.select(ScaleScore.index)
            .join(ScaleScore.scale)
            .join(ScaleScore.response)
            .join(Response.wave)
            .where(
                Scale.key == scale_key,
                Wave.phase == phase,
                Response.sex == sex,
                ScaleScore.valid,
            )
        )
    )


def test_a_modest_change_that_differs_between_girls_and_boys(demo):
    changes = {}
    for sex in ("girl", "boy"):
        for scale in ("agera", "jamstalld"):
            changes[(sex, scale)] = _index(scale, "after", sex) - _index(scale, "before", sex)
    # Modest: a few index points, not a transformation.
    assert all(-3 < change < 15 for change in changes.values()), changes
    assert changes[("girl", "agera")] > 0 and changes[("boy", "agera")] > 0
    # Boys start lower on gender-equal norms and move more.
    assert _index("jamstalld", "before", "girl") > _index("jamstalld", "before", "boy")
    assert changes[("boy", "jamstalld")] > changes[("girl", "jamstalld")] + 1


def _dont_know_share(phase: str) -> float:
    rows = db.session.execute(
        sa.select(Answer.dont_know, sa.func.count())
        .join(Answer.item)
        .join(Answer.response)
        .join(Response.wave)
        .where(Item.kind == "yes_no", Wave.phase == phase)
        .group_by(Answer.dont_know)
    ).all()
    counts = dict(rows)
    return counts.get(True, 0) / sum(counts.values())


def test_dont_know_becomes_rarer_after_the_lessons(demo):
    before, after = _dont_know_share("before"), _dont_know_share("after")
    assert 0.1 < before < 0.25
    assert after < before - 0.04
