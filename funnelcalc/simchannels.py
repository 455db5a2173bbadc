"""simulate for a stage whose channels convert below it at their own rates: per run, the
smallest volume of that stage whose channels, each followed down as whole people at the run's
rates, reach the run's target: a bisection carried out for every run at once, in integers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from funnelcalc.channels import Terms
from funnelcalc.fields import RateRange, point
from funnelcalc.model import Goals, Source
from funnelcalc.runs import RATE_UNITS, Column, Ints, ceil_div, checked, draw, ints, times

Rate = tuple[Ints, Ints]
"""Per run, a rate's numerators and denominators."""


def channel_rates(
    goals: Goals,
    terms: Terms,
    rng: np.random.Generator,
    spans: Sequence[slice],
    runs: int,
) -> list[list[Column | None]]:
    """Draw each channel's own rates given as ranges (after every other draw, so files without
    them draw as before); None where the channel uses the stage's rate or a point."""
    found: list[list[Column | None]] = []
    below = goals.stages[terms.stage + 1 :]
    for source in goals.source_list(goals.stages[terms.stage].name):
        row: list[Column | None] = []
        for stage in below:
            value = _own(source, stage.name)
            if not isinstance(value, RateRange):
                row.append(None)
                continue
            column = Column(runs, np.int64)
            for span in spans:
                column.put(span, draw(rng, value, span.stop - span.start, bounded=True)[0])
            row.append(column)
        found.append(row)
    return found


def _own(source: Source, stage: str) -> object:
    for key, value in (source.rates or {}).items():
        if key.strip().casefold() == stage.strip().casefold():
            return value
    return None


def rates_in(
    goals: Goals,
    terms: Terms,
    span: slice,
    drawn: Sequence[Column | None],
    own: list[list[Column | None]],
) -> list[list[Rate]]:
    """Per channel, per stage below the channels' stage: the run's rate as integers."""
    runs = span.stop - span.start
    found = []
    for number, source in enumerate(goals.source_list(goals.stages[terms.stage].name)):
        row = []
        for offset, stage in enumerate(goals.stages[terms.stage + 1 :]):
            column = own[number][offset]
            if column is not None:
                row.append((column.get(span), ints(RATE_UNITS, runs)))
                continue
            value = source.rate_to(stage.name)
            stage_column = drawn[terms.stage + 1 + offset]
            if value is None and stage_column is not None:
                row.append((stage_column.get(span), ints(RATE_UNITS, runs)))
                continue
            exact = Fraction(value if value is not None else point(stage.rate) or 1)
            row.append((ints(exact.numerator, runs), ints(exact.denominator, runs)))
        found.append(row)
    return found


def _flows(volume: Ints, entries: Sequence[Source], rates: list[list[Rate]]) -> list[list[Ints]]:
    """Per channel, its volume at the channels' stage and each stage below, per run."""
    fixed = sum(int(s.volume or 0) for s in entries if s.share is None)
    rest = np.maximum(volume - fixed, 0)
    flows = []
    for source, row in zip(entries, rates, strict=True):
        if source.share is None:
            flow = [np.full_like(volume, int(source.volume or 0))]
        else:
            share = Fraction(source.share)
            flow = [ceil_div(times(rest, share.numerator), share.denominator)]
        for numerators, denominators in row:
            flow.append(times(flow[-1], numerators) // denominators)
        flows.append(flow)
    return flows


def solve_runs(
    entries: Sequence[Source],
    rates: list[list[Rate]],
    value: Sequence[Fraction | None],
    needed: Ints | Fraction,
    runs: int,
) -> tuple[Ints, list[list[Ints]]]:
    """Per run, the smallest volume of the channels' stage whose channels' wins, each worth
    `value` (1 each for a target in wins, per run; a deal size for revenue, the same in every
    run), reach `needed`."""
    if isinstance(needed, Fraction):
        dens = [v.denominator for v in value if v is not None]
        scale = math.lcm(needed.denominator, *dens)
        goal: Any = ints(math.ceil(needed * scale), runs)
    else:
        scale, goal = 1, needed
    worth = [int((v if v is not None else Fraction(1)) * scale) for v in value]

    def reached(volume: Ints) -> Ints:
        flows = _flows(volume, entries, rates)
        total = sum(times(flow[-1], w) for flow, w in zip(flows, worth, strict=True))
        return np.asarray(total >= goal, dtype=bool)

    fixed = sum(int(s.volume or 0) for s in entries if s.share is None)
    low = np.full(runs, fixed, dtype=np.int64)
    done = reached(low)
    high = np.where(done, low, np.maximum(2 * low, 1))
    while True:
        fits = reached(high)
        if bool(np.all(fits)):
            break
        low = np.where(fits, low, high)
        high = checked(np.where(fits, high, 2 * high))
    low = np.where(done, low - 1, low)  # reached at high, not at low (or high is the fixed)
    while bool(np.any(high - low > 1)):
        middle = (low + high) // 2
        fits = reached(middle)
        open_ = high - low > 1
        high = np.where(open_ & fits, middle, high)
        low = np.where(open_ & ~fits, middle, low)
    return high, _flows(high, entries, rates)


def deal_values(terms: Terms, deal: Decimal | None) -> list[Fraction | None]:
    """What a channel's win is worth toward a revenue target (its deal size, else the plan's
    at its likely value); all None where the target counts wins."""
    if not any(d is not None for d in terms.deal_sizes):
        return [None] * len(terms.deal_sizes)
    return [Fraction(d if d is not None else deal or 0) for d in terms.deal_sizes]
