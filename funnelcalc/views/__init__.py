"""Views: one module per capability, turning its result into a report (the document model)
and into its JSON document. Each module has `report(result)` and `document(result)`; this
registry finds it by the result's class name, importing only the one needed."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from funnelcalc.errors import InputError
from funnelcalc.report import Annotation, Provenance, Report

if TYPE_CHECKING:
    from funnelcalc.solver import Plan
    from funnelcalc.workbook import Workbook

_MODULES = {
    "Plan": "plan",
    "Schedule": "schedule",
    "Comparison": "compare",
    "Sweep": "sweep",
    "Check": "check",
    "Track": "track",
    "Simulation": "simulate",
    "Levers": "levers",
    "Seek": "solve",
    "Projection": "project",
    "Changes": "changes",
    "Capacity": "capacity",
}


def _module(result: object) -> ModuleType:
    return importlib.import_module(f"funnelcalc.views.{_MODULES[type(result).__name__]}")


def report(result: object, provenance: Provenance | None = None) -> Report:
    """The report of any result, with where it came from."""
    built: Report = _module(result).report(result)
    return built._replace(provenance=provenance)


def document(result: object, provenance: Provenance | None = None) -> dict[str, Any]:
    """The JSON document of any result (schema_version 1), with a `provenance` object."""
    built: dict[str, Any] = _module(result).document(result)
    if provenance is not None:
        built["provenance"] = {
            "sources": list(provenance.sources),
            "scenario": provenance.scenario,
            "sets": list(provenance.sets),
            "period": provenance.period,
            "made": provenance.made.isoformat(),
            "version": provenance.version,
        }
        if provenance.segment is not None:  # only then: a whole file's JSON is as it was
            built["provenance"]["segment"] = provenance.segment
    return built


def ci_annotations(result: object) -> list[Annotation]:
    """The result's messages for CI, pinned to lines of its files (GitHub annotations)."""
    module = _module(result)
    if not hasattr(module, "ci_annotations"):
        raise InputError.single("--format", "github annotations are for check, diff and track")
    found: list[Annotation] = module.ci_annotations(result)
    return found


def workbook(result: object, provenance: Provenance | None = None) -> Workbook:
    """The spreadsheet of any result: the view's own (a plan's is live) or its report's values."""
    built = report(result, provenance)
    module = _module(result)
    if hasattr(module, "workbook"):
        sheets: Workbook = module.workbook(result, built)
        return sheets
    from funnelcalc.workbook import workbook as values  # noqa: PLC0415 - only for spreadsheets

    return values(built)


def plan_of(result: object) -> Plan | None:
    """The plan a result was made from, if it has one (a comparison's is its base)."""
    for candidate in (result, getattr(result, "plan", None), getattr(result, "base", None)):
        if type(candidate).__name__ == "Plan":
            return cast("Plan", candidate)
    return None


def period_text(plan: Plan | None) -> str | None:
    """The plan's period as people read it: "12 months from 2027-01-01"."""
    period = plan.period if plan is not None else None
    if period is None:
        return None
    length, unit = next(
        (value, unit)
        for value, unit in (
            (period.months, "month"),
            (period.quarters, "quarter"),
            (period.weeks, "week"),
        )
        if value is not None
    )
    return f"{length} {unit}{'' if length == 1 else 's'} from {period.start.isoformat()}"
