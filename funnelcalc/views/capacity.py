"""Sales capacity as a report: each role's figures, its months (need, heads, ramped capacity,
hires, requisitions, leavers), a chart of capacity against need, the hiring plan, and the
verdict; and its JSON document."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction
from typing import Any

from funnelcalc.report import Bar, Cell, Chart, Facts, Note, Report, Section, Table
from funnelcalc.staffing import GROWTH, Capacity, Hire, RoleCapacity, Staffing
from funnelcalc.views.cells import (
    count,
    count_cell,
    displayed,
    money,
    number,
    percent,
    ratio_cell,
    table,
)
from funnelcalc.views.plan import title
from funnelcalc.views.plan_json import SCHEMA_VERSION

BEFORE = "⚠"


def amount(value: Fraction) -> str:
    """A figure that may not be whole: exact to two places, else ≈."""
    shown = displayed(value)
    return ("" if Fraction(shown) == value else "≈") + number(shown)


def _exact(value: Fraction) -> Any:
    """A figure for machines: an integer when whole, else kept to four places."""
    return value.numerator if value.denominator == 1 else displayed(value, 4)


def _percent(value: Fraction) -> str:
    return percent(displayed(value, 6))


def per_head_text(staffing: Staffing, currency: str, deal_size: Any) -> str:
    """What a ramped head produces a month, and how it is worked out."""
    made = f"{amount(staffing.per_head)} {staffing.stage} a month per ramped head"
    parts = []
    if staffing.quota is not None:
        quota = money(displayed(staffing.quota), currency)
        parts.append(f"{quota} quota ÷ {money(deal_size, currency)} deal size")
    else:
        parts.append(f"{amount(staffing.per_head / staffing.attainment)} {staffing.stage}")
    if staffing.attainment != 1:
        parts.append(f"{_percent(staffing.attainment)} attainment")
    return f"{made} ({' × '.join(parts)})" if len(parts) > 1 or staffing.quota else made


def ramp_text(staffing: Staffing) -> str:
    """The ramp curve as people write it: 25% → 50% → 75% → 100% from month 4."""
    if not staffing.ramp_months:
        return "productive from the first month"
    steps = " → ".join(_percent(step) for step in staffing.ramp[: staffing.ramp_months])
    return f"{steps} → 100% from month {staffing.ramp_months + 1}"


def role_facts(result: Capacity, role: RoleCapacity) -> Facts:
    """A role's figures, as the file gives them."""
    staffing = role.staffing
    deal_size = result.plan.deal_size
    items = (
        ("Works", staffing.stage),
        ("Productivity", per_head_text(staffing, result.currency, deal_size)),
        ("Ramp", ramp_text(staffing)),
        ("Attrition", f"{_percent(staffing.attrition)} of ramped heads a year, each replaced"),
        ("Hiring lead time", staffing.lead_time or "none: a requisition fills the day it opens"),
        ("Heads today", f"{count(staffing.heads)}, ramped"),
    )
    return Facts(staffing.name, items)


def month_table(role: RoleCapacity) -> Table:
    """A row per month: the need, the heads, what they produce, the moves, the verdict."""
    name, stage = role.staffing.name, role.staffing.stage
    specs = [
        ("period", "Period"),
        ("need", f"{stage} needed", "count"),
        ("heads_needed", "Heads needed", "count"),
        ("heads", "Heads", "count"),
        ("ramped_heads", "Ramped", "number"),
        ("capacity", "Capacity", "number"),
        ("starting", "Start", "count"),
        ("requisitions", "Reqs open", "count"),
        ("leaving", "Leave", "count"),
        ("status", "Status"),
    ]
    rows = []
    for month in role.months:
        label = f"{month.label} {BEFORE}" if month.before_start else month.label
        short = month.short
        status = Cell(not short, "✓" if not short else f"✗ short {amount(short)}")
        rows.append(
            (
                Cell(month.label, label),
                month.need,
                month.heads_needed,
                month.heads,
                ratio_cell(month.ramped, amount),
                ratio_cell(month.capacity, amount),
                count_cell(month.starting) if month.starting else Cell(0, ""),
                count_cell(month.opening) if month.opening else Cell(0, ""),
                count_cell(month.leaving) if month.leaving else Cell(0, ""),
                status,
            )
        )
    return table(f"{name}: {stage} by month", f"capacity {name}", specs, rows)


CHART_SCALE = 10_000
"""Bars are whole numbers: capacity in ten-thousandths keeps 0.6 and 1.2 apart (1:2)."""


def capacity_chart(role: RoleCapacity) -> Chart:
    """Capacity by month as bars, the need beside each."""
    stage = role.staffing.stage
    bars = tuple(
        Bar(
            month.label,
            math.floor(month.capacity * CHART_SCALE),
            amount(month.capacity),
            f"need {count(month.need)}" + (" ✗" if month.short else ""),
        )
        for month in role.months
    )
    return Chart("bars", f"{role.staffing.name} capacity by month ({stage})", "", bars)


def _day(value: date) -> str:
    return value.isoformat()


def hiring_table(result: Capacity) -> Table | None:
    """Every hire: the role, why, when its requisition opens, when it starts and is ramped."""
    specs = [
        ("role", "Role"),
        ("heads", "Heads", "count"),
        ("reason", "Why"),
        ("opens", "Open req by", "date"),
        ("starts", "Starts", "date"),
        ("ramped", "Ramped", "date"),
        ("late", "Late"),
    ]
    rows = [
        (
            role.staffing.name,
            hire.count,
            Cell(hire.reason, _reason(hire)),
            Cell(hire.opens, _day(hire.opens)),
            Cell(hire.starts, _day(hire.starts)),
            Cell(hire.ramped, _day(hire.ramped)),
            Cell(hire.late, "⚠ late" if hire.late else ""),
        )
        for role in result.roles
        for hire in role.hires
    ]
    return table("Hiring plan", "hires", specs, rows) if rows else None


def _reason(hire: Hire) -> str:
    if hire.reason == GROWTH:
        return f"growth: ramped for {hire.needed}"
    return "replaces a leaver"


def verdict(result: Capacity) -> Note:
    """Whether the team covers the plan."""
    short = [
        f"{role.staffing.name} in {', '.join(m.label for m in role.short_months)}"
        for role in result.roles
        if role.short_months
    ]
    broken = [
        f"{key} {count(result.used(key))} over the limit of {count(result.limits[key])}"
        for key in result.broken
    ]
    if not short and not broken:
        return Note("The team covers the plan every month.")
    found = ([f"capacity is short: {'; '.join(short)}"] if short else []) + broken
    return Note(f"✗ {'; '.join(found)}.", "failure")


def notes(result: Capacity) -> list[Note]:
    """Late requisitions, months before the start, and how the figures are worked out."""
    found = []
    late = sum(role.late for role in result.roles)
    if late:
        found.append(
            Note(
                f"⚠ {count(late)} requisition{'s' if late != 1 else ''} would have to open before "
                f"the plan starts ({_day(result.plan_start)}): open them at once; they start "
                "later than planned.",
                "warning",
            )
        )
    gaps = [
        role.staffing.name
        for role in result.roles
        if role.short_months and any(month.leaving for month in role.months)
    ]
    if gaps:
        found.append(
            Note(
                f"⚠ {', '.join(gaps)}: a leaver's capacity is gone until the replacement has "
                "started and ramped; months short for that are what attrition costs (hold more "
                "heads than the need, or hire sooner).",
                "warning",
            )
        )
    if result.cut:
        found.append(
            Note(
                f"{', '.join(result.cut)}: only partly in the plan, planned as whole months "
                "(a team is hired and paid by the month)."
            )
        )
    if any(m.before_start for role in result.roles for m in role.months):
        found.append(Note(f"{BEFORE} Work the plan needs before it starts (stage lags)."))
    found.append(
        Note(
            "Heads needed = ⌈need ÷ what a ramped head produces⌉. Capacity = Σ heads × their "
            "ramp at their tenure × what a ramped head produces. Attrition: whole heads leave "
            "when the expected leavers (ramped heads × attrition ÷ 12 a month) pass a whole "
            "number; each is replaced after the lead time."
        )
    )
    return found


def report(result: Capacity) -> Report:
    """The verdict, each role's figures, months and chart, then the hiring plan."""
    sections: list[Section] = [verdict(result)]
    for role in result.roles:
        sections += [role_facts(result, role), month_table(role), capacity_chart(role)]
    hiring = hiring_table(result)
    if hiring is not None:
        sections.append(hiring)
    limits = [
        (key, f"{count(result.used(key))} of at most {count(most)}")
        for key, most in result.limits.items()
    ]
    if limits:
        sections.append(Facts("Limits", tuple(limits)))
    sections += notes(result)
    return Report(f"{title(result.plan)}: sales capacity", tuple(sections))


def _hire(hire: Hire) -> dict[str, Any]:
    return {
        "heads": hire.count,
        "reason": hire.reason,
        "needed": hire.needed,
        "opens": _day(hire.opens),
        "starts": _day(hire.starts),
        "ramped": _day(hire.ramped),
        "late": hire.late,
    }


def role_document(role: RoleCapacity) -> dict[str, Any]:
    """A role's figures, months and hires."""
    staffing = role.staffing
    return {
        "name": staffing.name,
        "stage": staffing.stage,
        "per_head": _exact(staffing.per_head),
        "quota": _exact(staffing.quota) if staffing.quota is not None else None,
        "attainment": _exact(staffing.attainment),
        "ramp": [_exact(step) for step in staffing.ramp],
        "attrition": _exact(staffing.attrition),
        "lead_time": staffing.lead_time,
        "heads": staffing.heads,
        "months": [
            {
                "period": month.label,
                "start": _day(month.start),
                "before_start": month.before_start,
                "need": month.need,
                "heads_needed": month.heads_needed,
                "heads": month.heads,
                "ramped_heads": _exact(month.ramped),
                "capacity": _exact(month.capacity),
                "starting": month.starting,
                "requisitions": month.opening,
                "leaving": month.leaving,
                "short": _exact(month.short),
            }
            for month in role.months
        ],
        "hires": [_hire(hire) for hire in role.hires],
    }


def document(result: Capacity) -> dict[str, Any]:
    """Whether the team covers the plan, each role by month, and the limits on the team."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": result.plan.name,
        "scenario": result.plan.scenario,
        "covered": result.covered,
        "heads": result.most_heads,
        "hires": result.hired,
        "late": sum(role.late for role in result.roles),
        "limits": {
            key: {"limit": most, "needed": result.used(key), "holds": key not in result.broken}
            for key, most in result.limits.items()
        },
        "cut": list(result.cut),
        "roles": [role_document(role) for role in result.roles],
    }
