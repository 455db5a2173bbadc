"""What changed between two goals files (or one file at two git revisions): the inputs, key by
key, and every figure of the plan (stages by name, money, limits, the schedule), exactly; and
the thresholds (`--fail-if`) a change must not cross."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from funnelcalc.errors import InputError
from funnelcalc.keypath import Loc, format_key
from funnelcalc.loader import MAX_BYTES, GoalsFile, read_bytes
from funnelcalc.scenarios import plan_for
from funnelcalc.solver import Plan

Figure = int | Decimal | Fraction
Rows = Sequence[tuple[str, Sequence[int]]]
"""A schedule as (period label, a volume per stage) rows."""
GIT_SECONDS = 20


@dataclass(frozen=True)
class InputChange:
    """A key of the goals file added, removed or given another value."""

    key: str
    old: object
    new: object
    line: int | None
    """Where the key is in the new file (None when it was removed)."""


@dataclass(frozen=True)
class FigureChange:
    """A figure of the plan that moved."""

    key: str
    old: Figure | None
    new: Figure | None

    @property
    def change(self) -> Fraction | None:
        """new − old, exactly, when both exist."""
        if self.old is None or self.new is None:
            return None
        return Fraction(self.new) - Fraction(self.old)

    @property
    def relative(self) -> Fraction | None:
        """(new − old) ÷ old, when both exist and old is not 0."""
        change = self.change
        return None if change is None or not self.old else change / Fraction(self.old)


@dataclass(frozen=True)
class Threshold:
    """`--fail-if KEY>LIMIT` (or <): the change of a figure, absolute or in percent."""

    text: str
    key: str
    above: bool
    limit: Decimal
    percent: bool

    def crossed(self, change: FigureChange) -> bool:
        """Whether the change goes beyond the limit."""
        relative = change.relative
        moved = (
            (relative * 100 if relative is not None else None) if self.percent else change.change
        )
        if moved is None:
            return False
        return moved > self.limit if self.above else moved < self.limit


@dataclass(frozen=True)
class Changes:
    """Two plans side by side, and what moved."""

    old_source: str
    new_source: str
    old: Plan
    new: Plan
    inputs: tuple[InputChange, ...]
    figures: tuple[FigureChange, ...]
    thresholds: tuple[Threshold, ...]

    @property
    def crossed(self) -> list[tuple[Threshold, FigureChange]]:
        """Every threshold crossed, with the change that crossed it."""
        return [
            (threshold, change)
            for threshold in self.thresholds
            for change in self.figures
            if change.key == threshold.key and threshold.crossed(change)
        ]


_THRESHOLD = re.compile(r"\s*([^<>]+?)\s*([<>])\s*([+-]?[0-9][0-9_]*(?:\.[0-9_]+)?)\s*(%?)\s*")


def parse_threshold(text: str) -> Threshold:
    """`budget>10%`, `stages.visitors.volume>+5000`, `revenue<-5%`."""
    match = _THRESHOLD.fullmatch(text[:200])
    if match is None:
        raise InputError.single(
            f"--fail-if {text[:60]}", "write KEY>CHANGE or KEY<CHANGE, e.g. budget>10%"
        )
    key, sign, number, percent = match.groups()
    try:
        limit = Decimal(number.replace("_", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise InputError.single(f"--fail-if {text[:60]}", "the change is not a number") from None
    return Threshold(text, key, sign == ">", limit, percent == "%")


def figures(
    plan: Plan, schedule_rows: Sequence[tuple[str, Sequence[int]]] = ()
) -> dict[str, Figure]:
    """Every figure of a plan by key path: stages by name, money, and schedule rows."""
    found: dict[str, Figure] = {}
    if plan.revenue is not None:
        found["revenue"] = plan.revenue
    budget = plan.budget
    if budget is not None:
        found.update(budget=budget.total, spend=budget.spend)
        if plan.clients:
            found["cac"] = Fraction(budget.total) / plan.clients
    economics = plan.economics
    if economics is not None:  # the ratios a limit may bar, where finite
        for name, ratio in (
            ("roas", economics.blended_roas),
            ("coverage", economics.coverage),
            ("ltv_cac", economics.ltv_cac),
            ("payback_months", economics.payback_months),
        ):
            if isinstance(ratio, Fraction):
                found[name] = ratio
    for stage in plan.stages:
        key = f"stages.{stage.name}"
        found[f"{key}.volume"] = stage.volume
        for name in ("rate", "limit", "cost", "spend", "pipeline_value", "max_cost"):
            value = getattr(stage, name)
            if value is not None:
                found[f"{key}.{name}"] = value
    names = [stage.name for stage in plan.stages]
    for label, volumes in schedule_rows:
        for name, volume in zip(names, volumes, strict=True):
            found[f"schedule.{label}.{name}"] = volume
    for part in plan.segments:  # a roll-up's segments, each figure under its segment's name
        found.update({f"segments.{part.name}.{k}": v for k, v in figures(part.plan).items()})
    return found


def _leaves(value: object, loc: Loc = ()) -> Iterator[tuple[Loc, object]]:
    """Every scalar of the raw data with its key path; stages keyed by name where unique."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*loc, index))
    else:
        yield loc, value


def input_changes(old: GoalsFile, new: GoalsFile) -> list[InputChange]:
    """The keys whose values differ, in the new file's order, then those removed."""
    before = {format_key(loc, old.raw): value for loc, value in _leaves(old.raw)}
    after = {format_key(loc, new.raw): (loc, value) for loc, value in _leaves(new.raw)}
    found = [
        InputChange(key, before.get(key), value, new.line_of(loc))
        for key, (loc, value) in after.items()
        if key not in before or before[key] != value or type(before[key]) is not type(value)
    ]
    found += [
        InputChange(key, value, None, None) for key, value in before.items() if key not in after
    ]
    return found


def figure_changes(old: dict[str, Figure], new: dict[str, Figure]) -> list[FigureChange]:
    """The figures that differ, in the new plan's order, then those gone."""
    found = [
        FigureChange(key, old.get(key), value)
        for key, value in new.items()
        if old.get(key) != value
    ]
    found += [FigureChange(key, value, None) for key, value in old.items() if key not in new]
    return found


def at_revision(path: str, revision: str) -> GoalsFile:
    """The goals file as it was at a git revision, read through `git show`."""
    where = Path(path)
    flag = f"--base {revision[:80]}"
    if revision.startswith("-") or not revision.strip():
        raise InputError.single(flag, "name a revision, e.g. origin/main or HEAD~1")
    try:
        shown = subprocess.run(
            ["git", "-C", str(where.parent), "show", f"{revision}:./{where.name}"],
            capture_output=True,
            timeout=GIT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise InputError.single(flag, "git is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError.single(flag, f"git show took over {GIT_SECONDS} s") from None
    if shown.returncode != 0:
        reason = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        why = reason[-1][:200] if reason else f"git show exited {shown.returncode}"
        raise InputError.single(flag, f"cannot read {path} at {revision[:80]}: {why}")
    return read_bytes(shown.stdout[: MAX_BYTES + 1], source=f"{path}@{revision[:80]}")


def compare_files(
    old: GoalsFile,
    new: GoalsFile,
    *,
    scenario: str | None = None,
    thresholds: Sequence[Threshold] = (),
    segment: str | None = None,
) -> Changes:
    """Plan both files (the same scenario, and segment, of each) and say what moved."""
    plans = [plan_for(file, scenario, (), segment) for file in (old, new)]
    schedules = [
        _schedule_rows(old, plans[0], scenario, segment),
        _schedule_rows(new, plans[1], scenario, segment),
    ]
    old_figures, new_figures = (figures(p, s) for p, s in zip(plans, schedules, strict=True))
    known = {**old_figures, **new_figures}
    for threshold in thresholds:
        if threshold.key not in known:
            raise InputError.single(
                f"--fail-if {threshold.text[:60]}",
                f"no figure is called {threshold.key!r}: try budget, revenue, cac or "
                "stages.NAME.volume",
            )
    return Changes(
        old.source,
        new.source,
        plans[0],
        plans[1],
        tuple(input_changes(old, new)),
        tuple(figure_changes(old_figures, new_figures)),
        tuple(thresholds),
    )


def _schedule_rows(
    file: GoalsFile, plan: Plan, scenario: str | None, segment: str | None = None
) -> list[tuple[str, Sequence[int]]]:
    """The plan by month when the file has a period (compared month by month)."""
    if plan.period is None:
        return []
    from funnelcalc.phasing import schedule_for  # noqa: PLC0415 - only with a period

    schedule = schedule_for(file, plan, "month", scenario, [], segment=segment)
    return [(bucket.label, bucket.volumes) for bucket in schedule.buckets]
