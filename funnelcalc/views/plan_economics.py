"""A plan's ratios as a CFO reads them: coverage from the first opportunity stage, ROI on
gross profit (else labelled revenue ROI), blended ROAS only on ad spend, and the unit
economics (LTV, LTV:CAC, CAC payback, GRR, NRR), each with what it divides."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from funnelcalc.bounds import Figure, Gate, Unbounded
from funnelcalc.economics import Economics, Ratio
from funnelcalc.exact import EXACT
from funnelcalc.solver import Plan
from funnelcalc.views.cells import (
    approx_money,
    approx_percent,
    count,
    displayed,
    money,
    number,
    percent,
    times,
)

UNBOUNDED_TEXT = "unbounded"


def months(value: Fraction) -> str:
    """A number of months: 12 months, ≈8.4 months."""
    shown = displayed(value, 1)
    unit = " month" if value == 1 else " months"
    return ("" if Fraction(shown) == value else "≈") + number(shown) + unit


def figure_text(value: Figure, unit: str, currency: str) -> str:
    """A limited figure as it reads: 1,200, $3,314.61, ≈4.09×, ≈8.4 months or unbounded."""
    if isinstance(value, Unbounded):
        return UNBOUNDED_TEXT
    if isinstance(value, int):
        return count(value)
    exact = Fraction(value)
    if unit == "money":
        return approx_money(exact, currency)
    if unit == "months":
        return months(exact)
    if unit == "times":
        return times(exact)
    return number(Decimal(value)) if isinstance(value, Decimal) else times(exact)


def ratio_lines(plan: Plan) -> list[tuple[str, str]]:
    """CAC, ROI and blended ROAS, each labelled with what it divides."""
    e = plan.economics
    if e is None or plan.budget is None:
        return []
    cash = plan.currency
    lines: list[tuple[str, str]] = []
    if e.cac is not None:
        lines.append(("CAC (blended)", f"{approx_money(e.cac, cash)} (budget ÷ {won(plan)})"))
    if e.gross_roi is not None and e.margin is not None:
        what = f"((revenue × {percent(e.margin)} margin − budget) ÷ budget)"
        lines.append(("ROI on gross profit", f"{approx_percent(e.gross_roi)} {what}"))
    elif e.revenue_roi is not None:
        what = "((revenue − budget) ÷ budget; no gross margin given)"
        lines.append(("Revenue ROI", f"{approx_percent(e.revenue_roi)} {what}"))
    roas = e.blended_roas
    if isinstance(roas, Fraction) and e.ad_spend is not None:
        spent = f"{money(e.ad_spend, cash)} spent above {e.pipeline_from}"
        if e.sourced_spend is not None:  # sources of the opportunity stage or below: theirs too
            above = money(EXACT.subtract(e.ad_spend, e.sourced_spend), cash)
            spent = f"{money(e.ad_spend, cash)}: {above} spent above {e.pipeline_from} and "
            spent += f"{money(e.sourced_spend, cash)} by sources from {e.pipeline_from} down"
        lines.append(
            (
                "Blended ROAS",
                f"{times(roas)} (all new revenue ÷ {spent})",
            )
        )
    return lines


def won(plan: Plan) -> str:
    """The last stage's name."""
    return plan.stages[-1].name


def pipeline_lines(plan: Plan) -> list[tuple[str, str]]:
    """Where pipeline starts and its coverage of the revenue to win."""
    e = plan.economics
    if e is None or e.coverage is None:
        return []
    where = f"{e.pipeline_from} pipeline value ÷ revenue to win"
    return [("Pipeline coverage", f"{times(e.coverage)} ({where})")]


def unit_lines(plan: Plan) -> list[tuple[str, str]]:
    """ARPA, margin, logo churn, LTV, LTV:CAC, CAC payback, GRR and NRR, where given."""
    e = plan.economics
    if e is None:
        return []
    cash = plan.currency
    lines: list[tuple[str, str]] = []
    if e.arpa is not None and e.per is not None:
        text = f"{money(e.arpa, cash)} a {e.per}"
        if e.per == "year" and e.monthly_arpa is not None:
            text += f" ({approx_money(e.monthly_arpa, cash)} a month)"
        lines.append(("ARPA", text))
    if e.margin is not None:
        lines.append(("Gross margin", percent(e.margin)))
    if e.logo_churn is not None and e.per is not None:
        lines.append(("Logo churn", f"{percent(e.logo_churn)} of customers a {e.per}"))
    lines += _derived(e, cash)
    if e.grr is not None and e.nrr is not None:
        lines.append(("GRR", f"{approx_percent(e.grr)} over the plan (baseline − revenue churn)"))
        lines.append(("NRR", f"{approx_percent(e.nrr)} over the plan (GRR + expansion)"))
    return lines


def _derived(e: Economics, cash: str) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    ltv = e.ltv
    if isinstance(ltv, Unbounded):
        lines.append(("LTV", "unbounded: no logo churn, so no end to a customer's margin"))
    elif ltv is not None:
        lines.append(("LTV", f"{approx_money(ltv, cash)} (ARPA × margin ÷ logo churn)"))
    ltv_cac = e.ltv_cac
    if isinstance(ltv_cac, Unbounded):
        lines.append(("LTV:CAC", "unbounded (LTV unbounded, or nothing costs)"))
    elif ltv_cac is not None:
        lines.append(("LTV:CAC", f"{times(ltv_cac)} (LTV ÷ blended CAC)"))
    payback = e.payback_months
    if isinstance(payback, Unbounded):
        lines.append(("CAC payback", "never: a 0% margin earns nothing back"))
    elif payback is not None:
        what = "blended CAC ÷ (monthly ARPA × margin)"
        lines.append(("CAC payback", f"{months(payback)} ({what})"))
    return lines


def gate_notes(plan: Plan) -> list[tuple[str, str]]:
    """(text, level) for each broken bound not already told as a stage or budget maximum."""
    notes = []
    for gate in plan.gates:
        if gate.holds or (gate.bound == "max" and gate.unit in ("count",)):
            continue
        if gate.name == "budget" and gate.bound == "max":
            continue
        notes.append((broken_text(gate, plan.currency), "failure"))
    return notes


def broken_text(gate: Gate, currency: str) -> str:
    """ "✗ ltv_cac is ≈2.1×: under its minimum of 3× by ≈0.9×"."""
    value = figure_text(gate.value, gate.unit, currency)
    limit = figure_text(gate.limit, gate.unit, currency)
    side = "over its maximum" if gate.bound == "max" else "under its minimum"
    room = gate.headroom
    by = "" if room is None else f" by {figure_text(-room, gate.unit, currency)}"
    return f"✗ {gate.name} is {value}: {side} of {limit}{by}"


def _json(value: Ratio, places: int = 4) -> Decimal | None:
    return None if value is None or isinstance(value, Unbounded) else displayed(value, places)


def economics_document(plan: Plan) -> dict[str, Any]:
    """The JSON keys of the ratios and unit economics (ratios rounded half up to 4 places,
    money to the cent; an unbounded figure is null with its `*_unbounded` flag true)."""
    e = plan.economics
    if e is None:
        return {}
    return {
        "pipeline_from": e.pipeline_from,
        "pipeline_coverage": _json(e.coverage),
        "ad_spend": e.ad_spend,
        "blended_roas": _json(e.blended_roas),
        "revenue_roi": _json(e.revenue_roi),
        "gross_profit": _json(e.gross_profit, 2),
        "gross_roi": _json(e.gross_roi),
        "unit_economics": {
            "arpa": e.arpa,
            "per": e.per,
            "monthly_arpa": _json(e.monthly_arpa, 2),
            "margin": e.margin,
            "logo_churn": e.logo_churn,
            "cac": _json(e.cac, 2),
            "cac_basis": "blended",
            "ltv": _json(e.ltv, 2),
            "ltv_unbounded": isinstance(e.ltv, Unbounded),
            "ltv_cac": _json(e.ltv_cac),
            "ltv_cac_unbounded": isinstance(e.ltv_cac, Unbounded),
            "payback_months": _json(e.payback_months, 2),
            "payback_unbounded": isinstance(e.payback_months, Unbounded),
            "grr": _json(e.grr),
            "nrr": _json(e.nrr),
        },
    }
