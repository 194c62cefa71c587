"""Small factories that build test data through the real services, plus sign-in helpers."""

import itertools

from werkzeug.security import generate_password_hash

from mvp.auth.models import User
from mvp.extensions import db
from mvp.schools import services as school_services
from mvp.schools.models import School, StudentGroup
from mvp.schools.services import GroupData, SchoolData
from mvp.schools.years import current_school_year

PASSWORD = "rätt-lösenord-123"
# One cheap hash for every test user: real scrypt hashing costs ~0.1 s per user.
_FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_numbers = itertools.count(1)


def make_school(**overrides) -> School:
    data = {
        "name": f"Testskolan {next(_numbers)}",
        "kind": "7-9",
        "principal_name": "Rektor Rektorsson",
        "principal_email": "rektor@example.se",
        "pupils_by_grade": {7: 100, 8: 90, 9: 80},
    }
    data.update(overrides)
    school = school_services.create_school(SchoolData(**data))
    db.session.commit()
    return school


def make_group(school: School, **overrides) -> StudentGroup:
    data = {
        "school_year": current_school_year(),
        "name": f"8{chr(64 + next(_numbers) % 26 + 1)}{next(_numbers)}",
        "grade": 8,
        "girls": 12,
        "boys": 11,
        "others": 1,
    }
    data.update(overrides)
    group = school_services.create_group(school, GroupData(**data))
    db.session.commit()
    return group


def make_user(role: str = "lead", *, schools=(), email: str | None = None, **overrides) -> User:
    user = User(
        email=email or f"{role}{next(_numbers)}@example.se",
        role=role,
        name=overrides.pop("name", role.title()),
        password_hash=overrides.pop("password_hash", _FAST_HASH),
        schools=list(schools),
        **overrides,
    )
    db.session.add(user)
    db.session.commit()
    return user


def sign_in(client, user: User) -> None:
    """Put the user in the test client's session (the login form has its own tests)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
