"""A plan spread over time: the whole plan, then a row per period, totals equal to the plan's."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from funnelcalc.phasing import Schedule
from funnelcalc.report import Cell, Column, Note, Report, Section, Table
from funnelcalc.views.cells import NONE, count_cell
from funnelcalc.views.plan import plan_sections, rounding_note, title
from funnelcalc.views.plan_json import plan_document

if TYPE_CHECKING:
    from funnelcalc.workbook import Workbook

BEFORE_START = "must happen before the plan starts"


def schedule_table(result: Schedule) -> Table:
    """Period, a column per stage, then per working day for the daily stages."""
    stages = result.plan.stages
    daily = [i for i, is_daily in enumerate(result.daily) if is_daily]
    table_columns = (
        Column("period", "Period"),
        *(Column(stage.name, stage.name, "count") for stage in stages),
        *(Column(f"{stages[i].name} per working day", f"{stages[i].name} a day", "count")
          for i in daily),
    )  # fmt: skip
    rows: list[tuple[Cell, ...]] = []
    for bucket in result.buckets:
        label = f"{bucket.label} ⚠" if bucket.before_start else bucket.label
        label = f"{label} →" if bucket.after_end else label
        per_day = [count_cell(bucket.per_day(i)) if bucket.volumes[i] else NONE for i in daily]
        rows.append((Cell(bucket.label, label), *map(count_cell, bucket.volumes), *per_day))
    totals = (count_cell(stage.volume) for stage in stages)
    rows.append((Cell("Total", "Total"), *totals, *(Cell(None, "") for _ in daily)))
    return Table(f"Schedule by {result.by}", table_columns, tuple(rows), "schedule")


def schedule_notes(result: Schedule) -> list[Note]:
    """What the reader must know: work before the start, and how per-day figures round."""
    notes = []
    early = [b.label for b in result.buckets if b.before_start]
    if early:
        notes.append(
            Note(f"⚠ {', '.join(early)}: {BEFORE_START} (stage lags push work earlier).", "warning")
        )
    later = [b.label for b in result.buckets if b.after_end]
    if later:
        notes.append(Note(f"→ {', '.join(later)}: past the end of the period."))
    notes += [Note(text, "warning") for text in result.notes]
    if any(result.daily):
        notes.append(Note("Per working day: ⌈the period's volume ÷ its working days⌉."))
    return notes


def report(result: Schedule) -> Report:
    """The plan's summary, its schedule (what was asked for, so first), then the whole plan."""
    if result.plan.segments:  # the roll-up and each segment, as `plan` shows them
        from funnelcalc.views.plan_segments import report as rolled_up  # noqa: PLC0415

        summary, *details = rolled_up(result.plan).sections
    else:
        summary, *details = [*plan_sections(result.plan), rounding_note(result.plan)]
    sections: list[Section] = [summary, schedule_table(result), *schedule_notes(result)]
    sections += details
    return Report(f"{title(result.plan)}: schedule by {result.by}", tuple(sections))


def document(result: Schedule) -> dict[str, Any]:
    """The plan's JSON with a `schedule`: a period a row, each stage's volume in it."""
    names = [stage.name for stage in result.plan.stages]
    daily = [name for name, is_daily in zip(names, result.daily, strict=True) if is_daily]
    whole = plan_document(result.plan)
    if result.plan.segments:  # a roll-up's document, with its segments, as `plan` prints it
        from funnelcalc.views.plan_segments import document as rolled_up  # noqa: PLC0415

        whole = rolled_up(result.plan)
    return {
        **whole,
        "by": result.by,
        "continuous": result.continuous,
        "notes": list(result.notes),
        "schedule": [
            {
                "period": bucket.label,
                "start": bucket.start.isoformat(),
                "end": (bucket.end - timedelta(days=1)).isoformat(),
                "before_start": bucket.before_start,
                "after_end": bucket.after_end,
                "working_days": bucket.working_days,
                "stages": dict(zip(names, bucket.volumes, strict=True)),
                "pipeline": (
                    dict(zip(names, bucket.pipeline, strict=True)) if bucket.pipeline else None
                ),
                "per_working_day": {name: bucket.per_day(names.index(name)) for name in daily},
            }
            for bucket in result.buckets
        ],
    }


def workbook(result: Schedule, built: Report) -> Workbook:
    """The plan's live workbook, with the schedule among its value sheets (a roll-up's has
    no rates to write formulas with: its values)."""
    if result.plan.segments:
        from funnelcalc.workbook import workbook as values  # noqa: PLC0415 - only for xlsx

        return values(built)
    from funnelcalc.views.plan_workbook import workbook as live  # noqa: PLC0415 - only for xlsx

    return live(result.plan, built)
