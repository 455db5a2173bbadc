"""Rules that tie a stage's sources (its channels) together: a fixed volume or a share, shares
adding up to 100%, rates to stages below, and when a stage needs no rate of its own."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic_core import PydanticCustomError

from funnelcalc.errors import did_you_mean
from funnelcalc.exact import exact_sum, plain
from funnelcalc.keypath import Loc
from funnelcalc.safetext import excerpt
from funnelcalc.values import parse_share


def _try(parser: Any, value: object) -> Any:
    """The parsed value, or None where the field check will report the problem."""
    try:
        return parser(value)
    except (PydanticCustomError, ValueError, TypeError):
        return None


def source_problems(sources: object, names: list[str]) -> list[tuple[Loc, str]]:
    """Every problem of `sources:`, by key."""
    if not isinstance(sources, dict):
        return []
    problems: list[tuple[Loc, str]] = []
    folded = [name.casefold() for name in names]
    channel_stage: tuple[int, str] | None = None
    for key, entries in sources.items():
        where: Loc = ("sources", key)
        if str(key).strip().casefold() not in folded:
            problems.append(
                (where, f"no stage is named '{excerpt(key)}'{did_you_mean(str(key), names)}")
            )
            continue
        if isinstance(entries, list):
            index = folded.index(str(key).strip().casefold())
            problems.extend(_entry_problems(where, entries, is_top=index == 0))
            problems.extend(_channel_problems(where, entries, names, index))
            if any(_own_terms(entry) for entry in entries):
                channel_stage = (index, str(key).strip())
    if channel_stage is not None:
        for key in sources:
            index = folded.index(key.strip().casefold()) if key.strip().casefold() in folded else -1
            if index > channel_stage[0]:
                problems.append(
                    (
                        ("sources", key),
                        f"the sources of {channel_stage[1]} convert below it at their own rates "
                        "(or deal sizes): a stage below cannot split its volume between sources "
                        "too",
                    )
                )
    return problems


def _own_terms(entry: object) -> bool:
    """Whether a source entry gives its own rates below its stage or its own deal size."""
    return isinstance(entry, dict) and (
        bool(entry.get("rates")) or entry.get("deal_size") is not None
    )


def _channel_problems(
    where: Loc, entries: list[Any], names: list[str], index: int
) -> list[tuple[Loc, str]]:
    """A source's `rates` name stages below its own; a fixed cost belongs to a share source."""
    problems: list[tuple[Loc, str]] = []
    folded = [name.casefold() for name in names]
    for number, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        at: Loc = (*where, number)
        if entry.get("fixed_cost") is not None and entry.get("share") is None:
            problems.append(
                (
                    (*at, "fixed_cost"),
                    "a fixed volume's `cost` is already what its whole contribution costs",
                )
            )
        rates = entry.get("rates")
        if not isinstance(rates, dict):
            continue
        for key in rates:
            target = str(key).strip().casefold()
            if target not in folded:
                hint = did_you_mean(str(key), names[index + 1 :])
                problems.append(((*at, "rates", key), f"no stage is named '{excerpt(key)}'{hint}"))
            elif folded.index(target) == index:
                problems.append(
                    (
                        (*at, "rates", key),
                        f"{names[index]} is the stage this source feeds: its rate from the stage "
                        "above is `rate`",
                    )
                )
            elif folded.index(target) < index:
                problems.append(
                    (
                        (*at, "rates", key),
                        f"{names[folded.index(target)]} is above {names[index]}: a source's "
                        "rates go to the stages below the one it feeds",
                    )
                )
    return problems


def rate_given_by_sources(stages: list[Any], sources: object, index: int) -> bool:
    """Whether stage `index` needs no rate of its own: every share source of it gives its own
    rate from the stage above, or every source of a stage above that converts at its own rates
    gives one to it."""
    if not isinstance(sources, dict):
        return False
    names = [
        str(stage.get("name", "")).strip().casefold() if isinstance(stage, dict) else ""
        for stage in stages
    ]
    for key, entries in sources.items():
        folded = str(key).strip().casefold()
        if folded not in names or not isinstance(entries, list) or not entries:
            continue
        fed = names.index(folded)
        if not all(isinstance(entry, dict) for entry in entries):
            continue
        if fed == index:
            shares = [entry for entry in entries if entry.get("share") is not None]
            if shares and all(entry.get("rate") is not None for entry in shares):
                return True
        elif fed < index and any(_own_terms(entry) for entry in entries):
            wanted = names[index]
            if all(
                isinstance(entry.get("rates"), dict)
                and wanted in (str(k).strip().casefold() for k in entry["rates"])
                for entry in entries
            ):
                return True
    return False


def _kind_problems(
    at: Loc, entry: dict[str, Any], *, fixed: bool, share: bool
) -> list[tuple[Loc, str]]:
    """A source is a fixed volume (no rate; dates and a cost allowed) or a share (no dates)."""
    problems: list[tuple[Loc, str]] = []
    if fixed == share:
        problems.append((at, "give a source either a volume (expected anyway) or a share"))
    if fixed and entry.get("rate") is not None:
        problems.append(((*at, "rate"), "a fixed volume comes anyway: it has no rate"))
    if share and entry.get("at") is not None:
        problems.append(
            ((*at, "at"), "only a fixed volume arrives on dates; a share follows the plan")
        )
    return problems


def _entry_problems(where: Loc, entries: list[Any], *, is_top: bool) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    shares: list[Decimal | None] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        at: Loc = (*where, index)
        name = entry.get("name")
        if isinstance(name, str):
            if name.strip().casefold() in seen:
                problems.append(((*at, "name"), f"'{name.strip()}' is listed twice"))
            seen.add(name.strip().casefold())
        fixed, share = entry.get("volume") is not None, entry.get("share") is not None
        problems.extend(_kind_problems(at, entry, fixed=fixed, share=share))
        if is_top and entry.get("rate") is not None:
            problems.append(((*at, "rate"), "the top stage has no stage above: no rate"))
        if share:
            shares.append(_try(parse_share, entry["share"]))
    if not entries:
        problems.append((where, "list at least one source"))
    elif not shares:
        problems.append((where, "give at least one source a share of what the fixed ones leave"))
    elif None not in shares:
        total = exact_sum(s for s in shares if s is not None)
        if total != 1:
            problems.append((where, f"the shares add up to {plain(total.scaleb(2)):f}%, not 100%"))
    return problems
