"""A plan as a report: the summary, the funnel chart, the stage table, limits and assumptions,
money, sources, owners and definitions, in the file's own words."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from funnelcalc.ownership import handoffs, owner_spans
from funnelcalc.report import Bar, Cell, Chart, Facts, Note, Report, Section, Table
from funnelcalc.solver import Plan, StagePlan
from funnelcalc.views.cells import (
    NO_OWNER,
    approx_percent,
    count,
    count_cell,
    money,
    number,
    one_in,
    percent,
    rate_cell,
    rate_text,
    ratio_cell,
    table,
    text_cell,
)
from funnelcalc.views.plan_channels import channel_sections, rate_notes, rounding_rule
from funnelcalc.views.plan_economics import gate_notes
from funnelcalc.views.plan_money import baseline_lines, money_sections, source_sections

if TYPE_CHECKING:
    from funnelcalc.ownership import Handoff
    from funnelcalc.workbook import Workbook


def title(plan: Plan) -> str:
    """The plan's name, and its scenario when it is one."""
    name = plan.name or "Funnel plan"
    return f"{name} — scenario {plan.scenario}" if plan.scenario else name


def won(plan: Plan) -> str:
    """The last stage's name, as the file writes it: what the plan must win."""
    return plan.stages[-1].name


def capitalised(text: str) -> str:
    """A label's first letter in capitals, the rest as written ("SQL" stays "SQL")."""
    return text[:1].upper() + text[1:]


def target_text(plan: Plan) -> str:
    """What the plan must win, in words: "$500,000 of new revenue" or "10 customers"."""
    if plan.target_revenue is not None:
        return f"{money(plan.target_revenue, plan.currency)} of new revenue"
    # the file's target: a roll-up's segments may need more between them, each rounding up
    target = plan.target_clients if plan.target_clients is not None else plan.clients
    return f"{count(target)} {won(plan)}"


def summary(plan: Plan) -> Facts:
    """The lines above the stage table: baseline derivation, target, deal size, the last
    stage needed and the revenue it brings."""
    lines = baseline_lines(plan)
    lines.append(("Target", target_text(plan)))
    if plan.deal_size is not None:
        lines.append(("Deal size", money(plan.deal_size, plan.currency)))
    needed = count(plan.wins_needed if plan.wins_needed is not None else plan.clients)
    if plan.target_revenue is not None and plan.deal_size is not None:
        revenue = money(plan.target_revenue, plan.currency)
        needed += f" (⌈{revenue} ÷ {money(plan.deal_size, plan.currency)}⌉)"
    if plan.channel_revenue is not None:
        needed = f"{count(plan.clients)} (the channels' whole {won(plan)}, each at its deal size)"
        lines.append((f"{capitalised(won(plan))} planned", needed))
    else:
        lines.append((f"{capitalised(won(plan))} needed", needed))
    if plan.wins_needed is not None and plan.clients > plan.wins_needed:
        lines.append(
            (
                f"{capitalised(won(plan))} planned",
                f"{count(plan.clients)} (the channels' whole {won(plan)})",
            )
        )
    open_stages = [stage for stage in plan.stages if stage.open_pipeline]
    if open_stages:
        parts = ", ".join(f"{count(s.open_pipeline)} {s.name}" for s in open_stages)
        brings = plan.stages[-1].from_pipeline
        lines.append(("Open pipeline", f"{parts} (bring {count(brings)} {won(plan)})"))
    if plan.revenue is not None:
        text = money(plan.revenue, plan.currency)
        if plan.surplus:
            text += f" ({money(plan.surplus, plan.currency)} above the target: "
            text += f"{won(plan)} come whole)"
        lines.append(("Planned revenue", text))
    return Facts(None, tuple(lines))


def stage_table(plan: Plan) -> Table:
    """Every stage: owner, rate, volume (and what open pipeline brings), 1 in N reaching the
    last stage, lost, limit."""
    chosen: list[tuple[tuple[str, ...], Callable[[StagePlan], object]]] = [
        (("stage", "Stage"), lambda s: s.name),
        (("owner", "Owner"), lambda s: text_cell(s.owner, NO_OWNER)),
        (("rate", "Rate", "rate"), lambda s: rate_cell(s.rate, s.per)),
        (("volume", "Volume needed", "count"), lambda s: s.volume),
    ]
    if any(stage.effective_rate is not None for stage in plan.stages):
        chosen.append(
            (
                ("effective_rate", "Effective rate", "ratio"),
                lambda s: ratio_cell(s.effective_rate, approx_percent),
            )
        )
    if any(stage.from_pipeline for stage in plan.stages):
        chosen.append((("from_pipeline", "From pipeline", "count"), lambda s: s.from_pipeline))
    chosen += [
        (
            ("one_in", f"1 in N reaches {won(plan)}", "ratio"),
            lambda s: ratio_cell(s.one_in, one_in),
        ),
        (("lost", "Lost", "count"), lambda s: s.lost),
    ]
    if any(stage.limit is not None for stage in plan.stages):
        chosen.append((("limit", "Limit", "count"), lambda s: limit_cell(s.limit, s.volume)))
    rows = [[value(stage) for _, value in chosen] for stage in plan.stages]
    specs = [spec for spec, _ in chosen]
    return table("Volume every stage must reach", "stages", specs, rows)


def limit_cell(limit: int | None, needed: int) -> Cell:
    """A limit, marked when the plan needs more: "30,000" or "30,000 ✗"."""
    cell = count_cell(limit)
    return Cell(limit, f"{cell.text} ✗") if limit is not None and needed > limit else cell


def limit_notes(plan: Plan) -> list[Note]:
    """One failure per broken limit, the budget's last."""
    notes = [
        Note(
            f"✗ {stage.name} needs {count(stage.volume)}: over its limit of "
            f"{count(stage.limit or 0)} by {count(stage.volume - (stage.limit or 0))}",
            "failure",
        )
        for stage in plan.broken_limits
    ]
    budget = plan.budget
    if budget is not None and budget.limit is not None and budget.over_limit:
        cash = [money(v, plan.currency) for v in (budget.total, budget.limit)]
        over = money(budget.total - budget.limit, plan.currency)
        notes.append(
            Note(f"✗ the budget of {cash[0]} is over its limit of {cash[1]} by {over}", "failure")
        )
    notes += [Note(text, "failure") for text, _ in gate_notes(plan)]
    return notes


def assumption_notes(plan: Plan) -> list[Note]:
    """How the plan treats each range: at its likely value or midpoint."""
    notes = []
    for item in plan.assumptions:
        values = (item.low, item.high, item.used)
        low, high, used = (_assumed(value, item.kind, plan.currency) for value in values)
        basis = "likely value" if item.basis == "likely" else item.basis
        drawn = (
            "funnelcalc simulate draws the whole range"
            if item.kind in ("rate", "money")
            else "schedules use it; the totals do not depend on it"
        )
        if item.key.startswith("sources.") and item.key.endswith((".fixed_cost", ".deal_size")):
            drawn = "funnelcalc simulate uses this value in every run"
        notes.append(
            Note(
                f"~ {item.key} is planned at {used}, the {basis} of {low} to {high} ({drawn})",
                "warning",
            )
        )
    return notes


def _assumed(value: Decimal | str, kind: str, currency: str) -> str:
    """A value of a range as its kind reads: 2.5%, $1,000, 1.2 or 14d."""
    if isinstance(value, str):
        return value
    if kind == "rate":
        return percent(value)
    return money(value, currency) if kind == "money" else number(value)


def funnel_chart(plan: Plan) -> Chart:
    """The funnel: a bar per stage, labelled with its volume and rate, grouped by owner."""
    bars = []
    above: str | None = None
    for stage in plan.stages:
        side = ""
        if stage.rate is not None and above:
            side = f"{rate_text(stage.rate, stage.per)} {'per' if stage.per else 'of'} {above}"
        if stage.effective_rate is not None and above:
            side = f"{approx_percent(stage.effective_rate)} of {above}"
        bars.append(Bar(stage.name, stage.volume, count(stage.volume), side, stage.owner))
        above = stage.name
    subtitle = target_text(plan)
    if plan.channel_revenue is not None:  # channels win their own deal sizes
        brought = money(plan.channel_revenue, plan.currency)
        subtitle += f" · {count(plan.clients)} {won(plan)} bringing {brought}"
    elif plan.deal_size is not None:  # else the target is the last stage's count already
        deal = money(plan.deal_size, plan.currency)
        subtitle += f" · {count(plan.clients)} {won(plan)} at {deal}"
    groups = tuple(dict.fromkeys(stage.owner or NO_OWNER for stage in plan.stages))
    return Chart("funnel", plan.name or "Funnel plan", subtitle, tuple(bars), groups)


def handoff_text(handoff: Handoff) -> str:
    """One sentence for a hand-off between owners."""
    given, taken = handoff.giver.delivers, handoff.taker.stages[0]
    rate = f" ({rate_text(taken.rate, taken.per)})" if taken.rate is not None else ""
    return (
        f"{handoff.giver.owner} hands {count(given.volume)} {given.name} to {handoff.taker.owner}, "
        f"who must turn them into {count(taken.volume)} {taken.name}{rate}"
    )


def owner_sections(plan: Plan) -> list[Section]:
    """Who is accountable for which stages, the number each hands on, and the hand-offs."""
    if not any(stage.owner for stage in plan.stages):
        return []
    rows = [
        (
            text_cell(span.owner, NO_OWNER),
            " → ".join(stage.name for stage in span.stages),
            Cell(span.delivers.volume, f"{count(span.delivers.volume)} {span.delivers.name}"),
        )
        for span in owner_spans(plan)
    ]
    specs = [("owner", "Owner"), ("stages", "Stages"), ("delivers", "Delivers")]
    sections: list[Section] = [table("Who owns what", "owners", specs, rows)]
    sections.extend(Note("→ " + handoff_text(handoff)) for handoff in handoffs(plan))
    return sections


def plan_sections(plan: Plan) -> list[Section]:
    """Everything a plan report shows, in order."""
    sections: list[Section] = [summary(plan), funnel_chart(plan), stage_table(plan)]
    sections += limit_notes(plan) + assumption_notes(plan) + rate_notes(plan)
    sections += money_sections(plan) + source_sections(plan) + channel_sections(plan)
    sections += owner_sections(plan)
    glossary = tuple((s.name, s.definition) for s in plan.stages if s.definition is not None)
    if glossary:
        sections.append(Facts("Definitions", glossary))
    return sections


def rounding_note(plan: Plan) -> Note:
    """The rounding rule, in the file's words."""
    return Note(rounding_rule(plan))


def report(plan: Plan) -> Report:
    """The whole plan report (a segmented plan's: the roll-up, then each segment)."""
    if plan.segments:
        from funnelcalc.views import plan_segments  # noqa: PLC0415 - segmented files only

        return plan_segments.report(plan)
    return Report(title(plan), (*plan_sections(plan), rounding_note(plan)))


def document(plan: Plan) -> dict[str, Any]:
    """The plan's JSON document (schema_version 1)."""
    if plan.segments or plan.segment:
        from funnelcalc.views import plan_segments  # noqa: PLC0415 - segmented files only

        if plan.segments:
            return plan_segments.document(plan)
        return plan_segments.segment_document(plan)
    from funnelcalc.views.plan_json import plan_document  # noqa: PLC0415 - only for JSON

    return plan_document(plan)


def workbook(plan: Plan, built: Report) -> Workbook:
    """The plan as a workbook of live formulas (`--format xlsx`)."""
    if plan.segments:  # a roll-up has no rates to write formulas with: its values
        from funnelcalc.workbook import workbook as values  # noqa: PLC0415 - only for xlsx

        return values(built)
    from funnelcalc.views.plan_workbook import workbook as live  # noqa: PLC0415 - only for xlsx

    return live(plan, built)
