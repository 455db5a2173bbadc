"""The limits checked: each limit's need and headroom, and whether all hold."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from funnelcalc.bounds import Figure, Unbounded
from funnelcalc.keypath import BASE
from funnelcalc.limits import Check, LimitResult
from funnelcalc.report import Annotation, Cell, Note, Report, Section, Table
from funnelcalc.staffing import RoleCapacity
from funnelcalc.views.capacity import amount
from funnelcalc.views.cells import count, displayed, money, table
from funnelcalc.views.plan_economics import figure_text
from funnelcalc.views.plan_json import SCHEMA_VERSION


def summary(result: Check) -> str:
    """One line: how many limits hold (and, with a team, whether it covers the plan)."""
    if result.capacity:
        return _limit_summary(result) + " " + _team_summary(result)
    return _limit_summary(result)


def _team_summary(result: Check) -> str:
    short = sum(bool(role.short_months) for team in result.capacity for role in team.roles)
    if not short:
        return "The team covers every month."
    return f"The team is short in {short} role{'s' if short != 1 else ''}."


def _limit_summary(result: Check) -> str:
    broken = sum(not item.holds for item in result.results)
    total = len(result.results)
    if total == 0:
        if result.capacity:
            return "No limits."
        return f"{result.source} sets no limits: nothing to check"
    if total == 1:
        return "The limit holds." if broken == 0 else "The limit is broken."
    if broken == 0:
        return f"All {total} limits hold."
    return f"{broken} of {total} limits broken."


def show(value: Figure, currency: str, unit: str = "count") -> str:
    """A limit's figure: a count, money for the budget or CAC, months, a multiple."""
    if isinstance(value, int) and unit == "count":
        return count(value)
    if isinstance(value, Decimal) and unit in ("count", "money"):
        return money(value, currency) if unit == "money" else count(int(value))
    return figure_text(value, unit, currency)


def _headroom(item: LimitResult, currency: str) -> Cell:
    room = item.headroom
    if room is None:
        return Cell(None, "—")
    sign = "+" if room > 0 else "−" if room < 0 else "±"
    size: Figure = -room if room < 0 else room
    shown = show(size, currency, item.unit)
    approx = "≈" if shown.startswith("≈") else ""  # ≈−16.6, as other signed figures read
    return Cell(_plain(room), approx + sign + shown.removeprefix("≈"))


def _status(item: LimitResult, currency: str) -> str:
    if item.holds:
        return "✓ holds"
    room = item.headroom
    side = "over" if item.bound == "max" else "under"
    return f"✗ {side}" + ("" if room is None else f" by {show(-room, currency, item.unit)}")


def _label(item: LimitResult) -> str:
    """The limited name, with `≥` where the bound is a minimum: "ltv_cac ≥"."""
    return f"{item.stage} ≥" if item.bound == "min" else item.stage


def report(result: Check) -> Report:
    """A row per bound per checked plan (with segments, the plan's segment first), then the
    verdict."""
    cash = result.currency
    segmented = any(item.segment is not None for item in result.results)
    rows = []
    for item in result.results:
        row = (
            item.scenario,
            _label(item),  # "leads ≥" for a minimum, in CSV too: a {min, max} gives two rows
            Cell(_plain(item.limit), show(item.limit, cash, item.unit)),
            Cell(_plain(item.needed), show(item.needed, cash, item.unit)),
            _headroom(item, cash),
            Cell(item.holds, _status(item, cash)),
        )
        rows.append((item.segment or "company", *row) if segmented else row)
    specs: list[tuple[str, ...]] = [("segment", "Segment")] if segmented else []
    specs += [
        ("scenario", "Scenario"),
        ("stage", "Stage"),
        ("limit", "Limit", "number"),
        ("needed", "Needed", "number"),
        ("headroom", "Headroom", "number"),
        ("holds", "Status"),
    ]
    sections: list[Section] = []
    if rows:
        sections.append(table(None, "limits", specs, rows, cash))
    if result.capacity:
        sections.append(_capacity_table(result))
    sections.append(Note(summary(result), "info" if result.passed else "failure"))
    return Report(f"Limits of {result.source}", tuple(sections))


def _plain(value: Figure | Fraction) -> int | Decimal | None:
    """A figure for machines: exact, a ratio to four places, None when unbounded."""
    if isinstance(value, Unbounded):
        return None
    if isinstance(value, Fraction):
        return displayed(value, 4)
    return value


def _short_text(role: RoleCapacity) -> str:
    return ", ".join(
        f"{month.label} (short {amount(month.short)} {role.staffing.stage})"
        for month in role.short_months
    )


def _capacity_table(result: Check) -> Table:
    segmented = any(team.plan.segment for team in result.capacity)
    specs = [("scenario", "Scenario"), ("role", "Role"), ("stage", "Stage"), ("status", "Status")]
    specs = [("segment", "Segment"), *specs] if segmented else specs
    rows = [
        (
            *([team.plan.segment or "company"] if segmented else []),
            team.plan.scenario or BASE,
            role.staffing.name,
            role.staffing.stage,
            Cell(
                not role.short_months,
                f"✗ short in {_short_text(role)}" if role.short_months else "✓ covers every month",
            ),
        )
        for team in result.capacity
        for role in team.roles
    ]
    return table("Sales capacity", "capacity", specs, rows)


def ci_annotations(result: Check) -> list[Annotation]:
    """An error on the line of every broken limit, then the verdict."""
    found = []
    for item in result.results:
        if item.holds:
            continue
        cash, unit = result.currency, item.unit
        limit, needed = show(item.limit, cash, unit), show(item.needed, cash, unit)
        room = item.headroom
        by = "" if room is None else f" by {show(-room, cash, unit)}"
        if item.unit == "count" or item.stage == "budget":
            verb = f"needs {needed}"
        else:
            verb = f"is {needed}"
        side = "over its limit" if item.bound == "max" else "under its minimum"
        where = f"{item.segment}: {item.stage}" if item.segment else item.stage
        message = f"{where} {verb} in the {item.scenario} plan: {side} of {limit}{by}"
        found.append(Annotation("error", result.source, item.line, "Limit broken", message))
    for team in result.capacity:
        for role in team.roles:
            if role.short_months:
                message = (
                    f"{role.staffing.name} cannot produce the {role.staffing.stage} the "
                    f"{team.plan.scenario or BASE} plan needs in {_short_text(role)}"
                )
                found.append(Annotation("error", result.source, None, "Capacity short", message))
    verdict = summary(result)
    if result.passed:
        found.append(Annotation("notice", result.source, None, "", verdict))
    else:
        found.append(Annotation("error", result.source, None, "", verdict))
    return found


def document(result: Check) -> dict[str, Any]:
    """Whether every limit holds, and each limit's figures."""
    segmented = any(item.segment is not None for item in result.results)
    return {
        "schema_version": SCHEMA_VERSION,
        "passed": result.passed,
        "limits": [
            {
                "scenario": item.scenario,
                "stage": item.stage,
                "limit": item.limit,
                "needed": _plain(item.needed),
                "headroom": _plain(item.headroom) if item.headroom is not None else None,
                "holds": item.holds,
                "bound": item.bound,
                "unit": item.unit,
                "unbounded": isinstance(item.needed, Unbounded),
                **({"segment": item.segment} if segmented else {}),
            }
            for item in result.results
        ],
    } | ({"capacity": _capacity_document(result)} if result.capacity else {})


def _capacity_document(result: Check) -> list[dict[str, Any]]:
    return [
        {
            "scenario": team.plan.scenario or BASE,
            **({"segment": team.plan.segment} if team.plan.segment else {}),
            "role": role.staffing.name,
            "stage": role.staffing.stage,
            "covered": not role.short_months,
            "short": [
                {
                    "period": month.label,
                    "need": month.need,
                    "capacity": displayed(month.capacity, 4),
                    "short": displayed(month.short, 4),
                }
                for month in role.short_months
            ],
        }
        for team in result.capacity
        for role in team.roles
    ]
