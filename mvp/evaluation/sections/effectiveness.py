"""Effectiveness and follow-up: the scales and items compared before and after (outcomes.py).

Returns the comparisons per later phase ("after" is the effectiveness, "follow_up" goes to
maintenance), with their findings written, and the OutcomeBuilder: it holds the scales'
own suppression (outcomes.py's cells), which the schools' sections reuse. The instruments'
structure (``structure``) is also what the method appendix describes.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from mvp.evaluation import text
from mvp.evaluation.data import RawData
from mvp.evaluation.outcomes import Cells, ItemInfo, OutcomeBuilder, Respondents, ScaleInfo
from mvp.evaluation.results import Comparison
from mvp.evaluation.sections import by_sex
from mvp.evaluation.sections.frame import Frame


@dataclass(frozen=True)
class Structure:
    """Scales and items pooled by key over an instrument's versions (the newest names)."""

    scales: list[ScaleInfo]  # in the instrument's order
    items: list[ItemInfo]  # in the instrument's order
    item_ids: dict[int, tuple]  # item id -> (instrument, item key)
    instruments: dict[tuple, str]  # (instrument, version) -> name
    scale_ids: dict[int, tuple]  # scale id -> (instrument, scale key)


def structure(item_rows: list, language: str) -> Structure:
    """The instruments' scales and items, named in `language`."""
    english = language.startswith("en")
    scales: dict[tuple, ScaleInfo] = {}
    items: dict[tuple, ItemInfo] = {}
    item_ids: dict[int, tuple] = {}
    instruments: dict[tuple, str] = {}
    scale_ids: dict[int, tuple] = {}
    for row in item_rows:  # ordered by instrument key, version, position
        name = row.instrument_en if english else row.instrument_sv
        instruments[(row.instrument, row.version)] = name
        ref = (row.instrument, row.key)
        item_ids[row.id] = ref
        scale_ref = (row.instrument, row.scale) if row.scale else None
        if scale_ref is not None:
            scale_ids[row.scale_id] = scale_ref
        items[ref] = ItemInfo(
            ref=ref,
            key=row.key,
            text=row.text_en if english else row.text_sv,
            kind=row.kind,
            reverse=bool(row.reverse),
            scale_ref=scale_ref,
            position=(row.instrument, row.position),
        )
        if scale_ref is None:
            continue
        scale = scales.get(scale_ref)
        info = ScaleInfo(
            ref=scale_ref,
            key=row.scale,
            name=row.scale_en if english else row.scale_sv,
            construct=(row.construct_en if english else row.construct_sv) or "",
            kind="agreement",
            position=(row.instrument, row.scale_position),
        )
        if scale is None:
            scales[scale_ref] = scale = info
        else:  # a newer version: its names win, its items join
            scale.name, scale.construct, scale.position = info.name, info.construct, info.position
        if ref not in scale.reverse:
            scale.items.append(ref)
        scale.reverse[ref] = bool(row.reverse)
    for scale in scales.values():
        kinds = {items[ref].kind for ref in scale.items}
        scale.kind = "yes_no" if kinds == {"yes_no"} else "agreement"
    return Structure(
        scales=sorted(scales.values(), key=lambda s: s.position),
        items=sorted(items.values(), key=lambda i: i.position),
        item_ids=item_ids,
        instruments=instruments,
        scale_ids=scale_ids,
    )


def outcomes(
    raw: RawData, frame: Frame, instruments: Structure, min_n: int
) -> tuple[dict[str, Comparison], OutcomeBuilder]:
    """The comparisons per later phase (explained) and the builder that protected them."""
    respondents = Respondents.of(frame.responses, frame.groups)
    outcome = OutcomeBuilder(
        respondents=respondents,
        scales=instruments.scales,
        items=instruments.items,
        item_ids=instruments.item_ids,
        scores=raw.scores,
        links=raw.links,
        answers=raw.answers,
        cells=Cells(frame.schools, dict(frame.grades_by_school)),
        school_names=frame.school_names,
        min_n=min_n,
        asked=frame.asked,
        scale_ids=instruments.scale_ids,
    )
    comparisons = outcome.comparisons()
    for phase, comparison in comparisons.items():
        _explain(comparison, phase, min_n)
    by_sex.split_by_sex(comparisons, outcome, min_n)
    return comparisons, outcome


def _explain(comparison: Comparison, phase: str, min_n: int) -> None:
    if not comparison.available:
        comparison.message = (
            _("No questionnaires after the lessons have been answered in the selection.")
            if phase == "after"
            else _("No follow-up questionnaires have been answered in the selection.")
        )
        comparison.scales = []
        comparison.items = []
        comparison.baseline = []
        return
    for scale in comparison.scales:
        scale.finding = text.scale_finding(
            scale.name,
            scale.paired,
            scale.unpaired,
            later_phase=phase,
            low_linkage=comparison.low_linkage,
            linkage_rate=comparison.linkage.rate_later,
            min_n=min_n,
        )
        scale.findings_by_sex = [
            text.subgroup_finding(group.label, group.paired)
            for group in scale.by_sex
            if group.key in ("girl", "boy")
        ]
        comparison.findings.append(scale.finding)
