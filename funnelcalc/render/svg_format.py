"""`--format svg`: the funnel chart as a standalone SVG sized for a 16:9 slide. It names only
generic font families, so it needs no font from anywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from funnelcalc.render.chart import Drawing, Rect, drawing, first_funnel

if TYPE_CHECKING:
    from funnelcalc.report import Report

FONT = "Helvetica, Arial, 'Liberation Sans', sans-serif"


def svg(chart: Drawing) -> str:
    """The chart as SVG markup (also embedded in the HTML report)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
        f'width="{chart.width}" height="{chart.height}" font-family="{FONT}" role="img" '
        f"aria-label={quoteattr(chart.title + ': funnel chart')}>"
    ]
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            kind = ' class="bar" rx="6"' if shape.bar else ""
            parts.append(
                f'<rect{kind} x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.width:.1f}" '
                f'height="{shape.height:.1f}" fill="{shape.colour}"/>'
            )
            continue
        anchor = {"start": "start", "middle": "middle", "end": "end"}[shape.anchor]
        outline = ' stroke="#ffffff" stroke-width="5" paint-order="stroke"' if shape.halo else ""
        # The baseline sits about a third of the size below the middle of the text.
        parts.append(
            f'<text x="{shape.x:.1f}" y="{shape.y + shape.size * 0.35:.1f}" '
            f'font-size="{shape.size}" text-anchor="{anchor}" '
            f'font-weight="{"bold" if shape.bold else "normal"}" fill="{shape.colour}"{outline}>'
            f"{escape(shape.text)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render(report: Report) -> str:
    """`--format svg`: the report's funnel chart."""
    return svg(drawing(first_funnel(report, "svg")))
