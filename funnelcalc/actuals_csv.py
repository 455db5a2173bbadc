"""Actuals as CSV. A well-formed file is checked column by column (each distinct date and
stage parsed once, counts and spends matched as whole columns), so 16 MiB answers in about a
second; a row that does not fit goes the careful way, which locates what is wrong with it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice, repeat
from operator import itemgetter
from typing import TypeVar, cast

from funnelcalc.actual_records import (
    FIELDS,
    HINTED,
    MAX_PROBLEMS,
    STOPPED,
    Key,
    Record,
    Segments,
    Totals,
    add_to,
    check_record,
    done,
    period_span,
)
from funnelcalc.errors import InputError, Problem, did_you_mean
from funnelcalc.model import Goals
from funnelcalc.safetext import excerpt
from funnelcalc.values import FIRST_DAY, LAST_DAY

CHUNK = 1 << 20
"""Characters of lines checked at a time: memory stays small however long the file is."""
_NOT_PLAIN = Decimal(-1)
"""A spend cell the quick path leaves to the careful one (a real spend is never negative)."""
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOST_DIGITS = 15
_MOST_AMOUNT = 28
"""The longest count, and amount, the quick path reads (longer ones go the careful way)."""
T = TypeVar("T")
SKIP, CAREFUL = "skip", "careful"
Row = tuple[list[str], int]
"""A row's cells and the line it starts on."""
Careful = list[Row]
"""Rows for the careful path, each with the line it starts on."""


def read_csv(
    data: bytes, source: str, readers: Sequence[tuple[Goals, Segments]]
) -> list[list[Record]]:
    """The records of a CSV actuals file (header: date or period, stage, count, spend, and
    in a segmented file segment) for each reader: a goals file, and the segment it tracks.
    The file is split once, however many segments read it."""
    if b"\x00" in data:
        raise InputError.single(source, "is a binary file, not CSV text")
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise InputError.single(source, "is not UTF-8 text: save it as UTF-8") from None
    problems: list[Problem] = []
    if '"' not in text and "\r" not in text:
        stream = io.StringIO(text, newline="\n")
        first = stream.readline().rstrip("\n").split(",")
        batches = _plain_batches(stream, len(first))
    else:
        rows = _quoted_rows(text, source, problems)
        first = next(rows, ([], 1))[0]
        batches = _quoted_batches(rows, len(first))
    header = [name.strip().lower() for name in first if first != [""]]
    if not header:
        raise InputError.single(source, "is empty: it needs a header row, e.g. date,stage,count")
    unknown = [name for name in header if name not in FIELDS]
    if unknown:
        raise InputError(
            [
                Problem(source, f"unknown column '{excerpt(name)}'{hint}", 1)
                for number, name in enumerate(unknown)
                for hint in [did_you_mean(name, list(FIELDS)) if number < HINTED else ""]
            ]
        )
    reading = [_Reading(source, header, goals, which) for goals, which in readers]
    for batch in batches:
        for each in reading:
            each.add(batch)
    for each in reading:
        each.problems += problems  # the file's own: not valid CSV
    return [each.records() for each in reading]


class _Reading:
    """One reader's pass over the file's rows: the quick path, then the careful one."""

    def __init__(self, source: str, header: list[str], goals: Goals, which: Segments) -> None:
        self.source, self.header, self.goals, self.which = source, header, goals, which
        self.quick = _Quick(goals, header, which)
        self.segment_at = header.index("segment") if "segment" in header else None
        self.problems: list[Problem] = []
        self.stopped = False

    def add(self, batch: _Batch) -> None:
        """Read a batch of rows, unless the problems found already stopped the reading."""
        if self.stopped:
            return
        source, header, which, problems = self.source, self.header, self.which, self.problems
        at = self.segment_at
        for row, line in self.quick.add(batch):
            if len(row) > len(header):
                problems.append(Problem(source, "has more cells than the header", line))
            elif at is not None and at < len(row) and which.skips(row[at]):
                self.quick.skipped += 1  # another segment's row, short or not, is not read
            elif row and row != [""]:  # a blank line is skipped, as csv.DictReader does
                fields = {k: v for k, v in zip(header, row, strict=False) if v != ""}
                where = lambda key, line=line: (source, line, key)  # noqa: E731
                check_record(fields, self.goals, self.quick.totals, problems, where, which=which)
            if len(problems) >= MAX_PROBLEMS:
                problems.append(Problem(source, STOPPED, line))
                self.stopped = True
                return

    def records(self) -> list[Record]:
        """The records read, or every problem found (in the order of their lines)."""
        if not self.stopped:
            self.problems.sort(key=lambda problem: problem.line or 0)
        return done(self.quick.totals, self.problems, self.source, skipped=self.quick.skipped)


@dataclass(frozen=True)
class _Batch:
    """Rows of a file: those as wide as the header, by column, with their lines; the others
    (too few or too many cells, or blank) whole, for the careful path."""

    columns: list[list[str]]
    lines: Sequence[int]
    others: Careful


def _plain_batches(stream: io.StringIO, width: int) -> Iterator[_Batch]:
    """Without quotes or lone carriage returns a row is a line split at commas: the cells
    the csv module would give, split a whole chunk of lines at a time."""
    number = 2
    while chunk := stream.readlines(CHUNK):
        lines = range(number, number + len(chunk))
        number += len(chunk)
        if max(map(str.count, chunk, repeat(","))) == min(map(str.count, chunk, repeat(","))):
            cells = "".join(chunk).removesuffix("\n").replace("\n", ",").split(",")
            if len(cells) == width * len(chunk):
                yield _Batch([cells[i::width] for i in range(width)], lines, [])
                continue
        rows = [line.rstrip("\n").split(",") for line in chunk]
        yield _by_width(rows, lines, width)


def _quoted_rows(
    text: str, source: str, problems: list[Problem]
) -> Iterator[tuple[list[str], int]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield row, reader.line_num
    except csv.Error as error:
        problems.append(Problem(source, f"not valid CSV: {excerpt(str(error))}", reader.line_num))


def _quoted_batches(rows: Iterator[Row], width: int) -> Iterator[_Batch]:
    while chunk := list(islice(rows, CHUNK // 32)):
        yield _by_width([row for row, _ in chunk], [line for _, line in chunk], width)


def _by_width(rows: list[list[str]], lines: Sequence[int], width: int) -> _Batch:
    fits = [length == width for length in map(len, rows)]
    if all(fits):
        return _Batch([list(map(itemgetter(i), rows)) for i in range(width)], lines, [])
    others = [(row, line) for row, line, fit in zip(rows, lines, fits, strict=True) if not fit]
    rows = [row for row, fit in zip(rows, fits, strict=True) if fit]
    lines = [line for line, fit in zip(lines, fits, strict=True) if fit]
    return _Batch([list(map(itemgetter(i), rows)) for i in range(width)], lines, others)


class _Quick:
    """Checks rows column by column and adds those that pass to `totals`: each distinct date
    and stage is parsed once, counts and spends are matched a whole column at a time, and
    rows whose date and stage are new are added at once."""

    def __init__(self, goals: Goals, header: list[str], which: Segments) -> None:
        self.header = header
        self.which = which
        self.segments: dict[str, str | None] = {}
        """A segment cell's verdict: None (counts), SKIP (another segment's) or CAREFUL."""
        self.skipped = 0
        self.at = {name: header.index(name) for name in FIELDS if name in header}
        self.kind = "date" if "date" in self.at else "period"
        self.spans: dict[str, tuple[date, date | None] | None] = {}
        self.stages: dict[str, int | None] = {s.name: i for i, s in enumerate(goals.stages)}
        self.totals: Totals = {}

    def add(self, batch: _Batch) -> Careful:
        """Add the rows that pass; return the others, by line, for the careful path."""
        at, columns, lines = self.at, batch.columns, batch.lines
        careful = list(batch.others)
        if not lines:
            return sorted(careful, key=itemgetter(1))
        if "stage" not in at or "count" not in at or ("date" in at) == ("period" in at):
            rows = [list(row) for row in zip(*columns, strict=True)] if columns else []
            return sorted([*careful, *zip(rows, lines, strict=True)], key=itemgetter(1))
        verdicts = self._segments(columns, len(lines))
        if SKIP in verdicts:  # other segments' rows: dropped before any cell is parsed
            kept = [verdict != SKIP for verdict in verdicts]
            self.skipped += len(verdicts) - sum(kept)
            columns = [_only(kept, column) for column in columns]
            lines, verdicts = _only(kept, list(lines)), _only(kept, verdicts)
            if not lines:
                return sorted(careful, key=itemgetter(1))
        spans = _each_distinct(columns[at[self.kind]], self.spans, _span_of(self.kind))
        stages = _each_distinct(columns[at["stage"]], self.stages, lambda text: None)
        counts = _counts(columns[at["count"]])
        no_spend: list[Decimal | None] = [None] * len(lines)
        spends, plain = _spends(columns[at["spend"]]) if "spend" in at else (no_spend, True)
        if None in spans or None in stages or None in counts or not plain or any(verdicts):
            checks = zip(spans, stages, counts, spends, verdicts, strict=True)
            fine = [
                None not in (a, b, c) and d is not _NOT_PLAIN and not e for a, b, c, d, e in checks
            ]
            careful += [
                ([column[index] for column in columns], lines[index])
                for index, ok in enumerate(fine)
                if not ok
            ]
            spans, stages, counts = (_only(fine, cells) for cells in (spans, stages, counts))
            spends = _only(fine, spends)
        # Every row left passed: none of its values is None (the casts say so to mypy).
        days = cast("list[tuple[date, date | None]]", spans)
        keys = zip(map(itemgetter(0), days), map(itemgetter(1), days), stages, strict=True)
        whole = cast("list[int]", counts)
        add_to(self.totals, cast("Iterator[Key]", keys), whole, spends)
        return sorted(careful, key=itemgetter(1))

    def _segments(self, columns: list[list[str]], rows: int) -> list[str | None]:
        """Each row's segment verdict: None when it counts as it is."""
        which = self.which
        if "segment" not in self.at:
            return [CAREFUL if which.named else None] * rows  # the careful way says why

        def verdict(text: str) -> str | None:
            if which.skips(text):
                return SKIP
            return None if which.problem(text) is None else CAREFUL

        return _each_distinct(columns[self.at["segment"]], self.segments, verdict)


def _only(fine: list[bool], cells: list[T]) -> list[T]:
    return [cell for cell, ok in zip(cells, fine, strict=True) if ok]


def _each_distinct(
    cells: list[str], known: dict[str, T | None], parse: Callable[[str], T | None]
) -> list[T | None]:
    """Each cell parsed, each distinct text once (dates and stages repeat on every row);
    a stage spelt differently from the file (case, spaces) is left to the careful path."""
    for text in set(cells).difference(known):
        known[text] = parse(text)
    return list(map(known.__getitem__, cells))


def _span_of(kind: str) -> Callable[[str], tuple[date, date | None] | None]:
    """A record's day and, for a period, the day after its last; None: the careful path
    will say what is wrong."""

    def span(text: str) -> tuple[date, date | None] | None:
        if kind == "period":
            first, until = period_span(text)
            return None if first is None else (first, until)
        if _ISO_DAY.fullmatch(text):  # parse_date's rule without its messages, for speed
            try:
                day = date.fromisoformat(text)
            except ValueError:
                return None
            return (day, None) if FIRST_DAY <= day <= LAST_DAY else None
        return None

    return span


def _counts(cells: list[str]) -> list[int | None]:
    """Plain counts (ASCII digits, at most 15) as whole numbers; None for any other cell."""
    joined = "".join(cells)
    lengths = list(map(len, cells))
    if joined.isascii() and joined.isdigit() and 0 < min(lengths) <= max(lengths) <= _MOST_DIGITS:
        return list(map(int, cells))
    return [int(cell) if _plain_count(cell) else None for cell in cells]


def _plain_count(cell: str) -> bool:
    return cell.isascii() and cell.isdigit() and len(cell) <= _MOST_DIGITS


def _spends(cells: list[str]) -> tuple[list[Decimal | None], bool]:
    """Plain amounts (digits, at most one point between them), None for an empty cell, and
    _NOT_PLAIN for any other cell; and whether every cell is plain."""
    joined = "\n" + "\n".join(cells) + "\n"
    digits = joined.replace("\n", "").replace(".", "")
    if (
        digits.isascii()
        and (digits.isdigit() or not digits)
        and "\n." not in joined
        and ".\n" not in joined
        and max(map(len, cells)) <= _MOST_AMOUNT
        and max(map(str.count, cells, repeat("."))) <= 1
    ):
        if "\n\n" not in joined:
            return list(map(Decimal, cells)), True
        return [Decimal(cell) if cell else None for cell in cells], True
    return [(Decimal(c) if c else None) if _plain_amount(c) else _NOT_PLAIN for c in cells], False


def _plain_amount(cell: str) -> bool:
    whole, point, fraction = cell.partition(".")
    digits = whole + fraction
    return not cell or (
        len(cell) <= _MOST_AMOUNT
        and digits.isascii()
        and digits.isdigit()
        and bool(whole)
        and bool(fraction) == bool(point)
    )
