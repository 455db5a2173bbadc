"""What-if overrides: `--set KEY=VALUE` flags and scenario `set:` entries, applied to the
data of a goals file before it is validated, so a value set here is checked exactly as if
it had been written in the file."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from funnelcalc.errors import InputError, Problem, did_you_mean
from funnelcalc.goalkeys import keys_at
from funnelcalc.keypath import Loc
from funnelcalc.safetext import excerpt
from funnelcalc.yamlsource import bare_word_hint, read_value

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
# Setting one of these replaces the other: the target is one thing, won in one way.
_TARGET_KINDS = ("revenue", "clients")


@dataclass(frozen=True)
class Override:
    """One key path and the value it takes instead of what the file says."""

    key: str
    value: Any
    source: str
    """Where it was written: the goals file (a scenario), or `--set KEY=VALUE`."""
    at: tuple[int, int] | None = None
    """Line and column in `source`, for scenario entries."""
    label: str | None = None
    """The key path shown in messages, e.g. scenarios.optimistic.set.deal_size."""
    note: str = ""
    """Added to any message about the value (how YAML read a bare yes or no)."""


class OverrideError(ValueError):
    """A key path that names nothing in the goals file."""


def split_assignment(text: str) -> tuple[str, str]:
    """`KEY=VALUE` → (KEY, VALUE)."""
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise OverrideError("expected KEY=VALUE, e.g. --set stages.leads.rate=3%")
    return key.strip(), value


def parse_key(key: str) -> list[str | int]:
    """`stages.leads.rate` → ["stages", "leads", "rate"]; `stages[1].rate` → [..., 1, ...]."""
    parts: list[str | int] = []
    position = 0
    for match in _PART.finditer(key):
        between = key[position : match.start()]
        if between not in ("", "."):
            break
        name, index = match.groups()
        parts.append(int(index) if index is not None else name.strip())
        position = match.end()
    if not parts or position != len(key) or "" in parts:
        raise OverrideError(f"'{key}' is not a key path like stages.leads.rate or deal_size")
    return parts


def resolve(key: str, data: dict[str, Any]) -> Loc:
    """The location in `data` that `key` names, checked against the goals model. An entry of
    a list (a stage, a source) is named by its `name` (any case) or its index from 0."""
    loc: list[str | int] = []
    parts = parse_key(key)
    for number, written in enumerate(parts):
        current = _value_at(data, loc)
        part = written
        if isinstance(current, list):
            noun = "stage" if loc == ["stages"] else "entry"
            loc.append(_entry_index(part, current, noun))
            continue
        if loc == [] and part == "scenarios":
            raise OverrideError("scenarios cannot be set: choose one with --scenario")
        if loc == ["segments"] and isinstance(current, dict):
            part = _segment_key(part, current)
        allowed = keys_at(tuple(loc))
        if allowed == []:
            raise OverrideError(f"'{'.'.join(map(str, parts[:number]))}' holds a single value")
        if allowed is not None and part not in allowed:
            raise OverrideError(f"unknown key '{excerpt(part)}'{did_you_mean(str(part), allowed)}")
        loc.append(part)
    if len(loc) == 3 and loc[0] == "stages" and loc[2] == "name":
        raise OverrideError("a stage cannot be renamed by a what-if: rename it in the file")
    inner = keys_at(tuple(loc))
    if isinstance(_value_at(data, loc), list):
        raise OverrideError(f"'{key}' is a list; set a key of one of its entries")
    if inner != []:
        choices = f": {', '.join(key + '.' + k for k in inner)}" if inner else ""
        raise OverrideError(f"'{key}' is a group of keys; set one of them{choices}")
    return tuple(loc)


def _segment_key(part: str | int, segments: dict[Any, Any]) -> str:
    """The segment called `part` (any case), as the file spells it."""
    for name in segments:
        if str(name).casefold() == str(part).casefold():
            return str(name)
    names = [str(name) for name in segments]
    raise OverrideError(f"no segment is named '{excerpt(part)}'{did_you_mean(str(part), names)}")


def _value_at(data: Any, loc: list[str | int]) -> Any:
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _entry_index(part: str | int, entries: list[Any], noun: str) -> int:
    names = [
        str(entry.get("name", "")).strip() if isinstance(entry, dict) else "" for entry in entries
    ]
    if isinstance(part, int):
        if part < len(names):
            return part
        raise OverrideError(f"there is no {noun} [{part}]: there are {len(names)}")
    for index, name in enumerate(names):
        if name.casefold() == part.casefold():
            return index
    raise OverrideError(f"no {noun} is named '{excerpt(part)}'{did_you_mean(part, names)}")


def apply(data: dict[str, Any], loc: Loc, value: Any) -> None:
    """Put `value` at `loc`, creating the mappings on the way (e.g. `limits`)."""
    container: Any = data
    for part in loc[:-1]:
        if isinstance(container, dict) and not isinstance(container.get(part), dict | list):
            container[part] = {}
        container = container[part]
    last = loc[-1]
    if loc[:-1] == ("target",) and last in _TARGET_KINDS and isinstance(container, dict):
        for other in _TARGET_KINDS:
            container.pop(other, None)
    container[last] = value


def set_flags(sets: Sequence[str]) -> list[Override]:
    """Parse `--set KEY=VALUE` flags; a malformed one is reported naming the flag."""
    overrides: list[Override] = []
    problems: list[Problem] = []
    for text in sets:
        source = f"--set {excerpt(text)}"
        if not _is_utf8(text):
            problems.append(Problem(source, "is not UTF-8 text: write the value in UTF-8"))
            continue
        try:
            key, value = split_assignment(text)
            note = bare_word_hint(value)
            overrides.append(Override(key, read_value(value, source=source), source, note=note))
        except OverrideError as error:
            problems.append(Problem(source, str(error)))
        except InputError as error:
            problems.extend(dataclasses.replace(p, line=None, column=None) for p in error.problems)
    if problems:
        raise InputError(problems)
    return overrides


def _is_utf8(text: str) -> bool:
    """False for a command-line argument holding bytes that were not UTF-8 (Python keeps them
    as lone surrogates)."""
    return text.isascii() or not any("\ud800" <= c <= "\udfff" for c in text)
