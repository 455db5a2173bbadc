"""How figures read in every output family: exact, with separators and the currency's symbol."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from funnelcalc.exact import EXACT, plain
from funnelcalc.ownership import Handoff, owner_spans
from funnelcalc.solver import Plan

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


def one_in(value: Fraction) -> str:
    """N of "1 in N", exact when whole, else ≈ to two decimals (rounded half up)."""
    if value.denominator == 1:
        return count(value.numerator)
    return "≈" + number(displayed(value))


def displayed(value: Fraction) -> Decimal:
    """A positive ratio rounded half up to two places, for display (in integers: no context)."""
    hundredths = (200 * value.numerator + value.denominator) // (2 * value.denominator)
    return Decimal(hundredths).scaleb(-2)


def target_text(plan: Plan) -> str:
    """What the plan must win, in words: "$500,000 of new revenue" or "10 new clients"."""
    if plan.target_revenue is not None:
        return f"{money(plan.target_revenue, plan.currency)} of new revenue"
    return f"{count(plan.clients)} new clients"


def clients_text(plan: Plan) -> str:
    """Clients needed, with the division that gives them when the target is revenue."""
    if plan.target_revenue is None or plan.deal_size is None:
        return count(plan.clients)
    revenue = money(plan.target_revenue, plan.currency)
    deal = money(plan.deal_size, plan.currency)
    return f"{count(plan.clients)} (⌈{revenue} ÷ {deal}⌉)"


def revenue_text(plan: Plan) -> str | None:
    """The revenue the planned clients bring, with any surplus over the target."""
    if plan.revenue is None:
        return None
    text = money(plan.revenue, plan.currency)
    if plan.surplus:
        text += f" ({money(plan.surplus, plan.currency)} above the target: clients come whole)"
    return text


def handoff_text(handoff: Handoff) -> str:
    """One sentence for a hand-off between owners."""
    given, taken = handoff.giver.delivers, handoff.taker.stages[0]
    rate = f" ({percent(taken.rate)})" if taken.rate is not None else ""
    return (
        f"{handoff.giver.owner} hands {count(given.volume)} {given.name} to {handoff.taker.owner}, "
        f"who must turn them into {count(taken.volume)} {taken.name}{rate}"
    )


STAGE_COLUMNS = ("Stage", "Owner", "Rate", "Volume needed", "1 in N becomes a client", "Lost")
NUMERIC_COLUMNS = frozenset({"Rate", "Volume needed", "1 in N becomes a client", "Lost"})


def stage_rows(plan: Plan) -> list[tuple[str, ...]]:
    """The stage table as display text, one tuple per stage, in STAGE_COLUMNS order."""
    return [
        (
            stage.name,
            stage.owner or NO_OWNER,
            percent(stage.rate) if stage.rate is not None else "—",
            count(stage.volume),
            one_in(stage.one_in),
            count(stage.lost) if stage.lost is not None else "—",
        )
        for stage in plan.stages
    ]


def summary(plan: Plan) -> list[tuple[str, str]]:
    """The lines above the stage table: target, deal size, clients, revenue."""
    lines = [("Target", target_text(plan))]
    if plan.deal_size is not None:
        lines.append(("Deal size", money(plan.deal_size, plan.currency)))
    lines.append(("Clients needed", clients_text(plan)))
    revenue = revenue_text(plan)
    if revenue is not None:
        lines.append(("Planned revenue", revenue))
    return lines


OWNER_COLUMNS = ("Owner", "Stages", "Delivers")


def owner_rows(plan: Plan) -> list[tuple[str, str, str]]:
    """Who is accountable for which stages, and the number each hands on."""
    return [
        (
            span.owner or NO_OWNER,
            " → ".join(stage.name for stage in span.stages),
            f"{count(span.delivers.volume)} {span.delivers.name}",
        )
        for span in owner_spans(plan)
    ]


def definitions(plan: Plan) -> list[tuple[str, str]]:
    """(stage, definition) for every stage that has one."""
    return [(s.name, s.definition) for s in plan.stages if s.definition is not None]
