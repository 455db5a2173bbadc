"""goals.yaml → Goals, with every problem located as FILE:LINE:COL and its key path, and the
what-ifs (scenarios, --set) applied and checked exactly as if written in the file."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from funnelcalc.errors import InputError, Problem, did_you_mean
from funnelcalc.inputs import read_input
from funnelcalc.keypath import Loc
from funnelcalc.located import LocatedProblems, stop, untagged
from funnelcalc.model import Goals
from funnelcalc.overrides import Override, OverrideError, apply, resolve, set_flags
from funnelcalc.safetext import excerpt
from funnelcalc.segments import override_key, segment_data
from funnelcalc.structure import size_problems, structure_problems
from funnelcalc.yamlsource import MAX_BYTES, Positions, read_yaml

__all__ = ["MAX_BYTES", "GoalsFile", "load", "parse", "read", "read_bytes", "set_flags"]


def load(path: str | Path) -> Goals:
    """Read and validate a goals file; raise InputError listing every problem in it."""
    return read(path).base


def parse(data: bytes | str, *, source: str = "<goals>") -> Goals:
    """Validate goals given as YAML bytes or text; `source` names it in messages."""
    return read_bytes(data, source=source).base


def read(path: str | Path) -> GoalsFile:
    """Read a goals file with its scenarios, each checked."""
    data = read_input(path, limit=MAX_BYTES, kind="a goals file")
    return read_bytes(data, source=str(path))


def read_bytes(data: bytes | str, *, source: str) -> GoalsFile:
    """Like read(), for YAML already in memory."""
    raw, positions = read_yaml(data, source=source)
    return GoalsFile(source, raw, positions)


class GoalsFile:
    """A goals file that has been read and checked: its base plan and its scenarios."""

    def __init__(self, source: str, raw: dict[str, Any], positions: Positions) -> None:
        self.source = source
        self._raw = raw
        self._positions = positions
        result = self._validate(raw, [])
        if isinstance(result, list):
            raise stop(result)
        self.base = result
        self._segments: dict[str, Goals] = {}
        """Each segment's goals, without any what-if (checked once, here)."""
        problems = [p for name in self.base.segments for p in self._segment_problems(name, [])]
        problems += [p for name in self.base.scenarios for p in self._scenario_problems(name)]
        pairs = len(self.base.scenarios) * len(self.base.segments)
        if not problems and 0 < pairs <= EAGER_PAIRS:
            problems = self._pair_problems()
        if problems:
            raise stop(problems)

    @property
    def raw(self) -> dict[str, Any]:
        """The file's data as written (before any --set); not to be changed."""
        return self._raw

    @property
    def scenario_names(self) -> list[str]:
        """The file's scenarios, in the order written."""
        return list(self.base.scenarios)

    @property
    def segment_names(self) -> list[str]:
        """The file's segments, in the order written."""
        return list(self.base.segments)

    def segment_name(self, name: str) -> str:
        """The segment called `name` (ignoring case), or a located error."""
        for known in self.base.segments:
            if known.casefold() == name.strip().casefold():
                return known
        names = self.segment_names
        have = did_you_mean(name, names) if names else f": {self.source} has no segments"
        raise InputError.single("--segment", f"no segment is named '{excerpt(name)}'{have}")

    def segment_goals(
        self,
        segment: str,
        *,
        scenario: str | None = None,
        sets: Sequence[str] = (),
        extra: Sequence[Override] = (),
        inside: bool = False,
    ) -> Goals:
        """One segment's goals: the shared document with the scenario, each --set and `extra`
        applied, then the segment's overrides merged in and its target set; checked as a goals
        file. `inside`: the segment was chosen (--segment), so --set keys are the segment's."""
        overrides = self.scenario_overrides(scenario) if scenario is not None else []
        overrides += [*(self.flags_in(segment, sets) if inside else set_flags(sets)), *extra]
        if not overrides and segment in self._segments:
            return self._segments[segment]
        result = self._validate(
            _copy(self._raw), overrides, context=_context(scenario, sets), segment=segment
        )
        if isinstance(result, list):
            raise stop(result)
        return result

    def company_goals(
        self,
        *,
        scenario: str | None = None,
        sets: Sequence[str] = (),
        extra: Sequence[Override] = (),
    ) -> tuple[Goals, dict[str, Goals]]:
        """The whole file's goals with the what-ifs applied, and each segment's (the whole
        checked once, not once per segment)."""
        company = self.goals(scenario=scenario, sets=sets, extra=extra)
        overrides = self.scenario_overrides(scenario) if scenario is not None else []
        overrides += [*set_flags(sets), *extra]
        if not overrides:
            return company, {name: self.segment_goals(name) for name in company.segments}
        found: dict[str, Goals] = {}
        for name in company.segments:
            result = self._validate(
                _copy(self._raw),
                overrides,
                context=_context(scenario, sets),
                segment=name,
                whole_checked=True,
            )
            if isinstance(result, list):
                raise stop(result)
            found[name] = result
        return company, found

    def flags_in(self, segment: str, sets: Sequence[str]) -> list[Override]:
        """`--set` flags for a chosen segment: a key of the goals file (`deal_size`) is set in
        the segment (`segments.SMB.deal_size`), where it wins over the shared value."""
        return [
            dataclasses.replace(flag, key=override_key(self._raw, segment, flag.key))
            for flag in set_flags(sets)
        ]

    def line_of(self, loc: Loc) -> int | None:
        """The line where the key at `loc` is written, if it is in the file."""
        position = self._positions.keys.get(loc) or self._positions.values.get(loc)
        return position[0] if position else None

    def limit_loc(self, stage: str, segment: str | None = None) -> Loc | None:
        """Where the limit on `stage` is written (its key may differ in case): the company's,
        or one segment's own."""
        at: Loc = ("segments", segment) if segment is not None else ()
        where: Any = self._raw
        for part in (*at, "limits"):
            where = where.get(part) if isinstance(where, dict) else None
        for key in where if isinstance(where, dict) else ():
            if str(key).casefold() == stage.casefold():
                return (*at, "limits", key)
        return None

    def goals(
        self,
        *,
        scenario: str | None = None,
        sets: Sequence[str] = (),
        extra: Sequence[Override] = (),
    ) -> Goals:
        """The goals with a scenario, then each `--set KEY=VALUE` and `extra` applied, checked."""
        overrides = self.scenario_overrides(scenario) if scenario is not None else []
        overrides += [*set_flags(sets), *extra]
        if not overrides:
            return self.base
        return self.with_overrides(overrides, context=_context(scenario, sets))

    def resolve(
        self, scenario: str | None, sets: Sequence[str] = (), segment: str | None = None
    ) -> tuple[str | None, Goals]:
        """The scenario's name as the file spells it (None for the base), and its goals: those
        of one segment when the file has segments (a command that plans one funnel needs one)."""
        name = self.scenario_name(scenario) if scenario is not None else None
        if segment is not None:
            chosen = self.segment_name(segment)
            return name, self.segment_goals(chosen, scenario=name, sets=sets, inside=True)
        if self.segment_names:
            names = ", ".join(self.segment_names)
            raise InputError.single(
                "--segment",
                f"{self.source} has segments ({excerpt(names)}): this command plans one funnel; "
                "choose a segment with --segment NAME",
            )
        return name, self.goals(scenario=name, sets=sets)

    def scenario_name(self, name: str) -> str:
        """The scenario called `name` (ignoring case), or a located error."""
        for known in self.base.scenarios:
            if known.casefold() == name.strip().casefold():
                return known
        names = self.scenario_names
        have = did_you_mean(name, names) if names else f": {self.source} has no scenarios"
        raise InputError.single("--scenario", f"no scenario is named '{excerpt(name)}'{have}")

    def scenario_overrides(self, name: str) -> list[Override]:
        """The `set:` entries of a scenario, each pointing at its line in the file."""
        name = self.scenario_name(name)
        return [
            Override(
                key=key,
                value=value,
                source=self.source,
                at=self._positions.keys.get(("scenarios", name, "set", key)),
                label=f"scenarios.{name}.set.{key}",
                note=self._positions.word_hint(("scenarios", name, "set", key)),
            )
            for key, value in self.base.scenarios[name].set.items()
        ]

    def with_overrides(
        self, overrides: Sequence[Override], *, context: str = "", segment: str | None = None
    ) -> Goals:
        """The base data with `overrides` applied, validated as a whole (and resolved to one
        segment's goals, when given); raise InputError."""
        result = self._validate(_copy(self._raw), overrides, context=context, segment=segment)
        if isinstance(result, list):
            raise stop(result)
        return result

    def check_segments(self, sets: Sequence[str] = ()) -> None:
        """Check every segment under every scenario (and `sets`), as `validate` does."""
        problems = self._pair_problems(sets)
        if problems:
            raise stop(problems)

    def _pair_problems(self, sets: Sequence[str] = ()) -> list[Problem]:
        problems = []
        for scenario in [None, *self.scenario_names] if sets else self.scenario_names:
            overrides = self.scenario_overrides(scenario) if scenario is not None else []
            overrides += set_flags(sets)
            goals = self.goals(scenario=scenario, sets=sets)
            for segment in goals.segments:
                problems += self._segment_problems(segment, overrides, scenario)
        return problems

    def _scenario_problems(self, name: str) -> list[Problem]:
        overrides = self.scenario_overrides(name)
        result = self._validate(_copy(self._raw), overrides, context=f" (in scenario {name})")
        return result if isinstance(result, list) else []

    def _segment_problems(
        self, segment: str, overrides: Sequence[Override], scenario: str | None = None
    ) -> list[Problem]:
        """A segment checked after the whole (with the same overrides) was found sound."""
        context = f" (in scenario {scenario})" if scenario else ""
        result = self._validate(
            _copy(self._raw), overrides, context=context, segment=segment, whole_checked=True
        )
        if isinstance(result, list):
            return result
        if not overrides:
            self._segments[segment] = result
        return []

    # -- validation --------------------------------------------------------------------------

    def _validate(
        self,
        data: dict[str, Any],
        overrides: Sequence[Override],
        *,
        context: str = "",
        segment: str | None = None,
        whole_checked: bool = False,
    ) -> Goals | list[Problem]:
        """Apply overrides, then validate; the problems found, located, or the goals. With a
        segment, the whole document is checked first (unless `whole_checked`), then the
        segment's own."""
        if segment is not None and not whole_checked:
            whole = self._validate(_copy(data), overrides, context=context)
            if isinstance(whole, list):
                return whole
        report = LocatedProblems(self.source, self._positions, data, context)
        for override in overrides:
            try:
                loc = resolve(override.key, data)
            except OverrideError as error:
                report.at_override(override, str(error))
                continue
            apply(data, loc, override.value)
            report.overridden[loc] = override
        if segment is not None:
            segment = next(s for s in data["segments"] if str(s).casefold() == segment.casefold())
            data, report.moved = segment_data(data, segment)
            report.context = f" (in segment {segment})" + context
        too_many = size_problems(data)
        for loc, message in too_many or structure_problems(data):
            report.at(loc, message)
        if too_many:
            return report.problems
        try:
            goals = Goals.model_validate(data)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                loc = untagged(tuple(detail["loc"]))
                report.validation_error(detail["type"], loc, detail["msg"])
        return report.problems or goals


EAGER_PAIRS = 200
"""Reading a file checks each segment under each scenario up to this many pairs; past it, a
scenario's segments are checked when it is planned (and by `validate`), so that reading stays
well under a second."""


def _copy(data: Any) -> Any:
    """A deep copy of YAML data (mappings, lists and scalars): much faster than deepcopy."""
    if isinstance(data, dict):
        return {key: _copy(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_copy(item) for item in data]
    return data


def _context(scenario: str | None, sets: Sequence[str]) -> str:
    parts = [f"scenario {scenario}"] if scenario else []
    parts += [f"--set {text}" for text in sets]
    return f" (with {', '.join(parts)})" if parts else ""
