"""A diff of two goals files: the inputs that changed, every figure that moved (absolute and
relative), and the --fail-if thresholds crossed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from funnelcalc.changes import Changes, Figure, FigureChange
from funnelcalc.report import Annotation, Cell, Facts, Note, Report, Section
from funnelcalc.views.cells import (
    NONE,
    approx_money,
    change,
    count,
    displayed,
    money,
    number,
    percent,
    table,
)
from funnelcalc.views.plan_economics import figure_text
from funnelcalc.views.plan_json import SCHEMA_VERSION, rounded

WRITTEN = 60
"""An input value is shown up to this many characters."""


def _written(value: object) -> str:
    """A value of the goals file as it was written, briefly."""
    if value is None:
        return "—"
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text if len(text) <= WRITTEN else text[: WRITTEN - 1] + "…"


def _show(key: str, value: Figure, currency: str) -> str:
    if isinstance(value, int):
        return count(value)
    if key.endswith(".rate"):
        return percent(Decimal(value) if isinstance(value, Decimal) else displayed(value, 6))
    if _ratio_unit(key):
        return figure_text(value, _ratio_unit(key), currency)
    if isinstance(value, Fraction):
        return approx_money(value, currency)
    return money(value, currency)


RATIO_UNITS = {"roas": "times", "coverage": "times", "ltv_cac": "times", "payback_months": "months"}
"""The figures that are ratios, not money, and how they read."""


def _ratio_unit(key: str) -> str:
    """How a ratio figure reads ("" for any other): a segment's (`segments.SMB.roas`) too."""
    name = key.rsplit(".", 1)[-1] if key.startswith("segments.") else key
    return RATIO_UNITS.get(name, "")


def _figure(key: str, value: Figure | None, currency: str) -> Cell:
    if value is None:
        return NONE
    exact = displayed(value, 2) if isinstance(value, Fraction) else value
    return Cell(exact, _show(key, value, currency))


def _moved(item: FigureChange, currency: str) -> tuple[Cell, Cell]:
    """The change as a signed figure and in percent."""
    moved, relative = item.change, item.relative
    if moved is None:
        return NONE, NONE
    sign = "+" if moved > 0 else "−"
    if item.key.endswith(".rate"):
        text = f"{sign}{number(displayed(abs(moved) * 100, 4))} pt"
    elif moved.denominator == 1 and isinstance(item.new, int):
        text = f"{sign}{count(abs(moved.numerator))}"
    elif _ratio_unit(item.key):
        text = sign + figure_text(abs(moved), _ratio_unit(item.key), currency).lstrip("≈")
    else:
        text = sign + approx_money(abs(moved), currency).lstrip("≈")
    shown = Cell(displayed(moved, 4), text)
    if relative is None or item.old is None or item.new is None:
        return shown, NONE
    return shown, Cell(displayed(relative, 4), change(Fraction(item.new), Fraction(item.old)))


def _how_much(item: FigureChange, currency: str) -> str:
    """How far a figure moved: in percent where it can be said, else as a figure."""
    absolute, relative = _moved(item, currency)
    return relative.text if relative is not NONE else absolute.text


def report(result: Changes) -> Report:
    """The verdict, the inputs that changed, and the figures that moved."""
    currency = result.new.currency
    crossed = result.crossed
    sections: list[Section] = [
        Facts(
            None,
            (
                ("Was", result.old_source),
                ("Now", result.new_source),
                ("Inputs changed", count(len(result.inputs))),
                ("Figures moved", count(len(result.figures))),
            ),
        )
    ]
    for threshold, item in crossed:
        moved = _moved(item, currency)
        sections.append(
            Note(
                f"✗ {item.key} moved {moved[1].text or moved[0].text}: --fail-if {threshold.text}",
                "failure",
            )
        )
    if result.thresholds and not crossed:
        sections.append(Note(f"No --fail-if threshold crossed ({len(result.thresholds)} checked)."))
    if result.inputs:
        rows = [
            (item.key, _written(item.old), _written(item.new), item.line) for item in result.inputs
        ]
        specs = [("key", "Key"), ("was", "Was"), ("now", "Now"), ("line", "Line", "count")]
        sections.append(table("Inputs that changed", "inputs", specs, rows))
    if result.figures:
        rows_moved = [
            (
                item.key,
                _figure(item.key, item.old, currency),
                _figure(item.key, item.new, currency),
                *_moved(item, currency),
            )
            for item in result.figures
        ]
        specs = [
            ("figure", "Figure"),
            ("was", "Was", "number"),
            ("now", "Now", "number"),
            ("change", "Change", "number"),
            ("relative", "Change %", "ratio"),
        ]
        sections.append(table("Figures that moved", "figures", specs, rows_moved))
    else:
        sections.append(Note("No figure of the plan moved."))
    title = f"What changed: {result.old_source} → {result.new_source}"
    return Report(title, tuple(sections))


def ci_annotations(result: Changes) -> list[Annotation]:
    """A notice on every changed line of the new file; an error for every threshold crossed."""
    found = [
        Annotation(
            "notice",
            result.new_source,
            item.line,
            "Input changed",
            f"{item.key}: {_written(item.old)} → {_written(item.new)}",
        )
        for item in result.inputs
        if item.line is not None
    ]
    currency = result.new.currency
    for threshold, item in result.crossed:
        message = f"{item.key} moved {_how_much(item, currency)}"
        found.append(
            Annotation("error", result.new_source, None, f"--fail-if {threshold.text}", message)
        )
    return found


def _plain(value: object) -> object:
    if value is None or isinstance(value, bool | int | Decimal | str):
        return value
    return _written(value)


def document(result: Changes) -> dict[str, Any]:
    """The inputs and figures that changed, exactly, and the thresholds."""
    crossed = {threshold.text for threshold, _ in result.crossed}
    return {
        "schema_version": SCHEMA_VERSION,
        "old": result.old_source,
        "new": result.new_source,
        "passed": not crossed,
        "inputs": [
            {"key": i.key, "old": _plain(i.old), "new": _plain(i.new), "line": i.line}
            for i in result.inputs
        ],
        "figures": [
            {
                "key": item.key,
                "old": rounded(item.old, 6) if isinstance(item.old, Fraction) else item.old,
                "new": rounded(item.new, 6) if isinstance(item.new, Fraction) else item.new,
                "change": rounded(item.change, 6),
                "relative": rounded(item.relative, 6),
            }
            for item in result.figures
        ],
        "fail_if": [
            {"threshold": threshold.text, "crossed": threshold.text in crossed}
            for threshold in result.thresholds
        ],
    }
