"""The geometry of the plan's timeline chart, drawn as SVG by templates/rollout/_timeline.svg.

One row per school MVP is meant for, one column per term of the plan. A solid bar runs from
the current term for a school that already has MVP; a hatched bar runs from the target term
for a school planned to start. The words beside each name say the same, so nothing is told
by colour or pattern alone, and the table under the chart holds every figure.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from mvp.rollout.plan import RolloutSummary, SchoolPlan
from mvp.rollout.stages import stage_label

LABEL_WIDTH = 230
COLUMN_WIDTH = 66
ROW_HEIGHT = 40
HEADER_HEIGHT = 30
BAR_HEIGHT = 16
PADDING = 8


@dataclass(frozen=True)
class Column:
    """A term's column: its heading and where it lies."""

    label: str
    x: int
    text_x: int


@dataclass(frozen=True)
class Row:
    """A school's row: its name, what the bar means in words, and the bar (if any)."""

    name: str
    status: str
    y: int
    kind: str  # "running", "planned" or "none"
    bar_x: int
    bar_width: int

    @property
    def name_y(self) -> int:
        return self.y + 16

    @property
    def status_y(self) -> int:
        return self.y + 32

    @property
    def bar_y(self) -> int:
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) // 2


@dataclass(frozen=True)
class Timeline:
    """Everything the SVG template needs."""

    width: int
    height: int
    label_width: int
    header_height: int
    bar_height: int
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


def _status(plan: SchoolPlan, summary: RolloutSummary) -> tuple[str, str, int | None]:
    """(kind of bar, words, first column) for one school."""
    stage = stage_label(plan.stage)
    if plan.running:
        since = _(", since %(term)s", term=plan.target) if plan.target else ""
        return "running", _("Has MVP (%(stage)s%(since)s)", stage=stage, since=since), 0
    index = next((i for i, t in enumerate(summary.terms) if t.term == plan.target), None)
    if index is not None:
        return "planned", _("%(stage)s, starts %(term)s", stage=stage, term=plan.target), index
    if plan.target is not None and plan.target < summary.current_term:
        status = _("%(stage)s, target %(term)s has passed", stage=stage, term=plan.target)
        return "none", status, None
    if plan.target is not None:
        return "none", _("%(stage)s, starts %(term)s", stage=stage, term=plan.target), None
    return "none", _("%(stage)s, no target term", stage=stage), None


def timeline(summary: RolloutSummary) -> Timeline:
    """Lay out the schools (running, then by start term, then the rest) against the terms."""
    columns = tuple(
        Column(
            t.term.label,
            LABEL_WIDTH + i * COLUMN_WIDTH,
            LABEL_WIDTH + i * COLUMN_WIDTH + COLUMN_WIDTH // 2,
        )
        for i, t in enumerate(summary.terms)
    )
    end = LABEL_WIDTH + len(columns) * COLUMN_WIDTH
    laid_out = []
    for plan in summary.schools:
        if not plan.eligible:
            continue
        kind, status, first = _status(plan, summary)
        order = first if first is not None else len(columns) + 1
        laid_out.append((0 if kind == "running" else 1, order, plan.name, kind, status, first))
    laid_out.sort(key=lambda item: item[:3])
    rows = []
    for number, (_group, _order, name, kind, status, first) in enumerate(laid_out):
        y = HEADER_HEIGHT + number * ROW_HEIGHT
        bar_x = LABEL_WIDTH + (first or 0) * COLUMN_WIDTH + 2
        rows.append(Row(name, status, y, kind, bar_x, end - bar_x - 2 if first is not None else 0))
    return Timeline(
        width=end + PADDING,
        height=HEADER_HEIGHT + len(rows) * ROW_HEIGHT + PADDING,
        label_width=LABEL_WIDTH,
        header_height=HEADER_HEIGHT,
        bar_height=BAR_HEIGHT,
        columns=columns,
        rows=tuple(rows),
    )
