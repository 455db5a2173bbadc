"""`--format png`: the funnel chart as a PNG, painted with matplotlib (the `charts` extra):
the most used and best kept plotting library for Python, whose Agg renderer needs no display
and ships its own fonts (DejaVu Sans), so the picture is the same on every machine."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from funnelcalc.errors import InputError
from funnelcalc.render.chart import Drawing, Rect, drawing, first_funnel

if TYPE_CHECKING:
    from funnelcalc.report import Report

DPI = 100
MISSING = "png needs the charts extra: pip install 'funnelcalc[charts]'"


def png(chart: Drawing) -> bytes:
    """The chart painted at its pixel size."""
    try:
        import matplotlib  # noqa: PLC0415 - an optional extra, loaded only for PNG

        matplotlib.use("Agg")
        from matplotlib import patheffects, pyplot  # noqa: PLC0415
        from matplotlib.patches import FancyBboxPatch  # noqa: PLC0415
    except ImportError:
        raise InputError.single("--format", MISSING) from None
    figure = pyplot.figure(figsize=(chart.width / DPI, chart.height / DPI), dpi=DPI)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, chart.width)
    axes.set_ylim(chart.height, 0)
    axes.axis("off")
    # matplotlib sizes text in points: a pixel is 0.72 pt at 100 dpi
    pt = 72 / DPI

    def write(x: float, y: float, text: str, **style: object) -> Any:
        # parse_math=False: a "$" in a plan is money, not the start of a formula
        return axes.text(x, y, text, parse_math=False, **style)  # type: ignore[arg-type]

    for shape in chart.shapes:
        if isinstance(shape, Rect):
            style = "round,pad=0,rounding_size=6" if shape.bar else "square,pad=0"
            box = FancyBboxPatch(
                (shape.x, shape.y), shape.width, shape.height, boxstyle=style, linewidth=0
            )
            box.set_color(shape.colour)
            axes.add_patch(box)
            continue
        label = write(
            shape.x,
            shape.y,
            shape.text,
            fontsize=shape.size * pt,
            fontweight="bold" if shape.bold else "normal",
            color=shape.colour,
            ha={"start": "left", "middle": "center", "end": "right"}[shape.anchor],
            va="center",
        )
        if shape.halo:
            label.set_path_effects([patheffects.withStroke(linewidth=4, foreground="white")])
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    pyplot.close(figure)
    return out.getvalue()


def render(report: Report) -> bytes:
    """`--format png`: the report's funnel chart."""
    return png(drawing(first_funnel(report, "png")))
