"""Actuals against the plan: pace, observed rates and status per stage, and a re-forecast."""

from __future__ import annotations

from typing import Any

from funnelcalc.report import Annotation, Bar, Cell, Chart, Note, Report, Section, Table
from funnelcalc.tracking import Track
from funnelcalc.views.cells import approx_percent, count, percent, ratio_cell, table
from funnelcalc.views.plan_json import SCHEMA_VERSION, rounded

_MARKS = {"behind": "✗ behind", "ahead": "▲ ahead", "on track": "✓ on track"}


def _to_date(result: Track) -> Table:
    specs = [
        ("stage", "Stage"),
        ("actual", "Actual", "count"),
        ("planned", "Planned to date", "count"),
        ("pace", "Pace", "ratio"),
        ("rate", "Rate", "rate"),
        ("observed_rate", "Observed", "ratio"),
        ("status", "Status"),
        ("spend", "Spend", "money"),
        ("planned_spend", "Planned spend", "money"),
        ("spend_pace", "Spend pace", "ratio"),
    ]
    width = len(specs) - 3 * all(stage.spend is None for stage in result.stages)
    rows = [
        (
            stage.name,
            stage.actual,
            stage.planned,
            ratio_cell(stage.pace, approx_percent),
            stage.rate,
            ratio_cell(stage.observed_rate, approx_percent),
            Cell(stage.status, _MARKS[stage.status]),
            stage.spend,
            stage.planned_spend,
            ratio_cell(stage.spend_pace, approx_percent),
        )[:width]
        for stage in result.stages
    ]
    return table(None, "to_date", specs[:width], rows, result.plan.currency)


def _reforecast(result: Track) -> list[Section]:
    specs = [
        ("stage", "Stage"),
        ("needed", "Needed in all", "count"),
        ("done", "Done", "count"),
        ("remaining", "Still to do", "count"),
        ("per_working_day", "A working day", "count"),
    ]
    specs = specs[: len(specs) - all(s.per_working_day is None for s in result.stages)]
    rows = [
        (s.name, s.needed, s.actual, s.remaining, s.per_working_day)[: len(specs)]
        for s in result.stages
    ]
    title = "Re-forecast: what the rest of the period now needs"
    sections: list[Section] = [table(title, "reforecast", specs, rows)]
    if result.reforecast:
        period_specs = [("period", "Period"), *((s.name, s.name, "count") for s in result.stages)]
        periods = [(label, *volumes) for label, volumes in result.reforecast]
        sections.append(table(None, "remaining_periods", period_specs, periods))
    return sections


def report(result: Track) -> Report:
    """To date, the verdict, a chart of actuals against plan, and the re-forecast."""
    behind = [stage.name for stage in result.stages if stage.status == "behind"]
    verdict = f"Behind: {', '.join(behind)}." if behind else "Every stage is on pace or ahead."
    bars = tuple(
        Bar(stage.name, stage.actual, count(stage.actual), f"of {count(stage.planned)} planned")
        for stage in result.stages
    )
    since = f"from {result.since.isoformat()} " if result.since else ""
    title = (
        f"{result.plan.name or 'Funnel plan'}: tracking {since}to {result.as_of.isoformat()} "
        f"(behind beyond {percent(result.tolerance)} under plan; re-forecast with "
        f"{result.rates} rates)"
    )
    sections: list[Section] = [
        _to_date(result),
        Note(verdict, "failure" if behind else "info"),
        Chart("bars", "Actual to date against plan", "", bars),
        *_reforecast(result),
        *(Note(text, "warning") for text in result.notes),
    ]
    return Report(title, tuple(sections))


def ci_annotations(result: Track) -> list[Annotation]:
    """An error for every stage behind plan (about the run, not a line), or a notice."""
    found = [
        Annotation(
            "error",
            None,
            None,
            "Behind plan",
            f"{stage.name}: {count(stage.actual)} to {result.as_of.isoformat()}, "
            f"{count(stage.planned)} planned ({approx_percent(stage.pace) if stage.pace else '—'})",
        )
        for stage in result.stages
        if stage.status == "behind"
    ]
    if not found:
        found.append(Annotation("notice", None, None, "", "Every stage is on pace or ahead."))
    return found


def document(result: Track) -> dict[str, Any]:
    """Pace, observed rates and status per stage, and the re-forecast."""
    names = [stage.name for stage in result.stages]
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": result.as_of.isoformat(),
        "tolerance": result.tolerance,
        "rates": result.rates,
        "behind": result.behind,
        "working_days_left": result.working_days_left,
        "since": result.since.isoformat() if result.since else None,
        "notes": list(result.notes),
        "stages": [
            {
                "name": stage.name,
                "actual": stage.actual,
                "planned": stage.planned,
                "pace": rounded(stage.pace, 4),
                "rate": stage.rate,
                "observed_rate": rounded(stage.observed_rate, 4),
                "status": stage.status,
                "spend": stage.spend,
                "needed": stage.needed,
                "remaining": stage.remaining,
                "per_working_day": stage.per_working_day,
                "planned_spend": stage.planned_spend,
                "spend_pace": rounded(stage.spend_pace, 4),
                "done": stage.done,
                "last_useful": stage.last_useful.isoformat() if stage.last_useful else None,
            }
            for stage in result.stages
        ],
        "reforecast": [
            {"period": label, "stages": dict(zip(names, volumes, strict=True))}
            for label, volumes in result.reforecast
        ],
    }
