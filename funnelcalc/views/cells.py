"""How figures read in every output family (exact, with separators and the currency's
symbol), and the typed cells of report tables built from them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar, cast, get_args

from funnelcalc.exact import EXACT, plain
from funnelcalc.report import Cell, Column, Kind, Table

SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "BRL": "R$",
    "AUD": "A$",
    "CAD": "CA$",
    "NZD": "NZ$",
    "MXN": "MX$",
    "CHF": "CHF ",
    "SEK": "SEK ",
    "NOK": "NOK ",
    "DKK": "DKK ",
    "PLN": "PLN ",
    "ILS": "₪",
}
NO_OWNER = "(no owner)"


def count(value: int) -> str:
    """A whole number with thousands separators: 20,000."""
    return f"{value:,}"


def number(value: Decimal) -> str:
    """An exact decimal with thousands separators and no trailing zeros: 1,234.5."""
    return format(plain(value), ",f")


def money(value: Decimal, currency: str) -> str:
    """An exact amount: $500,000, $50,000.50, €0.125; cents kept whole when there are any."""
    text = format(plain(abs(value)), ",f")
    whole, dot, cents = text.partition(".")
    if dot and len(cents) < 2:
        text = f"{whole}.{cents:0<2}"
    sign = "-" if value < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def percent(rate: Decimal) -> str:
    """A share as an exact percentage: 0.007 → 0.7%."""
    return number(EXACT.multiply(rate, Decimal(100))) + "%"


def rate_cell(rate: Decimal | None, per: Decimal | None) -> Cell | Decimal | None:
    """A stage's rate, or its multiplier shown as one (×3) where the file writes `per`."""
    return Cell(per, f"×{number(per)}") if per is not None else rate


def rate_text(rate: Decimal, per: Decimal | None) -> str:
    """A rate as a percentage, or a multiplier as ×3."""
    return f"×{number(per)}" if per is not None else percent(rate)


def one_in(value: Fraction) -> str:
    """N of "1 in N", exact when whole, else ≈ to two decimals (rounded half up)."""
    if value.denominator == 1:
        return count(value.numerator)
    return "≈" + number(displayed(value))


def displayed(value: Fraction, places: int = 2) -> Decimal:
    """A ratio rounded half up (away from 0) to `places`, in integers: no context to overflow."""
    magnitude = abs(value) * 10**places
    units = (2 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    return Decimal(-units if value < 0 else units).scaleb(-places)


def approx_money(value: Fraction, currency: str) -> str:
    """An amount that may not be a whole number of cents: exact, or ≈ to the cent."""
    cents = displayed(value)
    return ("" if Fraction(cents) == value else "≈") + money(cents, currency)


def approx_percent(value: Fraction) -> str:
    """A ratio as a percentage to one place, ≈ when rounded: 25%, ≈33.3%."""
    shown = displayed(value * 100, 1)
    sign = "−" if shown < 0 else ""  # a real minus, as every other signed figure
    return ("" if Fraction(shown) == value * 100 else "≈") + sign + number(abs(shown)) + "%"


def times(value: Fraction) -> str:
    """A multiple: 5×, ≈2.67×."""
    shown = displayed(value)
    return ("" if Fraction(shown) == value else "≈") + number(shown) + "×"


def change(new: Fraction, old: Fraction) -> str:
    """A relative change in percent: +25%, or ≈−16.7% when rounded to one place."""
    if old == 0:
        return "—"
    ratio = (new - old) / old * 100
    sign = "+" if ratio > 0 else "−"
    magnitude = abs(ratio)
    tenths = (20 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    shown = Decimal(tenths).scaleb(-1)
    approximate = "" if Fraction(shown) == magnitude else "≈"
    return f"{approximate}{sign}{number(shown)}%"


_Figure = TypeVar("_Figure", int, Decimal)


def compared(new: _Figure, old: _Figure, show: Callable[[_Figure], str]) -> str:
    """A figure with its change against the base: "16,667 (−3,333, ≈−16.7%)"."""
    if new == old:
        return show(new)
    sign = "+" if new > old else "−"
    return f"{show(new)} ({sign}{show(abs(new - old))}, {change(Fraction(new), Fraction(old))})"


def signed(value: int) -> str:
    """A whole number with its sign: +1,250, −300, ±0."""
    if value == 0:
        return "±0"
    return f"+{value:,}" if value > 0 else f"−{-value:,}"


NONE = Cell(None, "—")


def text_cell(value: str | None, empty: str = "—") -> Cell:
    """A text cell; None reads as a dash."""
    return Cell(value, empty if value is None else value)


def count_cell(value: int | None) -> Cell:
    """A whole number."""
    return NONE if value is None else Cell(value, count(value))


def ratio_cell(value: Fraction | None, show: Callable[[Fraction], str]) -> Cell:
    """A ratio that may not end: kept to four places for machines, shown by `show`."""
    return NONE if value is None else Cell(displayed(value, 4), show(value))


KINDS: frozenset[str] = frozenset(get_args(Kind))


def columns(*specs: tuple[str, ...]) -> tuple[Column, ...]:
    """Columns from (key, label[, kind]) tuples; the kind is text when not given."""
    found = []
    for key, label, *kind in specs:
        chosen = kind[0] if kind else "text"
        if chosen not in KINDS:
            raise ValueError(f"no column kind {chosen!r}")
        found.append(Column(key, label, cast("Kind", chosen)))
    return tuple(found)


def _cell(value: object, kind: Kind, currency: str) -> Cell:
    """A raw value as its column's kind reads it; a Cell is kept as it is."""
    if isinstance(value, Cell):
        return value
    if value is None:
        return NONE
    if isinstance(value, Decimal):
        return Cell(value, percent(value) if kind == "rate" else money(value, currency))
    if isinstance(value, int) and not isinstance(value, bool):
        return count_cell(value)
    return Cell(value, str(value))


def table(
    title: str | None,
    key: str,
    specs: Sequence[tuple[str, ...]],
    rows: Iterable[Sequence[object]],
    currency: str = "USD",
) -> Table:
    """A table from (key, label[, kind]) column specs and rows of raw values or Cells: counts,
    money and rates read as their kind does, None as a dash."""
    made = columns(*specs)
    return Table(
        title,
        made,
        tuple(
            tuple(_cell(v, c.kind, currency) for v, c in zip(row, made, strict=True))
            for row in rows
        ),
        key,
    )
