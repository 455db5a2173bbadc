"""The spreadsheet model: sheets of cells that hold exact values or live formulas (each with
the exact value funnelcalc computed for it). Views build workbooks; render/xlsx_format.py
writes any of them. Any report also becomes a workbook of plain value sheets. Pure."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, NamedTuple

from funnelcalc.report import Facts, Kind, Note, Report, Table, Value

Style = Literal["plain", "title", "header", "input", "note"]


class Formula(NamedTuple):
    """A live formula (A1 notation, leading "=") and the exact value funnelcalc computed."""

    text: str
    value: Value


class Entry(NamedTuple):
    """One cell: an exact value or a formula, what kind of figure it is, and how it looks."""

    value: Value | Formula
    kind: Kind = "text"
    style: Style = "plain"


Row = tuple[Entry | None, ...]


class Sheet(NamedTuple):
    """A named grid, row by row, from A1."""

    name: str
    rows: tuple[Row, ...]


class Workbook(NamedTuple):
    """A whole spreadsheet and where it came from."""

    title: str
    sheets: tuple[Sheet, ...]
    about: tuple[str, ...] = ()
    """The provenance lines, also written into the file's properties."""
    made: date | None = None
    """The day it was made: the file's creation date, so the same plan gives the same file."""


def column_letter(index: int) -> str:
    """A zero-based column index in letters: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_ref(row: int, column: int, sheet: str | None = None) -> str:
    """A zero-based row and column as an absolute-free A1 reference, on `sheet` if given."""
    ref = f"{column_letter(column)}{row + 1}"
    return f"{quoted(sheet)}!{ref}" if sheet else ref


def quoted(sheet: str) -> str:
    """A sheet name as a formula writes it: 'Sources of leads'!A1, Inputs!A1."""
    return sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet) else f"'{sheet}'"


def sheet_name(title: str, taken: set[str]) -> str:
    """A legal, unused sheet name (31 characters, none of []:*?/\\) for a title."""
    base = re.sub(r"[\[\]:*?/\\']", " ", title).strip()[:31] or "Sheet"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" {number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.casefold())
    return name


def text(value: str, style: Style = "plain") -> Entry:
    """A text cell."""
    return Entry(value, "text", style)


def table_rows(table: Table) -> list[Row]:
    """A report table as a header row and rows of values (numbers as numbers)."""
    rows: list[Row] = [tuple(text(column.label, "header") for column in table.columns)]
    for cells in table.rows:
        row: list[Entry | None] = []
        for column, cell in zip(table.columns, cells, strict=True):
            exact = isinstance(cell.value, int | Decimal | Fraction)
            if column.numeric and exact and not isinstance(cell.value, bool):
                row.append(Entry(cell.value, column.kind))
            elif column.kind == "date" and cell.value is not None:
                row.append(Entry(cell.value, "date"))
            else:
                row.append(text(cell.text) if cell.text else None)
        rows.append(tuple(row))
    return rows


def value_sheet(table: Table, taken: set[str]) -> Sheet:
    """A report table on a sheet of its own, under its title."""
    title = table.title or table.key.replace("_", " ").capitalize() or "Table"
    rows: list[Row] = [(text(title, "title"),), ()]
    return Sheet(sheet_name(title, taken), tuple(rows + table_rows(table)))


def about_sheet(report: Report, taken: set[str], extra: tuple[str, ...] = ()) -> Sheet:
    """The title, the provenance, every fact and every note of a report, a line each."""
    rows: list[Row] = [(text(report.title, "title"),), ()]
    if report.provenance is not None:
        rows += [(text(line),) for line in report.provenance.lines()] + [()]
    for section in report.sections:
        if isinstance(section, Facts):
            if section.title:
                rows.append((text(section.title, "header"),))
            rows += [(text(label), text(value)) for label, value in section.items]
            rows.append(())
        elif isinstance(section, Note):
            rows.append((text(section.text, "note"),))
    rows += [(text(line, "note"),) for line in extra]
    return Sheet(sheet_name("About", taken), tuple(rows))


def value_sheets(report: Report, taken: set[str], skip: tuple[str, ...] = ()) -> list[Sheet]:
    """A sheet per table of a report, but those whose key is in `skip`."""
    return [value_sheet(t, taken) for t in report.tables() if t.key not in skip]


def workbook(report: Report) -> Workbook:
    """A workbook of any report: its facts and notes, and every table as values."""
    taken: set[str] = set()
    sheets = [about_sheet(report, taken), *value_sheets(report, taken)]
    return Workbook(report.title, tuple(sheets), *provenance(report))


def provenance(report: Report) -> tuple[tuple[str, ...], date | None]:
    """A report's provenance lines and the day it was made, for a workbook's properties."""
    made = report.provenance
    return (tuple(made.lines()), made.made) if made is not None else ((), None)
