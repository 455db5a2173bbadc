"""Forward through the plan's mix: what a volume at one stage turns into down a funnel whose
stages are fed by sources, each part converting at its own source's or channel's rates."""

from __future__ import annotations

from fractions import Fraction

from funnelcalc.channels import largest_remainder
from funnelcalc.exact import floor_mul
from funnelcalc.fields import point
from funnelcalc.model import Goals
from funnelcalc.solver import Plan


def forward(
    goals: Goals, plan: Plan, stage: int, volume: int
) -> tuple[list[int], list[int] | None]:
    """`volume` of stage `stage` converted down to the last stage, whole people at every step
    (`goals` at their points). Where a stage has sources, what reaches the stage above it is
    split between the share sources as the plan splits it (their draws, in whole people by
    largest remainder), each converting at its own rate, and the fixed ones come anyway. Below
    a stage whose channels convert at their own rates, each channel is followed at them (a
    volume given at or below that stage is split as the plan's channels make it up), and their
    wins are returned too (else None)."""
    followed = [channel for channel in plan.channels if channel.followed]
    first = goals.stage_index(followed[0].stage) if followed else None
    rates = _channel_rates(goals, first) if first is not None else []
    parts: list[int] | None = None
    if first is not None and stage >= first:
        parts = largest_remainder(volume, [c.flow[stage - first] for c in followed])
    volumes = [volume]
    for index in range(stage + 1, len(goals.stages)):
        if parts is not None and first is not None:
            step = [row[index - first - 1] for row in rates]
            parts = [floor_mul(part, rate) for part, rate in zip(parts, step, strict=True)]
            volumes.append(sum(parts))
            continue
        sources = plan.stages[index].sources
        if not sources:
            volumes.append(floor_mul(volumes[-1], Fraction(point(goals.stages[index].rate) or 1)))
            continue
        drawing = [source for source in sources if source.upstream is not None]
        split = iter(largest_remainder(volumes[-1], [s.upstream or 0 for s in drawing]))
        reached = [
            floor_mul(next(split), Fraction(source.rate or 1))
            if source.upstream is not None
            else source.target
            for source in sources
        ]
        if index == first:
            parts = reached
        volumes.append(sum(reached))
    return volumes, parts


def _channel_rates(goals: Goals, first: int) -> list[list[Fraction]]:
    """Each channel's rate into every stage below its own (the stage's where it gives none)."""
    found = []
    for source in goals.source_list(goals.stages[first].name):
        row = []
        for stage in goals.stages[first + 1 :]:
            rate = source.rate_to(stage.name)
            row.append(Fraction(rate if rate is not None else point(stage.rate) or 1))
        found.append(row)
    return found
