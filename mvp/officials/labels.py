"""The reader's names of the officials' area's coded values."""

from flask_babel import lazy_gettext as _l

from mvp.officials.models import BodyKind, SeatKind, SeatSex

BODY_KIND_LABELS = {
    BodyKind.ASSEMBLY: _l("Municipal assembly (kommunfullmäktige)"),
    BodyKind.EXECUTIVE: _l("Municipal executive board (kommunstyrelsen)"),
    BodyKind.COMMITTEE: _l("Committee (nämnd)"),
    BodyKind.COMPANY_BOARD: _l("Board of a municipal company"),
}
SEAT_KIND_LABELS = {
    SeatKind.ORDINARY: _l("Ordinary members"),
    SeatKind.SUBSTITUTE: _l("Substitutes"),
    SeatKind.CHAIR: _l("Chairs"),
    "unknown": _l("Not stated"),
    "total": _l("Total"),
}
SEAT_SEX_LABELS = {
    SeatSex.WOMAN: _l("Women"),
    SeatSex.MAN: _l("Men"),
    SeatSex.OTHER: _l("Other"),
}
REFERENCE_SEX_LABELS = {"all": _l("All"), "woman": _l("Women"), "man": _l("Men")}
STATUS_LABELS = {"upcoming": _l("Not yet open"), "open": _l("Open"), "closed": _l("Closed")}


def label(mapping: dict, value) -> str:
    """A coded value in the reader's words (the value itself if unknown)."""
    return str(mapping.get(value, value))
