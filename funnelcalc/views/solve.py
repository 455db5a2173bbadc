"""Goal seek: the smallest rate (or deal size) that reaches the target with a capacity."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from funnelcalc.goalseek import Seek
from funnelcalc.report import Note, Report, Section
from funnelcalc.views.cells import count, displayed, money, number, percent
from funnelcalc.views.plan import stage_table
from funnelcalc.views.plan_json import SCHEMA_VERSION, plan_document


def _within(result: Seek) -> str:
    givens = result.givens or ((result.stage, result.volume),)
    return " and ".join(f"{stage} within {count(volume)}" for stage, volume in givens)


def answer(result: Seek) -> list[Note]:
    """The answer in words."""

    def show(value: Decimal) -> str:
        return percent(value) if result.is_rate else money(value, result.currency)

    within = _within(result)
    if result.usable is None or result.exact is None:
        beyond = "more than 100%" if result.is_rate else "more than any deal can bring"
        text = f"No {result.label} reaches the target with {within}: it would need {beyond}."
        return [Note(text, "failure")]
    exact = result.exact * (100 if result.is_rate else 1)
    unit = "%" if result.is_rate else ""
    shown = displayed(exact, 4)
    exactly = (
        f"exactly {number(shown)}{unit}"
        if Fraction(shown) == exact
        else f"exactly {exact.numerator:,}/{exact.denominator:,}{unit} ≈ {number(shown)}{unit}"
    )
    if result.searched and not result.is_rate:
        exactly = "to the cent: whole people convert in each channel, so no formula gives it"
    elif result.searched:
        exactly = "to a millionth: whole people convert at each source's rates, so no fraction"
        exactly += " gives it exactly"
    else:
        exactly += ", rounded up so it still reaches it"
    return [
        Note(
            f"The smallest {result.label} that reaches the target with {within}: "
            f"{show(result.usable)} ({exactly})."
        ),
        Note(f"Now: {show(result.current)}."),
    ]


def report(result: Seek) -> Report:
    """The answer, then the plan with the value it gives."""
    sections: list[Section] = [*answer(result)]
    if result.plan is not None:
        sections.append(stage_table(result.plan)._replace(title=f"The plan at that {result.label}"))
    title = f"Goal seek: {result.label} for {_within(result)}"
    return Report(title, tuple(sections))


def document(result: Seek) -> dict[str, Any]:
    """The smallest value that works, exactly (as a fraction) and as the value to use."""
    exact = result.exact
    return {
        "schema_version": SCHEMA_VERSION,
        "key": result.key,
        "given": {"stage": result.stage, "volume": result.volume},
        "givens": [{"stage": stage, "volume": volume} for stage, volume in result.givens],
        "now": result.current,
        "possible": result.possible,
        "smallest": result.usable,
        "exact": None
        if exact is None
        else {"numerator": exact.numerator, "denominator": exact.denominator},
        "plan": plan_document(result.plan) if result.plan is not None else None,
        "searched": result.searched,
    }
