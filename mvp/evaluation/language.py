"""The language an evaluation is being written in, fixed once for a whole build.

A school year's evaluation writes thousands of numbers and sentences (a finding per school,
sex and scale). Asking Flask-Babel for the locale and its catalogue at each of them cost a
few microseconds every time, a fortieth of the build; ``writing_in`` looks both up once and
``gettext`` and ``locale_name`` read them from there. Outside ``writing_in`` (a template, a
renderer on its own) they ask Flask-Babel, as before.
"""

import contextlib
from contextvars import ContextVar

import flask_babel

_current: ContextVar[tuple | None] = ContextVar("evaluation_language", default=None)


@contextlib.contextmanager
def writing_in():
    """Fix the current locale (as Flask-Babel has it now) and its catalogue for the block."""
    token = _current.set((str(flask_babel.get_locale()), flask_babel.get_translations()))
    try:
        yield
    finally:
        _current.reset(token)


def locale_name() -> str:
    """The locale the text is written in, as ``str(flask_babel.get_locale())``."""
    fixed = _current.get()
    return fixed[0] if fixed is not None else str(flask_babel.get_locale())


def gettext(string: str, **variables) -> str:
    """``flask_babel.gettext``: the translation, formatted with `variables` if any."""
    fixed = _current.get()
    if fixed is None:
        return flask_babel.gettext(string, **variables)
    text = fixed[1].ugettext(string)
    return text % variables if variables else text
