"""Goal seek: the smallest rate (or deal size) that reaches the target with a given capacity,
exactly: the answer is a fraction, and the value to use is it rounded up (never down)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.errors import InputError, did_you_mean
from funnelcalc.exact import to_decimal
from funnelcalc.fields import point
from funnelcalc.loader import GoalsFile, set_flags
from funnelcalc.model import Goals
from funnelcalc.overrides import Override, OverrideError, parse_key
from funnelcalc.safetext import excerpt
from funnelcalc.segments import override_key as segment_override_key
from funnelcalc.solver import Plan, back_calculate, needed_above, solve
from funnelcalc.values import MAX_DIGITS

RATE_PLACES = 6
"""A usable rate is rounded up to a millionth (0.0001%)."""
MAX_SEARCH = 10**15
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Seek:
    """The answer to: how good must KEY be for STAGE to need at most VOLUME?"""

    key: str
    label: str
    is_rate: bool
    stage: str
    volume: int
    current: Decimal
    exact: Fraction | None
    """The smallest value that works; None when no value can."""
    usable: Decimal | None
    """`exact` rounded up to a millionth (rates) or a cent (money)."""
    plan: Plan | None
    """The plan with the usable value."""
    currency: str
    givens: tuple[tuple[str, int], ...] = ()
    """Every capacity the value must meet, (stage, volume); `stage` and `volume` are the one
    that binds (asks the most)."""
    searched: bool = False
    """A source's rate: the smallest to a millionth, found by search (no closed form)."""

    @property
    def possible(self) -> bool:
        """Whether a rate of at most 100% (or any deal size) does it."""
        return self.usable is not None


def parse_given(text: str, goals: Goals, *, flag: str = "--given") -> tuple[int, int]:
    """`STAGE=VOLUME` → (stage index, volume)."""
    flag = f"{flag} {excerpt(text)}"
    name, equals, amount = text.partition("=")
    if not equals:
        raise InputError.single(flag, "expected STAGE=VOLUME, e.g. visitors=15000")
    index = goals.stage_index(name)
    if index is None:
        names = [stage.name for stage in goals.stages]
        hint = did_you_mean(name, names)
        raise InputError.single(flag, f"no stage is named '{excerpt(name)}'{hint}")
    digits = amount.strip().replace("_", "")
    significant = digits.lstrip("0")
    if not _DIGITS.fullmatch(digits) or not significant:  # ASCII digits only: not ² or ٣
        raise InputError.single(flag, "the volume is a whole number above 0")
    if len(significant) > MAX_DIGITS:
        raise InputError.single(flag, f"the volume has more than {MAX_DIGITS} digits")
    return index, int(significant)


def seek(
    file: GoalsFile,
    key: str,
    given: str | Sequence[str],
    *,
    scenario: str | None = None,
    sets: Sequence[str] = (),
    segment: str | None = None,
) -> Seek:
    """Solve for a stage's rate or the deal size that meets every capacity given: each needs
    less as the value grows, so the largest of the smallest values that meet each one meets
    them all."""
    name, goals = file.resolve(scenario, sets, segment)
    goals = goals.at_points()
    pairs = [parse_given(text, goals) for text in ([given] if isinstance(given, str) else given)]
    if not pairs:
        raise InputError.single("--given", "give at least one capacity, e.g. visitors=15000")
    if segment is not None:
        segment = file.segment_name(segment)
    flags = file.flags_in(segment, sets) if segment is not None else set_flags(sets)
    fixed = (file.scenario_overrides(name) if name else []) + flags
    channels = next((i for i, s in enumerate(goals.stages) if _has_own_terms(goals, i)), None)
    searched = key.strip().startswith("sources") or channels is not None
    if searched and segment is not None:
        raise InputError.single(
            "--for", "solving a segment whose channels convert at their own rates is not supported"
        )
    if key.strip().startswith("sources"):
        return _seek_source(file, key, goals, pairs, fixed)
    target, label = _target(key, goals)
    if target is not None and channels is not None and target > channels:
        current_rate = point(goals.stages[target].rate)
        assert current_rate is not None
        sought = (f"stages[{target}].rate", current_rate, channels, label)
        return _searched(file, key, goals=goals, pairs=pairs, fixed=fixed, sought=sought)
    if target is None and channels is not None and _own_deal_sizes(goals, channels):
        return _searched_deal(file, key, goals=goals, pairs=pairs, fixed=fixed, label=label)
    stage, volume, exact = _binding(goals, target, pairs)
    if target is None:
        current = point(goals.deal_size)
        usable = None if exact is None else Decimal(math.ceil(exact * 100)).scaleb(-2)
        override_key = "deal_size"
    else:
        current = point(goals.stages[target].rate)
        if exact is not None and exact > 1:
            exact = None
        units = 10**RATE_PLACES
        usable = None if exact is None else Decimal(math.ceil(exact * units)).scaleb(-RATE_PLACES)
        override_key = f"stages[{target}].rate"
    assert current is not None
    plan = None
    if usable is not None:
        if segment is not None:  # set in the segment, where it wins over the shared value
            override_key = segment_override_key(file.raw, segment, override_key)
        change = Override(override_key, usable, "--for")
        plan = solve(file.with_overrides([*fixed, change], segment=segment))
    return Seek(
        key=key,
        label=label,
        is_rate=target is not None,
        stage=goals.stages[stage].name,
        volume=volume,
        current=current,
        exact=exact if usable is not None else None,
        usable=usable,
        plan=plan,
        currency=goals.currency,
        givens=tuple((goals.stages[s].name, v) for s, v in pairs),
    )


def _seek_source(
    file: GoalsFile,
    key: str,
    goals: Goals,
    pairs: Sequence[tuple[int, int]],
    fixed: Sequence[Override],
) -> Seek:
    """Solve for a source's own rate: the smallest, to a millionth, that meets every capacity."""
    from funnelcalc.goalseek_sources import source_target  # noqa: PLC0415

    try:
        parts = parse_key(key)
    except OverrideError as error:
        raise InputError.single(f"--for {excerpt(key)}", str(error)) from None
    override_key, current, fed, lowest = source_target(key, parts, goals)
    into = goals.stages[fed].name if parts[3] == "rate" else str(parts[4])
    label = f"{parts[2]} {into} rate"
    return _searched(
        file,
        key,
        goals=goals,
        pairs=pairs,
        fixed=fixed,
        sought=(override_key, current, lowest, label),
    )


def _searched(
    file: GoalsFile,
    key: str,
    *,
    goals: Goals,
    pairs: Sequence[tuple[int, int]],
    fixed: Sequence[Override],
    sought: tuple[str, Decimal, int, str],
) -> Seek:
    """The smallest rate, to a millionth, that meets every capacity, by search: for a rate
    whose effect goes through channels converting as whole people (no closed form)."""
    from funnelcalc.goalseek_sources import smallest_rate  # noqa: PLC0415

    override_key, current, lowest, label = sought
    found: list[tuple[Fraction | None, int, int]] = []
    for stage, volume in pairs:
        if stage > lowest:
            raise InputError.single(
                "--given", f"stage {goals.stages[stage].name} is not above the rate solved for"
            )
        found.append((smallest_rate(file, fixed, override_key, stage, volume), stage, volume))
    best = (override_key, label, current)  # a whole number of millionths when found
    return _best_of(file, key, found, goals=goals, pairs=pairs, fixed=fixed, sought=best)


def _searched_deal(
    file: GoalsFile,
    key: str,
    *,
    goals: Goals,
    pairs: Sequence[tuple[int, int]],
    fixed: Sequence[Override],
    label: str,
) -> Seek:
    """The smallest deal size, to the cent, that meets every capacity, by search: with channels
    at their own deal sizes, the wins needed depend on the deal size (no closed form)."""
    from funnelcalc.goalseek_sources import smallest_deal_size  # noqa: PLC0415

    revenue = solve(goals).target_revenue
    current = point(goals.deal_size)
    assert revenue is not None  # _target: solving for the deal size needs a revenue target
    assert current is not None
    found = [
        (smallest_deal_size(file, fixed, stage, volume, revenue), stage, volume)
        for stage, volume in pairs
    ]
    sought = ("deal_size", label, current)  # a whole number of cents when found
    return _best_of(file, key, found, goals=goals, pairs=pairs, fixed=fixed, sought=sought)


def _best_of(
    file: GoalsFile,
    key: str,
    found: Sequence[tuple[Fraction | None, int, int]],
    *,
    goals: Goals,
    pairs: Sequence[tuple[int, int]],
    fixed: Sequence[Override],
    sought: tuple[str, str, Decimal],
) -> Seek:
    """The value found by search that meets every capacity: the largest of the smallest that
    meet each one, or none when one cannot be met; and the plan with it."""
    override_key, label, current = sought
    impossible = [item for item in found if item[0] is None]
    exact, stage, volume = impossible[0] if impossible else max(found, key=lambda i: i[0] or 0)
    usable = None if exact is None else to_decimal(exact)
    plan = None
    if usable is not None:
        plan = solve(file.with_overrides([*fixed, Override(override_key, usable, "--for")]))
    return Seek(
        key=key,
        label=label,
        is_rate=override_key != "deal_size",
        stage=goals.stages[stage].name,
        volume=volume,
        current=current,
        exact=exact,
        usable=usable,
        plan=plan,
        currency=goals.currency,
        givens=tuple((goals.stages[s].name, v) for s, v in pairs),
        searched=True,
    )


def _own_deal_sizes(goals: Goals, index: int) -> bool:
    """Whether a source of stage `index` wins its own deal size."""
    return any(s.deal_size is not None for s in goals.source_list(goals.stages[index].name))


def _has_own_terms(goals: Goals, index: int) -> bool:
    """Whether the sources of stage `index` convert below it at their own rates."""
    return any(source.own_terms for source in goals.source_list(goals.stages[index].name))


def _binding(
    goals: Goals, target: int | None, pairs: Sequence[tuple[int, int]]
) -> tuple[int, int, Fraction | None]:
    """The capacity that asks the most of the value, and the smallest value meeting it (None
    when some capacity cannot be met by any)."""
    found: list[tuple[Fraction | None, int, int]] = []
    for stage, volume in pairs:
        if target is None:
            found.append((_deal_size(goals, stage, volume), stage, volume))
        else:
            found.append((_rate(goals, target, stage, volume), stage, volume))
    impossible = [item for item in found if item[0] is None]
    exact, stage, volume = (
        impossible[0] if impossible else max(found, key=lambda item: item[0] or 0)
    )
    return stage, volume, exact


def _target(key: str, goals: Goals) -> tuple[int | None, str]:
    """The stage whose rate `key` names (None: the deal size), and a label for it."""
    flag = f"--for {excerpt(key)}"
    try:
        parts = parse_key(key)
    except OverrideError as error:
        raise InputError.single(flag, str(error)) from None
    if parts == ["deal_size"]:
        if goals.deal_size is None or goals.target.clients is not None:
            raise InputError.single(flag, "solving for the deal size needs a revenue target")
        return None, "deal size"
    if len(parts) == 3 and parts[0] == "stages" and parts[2] == "rate":
        index = parts[1] if isinstance(parts[1], int) else goals.stage_index(parts[1])
        if index is None or not 0 < index < len(goals.stages):
            names = [stage.name for stage in goals.stages[1:]]
            hint = did_you_mean(str(parts[1]), names)
            raise InputError.single(
                flag, f"no stage below the top is named '{excerpt(parts[1])}'{hint}"
            )
        if goals.stages[index].per is not None:
            raise InputError.single(
                flag,
                f"{goals.stages[index].name} is a multiplier (per: "
                f"{goals.stages[index].per:f}), not a rate: solve for another stage's rate",
            )
        if goals.source_list(goals.stages[index].name):
            raise InputError.single(
                flag,
                "that stage's volume comes from sources: solve for one of theirs "
                f"(sources.{goals.stages[index].name}.SOURCE.rate)",
            )
        return index, f"{goals.stages[index].name} rate"
    raise InputError.single(flag, "solve for a stage's rate (stages.NAME.rate) or deal_size")


def _rate(goals: Goals, target: int, given: int, capacity: int) -> Fraction | None:
    """The smallest rate into stage `target` that keeps stage `given` within `capacity`."""
    if given >= target:
        raise InputError.single(
            "--given", f"stage {goals.stages[given].name} is not above the rate solved for"
        )
    plan = solve(goals)
    needed_below = plan.stages[target].volume

    def upward(volume: int) -> int:
        for index in range(target - 1, given, -1):
            volume = needed_above(goals, index, volume)
        return volume

    most = _largest(upward, capacity)
    if most is None:
        return Fraction(0) if needed_below == 0 else None
    if most == 0:
        return None if needed_below else Fraction(0)
    return Fraction(needed_below, most)


def _deal_size(goals: Goals, given: int, capacity: int) -> Fraction | None:
    """The smallest deal size that keeps stage `given` within `capacity`."""
    revenue = solve(goals).target_revenue
    assert revenue is not None

    def needed(clients: int) -> int:
        return back_calculate(goals, clients)[0][given]

    most = _largest(needed, capacity)
    if most is None or most == 0:
        return None
    return Fraction(revenue) / most


def _largest(grows: Callable[[int], int], capacity: int) -> int | None:
    """The largest x with grows(x) ≤ capacity, for a non-decreasing grows; None if every x
    up to a quadrillion fits (the capacity never binds)."""
    high = max(1, capacity)  # grows(0) is 0: nothing needs nothing
    while grows(high) <= capacity:
        if high > MAX_SEARCH:
            return None
        high *= 2
    low = 0  # grows(low) fits, grows(high) does not
    while high - low > 1:
        middle = (low + high) // 2
        if grows(middle) <= capacity:
            low = middle
        else:
            high = middle
    return low
