"""`--format png`: the funnel chart as a PNG, painted with matplotlib (the `charts` extra):
the most used and best kept plotting library for Python, whose Agg renderer needs no display
and ships its own fonts (DejaVu Sans), so the picture is the same on every machine."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from funnelcalc.errors import InputError
from funnelcalc.render.chart import Drawing, drawing, first_funnel

if TYPE_CHECKING:
    from funnelcalc.report import Report

DPI = 100
MISSING = "--format png needs the charts extra: pip install 'funnelcalc[charts]'"


def png(chart: Drawing) -> bytes:
    """The chart painted at its pixel size."""
    try:
        import matplotlib  # noqa: PLC0415 - an optional extra, loaded only for PNG

        matplotlib.use("Agg")
        from matplotlib import pyplot  # noqa: PLC0415
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

    write(60, 70, chart.title, fontsize=40 * pt, fontweight="bold", va="baseline")
    write(60, 112, chart.subtitle, fontsize=22 * pt, color="#444444", va="baseline")
    for bar in chart.bars:
        middle = bar.y + bar.height / 2
        axes.add_patch(
            FancyBboxPatch(
                (bar.x, bar.y),
                bar.width,
                bar.height,
                boxstyle="round,pad=0,rounding_size=6",
                color=bar.colour,
                linewidth=0,
            )
        )
        write(300, middle, bar.label, fontsize=26 * pt, fontweight="bold", ha="right", va="center")
        label = write(
            bar.x + bar.width / 2,
            middle,
            bar.text,
            fontsize=28 * pt,
            fontweight="bold",
            ha="center",
            va="center",
            color="#111111",
        )
        from matplotlib import patheffects  # noqa: PLC0415

        label.set_path_effects([patheffects.withStroke(linewidth=4, foreground="white")])
        if bar.side:
            write(
                bar.x + bar.width + 18,
                middle,
                bar.side,
                fontsize=21 * pt,
                color="#333333",
                va="center",
            )
    x = 60.0
    for owner, colour in chart.legend:
        axes.add_patch(
            FancyBboxPatch(
                (x, chart.height - 52), 22, 22, boxstyle="square,pad=0", color=colour, linewidth=0
            )
        )
        write(x + 30, chart.height - 41, owner, fontsize=20 * pt, va="center")
        x += 60 + 11 * len(owner)
    write(
        chart.width - 60,
        chart.height - 41,
        chart.note,
        fontsize=18 * pt,
        color="#555555",
        ha="right",
        va="center",
    )
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    pyplot.close(figure)
    return out.getvalue()


def render(report: Report) -> bytes:
    """`--format png`: the report's funnel chart."""
    return png(drawing(first_funnel(report, "png")))
