"""Levers: what a one-point or a ten-percent better rate (or a bigger deal) would do to the
plan, ranked, so the team works on the lever that moves it most."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from funnelcalc.attribution import AppliedRate, applied_rates
from funnelcalc.errors import InputError
from funnelcalc.exact import EXACT, plain
from funnelcalc.fields import point
from funnelcalc.loader import GoalsFile, set_flags
from funnelcalc.overrides import Override, parse_key
from funnelcalc.segments import override_key
from funnelcalc.solver import Plan, solve

ONE_POINT = Decimal("0.01")
TEN_PERCENT = Decimal("1.1")


@dataclass(frozen=True)
class Effect:
    """The plan with one lever pulled."""

    value: Decimal
    top: int
    """What the top stage then needs."""
    clients: int
    budget: Decimal | None


@dataclass(frozen=True)
class Lever:
    """One rate (or the deal size), and what pulling it would do."""

    key: str
    label: str
    value: Decimal
    is_rate: bool
    plus_one_point: Effect | None
    """+1 percentage point (rates below 100% only)."""
    plus_ten_percent: Effect | None
    """+10% of its value (capped at 100% for rates)."""
    is_multiplier: bool = False
    """A stage's `per` (3 contacts per account): no cap at 100%, no +1 point."""


@dataclass(frozen=True)
class Levers:
    """Every lever, the one that cuts the top of the funnel most first."""

    plan: Plan
    levers: tuple[Lever, ...]


def levers(
    file: GoalsFile,
    *,
    scenario: str | None = None,
    sets: Sequence[str] = (),
    segment: str | None = None,
) -> Levers:
    """Pull each lever on its own and re-plan, exactly (in one segment of a segmented file)."""
    name, goals = file.resolve(scenario, sets, segment)
    segment = file.segment_name(segment) if segment is not None else None
    base = solve(goals, scenario=name)
    flags = file.flags_in(segment, sets) if segment is not None else set_flags(sets)
    fixed = (file.scenario_overrides(name) if name else []) + flags
    found: list[Lever] = []
    multipliers = {f"stages[{i}].rate" for i, s in enumerate(goals.stages) if s.per is not None}
    for index, stage in enumerate(goals.stages[1:], start=1):
        if stage.per is not None:
            names = (goals.stages[index - 1].name, stage.name)
            found.append(_per_lever(file, fixed, names, index, stage.per, segment=segment))
    for applied in applied_rates(goals):
        if applied.key in multipliers:
            continue  # a multiplier's lever is its own (above)
        rate = applied.rate
        plus_point = min(Decimal(1), EXACT.add(rate, ONE_POINT))
        plus_tenth = min(Decimal(1), EXACT.multiply(rate, TEN_PERCENT))

        def pulled(value: Decimal, found: AppliedRate = applied) -> Effect | None:
            if value == found.rate:
                return None
            return _effect(file, fixed, found.key, value, segment)

        label = applied.label
        found.append(Lever(applied.key, label, rate, True, pulled(plus_point), pulled(plus_tenth)))
    deal = point(goals.deal_size)
    if deal is not None and goals.target.clients is None:
        bigger = plain(EXACT.multiply(deal, TEN_PERCENT))
        found.append(
            Lever(
                "deal_size",
                "deal size",
                deal,
                False,
                None,
                _effect(file, fixed, "deal_size", bigger, segment),
            )
        )
    found.sort(key=lambda lever: _gain(base, lever), reverse=True)
    return Levers(base, tuple(found))


def _per_lever(
    file: GoalsFile,
    fixed: list[Override],
    stages: tuple[str, str],
    index: int,
    per: Decimal,
    *,
    segment: str | None,
) -> Lever:
    """+10% on a multiplier (3 → 3.3 contacts per account); it has no 100% cap."""
    key = f"stages[{index}].per"
    more = plain(EXACT.multiply(per, TEN_PERCENT))
    above, name = stages
    effect = _effect(file, fixed, key, more, segment)
    return Lever(key, f"{name} per {above}", per, False, None, effect, is_multiplier=True)


def _effect(
    file: GoalsFile, fixed: list[Override], key: str, value: Decimal, segment: str | None = None
) -> Effect:
    # in a segment, the lever is set in the segment, where it wins over the shared value
    where = override_key(file.raw, segment, key) if segment is not None else key
    try:
        plan = solve(
            file.with_overrides([*fixed, Override(where, value, "levers")], segment=segment)
        )
    except InputError as error:  # the pulled value is out of bounds: say where it came from
        loc = parse_key(key)
        written = {item.key: item.loc for item in applied_rates(file.base)}
        at = file.line_of(written.get(key, tuple(loc)))
        reason = error.problems[0].message if error.problems else str(error)
        raise InputError.single(
            file.source, f"pulling this lever to {value:f} fails: {reason}", line=at, key=key
        ) from None
    return Effect(value, plan.stages[0].volume, plan.clients, plan.budget_total)


def _gain(base: Plan, lever: Lever) -> tuple[int, int]:
    """How much +10% cuts the top of the funnel (then the clients needed)."""
    effect = lever.plus_ten_percent or lever.plus_one_point
    if effect is None:
        return (0, 0)
    return (base.stages[0].volume - effect.top, base.clients - effect.clients)
