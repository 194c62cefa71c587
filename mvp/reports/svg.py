"""Charts drawn as inline SVG on the server: no script, no CDN, no style attributes (CSP).

Series differ by marker shape as well as colour, every chart has a title and a description
naming the table that holds the same figures, and suppressed figures are listed, not drawn.
"""

import math

from flask_babel import gettext as _
from markupsafe import Markup, escape

from mvp.evaluation.numbers import fmt
from mvp.reports.charts import SERIES_SHAPES, Chart

WIDTH = 680
ROW = 34
TOP = 44
BOTTOM = 44
COLOURS = {
    "all": "#1d4f91",
    "girl": "#1d4f91",
    "boy": "#7a4b00",
    "woman": "#1d4f91",
    "man": "#7a4b00",
    "before": "#4a4a4a",
    "later": "#1d4f91",
    "women": "#1d4f91",
    "men": "#7a4b00",
    "total": "#4a4a4a",
}


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round tick values covering low..high."""
    span = max(high - low, 1e-9)
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return (
            f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1"/>'
        )
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" stroke="#ffffff" '
        f'stroke-width="1"/>'
    )


def chart_svg(chart: Chart, element_id: str) -> Markup:
    """The chart as an accessible SVG element."""
    label_width = min(300, max(120, 7 * max((len(r.label) for r in chart.rows), default=10)))
    plot_left, plot_right = label_width + 16, WIDTH - 20
    height = TOP + ROW * len(chart.rows) + BOTTOM
    low, high = chart.bounds()

    def x_of(value: float) -> float:
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    description = _("The same figures are in the table below the chart.")
    if chart.hidden:
        description += " " + _(
            "Not drawn (too few pupils): %(names)s.", names=", ".join(chart.hidden)
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" class="chart-svg" '
        f'font-family="sans-serif" font-size="13">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    # Legend: marker shape and name of each series.
    legend_x = plot_left
    for series, name in chart.series.items():
        parts.append(_marker(SERIES_SHAPES[series], legend_x + 6, 18, COLOURS[series]))
        parts.append(f'<text x="{legend_x + 18:.1f}" y="22" fill="#1b1b1b">{escape(name)}</text>')
        legend_x += 30 + 8 * len(str(name))
    axis_y = TOP + ROW * len(chart.rows)
    for tick in nice_ticks(low, high):
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{axis_y}" stroke="#d5d9df" '
            f'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 18}" text-anchor="middle" fill="#1b1b1b">'
            f"{escape(fmt(tick, 0 if float(tick).is_integer() else 1))}</text>"
        )
    if chart.zero_line and low < 0 < high:
        parts.append(
            f'<line x1="{x_of(0):.1f}" y1="{TOP - 6}" x2="{x_of(0):.1f}" y2="{axis_y}" '
            f'stroke="#1b1b1b" stroke-width="2"/>'
        )
    parts.append(
        f'<text x="{(plot_left + plot_right) / 2:.1f}" y="{axis_y + 38}" text-anchor="middle" '
        f'fill="#1b1b1b">{escape(chart.axis_label)}</text>'
    )
    series_keys = list(chart.series)
    for index, row in enumerate(chart.rows):
        y = TOP + ROW * index + ROW / 2
        parts.append(
            f'<text x="{label_width:.1f}" y="{y + 4:.1f}" text-anchor="end" fill="#1b1b1b">'
            f"{escape(row.label)}</text>"
        )
        if not row.values:
            parts.append(f'<text x="{plot_left + 4:.1f}" y="{y + 4:.1f}" fill="#4a4a4a">..</text>')
            continue
        if chart.kind == "dumbbell":
            before, later = row.values["before"][0], row.values["later"][0]
            parts.append(
                f'<line x1="{x_of(before):.1f}" y1="{y:.1f}" x2="{x_of(later):.1f}" '
                f'y2="{y:.1f}" stroke="#8a8f98" stroke-width="3"/>'
            )
        for position, series in enumerate(series_keys):
            if series not in row.values:
                continue
            value, lower, upper = row.values[series]
            offset = (position - (len(series_keys) - 1) / 2) * 10 if chart.kind == "forest" else 0
            yy = y + offset
            if lower is not None and upper is not None:
                parts.append(
                    f'<line x1="{x_of(lower):.1f}" y1="{yy:.1f}" x2="{x_of(upper):.1f}" '
                    f'y2="{yy:.1f}" stroke="{COLOURS[series]}" stroke-width="2"/>'
                )
            parts.append(_marker(SERIES_SHAPES[series], x_of(value), yy, COLOURS[series]))
    parts.append("</svg>")
    return Markup("".join(parts))
