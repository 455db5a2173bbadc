"""Rules that tie `limits:`, `unit_economics:` and `pipeline_from:` to the rest of the file:
a limit names a stage or a figure the plan can work out, with what that figure needs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic_core import PydanticCustomError

from funnelcalc.bounds import COVERAGE, LTV_CAC, PAYBACK, RATIO_LIMITS, RESERVED, ROAS
from funnelcalc.errors import did_you_mean
from funnelcalc.keypath import BUDGET, Loc
from funnelcalc.safetext import excerpt
from funnelcalc.team import TEAM_LIMITS, team_limit_problem
from funnelcalc.values import Bounds, parse_churn, parse_limit


def _parsed(parser: Any, value: object) -> Any:
    """The parsed value, or None where the field check will report the problem."""
    try:
        return parser(value)
    except (PydanticCustomError, ValueError, TypeError):
        return None


def limit_problems(data: dict[str, Any], names: list[str]) -> list[tuple[Loc, str]]:
    """Each limit names a stage, the budget or a ratio, with bounds that fit it."""
    limits = data.get("limits")
    if not isinstance(limits, dict):
        return []
    known = {name.casefold() for name in names}
    problems: list[tuple[Loc, str]] = []
    for key, value in limits.items():
        folded = str(key).strip().casefold()
        parsed = _parsed(parse_limit, value)
        bounds = [] if parsed is None else _bound_values(parsed)
        if folded in RESERVED and folded in known:
            problems.append((("limits", key), f"a stage is named {folded} too: rename the stage"))
        elif folded == BUDGET:
            problems += [(("limits", key), p) for p in _budget_problems(data, bounds)]
        elif folded in RATIO_LIMITS:
            problems.extend(_ratio_limit_problems(data, key, folded, bounds))
        elif folded in TEAM_LIMITS and (data.get("team") or folded not in known):
            problem = team_limit_problem(data, str(key), known) or _heads_problem(folded, parsed)
            if problem is not None:
                problems.append((("limits", key), problem))
        elif folded not in known:
            hint = did_you_mean(str(key), [*names, *RESERVED])
            problems.append((("limits", key), f"no stage is named '{excerpt(key)}'{hint}"))
        elif any(isinstance(b, str) for b in bounds):
            problems.append(
                (
                    ("limits", key),
                    "a share of revenue limits the budget; a stage's limit is a volume",
                )
            )
        elif any(isinstance(b, Decimal) and b != b.to_integral_value() for b in bounds):
            problems.append((("limits", key), "a limit on a stage must be a whole number"))
    return problems


_COST = "a cost (a stage's cost, a source's cost or fixed_costs)"


def _budget_problems(data: dict[str, Any], bounds: list[Any]) -> list[str]:
    if any(isinstance(b, str) for b in bounds) and data.get("deal_size") is None:
        return ["a budget as a share of revenue needs deal_size"]
    if not _has_cost(data):
        return [f"a limit on the budget needs {_COST}"]
    return []


def _heads_problem(name: str, parsed: Any) -> str | None:
    """A team limit is the most heads (or hires): one whole number."""
    if isinstance(parsed, Bounds):
        return f"a limit on {name} is the most: a whole number, not min and max"
    if isinstance(parsed, Decimal) and parsed != parsed.to_integral_value():
        return f"a limit on {name} must be a whole number of heads"
    if parsed is not None and not isinstance(parsed, Decimal):
        return f"a limit on {name} must be a whole number of heads"
    return None


def _bound_values(parsed: Any) -> list[Any]:
    return [parsed.min, parsed.max] if isinstance(parsed, Bounds) else [parsed]


def _has_cost(data: dict[str, Any]) -> bool:
    """Whether anything in the file costs money: a stage, a source or a fixed cost."""
    stages = data.get("stages") or []
    sources = data.get("sources") if isinstance(data.get("sources"), dict) else {}
    entries = [e for group in (sources or {}).values() if isinstance(group, list) for e in group]
    return bool(data.get("fixed_costs")) or any(
        isinstance(item, dict) and item.get("cost") is not None for item in [*stages, *entries]
    )


def _ratio_limit_problems(
    data: dict[str, Any], key: object, name: str, bounds: list[Any]
) -> list[tuple[Loc, str]]:
    """What a ratio's limit needs to be worked out: a deal size, costs, unit economics."""
    where: Loc = ("limits", str(key))
    if any(isinstance(b, str) for b in bounds):
        return [(where, f"{name} is not a share of revenue: write a plain number")]
    needs: list[str] = []
    if name in (COVERAGE, ROAS, PAYBACK, LTV_CAC) and data.get("deal_size") is None:
        needs.append("deal_size")
    if name != COVERAGE and not _has_cost(data):
        needs.append(_COST)
    economics = data.get("unit_economics")
    economics = economics if isinstance(economics, dict) else {}
    wanted = {PAYBACK: ("arpa", "margin"), LTV_CAC: ("arpa", "margin", "logo_churn")}
    needs += [f"unit_economics.{k}" for k in wanted.get(name, ()) if economics.get(k) is None]
    if needs:
        return [(where, f"a limit on {name} needs {' and '.join(needs)}")]
    churn = _parsed(parse_churn, economics.get("logo_churn"))
    if name == LTV_CAC and churn == 0:
        return [
            (
                where,
                "with a logo churn of 0 LTV is unbounded, so LTV:CAC is too and an ltv_cac "
                "limit says nothing: give unit_economics.logo_churn above 0",
            )
        ]
    return []


def economics_problems(data: dict[str, Any], names: list[str]) -> list[tuple[Loc, str]]:
    """unit_economics needs its time unit; pipeline_from names a stage below the top."""
    problems: list[tuple[Loc, str]] = []
    economics = data.get("unit_economics")
    if isinstance(economics, dict) and economics.get("per") is None:
        given = [k for k in ("arpa", "logo_churn") if economics.get(k) is not None]
        if given:
            problems.append(
                (
                    ("unit_economics",),
                    f"{' and '.join(given)} {'need their' if len(given) > 1 else 'needs its'} "
                    "time unit: add per: month or per: year",
                )
            )
    start = data.get("pipeline_from")
    if isinstance(start, str) and start.strip():
        folded = [name.casefold() for name in names]
        name = start.strip().casefold()
        if name not in folded:
            hint = did_you_mean(start, names)
            problems.append((("pipeline_from",), f"no stage is named '{excerpt(start)}'{hint}"))
        elif folded.index(name) == 0:
            problems.append(
                (("pipeline_from",), "the top stage is not pipeline: name an opportunity stage")
            )
        elif folded.index(name) == len(folded) - 1 and len(folded) > 2:
            problems.append(
                (
                    ("pipeline_from",),
                    "won deals are closed, not pipeline: name the opportunity stage above them",
                )
            )
    return problems
