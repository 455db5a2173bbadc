"""Segments: one company target planned as several funnels (SMB, mid-market, enterprise …),
resolved on the raw goals data. A segment's document is the shared document, less what is the
company's alone (its limits, fixed costs, scenarios and segments), with the segment's overrides
merged in and its target set; it is then validated as an ordinary goals file, so every key a
goals file takes works inside a segment."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic_core import PydanticCustomError

from funnelcalc.errors import did_you_mean
from funnelcalc.exact import EXACT, exact_sum, plain
from funnelcalc.keypath import Loc
from funnelcalc.safetext import excerpt
from funnelcalc.values import MAX_NAME_LENGTH, parse_clients, parse_money, parse_share

OWN_KEYS = ("description", "share", "target")
"""A segment's own keys; every other key overrides the shared document's."""
COMPANY_KEYS = ("name", "currency", "segments", "scenarios")
"""The company's alone: a segment cannot change them (money is summed in one currency)."""
NOT_INHERITED = ("segments", "scenarios", "limits", "fixed_costs")
"""Company-wide: limits apply to the roll-up and fixed costs are counted once, in it."""
PER_SEGMENT = ("baseline", "pipeline", "team")
"""What a segmented file gives per segment: shared, it would be counted in every segment."""
MAX_SEGMENTS = 20
TARGET_KINDS = ("revenue", "clients")


def _try(parser: Any, value: object) -> Any:
    try:
        return parser(value)
    except (PydanticCustomError, ValueError, TypeError):
        return None


def _names(stages: object) -> list[str]:
    if not isinstance(stages, list):
        return []
    return [
        s["name"].strip() for s in stages if isinstance(s, dict) and isinstance(s.get("name"), str)
    ]


def segment_problems(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """The rules of `segments:`, on raw data: one form of target for all, shares adding up to
    100% (or targets to the company's), overrides of stages that exist, and nothing shared that
    every segment would count again."""
    segments = data.get("segments")
    if not isinstance(segments, dict) or not segments:
        return []
    if len(segments) > MAX_SEGMENTS:
        return [(("segments",), f"has {len(segments):,} segments; at most {MAX_SEGMENTS}")]
    problems = _shared_problems(data)
    stage_names = _names(data.get("stages"))
    forms: dict[str, str] = {}
    for name, segment in segments.items():
        if not isinstance(segment, dict):
            continue
        at: Loc = ("segments", name)
        problems += _key_problems(at, segment, stage_names)
        has_share, has_target = segment.get("share") is not None, segment.get("target") is not None
        if has_share == has_target:
            problems.append(
                (at, "give it a share of the company target (share: 40%) or its own target")
            )
        else:
            forms[name] = "share" if has_share else "target"
    if len(set(forms.values())) > 1:
        first = next(iter(forms.values()))
        odd = [name for name, form in forms.items() if form != first]
        problems += [
            (("segments", name), "give every segment a share, or every segment its own target")
            for name in odd
        ]
    elif forms and len(forms) == len(segments):
        if "share" in forms.values():
            problems += _share_problems(segments)
        else:
            problems += _target_sum_problems(data, segments)
    return problems


def _shared_problems(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for key in PER_SEGMENT:
        if data.get(key):  # a model's dump gives an empty pipeline: nothing shared
            problems.append(
                (
                    (key,),
                    f"with segments, give each segment its own {key}: shared, it would count "
                    "in every segment",
                )
            )
    sources = data.get("sources")
    for stage, entries in sources.items() if isinstance(sources, dict) else ():
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            if isinstance(entry, dict) and entry.get("volume") is not None:
                problems.append(
                    (
                        ("sources", stage, index, "volume"),
                        "with segments, a fixed volume would count in every segment: give it "
                        "in the sources of the segment it belongs to",
                    )
                )
    target = data.get("target")
    if isinstance(target, dict) and target.get("growth") is not None:
        problems.append(
            (("target", "growth"), "with segments, give target.revenue or target.clients")
        )
    return problems


def _key_problems(
    at: Loc, segment: dict[str, Any], stage_names: list[str]
) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for key in segment:
        if key in COMPANY_KEYS:
            why = "its name is its key" if key == "name" else f"{key} is the company's"
            problems.append(((*at, key), f"a segment cannot set {key}: {why}"))
    target = segment.get("target")
    if isinstance(target, dict) and target.get("growth") is not None:
        problems.append(
            ((*at, "target", "growth"), "a segment's target is revenue or clients, which add up")
        )
    stages = segment.get("stages")
    if isinstance(stages, dict):
        folded = [name.casefold() for name in stage_names]
        for key, overrides in stages.items():
            where: Loc = (*at, "stages", key)
            if str(key).strip().casefold() not in folded:
                hint = did_you_mean(str(key), stage_names)
                problems.append((where, f"no stage is named '{excerpt(key)}'{hint}"))
            elif not isinstance(overrides, dict):
                problems.append((where, "must be a mapping of the stage's keys, e.g. {rate: 3%}"))
            elif "name" in overrides:
                problems.append(((*where, "name"), "a segment cannot rename a shared stage"))
    elif isinstance(stages, list) and stage_names:
        own = _names(stages)
        last = stage_names[-1]
        if own and own[-1].casefold() != last.casefold():
            problems.append(
                (
                    (*at, "stages"),
                    f"ends with '{excerpt(own[-1])}': every segment ends with the company's last "
                    f"stage, '{excerpt(last)}', so the roll-up can add them up",
                )
            )
    return problems


def _percent(share: Decimal) -> str:
    return f"{plain(share.scaleb(2)):f}%"


def _share_problems(segments: dict[str, Any]) -> list[tuple[Loc, str]]:
    shares = [_try(parse_share, segment["share"]) for segment in segments.values()]
    if None in shares:
        return []
    total = exact_sum(s for s in shares if s is not None)
    if total != 1:
        return [(("segments",), f"the shares add up to {_percent(total)}, not 100%")]
    return []


def _target_sum_problems(data: dict[str, Any], segments: dict[str, Any]) -> list[tuple[Loc, str]]:
    company = data.get("target")
    kind = next((k for k in TARGET_KINDS if isinstance(company, dict) and k in company), None)
    if kind is None:
        return []
    problems: list[tuple[Loc, str]] = []
    values: list[Decimal] = []
    parse = parse_money if kind == "revenue" else parse_clients
    for name, segment in segments.items():
        target = segment["target"]
        if not isinstance(target, dict):
            continue
        if target.get(kind) is None:
            problems.append(
                (("segments", name, "target"), f"give target.{kind}, as the company target does")
            )
            continue
        value = _try(parse, target[kind])
        if value is not None:
            values.append(Decimal(value))
    whole = _try(parse, company.get(kind) if isinstance(company, dict) else None)
    if problems or whole is None or len(values) != len(segments):
        return problems
    total = exact_sum(values)
    if total != Decimal(whole):
        return [
            (
                ("segments",),
                f"the segments' target.{kind} add up to {plain(total):f}, but the company's is "
                f"{plain(Decimal(whole)):f}: the company target is their sum",
            )
        ]
    return []


def override_key(data: dict[str, Any], segment: str, key: str) -> str:
    """A key path of a segment's goals (`stages[1].rate`, `deal_size`) as the key that sets it
    in the file: `segments.SMB.stages.leads.rate`, so that it wins over the shared value."""
    if key.strip().startswith("segments.") or key.strip().startswith("segments["):
        return key
    own = data["segments"][segment].get("stages")
    prefix = f"segments.{segment}."
    if key.startswith("stages[") and not isinstance(own, list):
        index, _, rest = key.removeprefix("stages[").partition("]")
        names = _names(data.get("stages"))
        if index.isdigit() and int(index) < len(names):
            return f"{prefix}stages.{names[int(index)]}{rest}"
    return prefix + key


def segment_target(data: dict[str, Any], name: str) -> dict[str, Any]:
    """A segment's target: its own, or its share of the company's. A share of a revenue target
    is exact (revenue × share); a share of a clients target is ⌈clients × share⌉, the fewest
    whole clients that never leave the segment short of its share."""
    segment = data["segments"][name]
    if segment.get("target") is not None:
        return dict(segment["target"])
    share = parse_share(segment["share"])
    company = data["target"]
    if company.get("revenue") is not None:
        return {"revenue": EXACT.multiply(parse_money(company["revenue"]), share)}
    clients = parse_clients(company["clients"])
    return {"clients": math.ceil(clients * Fraction(share))}


def segment_data(data: dict[str, Any], name: str) -> tuple[dict[str, Any], dict[Loc, Loc]]:
    """The goals data of one segment, and where each overridden key was written in the file
    (a location in the segment's data → its location in the file's)."""
    segment: dict[str, Any] = data["segments"][name]
    at: Loc = ("segments", name)
    document = {key: _copy(value) for key, value in data.items() if key not in NOT_INHERITED}
    moved: dict[Loc, Loc] = {}
    for key, value in segment.items():
        if key in OWN_KEYS or key in COMPANY_KEYS:
            continue
        if key == "stages" and isinstance(value, dict):
            _merge_stages(document, value, at, moved)
        elif isinstance(value, dict) and isinstance(document.get(key), dict):
            _merge(document[key], value, (key,), (*at, key), moved)
        else:
            document[key] = _copy(value)
            moved[(key,)] = (*at, key)
    company = data.get("name")
    titled = f"{company}: {name}" if isinstance(company, str) else str(name)
    if len(titled) <= MAX_NAME_LENGTH:  # titles say which segment; a longer one keeps the file's
        document["name"] = titled
    document["target"] = segment_target(data, name)
    moved[("target",)] = (*at, "target" if segment.get("target") is not None else "share")
    return document, moved


def _merge(
    into: dict[str, Any], value: dict[str, Any], loc: Loc, origin: Loc, moved: dict[Loc, Loc]
) -> None:
    for key, inner in value.items():
        if isinstance(inner, dict) and isinstance(into.get(key), dict):
            _merge(into[key], inner, (*loc, key), (*origin, key), moved)
        else:
            into[key] = _copy(inner)
            moved[(*loc, key)] = (*origin, key)


def _merge_stages(
    document: dict[str, Any], value: dict[str, Any], at: Loc, moved: dict[Loc, Loc]
) -> None:
    stages = document.get("stages")
    if not isinstance(stages, list):
        return
    folded = [n.casefold() for n in _names(stages)]
    for key, overrides in value.items():
        name = str(key).strip().casefold()
        if name not in folded or not isinstance(overrides, dict):
            continue
        index = folded.index(name)
        stage = stages[index]
        for field, inner in overrides.items():
            stage[field] = _copy(inner)
            moved[("stages", index, field)] = (*at, "stages", key, field)


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _copy(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_copy(item) for item in data]
    return data
