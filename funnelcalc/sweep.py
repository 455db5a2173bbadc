"""The what-if grid: the volume one stage needs as one or two keys vary over a range."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from funnelcalc import grid
from funnelcalc.errors import InputError, Problem, did_you_mean
from funnelcalc.exact import EXACT, plain
from funnelcalc.keypath import BUDGET
from funnelcalc.loader import GoalsFile, set_flags
from funnelcalc.model import Goals
from funnelcalc.overrides import Override, OverrideError, parse_key
from funnelcalc.safetext import excerpt
from funnelcalc.solver import Plan, solve
from funnelcalc.values import MAX_DIGITS

MAX_VALUES = 1000
MAX_CELLS = 1_000_000
_RANGE = re.compile(r"(?P<start>[^.]+|[^.]*\.[^.]+)\.\.(?P<stop>[^/]+)/(?P<step>.+)")


@dataclass(frozen=True)
class Axis:
    """One key and the exact values it takes, FROM, FROM + STEP, … up to TO."""

    key: str
    values: tuple[Decimal, ...]
    percent: bool
    """Whether the range was written in percent (then values are shown as percentages)."""
    flag: str

    def show(self, value: Decimal) -> str:
        """A value as the range was written: 2.5% or 40000."""
        return f"{plain(value.scaleb(2)):f}%" if self.percent else f"{value:f}"


@dataclass(frozen=True)
class Sweep:
    """What `show` needs (a stage's volume, or the budget): rows follow the first axis,
    columns the second."""

    show: str
    currency: str
    axes: tuple[Axis, ...]
    volumes: tuple[tuple[int | Decimal, ...], ...]


def parse_vary(text: str) -> Axis:
    """`KEY=FROM..TO/STEP`: `stages.leads.rate=2%..4%/0.5%`, `deal_size=40000..80000/10000`."""
    flag = f"--vary {excerpt(text)}"
    key, equals, spec = text.partition("=")
    match = _RANGE.fullmatch(spec.strip().replace(" ", ""))
    if not equals or not key.strip() or match is None:
        raise InputError.single(
            flag, "expected KEY=FROM..TO/STEP, e.g. stages.leads.rate=2%..4%/0.5%"
        )
    try:
        parse_key(key.strip())
    except OverrideError as error:
        raise InputError.single(flag, str(error)) from None
    bounds = [match[name] for name in ("start", "stop", "step")]
    percent = any(bound.endswith("%") for bound in bounds)
    if percent and not all(bound.endswith("%") for bound in bounds):
        raise InputError.single(flag, "write FROM, TO and STEP all as percentages, or none")
    try:
        start, stop, step = (_number(bound) for bound in bounds)
    except InvalidOperation:
        raise InputError.single(flag, "FROM, TO and STEP must be numbers") from None
    except OverflowError:
        raise InputError.single(
            flag, f"FROM, TO and STEP have at most {MAX_DIGITS} digits"
        ) from None
    if step <= 0:
        raise InputError.single(flag, "STEP must be above 0")
    if stop < start:
        raise InputError.single(flag, "TO must not be below FROM")
    count = math.floor(Fraction(EXACT.subtract(stop, start)) / Fraction(step)) + 1
    if count > MAX_VALUES:
        raise InputError.single(flag, f"that is {count:,} values; at most {MAX_VALUES:,} are swept")
    values = [plain(EXACT.add(start, EXACT.multiply(step, Decimal(i)))) for i in range(count)]
    return Axis(key.strip(), tuple(v for v in values if v <= stop), percent, flag)


def _number(text: str) -> Decimal:
    number = Decimal(text.removesuffix("%").replace("_", ""))
    if not number.is_finite():
        raise InvalidOperation
    if not number.is_zero() and abs(number.adjusted()) > MAX_DIGITS:  # before any arithmetic
        raise OverflowError
    return number.scaleb(-2, EXACT) if text.endswith("%") else number


def sweep(
    file: GoalsFile,
    axes: Sequence[Axis],
    *,
    show: str | None = None,
    scenario: str | None = None,
    sets: Sequence[str] = (),
    segment: str | None = None,
) -> Sweep:
    """Plan every combination of the axes' values and keep the volume of `show` (in one segment,
    or of the roll-up of a file with segments)."""
    cells = 1
    for axis in axes:
        cells *= len(axis.values)
    if cells > MAX_CELLS:
        raise InputError.single(
            "--vary", f"that grid has {cells:,} cells; at most {MAX_CELLS:,} are planned"
        )
    if segment is not None or file.segment_names:
        return _segmented(file, axes, show, scenario=scenario, sets=sets, segment=segment)
    base = file.goals(scenario=scenario, sets=sets)
    stage = _shown_stage(base, show)
    fixed = file.scenario_overrides(scenario) if scenario is not None else []
    fixed += set_flags(sets)
    volumes = _fast(file, base, fixed, axes, stage)
    if volumes is None:
        volumes = _full(file, fixed, axes, stage)
    shown = base.stages[stage].name if stage is not None else BUDGET
    return Sweep(shown, base.currency, tuple(axes), tuple(volumes))


def _full(
    file: GoalsFile, fixed: list[Override], axes: Sequence[Axis], stage: int | None
) -> list[tuple[int | Decimal, ...]]:
    """Every cell as a full plan: the goals validated with the cell's values, then solved."""
    columns = axes[1].values if len(axes) > 1 else (None,)
    volumes: list[tuple[int | Decimal, ...]] = []
    for row_value in axes[0].values:
        row: list[int | Decimal] = []
        for column_value in columns:
            values = [row_value] if column_value is None else [row_value, column_value]
            plan = solve(_cell_goals(file, fixed, axes, values))
            row.append(plan.stages[stage].volume if stage is not None else plan.budget_total or 0)
        volumes.append(tuple(row))
    return volumes


def _cell_goals(
    file: GoalsFile, fixed: list[Override], axes: Sequence[Axis], values: Sequence[Decimal]
) -> Goals:
    """The goals with the axes at `values`, validated as a whole; a located error if not."""
    varied = [
        Override(axis.key, axis.show(value) if axis.percent else value, axis.flag)
        for axis, value in zip(axes, values, strict=True)
    ]
    try:
        return file.with_overrides([*fixed, *varied])
    except InputError as error:
        raise _at_value(error, axes, values) from None


def _fast(
    file: GoalsFile,
    base: Goals,
    fixed: list[Override],
    axes: Sequence[Axis],
    stage: int | None,
) -> list[tuple[int | Decimal, ...]] | None:
    """Every cell by the integer kernel (see funnelcalc/grid.py), each distinct value of an axis
    validated once; None where the fast path does not apply and the full path must plan."""
    if base.pipeline:
        return None  # open pipeline converts by cohort (funnelcalc/cohorts.py): the full path
    slots = [grid.slot_of(axis.key, base) for axis in axes]
    if None in slots or len(set(slots)) < len(slots):
        return None  # a key the kernel does not set, or two axes on one value: the full path
    patches: list[list[grid.Patch | None]] = []
    for axis, slot in zip(axes, slots, strict=True):
        assert slot is not None
        found: dict[Decimal, grid.Patch | None] = {}
        for value in axis.values:
            try:
                goals = _cell_goals(file, fixed, [axis], [value])
            except InputError:
                found[value] = None  # refused: named below, as the full path names it
                continue
            if not grid.agrees(goals, base, slot):
                return None  # the value changed more than the fast path sets: the full path
            found[value] = grid.patch_for(goals, slot)
        patches.append([found[value] for value in axis.values])
    rows, columns = patches[0], patches[1] if len(patches) > 1 else [None]
    if None in rows or (len(patches) > 1 and None in columns):
        r, c = grid.first_bad(rows, columns)
        values = [axes[0].values[r]] + ([axes[1].values[c]] if len(axes) > 1 else [])
        _cell_goals(file, fixed, axes, values)  # raises the full path's own located error
        return None  # not refused together after all: let the full path plan every cell
    return grid.cells(base, stage, [p for p in rows if p], columns)


def _segmented(
    file: GoalsFile,
    axes: Sequence[Axis],
    show: str | None,
    *,
    scenario: str | None,
    sets: Sequence[str],
    segment: str | None,
) -> Sweep:
    """Every cell as the full roll-up (or one segment's plan): no fast path. In a segment, a key
    is set in the segment (`stages.leads.rate` → `segments.SMB.stages.leads.rate`), where it wins
    over the shared value."""
    from funnelcalc.segments import override_key  # noqa: PLC0415 - segments only

    name = segment and file.segment_name(segment)
    base = _plan_cell(file, scenario, sets, name, [])
    stage = _shown_stage_of(base, show)

    def cell(values: Sequence[Decimal]) -> int | Decimal:
        varied = [
            Override(
                override_key(file.raw, name, axis.key) if name else axis.key,
                axis.show(value) if axis.percent else value,
                axis.flag,
            )
            for axis, value in zip(axes, values, strict=True)
        ]
        try:
            plan = _plan_cell(file, scenario, sets, name, varied)
        except InputError as error:
            raise _at_value(error, axes, values) from None
        return plan.stages[stage].volume if stage is not None else plan.budget_total or 0

    columns = axes[1].values if len(axes) > 1 else (None,)
    volumes = [
        tuple(cell([row] if column is None else [row, column]) for column in columns)
        for row in axes[0].values
    ]
    shown = base.stages[stage].name if stage is not None else BUDGET
    return Sweep(shown, base.currency, tuple(axes), tuple(volumes))


def _plan_cell(
    file: GoalsFile,
    scenario: str | None,
    sets: Sequence[str],
    segment: str | None,
    varied: Sequence[Override],
) -> Plan:
    """One cell of a segmented sweep: a segment's plan, or the roll-up."""
    from funnelcalc.rollup import company_plan, segment_plan  # noqa: PLC0415 - segments only

    if segment:
        return segment_plan(file, segment, scenario, sets, varied)
    return company_plan(file, scenario, sets, varied)


def _shown_stage_of(plan: Plan, show: str | None) -> int | None:
    """The index of the plan's stage to show, or None for the budget."""
    if show is None:
        return 0
    for index, stage in enumerate(plan.stages):
        if stage.name.casefold() == show.strip().casefold():
            return index
    if show.strip().casefold() == BUDGET:
        if plan.budget is None:
            raise InputError.single("--show", "the file names no cost: there is no budget")
        return None
    hint = did_you_mean(show, [*(stage.name for stage in plan.stages), BUDGET])
    raise InputError.single("--show", f"no stage is named '{excerpt(show)}'{hint}")


def _shown_stage(goals: Goals, show: str | None) -> int | None:
    """The index of the stage to show, or None for the budget."""
    if show is None:
        return 0
    index = goals.stage_index(show)
    if index is not None:
        return index
    if show.strip().casefold() == BUDGET:
        if solve(goals).budget is None:
            raise InputError.single("--show", "the file names no cost: there is no budget")
        return None
    hint = did_you_mean(show, [*(stage.name for stage in goals.stages), BUDGET])
    raise InputError.single("--show", f"no stage is named '{excerpt(show)}'{hint}")


def _at_value(error: InputError, axes: Sequence[Axis], values: Sequence[Decimal]) -> InputError:
    """Say which value of the sweep broke the goals."""
    if len(axes) == 1:
        where = axes[0].show(values[0])
    else:
        where = ", ".join(
            f"{axis.key}={axis.show(value)}" for axis, value in zip(axes, values, strict=True)
        )
    problems = [replace(p, message=f"at {where}: {p.message}") for p in error.problems]
    return InputError(problems or [Problem("--vary", f"at {where}: invalid")])
