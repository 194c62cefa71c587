"""User accounts and the schools a coordinator is bound to."""

import secrets

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.audit.mixin import Audited
from mvp.auth.roles import Role
from mvp.db import Base, TimestampMixin, VersionedMixin

user_school = sa.Table(
    "user_school",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("school_id", sa.ForeignKey("school.id", ondelete="CASCADE"), primary_key=True),
)

# The administrations an HR contact (Role.HR) records training attendance for.
user_administration = sa.Table(
    "user_administration",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "administration_id",
        sa.ForeignKey("administration.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


def new_login_token() -> str:
    """A random token; changing it signs the user out everywhere."""
    return secrets.token_urlsafe(16)


class User(Audited, TimestampMixin, VersionedMixin, UserMixin, Base):
    """A person who signs in: administrator, project lead, school coordinator or viewer."""

    __tablename__ = "user"
    __audit_secret__ = frozenset({"password_hash", "login_token"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    login_token: Mapped[str] = mapped_column(sa.String(32), default=new_login_token)

    schools: Mapped[list["School"]] = relationship(  # noqa: F821
        secondary=user_school, order_by="School.name"
    )
    administrations: Mapped[list["Administration"]] = relationship(  # noqa: F821
        secondary=user_administration, order_by="Administration.name"
    )

    __table_args__ = (
        sa.CheckConstraint(sa.column("role").in_([role.value for role in Role]), name="role_known"),
    )

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The token in the session id lets a password reset or deactivation end every session.
        return f"{self.id}:{self.login_token}"

    @property
    def audit_label(self) -> str:
        return self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
