"""CSV that opens in a spreadsheet: every table of the report, exact values, text defused.

The first table starts on line 1 with its header. Each further table follows an empty line
and a row holding only its title, then its own header. Facts, notes and charts are not
tables: they are in the other formats and in JSON."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from funnelcalc.exact import plain
from funnelcalc.report import Report, Value

# A cell starting with one of these is a formula to a spreadsheet: never let user text be one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Value) -> str:
    """One CSV cell: numbers plain, booleans as true/false, text defused against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(plain(value), "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(report: Report) -> str:
    """`--format csv` for any report."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for index, table in enumerate(report.tables()):
        if index:
            writer.writerow([])
            writer.writerow([cell(table.title or table.key)])
        writer.writerow([cell(column.key) for column in table.columns])
        writer.writerows([cell(item.value) for item in row] for row in table.rows)
    return out.getvalue()
