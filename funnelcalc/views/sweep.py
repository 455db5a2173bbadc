"""A sweep: the volume a stage needs (or the budget) as one or two keys vary."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnelcalc.exact import plain
from funnelcalc.keypath import BUDGET
from funnelcalc.report import Bar, Cell, Chart, Column, Kind, Report, Section, Table
from funnelcalc.sweep import Axis, Sweep
from funnelcalc.views.cells import count, money, number, percent
from funnelcalc.views.plan_json import SCHEMA_VERSION

MOST_BARS = 60
"""A one-key sweep of at most this many values also draws a bar chart."""


def axis_kind(axis: Axis) -> Kind:
    """What a swept key holds: a rate, money or a plain number."""
    if axis.percent:
        return "rate"
    return "money" if axis.key.rsplit(".", 1)[-1] in ("revenue", "deal_size", "cost") else "number"


def axis_value(axis: Axis, value: Decimal, currency: str) -> str:
    """A swept value as people read it: 2.5%, $60,000 or 1,000."""
    kind = axis_kind(axis)
    if kind == "rate":
        return percent(value)
    return money(value, currency) if kind == "money" else number(value)


def report(result: Sweep) -> Report:
    """1-D: the key and the figure; 2-D: the first key down, the second across."""
    first = result.axes[0]
    kind: Kind = "money" if result.show == BUDGET else "count"

    def show(value: int | Decimal) -> Cell:
        text = count(value) if isinstance(value, int) else money(value, result.currency)
        return Cell(value, text)

    if len(result.axes) == 1:
        label = BUDGET if result.show == BUDGET else f"{result.show} needed"
        table_columns: tuple[Column, ...] = (
            Column(first.key, first.key, axis_kind(first)),
            Column(result.show, label, kind),
        )
    else:
        second = result.axes[1]
        table_columns = (
            Column(
                f"{first.key} \\ {second.key}", f"{first.key} ↓ {second.key} →", axis_kind(first)
            ),
            *(
                Column(format(plain(v), "f"), axis_value(second, v, result.currency), kind)
                for v in second.values
            ),
        )
    rows = tuple(
        (Cell(value, axis_value(first, value, result.currency)), *(show(v) for v in volumes))
        for value, volumes in zip(first.values, result.volumes, strict=True)
    )
    keys = " and ".join(axis.key for axis in result.axes)
    title = f"{result.show} needed as {keys} vary"
    sections: list[Section] = [Table(None, table_columns, rows, "sweep")]
    if len(result.axes) == 1 and len(rows) <= MOST_BARS:
        bars = tuple(
            Bar(row[0].text, int(volumes[0]), row[1].text)
            for row, volumes in zip(rows, result.volumes, strict=True)
        )
        sections.append(Chart("bars", title, first.key, bars))
    return Report(title, tuple(sections))


def document(result: Sweep) -> dict[str, Any]:
    """The swept keys and values, and the volumes: a list (one key) or rows of lists (two)."""
    volumes: list[Any] = [list(row) for row in result.volumes]
    return {
        "schema_version": SCHEMA_VERSION,
        "show": result.show,
        "vary": [{"key": axis.key, "values": list(axis.values)} for axis in result.axes],
        "volumes": [row[0] for row in volumes] if len(result.axes) == 1 else volumes,
    }
