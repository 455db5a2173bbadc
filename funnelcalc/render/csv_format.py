"""CSV: one row per stage under a header; numbers as plain numbers a spreadsheet reads."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from funnelcalc.exact import plain
from funnelcalc.render.figures import displayed
from funnelcalc.solver import Plan

HEADER = ("stage", "owner", "rate", "volume", "to_clients", "one_in", "lost", "definition")
# A cell starting with one of these is a formula to a spreadsheet: never let user text be one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str | int | Decimal | None) -> str:
    """One CSV cell: numbers plain, text defused against formula injection."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(plain(value), "f")
    if isinstance(value, int):
        return str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def render(plan: Plan) -> str:
    """`plan --format csv`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for stage in plan.stages:
        row = (
            stage.name,
            stage.owner,
            stage.rate,
            stage.volume,
            stage.to_clients,
            displayed(stage.one_in),
            stage.lost,
            stage.definition,
        )
        writer.writerow([cell(value) for value in row])
    return out.getvalue()
