"""A segmented plan as a report and a JSON document: the company roll-up (the segments side by
side, stages with the same name summed), then each segment's own plan."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from funnelcalc.report import Cell, Facts, Note, Report, Section, Table
from funnelcalc.rollup import one_in as rolled_one_in
from funnelcalc.solver import Plan, SegmentPlan
from funnelcalc.views.cells import (
    NO_OWNER,
    approx_money,
    count,
    money,
    percent,
    ratio_cell,
    table,
    text_cell,
)
from funnelcalc.views.cells import one_in as one_in_text
from funnelcalc.views.plan import (
    assumption_notes,
    capitalised,
    funnel_chart,
    limit_cell,
    limit_notes,
    plan_sections,
    rounding_note,
    target_text,
    title,
    won,
)
from funnelcalc.views.plan_money import money_sections

SPLIT_RULE = (
    "Each segment applies the rounding rule to its own target (the company target × its share, "
    "or its own); the roll-up adds up the segments' plans and is not rounded again."
)


def _segment_target(part: SegmentPlan) -> str:
    plan = part.plan
    if plan.target_revenue is not None:
        return money(plan.target_revenue, plan.currency)
    return f"{count(plan.target_clients or 0)} {won(plan)}"


def summary(plan: Plan) -> Facts:
    """The company target, the segments and what they add up to."""
    lines = [("Target", target_text(plan))]
    shares = [
        f"{part.name} {percent(part.share)}" if part.share is not None else part.name
        for part in plan.segments
    ]
    lines.append(("Segments", ", ".join(shares)))
    parts = " + ".join(count(part.plan.clients) for part in plan.segments)
    lines.append((f"{capitalised(won(plan))} needed", f"{count(plan.clients)} ({parts})"))
    if plan.revenue is not None:
        text = money(plan.revenue, plan.currency)
        if plan.surplus:
            text += f" ({money(plan.surplus, plan.currency)} above the target: "
            text += f"each segment's {won(plan)} come whole)"
        lines.append(("Planned revenue", text))
    return Facts(None, tuple(lines))


def segment_table(plan: Plan) -> Table:
    """A row per segment: share, target, deal size, what it must win, revenue, budget, CAC."""
    rows = []
    for part in plan.segments:
        seg = part.plan
        budget = seg.budget.total if seg.budget is not None else None
        cac = (
            ratio_cell(Fraction(budget) / seg.clients, lambda v: approx_money(v, plan.currency))
            if budget is not None and seg.clients
            else None
        )
        rows.append(
            (
                part.name,
                part.share,
                Cell(seg.target_revenue or seg.target_clients, _segment_target(part)),
                seg.deal_size,
                seg.clients,
                seg.revenue,
                budget,
                cac,
            )
        )
    specs = [
        ("segment", "Segment"),
        ("share", "Share", "rate"),
        ("target", "Target", "number"),
        ("deal_size", "Deal size", "money"),
        ("clients", f"{capitalised(won(plan))} needed", "count"),
        ("revenue", "Revenue", "money"),
        ("budget", "Budget", "money"),
        ("cac", "CAC (blended)", "money"),
    ]
    return table("Segments", "segments", specs, rows, plan.currency)


def rollup_table(plan: Plan) -> Table:
    """Every stage of any segment: each segment's volume and the company's total."""
    specs: list[tuple[str, ...]] = [("stage", "Stage"), ("owner", "Owner")]
    specs += [(part.name, part.name, "count") for part in plan.segments]
    specs += [("volume", "Total", "count"), ("one_in", f"1 in N reaches {won(plan)}", "ratio")]
    has_limits = any(stage.limit is not None for stage in plan.stages)
    if has_limits:
        specs.append(("limit", "Limit", "count"))
    rows = []
    for stage in plan.stages:
        row: list[object] = [stage.name, text_cell(stage.owner, NO_OWNER)]
        for part in plan.segments:
            found = [
                s.volume for s in part.plan.stages if s.name.casefold() == stage.name.casefold()
            ]
            row.append(found[0] if found else None)
        row.append(stage.volume)
        n = rolled_one_in(stage, plan)
        row.append(ratio_cell(n, one_in_text))
        if has_limits:
            row.append(limit_cell(stage.limit, stage.volume))
        rows.append(row)
    return table("Volume every stage must reach, by segment", "rollup", specs, rows, plan.currency)


def _filled(table: Table) -> Table:
    """The table without the columns no row fills (a roll-up has no cost per unit of its own)."""
    kept = [
        i for i in range(len(table.columns)) if any(row[i].value is not None for row in table.rows)
    ]
    return table._replace(
        columns=tuple(table.columns[i] for i in kept),
        rows=tuple(tuple(row[i] for i in kept) for row in table.rows),
    )


def _segment_sections(part: SegmentPlan) -> list[Section]:
    """A segment's own plan, its headings naming the segment (its funnel chart left out)."""
    sections: list[Section] = []
    for section in plan_sections(part.plan):
        if isinstance(section, Facts):
            heading = f"{part.name}: {section.title}" if section.title else f"Segment {part.name}"
            sections.append(Facts(heading, section.items))
        elif isinstance(section, Table):
            heading = f"{part.name}: {section.title}" if section.title else part.name
            sections.append(section._replace(title=heading, key=f"{part.name}.{section.key}"))
        elif isinstance(section, Note):
            sections.append(section._replace(text=f"{part.name}: {section.text}"))
    return sections


def report(plan: Plan) -> Report:
    """The roll-up first (what leadership sees), then each segment (what teams run)."""
    sections: list[Section] = [summary(plan), segment_table(plan), funnel_chart(plan)]
    sections += [rollup_table(plan), *limit_notes(plan), *assumption_notes(plan)]
    sections += [_filled(s) if isinstance(s, Table) else s for s in money_sections(plan)]
    for part in plan.segments:
        sections += _segment_sections(part)
    sections += [rounding_note(plan), Note(SPLIT_RULE)]
    return Report(title(plan), tuple(sections))


def document(plan: Plan) -> dict[str, Any]:
    """The roll-up in the plan document's keys (rates null: each segment has its own), and
    `segments`: each with its name, share, description and its whole plan document."""
    from funnelcalc.views.plan_json import plan_document, rounded  # noqa: PLC0415 - JSON only

    built = plan_document(plan)
    for entry, stage in zip(built["stages"], plan.stages, strict=True):
        n = rolled_one_in(stage, plan)
        entry["to_clients"] = rounded(1 / n, 4) if n else None
        entry["one_in"] = rounded(n)
    built["segments"] = [
        {
            "name": part.name,
            "share": part.share,
            "description": part.description,
            "plan": segment_document(part.plan),
        }
        for part in plan.segments
    ]
    return built


def segment_document(plan: Plan) -> dict[str, Any]:
    """One segment's plan document: the plan's keys and `segment`, its name."""
    from funnelcalc.views.plan_json import plan_document  # noqa: PLC0415 - JSON only

    return {**plan_document(plan), "segment": plan.segment}
