"""A plan's channels as report sections and JSON: per channel its volume, wins, revenue, own
spend, CAC and ROAS; how wins were credited; which rate applies where sources give their own."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from funnelcalc.channels import ChannelPlan
from funnelcalc.exact import EXACT, exact_sum
from funnelcalc.report import Cell, Note, Section
from funnelcalc.solver import ROUNDING_RULE, Plan
from funnelcalc.views.cells import (
    approx_money,
    count,
    displayed,
    percent,
    ratio_cell,
    table,
    times,
)

SPECS = [
    ("channel", "Channel"),
    ("volume", "Volume", "count"),
    ("wins", "Wins", "count"),
    ("revenue", "Revenue", "money"),
    ("spend", "Own spend", "money"),
    ("cac", "CAC (own spend)", "money"),
    ("roas", "ROAS (own spend)", "ratio"),
]


def channel_sections(plan: Plan) -> list[Section]:
    """A table of the channels of each sourced stage, with how wins were credited."""
    sections: list[Section] = []
    currency = plan.currency
    for stage in dict.fromkeys(channel.stage for channel in plan.channels):
        channels = [channel for channel in plan.channels if channel.stage == stage]
        rows: list[list[object]] = []
        for channel in channels:
            rows.append(
                [
                    channel.name,
                    Cell(channel.volume, f"{count(channel.volume)} {stage}"),
                    channel.wins,
                    channel.revenue,
                    channel.spend,
                    ratio_cell(channel.cac, lambda v: approx_money(v, currency)),
                    ratio_cell(channel.roas, times),
                ]
            )
        pipeline = plan.stages[-1].from_pipeline
        if pipeline:
            revenue = (
                EXACT.subtract(plan.revenue, _sum(c.revenue for c in channels))
                if plan.revenue is not None
                else None
            )
            rows.append(["open pipeline", None, pipeline, revenue, None, None, None])
        rows.append(
            [
                "all",
                None,
                plan.clients,
                plan.revenue,
                _sum(c.spend for c in channels) if any(c.spend for c in channels) else None,
                None,
                None,
            ]
        )
        title = f"Channels of {stage}"
        key = f"channels_{plan.stages.index(next(s for s in plan.stages if s.name == stage))}"
        sections.append(table(title, key, SPECS, rows, currency))
        sections.append(Note(_credit_text(channels, stage, plan)))
    return sections


def _sum(values: Any) -> Decimal:
    return exact_sum(value for value in values if value is not None)


def _credit_text(channels: list[ChannelPlan], stage: str, plan: Plan) -> str:
    """How the wins were credited to the channels, and what their spend counts."""
    won = plan.stages[-1].name
    if channels and channels[0].followed:
        text = (
            f"Each channel is followed down from {stage} at its own rates (the stage's where it "
            f"gives none), as whole people rounded down at every stage, and credited with the "
            f"{won} it makes."
        )
    else:
        text = (
            f"The sources of {stage} convert at the same rates below it, so the {won} are split "
            f"in proportion to each one's {stage}, in whole {won} (largest remainder)."
        )
    return (
        text + " Own spend is what a channel costs itself (its draws on the stage above, its "
        "fixed cost); stage costs below it and fixed costs are shared and not in it."
    )


def rate_notes(plan: Plan) -> list[Note]:
    """Which rate applies where the file gives a stage's own rate and sources give theirs."""
    notes = []
    for note in plan.rate_notes:
        if note.sources_of.casefold() == note.stage.casefold():
            why = f"every share source of {note.stage} gives its own rate"
        else:
            why = f"every channel of {note.sources_of} gives its own rate to {note.stage}"
        notes.append(Note(f"The rate of {note.stage} ({percent(note.rate)}) is not used: {why}."))
    return notes


def channel_rule(plan: Plan) -> str | None:
    """The rounding rule when a stage's channels convert at their own rates."""
    followed = [channel for channel in plan.channels if channel.followed]
    if not followed:
        return None
    stage, won = followed[0].stage, plan.stages[-1].name
    if plan.channel_revenue is not None:
        goal = "bring the revenue target, each win at its channel's deal size"
    elif plan.target_revenue is not None:
        goal = f"make ⌈revenue ÷ deal size⌉ {won}"
    else:
        goal = f"make the {won} the target names"
    return (
        f"Every volume is the smallest whole number that still reaches the target: {stage} is "
        f"the smallest volume whose channels, each converting at its own rates as whole people "
        f"rounded down at every stage, {goal}; each stage below it holds what the channels bring "
        f"it, and each stage above = ⌈next stage ÷ its rate⌉ (with sources, Σ their draws)."
    )


def channels_document(plan: Plan) -> dict[str, Any]:
    """The JSON keys of channels: `channels`, `rate_notes`."""
    return {
        "channels": [
            {
                "stage": channel.stage,
                "name": channel.name,
                "fixed": channel.fixed,
                "volume": channel.volume,
                "wins": channel.wins,
                "revenue": channel.revenue,
                "deal_size": channel.deal_size,
                "spend": channel.spend,
                "cac": _rounded(channel.cac, 2),
                "roas": _rounded(channel.roas, 4),
                "attribution": "followed" if channel.followed else "split",
            }
            for channel in plan.channels
        ],
        "rate_notes": [
            {"stage": note.stage, "rate": note.rate, "sources_of": note.sources_of}
            for note in plan.rate_notes
        ],
    }


def _rounded(value: Fraction | None, places: int) -> Decimal | None:
    return None if value is None else displayed(value, places)


def rounding_rule(plan: Plan) -> str:
    """The rounding rule the plan follows, in the file's words (the last stage's name)."""
    plain_rule = ROUNDING_RULE.replace("clients =", f"{plan.stages[-1].name} =", 1)
    return channel_rule(plan) or plain_rule
