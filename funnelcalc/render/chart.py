"""The funnel chart's geometry, drawn by the SVG, PNG and terminal renderers alike: one bar per
stage, as wide as its volume (on a log scale when the funnel spans orders of magnitude),
labelled with the volume and the rate, coloured by owner."""

from __future__ import annotations

import math
from dataclasses import dataclass

from funnelcalc.render import figures
from funnelcalc.solver import Plan

WIDTH, HEIGHT = 1600, 900  # a 16:9 slide
LOG_SCALE_FROM = 100
"""A funnel whose top is this many times its narrowest stage is drawn on a log scale."""
# Okabe–Ito: told apart by colour-blind readers too.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
UNOWNED = "#8C8C8C"


@dataclass(frozen=True)
class Bar:
    """One stage's bar, in pixels from the top left."""

    stage: str
    volume: str
    rate: str
    owner: str | None
    colour: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    """Everything a painter needs."""

    title: str
    subtitle: str
    bars: tuple[Bar, ...]
    legend: tuple[tuple[str, str], ...]
    """(owner, colour), in funnel order."""
    note: str
    width: int = WIDTH
    height: int = HEIGHT


def shares(plan: Plan) -> tuple[list[float], bool]:
    """Each stage's bar width as a share of the widest (0 to 1), and whether on a log scale.
    Only the drawing is in floats: every number printed on it is exact."""
    volumes = [stage.volume for stage in plan.stages]
    top = max(volumes, default=0)
    smallest = min((v for v in volumes if v > 0), default=0)
    if top == 0:
        return [0.0] * len(volumes), False
    log = smallest > 0 and top >= LOG_SCALE_FROM * smallest  # in integers: no float overflow
    if log:
        span = math.log10(top) - math.log10(smallest)
        return [
            0.0 if v == 0 else 0.12 + 0.88 * (math.log10(v) - math.log10(smallest)) / span
            for v in volumes
        ], True
    return [v / top for v in volumes], False


def colours(plan: Plan) -> dict[str | None, str]:
    """A colour per owner, in funnel order; grey for stages without one."""
    found: dict[str | None, str] = {}
    for stage in plan.stages:
        if stage.owner not in found:
            owned = sum(owner is not None for owner in found)
            found[stage.owner] = PALETTE[owned % len(PALETTE)] if stage.owner else UNOWNED
    return found


def funnel_chart(plan: Plan) -> Chart:
    """The chart of a plan."""
    widths, log = shares(plan)
    palette = colours(plan)
    count = len(plan.stages)
    top, bottom, left, right = 150, 90, 330, 330
    area = WIDTH - left - right
    slot = (HEIGHT - top - bottom) / count
    height = slot * 0.78
    bars = []
    above = None
    for index, (stage, share) in enumerate(zip(plan.stages, widths, strict=True)):
        width = max(area * share, 4.0)
        rate = f"{figures.percent(stage.rate)} of {above}" if stage.rate and above else ""
        above = stage.name
        bars.append(
            Bar(
                stage=stage.name,
                volume=figures.count(stage.volume),
                rate=rate,
                owner=stage.owner,
                colour=palette[stage.owner],
                x=left + (area - width) / 2,
                y=top + index * slot + (slot - height) / 2,
                width=width,
                height=height,
            )
        )
    volumes = [stage.volume for stage in plan.stages if stage.volume > 0]
    note = (
        "Bar widths on a log scale: the funnel spans "
        f"{math.log10(max(volumes)) - math.log10(min(volumes)):.1f} orders of magnitude."
        if log
        else "Bar widths in proportion to volume."
    )
    legend = tuple((owner or figures.NO_OWNER, colour) for owner, colour in palette.items())
    return Chart(
        title=plan.name or "Funnel plan",
        subtitle=_subtitle(plan),
        bars=tuple(bars),
        legend=legend,
        note=note,
    )


def _subtitle(plan: Plan) -> str:
    clients = f"{figures.count(plan.clients)} clients"
    if plan.deal_size is not None:
        clients += f" at {figures.money(plan.deal_size, plan.currency)}"
    return f"{figures.target_text(plan)} · {clients}"


BLOCKS = " ▏▎▍▌▋▊▉█"


def terminal_bar(share: float, cells: int = 16) -> str:
    """A bar of `share` × `cells` character cells, in eighths."""
    eighths = round(share * cells * 8)
    if share > 0:
        eighths = max(eighths, 1)
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part] if part else "")
