"""Rules that tie keys together (target and deal size, limits and stages, sources and
shares), checked on the raw data so they are reported beside the field errors."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from funnelcalc.bounds import RESERVED
from funnelcalc.errors import did_you_mean
from funnelcalc.keypath import BASE, Loc
from funnelcalc.limit_rules import economics_problems, limit_problems
from funnelcalc.segments import segment_problems
from funnelcalc.source_rules import rate_given_by_sources, source_problems
from funnelcalc.team import TEAM_LIMITS, team_problems
from funnelcalc.timevalues import parse_date, parse_weight
from funnelcalc.values import MAX_STAGES, parse_count

STRUCTURE_ERROR = "funnel_structure"


def structure_problems(data: object) -> list[tuple[Loc, str]]:
    """Rules that tie keys together, checked on raw data so they show beside field errors."""
    if not isinstance(data, dict):
        return []
    problems = _target_problems(data) + _period_problems(data.get("period"))
    stages = data.get("stages")
    if isinstance(stages, list):
        names = [
            stage["name"].strip()
            for stage in stages
            if isinstance(stage, dict) and isinstance(stage.get("name"), str)
        ]
        problems.extend(_stage_problems(stages, data.get("sources")))
        problems.extend(limit_problems(data, names))
        problems.extend(economics_problems(data, names))
        problems.extend(source_problems(data.get("sources"), names))
        problems.extend(_pipeline_problems(data, names))
        problems.extend(team_problems(data, names))
    problems.extend(segment_problems(data))
    scenarios = data.get("scenarios")
    if isinstance(scenarios, dict):
        problems.extend(
            (("scenarios", name), f"'{name}' names the plan without a scenario: choose another")
            for name in scenarios
            if str(name).strip().casefold() == BASE.casefold()
        )
    return problems


MAX_ENTRIES = {
    ("scenarios",): 100,
    ("fixed_costs",): 200,
    ("limits",): MAX_STAGES + len(RESERVED) + len(TEAM_LIMITS),
    ("team",): 20,
    ("period", "holidays"): 1000,
}
"""The most entries each list or mapping may hold: far more than any plan needs, few enough
that every file within 1 MiB is checked in well under a second."""
MAX_SOURCES = 100
MAX_SET_KEYS = 200


def size_problems(data: object) -> list[tuple[Loc, str]]:
    """Too many entries of a kind: checked first, and alone (checking 20,000 scenarios one by
    one would take minutes)."""
    if not isinstance(data, dict):
        return []
    problems: list[tuple[Loc, str]] = []
    for loc, most in MAX_ENTRIES.items():
        value: object = data
        for key in loc:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, dict | list) and len(value) > most:
            problems.append((loc, f"has {len(value):,} entries; at most {most:,} are allowed"))
    for group, most in (("sources", MAX_SOURCES), ("scenarios", MAX_SET_KEYS)):
        entries = data.get(group)
        if not isinstance(entries, dict) or len(entries) > MAX_ENTRIES.get((group,), MAX_STAGES):
            continue
        for name, entry in entries.items():
            inner = entry.get("set") if group == "scenarios" and isinstance(entry, dict) else entry
            if isinstance(inner, dict | list) and len(inner) > most:
                where: Loc = (group, name, "set") if group == "scenarios" else (group, name)
                problems.append(
                    (where, f"has {len(inner):,} entries; at most {most:,} are allowed")
                )
    return problems


def _try(parser: Any, value: object) -> Any:
    """The parsed value, or None where the field check will report the problem."""
    try:
        return parser(value)
    except (PydanticCustomError, ValueError, TypeError):
        return None


MAX_UNITS = {"months": 120, "quarters": 40, "weeks": 520}


def _period_problems(period: object) -> list[tuple[Loc, str]]:
    if not isinstance(period, dict):
        return []
    given = [unit for unit in MAX_UNITS if period.get(unit) is not None]
    if len(given) != 1:
        return [(("period",), "give its length as one of months, quarters or weeks")]
    unit = given[0]
    length = _try(parse_count, period[unit])
    if length is not None and length > MAX_UNITS[unit]:
        return [(("period", unit), f"a plan runs at most {MAX_UNITS[unit]} {unit}")]
    weights = period.get("seasonality")
    if length is None or not isinstance(weights, list):
        return []
    start = _try(parse_date, period.get("start"))
    months = _months_touched(start, length) if unit == "weeks" and start else None
    return _seasonality_problems(weights, unit, length, months)


def _months_touched(start: Any, weeks: int) -> int:
    """How many calendar months a weekly period touches."""
    from datetime import timedelta  # noqa: PLC0415 (only weekly plans need it)

    last = start + timedelta(weeks=weeks) - timedelta(days=1)
    return int((last.year - start.year) * 12 + last.month - start.month + 1)


def _seasonality_problems(
    weights: list[Any], unit: str, length: int, months: int | None
) -> list[tuple[Loc, str]]:
    by_quarter = unit == "months" and length % 3 == 0
    by_month = months is not None and len(weights) in (12, months)
    if len(weights) != length and not (by_quarter and len(weights) == length // 3) and not by_month:
        per = f"one per {unit[:-1]}" + (" or one per quarter" if by_quarter else "")
        if months is not None:
            per += f" or one per month ({months}, or 12 repeated)"
        return [(("period", "seasonality"), f"has {len(weights)} weights; give {per}")]
    parsed = [_try(parse_weight, weight) for weight in weights]
    if None not in parsed and sum(parsed) == 0:
        return [(("period", "seasonality"), "the weights add up to 0: no closes would happen")]
    return []


def _target_problems(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    target = data.get("target")
    if not isinstance(target, dict):
        return []
    given = [key for key in ("revenue", "clients", "growth") if target.get(key) is not None]
    has_baseline = data.get("baseline") is not None
    problems: list[tuple[Loc, str]] = []
    if len(given) > 1:
        problems.append((("target",), f"give either {' or '.join(given)}, not both"))
    elif not given:
        wanted = "revenue or growth" if has_baseline else "revenue (with deal_size) or clients"
        problems.append((("target",), f"give {wanted}: what must the plan win?"))
    if "growth" in given and not has_baseline:
        problems.append(
            (("target", "growth"), "growth is over a baseline: add `baseline:` with its revenue")
        )
    if "clients" in given and has_baseline:
        problems.append(
            (
                ("target", "clients"),
                "with a baseline, the target is revenue: give target.revenue or target.growth",
            )
        )
    if given and given[0] in ("revenue", "growth") and data.get("deal_size") is None:
        problems.append(
            (
                ("target", given[0]),
                "needs deal_size at the top level: the average revenue per new client",
            )
        )
    return problems


def _pipeline_problems(data: dict[str, Any], names: list[str]) -> list[tuple[Loc, str]]:
    pipeline = data.get("pipeline")
    if not isinstance(pipeline, dict):
        return []
    problems: list[tuple[Loc, str]] = []
    folded = [name.casefold() for name in names]
    period = data.get("period")
    if pipeline and isinstance(period, dict) and period.get("continuous") is True:
        problems.append(
            (
                ("pipeline",),
                "period.continuous assumes the previous period left its pipeline at run-rate; "
                "give pipeline or continuous, not both",
            )
        )
    for key in pipeline:
        name = str(key).strip().casefold()
        if name not in folded:
            problems.append(
                (("pipeline", key), f"no stage is named '{key}'{did_you_mean(str(key), names)}")
            )
        elif folded.index(name) == len(folded) - 1:
            problems.append(
                (("pipeline", key), "the last stage is already won: it is not pipeline")
            )
        else:
            problems.extend(_rateless_below(data, names, folded.index(name), key))
    return problems


def _rateless_below(
    data: dict[str, Any], names: list[str], index: int, key: str
) -> list[tuple[Loc, str]]:
    """Open pipeline converts at the stages' own rates: a stage below it must have one."""
    stages = data.get("stages")
    if not isinstance(stages, list):
        return []
    for below in range(index + 1, len(stages)):
        stage = stages[below]
        if isinstance(stage, dict) and stage.get("rate") is None:
            return [
                (
                    ("pipeline", key),
                    f"open pipeline converts at the stages' own rates: give {names[below]} a "
                    "rate (its sources' rates apply only to what they bring)",
                )
            ]
    return []


def _stage_problems(stages: list[Any], sources: object) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if len(stages) < 2:
        problems.append(
            (("stages",), "a funnel needs at least two stages: the top and the paying clients")
        )
    if len(stages) > MAX_STAGES:
        problems.append((("stages",), f"a funnel has at most {MAX_STAGES} stages"))
        return problems
    seen: dict[str, int] = {}
    for index, stage in enumerate(stages):
        if not isinstance(stage, dict):
            continue
        rate = stage.get("rate")
        if index == 0 and stage.get("per") is not None:
            problems.append(
                (("stages", 0, "per"), "the top stage has no stage above it, so no per; remove it")
            )
        elif index == 0 and rate is not None:
            problems.append(
                (
                    ("stages", 0, "rate"),
                    "the first stage is the top of the funnel: it has no stage above it, "
                    "so no rate; remove it",
                )
            )
        if index == 0 and stage.get("lag") is not None:
            problems.append(
                (("stages", 0, "lag"), "the top stage has no stage above it, so no lag; remove it")
            )
        rateless = rate is None and stage.get("per") is None
        if index > 0 and rateless and not rate_given_by_sources(stages, sources, index):
            above = stages[index - 1].get("name") if isinstance(stages[index - 1], dict) else None
            share = f"the share of {above} that" if isinstance(above, str) else "the share that"
            name = stage.get("name")
            sourced = (
                isinstance(sources, dict)
                and isinstance(name, str)
                and any(str(key).strip().casefold() == name.strip().casefold() for key in sources)
            )
            also = " (or a rate on each of its share sources)" if sourced else ""
            problems.append((("stages", index), f"needs a rate: {share} reaches this stage{also}"))
        name = stage.get("name")
        if isinstance(name, str) and name.strip():
            folded = name.strip().casefold()
            if folded in seen:
                problems.append(
                    (
                        ("stages", index, "name"),
                        f"'{name.strip()}' is already the name of stage {seen[folded] + 1}; "
                        "stage names must be unique",
                    )
                )
            else:
                seen[folded] = index
    return problems
