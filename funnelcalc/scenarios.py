"""Named what-ifs side by side: the base plan and each scenario, with --set on top of all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from funnelcalc.keypath import BASE
from funnelcalc.loader import GoalsFile
from funnelcalc.solver import Plan, solve


@dataclass(frozen=True)
class Comparison:
    """Plans to compare, the base first."""

    plans: tuple[Plan, ...]
    descriptions: dict[str, str]
    """Each scenario's description, where the file gives one."""

    @property
    def base(self) -> Plan:
        """The plan every other one is compared against."""
        return self.plans[0]


def plan_for(
    file: GoalsFile, scenario: str | None, sets: Sequence[str] = (), segment: str | None = None
) -> Plan:
    """Plan the base (scenario None) or a scenario, with --set flags on top: one segment's plan,
    or in a file with segments the roll-up of them all."""
    if segment is not None or file.segment_names:
        from funnelcalc.rollup import company_plan, segment_plan  # noqa: PLC0415 - segments only

        if segment is not None:
            return segment_plan(file, segment, scenario, sets)
        return company_plan(file, scenario, sets)
    name, goals = file.resolve(scenario, sets)
    return solve(goals, scenario=name)


def compare(
    file: GoalsFile,
    names: Sequence[str] = (),
    sets: Sequence[str] = (),
    segment: str | None = None,
) -> Comparison:
    """The base plan and the named scenarios (all of them when none are named): of one segment,
    or the roll-ups of a segmented file."""
    chosen = [file.scenario_name(n) for n in names] if names else file.scenario_names
    plans = [plan_for(file, None, sets, segment)]
    plans += [plan_for(file, name, sets, segment) for name in dict.fromkeys(chosen) if name != BASE]
    descriptions = {
        name: scenario.description
        for name, scenario in file.base.scenarios.items()
        if scenario.description is not None
    }
    return Comparison(tuple(plans), descriptions)
