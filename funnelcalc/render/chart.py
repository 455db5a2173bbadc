"""The funnel chart's geometry, drawn by the SVG, PNG and HTML renderers alike: one bar per
stage, as wide as its volume (on a log scale when the funnel spans orders of magnitude),
labelled with the volume and the rate, coloured by owner. It draws any report's chart data."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from funnelcalc.errors import InputError
from funnelcalc.report import Chart, Report

WIDTH, HEIGHT = 1600, 900  # a 16:9 slide
LOG_SCALE_FROM = 100
"""A funnel whose top is this many times its narrowest stage is drawn on a log scale."""
# Okabe–Ito: told apart by colour-blind readers too.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
UNOWNED = "#8C8C8C"
NO_GROUP = "(no owner)"


class PlacedBar(NamedTuple):
    """One bar, in pixels from the top left."""

    label: str
    text: str
    side: str
    colour: str
    x: float
    y: float
    width: float
    height: float


class Drawing(NamedTuple):
    """Everything a painter needs."""

    title: str
    subtitle: str
    bars: tuple[PlacedBar, ...]
    legend: tuple[tuple[str, str], ...]
    """(group, colour), in order of first appearance."""
    note: str
    width: int = WIDTH
    height: int = HEIGHT


def shares(volumes: Sequence[int]) -> tuple[list[float], bool]:
    """Each bar's width as a share of the widest (0 to 1), and whether on a log scale. Only the
    drawing is in floats (from exact integer comparisons): every number printed is exact."""
    top = max(volumes, default=0)
    smallest = min((v for v in volumes if v > 0), default=0)
    if top <= 0:
        return [0.0] * len(volumes), False
    if smallest * LOG_SCALE_FROM <= top:
        low = math.log10(smallest)
        span = math.log10(top) - low
        return [
            0.0 if v <= 0 else 0.12 + 0.88 * (math.log10(v) - low) / span for v in volumes
        ], True
    return [max(v, 0) / top for v in volumes], False


def colours(chart: Chart) -> dict[str | None, str]:
    """A colour per group, in order; grey for bars without one."""
    found: dict[str | None, str] = {}
    for bar in chart.bars:
        if bar.group not in found:
            grouped = sum(group is not None for group in found)
            found[bar.group] = PALETTE[grouped % len(PALETTE)] if bar.group else UNOWNED
    return found


def drawing(chart: Chart) -> Drawing:
    """Where every bar of a funnel chart goes on a 16:9 slide."""
    widths, log = shares([bar.value for bar in chart.bars])
    palette = colours(chart)
    top, bottom, left, right = 150, 90, 330, 330
    area = WIDTH - left - right
    slot = (HEIGHT - top - bottom) / max(len(chart.bars), 1)
    height = slot * 0.78
    bars = []
    for index, (bar, share) in enumerate(zip(chart.bars, widths, strict=True)):
        width = max(area * share, 4.0)
        x = left + (area - width) / 2
        y = top + index * slot + (slot - height) / 2
        bars.append(
            PlacedBar(bar.label, bar.text, bar.side, palette[bar.group], x, y, width, height)
        )
    values = [bar.value for bar in chart.bars if bar.value > 0]
    note = "Bar widths in proportion to volume."
    if log:
        span = math.log10(max(values)) - math.log10(min(values))
        note = f"Bar widths on a log scale: the funnel spans {span:.1f} orders of magnitude."
    legend = tuple((group or NO_GROUP, colour) for group, colour in palette.items())
    return Drawing(chart.title, chart.subtitle, tuple(bars), legend, note)


def first_funnel(report: Report, output_format: str) -> Chart:
    """The funnel chart a slide draws: the report's first."""
    for chart in report.charts():
        if chart.kind == "funnel":
            return chart
    raise InputError.single("--format", f"{output_format} draws a funnel: this report has none")


BLOCKS = " ▏▎▍▌▋▊▉█"


def terminal_bar(share: float, cells: int = 16) -> str:
    """A bar of `share` × `cells` character cells, in eighths."""
    eighths = round(share * cells * 8)
    if share > 0:
        eighths = max(eighths, 1)
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part] if part else "")
