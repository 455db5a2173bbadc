"""`--format xlsx`: any workbook (funnelcalc/workbook.py) written with XlsxWriter (the `xlsx`
extra): a write-only, dependency-free, actively kept writer that writes formulas as given
and stores each formula's computed value, so viewers that never recalculate still show
funnelcalc's numbers. A report without a workbook of its own becomes value sheets."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from funnelcalc.errors import InputError
from funnelcalc.exact import EXACT
from funnelcalc.workbook import Entry, Formula, Workbook, workbook

if TYPE_CHECKING:
    from funnelcalc.report import Report, Value

MISSING = "xlsx needs the xlsx extra: pip install 'funnelcalc[xlsx]'"
STYLES: dict[str, dict[str, Any]] = {
    "plain": {},
    "title": {"bold": True, "font_size": 14},
    "header": {"bold": True, "bottom": 1, "bg_color": "#EDEDED"},
    "input": {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF"},
    "note": {"italic": True, "font_color": "#555555"},
}


def places(value: Value, most: int = 6) -> int:
    """The decimal places an exact value needs to show whole, at most `most`."""
    if isinstance(value, Fraction) and value.denominator != 1:
        return 2
    if isinstance(value, Decimal):
        exponent = value.normalize(EXACT).as_tuple().exponent
        return min(most, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    return 0


def number_format(entry: Entry) -> str | None:
    """The number format that shows an entry's exact value as funnelcalc writes it."""
    value = entry.value.value if isinstance(entry.value, Formula) else entry.value
    if entry.kind == "count":
        return "#,##0"
    if entry.kind == "date":
        return "yyyy-mm-dd"
    editable = entry.style == "input" or isinstance(entry.value, Formula)
    if editable and entry.kind in ("rate", "money"):  # room for what finance may type in
        return "0.0##%" if entry.kind == "rate" else "#,##0.00"
    if entry.kind == "rate" and isinstance(value, Decimal | Fraction | int):
        digits = places(Decimal(value) * 100 if not isinstance(value, Fraction) else value)
        return "0" + ("." + "0" * digits if digits else "") + "%"
    if entry.kind in ("money", "ratio", "number"):
        digits = places(value)
        digits = 2 if entry.kind == "money" and digits else digits
        return "#,##0" + ("." + "0" * digits if digits else "")
    return None


def plain(value: Value) -> Any:
    """An exact value as the nearest thing a spreadsheet cell holds."""
    if isinstance(value, Decimal | Fraction):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def shown(entry: Entry) -> str:
    """Roughly what a cell shows, to size its column."""
    value = entry.value.value if isinstance(entry.value, Formula) else entry.value
    if isinstance(value, int | Decimal | Fraction) and not isinstance(value, bool):
        return f"{float(value):,.2f}"
    return str(value)


def write(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes."""
    try:
        import xlsxwriter  # type: ignore[import-untyped]  # noqa: PLC0415 - an optional extra
    except ImportError:
        raise InputError.single("--format", MISSING) from None
    out = io.BytesIO()
    xlsx = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    created = datetime.combine(book.made, datetime.min.time()) if book.made else None
    xlsx.set_properties(
        {"title": book.title, "comments": "\n".join(book.about), "created": created}
    )
    formats: dict[tuple[str, str | None], Any] = {}

    def style(entry: Entry) -> Any:
        key = (entry.style, number_format(entry))
        if key not in formats:
            formats[key] = xlsx.add_format({**STYLES[entry.style], "num_format": key[1] or ""})
        return formats[key]

    for sheet in book.sheets:
        page = xlsx.add_worksheet(sheet.name)
        widths: dict[int, int] = {}
        for r, row in enumerate(sheet.rows):
            for c, entry in enumerate(row):
                if entry is None:
                    continue
                value = entry.value
                if isinstance(value, Formula):
                    page.write_formula(r, c, value.text, style(entry), plain(value.value))
                elif isinstance(value, str):
                    page.write_string(r, c, value, style(entry))
                elif isinstance(value, date):
                    page.write_datetime(r, c, plain(value), style(entry))
                else:
                    page.write(r, c, plain(value), style(entry))
                if entry.style not in ("title", "note"):
                    widths[c] = max(widths.get(c, 8), min(len(shown(entry)) + 2, 60))
        for c, width in widths.items():
            page.set_column(c, c, width)
    xlsx.close()
    return out.getvalue()


def render(report: Report) -> bytes:
    """Any report as a workbook of value sheets."""
    return write(workbook(report))
