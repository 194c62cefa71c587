"""Demo step: one account per role, with passwords generated for this installation."""

from mvp.auth import services
from mvp.demo import DemoContext

ACCOUNTS = [
    ("admin@exempelkommun.se", "admin", "Alex Administratör", []),
    ("projektledare@exempelkommun.se", "lead", "Maria Jämställdhetsstrateg", []),
    ("samordnare.langsjo@exempelkommun.se", "coordinator", "Nora Samordnare", ["Långsjöskolan"]),
    ("samordnare.hallsta@exempelkommun.se", "coordinator", "Omar Samordnare", ["Hallsta skola"]),
    ("insyn@exempelkommun.se", "viewer", "Vera Förtroendevald", []),
]


def seed(context: DemoContext) -> None:
    """Create the demo accounts; their passwords are random and returned for printing."""
    for email, role, name, school_names in ACCOUNTS:
        password = services.generate_password()
        user, _ = services.create_user(
            email=email,
            role=role,
            name=name,
            school_ids=[context.schools[n].id for n in school_names],
            password=password,
        )
        context.users[role if role != "coordinator" else email] = user
        context.passwords[email] = (role, password)
