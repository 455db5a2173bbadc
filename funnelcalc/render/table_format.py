"""The terminal: any report as rich text, whose numbers are never cut and words never split."""

from __future__ import annotations

import io
from typing import NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from funnelcalc.render.chart import shares, terminal_bar
from funnelcalc.report import Chart, Facts, Note, Report, Section, Table

_NOTE_STYLES = {"info": "", "warning": "yellow", "failure": "bold red"}


class View(NamedTuple):
    """What the terminal shows, and the narrowest width at which nothing is cut or split."""

    renderable: Group
    width: int


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _fit(natural: list[int], least: list[int], room: int) -> list[int]:
    """Column widths within `room`: the widest text column gives way first, never below its
    least width (its longest word, or a number's whole width)."""
    widths = list(natural)
    for _ in range(sum(widths) - room):
        shrinkable = [i for i, low in enumerate(least) if widths[i] > low]
        if not shrinkable:
            break
        widths[max(shrinkable, key=widths.__getitem__)] -= 1
    return widths


def _table(table: Table, width: int) -> tuple[RichTable, int]:
    """A rich table laid out for `width` columns, and the least width it needs."""
    natural, least = [], []
    for index, column in enumerate(table.columns):
        cells = [row[index].text for row in table.rows]
        longest = max((cell_len(text) for text in cells), default=0)
        natural.append(max(cell_len(column.label), longest))
        # Numbers print whole; text wraps between words only.
        words = [column.label, *([] if column.numeric else cells)]
        least.append(
            max([*(_longest_word(text) for text in words), longest if column.numeric else 0])
        )
    overhead = 3 * len(table.columns) - 1
    widths = _fit(natural, least, width - overhead)
    out = RichTable(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for column, fixed in zip(table.columns, widths, strict=True):
        out.add_column(
            Text(column.label),
            justify="right" if column.numeric else "left",
            width=fixed,
            overflow="fold",
        )
    numeric = [column.numeric for column in table.columns]
    for row in table.rows:
        out.add_row(
            *(Text(cell.text, no_wrap=whole) for cell, whole in zip(row, numeric, strict=True))
        )
    return out, sum(least) + overhead


def _facts(facts: Facts) -> RenderableType:
    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    for label, value in facts.items:
        grid.add_row(Text(label), Text(value))
    return grid


def _chart(chart: Chart) -> RenderableType:
    """Bars of block characters, a row each: label, bar, value, and the text beside it."""
    widths, log = shares([bar.value for bar in chart.bars])
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, min_width=16)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(style="dim")
    for bar, share in zip(chart.bars, widths, strict=True):
        grid.add_row(Text(bar.label), Text(terminal_bar(share)), Text(bar.text), Text(bar.side))
    if log:
        grid.add_row(Text(""), Text("(log scale)", style="dim"), Text(""), Text(""))
    return grid


def view(report: Report, width: int = 100) -> View:
    """The terminal view of any report, laid out for `width` columns or, where a number or a
    word would not fit, as few more as needed."""
    parts: list[RenderableType] = [Text(report.title, style="bold")]
    least = _longest_word(report.title)
    previous: Section | None = None
    for section in report.sections:
        if isinstance(section, Note):
            if isinstance(previous, Facts):
                parts.append(Text(""))
            parts.append(Text(section.text, style=_NOTE_STYLES[section.level]))
            previous = section
            continue
        if section.title and not isinstance(section, Chart):
            parts.append(Text(""))
            parts.append(Text(section.title, style="bold"))
        elif previous is not None:
            parts.append(Text(""))
        previous = section
        if isinstance(section, Table):
            table, needs = _table(section, width)
            parts.append(table)
            least = max(least, needs)
        elif isinstance(section, Facts):
            if section.items:
                parts.append(_facts(section))
        else:
            parts.append(_chart(section))
    if report.provenance is not None:
        parts.append(Text(""))
        parts.extend(Text(line, style="dim") for line in report.provenance.lines())
    if least > width:
        return view(report, least)
    return View(Group(*parts), width)


def to_text(view: View, *, width: int | None = None) -> str:
    """Plain text without colour codes (for --output and snapshot tests)."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=max(width or 0, view.width),
        color_system=None,
        force_terminal=False,
        markup=False,
        emoji=False,
    )
    console.print(view.renderable)
    return out.getvalue()


def render(report: Report) -> str:
    """`--format table` written to a file: plain text, 100 columns or as wide as needed."""
    return to_text(view(report, 100))


def show(report: Report) -> None:
    """Print a report on the terminal, as wide as it is or as the report needs."""
    console = Console(highlight=False, markup=False, emoji=False)
    laid_out = view(report, console.width)
    # Never let rich cut a number or split a word: a narrow terminal gets a wider table.
    console.width = max(console.width, laid_out.width)
    console.print(laid_out.renderable)
