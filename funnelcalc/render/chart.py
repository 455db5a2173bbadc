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


class Rect(NamedTuple):
    """A filled rectangle, in pixels from the top left; `bar` marks a stage's bar."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    bar: bool = False


class Label(NamedTuple):
    """A line of text whose vertical middle is at `y`."""

    x: float
    y: float
    text: str
    size: int
    anchor: str = "start"
    """start, middle or end: where `x` is on the text."""
    bold: bool = False
    colour: str = "#222222"
    halo: bool = False
    """A white outline, so the text reads on any bar."""


class Drawing(NamedTuple):
    """Everything a painter needs: the shapes in painting order."""

    title: str
    shapes: tuple[Rect | Label, ...]
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
    """Where every bar and label of a funnel chart goes on a 16:9 slide."""
    widths, log = shares([bar.value for bar in chart.bars])
    palette = colours(chart)
    top, bottom, left, right = 150, 90, 330, 330
    area = WIDTH - left - right
    slot = (HEIGHT - top - bottom) / max(len(chart.bars), 1)
    height = slot * 0.78
    shapes: list[Rect | Label] = [
        Rect(0, 0, WIDTH, HEIGHT, "#ffffff"),
        Label(60, 58, chart.title, 40, bold=True),
        Label(60, 104, chart.subtitle, 22, colour="#444444"),
    ]
    for index, (bar, share) in enumerate(zip(chart.bars, widths, strict=True)):
        width = max(area * share, 4.0)
        x = left + (area - width) / 2
        y = top + index * slot + (slot - height) / 2
        middle = y + height / 2
        shapes.append(Rect(x, y, width, height, palette[bar.group], bar=True))
        shapes.append(Label(300, middle, bar.label, 26, "end", bold=True))
        side = x + width + 18
        if width >= text_width(bar.text, 28) + 24:
            shapes.append(
                Label(x + width / 2, middle, bar.text, 28, "middle", True, "#111111", True)
            )
        else:  # too narrow to hold its number: the number goes beside it, then the rate
            shapes.append(Label(side, middle, bar.text, 28, bold=True, colour="#111111"))
            side += text_width(bar.text, 28) + 14
        if bar.side:
            shapes.append(Label(side, middle, bar.side, 21, colour="#333333"))
    x = 60.0
    for group, colour in palette.items():
        name = group or NO_GROUP
        shapes.append(Rect(x, HEIGHT - 52, 22, 22, colour))
        shapes.append(Label(x + 30, HEIGHT - 41, name, 20))
        x += 60 + 11 * len(name)
    values = [bar.value for bar in chart.bars if bar.value > 0]
    note = "Bar widths in proportion to volume."
    if log:
        span = math.log10(max(values)) - math.log10(min(values))
        note = f"Bar widths on a log scale: the funnel spans {span:.1f} orders of magnitude."
    shapes.append(Label(WIDTH - 60, HEIGHT - 41, note, 18, "end", colour="#555555"))
    return Drawing(chart.title, tuple(shapes))


def text_width(text: str, size: int) -> float:
    """About how wide a bold line of text is, in pixels, at `size` pixels (DejaVu Sans)."""
    return len(text) * size * 0.65


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
