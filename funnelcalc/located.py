"""Problems found while validating a goals file, located in the file: at the key's line, at
the --set flag or scenario entry that set the value, or where a segment wrote it."""

from __future__ import annotations

from typing import Any

from funnelcalc.errors import InputError, Problem
from funnelcalc.goalkeys import misplaced_key_hint
from funnelcalc.keypath import Loc, format_key, stage_names
from funnelcalc.overrides import Override
from funnelcalc.safetext import excerpt
from funnelcalc.structure import STRUCTURE_ERROR
from funnelcalc.yamlsource import Positions


class LocatedProblems:
    """Problems found while validating one version of the data, located in the file or at
    the flag or scenario entry that set the value."""

    def __init__(
        self, source: str, positions: Positions, data: dict[str, Any], context: str
    ) -> None:
        self.source = source
        self.positions = positions
        self.data = data
        self.context = context
        self.overridden: dict[Loc, Override] = {}
        self.moved: dict[Loc, Loc] = {}
        """A segment's data: where each key it overrides was written in the file."""
        self.problems: list[Problem] = []
        self._names: dict[int, str] | None = None

    def at_override(self, override: Override, message: str) -> None:
        line, column = override.at or (None, None)
        message += override.note
        self.problems.append(Problem(override.source, message, line, column, override.label))

    def at(self, loc: Loc, message: str, *, at_key: bool = False) -> None:
        loc = self._in_file(loc)
        override = self._override_for(loc)
        if override is not None:
            self.at_override(override, message)
            return
        position = self.positions.keys.get(loc) if at_key else None
        line, column = position or self.positions.of(loc) or (None, None)
        message += self.positions.word_hint(loc) + self.context
        if self._names is None:  # once per report, not once per problem
            self._names = stage_names(self.data)
        key = format_key(loc, names=self._names) if loc else None
        self.problems.append(Problem(self.source, message, line, column, key))

    def validation_error(self, kind: str, loc: Loc, message: str) -> None:
        if kind == STRUCTURE_ERROR:
            return  # the same rule already ran on the raw data, with a better location
        if kind == "extra_forbidden":
            key = str(loc[-1])
            # Suggestions cost a fuzzy match each: past the first hundred nobody reads them.
            hint = misplaced_key_hint(key, loc[:-1]) if len(self.problems) < HINTED else ""
            self.at(loc, f"unknown key '{excerpt(key)}'{hint}", at_key=True)
            return
        if kind == "missing":
            message = f"is required{_MISSING.get(loc[-1], '')}"
        else:
            message = _FRIENDLY.get(kind, message)
        self.at(loc, message)

    def _in_file(self, loc: Loc) -> Loc:
        """Where a key of a segment's data was written: in the segment, or the shared part."""
        for depth in range(len(loc), 0, -1):
            origin = self.moved.get(loc[:depth])
            if origin is not None:
                return (*origin, *loc[depth:])
        return loc

    def _override_for(self, loc: Loc) -> Override | None:
        """The override that set the value at `loc` or one of its ancestors."""
        for depth in range(len(loc), 0, -1):
            override = self.overridden.get(loc[:depth])
            if override is not None:
                return override
        return None


_UNCERTAIN_KEYS = ("rate", "cost", "deal_size", "lag", "fixed_cost")
_TAGS = ("point", "range", "lag")
HINTED = 100
"""Problems that get a did-you-mean; a file with more gets plain messages after them."""


def untagged(loc: Loc) -> Loc:
    """A location without the tags pydantic adds for a value that may be a range."""
    return tuple(part for index, part in enumerate(loc) if not _is_tag(loc, index))


def _is_tag(loc: Loc, index: int) -> bool:
    """Whether loc[index] is a tag: after a key that may be a range, or a seasonality weight."""
    if loc[index] not in _TAGS or not index:
        return False
    before = loc[index - 1]
    if before in _UNCERTAIN_KEYS:
        return True
    # a seasonality weight, or a source's own rate to a stage (rates: {MQL: …})
    return index >= 2 and (
        (isinstance(before, int) and loc[index - 2] == "seasonality") or loc[index - 2] == "rates"
    )


def stop(problems: list[Problem]) -> InputError:
    unique = list(dict.fromkeys(problems))
    unique.sort(key=lambda p: (p.line is None, p.line or 0, p.column or 0))
    return InputError(unique)


_MISSING: dict[str | int, str] = {
    "target": ": what the plan must win, as `revenue:` (with deal_size) or `clients:`",
    "stages": ": the funnel, top stage first, each with a name and (below the top) a rate",
    "name": ": every stage needs a name",
    "set": ": the keys this scenario changes, e.g. {deal_size: 60000}",
}
_FRIENDLY = {
    "model_type": "must be a mapping of keys",
    "model_attributes_type": "must be a mapping of keys",
    "dict_type": "must be a mapping of keys",
    "list_type": "must be a list",
    "too_short": "must not be empty",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
}
