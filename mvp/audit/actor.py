"""Who is acting now: set per request from the signed-in user, and by each command."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who made a change: a user's id and e-mail, or a label such as "cli"."""

    user_id: int | None
    label: str


SYSTEM = Actor(None, "system")
COMMAND_LINE = Actor(None, "cli")

_current: ContextVar[Actor] = ContextVar("mvp_actor", default=SYSTEM)


def set_actor(user=None, *, fallback: Actor = SYSTEM) -> None:
    """Make `user` (or, without one, `fallback`) the author of the changes that follow."""
    _current.set(Actor(user.id, user.email) if user is not None else fallback)


def current_actor() -> Actor:
    """The author of the changes being flushed now."""
    return _current.get()
