"""Who owns which stages, and where one team hands over to the next."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from funnelcalc.solver import Plan, StagePlan


@dataclass(frozen=True)
class OwnerSpan:
    """A run of consecutive stages that one owner (or nobody) is accountable for."""

    owner: str | None
    stages: tuple[StagePlan, ...]

    @property
    def delivers(self) -> StagePlan:
        """The last stage of the span: the number this owner hands on."""
        return self.stages[-1]


@dataclass(frozen=True)
class Handoff:
    """Where one owner's last stage feeds the next owner's first stage."""

    giver: OwnerSpan
    taker: OwnerSpan


def owner_spans(plan: Plan) -> list[OwnerSpan]:
    """Group the plan's stages, top first, into runs with the same owner."""
    spans: list[list[StagePlan]] = []
    for stage in plan.stages:
        if spans and spans[-1][0].owner == stage.owner:
            spans[-1].append(stage)
        else:
            spans.append([stage])
    return [OwnerSpan(group[0].owner, tuple(group)) for group in spans]


def handoffs(plan: Plan) -> list[Handoff]:
    """Every point where the owner changes between two named owners."""
    spans = owner_spans(plan)
    return [
        Handoff(giver, taker)
        for giver, taker in pairwise(spans)
        if giver.owner is not None and taker.owner is not None
    ]
