"""Imports every area's models so that SQLAlchemy's metadata and Alembic see all tables."""

from mvp.audit import listener as _audit_listener  # noqa: F401 (registers the flush hook)
from mvp.audit.models import AuditEvent
from mvp.auth.models import User, user_school
from mvp.main.models import AccessibilityReport
from mvp.schools.models import School, StudentGroup

__all__ = ["AccessibilityReport", "AuditEvent", "School", "StudentGroup", "User", "user_school"]
