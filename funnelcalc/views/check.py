"""The limits checked: each limit's need and headroom, and whether all hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnelcalc.limits import Check
from funnelcalc.report import Annotation, Cell, Note, Report, Section
from funnelcalc.views.cells import count, money, table
from funnelcalc.views.plan_json import SCHEMA_VERSION


def summary(result: Check) -> str:
    """One line: how many limits hold."""
    broken = sum(not item.holds for item in result.results)
    total = len(result.results)
    if total == 0:
        return f"{result.source} sets no limits: nothing to check"
    if total == 1:
        return "The limit holds." if broken == 0 else "The limit is broken."
    if broken == 0:
        return f"All {total} limits hold."
    return f"{broken} of {total} limits broken."


def show(value: int | Decimal, currency: str) -> str:
    """A limit's figure: a count, or money for the budget."""
    return count(value) if isinstance(value, int) else money(value, currency)


def report(result: Check) -> Report:
    """A row per limit per checked plan, then the verdict."""

    rows = []
    segmented = any(item.segment is not None for item in result.results)
    for item in result.results:
        room = item.headroom
        sign = "+" if room > 0 else "−" if room < 0 else "±"
        status = "✓ holds" if item.holds else f"✗ over by {show(-room, result.currency)}"
        shown = Cell(room, sign + show(-room if room < 0 else room, result.currency))
        row = (item.scenario, item.stage, item.limit, item.needed, shown, Cell(item.holds, status))
        rows.append((item.segment or "company", *row) if segmented else row)
    specs: list[tuple[str, ...]] = [("segment", "Segment")] if segmented else []
    specs += [
        ("scenario", "Scenario"),
        ("stage", "Stage"),
        ("limit", "Limit", "number"),
        ("needed", "Needed", "number"),
        ("headroom", "Headroom", "number"),
        ("holds", "Status"),
    ]
    sections: list[Section] = []
    if rows:
        sections.append(table(None, "limits", specs, rows, result.currency))
    sections.append(Note(summary(result), "info" if result.passed else "failure"))
    return Report(f"Limits of {result.source}", tuple(sections))


def ci_annotations(result: Check) -> list[Annotation]:
    """An error on the line of every broken limit, then the verdict."""
    found = []
    for item in result.results:
        if item.holds:
            continue
        limit, needed, over = (
            show(v, result.currency) for v in (item.limit, item.needed, -item.headroom)
        )
        where = f"{item.segment}: {item.stage}" if item.segment else item.stage
        message = (
            f"{where} needs {needed} in the {item.scenario} plan: "
            f"over its limit of {limit} by {over}"
        )
        found.append(Annotation("error", result.source, item.line, "Limit broken", message))
    verdict = summary(result)
    if result.passed:
        found.append(Annotation("notice", result.source, None, "", verdict))
    else:
        found.append(Annotation("error", result.source, None, "", verdict))
    return found


def document(result: Check) -> dict[str, Any]:
    """Whether every limit holds, and each limit's figures."""
    segmented = any(item.segment is not None for item in result.results)
    return {
        "schema_version": SCHEMA_VERSION,
        "passed": result.passed,
        "limits": [
            {
                "scenario": item.scenario,
                "stage": item.stage,
                "limit": item.limit,
                "needed": item.needed,
                "headroom": item.headroom,
                "holds": item.holds,
                **({"segment": item.segment} if segmented else {}),
            }
            for item in result.results
        ],
    }
