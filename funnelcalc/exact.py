"""Exact number helpers: no binary float ever sits on the path to a ceiling or a floor."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

# Any Decimal operation done in this context either is exact or raises: an internal error,
# never a silently rounded figure.
EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow],
)


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """Σ values, exactly (the default context would keep only 28 digits)."""
    total = Decimal(0)
    for value in values:
        total = EXACT.add(total, value)
    return total


def ceil_div(numerator: int, ratio: Fraction) -> int:
    """⌈numerator ÷ ratio⌉ for a positive ratio, in integers."""
    return -(-numerator * ratio.denominator // ratio.numerator)


def floor_mul(volume: int, ratio: Fraction) -> int:
    """⌊volume × ratio⌋ in integers."""
    return volume * ratio.numerator // ratio.denominator


def to_decimal(value: Fraction) -> Decimal:
    """The exact Decimal of a Fraction whose denominator has only 2s and 5s."""
    return EXACT.divide(Decimal(value.numerator), Decimal(value.denominator))


def plain(value: Decimal) -> Decimal:
    """Drop trailing zeros and exponent noise: 40.00 → 40, 0.40 → 0.4."""
    value = value.normalize(EXACT)
    exponent = value.as_tuple().exponent
    # normalize() leaves 50000 as 5E+4; quantizing to exponent 0 keeps the value, shows 50000.
    if isinstance(exponent, int) and exponent > 0:
        return value.quantize(Decimal(1), context=EXACT)
    return value
