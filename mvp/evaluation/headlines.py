"""The result in one look: 3–5 plain sentences and four key figures, from a finished Evaluation.

A pure function of the Evaluation (no database, no new statistics): it sorts the scales by
the verdict of mvp.evaluation.text (clear improvement, clear worsening, no clear change) for
all linked pupils and for girls and boys, and writes what changed, for whom, how sure we are
and what did not change or got worse, as plainly as the improvements. The PDF's first page
and the dashboard's "Resultat i korthet" both draw it, so they say the same.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from mvp.evaluation.numbers import fmt, fmt_share
from mvp.evaluation.results import Evaluation, Fig, ScaleResult
from mvp.evaluation.suppress import SUPPRESSED
from mvp.evaluation.text import verdict


@dataclass
class HeadlineFigure:
    """One of the four key figures, with its parts (e.g. girls and boys)."""

    key: str
    label: str
    value: Fig
    unit: str  # "count" or "share"
    parts: list[tuple[str, Fig]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The figure as the reader sees it."""
        return _figure_text(self.value, self.unit)

    @property
    def parts_text(self) -> str:
        """ "flickor 120, pojkar 118" (empty when there are no parts)."""
        return ", ".join(f"{name} {_figure_text(v, 'count')}" for name, v in self.parts)


@dataclass
class Headlines:
    """The sentences (3–5) and the key figures of "the result in one look"."""

    sentences: list[str] = field(default_factory=list)
    figures: list[HeadlineFigure] = field(default_factory=list)


def _figure_text(value, unit: str) -> str:
    if unit == "share":
        return fmt_share(value)
    return fmt(value)


def names_list(names: list[str]) -> str:
    """ "A", "A och B", "A, B och C"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def _sort(scales: list[ScaleResult], pick) -> dict[str, list[str]]:
    """Scale names by what happened: "up", "down", "none" (no clear change or unsure)."""
    sorted_names: dict[str, list[str]] = {"up": [], "down": [], "none": []}
    for scale in scales:
        paired = pick(scale)
        kind = verdict(paired) if paired is not None else None
        if kind is None:
            continue
        sorted_names[kind if kind in ("up", "down") else "none"].append(scale.name)
    return sorted_names


def _by_sex(scale: ScaleResult, sex: str):
    return next((g.paired for g in scale.by_sex if g.key == sex), None)


def _sex_sentence(group: str, names: dict[str, list[str]]) -> str | None:
    if not any(names.values()):
        return None
    if names["up"]:
        text = _(
            "For %(group)s, %(names)s improved clearly.", group=group, names=names_list(names["up"])
        )
    else:
        text = _("For %(group)s, no scale improved clearly.", group=group)
    if names["down"]:
        text += " " + _("%(names)s got clearly worse.", names=names_list(names["down"]))
    return text


def headline_sentences(evaluation: Evaluation) -> list[str]:
    """What changed, for girls and for boys, what did not, and how sure we are."""
    comparison = evaluation.effectiveness
    if not evaluation.has_data or not comparison.available or not comparison.scales:
        return [comparison.message or _("No data for the selection.")]
    overall = _sort(comparison.scales, lambda s: s.paired)
    judged = sum(len(v) for v in overall.values())
    sentences = []
    if not judged:
        return [_("Too few pupils' answers could be linked to say whether anything changed.")]
    if overall["up"]:
        sentences.append(
            _(
                "After the lessons, %(n)s of %(total)s scales improved clearly: %(names)s.",
                n=len(overall["up"]),
                total=judged,
                names=names_list(overall["up"]),
            )
        )
    else:
        sentences.append(_("After the lessons, no scale improved clearly."))
    not_better = []
    if overall["none"]:
        not_better.append(_("No clear change: %(names)s.", names=names_list(overall["none"])))
    if overall["down"]:
        not_better.append(_("Clearly worse: %(names)s.", names=names_list(overall["down"])))
    if not_better:
        sentences.append(" ".join(not_better))
    for sex, group in (("girl", _("girls")), ("boy", _("boys"))):
        sentence = _sex_sentence(group, _sort(comparison.scales, lambda s, x=sex: _by_sex(s, x)))
        if sentence:
            sentences.append(sentence)
    linkage = comparison.linkage
    if linkage.pairs not in (None, SUPPRESSED):
        sentences.append(
            _(
                "How sure we are: the results build on %(n)s pupils whose answers before and "
                "after could be linked; a change counts as clear only when its 95 %% interval "
                "lies wholly above or below zero.",
                n=fmt(linkage.pairs),
            )
        )
    return sentences[:5]


def key_figures(evaluation: Evaluation) -> list[HeadlineFigure]:
    """Pupils reached (by sex), dose, full leader pair, linked share of answers."""
    figures = []
    pupils = evaluation.reach.total
    if pupils is not None:
        figures.append(
            HeadlineFigure(
                "pupils",
                _("Pupils reached"),
                pupils.total,
                "count",
                [(_("girls"), pupils.girls), (_("boys"), pupils.boys)],
            )
        )
    total = evaluation.implementation.total
    if total is not None:
        figures.append(
            HeadlineFigure("dose", _("Dose: lessons held of planned"), total.dose, "share")
        )
        figures.append(
            HeadlineFigure(
                "full_pair", _("Lessons led by a leader pair"), total.full_pair_share, "share"
            )
        )
    figures.append(
        HeadlineFigure(
            "linkage",
            _("Answers after the lessons linked to before"),
            evaluation.effectiveness.linkage.rate_later,
            "share",
        )
    )
    return figures


def headlines(evaluation: Evaluation) -> Headlines:
    """The result in one look, for the PDF's first page and the top of the dashboard."""
    return Headlines(headline_sentences(evaluation), key_figures(evaluation))
