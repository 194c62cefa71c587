"""Plain-language findings: what changed and how certain it is, written from suppressed figures.

The rules are deliberately plain. A change counts as clear only when its 95 % confidence
interval lies wholly on one side of zero AND the Holm-adjusted p-value is below 0.05; an
interval on one side with a larger adjusted p is "uncertain"; an interval that covers zero
is "no clear change". A worsening is written as a worsening. The sentences use only figures
that are shown, so they can never reveal a suppressed one.
"""

from flask_babel import ngettext

from mvp.evaluation.labels import EFFECT_SIZE_LABELS, PHASE_WHEN, label
from mvp.evaluation.language import gettext as _
from mvp.evaluation.numbers import fmt, fmt_ci, fmt_p, fmt_share, fmt_signed
from mvp.evaluation.results import PairedResult, UnpairedResult
from mvp.evaluation.stats import effect_size_class
from mvp.evaluation.suppress import SUPPRESSED

ALPHA = 0.05


def p_phrase(p) -> str:
    """ "p = 0,047" or "p < 0,001"."""
    text = fmt_p(p).replace(" ", "\u00a0")
    # No-break spaces, so that "p < 0,001" is never split over two lines.
    return f"p\u00a0{text}" if text.startswith("<") else f"p\u00a0=\u00a0{text}"


def _shown(*values) -> bool:
    return all(v is not None and v != SUPPRESSED for v in values)


def verdict(paired: PairedResult) -> str | None:
    """ "up", "down", "up_uncertain", "down_uncertain", "none", or None (nothing to say)."""
    if not _shown(paired.change, paired.ci_low, paired.ci_high):
        return None
    certain = _shown(paired.p_holm) and paired.p_holm < ALPHA
    if paired.ci_low > 0:
        return "up" if certain else "up_uncertain"
    if paired.ci_high < 0:
        return "down" if certain else "down_uncertain"
    return "mixed" if certain else "none"


def scale_finding(
    name: str,
    paired: PairedResult,
    unpaired: UnpairedResult,
    *,
    later_phase: str,
    low_linkage: bool,
    linkage_rate,
    min_n: int,
) -> str:
    """One or two sentences on a scale: the linked pupils' change, or all answers compared."""
    when = label(PHASE_WHEN, later_phase)
    kind = verdict(paired)
    if kind is None:
        text = _(
            "%(scale)s: too few linked answers to report a change (results based on fewer "
            "than %(min)s pupils are not shown).",
            scale=name,
            min=min_n,
        )
        if _shown(unpaired.difference):
            sentence = _unpaired_sentence(unpaired, when)
            text += " " + sentence[:1].upper() + sentence[1:]
        return text
    values = {
        "scale": name,
        "before": fmt(paired.before_index, 1),
        "after": fmt(paired.later_index, 1),
        "when": when,
        "n": fmt(paired.n),
        "change": fmt_signed(paired.change, 1),
        "ci": fmt_ci(paired.ci_low, paired.ci_high),
        "p": p_phrase(paired.p_holm),
        "d": fmt(paired.d_z, 2),
        "size": label(EFFECT_SIZE_LABELS, effect_size_class(paired.d_z) or "negligible"),
    }
    opening = {
        "up": _(
            "%(scale)s: the index rose from %(before)s before the lessons to %(after)s "
            "%(when)s among the %(n)s pupils whose answers could be linked, a change of "
            "%(change)s points (95 %% confidence interval %(ci)s).",
            **values,
        ),
        "up_uncertain": _(
            "%(scale)s: the index rose from %(before)s before the lessons to %(after)s "
            "%(when)s among the %(n)s pupils whose answers could be linked, a change of "
            "%(change)s points (95 %% confidence interval %(ci)s).",
            **values,
        ),
        "down": _(
            "%(scale)s: the index fell from %(before)s before the lessons to %(after)s "
            "%(when)s among the %(n)s pupils whose answers could be linked, a change of "
            "%(change)s points (95 %% confidence interval %(ci)s).",
            **values,
        ),
        "down_uncertain": _(
            "%(scale)s: the index fell from %(before)s before the lessons to %(after)s "
            "%(when)s among the %(n)s pupils whose answers could be linked, a change of "
            "%(change)s points (95 %% confidence interval %(ci)s).",
            **values,
        ),
        "none": _(
            "%(scale)s: no clear change. Among the %(n)s pupils whose answers could be "
            "linked the index went from %(before)s before the lessons to %(after)s %(when)s "
            "(change %(change)s points, 95 %% confidence interval %(ci)s).",
            **values,
        ),
        "mixed": _(
            "%(scale)s: an uncertain change. Among the %(n)s pupils whose answers could be "
            "linked the index went from %(before)s before the lessons to %(after)s %(when)s "
            "(change %(change)s points, 95 %% confidence interval %(ci)s).",
            **values,
        ),
    }[kind]
    certainty = {
        "up": _(
            "The improvement is statistically significant also after correction for several "
            "scales (%(p)s); the effect is %(size)s (d_z = %(d)s).",
            **values,
        ),
        "up_uncertain": _(
            "The improvement is uncertain: it is not statistically significant after "
            "correction for several scales (%(p)s).",
            **values,
        ),
        "down": _(
            "This is a worsening, statistically significant also after correction for "
            "several scales (%(p)s); the effect is %(size)s (d_z = %(d)s).",
            **values,
        ),
        "down_uncertain": _(
            "This may be a worsening, but it is not statistically significant after "
            "correction for several scales (%(p)s).",
            **values,
        ),
        "none": _(
            "The answers are consistent with no change at all (%(p)s).",
            **values,
        ),
        "mixed": _(
            "The confidence interval includes zero while the signed-rank test gives %(p)s, "
            "so the change cannot be called clear.",
            **values,
        ),
    }[kind]
    text = f"{opening} {certainty}"
    if low_linkage and _shown(unpaired.difference):
        text += " " + _(
            "Only %(rate)s of the answers could be linked, so all answers were also compared:",
            rate=fmt_share(linkage_rate),
        )
        text += " " + _unpaired_sentence(unpaired, when)
    return text


def _unpaired_sentence(unpaired: UnpairedResult, when: str) -> str:
    return _(
        "comparing all answers, without linking pupils, the index was %(before)s before the "
        "lessons and %(after)s %(when)s (difference %(diff)s points, Hedges' g = %(g)s, "
        "%(p)s after correction for several scales).",
        before=fmt(unpaired.before_index, 1),
        after=fmt(unpaired.later_index, 1),
        when=when,
        diff=fmt_signed(unpaired.difference, 1),
        g=fmt(unpaired.hedges_g, 2),
        p=p_phrase(unpaired.p_holm),
    )


def subgroup_finding(group: str, paired: PairedResult) -> str:
    """A short sentence for one sex (or school): its change and how certain it is."""
    kind = verdict(paired)
    if kind is None:
        return _("%(group)s: too few linked answers to show.", group=group)
    values = {
        "group": group,
        "change": fmt_signed(paired.change, 1),
        "ci": fmt_ci(paired.ci_low, paired.ci_high),
        "n": fmt(paired.n),
    }
    # Only the sentence that applies is translated: a report writes one per school, sex and
    # scale, and translating all six each time was a tenth of the evaluation's build.
    if kind == "up":
        return _(
            "%(group)s: a clear improvement, %(change)s points (95 %% confidence interval "
            "%(ci)s, %(n)s pupils).",
            **values,
        )
    if kind == "up_uncertain":
        return _(
            "%(group)s: an uncertain improvement, %(change)s points (95 %% confidence "
            "interval %(ci)s, %(n)s pupils).",
            **values,
        )
    if kind == "down":
        return _(
            "%(group)s: a clear worsening, %(change)s points (95 %% confidence interval "
            "%(ci)s, %(n)s pupils).",
            **values,
        )
    if kind == "down_uncertain":
        return _(
            "%(group)s: a possible worsening, %(change)s points (95 %% confidence interval "
            "%(ci)s, %(n)s pupils), not statistically significant.",
            **values,
        )
    if kind == "none":
        return _(
            "%(group)s: no clear change, %(change)s points (95 %% confidence interval "
            "%(ci)s, %(n)s pupils).",
            **values,
        )
    return _(
        "%(group)s: an uncertain change, %(change)s points (95 %% confidence interval "
        "%(ci)s, %(n)s pupils).",
        **values,
    )


def continuation_finding(continuing: int, decided: int, pending: int) -> str:
    """How many participating schools have groups the school year after."""
    if decided == 0 and pending == 0:
        return _("No school took part in the selection.")
    if decided == 0:
        return _(
            "The school year after the selection has not begun, so it is too early to say "
            "which schools continue."
        )
    text = _(
        "%(n)s of %(total)s participating schools had MVP groups the school year after.",
        n=continuing,
        total=decided,
    )
    if pending:
        text += " " + _("For %(n)s more the following school year has not begun yet.", n=pending)
    return text


def rollout_finding(
    running: int,
    eligible: int,
    share,
    *,
    municipality: bool,
    complete_in: str | None,
    outside_plan: int,
) -> str:
    """How far the municipality (or the selection's schools) is from MVP in every school."""
    if eligible == 0:
        return _("None of the schools has a grade that MVP targets.")
    if municipality:
        text = _(
            "%(n)s of the %(total)s schools MVP is meant for have MVP (first round or "
            "established), %(share)s.",
            n=running,
            total=eligible,
            share=fmt_share(share),
        )
        if running >= eligible:
            return text
        if complete_in:
            more = _(
                "If the plan holds, every school has MVP by the end of %(term)s.", term=complete_in
            )
        elif not outside_plan:
            more = _("The plan does not reach every school within the terms shown.")
        else:
            more = ngettext(
                "The plan does not yet reach every school: %(num)d school has no coming "
                "target term.",
                "The plan does not yet reach every school: %(num)d schools have no coming "
                "target term.",
                outside_plan,
            )
        return f"{text} {more}"
    return _(
        "%(n)s of the %(total)s schools of the selection that MVP is meant for have MVP (first "
        "round or established).",
        n=running,
        total=eligible,
    )
