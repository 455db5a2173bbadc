"""The plan's time axis: a day's position counted in the period's units (months, or weeks),
so lags shift curves by the same share of a unit wherever they fall, and an even spread over
units stays even at every stage. A lag in days or weeks is a share of an average month (or of
a week); a lag in months is whole months."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction

from funnelcalc.model import Period
from funnelcalc.timeline import add_months, period_end

AVERAGE_MONTH = Fraction(146097, 4800)
"""Days in an average Gregorian month."""
GRAIN = 2**64
"""Curve shares are kept to 1/2⁶⁴ (rounded down, so they still rise and end at exactly 1)."""


class Axis:
    """Positions of days on the plan's unit axis."""

    def __init__(self, period: Period) -> None:
        weekly = period.weeks is not None
        by_month = (
            weekly and bool(period.seasonality) and len(period.seasonality or []) != period.weeks
        )
        self.weekly = weekly and not by_month
        start = period.start
        self.anchor = date(start.year, start.month, 1) if by_month else start
        self.start = self.position(start)
        self.end = self.position(period_end(period))

    def position(self, day: date) -> Fraction:
        """Where the start of `day` lies, in units from the anchor."""
        if self.weekly:
            return Fraction((day - self.anchor).days, 7)
        months = (day.year - self.anchor.year) * 12 + day.month - self.anchor.month
        while add_months(self.anchor, months) > day:
            months -= 1
        while add_months(self.anchor, months + 1) <= day:
            months += 1
        begin, stop = add_months(self.anchor, months), add_months(self.anchor, months + 1)
        return months + Fraction((day - begin).days, (stop - begin).days)

    def delta(self, lag: str | None) -> Fraction:
        """A lag's length in units."""
        if not lag:
            return Fraction(0)
        amount, unit = int(lag[:-1]), lag[-1]
        if unit == "m":
            return amount * AVERAGE_MONTH / 7 if self.weekly else Fraction(amount)
        days = amount * (7 if unit == "w" else 1)
        return Fraction(days, 7) if self.weekly else days / AVERAGE_MONTH


def coarse(value: Fraction) -> Fraction:
    """A share rounded down to the grain: exact, never rising above the value."""
    return Fraction(math.floor(value * GRAIN), GRAIN)


class Sampled:
    """A share curve known at the start of each day of a window and linear within a day;
    outside the window, flat (0 before, its last share after), or repeating every `cycle`
    units, one higher each time."""

    def __init__(
        self, positions: Sequence[Fraction], values: Sequence[Fraction], cycle: Fraction | None
    ) -> None:
        self.positions, self.values, self.cycle = positions, values, cycle

    def at(self, where: Fraction) -> Fraction:
        """The share at position `where`."""
        positions, values = self.positions, self.values
        turns = 0
        if self.cycle is not None:
            while where >= positions[-1]:
                where, turns = where - self.cycle, turns + 1
            while where < positions[0]:
                where, turns = where + self.cycle, turns - 1
        elif where <= positions[0]:
            return values[0]
        elif where >= positions[-1]:
            return values[-1]
        index = bisect.bisect_right(positions, where) - 1
        low, high = positions[index], positions[index + 1]
        part = (where - low) / (high - low)
        return values[index] + (values[index + 1] - values[index]) * part + turns

    def at_many(self, wheres: Sequence[Fraction]) -> list[Fraction]:
        """The shares at rising positions, walking the window once where they fall inside it."""
        positions, values = self.positions, self.values
        found: list[Fraction] = []
        index = 0
        last = len(positions) - 1
        for where in wheres:
            if not positions[0] <= where < positions[last]:
                found.append(self.at(where))
                continue
            while positions[index + 1] <= where:
                index += 1
            while positions[index] > where:
                index -= 1
            low, high = positions[index], positions[index + 1]
            step = values[index + 1] - values[index]
            found.append(
                values[index] + step * (where - low) / (high - low) if step else values[index]
            )
        return found


def window(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]
