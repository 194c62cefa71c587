"""The summary: key figures and findings, drawn from the finished evaluation (so it is last)."""

from flask_babel import gettext as _

from mvp.evaluation.results import Evaluation, KeyFigure, Summary


def summary(evaluation: Evaluation, n_groups: int) -> Summary:
    """The key figures (of the `n_groups` pupil groups) and findings of `evaluation`."""
    reach, adoption = evaluation.reach, evaluation.adoption
    total = evaluation.implementation.total
    responses = {r.phase: r for r in reach.responses}
    figures = [
        KeyFigure("schools", _("Participating schools"), adoption.schools_participating, "count"),
        KeyFigure("schools_total", _("Schools in the selection"), adoption.schools_total, "count"),
        KeyFigure("groups", _("Pupil groups"), n_groups, "count"),
        KeyFigure("pupils", _("Pupils in the groups"), reach.total.total, "count"),
        KeyFigure(
            "share_of_grades",
            _("Share of the pupils in those grades"),
            reach.total.share_of_grades,
            "share",
        ),
        KeyFigure("response_before", _("Response rate before"), responses["before"].rate, "share"),
        KeyFigure("response_after", _("Response rate after"), responses["after"].rate, "share"),
        KeyFigure(
            "linkage",
            _("Answers after the lessons linked to before"),
            evaluation.effectiveness.linkage.rate_later,
            "share",
        ),
        KeyFigure("dose", _("Dose: lessons held of planned"), total.dose, "share"),
        KeyFigure("full_pair", _("Lessons led by a leader pair"), total.full_pair_share, "share"),
        KeyFigure("as_planned", _("Lessons delivered as planned"), total.delivered_fully, "share"),
        KeyFigure("trained", _("Trained leaders"), adoption.trained.total, "count"),
        KeyFigure("active", _("Active leaders"), adoption.active.total, "count"),
        KeyFigure("supervision", _("Hours of supervision"), total.supervision_hours, "hours"),
    ]
    findings = list(evaluation.notices)
    if evaluation.effectiveness.available:
        findings += evaluation.effectiveness.findings
    elif evaluation.has_data:
        findings.append(evaluation.effectiveness.message)
    follow_up = evaluation.maintenance.follow_up
    return Summary(
        figures,
        findings,
        follow_up=follow_up.findings if follow_up.available else [],
        maintenance=evaluation.maintenance.finding if evaluation.has_data else "",
        rollout=evaluation.rollout.finding,
    )
