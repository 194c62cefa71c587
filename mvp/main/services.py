"""The overview's figures and the accessibility reports."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from mvp.auth.permissions import school_filter, sees_only_aggregates
from mvp.evaluation.suppress import suppress_counts
from mvp.extensions import db
from mvp.main.models import AccessibilityReport
from mvp.schools.models import School, StudentGroup


@dataclass
class Overview:
    """Key figures of one school year within the user's scope, suppressed like all statistics."""

    school_year: int
    schools: int
    schools_with_groups: int
    groups: int
    pupils_by_sex: dict[str, int | str]
    pupils_total: int | str | None


def overview(user, school_year: int) -> Overview:
    """Count schools, groups and pupils (by sex) in two queries.

    Viewers see the counts through the suppression rule. Staff see them exactly: they can
    read every group's counts on the group pages anyway, so hiding them here protects nobody.
    """
    schools = db.session.scalar(
        sa.select(sa.func.count(School.id)).where(School.active, school_filter(user, School.id))
    )
    row = db.session.execute(
        sa.select(
            sa.func.count(sa.distinct(StudentGroup.school_id)),
            sa.func.count(StudentGroup.id),
            sa.func.coalesce(sa.func.sum(StudentGroup.girls), 0),
            sa.func.coalesce(sa.func.sum(StudentGroup.boys), 0),
            sa.func.coalesce(sa.func.sum(StudentGroup.others), 0),
        ).where(
            StudentGroup.school_year == school_year,
            school_filter(user, StudentGroup.school_id),
        )
    ).one()
    with_groups, groups, girls, boys, others = (int(value) for value in row)
    by_sex, total = {"girls": girls, "boys": boys, "others": others}, girls + boys + others
    if sees_only_aggregates(user):
        by_sex, total = suppress_counts(by_sex, current_app.config["SUPPRESSION_MIN"], total=total)
    return Overview(school_year, int(schools), with_groups, groups, by_sex, total)


def report_accessibility_problem(description: str, page: str = "", contact: str = "") -> None:
    """Store a reported accessibility problem for the administrators."""
    db.session.add(
        AccessibilityReport(
            description=description.strip(),
            page=(page or "").strip()[:500],
            contact=(contact or "").strip()[:254],
        )
    )
    db.session.flush()


def list_accessibility_reports() -> list[AccessibilityReport]:
    """Every report, newest first."""
    return list(
        db.session.scalars(
            sa.select(AccessibilityReport).order_by(AccessibilityReport.created_at.desc())
        )
    )


def mark_report_handled(report_id: int) -> AccessibilityReport | None:
    """Mark a report as handled."""
    report = db.session.get(AccessibilityReport, report_id)
    if report is not None:
        report.handled = True
        db.session.flush()
    return report
