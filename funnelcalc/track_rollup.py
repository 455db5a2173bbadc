"""Tracking a file with segments as a company: each segment tracked on its own rows (every row
names its segment), then added up stage by stage and period by period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from funnelcalc.actuals import Record, Segments, read_actuals_each
from funnelcalc.exact import exact_sum
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals
from funnelcalc.rollup import company_plan
from funnelcalc.solver import Plan
from funnelcalc.tracking import StageTrack, Track, run_track, status


def track_company(
    file: GoalsFile,
    actuals: str | Path,
    *,
    as_of: str | None,
    today: date,
    tolerance: str,
    rates: str,
    scenario: str | None = None,
    sets: Sequence[str] = (),
) -> Track:
    """The roll-up tracked: each segment's actuals against its plan, added up, every segment
    compared from the first day any actuals cover (a segment with no rows yet is behind)."""
    plan = company_plan(file, scenario, sets)
    names = [part.name for part in plan.segments]
    read_once: list[list[Record]] = []

    def read(goals: Goals, which: Segments) -> list[Record]:
        """Every segment's records, from one pass over the file (a 16 MiB CSV read once)."""
        if not read_once:
            readers = [
                (file.resolve(scenario, sets, name)[1], replace(which, chosen=name))
                for name in names
            ]
            read_once.extend(read_actuals_each(actuals, readers))
        return read_once[names.index(which.chosen or "")]

    def each(since: date | None = None) -> list[Track]:
        return [
            run_track(
                file,
                actuals,
                as_of=as_of,
                today=today,
                tolerance=tolerance,
                rates=rates,
                scenario=scenario,
                sets=sets,
                segment=part.name,
                every_row_named=True,
                since=since,
                read=read,
            )
            for part in plan.segments
        ]

    parts = each()
    first = min((part.since for part in parts if part.since is not None), default=None)
    if any(part.since != first for part in parts):
        parts = each(first)
    return added_up(plan, parts)


def added_up(plan: Plan, parts: Sequence[Track]) -> Track:
    """The segments' tracks as the company's: counts, needs and spend summed by stage name; the
    pace and status of the sums; rates left out (each segment has its own)."""
    first = parts[0]
    stages = []
    for stage in plan.stages:
        found = [
            s for part in parts for s in part.stages if s.name.casefold() == stage.name.casefold()
        ]
        actual, planned = sum(s.actual for s in found), sum(s.planned for s in found)
        spends = [s.spend for s in found if s.spend is not None]
        planned_spends = [s.planned_spend for s in found if s.planned_spend is not None]
        daily = [s.per_working_day for s in found if s.per_working_day is not None]
        stages.append(
            StageTrack(
                name=stage.name,
                actual=actual,
                planned=planned,
                rate=None,
                observed_rate=None,
                status=status(actual, planned, first.tolerance),
                spend=exact_sum(spends) if spends else None,
                needed=sum(s.needed for s in found),
                per_working_day=sum(daily) if daily else None,
                planned_spend=exact_sum(planned_spends) if planned_spends else None,
                done=sum(s.done if s.done is not None else s.actual for s in found),
                last_useful=max((s.last_useful for s in found if s.last_useful), default=None),
            )
        )
    return Track(
        plan,
        first.as_of,
        first.tolerance,
        first.rates,
        tuple(stages),
        _periods(plan, parts),
        first.working_days_left,
        min((part.since for part in parts if part.since), default=None),
        tuple(f"{part.plan.segment}: {note}" for part in parts for note in part.notes),
    )


def _periods(plan: Plan, parts: Sequence[Track]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The re-forecast rows of the segments, added up by period and stage name."""
    names = [stage.name.casefold() for stage in plan.stages]
    rows: dict[str, list[int]] = {}
    for part in parts:
        where = [names.index(stage.name.casefold()) for stage in part.stages]
        for label, volumes in part.reforecast:
            row = rows.setdefault(label, [0] * len(names))
            for index, volume in zip(where, volumes, strict=True):
                row[index] += volume
    return tuple((label, tuple(volumes)) for label, volumes in rows.items())
