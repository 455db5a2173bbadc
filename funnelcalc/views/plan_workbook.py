"""A plan as a live workbook: an Inputs sheet (target, deal size, rates, sources) and a Plan
sheet whose volumes are formulas of them, written so that spreadsheet arithmetic (binary
floating point) reproduces funnelcalc's exact numbers; then every other table as values.

The rule: every input is read as a whole number over a power-of-ten scale (70% = 7000/10000,
$50,000.50 = 5000050/100), and each volume is ROUNDUP(a/b, 0) of whole numbers a and b. A
whole a/b is held exactly; any other lies at least 1/b from a whole number, a relative gap of
at least 1/a. While a stays below 10^13 that gap is far wider than binary rounding (10^-16)
and the 15-digit rounding spreadsheets apply (10^-15), so ROUNDUP lands on the exact ceiling."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from funnelcalc.exact import EXACT
from funnelcalc.views.plan import rounding_note, title, won
from funnelcalc.workbook import (
    Entry,
    Formula,
    Row,
    Sheet,
    Workbook,
    about_sheet,
    cell_ref,
    provenance,
    text,
    value_sheets,
)

if TYPE_CHECKING:
    from funnelcalc.report import Kind, Report
    from funnelcalc.solver import Plan

SAFE = 10**13
"""Whole numbers below this divide exactly enough for ROUNDUP in any spreadsheet."""
INPUTS, PLAN = "Inputs", "Plan"
FORMULA_RULE = (
    "Formulas work in whole numbers: each input is read as a whole number over its scale "
    "(70% = 7000 ÷ 10000), and each volume is ROUNDUP(stage below × scale ÷ (rate × scale)), "
    "exact in spreadsheet arithmetic while every product stays below 10^13."
)
TOO_BIG = "⚠ Some figures pass 10^13 in whole units: a spreadsheet may be off by one."
VOLUME = 3
"""The Plan sheet's volume column (D)."""


def scale(value: Decimal, least: int) -> int:
    """10 to the number of decimal places `value` needs, at least 10^least."""
    exponent = value.normalize(EXACT).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return int(10 ** max(least, places))


def whole(value: Decimal, by: int) -> int:
    """value × scale: a whole number by construction of the scale."""
    return int(EXACT.multiply(value, Decimal(by)))


def headers(*labels: str) -> Row:
    """A row of column headings."""
    return tuple(text(label, "header") for label in labels)


def counted(formula: str, value: int) -> Entry:
    """A formula cell whose value is a whole count."""
    return Entry(Formula(formula, value), "count")


class _Builder:
    """The two live sheets, grown row by row; remembers where each input went."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.inputs: list[Row] = []
        self.rows: list[Row] = []
        self.rate_rows: dict[int, int] = {}
        """Stage index → its Inputs row (value B, scale C, value × scale D)."""
        self.wholes: dict[int, tuple[int, int]] = {}
        """Inputs row → its value × scale and its scale."""
        self.products: list[int] = []
        """Every dividend a ROUNDUP divides: each must stay below SAFE."""
        self.target, self.deal = 0, -1

    def input_row(self, label: str, value: Decimal | int, kind: Kind, least: int) -> int:
        """A labelled input with its scale and its value × scale; returns its row."""
        row = len(self.inputs)
        if kind == "count":
            self.inputs.append((text(label), Entry(value, "count", "input")))
            return row
        by = scale(Decimal(value), least)
        self.wholes[row] = (whole(Decimal(value), by), by)
        formula = f"=ROUND({cell_ref(row, 1)}*{cell_ref(row, 2)},0)"
        given, scaled = Entry(value, kind, "input"), counted(formula, self.wholes[row][0])
        self.inputs.append((text(label), given, Entry(by, "count"), scaled))
        return row

    def inputs_sheet(self) -> None:
        """Target, deal size, then every rate."""
        plan = self.plan
        self.inputs += [
            (text("Inputs: change a yellow cell and the Plan sheet follows", "title"),),
            (text(FORMULA_RULE, "note"),),
            (),
            headers("Input", "Value", "Scale", "Value × scale"),
        ]
        currency = f" ({plan.currency})"
        if plan.target_revenue is not None and plan.deal_size is not None:
            label = "New revenue to win" if plan.baseline else "Target revenue"
            self.target = self.input_row(label + currency, plan.target_revenue, "money", 2)
            self.deal = self.input_row("Deal size" + currency, plan.deal_size, "money", 2)
        else:
            self.target = self.input_row(f"Target: {won(plan)}", plan.clients, "count", 0)
        self.inputs += [(), headers("Stage", "Rate", "Scale", "Rate × scale")]
        for index, stage in enumerate(plan.stages[1:], start=1):
            if stage.rate is None:  # its sources or channels give their own
                continue
            if stage.per is not None:  # a multiplier reads as one: 3, not 300%
                label = f"{stage.name} (per {plan.stages[index - 1].name})"
                self.rate_rows[index] = self.input_row(label, stage.rate, "number", 4)
                continue
            self.rate_rows[index] = self.input_row(stage.name, stage.rate, "rate", 4)
        if any(stage.sources for stage in plan.stages):
            self.inputs += [(), headers("Source of a stage", "Value", "Scale", "Value × scale")]

    def last_stage(self) -> Formula:
        """⌈target ÷ deal size⌉ in whole units, or the target's count."""
        if self.deal < 0:
            return Formula(f"={cell_ref(self.target, 1, INPUTS)}", self.plan.clients)
        self.products.append(self.wholes[self.target][0])
        target, deal = cell_ref(self.target, 3, INPUTS), cell_ref(self.deal, 3, INPUTS)
        return Formula(f"=ROUNDUP({target}/{deal},0)", self.plan.clients)

    def ceiling(self, below: str, below_value: int, row: int) -> str:
        """ROUNDUP(below × scale ÷ (rate × scale)) for the rate on Inputs `row`."""
        self.products.append(below_value * self.wholes[row][1])
        by, scaled = cell_ref(row, 2, INPUTS), cell_ref(row, 3, INPUTS)
        return f"ROUNDUP({below}*{by}/{scaled},0)"

    def revenue(self, clients: str) -> Row:
        """What the planned clients bring: clients × deal size, to the deal size's places (a
        value when channels win their own deal sizes)."""
        label = text(f"Planned revenue ({self.plan.currency})")
        if self.plan.channel_revenue is not None:
            return (label, None, None, Entry(self.plan.channel_revenue, "money"))
        by = self.wholes[self.deal][1]
        scaled, scale_at = cell_ref(self.deal, 3, INPUTS), cell_ref(self.deal, 2, INPUTS)
        formula = f"=ROUND({clients}*{scaled}/{scale_at},{len(str(by)) - 1})"
        money = Entry(Formula(formula, self.plan.revenue), "money")
        return (label, None, None, money)

    def sources(self, index: int, first: int) -> list[str]:
        """A stage's sources, on the Inputs and Plan sheets; the cells of what they draw."""
        stage = self.plan.stages[index]
        above = self.plan.stages[index - 1].name if index else ""
        self.rows += [(), (text(f"Sources of {stage.name}", "header"),)]
        self.rows.append(
            headers("Source", "Share", "Target", *([f"Needs of {above}"] * bool(above)))
        )
        fixed = {
            source.name: self.input_row(
                f"{stage.name}: {source.name} (fixed volume)", source.target, "count", 0
            )
            for source in stage.sources
            if source.share is None
        }
        netted = "".join(f"-{cell_ref(row, 1, INPUTS)}" for row in fixed.values())
        rest = f"MAX(0,{cell_ref(first + index, VOLUME)}{netted})"
        rest_value = max(0, stage.volume - sum(s.target for s in stage.sources if s.share is None))
        draws: list[str] = []
        for source in stage.sources:
            row, name = len(self.rows), f"{stage.name}: {source.name}"
            if source.share is None:
                given = cell_ref(fixed[source.name], 1, INPUTS)
                self.rows.append(
                    (text(source.name), text("fixed"), counted(f"={given}", source.target))
                )
                continue
            share = self.input_row(f"{name} (share)", source.share, "rate", 4)
            self.products.append(rest_value * self.wholes[share][0])
            by, scaled = cell_ref(share, 2, INPUTS), cell_ref(share, 3, INPUTS)
            shown = Entry(Formula(f"={cell_ref(share, 1, INPUTS)}", source.share), "rate")
            target = counted(f"=ROUNDUP({rest}*{scaled}/{by},0)", source.target)
            entries = [text(source.name), shown, target]
            if index and source.rate is not None and source.upstream is not None:
                at = self.rate_rows.get(index, -1)
                if source.rate != stage.rate or at < 0:
                    at = self.input_row(f"{name} (rate)", source.rate, "rate", 4)
                draw = self.ceiling(cell_ref(row, 2), source.target, at)
                entries.append(counted(f"={draw}", source.upstream))
                draws.append(cell_ref(row, 3))
            self.rows.append(tuple(entries))
        return draws

    def plan_sheet(self) -> None:
        """A row per stage, each volume a formula of the one below, then the sources."""
        plan, first, count = self.plan, 4, len(self.plan.stages)
        self.rows += [
            (text(title(plan), "title"),),
            (text(f"Live formulas of the {INPUTS} sheet", "note"),),
            (),
            headers("Stage", "Owner", "Rate", "Volume needed"),
            *[()] * count,
        ]
        if plan.revenue is not None and self.deal >= 0:
            self.rows += [(), self.revenue(cell_ref(first + count - 1, VOLUME))]
        draws = {i: self.sources(i, first) for i, stage in enumerate(plan.stages) if stage.sources}
        followed = [c.stage for c in plan.channels if c.followed]
        channels = (
            plan.stages.index(next(s for s in plan.stages if s.name == followed[0]))
            if followed
            else count
        )
        volumes: list[Formula | int] = [plan.clients if channels < count else self.last_stage()]
        for index in range(count - 1, 0, -1):
            stage = plan.stages[index]
            if index - 1 >= channels:  # what the channels bring: solved by search, a value
                volumes.insert(0, plan.stages[index - 1].volume)
                continue
            if index in draws:
                formula = f"=SUM({','.join(draws[index])})" if draws[index] else "=0"
            else:
                below = cell_ref(first + index, VOLUME)
                formula = "=" + self.ceiling(below, stage.volume, self.rate_rows[index])
            volumes.insert(0, Formula(formula, plan.stages[index - 1].volume))
        for index, stage in enumerate(plan.stages):
            rate = None
            if index in self.rate_rows:
                at = cell_ref(self.rate_rows[index], 1, INPUTS)
                rate = Entry(Formula(f"={at}", stage.rate), "number" if stage.per else "rate")
            owner = text(stage.owner) if stage.owner else None
            volume = Entry(volumes[index], "count")
            self.rows[first + index] = (text(stage.name), owner, rate, volume)
        self.rows += [(), (text(rounding_note(plan).text, "note"),), (text(FORMULA_RULE, "note"),)]
        if channels < count:
            self.rows.append((text(CHANNEL_VALUES.format(stage=followed[0]), "note"),))
        if any(product >= SAFE for product in self.products):
            self.rows.append((text(TOO_BIG, "note"),))


CHANNEL_VALUES = (
    "The channels of {stage} convert at their own rates: {stage} and the stages below it are "
    "found by search, so they are values here, not formulas (the stages above still follow them)."
)


def workbook(plan: Plan, report: Report) -> Workbook:
    """The live Plan and Inputs sheets, every other table as values, and the About sheet."""
    builder = _Builder(plan)
    builder.inputs_sheet()
    builder.plan_sheet()
    taken = {PLAN.casefold(), INPUTS.casefold()}
    sheets = [Sheet(PLAN, tuple(builder.rows)), Sheet(INPUTS, tuple(builder.inputs))]
    sheets += value_sheets(report, taken, skip=("stages",))
    sheets.append(about_sheet(report, taken))
    return Workbook(report.title, tuple(sheets), *provenance(report))
