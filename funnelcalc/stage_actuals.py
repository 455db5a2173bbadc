"""One stage's actuals to date, arranged for the questions tracking asks of them: how many in
any span of days (by binary search over running totals, not a pass over every record), how
many in all, since when, and at what spend."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from itertools import accumulate, groupby
from operator import itemgetter

from funnelcalc.actual_records import Record
from funnelcalc.exact import exact_sum, plain
from funnelcalc.timeline import ONE_DAY


class StageActuals:
    """A stage's records: dated ones by day with running totals, period ones as they are."""

    def __init__(self, records: Sequence[Record]) -> None:
        dated = [r for r in records if r.until is None]
        dated.sort(key=itemgetter(0))  # by day; sorting, and what follows, in C
        self.days: list[date] = list(map(itemgetter(0), dated))
        self.running: list[int] = [0, *accumulate(map(itemgetter(3), dated))]
        """running[k]: the volume of the first k days."""
        self.periods = [r for r in records if r.until is not None]
        spends = [spend for spend in map(itemgetter(4), records) if spend is not None]
        self.spend = plain(exact_sum(spends)) if spends else None
        """The spend of every record, None when none gave one."""

    @classmethod
    def by_stage(cls, records: Sequence[Record], count: int) -> list[StageActuals]:
        """The actuals of each of `count` stages, top first."""
        ordered = sorted(records, key=itemgetter(2))
        grouped = {stage: list(rows) for stage, rows in groupby(ordered, key=itemgetter(2))}
        return [cls(grouped.get(index, [])) for index in range(count)]

    @property
    def first_day(self) -> date | None:
        """The day the earliest record starts."""
        return min([*self.days[:1], *(r.day for r in self.periods)], default=None)

    @property
    def volume(self) -> int:
        """Every record's volume."""
        return self.running[-1] + sum(r.volume for r in self.periods)

    def volume_from(self, day: date) -> int:
        """The volume of the records dated from `day` on (a period from its first day)."""
        later = self.running[-1] - self.running[bisect_left(self.days, day)]
        return later + sum(r.volume for r in self.periods if r.day >= day)

    def total(self, first: date, last: date) -> Fraction:
        """The volume within [first, last]: dated records wholly, a period's spread evenly
        over its days."""
        whole = (
            self.running[bisect_right(self.days, last)]
            - self.running[bisect_left(self.days, first)]
        )
        return whole + sum((_within(r, first, last) for r in self.periods), Fraction(0))


def _within(period: Record, first: date, last: date) -> Fraction:
    """How much of a period record falls within [first, last]: its volume spread evenly over
    its days."""
    assert period.until is not None  # dated records are counted by their running totals
    begin, stop = max(period.day, first), min(period.until, last + ONE_DAY)
    if stop <= begin:
        return Fraction(0)
    return Fraction(period.volume * (stop - begin).days, (period.until - period.day).days)
