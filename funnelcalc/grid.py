"""sweep's fast path: each distinct value of an axis is validated once, through the same
`GoalsFile.with_overrides` a full plan uses, and every cell is then worked out by the integer
kernel (`-(-a × den // num)`), with no per-cell validation, copy or key resolution.

It covers axes on `deal_size`, `target.revenue`, `target.clients` and a stage's `rate` or `cost`
(by name or index), with sources, a baseline and ranges anywhere in the file, showing a stage
or the budget. Other keys (sources, baseline, fixed costs, limits…), two axes on the same value,
and a value that changes the goals anywhere else, are left to the full path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from funnelcalc.baseline import derive
from funnelcalc.exact import EXACT
from funnelcalc.fields import point
from funnelcalc.kernel import Funnel, clients_for, funnel_of, ratio
from funnelcalc.model import Goals
from funnelcalc.overrides import parse_key

Slot = tuple[str, int]
"""What an axis sets: ("deal_size", 0), ("target", 0), ("rate", stage) or ("cost", stage)."""
Cell = int | Decimal


@dataclass(frozen=True)
class Patch:
    """One validated value of an axis, as the kernel's numbers."""

    slot: Slot
    value: Any
    """A Decimal; for a rate (the rate, its ratio); for the target (revenue to win, clients)."""

    def apply(self, funnel: Funnel) -> None:
        """Set this value in `funnel`."""
        kind, index = self.slot
        if kind == "deal_size":
            funnel.deal_size = self.value
        elif kind == "target":
            funnel.revenue, funnel.clients = self.value
        elif kind == "rate":
            funnel.rates[index], funnel.ratios[index] = self.value
        else:
            funnel.costs[index] = self.value


def slot_of(key: str, goals: Goals) -> Slot | None:
    """What `key` sets, when the fast path covers it (the key resolved as `overrides` does)."""
    parts = parse_key(key)
    if parts == ["deal_size"]:
        return ("deal_size", 0)
    if parts in (["target", "revenue"], ["target", "clients"]):
        return ("target", 0)
    if len(parts) == 3 and parts[0] == "stages" and parts[2] in ("rate", "cost"):
        entry = parts[1]
        index = entry if isinstance(entry, int) else goals.stage_index(entry)
        if index is not None and index < len(goals.stages):
            return (str(parts[2]), index)
    return None


def patch_for(goals: Goals, slot: Slot) -> Patch:
    """The value `goals` (validated with the axis value set) has at `slot`."""
    kind, index = slot
    if kind == "deal_size":
        return Patch(slot, point(goals.deal_size))
    if kind == "target":
        return Patch(slot, (new_revenue(goals), goals.target.clients))
    stage = goals.stages[index]
    if kind == "rate":
        return Patch(slot, (point(stage.rate), ratio(point(stage.rate))))
    return Patch(slot, point(stage.cost))


def agrees(goals: Goals, base: Goals, slot: Slot) -> bool:
    """Whether `goals` (the base with one axis value set) differs from `base` only at `slot`:
    the key was resolved where the fast path expects (a guard, say, if stage names came to be
    matched differently)."""
    kind, index = slot
    if kind in ("rate", "cost"):
        stage = base.stages[index]
        if len(goals.stages) != len(base.stages):
            return False
        pairs = zip(goals.stages, base.stages, strict=True)
        return (
            all(mine == theirs for i, (mine, theirs) in enumerate(pairs) if i != index)
            and goals.stages[index].model_copy(update={kind: getattr(stage, kind)}) == stage
            and (goals.target, goals.deal_size) == (base.target, base.deal_size)
        )
    if kind == "deal_size":
        return (goals.stages, goals.target) == (base.stages, base.target)
    return (goals.stages, goals.deal_size) == (base.stages, base.deal_size)


def new_revenue(goals: Goals) -> Decimal | None:
    """The revenue the funnel must win, as `solver.solve` derives it."""
    derivation = derive(goals)
    return derivation.new_revenue if derivation else goals.target.revenue


def cells(
    base: Goals,
    stage: int | None,
    rows: Sequence[Patch],
    columns: Sequence[Patch | None],
) -> list[tuple[Cell, ...]]:
    """Every cell: the volume of `stage` (None: the budget, 0 without one), rows × columns."""
    funnel = funnel_of(base.at_points(), new_revenue(base))
    compute = _chain(funnel, stage) if stage is not None else _budget(funnel)
    grid: list[tuple[Cell, ...]] = []
    for row in rows:
        row.apply(funnel)
        values: list[Cell] = []
        for column in columns:
            if column is not None:
                column.apply(funnel)
            values.append(compute())
        grid.append(tuple(values))
    return grid


def _chain(funnel: Funnel, stage: int) -> Callable[[], Cell]:
    """The volume of `stage` for the funnel's current numbers."""
    if any(funnel.sources[stage + 1 :]):
        return lambda: funnel.volume(stage)  # sources draw through `allocate`: slower, exact
    up = _upwards(funnel, stage)
    return lambda: up()[-1]


def _upwards(funnel: Funnel, stage: int) -> Callable[[], list[int]]:
    """The volumes from the last stage up to `stage` (no sources on the way), bottom first."""
    clients: dict[tuple[Decimal | None, Decimal | None, int | None], int] = {}
    ratios, last = funnel.ratios, len(funnel.ratios) - 1

    def volumes() -> list[int]:
        target = (funnel.revenue, funnel.deal_size, funnel.clients)
        count = clients.get(target)
        if count is None:
            count = clients[target] = clients_for(*target)
        found = [count]
        for index in range(last, stage, -1):
            num, den = ratios[index]
            count = -(-count * den // num)
            found.append(count)
        return found

    return volumes


def _budget(funnel: Funnel) -> Callable[[], Cell]:
    """The whole budget for the funnel's current numbers, 0 without one (as `sweep` shows)."""
    if any(funnel.sources):
        return lambda: funnel.budget() or 0  # sources price their draws: the kernel's long way
    fixed = sum(funnel.goals.fixed_costs.values(), Decimal(0))
    has_fixed = bool(funnel.goals.fixed_costs)
    costs = funnel.costs
    up = _upwards(funnel, 0)

    def budget() -> Cell:
        # money.spends_for, budget_for and Budget.total: the same Decimal operations, in order
        if not has_fixed and all(cost is None for cost in costs):
            return 0
        volumes = up()[::-1]
        spends = [
            EXACT.multiply(Decimal(volume), cost)
            for volume, cost in zip(volumes, costs, strict=True)
            if cost is not None
        ]
        return EXACT.add(sum(spends, Decimal(0)), fixed) or 0

    return budget


def first_bad(rows: Sequence[Patch | None], columns: Sequence[Patch | None]) -> tuple[int, int]:
    """The first cell, row by row, whose values a full plan refuses: a value is refused on its
    own or not at all for the keys the fast path covers (None marks a refused value)."""
    bad_column = next((c for c, patch in enumerate(columns) if patch is None), None)
    for r, patch in enumerate(rows):
        if patch is None:
            return r, 0
        if bad_column is not None:
            return r, bad_column
    raise AssertionError("no refused value")
