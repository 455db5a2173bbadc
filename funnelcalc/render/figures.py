"""How figures read in every output family: exact, with separators and the currency's symbol."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

from funnelcalc.exact import EXACT, plain
from funnelcalc.keypath import BASE, BUDGET
from funnelcalc.ownership import Handoff, owner_spans
from funnelcalc.solver import Plan

if TYPE_CHECKING:
    from funnelcalc.goalseek import Seek
    from funnelcalc.levers import Levers
    from funnelcalc.limits import Check
    from funnelcalc.phasing import Schedule
    from funnelcalc.projection import Projection
    from funnelcalc.scenarios import Comparison
    from funnelcalc.sweep import Axis, Sweep
    from funnelcalc.tracking import Track
    from funnelcalc.uncertainty import Simulation

SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "BRL": "R$",
    "AUD": "A$",
    "CAD": "CA$",
    "NZD": "NZ$",
    "MXN": "MX$",
    "CHF": "CHF ",
    "SEK": "SEK ",
    "NOK": "NOK ",
    "DKK": "DKK ",
    "PLN": "PLN ",
    "ILS": "₪",
}
NO_OWNER = "(no owner)"


def count(value: int) -> str:
    """A whole number with thousands separators: 20,000."""
    return f"{value:,}"


def number(value: Decimal) -> str:
    """An exact decimal with thousands separators and no trailing zeros: 1,234.5."""
    return format(plain(value), ",f")


def money(value: Decimal, currency: str) -> str:
    """An exact amount: $500,000, $50,000.50, €0.125; cents kept whole when there are any."""
    text = format(plain(abs(value)), ",f")
    whole, dot, cents = text.partition(".")
    if dot and len(cents) < 2:
        text = f"{whole}.{cents:0<2}"
    sign = "-" if value < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def percent(rate: Decimal) -> str:
    """A share as an exact percentage: 0.007 → 0.7%."""
    return number(EXACT.multiply(rate, Decimal(100))) + "%"


def one_in(value: Fraction) -> str:
    """N of "1 in N", exact when whole, else ≈ to two decimals (rounded half up)."""
    if value.denominator == 1:
        return count(value.numerator)
    return "≈" + number(displayed(value))


def displayed(value: Fraction, places: int = 2) -> Decimal:
    """A ratio rounded half up (away from 0) to `places`, in integers: no context to overflow."""
    magnitude = abs(value) * 10**places
    units = (2 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    return Decimal(-units if value < 0 else units).scaleb(-places)


def approx_money(value: Fraction, currency: str) -> str:
    """An amount that may not be a whole number of cents: exact, or ≈ to the cent."""
    cents = displayed(value)
    return ("" if Fraction(cents) == value else "≈") + money(cents, currency)


def approx_percent(value: Fraction) -> str:
    """A ratio as a percentage to one place, ≈ when rounded: 25%, ≈33.3%."""
    shown = displayed(value * 100, 1)
    return ("" if Fraction(shown) == value * 100 else "≈") + number(shown) + "%"


def times(value: Fraction) -> str:
    """A multiple: 5×, ≈2.67×."""
    shown = displayed(value)
    return ("" if Fraction(shown) == value else "≈") + number(shown) + "×"


def target_text(plan: Plan) -> str:
    """What the plan must win, in words: "$500,000 of new revenue" or "10 new clients"."""
    if plan.target_revenue is not None:
        return f"{money(plan.target_revenue, plan.currency)} of new revenue"
    return f"{count(plan.clients)} new clients"


def clients_text(plan: Plan) -> str:
    """Clients needed, with the division that gives them when the target is revenue."""
    if plan.target_revenue is None or plan.deal_size is None:
        return count(plan.clients)
    revenue = money(plan.target_revenue, plan.currency)
    deal = money(plan.deal_size, plan.currency)
    return f"{count(plan.clients)} (⌈{revenue} ÷ {deal}⌉)"


def revenue_text(plan: Plan) -> str | None:
    """The revenue the planned clients bring, with any surplus over the target."""
    if plan.revenue is None:
        return None
    text = money(plan.revenue, plan.currency)
    if plan.surplus:
        text += f" ({money(plan.surplus, plan.currency)} above the target: clients come whole)"
    return text


def handoff_text(handoff: Handoff) -> str:
    """One sentence for a hand-off between owners."""
    given, taken = handoff.giver.delivers, handoff.taker.stages[0]
    rate = f" ({percent(taken.rate)})" if taken.rate is not None else ""
    return (
        f"{handoff.giver.owner} hands {count(given.volume)} {given.name} to {handoff.taker.owner}, "
        f"who must turn them into {count(taken.volume)} {taken.name}{rate}"
    )


STAGE_COLUMNS = ("Stage", "Owner", "Rate", "Volume needed", "1 in N becomes a client", "Lost")
NUMERIC_COLUMNS = frozenset(
    {
        "Total",
        "Now",
        "Pulled to",
        "Top needed",
        "Change at top",
        "Clients",
        "Budget",
        "Projected",
        "Plan needs",
        "Difference",
        "Plan",
        "P10",
        "P50",
        "P90",
        "Capacity",
        "Actual",
        "Planned to date",
        "Pace",
        "Observed",
        "Needed in all",
        "Done",
        "Still to do",
        "A working day",
        "Rate",
        "Volume needed",
        "1 in N becomes a client",
        "Lost",
        "Limit",
        "Needed",
        "Headroom",
        "Cost per unit",
        "Spend",
        "Budget per unit",
        "Most per unit",
        "Pipeline value",
        "Coverage",
        "Share",
        "Target",
        "Needs",
    }
)


def stage_columns(plan: Plan) -> tuple[str, ...]:
    """The stage table's columns; Limit only when the file sets limits."""
    has_limits = any(stage.limit is not None for stage in plan.stages)
    return (*STAGE_COLUMNS, "Limit") if has_limits else STAGE_COLUMNS


def stage_rows(plan: Plan) -> list[tuple[str, ...]]:
    """The stage table as display text, one tuple per stage, in stage_columns() order."""
    has_limits = any(stage.limit is not None for stage in plan.stages)
    rows: list[tuple[str, ...]] = []
    for stage in plan.stages:
        row: tuple[str, ...] = (
            stage.name,
            stage.owner or NO_OWNER,
            percent(stage.rate) if stage.rate is not None else "—",
            count(stage.volume),
            one_in(stage.one_in),
            count(stage.lost) if stage.lost is not None else "—",
        )
        if has_limits:
            row += (limit_text(stage.limit, stage.volume),)
        rows.append(row)
    return rows


def limit_text(limit: int | None, needed: int) -> str:
    """A limit, marked when the plan needs more: "30,000" or "30,000 ✗"."""
    if limit is None:
        return "—"
    return f"{count(limit)} ✗" if needed > limit else count(limit)


def limit_warnings(plan: Plan) -> list[str]:
    """One sentence per broken limit, the budget's last."""
    warnings = [
        f"✗ {stage.name} needs {count(stage.volume)}: over its limit of "
        f"{count(stage.limit or 0)} by {count(stage.volume - (stage.limit or 0))}"
        for stage in plan.broken_limits
    ]
    budget = plan.budget
    if budget is not None and budget.limit is not None and budget.over_limit:
        over = EXACT.subtract(budget.total, budget.limit)
        warnings.append(
            f"✗ the budget of {money(budget.total, plan.currency)} is over its limit of "
            f"{money(budget.limit, plan.currency)} by {money(over, plan.currency)}"
        )
    return warnings


def summary(plan: Plan) -> list[tuple[str, str]]:
    """The lines above the stage table: baseline derivation, target, deal size, clients,
    revenue."""
    lines = baseline_lines(plan)
    lines.append(("Target", target_text(plan)))
    if plan.deal_size is not None:
        lines.append(("Deal size", money(plan.deal_size, plan.currency)))
    lines.append(("Clients needed", clients_text(plan)))
    revenue = revenue_text(plan)
    if revenue is not None:
        lines.append(("Planned revenue", revenue))
    return lines


OWNER_COLUMNS = ("Owner", "Stages", "Delivers")


def owner_rows(plan: Plan) -> list[tuple[str, str, str]]:
    """Who is accountable for which stages, and the number each hands on."""
    return [
        (
            span.owner or NO_OWNER,
            " → ".join(stage.name for stage in span.stages),
            f"{count(span.delivers.volume)} {span.delivers.name}",
        )
        for span in owner_spans(plan)
    ]


def definitions(plan: Plan) -> list[tuple[str, str]]:
    """(stage, definition) for every stage that has one."""
    return [(s.name, s.definition) for s in plan.stages if s.definition is not None]


def change(new: Fraction, old: Fraction) -> str:
    """A relative change in percent: +25%, or ≈−16.7% when rounded to one place."""
    if old == 0:
        return "—"
    ratio = (new - old) / old * 100
    sign = "+" if ratio > 0 else "−"
    magnitude = abs(ratio)
    tenths = (20 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    shown = Decimal(tenths).scaleb(-1)
    approximate = "" if Fraction(shown) == magnitude else "≈"
    return f"{approximate}{sign}{number(shown)}%"


_Figure = TypeVar("_Figure", int, Decimal)


def compared(new: _Figure, old: _Figure, show: Callable[[_Figure], str]) -> str:
    """A figure with its change against the base: "16,667 (−3,333, ≈−16.7%)"."""
    if new == old:
        return show(new)
    sign = "+" if new > old else "−"
    return f"{show(new)} ({sign}{show(abs(new - old))}, {change(Fraction(new), Fraction(old))})"


def comparison_columns(comparison: Comparison) -> tuple[str, ...]:
    """A first column for the row labels, then one per plan, the base first."""
    return ("", *(plan.scenario or BASE for plan in comparison.plans))


def comparison_rows(comparison: Comparison) -> list[tuple[str, ...]]:
    """A row per stage, then clients needed and revenue, each plan against the base."""
    base = comparison.base
    rows = [
        (
            stage.name,
            *(compared(plan.stages[i].volume, stage.volume, count) for plan in comparison.plans),
        )
        for i, stage in enumerate(base.stages)
    ]
    rows.append(
        ("clients needed", *(compared(p.clients, base.clients, count) for p in comparison.plans))
    )

    def show_money(value: Decimal) -> str:
        return money(value, base.currency)

    if any(plan.budget is not None for plan in comparison.plans):
        rows.append(
            (
                "budget",
                *(
                    _compared_money(p.budget_total, base.budget_total, base.currency)
                    for p in comparison.plans
                ),
            )
        )
        rows.append(("CAC", *(_cac(p) for p in comparison.plans)))
    rows.append(
        (
            "revenue",
            *(
                compared(p.revenue, base.revenue, show_money)
                if p.revenue is not None and base.revenue is not None
                else (show_money(p.revenue) if p.revenue is not None else "—")
                for p in comparison.plans
            ),
        )
    )
    return rows


def _compared_money(new: Decimal | None, old: Decimal | None, currency: str) -> str:
    if new is None:
        return "—"
    if old is None:
        return money(new, currency)
    return compared(new, old, lambda value: money(value, currency))


def _cac(plan: Plan) -> str:
    if plan.budget is None or not plan.clients:
        return "—"
    return approx_money(Fraction(plan.budget.total) / plan.clients, plan.currency)


CHECK_COLUMNS = ("Scenario", "Stage", "Limit", "Needed", "Headroom", "Status")


def check_rows(result: Check) -> list[tuple[str, ...]]:
    """A row per limit per checked plan."""

    def show(value: int | Decimal) -> str:
        return count(value) if isinstance(value, int) else money(value, result.currency)

    return [
        (
            item.scenario,
            item.stage,
            show(item.limit),
            show(item.needed),
            _sign(item.headroom) + show(-item.headroom if item.headroom < 0 else item.headroom),
            "✓ holds" if item.holds else f"✗ over by {show(-item.headroom)}",
        )
        for item in result.results
    ]


def _sign(value: int | Decimal) -> str:
    return "+" if value > 0 else "−" if value < 0 else "±"


def check_summary(result: Check) -> str:
    """One line: how many limits hold."""
    broken = sum(not item.holds for item in result.results)
    total = len(result.results)
    if total == 0:
        return f"{result.source} sets no limits: nothing to check"
    if total == 1:
        return "The limit holds." if broken == 0 else "The limit is broken."
    if broken == 0:
        return f"All {total} limits hold."
    return f"{broken} of {total} limits broken."


def signed(value: int) -> str:
    """A whole number with its sign: +1,250, −300, ±0."""
    if value == 0:
        return "±0"
    return f"+{value:,}" if value > 0 else f"−{-value:,}"


def axis_value(axis: Axis, value: Decimal, currency: str) -> str:
    """A swept value as people read it: 2.5%, $60,000 or 1,000."""
    if axis.percent:
        return percent(value)
    if axis.key.rsplit(".", 1)[-1] in ("revenue", "deal_size", "cost"):
        return money(value, currency)
    return number(value)


def sweep_columns(result: Sweep) -> tuple[str, ...]:
    """1-D: the key and the volume; 2-D: the first key, then a column per second-key value."""
    if len(result.axes) == 1:
        return (result.axes[0].key, f"{result.show} needed" if result.show != BUDGET else BUDGET)
    first, second = result.axes
    return (
        f"{first.key} ↓ {second.key} →",
        *(axis_value(second, v, result.currency) for v in second.values),
    )


def sweep_rows(result: Sweep) -> list[tuple[str, ...]]:
    """A row per value of the first key."""
    first = result.axes[0]

    def show(value: int | Decimal) -> str:
        return count(value) if isinstance(value, int) else money(value, result.currency)

    return [
        (axis_value(first, value, result.currency), *(show(v) for v in volumes))
        for value, volumes in zip(first.values, result.volumes, strict=True)
    ]


def baseline_lines(plan: Plan) -> list[tuple[str, str]]:
    """The derivation of the new revenue from existing customers, line by line."""
    d = plan.baseline
    if d is None:
        return []

    def cash(value: Decimal) -> str:
        return money(value, plan.currency)

    churned = f"−{cash(d.churned)}"
    if d.churned_customers is not None:
        churned += f" ({count(d.churned_customers)} customers to replace)"
    total = cash(d.total)
    if d.growth is not None:
        total += f" ({percent(d.growth)} growth over the baseline)"
    return [
        ("Baseline revenue", cash(d.baseline)),
        (f"− churn {percent(d.churn)}", churned),
        (f"+ expansion {percent(d.expansion)}", f"+{cash(d.expanded)}"),
        ("= from existing customers", cash(d.existing)),
        ("Revenue to reach", total),
        ("New revenue to win", f"{cash(d.new_revenue)} (to reach − from existing)"),
    ]


def assumption_lines(plan: Plan) -> list[str]:
    """How the plan treats each range: at its likely value or midpoint."""
    lines = []
    for item in plan.assumptions:
        if item.is_rate:
            low, high, used = percent(item.low), percent(item.high), percent(item.used)
        else:
            low, high, used = (money(v, plan.currency) for v in (item.low, item.high, item.used))
        basis = "likely value" if item.basis == "likely" else item.basis
        lines.append(
            f"{item.key} is planned at {used}, the {basis} of {low} to {high} "
            "(funnelcalc simulate draws the whole range)"
        )
    return lines


def money_lines(plan: Plan) -> list[tuple[str, str]]:
    """The budget and what it buys: spend, fixed costs, budget, CAC, ROI, ROAS."""
    budget = plan.budget
    if budget is None:
        return []

    def cash(value: Decimal) -> str:
        return money(value, plan.currency)

    lines = [("Spend", cash(budget.spend))]
    if budget.fixed_costs:
        names = ", ".join(f"{n} {cash(v)}" for n, v in budget.fixed_costs.items())
        lines.append(("Fixed costs", f"{cash(budget.fixed)} ({names})"))
    total = cash(budget.total)
    if budget.limit is not None:
        written = f"{percent(budget.limit_share)} of revenue = " if budget.limit_share else ""
        mark = "✗ over" if budget.over_limit else "within"
        total += f" ({mark} its limit of {written}{cash(budget.limit)})"
    lines.append(("Budget", total))
    if plan.clients:
        lines.append(("CAC", approx_money(Fraction(budget.total) / plan.clients, plan.currency)))
    revenue = plan.revenue
    if revenue is not None and budget.total:
        roi = (Fraction(revenue) - Fraction(budget.total)) / Fraction(budget.total)
        lines.append(("ROI", approx_percent(roi)))
    if revenue is not None and budget.spend:
        lines.append(("ROAS", times(Fraction(revenue) / Fraction(budget.spend))))
    if revenue:
        lines.append(
            ("Budget share of revenue", approx_percent(Fraction(budget.total) / Fraction(revenue)))
        )
    return lines


def money_columns(plan: Plan) -> tuple[str, ...]:
    """The money table's columns, only those the plan has figures for."""
    columns = ["Stage"]
    if plan.budget is not None:
        columns += ["Cost per unit", "Spend", "Budget per unit"]
        if plan.budget.limit is not None:
            columns.append("Most per unit")
    if plan.deal_size is not None:
        columns += ["Pipeline value", "Coverage"]
    return tuple(columns) if len(columns) > 1 else ()


def money_rows(plan: Plan) -> list[tuple[str, ...]]:
    """Per stage: its cost, spend, budget ÷ volume, the most a unit may cost, its pipeline."""

    def cash(value: Decimal | None) -> str:
        return "—" if value is None else money(value, plan.currency)

    rows: list[tuple[str, ...]] = []
    for stage in plan.stages:
        row: tuple[str, ...] = (stage.name,)
        if plan.budget is not None:
            blended = (
                approx_money(Fraction(plan.budget.total) / stage.volume, plan.currency)
                if stage.volume
                else "—"
            )
            row += (cash(stage.cost), cash(stage.spend), blended)
            if plan.budget.limit is not None:
                row += (cash(stage.max_cost),)
        if plan.deal_size is not None:
            coverage = plan.coverage(stage)
            row += (cash(stage.pipeline_value), times(coverage) if coverage is not None else "—")
        rows.append(row)
    return rows


SOURCE_COLUMNS = ("Source", "Share", "Target", "Rate", "Needs", "Cost per unit", "Spend")


def source_tables(plan: Plan) -> list[tuple[str, list[tuple[str, ...]]]]:
    """(title, rows) for each stage that has sources."""
    tables = []
    for index, stage in enumerate(plan.stages):
        if not stage.sources:
            continue
        above = plan.stages[index - 1] if index else None
        rows: list[tuple[str, ...]] = []
        for source in stage.sources:
            needs = "—"
            if source.upstream is not None and above is not None:
                needs = f"{count(source.upstream)} {above.name}"
            unit = source.cost if source.cost is not None else (above.cost if above else None)
            spend = (
                money(EXACT.multiply(Decimal(source.upstream), unit), plan.currency)
                if source.upstream is not None and unit is not None
                else "—"
            )
            rows.append(
                (
                    source.name,
                    percent(source.share) if source.share is not None else "fixed",
                    f"{count(source.target)} {stage.name}",
                    percent(source.rate) if source.rate is not None else "—",
                    needs,
                    money(unit, plan.currency)
                    if unit is not None and source.upstream is not None
                    else "—",
                    spend,
                )
            )
        tables.append((f"Sources of {stage.name}", rows))
    return tables


BEFORE_START = "must happen before the plan starts"


def schedule_columns(result: Schedule) -> tuple[str, ...]:
    """Period, a column per stage, then per working day for the daily stages."""
    stages = result.plan.stages
    per_day = [
        f"{stage.name} a day" for stage, daily in zip(stages, result.daily, strict=True) if daily
    ]
    return ("Period", *(stage.name for stage in stages), *per_day)


def schedule_rows(result: Schedule) -> list[tuple[str, ...]]:
    """A row per period (pre-start ones flagged), then the totals, which equal the plan's."""
    daily = [i for i, is_daily in enumerate(result.daily) if is_daily]
    rows: list[tuple[str, ...]] = []
    for bucket in result.buckets:
        label = f"{bucket.label} ⚠" if bucket.before_start else bucket.label
        per_day = []
        for index in daily:
            value = bucket.per_day(index)
            per_day.append("—" if value is None or not bucket.volumes[index] else count(value))
        rows.append((label, *(count(v) for v in bucket.volumes), *per_day))
    totals = (count(stage.volume) for stage in result.plan.stages)
    rows.append(("Total", *totals, *("" for _ in daily)))
    return rows


def schedule_notes(result: Schedule) -> list[str]:
    """What the reader must know: work before the start, and how per-day figures round."""
    notes = []
    early = [b.label for b in result.buckets if b.before_start]
    if early:
        notes.append(f"⚠ {', '.join(early)}: {BEFORE_START} (stage lags push work earlier).")
    if any(result.daily):
        notes.append("Per working day: ⌈the period's volume ÷ its working days⌉.")
    return notes


def track_title(result: Track) -> str:
    """What the report is: as of when, how tolerant, which rates."""
    return (
        f"{result.plan.name or 'Funnel plan'}: tracking as of {result.as_of.isoformat()} "
        f"(behind beyond {percent(result.tolerance)} under plan; re-forecast with "
        f"{result.rates} rates)"
    )


def track_columns(result: Track) -> tuple[str, ...]:
    """Stage, actual, planned to date, pace, rates, status (and spend, when recorded)."""
    columns: tuple[str, ...] = (
        "Stage",
        "Actual",
        "Planned to date",
        "Pace",
        "Rate",
        "Observed",
        "Status",
    )
    if any(stage.spend is not None for stage in result.stages):
        columns += ("Spend",)
    return columns


_MARKS = {"behind": "✗ behind", "ahead": "▲ ahead", "on track": "✓ on track"}


def track_rows(result: Track) -> list[tuple[str, ...]]:
    """A row per stage, to date."""
    with_spend = any(stage.spend is not None for stage in result.stages)
    rows: list[tuple[str, ...]] = []
    for stage in result.stages:
        pace = stage.pace
        row: tuple[str, ...] = (
            stage.name,
            count(stage.actual),
            count(stage.planned),
            approx_percent(pace) if pace is not None else "—",
            percent(stage.rate) if stage.rate is not None else "—",
            approx_percent(stage.observed_rate) if stage.observed_rate is not None else "—",
            _MARKS[stage.status],
        )
        if with_spend:
            row += (money(stage.spend, result.plan.currency) if stage.spend is not None else "—",)
        rows.append(row)
    return rows


def track_summary(result: Track) -> str:
    """One line: which stages are behind."""
    behind = [stage.name for stage in result.stages if stage.status == "behind"]
    if not behind:
        return "Every stage is on pace or ahead."
    return f"Behind: {', '.join(behind)}."


def reforecast_columns(result: Track) -> tuple[str, ...]:
    """The re-forecast: each stage's need in all, done, still to do (and a working day)."""
    columns: tuple[str, ...] = ("Stage", "Needed in all", "Done", "Still to do")
    if any(stage.per_working_day is not None for stage in result.stages):
        columns += ("A working day",)
    return columns


def reforecast_rows(result: Track) -> list[tuple[str, ...]]:
    """A row per stage of the re-forecast."""
    daily = "A working day" in reforecast_columns(result)
    rows: list[tuple[str, ...]] = []
    for stage in result.stages:
        row: tuple[str, ...] = (
            stage.name,
            count(stage.needed),
            count(stage.actual),
            count(stage.remaining),
        )
        if daily:
            row += (count(stage.per_working_day) if stage.per_working_day is not None else "—",)
        rows.append(row)
    return rows


def remaining_columns(result: Track) -> tuple[str, ...]:
    """The periods still to come, a column per stage."""
    return ("Period", *(stage.name for stage in result.stages))


def remaining_rows(result: Track) -> list[tuple[str, ...]]:
    """What each remaining period now needs of every stage."""
    return [(label, *(count(v) for v in volumes)) for label, volumes in result.reforecast]


def simulation_columns(result: Simulation) -> tuple[str, ...]:
    """Stage, the plan at likely values, P10, P50, P90 (and the capacity tested)."""
    columns: tuple[str, ...] = ("Stage", "Plan", "P10", "P50", "P90")
    return (*columns, "Capacity") if result.capacity else columns


def simulation_rows(result: Simulation) -> list[tuple[str, ...]]:
    """A row per stage, then the budget when there are costs."""
    currency = result.plan.currency

    def show(value: int | Decimal | None) -> str:
        if value is None:
            return "—"
        return count(value) if isinstance(value, int) else money(value, currency)

    rows: list[tuple[str, ...]] = []
    for stage, spread in zip(result.plan.stages, result.stages, strict=True):
        row: tuple[str, ...] = (
            stage.name,
            count(stage.volume),
            show(spread.p10),
            show(spread.p50),
            show(spread.p90),
        )
        if result.capacity:
            row += (show(result.capacity.get(stage.name)),)
        rows.append(row)
    if result.budget is not None:
        budget = result.plan.budget_total
        row = (
            "budget",
            show(budget),
            *(show(v) for v in (result.budget.p10, result.budget.p50, result.budget.p90)),
        )
        if result.capacity:
            row += (show(result.capacity.get(BUDGET)),)
        rows.append(row)
    return rows


def simulation_lines(result: Simulation) -> list[str]:
    """How the numbers were drawn, and the odds the capacity reaches the target."""
    lines = [
        f"{result.runs:,} runs (seed {result.seed}). P90 is the volume 90% of runs need at most: "
        "plan for it to be nine times in ten sure."
    ]
    if result.probability is not None and result.successes is not None:
        lines.append(
            f"Probability of reaching the target with this capacity: "
            f"{approx_percent(result.probability)} ({result.successes:,} of {result.runs:,} runs)"
        )
    return lines


LEVER_COLUMNS = ("Lever", "Now", "Pulled to", "Top needed", "Change at top", "Clients", "Budget")


def lever_rows(result: Levers) -> list[tuple[str, ...]]:
    """Two rows a lever (+1 point, +10%), the lever that cuts the top most first."""
    currency = result.plan.currency
    base = result.plan
    top = base.stages[0].volume

    def show(value: Decimal, is_rate: bool) -> str:
        return percent(value) if is_rate else money(value, currency)

    rows: list[tuple[str, ...]] = []
    for lever in result.levers:
        for label, effect in (("+1 point", lever.plus_one_point), ("+10%", lever.plus_ten_percent)):
            if effect is None:
                continue
            budget = "—"
            if effect.budget is not None and base.budget_total is not None:
                budget = compared(effect.budget, base.budget_total, lambda v: money(v, currency))
            rows.append(
                (
                    f"{lever.label} {label}",
                    show(lever.value, lever.is_rate),
                    show(effect.value, lever.is_rate),
                    count(effect.top),
                    signed(effect.top - top),
                    compared(effect.clients, base.clients, count),
                    budget,
                )
            )
    return rows


def seek_lines(result: Seek) -> list[str]:
    """The answer in words."""

    def show(value: Decimal) -> str:
        return percent(value) if result.is_rate else money(value, result.currency)

    within = f"{result.stage} within {count(result.volume)}"
    if result.usable is None or result.exact is None:
        beyond = "more than 100%" if result.is_rate else "more than any deal can bring"
        return [f"No {result.label} reaches the target with {within}: it would need {beyond}."]
    exact = result.exact * (100 if result.is_rate else 1)
    unit = "%" if result.is_rate else ""
    shown = displayed(exact, 4)
    exactly = (
        f"exactly {number(shown)}{unit}"
        if Fraction(shown) == exact
        else f"exactly {exact.numerator:,}/{exact.denominator:,}{unit} ≈ {number(shown)}{unit}"
    )
    return [
        f"The smallest {result.label} that reaches the target with {within}: "
        f"{show(result.usable)} ({exactly}, rounded up so it still reaches it).",
        f"Now: {show(result.current)}.",
    ]


PROJECTION_COLUMNS = ("Stage", "Rate", "Projected", "Plan needs", "Difference")


def projection_rows(result: Projection) -> list[tuple[str, ...]]:
    """Per stage from the given one down: the projection beside the plan."""
    rows: list[tuple[str, ...]] = []
    for stage, volume in zip(result.plan.stages, result.volumes, strict=True):
        if volume is None:
            continue
        rows.append(
            (
                stage.name,
                percent(stage.rate) if stage.rate is not None else "—",
                count(volume),
                count(stage.volume),
                signed(volume - stage.volume),
            )
        )
    return rows


def projection_lines(result: Projection) -> list[str]:
    """What the projected clients bring against the target."""
    plan = result.plan
    lines = [f"{count(result.clients)} clients (the plan needs {count(plan.clients)})."]
    revenue, gap = result.revenue, result.gap
    if revenue is not None:
        text = f"They bring {money(revenue, plan.currency)}"
        if gap is not None and plan.target_revenue is not None:
            target = money(plan.target_revenue, plan.currency)
            if gap < 0:
                text += f": {money(-gap, plan.currency)} short of the {target} target"
            else:
                text += f": the {target} target is reached ({money(gap, plan.currency)} above it)"
        lines.append(text + ".")
    lines.append(
        "Each stage is rounded down to whole people: a fraction of a person never converts."
    )
    return lines
