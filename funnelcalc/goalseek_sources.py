"""Goal seek on a source's own rate (`sources.leads.paid search.rate`, or a channel's rate to a
stage below, `sources.leads.paid search.rates.MQL`): the smallest rate, to a millionth, with
which every capacity given holds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from funnelcalc.errors import InputError, did_you_mean
from funnelcalc.fields import point
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals, Source
from funnelcalc.overrides import Override
from funnelcalc.safetext import excerpt
from funnelcalc.solver import solve

UNITS = 10**6
"""A rate searched for is a whole number of millionths (0.0001%)."""


def source_target(
    key: str, parts: Sequence[str | int], goals: Goals
) -> tuple[str, Decimal, int, int]:
    """The key to override, the rate now, the stage the source feeds and the lowest stage a
    capacity may be given for, from `sources.STAGE.SOURCE.rate` or `….rates.STAGE`."""
    flag = f"--for {excerpt(key)}"
    usage = "solve for a source's rate: sources.STAGE.SOURCE.rate or sources.STAGE.SOURCE.rates.X"
    if len(parts) not in (4, 5) or not all(isinstance(part, str) for part in parts):
        raise InputError.single(flag, usage)
    stage_name, source_name = str(parts[1]), str(parts[2])
    fed = goals.stage_index(stage_name)
    entries = goals.source_list(stage_name)
    if fed is None or not entries:
        hint = did_you_mean(stage_name, list(goals.sources))
        raise InputError.single(
            flag, f"no stage with sources is named '{excerpt(stage_name)}'{hint}"
        )
    source = _named(entries, source_name, flag)
    stage = goals.stages[fed]
    if parts[3] == "rate" and len(parts) == 4:
        if source.share is None or fed == 0:
            raise InputError.single(flag, f"{source.name} brings a fixed volume: it has no rate")
        current = point(source.rate) or point(stage.rate)
        assert current is not None  # the file's rules: a share source has a rate to use
        return f"sources.{stage.name}.{source.name}.rate", current, fed, fed - 1
    if parts[3] == "rates" and len(parts) == 5:
        below = goals.stage_index(str(parts[4]))
        if below is None or below <= fed:
            names = [s.name for s in goals.stages[fed + 1 :]]
            hint = did_you_mean(str(parts[4]), names)
            raise InputError.single(
                flag, f"no stage below {stage.name} is named '{excerpt(parts[4])}'{hint}"
            )
        target = goals.stages[below]
        current = source.rate_to(target.name) or point(target.rate)
        assert current is not None
        return f"sources.{stage.name}.{source.name}.rates.{target.name}", current, fed, fed
    raise InputError.single(flag, usage)


def _named(entries: Sequence[Source], name: str, flag: str) -> Source:
    for source in entries:
        if source.name.casefold() == name.strip().casefold():
            return source
    hint = did_you_mean(name, [source.name for source in entries])
    raise InputError.single(flag, f"no source is named '{excerpt(name)}'{hint}")


def smallest_rate(
    file: GoalsFile, fixed: Sequence[Override], key: str, given: int, capacity: int
) -> Fraction | None:
    """The smallest rate, in millionths, with which stage `given` needs at most `capacity`
    (None when 100% is not enough). A better rate never needs more above the stage it helps,
    so the smallest is found by bisection."""

    def fits(units: int) -> bool:
        value = Decimal(units).scaleb(-6)
        goals = file.with_overrides([*fixed, Override(key, value, "--for")])
        return solve(goals).stages[given].volume <= capacity

    if not fits(UNITS):
        return None
    low, high = 0, UNITS  # fits(high); low = 0 is no rate at all
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return Fraction(high, UNITS)


def smallest_deal_size(
    file: GoalsFile, fixed: Sequence[Override], given: int, capacity: int, most: Decimal
) -> Fraction | None:
    """The smallest deal size, in cents, with which stage `given` needs at most `capacity`,
    when channels win their own deal sizes (None when even `most`, the whole revenue target in
    one win, is not enough). A bigger deal never needs more, so bisection finds it."""

    def fits(cents: int) -> bool:
        value = Decimal(cents).scaleb(-2)
        goals = file.with_overrides([*fixed, Override("deal_size", value, "--for")])
        return solve(goals).stages[given].volume <= capacity

    high = math.ceil(most * 100)
    if not fits(high):
        return None
    low = 0  # fits(high); no deal size at all brings nothing
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return Fraction(high, 100)
