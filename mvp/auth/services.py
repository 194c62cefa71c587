"""Accounts: sign-in, creating and changing users, passwords and language."""

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from mvp.auth.models import User, new_login_token
from mvp.auth.roles import Role
from mvp.extensions import db
from mvp.schools.models import School
from mvp.validation import Invalid

MIN_PASSWORD_LENGTH = 10
# Checked against when the e-mail is unknown, so that both cases take the same time.
_DUMMY_HASH = generate_password_hash("not a real password")


def normalise_email(email: str) -> str:
    """E-mail addresses are compared without case and surrounding spaces."""
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    """The account with this e-mail address, if any."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, else None (never saying which part was wrong)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


def check_password_strength(password: str, field: str = "password") -> None:
    """Raise Invalid unless the password is long enough."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid({field: _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)})


# No look-alikes (0/O, 1/l/I): temporary passwords are often read out or typed from paper.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password() -> str:
    """A temporary password (xxxx-xxxx-xxxx, about 69 bits) to be changed at first sign-in."""
    blocks = ("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(blocks)


def _resolve_schools(role: str, school_ids) -> list[School]:
    schools = list(db.session.scalars(sa.select(School).where(School.id.in_(school_ids or []))))
    if len(schools) != len(set(school_ids or [])):
        raise Invalid({"schools": _("Unknown school.")})
    if role == Role.COORDINATOR and not schools:
        raise Invalid({"schools": _("A school coordinator needs at least one school.")})
    return schools if role == Role.COORDINATOR else []


def _resolve_administrations(role: str, administration_ids) -> list:
    """An HR contact's administrations (at least one); other roles keep none."""
    from mvp.organisation.models import Administration

    ids = set(administration_ids or [])
    administrations = list(
        db.session.scalars(sa.select(Administration).where(Administration.id.in_(ids)))
    )
    if len(administrations) != len(ids):
        raise Invalid({"administrations": _("Unknown administration.")})
    if role == Role.HR and not administrations:
        raise Invalid({"administrations": _("An HR contact needs at least one administration.")})
    return administrations if role == Role.HR else []


def create_user(
    *,
    email: str,
    role: str,
    name: str = "",
    school_ids=(),
    administration_ids=(),
    password: str | None = None,
    locale: str | None = None,
) -> tuple[User, str | None]:
    """Create an account. Without a password one is generated, returned, and must be changed."""
    email = normalise_email(email)
    if role not in set(Role):
        raise Invalid({"role": _("Unknown role.")})
    if find_user(email) is not None:
        raise Invalid({"email": _("There is already an account with this e-mail address.")})
    generated = None
    if password is None:
        generated = password = generate_password()
    else:
        check_password_strength(password)
    user = User(
        email=email,
        name=(name or "").strip(),
        role=role,
        locale=locale,
        password_hash=generate_password_hash(password),
        must_change_password=generated is not None,
        schools=_resolve_schools(role, school_ids),
        administrations=_resolve_administrations(role, administration_ids),
    )
    db.session.add(user)
    db.session.flush()
    return user, generated


def update_user(
    user: User,
    *,
    email: str,
    role: str,
    name: str,
    school_ids,
    active: bool,
    actor=None,
    administration_ids=(),
) -> User:
    """Change an account's details; deactivating it signs it out everywhere.

    Administrators cannot deactivate themselves or give up their own role, so that an
    installation is never left without anyone who can manage accounts.
    """
    email = normalise_email(email)
    if actor is not None and actor.id == user.id:
        if not active:
            raise Invalid({"active": _("You cannot deactivate your own account.")})
        if role != user.role:
            raise Invalid({"role": _("You cannot change your own role.")})
    other = find_user(email)
    if other is not None and other.id != user.id:
        raise Invalid({"email": _("There is already an account with this e-mail address.")})
    if role not in set(Role):
        raise Invalid({"role": _("Unknown role.")})
    user.schools = _resolve_schools(role, school_ids)
    user.administrations = _resolve_administrations(role, administration_ids)
    user.email, user.role, user.name = email, role, (name or "").strip()
    if user.active and not active:
        user.login_token = new_login_token()
    user.active = active
    db.session.flush()
    return user


def reset_password(user: User) -> str:
    """Give the user a new temporary password (returned once) and sign them out everywhere."""
    password = generate_password()
    user.password_hash = generate_password_hash(password)
    user.must_change_password = True
    user.login_token = new_login_token()
    db.session.flush()
    return password


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change of password; keeps this session, ends the others."""
    if not check_password_hash(user.password_hash, current or ""):
        raise Invalid({"current_password": _("The current password is wrong.")})
    check_password_strength(new, field="new_password")
    user.password_hash = generate_password_hash(new)
    user.must_change_password = False
    user.login_token = new_login_token()
    db.session.flush()


def set_locale(user: User, locale: str | None) -> None:
    """Remember the user's language."""
    user.locale = locale
    db.session.flush()


def list_users() -> list[User]:
    """Every account, administrators first."""
    return list(db.session.scalars(sa.select(User).order_by(User.role, User.email)))
