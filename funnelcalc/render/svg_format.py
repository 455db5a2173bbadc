"""`--format svg`: the funnel chart as a standalone SVG sized for a 16:9 slide. It names only
generic font families, so it needs no font from anywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from funnelcalc.render.chart import Drawing, drawing, first_funnel

if TYPE_CHECKING:
    from funnelcalc.report import Report

FONT = "Helvetica, Arial, 'Liberation Sans', sans-serif"


def svg(chart: Drawing) -> str:
    """The chart as SVG markup (also embedded in the HTML report)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
        f'width="{chart.width}" height="{chart.height}" font-family="{FONT}" role="img" '
        f"aria-label={quoteattr(chart.title + ': funnel chart')}>",
        f'<rect width="{chart.width}" height="{chart.height}" fill="#ffffff"/>',
        _text(60, 70, chart.title, size=40, weight="bold"),
        _text(60, 112, chart.subtitle, size=22, fill="#444444"),
    ]
    for bar in chart.bars:
        middle = bar.y + bar.height / 2
        parts.append(
            f'<rect class="bar" x="{bar.x:.1f}" y="{bar.y:.1f}" width="{bar.width:.1f}" '
            f'height="{bar.height:.1f}" rx="6" fill="{bar.colour}"/>'
        )
        parts.append(_text(300, middle + 9, bar.label, size=26, anchor="end", weight="bold"))
        parts.append(
            _text(
                bar.x + bar.width / 2,
                middle + 10,
                bar.text,
                size=28,
                weight="bold",
                anchor="middle",
                fill="#111111",
                halo=True,
            )
        )
        if bar.side:
            parts.append(
                _text(bar.x + bar.width + 18, middle + 8, bar.side, size=21, fill="#333333")
            )
    x = 60
    for owner, colour in chart.legend:
        parts.append(
            f'<rect x="{x}" y="{chart.height - 52}" width="22" height="22" fill="{colour}"/>'
        )
        parts.append(_text(x + 30, chart.height - 34, owner, size=20))
        x += 60 + 11 * len(owner)
    parts.append(
        _text(
            chart.width - 60, chart.height - 34, chart.note, size=18, anchor="end", fill="#555555"
        )
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int,
    anchor: str = "start",
    weight: str = "normal",
    fill: str = "#222222",
    halo: bool = False,
) -> str:
    outline = ' stroke="#ffffff" stroke-width="5" paint-order="stroke"' if halo else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}"{outline}>{escape(text)}</text>'
    )


def render(report: Report) -> str:
    """`--format svg`: the report's funnel chart."""
    return svg(drawing(first_funnel(report, "svg")))
