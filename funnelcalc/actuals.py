"""Actuals: what really happened, as CSV or YAML records of date (or period), stage, count
and optional spend, each checked and located by file and line."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from funnelcalc.errors import InputError, Problem, did_you_mean
from funnelcalc.inputs import read_input
from funnelcalc.model import Goals
from funnelcalc.safetext import excerpt
from funnelcalc.timevalues import parse_date
from funnelcalc.values import FIRST_DAY, LAST_DAY, parse_cost
from funnelcalc.yamlsource import read_records

MAX_BYTES = 16 * 1024 * 1024
MAX_YAML_BYTES = 1024 * 1024
"""YAML is read far more slowly than CSV: longer actuals are CSV, so every file answers fast."""
_YAML_LARGE = (
    f"is larger than {MAX_YAML_BYTES // 1024 // 1024} MiB, the most read as YAML: "
    f"write longer actuals as CSV (up to {MAX_BYTES // 1024 // 1024} MiB)"
)
HINTED = 100
MAX_PROBLEMS = 1000
"""Past this many problems the rest of the file is not checked: fix these first."""
_STOPPED = f"stopped after {MAX_PROBLEMS:,} problems: fix these first"
MAX_COUNT_DIGITS = 15
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,13})?")
"""Problems that get a did-you-mean; past these nobody reads them, and each costs a fuzzy match."""
FIELDS = ("date", "period", "stage", "count", "spend", "segment")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)


@dataclass(frozen=True)
class Record:
    """One count of one stage on a day, or over a month or quarter (dated by its first day)."""

    day: date
    stage: int
    """The stage's index, top first."""
    count: int
    spend: Decimal | None
    until: date | None = None
    """For a period record (a month or quarter): the day after its last day."""


@dataclass(frozen=True)
class Segments:
    """Which rows count when an actuals file has a `segment` column: those of the segment
    tracked (`chosen`), and rows that name no segment; rows of the file's other segments are
    skipped."""

    chosen: str | None = None
    known: tuple[str, ...] = ()
    named: bool = False
    """Every row must name its segment (the roll-up is tracked: a row without one would count
    in no segment, or in all)."""

    def skips(self, value: str) -> bool:
        """Whether a row of segment `value` belongs to another known segment."""
        folded = value.strip().casefold()
        if not folded or self.chosen is None or folded == self.chosen.casefold():
            return False
        return any(folded == name.casefold() for name in self.known)

    def problem(self, value: str) -> str | None:
        """What is wrong with a row's segment, if anything."""
        folded = value.strip().casefold()
        if not folded and self.named:
            return "name the row's segment to track the company, or track one with --segment"
        if not folded or any(folded == name.casefold() for name in self.known):
            return None
        if not self.known:
            return "the goals file has no segments: leave segment empty"
        hint = did_you_mean(value.strip(), list(self.known))
        return f"no segment is named '{excerpt(value)}'{hint}"


def read_actuals(path: str | Path, goals: Goals, segments: Segments | None = None) -> list[Record]:
    """Read an actuals file (by its extension: .csv, .yaml or .yml) against the goals (in a
    segmented file, those of the segment tracked)."""
    which = segments or Segments()
    source = str(path)
    suffix = Path(source).suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise InputError.single(source, "name actuals .csv, .yaml or .yml, so it is read right")
    data = read_input(path, limit=MAX_BYTES, kind="an actuals file")
    if len(data) > MAX_BYTES:
        raise InputError.single(source, f"is larger than {MAX_BYTES // 1024 // 1024} MiB")
    if suffix == ".csv":
        return _from_csv(data, source, goals, which)
    return _from_yaml(data, source, goals, which)


def _from_csv(data: bytes, source: str, goals: Goals, which: Segments) -> list[Record]:
    if b"\x00" in data:
        raise InputError.single(source, "is a binary file, not CSV text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single(source, "is not UTF-8 text: save it as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    if not header:
        raise InputError.single(source, "is empty: it needs a header row, e.g. date,stage,count")
    problems = [
        Problem(source, f"unknown column '{excerpt(name)}'{did_you_mean(name, list(FIELDS))}", 1)
        for name in header[:HINTED]
        if name not in FIELDS
    ]
    problems += [
        Problem(source, f"unknown column '{excerpt(name)}'", 1)
        for name in header[HINTED:]
        if name not in FIELDS
    ]
    if problems:
        raise InputError(problems)
    records: list[Record] = []
    quick = _Quick(goals, header, named=which.named)
    at = header.index("segment") if "segment" in header else None
    skipped = 0
    try:
        for row in reader:
            line = reader.line_num
            if len(row) > len(header):
                problems.append(Problem(source, "has more cells than the header", line))
            elif at is not None and at < len(row) and which.skips(row[at]):
                skipped += 1
            elif (record := quick.record(row)) is not None:
                records.append(record)
            elif row:  # a blank line is skipped, as csv.DictReader does
                fields = {k: v for k, v in zip(header, row, strict=False) if v != ""}
                _record(
                    fields,
                    goals,
                    records,
                    problems,
                    lambda key, line=line: (source, line, key),
                    which=which,
                )
            if len(problems) >= MAX_PROBLEMS:
                problems.append(Problem(source, _STOPPED, line))
                break
    except csv.Error as error:
        problems.append(Problem(source, f"not valid CSV: {excerpt(str(error))}", reader.line_num))
    return _done(records, problems, source, skipped=skipped)


class _Quick:
    """The fast path for a well-formed CSV row (a known stage, a plain count and spend, a date
    or period seen before): a 16 MiB file is read in about a second. Anything else is None,
    and goes the careful way."""

    def __init__(self, goals: Goals, header: list[str], *, named: bool = False) -> None:
        self.named = named
        self.columns = {name: header.index(name) for name in FIELDS if name in header}
        self.stages = {stage.name: index for index, stage in enumerate(goals.stages)}
        self.days: dict[str, tuple[date | None, date | None]] = {}
        self.spends: dict[str, Decimal] = {}

    def record(self, row: list[str]) -> Record | None:
        """The record of `row`, or None when it needs the careful path."""
        cells = self.columns
        named = self.named or ("segment" in cells and row[cells["segment"]])  # the careful way
        if len(row) != len(cells) or "stage" not in cells or "count" not in cells or named:
            return None
        stage = self.stages.get(row[cells["stage"]])
        count_text = row[cells["count"]]
        if stage is None or not (count_text.isascii() and count_text.isdigit()):
            return None
        if len(count_text) > MAX_COUNT_DIGITS:
            return None
        spend = None
        if "spend" in cells and (spend_text := row[cells["spend"]]):
            spend = self.spends.get(spend_text)
            if spend is None:
                if not _PLAIN_AMOUNT.fullmatch(spend_text):
                    return None
                if "." in spend_text:  # as plain() would: 1.50 → 1.5, 2.0 → 2
                    spend_text = spend_text.rstrip("0").rstrip(".")
                spend = self.spends[spend_text] = Decimal(spend_text)
        if ("date" in cells) == ("period" in cells):
            return None
        key = "date" if "date" in cells else "period"
        text = row[cells[key]]
        if text not in self.days:
            self.days[text] = _quick_day(key, text)
        day, until = self.days[text]
        return None if day is None else Record(day, stage, int(count_text), spend, until)


def _quick_day(key: str, text: str) -> tuple[date | None, date | None]:
    """A record's day (and, for a period, the day after its last), or None: the careful
    path will say what is wrong."""
    if key == "period":
        return _period_span(text)
    try:
        return parse_date(text), None
    except PydanticCustomError:
        return None, None


def _from_yaml(data: bytes, source: str, goals: Goals, which: Segments) -> list[Record]:
    raw, positions = read_records(data, source=source, limit=MAX_YAML_BYTES, too_large=_YAML_LARGE)
    records: list[Record] = []
    problems: list[Problem] = []
    skipped = 0
    for index, entry in enumerate(raw):
        line = (positions.of((index,)) or (None, None))[0]
        if not isinstance(entry, dict):
            problems.append(Problem(source, "a record must be a mapping of fields", line))
            continue
        unknown = [key for key in entry if key not in FIELDS]
        for key in unknown:
            at = positions.keys.get((index, key))
            hint = did_you_mean(key, list(FIELDS)) if len(problems) < HINTED else ""
            problems.append(
                Problem(
                    source, f"unknown field '{excerpt(key)}'{hint}", at and at[0], key=excerpt(key)
                )
            )
        if unknown:
            continue

        def where(key: str, index: int = index) -> tuple[str, int | None, str]:
            at = positions.of((index, key))
            return source, at[0] if at else None, key

        fields = {k: v for k, v in entry.items() if v is not None}
        if "segment" in fields and which.skips(str(fields["segment"])):
            skipped += 1
            continue
        _record(fields, goals, records, problems, where, which=which)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(source, _STOPPED, line))
            break
    return _done(records, problems, source, skipped=skipped)


def _record(  # noqa: PLR0912 - one branch per field, each with its own message
    fields: dict[str, Any],
    goals: Goals,
    records: list[Record],
    problems: list[Problem],
    where: Any,
    *,
    which: Segments,
) -> None:
    """Check one record's fields; append it, or the problems with it."""

    def fail(key: str, message: str) -> None:
        source, line, name = where(key)
        problems.append(Problem(source, message, line, key=name))

    before = len(problems)
    wrong = which.problem(str(fields.get("segment", "")))
    if wrong is not None:
        fail("segment", wrong)
    day = until = None
    if ("date" in fields) == ("period" in fields):
        fail("date", "give either a date (YYYY-MM-DD) or a period (YYYY-MM or YYYY-Qn)")
    elif "date" in fields:
        try:
            day = parse_date(str(fields["date"]))
        except PydanticCustomError as error:
            fail("date", error.message())
    else:
        day, until = _period_span(str(fields["period"]))
        if day is None:
            fail(
                "period",
                f"'{excerpt(fields['period'])}' is not a period from 1900 to 2199: "
                "write 2027-03 or 2027-Q1",
            )
    stage = None
    if "stage" not in fields:
        fail("stage", "is required: which stage the count is of")
    else:
        stage = goals.stage_index(str(fields["stage"]))
        if stage is None:
            names = [s.name for s in goals.stages]
            # A fuzzy match per row would take minutes on a large file: hint the first ones.
            hint = did_you_mean(str(fields["stage"]), names) if len(problems) < HINTED else ""
            fail("stage", f"no stage is named '{excerpt(fields['stage'])}'{hint}")
    count = _count(fields.get("count"))
    if count is None:
        fail("count", "is a whole number of at least 0")
    spend = None
    if "spend" in fields:
        try:
            spend = parse_cost(fields["spend"])
        except PydanticCustomError as error:
            fail("spend", error.message())
    if len(problems) == before and day is not None and stage is not None and count is not None:
        records.append(Record(day, stage, count, spend, until))


def _count(value: object) -> int | None:
    text = str(value).strip().replace("_", "") if isinstance(value, int | str) else ""
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]+", text) or len(text) > MAX_COUNT_DIGITS:
        return None
    return int(text)


def _period_span(text: str) -> tuple[date | None, date | None]:
    """A period's first day and the day after its last, or (None, None)."""
    text = text.strip()
    month = _MONTH.fullmatch(text)
    if month and 1 <= int(month[2]) <= 12:
        first, months = date(max(1, int(month[1])), int(month[2]), 1), 1
    elif quarter := _QUARTER.fullmatch(text):
        first, months = date(max(1, int(quarter[1])), 3 * int(quarter[2]) - 2, 1), 3
    else:
        return None, None
    if not FIRST_DAY <= first <= LAST_DAY or int(text[:4]) <= 0:
        return None, None
    index = first.year * 12 + first.month - 1 + months
    return first, date(index // 12, index % 12 + 1, 1)


def _done(
    records: list[Record], problems: list[Problem], source: str, *, skipped: int = 0
) -> list[Record]:
    """The records, or every problem; none at all is an error (rows of other segments only are
    a segment with nothing done yet)."""
    if problems:
        raise InputError(problems)
    if not records and not skipped:
        raise InputError.single(source, "has no records")
    return records
