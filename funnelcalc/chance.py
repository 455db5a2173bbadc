"""Chance on top of the ranges: even with every rate known, 40 proposals at a 30% win rate bring
12 or more wins only about 56% of the time. From a capacity, each stage's outcome is drawn as
whole people converting one by one (binomial, at the run's drawn rate), so small funnels get
honest odds.

The draws come from their own stream of the seed, so the input-only figures of a seed do not
change. A stage fed by sources converts at its run's effective rate (what the plan needs of it
÷ what it needs of the stage above), which is what the sources' mix gives on average.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from funnelcalc.keypath import BUDGET
from funnelcalc.model import Goals

Ints = Any  # a numpy array of integers, one value per run
Rates = Callable[[int, slice], Any]
"""The rate of stage `index` (its share of the stage above) for a span of runs, as floats."""
STREAM = 1
"""The child stream of the seed that chance draws from."""


def chance_successes(
    goals: Goals,
    *,
    capacity: Mapping[str, int | Any],
    needed: Sequence[Callable[[slice], Ints]],
    rates: Rates,
    spans: Sequence[slice],
    seed: int,
    fits_budget: Ints | None,
) -> int | None:
    """The runs in which the capacity, converted stage by stage as chance, reaches what the
    run needs of the last stage; None when no stage has a capacity (chance has nothing to do)."""
    caps = {
        index: int(limit)
        for name, limit in capacity.items()
        if name != BUDGET and (index := goals.stage_index(name)) is not None
    }
    if not caps:
        return None
    rng = np.random.default_rng([seed, STREAM])
    top, last = min(caps), len(goals.stages) - 1
    open_pipeline = {
        index: int(count)
        for name, count in goals.pipeline.items()
        if (index := goals.stage_index(name)) is not None and index >= top
    }
    successes = 0
    for span in spans:
        runs = span.stop - span.start
        reached: Ints = np.full(runs, float(caps[top] + open_pipeline.get(top, 0)))
        for index in range(top + 1, last + 1):
            most = None if goals.stages[index].per is not None else 1.0  # per: a multiplier
            reached = _converted(rng, reached, np.clip(rates(index, span), 0.0, most))
            reached += open_pipeline.get(index, 0)  # in flight already: it converts from here
            if index in caps:
                reached = np.minimum(reached, float(caps[index]))
        fits = reached >= needed[last](span)
        if fits_budget is not None:
            fits &= fits_budget[span]
        successes += int(fits.sum())
    return successes


EXACT_FLOATS = 2**53
"""Whole numbers below this are exact as floats (and fit the binomial's int64)."""


def _converted(rng: np.random.Generator, people: Ints, rate: Any) -> Ints:
    """How many of `people` convert at `rate`, one by one: a binomial draw. A count of 2⁵³ or
    more (a capacity no plan needs) is converted at its expectation, floored: chance moves
    it by a vanishing share (one part in 10⁸ at most)."""
    rate = np.broadcast_to(rate, people.shape)
    small = (people < EXACT_FLOATS) & (rate <= 1)  # a multiplier (per: 3) is not chance
    if small.all():  # the usual case: one draw over every run, without masked copies
        return rng.binomial(people.astype(np.int64), rate).astype(np.float64)
    out = np.floor(people * rate)
    out[small] = rng.binomial(people[small].astype(np.int64), rate[small])
    return out
