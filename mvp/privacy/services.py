"""The data protection officer's tools: deleting a wave's or a school year's answers, and
exporting what is stored about a staff account.

The officer acts through an administrator. Each change writes one audit entry that says how
many answers were affected, never what they held (the answers themselves are never logged).
Services flush; the view or command commits once.
"""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from mvp.audit.actor import current_actor
from mvp.audit.mixin import FIELD_LABELS, OBJECT_TYPE_LABELS
from mvp.audit.models import AuditEvent
from mvp.auth.models import User
from mvp.db import utcnow
from mvp.evaluation.models import ReportText
from mvp.extensions import db
from mvp.main.models import AccessibilityReport
from mvp.mentors.models import Leader, Training, TrainingParticipant
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import format_school_year
from mvp.surveys import services as surveys
from mvp.surveys.labels import phase_label
from mvp.surveys.models import ImportBatch, Response, ResponseLink, Wave

# This area's entries in the audit log, named for its readers.
OBJECT_TYPE_LABELS.update(
    {
        "answers": _l("Pupils' answers"),
        "linkage_codes": _l("Linkage codes"),
        "staff_export": _l("Export of a staff account's data"),
    }
)
FIELD_LABELS.update(
    {
        "responses": _l("Answers"),
        "pairs": _l("Before/after pairs"),
        "waves": _l("Questionnaire waves"),
        "erased": _l("Linkage codes erased"),
        "answered_before": _l("Answered before"),
    }
)


def log_event(action: str, object_type: str, object_id: int | None, label: str, changes: dict):
    """One audit entry for a change the ORM listener cannot see (bulk, or not a model's)."""
    actor = current_actor()
    db.session.add(
        AuditEvent(
            at=utcnow(),
            actor_id=actor.user_id,
            actor_label=actor.label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=label[:300],
            changes=changes,
        )
    )


# --- deleting answers ----------------------------------------------------------------------


@dataclass
class WaveAnswers:
    """A wave and how many answers it holds, for the lists and the confirmation page."""

    wave: Wave
    responses: int


@dataclass
class AnswerDeletion:
    """What deleting a set of answers would remove: counted, before anything is deleted."""

    label: str
    school_year: int
    wave_ids: list[int]
    responses: int = 0
    pairs: int = 0
    groups: list[str] = field(default_factory=list)

    @property
    def year_text(self) -> str:
        return format_school_year(self.school_year)


def answer_years() -> list[tuple[int, int, int]]:
    """(school year, waves with answers, answers) for every school year that has answers."""
    rows = db.session.execute(
        sa.select(
            StudentGroup.school_year,
            sa.func.count(sa.distinct(Wave.id)),
            sa.func.count(Response.id),
        )
        .select_from(Response)
        .join(Wave, Response.wave_id == Wave.id)
        .join(StudentGroup, Wave.group_id == StudentGroup.id)
        .group_by(StudentGroup.school_year)
        .order_by(StudentGroup.school_year.desc())
    )
    return [tuple(row) for row in rows]


def waves_of_year(school_year: int) -> list[WaveAnswers]:
    """The waves of a school year's groups with their numbers of answers, by school and group."""
    answers = (
        sa.select(sa.func.count(Response.id))
        .where(Response.wave_id == Wave.id)
        .correlate(Wave)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Wave, answers)
        .join(Wave.group)
        .join(School, StudentGroup.school_id == School.id)
        .where(StudentGroup.school_year == school_year)
        .options(sa.orm.contains_eager(Wave.group).joinedload(StudentGroup.school))
        .order_by(School.name, StudentGroup.name, Wave.opens_on)
    )
    return [WaveAnswers(wave, count) for wave, count in rows]


def _wave_label(wave: Wave) -> str:
    group = wave.group
    return (
        f"{wave.code} ({group.school.name} {group.name}, "
        f"{format_school_year(group.school_year)}, {phase_label(wave.phase)})"
    )


def _count(deletion: AnswerDeletion) -> AnswerDeletion:
    response_ids = sa.select(Response.id).where(Response.wave_id.in_(deletion.wave_ids))
    deletion.responses = db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(Response.wave_id.in_(deletion.wave_ids))
    )
    deletion.pairs = db.session.scalar(
        sa.select(sa.func.count(ResponseLink.id)).where(
            sa.or_(
                ResponseLink.before_id.in_(response_ids), ResponseLink.later_id.in_(response_ids)
            )
        )
    )
    return deletion


def wave_deletion(wave: Wave) -> AnswerDeletion:
    """What deleting one wave's answers would remove."""
    group = wave.group
    deletion = AnswerDeletion(_wave_label(wave), group.school_year, [wave.id])
    deletion.groups = [f"{group.school.name} {group.name}"]
    return _count(deletion)


def year_deletion(school_year: int) -> AnswerDeletion:
    """What deleting every answer of one school year's groups would remove."""
    waves = waves_of_year(school_year)
    deletion = AnswerDeletion(
        format_school_year(school_year), school_year, [w.wave.id for w in waves if w.responses]
    )
    deletion.groups = sorted(
        {f"{w.wave.group.school.name} {w.wave.group.name}" for w in waves if w.responses}
    )
    return _count(deletion)


def delete_answers(deletion: AnswerDeletion, *, scope: str) -> int:
    """Delete the answers (with their scores, pairs and batches) and pair the rest again.

    The waves stay (they are planning, not answers). One audit entry records the counts.
    Returns the number of answers deleted.
    """
    _count(deletion)  # counted again inside this transaction: what is deleted is what is logged
    waves = list(db.session.scalars(sa.select(Wave).where(Wave.id.in_(deletion.wave_ids))))
    cohorts = {(w.group.school_id, surveys.cohort_of(w.group)) for w in waves}
    # Ordinary ORM deletes, so that every listener of the session (the evaluation's data
    # version among them) sees them; answers, scores and pairs go by the foreign keys' cascade.
    for response in db.session.scalars(
        sa.select(Response).where(Response.wave_id.in_(deletion.wave_ids))
    ):
        db.session.delete(response)
    for batch in db.session.scalars(
        sa.select(ImportBatch).where(ImportBatch.wave_id.in_(deletion.wave_ids))
    ):
        db.session.delete(batch)
    db.session.flush()
    for school_id, cohort in sorted(cohorts):
        surveys.relink_cohort(school_id, cohort)
    log_event(
        "delete",
        "answers",
        deletion.wave_ids[0] if scope == "wave" else deletion.school_year,
        deletion.label,
        {
            "responses": [deletion.responses, None],
            "pairs": [deletion.pairs, None],
            "waves": [len(deletion.wave_ids), None],
        },
    )
    db.session.flush()
    return deletion.responses


# --- export of a staff account -------------------------------------------------------------


def _iso(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


# Secrets for checking a sign-in or a session, not information about the person.
SECRET_COLUMNS = frozenset({"password_hash", "login_token"})


def staff_export(user: User) -> dict:
    """Everything stored about a staff account, as plain JSON-ready data.

    The password hash and the sign-in token are left out: they are secrets for checking a
    sign-in, not information about the person (the export says that they exist).
    """
    email = user.email.strip().lower()
    # Every column of the account (new ones included), but the secrets.
    account = {
        prop.key: _iso(getattr(user, prop.key))
        for prop in sa.inspect(User).column_attrs
        if prop.key not in SECRET_COLUMNS
    }
    account["password"] = "stored only as a one-way hash (scrypt), not exported"
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            sa.or_(
                AuditEvent.actor_id == user.id,
                sa.and_(AuditEvent.object_type == "user", AuditEvent.object_id == user.id),
            )
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    as_actor, about_account = [], []
    for event in events:
        entry = {
            "at": _iso(event.at),
            "actor": event.actor_label,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "object": event.object_label,
            "changes": event.changes,
        }
        if event.actor_id == user.id:
            as_actor.append(entry)
        if event.object_type == "user" and event.object_id == user.id:
            about_account.append(entry)
    reports = db.session.scalars(
        sa.select(AccessibilityReport)
        .where(sa.func.lower(AccessibilityReport.contact) == email)
        .order_by(AccessibilityReport.id)
    )
    leaders = db.session.scalars(
        sa.select(Leader).where(sa.func.lower(Leader.email) == email).order_by(Leader.id)
    )
    return {
        "exported_at": _iso(utcnow()),
        "account": account,
        "schools": [{"id": s.id, "name": s.name} for s in user.schools],
        "audit_log_as_actor": as_actor,
        "audit_log_about_the_account": about_account,
        "accessibility_reports_with_this_email": [
            {
                "id": r.id,
                "created_at": _iso(r.created_at),
                "page": r.page,
                "description": r.description,
                "contact": r.contact,
                "handled": r.handled,
            }
            for r in reports
        ],
        "mvp_leader_records_with_this_email": [_leader(leader) for leader in leaders],
        "answer_batches_entered": [
            {"id": b.id, "created_at": _iso(b.created_at), "filename": b.filename, "rows": b.rows}
            for b in db.session.scalars(
                sa.select(ImportBatch)
                .where(ImportBatch.created_by_id == user.id)
                .order_by(ImportBatch.id)
            )
        ],
        "report_texts_written": [
            format_school_year(t.school_year)
            for t in db.session.scalars(
                sa.select(ReportText).where(ReportText.updated_by_id == user.id)
            )
        ],
    }


def _leader(leader: Leader) -> dict:
    trainings = db.session.execute(
        sa.select(Training, TrainingParticipant.attended)
        .join(TrainingParticipant, TrainingParticipant.training_id == Training.id)
        .where(TrainingParticipant.leader_id == leader.id)
        .order_by(Training.starts_on)
    )
    return {
        "id": leader.id,
        "name": leader.name,
        "email": leader.email,
        "school": leader.school.name if leader.school else None,
        "role": leader.role,
        "sex": leader.sex,
        "active": leader.active,
        "trainings": [
            {
                "kind": training.kind,
                "title": training.title,
                "starts_on": _iso(training.starts_on),
                "attended": attended,
            }
            for training, attended in trainings
        ],
    }


def log_export(user: User) -> None:
    """Record that an account's data were exported (who did it and when; not the content)."""
    log_event("export", "staff_export", user.id, user.email, {})
