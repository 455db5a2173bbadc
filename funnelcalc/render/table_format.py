"""The terminal: any report as lines of text whose numbers are never cut and words never
split. Tables, facts and charts are laid out here, column by column: rich's table layout, and
even importing rich, cost more than planning the funnel. rich only colours the lines on a
real terminal; a pipe or a file gets the same text, plain."""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from funnelcalc.render.chart import shares, terminal_bar
from funnelcalc.report import Chart, Facts, Note, Report, Section, Table

_NOTE_STYLES = {"info": "", "warning": "yellow", "failure": "bold red"}
SHORT = 12
"""Text cells up to this many cells wide are never wrapped."""


class Line(NamedTuple):
    """One line of the view; a `wraps` line (a title or a note) is wrapped to the width."""

    text: str
    style: str = ""
    wraps: bool = False


class View(NamedTuple):
    """What the terminal shows, and the width it is laid out for (at least the narrowest at
    which nothing is cut or split)."""

    lines: tuple[Line, ...]
    width: int

    def text_lines(self) -> list[tuple[str, str]]:
        """(text, style) for every printed line, the wrapping lines wrapped."""
        return [
            (part, line.style)
            for line in self.lines
            for part in (_wrap_words(line.text, self.width) if line.wraps else [line.text])
        ]


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def cell_len(text: str) -> int:
    """How many terminal cells `text` takes (wide East Asian characters take two)."""
    return len(text) if text.isascii() else sum(_char_width(char) for char in text)


def _wrap_words(text: str, width: int) -> list[str]:
    """Prose wrapped as rich wraps it: a word goes to the next line when it would pass
    `width`, and the space after the last word of a line stays on it if it fits."""
    lines: list[str] = []
    line = ""
    for word in re.findall(r"\S+\s*", text) or [""]:
        if line and cell_len(line + word.rstrip()) > width:
            lines.append(line)
            line = word
        else:
            line += word
    # a space that would pass the width is not printed
    return [part.rstrip() if cell_len(part) > width else part for part in [*lines, line]]


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _wrap(text: str, width: int) -> list[str]:
    """A cell's words on lines of at most `width` cells (a longer word keeps a line to itself),
    without the spaces that end them."""
    return [line.rstrip() for line in _wrap_words(text, width)]


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - cell_len(text), 0)
    return gap + text if right else text + gap


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


def _table(table: Table, width: int) -> tuple[list[Line], int]:
    """A table's lines laid out for `width` columns, and the least width it needs."""
    natural, least = [], []
    for index, column in enumerate(table.columns):
        cells = [row[index].text for row in table.rows]
        longest = max((cell_len(text) for text in cells), default=0)
        natural.append(max(cell_len(column.label), longest))
        # Numbers print whole; text wraps between words only, and a short phrase ("✓ on
        # track") not at all.
        words = [column.label, *([] if column.numeric else cells)]
        whole = longest if column.numeric else min(longest, SHORT)
        least.append(max([whole, *(_longest_word(text) for text in words)]))
    overhead = 3 * len(table.columns) - 1
    widths = _fit(natural, least, width - overhead)
    right = [column.numeric for column in table.columns]
    total = sum(widths) + overhead
    labels = [column.label for column in table.columns]
    lines = [Line(" " * total)]
    lines += [Line(line, "bold") for line in _rows(labels, widths, right, bottom=True)]
    lines.append(Line(" " + "─" * (total - 2) + " "))
    for row in table.rows:
        lines += [Line(line) for line in _rows([cell.text for cell in row], widths, right)]
    lines.append(Line(" " * total))
    return lines, sum(least) + overhead


def _rows(
    cells: Sequence[str], widths: Sequence[int], right: Sequence[bool], *, bottom: bool = False
) -> list[str]:
    """One table row as lines: each cell wrapped to its width, top-aligned (bottom-aligned for
    headers), padded, three spaces between columns and one at each edge."""
    wrapped = [_wrap(text, width) for text, width in zip(cells, widths, strict=True)]
    height = max(len(lines) for lines in wrapped)
    for lines in wrapped:
        blank = [""] * (height - len(lines))
        if bottom:
            lines[:0] = blank
        else:
            lines.extend(blank)
    return [
        " "
        + "   ".join(
            _pad(lines[i], width, flush)
            for lines, width, flush in zip(wrapped, widths, right, strict=True)
        )
        + " "
        for i in range(height)
    ]


def _facts(facts: Facts, width: int) -> list[Line]:
    """Labels (dim) and values in two columns; values wrap between words."""
    label_width = max(cell_len(label) for label, _ in facts.items)
    value_width = max(cell_len(value) for _, value in facts.items)
    value_width = max(min(value_width, width - label_width - 2), 1)
    lines = []
    for label, value in facts.items:
        for index, part in enumerate(_wrap(value, value_width)):
            label_part = _pad(label if index == 0 else "", label_width)
            lines.append(Line(f"{label_part}  {_pad(part, value_width)}", "dim label"))
    return lines


def _chart(chart: Chart) -> list[Line]:
    """Bars of block characters, a row each: label, bar, value, and the text beside it."""
    widths, log = shares([bar.value for bar in chart.bars])
    rows = [
        (bar.label, terminal_bar(share), bar.text, bar.side)
        for bar, share in zip(chart.bars, widths, strict=True)
    ]
    if log:
        rows.append(("", "(log scale)", "", ""))
    label, bar, value, side = (max(cell_len(row[i]) for row in rows) for i in range(4))
    return [
        Line(
            f"{_pad(row[0], label)} {_pad(row[1], max(bar, 16))} "
            f"{_pad(row[2], value, right=True)} {_pad(row[3], side)}"
        )
        for row in rows
    ]


def view(report: Report, width: int = 100) -> View:
    """The terminal view of any report, laid out for `width` columns or, where a number or a
    word would not fit, as few more as needed."""
    parts: list[Line] = [Line(report.title, "bold", wraps=True)]
    least = _longest_word(report.title)
    previous: Section | None = None
    for section in report.sections:
        if isinstance(section, Note):
            if isinstance(previous, Facts):
                parts.append(Line(""))
            parts.append(Line(section.text, _NOTE_STYLES[section.level], wraps=True))
            previous = section
            continue
        if section.title and not isinstance(section, Chart):
            parts += [Line(""), Line(section.title, "bold", wraps=True)]
        elif previous is not None:
            parts.append(Line(""))
        previous = section
        if isinstance(section, Table):
            lines, needs = _table(section, width)
            parts += lines
            least = max(least, needs)
        elif isinstance(section, Facts):
            if section.items:
                parts += _facts(section, width)
        else:
            parts += _chart(section)
    if report.provenance is not None:
        parts.append(Line(""))
        parts.extend(Line(line, "dim", wraps=True) for line in report.provenance.lines())
    if least > width:
        return view(report, least)
    return View(tuple(parts), width)


def to_text(view: View, *, width: int | None = None) -> str:
    """Plain text without colour codes (for --output, pipes and snapshot tests)."""
    if width is not None and width > view.width:
        view = view._replace(width=width)
    return "".join(text + "\n" for text, _ in view.text_lines())


def render(report: Report) -> str:
    """`--format table` written to a file: plain text, 100 columns or as wide as needed."""
    return to_text(view(report, 100))


def show(report: Report) -> None:
    """Print a report: in colour on a terminal, plain to a pipe; as wide as the terminal (or
    $COLUMNS, else 80) or as the report needs."""
    if sys.stdout is None or not sys.stdout.isatty():
        from funnelcalc.output import write_stdout  # noqa: PLC0415 - names a failed write

        write_stdout(to_text(view(report, _columns())))
        return
    from rich.console import Console  # noqa: PLC0415 - only a terminal needs colours
    from rich.text import Text  # noqa: PLC0415

    console = Console(highlight=False, markup=False, emoji=False)
    laid_out = view(report, console.width)
    # Never let rich cut a number or split a word: a narrow terminal gets a wider view.
    console.width = max(console.width, laid_out.width)
    for text, style in laid_out.text_lines():
        if style == "dim label":
            label, _, value = text.partition("  ")
            console.print(Text.assemble((label, "dim"), "  ", value), no_wrap=True, crop=False)
        else:
            console.print(Text(text, style=style), no_wrap=True, crop=False)


def _columns() -> int:
    """The width a pipe is laid out for: $COLUMNS, else 80 (as rich and most tools do)."""
    try:
        return max(int(os.environ.get("COLUMNS", "80")[:6]), 1)
    except ValueError:
        return 80
