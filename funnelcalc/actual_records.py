"""One actuals record (a count of a stage on a day or over a period, with optional spend):
how its fields are checked and located, and how records of the same day and stage merge."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import repeat
from operator import add
from typing import Any, NamedTuple

from pydantic_core import PydanticCustomError

from funnelcalc.errors import InputError, Problem, did_you_mean
from funnelcalc.exact import EXACT
from funnelcalc.model import Goals
from funnelcalc.safetext import excerpt
from funnelcalc.timevalues import parse_date
from funnelcalc.values import FIRST_DAY, LAST_DAY, parse_cost

FIELDS = ("date", "period", "stage", "count", "spend", "segment")
HINTED = 100
"""Problems that get a did-you-mean; past these nobody reads them, and each costs a fuzzy match."""
MAX_PROBLEMS = 1000
"""Past this many problems the rest of the file is not checked: fix these first."""
STOPPED = f"stopped after {MAX_PROBLEMS:,} problems: fix these first"
MAX_COUNT_DIGITS = 15
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)


class Record(NamedTuple):
    """One count of one stage on a day, or over a month or quarter (dated by its first day).
    A tuple, made from its key and totals in one step: a large file makes half a million."""

    day: date
    until: date | None
    """For a period record (a month or quarter): the day after its last day; else None."""
    stage: int
    """The stage's index, top first."""
    volume: int
    """How many of the stage: the file's count."""
    spend: Decimal | None


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


Key = tuple[date, date | None, int]
"""What records merge on: the day, the period's end (None for a dated record) and the stage."""
Totals = dict[Key, tuple[int, Decimal | None]]
"""The count and spend summed for each key."""


def check_record(  # noqa: PLR0912 - one branch per field, each with its own message
    fields: dict[str, Any],
    goals: Goals,
    totals: Totals,
    problems: list[Problem],
    where: Any,
    *,
    which: Segments,
) -> None:
    """Check one record's fields; add it to the totals, or its problems to the problems."""

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
        day, until = period_span(str(fields["period"]))
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
    count = count_of(fields.get("count"))
    if count is None:
        fail("count", "is a whole number of at least 0")
    spend = None
    if "spend" in fields:
        try:
            spend = parse_cost(fields["spend"])
        except PydanticCustomError as error:
            fail("spend", error.message())
    if len(problems) == before and day is not None and stage is not None and count is not None:
        add_to(totals, [(day, until, stage)], [count], [spend])


def count_of(value: object) -> int | None:
    """A count as written (digits, `_` allowed), or None."""
    text = str(value).strip().replace("_", "") if isinstance(value, int | str) else ""
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]+", text) or len(text) > MAX_COUNT_DIGITS:
        return None
    return int(text)


def period_span(text: str) -> tuple[date | None, date | None]:
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


def merged(totals: Totals) -> list[Record]:
    """One record per day (or period) and stage, from the counts and spends summed on each."""
    records = map(add, totals.keys(), totals.values())  # (day, until, stage) + (count, spend)
    return list(map(tuple.__new__, repeat(Record), records))


def add_to(
    totals: Totals, keys: Iterable[Key], counts: Iterable[int], spends: Iterable[Decimal | None]
) -> None:
    """Add records' counts and spends to the totals of their day and stage: at once when
    every key is new, else one by one (a spend is None only while no record gave one)."""
    keys, counts, spends = list(keys), list(counts), list(spends)
    fresh = dict(zip(keys, zip(counts, spends, strict=True), strict=True))
    if len(fresh) == len(keys) and totals.keys().isdisjoint(fresh):
        totals.update(fresh)
        return
    add = EXACT.add
    for key, count, spend in zip(keys, counts, spends, strict=True):
        known = totals.get(key)
        if known is None:
            totals[key] = (count, spend)
        elif spend is None or known[1] is None:
            totals[key] = (known[0] + count, known[1] if spend is None else spend)
        else:
            totals[key] = (known[0] + count, add(known[1], spend))


def done(totals: Totals, problems: list[Problem], source: str, *, skipped: int = 0) -> list[Record]:
    """The merged records, or every problem found; none at all is an error (rows of other
    segments only are a segment with nothing done yet)."""
    if problems:
        raise InputError(problems)
    if not totals and not skipped:
        raise InputError.single(source, "has no records")
    return merged(totals)
