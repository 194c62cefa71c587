"""Imports every area's models so that SQLAlchemy's metadata and Alembic see all tables."""

from mvp.audit import listener as _audit_listener  # noqa: F401 (registers the flush hook)
from mvp.audit.models import AuditEvent
from mvp.auth.models import User, user_administration, user_school
from mvp.dashboard import version as _data_version  # noqa: F401 (registers the commit hook)
from mvp.dashboard.models import DataVersion
from mvp.evaluation.models import ReportText
from mvp.goals.models import (
    Deviation,
    Goal,
    Indicator,
    KoladaKpi,
    KoladaValue,
    TypedValue,
    goal_owner,
)
from mvp.kept_input import KeptInput
from mvp.lessons.models import Curriculum, CurriculumLesson, Lesson, lesson_leader
from mvp.main.models import AccessibilityReport
from mvp.mentors.models import Leader, Training, TrainingParticipant
from mvp.officials.models import OfficialRound, PoliticalBody, Reference, SeatCount
from mvp.organisation.models import Administration
from mvp.rollout.models import SchoolRollout, StageChange
from mvp.schools.models import School, StudentGroup
from mvp.staff_training.models import (
    AttendanceCount,
    Occasion,
    OrgUnit,
    Participant,
    Programme,
    occasion_unit,
)
from mvp.staff_training.questionnaire import ProgrammeWave
from mvp.surveys.models import (
    Answer,
    ImportBatch,
    Instrument,
    Item,
    Response,
    ResponseLink,
    Scale,
    ScaleScore,
    SingleUseCode,
    Wave,
)

__all__ = [
    "AccessibilityReport",
    "Administration",
    "Answer",
    "AttendanceCount",
    "AuditEvent",
    "Curriculum",
    "CurriculumLesson",
    "DataVersion",
    "Deviation",
    "Goal",
    "ImportBatch",
    "Indicator",
    "Instrument",
    "Item",
    "KeptInput",
    "KoladaKpi",
    "KoladaValue",
    "Leader",
    "Lesson",
    "Occasion",
    "OfficialRound",
    "OrgUnit",
    "Participant",
    "PoliticalBody",
    "Programme",
    "ProgrammeWave",
    "Reference",
    "ReportText",
    "Response",
    "ResponseLink",
    "Scale",
    "ScaleScore",
    "School",
    "SchoolRollout",
    "SeatCount",
    "SingleUseCode",
    "StageChange",
    "StudentGroup",
    "Training",
    "TrainingParticipant",
    "TypedValue",
    "User",
    "Wave",
    "goal_owner",
    "lesson_leader",
    "occasion_unit",
    "user_administration",
    "user_school",
]
