"""The document model every output is laid out from: a report is a title, where it came from,
and an ordered list of sections (facts, tables, notes, charts). Views build reports from
results; renderers lay out any report and know no capability. Pure: no rich, no printing."""

from __future__ import annotations

from datetime import date
from typing import Literal, NamedTuple

Kind = Literal["text", "count", "money", "rate", "ratio", "number", "date"]
"""What a column holds; number is for a column of mixed figures (counts and money). Numbers
(every kind but text and date) read right-aligned and are never cut."""
NUMERIC_KINDS = frozenset({"count", "money", "rate", "ratio", "number"})
Level = Literal["info", "warning", "failure"]
Value = object
"""An exact value: int, Decimal, Fraction, date, str, bool or None."""


class Column(NamedTuple):
    """A table column: `key` names it for machines (CSV headers), `label` for people."""

    key: str
    label: str
    kind: Kind = "text"

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (right-aligned, never wrapped)."""
        return self.kind in NUMERIC_KINDS


class Cell(NamedTuple):
    """One value of a table, exact, and the text people read for it."""

    value: Value
    text: str


class Table(NamedTuple):
    """Typed columns and rows of cells, under an optional title."""

    title: str | None
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    key: str = ""
    """A short machine name for the table (CSV section titles)."""


class Facts(NamedTuple):
    """Labelled values read as a list: "Target: $500,000 of new revenue"."""

    title: str | None
    items: tuple[tuple[str, str], ...]


class Note(NamedTuple):
    """A sentence the reader must see: information, a warning, or a failure."""

    text: str
    level: Level = "info"


class Bar(NamedTuple):
    """One bar of a chart: what it is, how big, the text on it and beside it, its group."""

    label: str
    value: int
    text: str
    side: str = ""
    """Text beside the bar, e.g. the rate from the stage above."""
    group: str | None = None
    """Bars of one group share a colour (a funnel's owners)."""


class Chart(NamedTuple):
    """The data a chart draws: a funnel (centred bars, top first) or plain bars."""

    kind: Literal["funnel", "bars"]
    title: str
    subtitle: str
    bars: tuple[Bar, ...]
    groups: tuple[str, ...] = ()
    """The groups in order of first appearance; bars without a group are "(no owner)"."""


Section = Facts | Table | Note | Chart


class Provenance(NamedTuple):
    """Where a report came from: its inputs, the scenario, every --set, the period, the date it
    was made and the funnelcalc that made it."""

    sources: tuple[str, ...]
    scenario: str | None
    sets: tuple[str, ...]
    period: str | None
    made: date
    version: str
    segment: str | None = None
    """The segment planned (`--segment`), None for a whole file."""

    def lines(self) -> list[str]:
        """The footer, a line each, as every text format prints it."""
        lines = [f"From {', '.join(self.sources) or 'standard input'}"]
        if self.segment is not None:
            lines.append(f"Segment: {self.segment}")
        if self.scenario is not None:
            lines.append(f"Scenario: {self.scenario}")
        lines.extend(f"Changed by --set {assignment}" for assignment in self.sets)
        if self.period is not None:
            lines.append(f"Period: {self.period}")
        lines.append(f"Made {self.made.isoformat()} with funnelcalc {self.version}")
        return lines


class Annotation(NamedTuple):
    """A message pinned to a line of a file, for CI (GitHub Actions workflow commands)."""

    level: Literal["notice", "warning", "error"]
    file: str | None
    """None: about the run as a whole, not a file."""
    line: int | None
    title: str
    message: str


class Report(NamedTuple):
    """A whole document."""

    title: str
    sections: tuple[Section, ...]
    provenance: Provenance | None = None

    def tables(self) -> list[Table]:
        """Every table, in order."""
        return [section for section in self.sections if isinstance(section, Table)]

    def charts(self) -> list[Chart]:
        """Every chart, in order."""
        return [section for section in self.sections if isinstance(section, Chart)]
