"""Per-run columns of whole numbers for simulate: exact integer arithmetic on numpy arrays
(never a silent int64 wrap-round), draws from ranges kept to a millionth or a cent, and what a
stage fed by sources draws and spends in each run."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from funnelcalc.errors import InputError
from funnelcalc.fields import CostRange, MoneyRange, RateRange, point
from funnelcalc.model import Goals
from funnelcalc.uncertainty import Z95, pert_for

MAX_VOLUME = 10**12


RATE_UNITS = 1_000_000


MONEY_UNITS = 100


Ints = Any  # a numpy array of int64, one value per run


def draw(
    rng: np.random.Generator | None,
    value: Decimal | RateRange | MoneyRange | CostRange | None,
    runs: int,
    *,
    bounded: bool,
) -> tuple[Ints, Ints]:
    """numerators and denominators, per run, of a value or of `runs` draws from its range (to
    a millionth for a rate, `bounded` within (0, 1]; to a cent for money)."""
    units = RATE_UNITS if bounded else MONEY_UNITS
    if not isinstance(value, RateRange | MoneyRange | CostRange):
        assert value is not None  # only a stage below the top is drawn, and each has a rate
        exact = Fraction(value)
        return ints(exact.numerator, runs), ints(exact.denominator, runs)
    assert rng is not None
    low, high = float(value.low), float(value.high)
    likely = float(value.likely) if value.likely is not None else None
    if bounded:
        pert = pert_for(low, high, likely)
        spread = pert.upper - pert.lower
        drawn = pert.lower + spread * rng.beta(pert.alpha, pert.beta, runs)
    else:
        lo, hi = math.log(low), math.log(high)
        centre = math.log(likely) if likely is not None else (lo + hi) / 2
        z = rng.standard_normal(runs)
        drawn = np.exp(np.where(z < 0, (centre - lo) / Z95, (hi - centre) / Z95) * z + centre)
    top = units if bounded else np.iinfo(np.int64).max // 4
    numerators = np.clip(np.rint(drawn * units), 1, top).astype(np.int64)
    return numerators, np.full(runs, units, dtype=np.int64)


def ceil_div(a: Ints, b: Ints | int) -> Ints:
    return -((-a) // b)


INT64_SAFE = 2**62


def ints(value: int, runs: int) -> Ints:
    """`value` for every run: int64 when it fits, else exact Python integers."""
    return np.full(runs, value, dtype=np.int64 if abs(value) < INT64_SAFE else object)


def times(a: Ints | int, b: Ints | int) -> Ints:
    """a × b exactly: in int64 when the product fits, else in Python integers (slower, but
    numpy's int64 would wrap round silently)."""
    if peak(a) * peak(b) < INT64_SAFE:
        return np.multiply(a, b)
    return np.multiply(np.asarray(a, dtype=object), np.asarray(b, dtype=object))


def peak(values: Ints | int) -> int:
    if isinstance(values, int):
        return abs(values)
    return int(np.max(np.abs(values))) if values.size else 0


def checked(volumes: Ints) -> Ints:
    """Volumes back in int64, or an error when a draw needs more than 10¹² at a stage."""
    if volumes.size and int(np.max(volumes)) > MAX_VOLUME:
        raise InputError.single(
            "simulate", "the drawn values need more than 10¹² at a stage: narrow the ranges"
        )
    return np.asarray(volumes, dtype=np.int64)


class Column:
    """One figure for every run, filled a chunk at a time: in `dtype` while the values fit,
    else in int64, else in exact Python integers."""

    def __init__(self, runs: int, dtype: Any, fill: int = 0) -> None:
        kind = dtype if abs(fill) <= np.iinfo(dtype).max else np.int64
        self.values: Ints = ints(fill, runs) if kind is np.int64 else np.full(runs, fill, kind)

    def get(self, span: slice) -> Ints:
        part = self.values[span]
        return part.astype(np.int64) if part.dtype == np.int32 else part

    def put(self, span: slice, values: Ints) -> None:
        if values.dtype == object and self.values.dtype != object:
            self.values = self.values.astype(object)
        elif self.values.dtype == np.int32 and not small(values):
            self.values = self.values.astype(np.int64)
        self.values[span] = values


def small(values: Ints) -> bool:
    """Whether every value fits an int32."""
    return not values.size or -INT32_MAX <= int(np.min(values)) <= int(np.max(values)) <= INT32_MAX


INT32_MAX = int(np.iinfo(np.int32).max)


SourceDraws = tuple["Column | None", "Column | None"]


def source_draws(
    goals: Goals, rng: np.random.Generator, spans: Sequence[slice], runs: int
) -> dict[tuple[int, int], SourceDraws]:
    """Draw every source rate and cost given as a range, by stage and source (after the
    stages' rates, so a file without source ranges draws as it always did)."""
    found: dict[tuple[int, int], SourceDraws] = {}
    for index, stage in enumerate(goals.stages):
        for number, source in enumerate(goals.source_list(stage.name)):
            columns: list[Column | None] = []
            for value, bounded in ((source.rate, True), (source.cost, False)):
                if not isinstance(value, RateRange | CostRange):
                    columns.append(None)
                    continue
                column = Column(runs, np.int64)
                for span in spans:
                    column.put(span, draw(rng, value, span.stop - span.start, bounded=bounded)[0])
                columns.append(column)
            if columns != [None, None]:
                found[(index, number)] = (columns[0], columns[1])
    return found


def sourced(
    below: Ints,
    sources: Sequence[Any],
    stage_rate: tuple[Ints, Ints],
    above_cost: Decimal | None,
    draws: Mapping[int, tuple[Ints | None, Ints | None]],
) -> tuple[Ints, Ints | None]:
    """What a sourced stage draws from the stage above per run, and what that costs (in cents;
    None when nothing is priced); a source's rate or cost drawn per run where it is a range."""
    fixed = sum(int(s.volume or 0) for s in sources if s.share is None)
    rest = np.maximum(below - fixed, 0)
    upstream = np.zeros_like(below)
    spend = np.zeros_like(below)
    priced = False
    for number, source in enumerate(sources):
        if source.share is None:
            continue
        share = Fraction(source.share)
        target = ceil_div(times(rest, share.numerator), share.denominator)
        rates, cents = draws.get(number, (None, None))
        if rates is not None:
            drawn = ceil_div(times(target, RATE_UNITS), rates)
        elif source.rate is not None:
            rate = Fraction(point(source.rate) or 1)
            drawn = ceil_div(times(target, rate.denominator), rate.numerator)
        else:
            drawn = ceil_div(times(target, stage_rate[1]), stage_rate[0])
        upstream += drawn
        cost = point(source.cost) if source.cost is not None else above_cost
        if cents is not None:
            priced = True
            spend = spend + times(drawn, cents)
        elif cost is not None:
            priced = True
            spend = spend + times(drawn, math.ceil(cost * MONEY_UNITS))
    return upstream, spend if priced else None
