"""The limits checked: each limit's need and headroom, and whether all hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnelcalc.capacity import RoleCapacity
from funnelcalc.keypath import BASE
from funnelcalc.limits import Check
from funnelcalc.report import Annotation, Cell, Note, Report, Section, Table
from funnelcalc.views.capacity import amount
from funnelcalc.views.cells import count, displayed, money, table
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


def show(value: int | Decimal, currency: str) -> str:
    """A limit's figure: a count, or money for the budget."""
    return count(value) if isinstance(value, int) else money(value, currency)


def report(result: Check) -> Report:
    """A row per limit per checked plan, then the verdict."""

    rows = []
    for item in result.results:
        room = item.headroom
        sign = "+" if room > 0 else "−" if room < 0 else "±"
        status = "✓ holds" if item.holds else f"✗ over by {show(-room, result.currency)}"
        shown = Cell(room, sign + show(-room if room < 0 else room, result.currency))
        rows.append(
            (item.scenario, item.stage, item.limit, item.needed, shown, Cell(item.holds, status))
        )
    specs = [
        ("scenario", "Scenario"),
        ("stage", "Stage"),
        ("limit", "Limit", "number"),
        ("needed", "Needed", "number"),
        ("headroom", "Headroom", "number"),
        ("holds", "Status"),
    ]
    sections: list[Section] = []
    if rows:
        sections.append(table(None, "limits", specs, rows, result.currency))
    if result.capacity:
        sections.append(_capacity_table(result))
    sections.append(Note(summary(result), "info" if result.passed else "failure"))
    return Report(f"Limits of {result.source}", tuple(sections))


def _short_text(role: RoleCapacity) -> str:
    return ", ".join(
        f"{month.label} (short {amount(month.short)} {role.staffing.stage})"
        for month in role.short_months
    )


def _capacity_table(result: Check) -> Table:
    specs = [("scenario", "Scenario"), ("role", "Role"), ("stage", "Stage"), ("status", "Status")]
    rows = [
        (
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
        limit, needed, over = (
            show(v, result.currency) for v in (item.limit, item.needed, -item.headroom)
        )
        message = (
            f"{item.stage} needs {needed} in the {item.scenario} plan: "
            f"over its limit of {limit} by {over}"
        )
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
    return {
        "schema_version": SCHEMA_VERSION,
        "passed": result.passed,
        "limits": [
            {
                "scenario": item.scenario,
                "stage": item.stage,
                "limit": item.limit,
                "needed": item.needed,
                "headroom": item.headroom,
                "holds": item.holds,
            }
            for item in result.results
        ],
    } | ({"capacity": _capacity_document(result)} if result.capacity else {})


def _capacity_document(result: Check) -> list[dict[str, Any]]:
    return [
        {
            "scenario": team.plan.scenario or BASE,
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
