"""Jinja filters that format dates, school years, grades and numbers the same way everywhere."""

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_decimal, format_percent, get_locale
from markupsafe import Markup

from mvp.evaluation.suppress import SUPPRESSED  # the one ".."
from mvp.schools.grades import grade_label
from mvp.schools.years import format_school_year


def isodate(value) -> str:
    """A date as 2026-11-27; a moment in time as 2026-11-27 14:05 local time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def number(value, decimals: int = 0) -> str:
    """A number in the reader's locale (1 234,5 in Swedish); None as a dash, '..' kept."""
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return SUPPRESSED
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern)


def percent(value, decimals: int = 0) -> str:
    """A share between 0 and 1 as a percentage (45 % in Swedish); None as a dash."""
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return SUPPRESSED
    # Swedish writes "46 %" (with a no-break space), English "46%".
    sign = "%" if str(get_locale()).startswith("en") else "\u00a0%"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + sign
    return format_percent(value, format=pattern)


def suppressed_abbr(value) -> Markup | str:
    """Mark a suppressed figure so that screen readers say why it is missing."""
    if value == SUPPRESSED:
        from flask_babel import gettext

        title = gettext("Too few answers to show")
        return Markup('<abbr title="{}">..</abbr>').format(title)
    return value


FILTERS = {
    "isodate": isodate,
    "school_year": format_school_year,
    "grade": grade_label,
    "num": number,
    "pct": percent,
    "suppressed": suppressed_abbr,
}
