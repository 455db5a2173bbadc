"""Actuals: what really happened, as CSV or YAML records of date (or period), stage, count
and optional spend, each checked and located by file and line. Records of the same day (or
period) and stage are merged: tracking needs only their sums."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from funnelcalc.actual_records import (
    FIELDS,
    HINTED,
    MAX_PROBLEMS,
    STOPPED,
    Record,
    Segments,
    Totals,
    check_record,
    done,
)
from funnelcalc.actuals_csv import read_csv
from funnelcalc.errors import InputError, Problem, did_you_mean
from funnelcalc.inputs import collector_paused, read_input
from funnelcalc.model import Goals
from funnelcalc.safetext import excerpt
from funnelcalc.yamlsource import Positions, read_records

__all__ = ["MAX_BYTES", "MAX_YAML_BYTES", "Record", "Segments", "read_actuals", "read_actuals_each"]

MAX_BYTES = 16 * 1024 * 1024
MAX_YAML_BYTES = 512 * 1024
"""YAML is read some thirty times more slowly than CSV: longer actuals are CSV, so every file
answers within a second or two."""
_YAML_LARGE = (
    f"is larger than {MAX_YAML_BYTES // 1024} KiB, the most read as YAML: "
    f"write longer actuals as CSV (up to {MAX_BYTES // 1024 // 1024} MiB)"
)


def read_actuals(path: str | Path, goals: Goals, segments: Segments | None = None) -> list[Record]:
    """Read an actuals file (by its extension: .csv, .yaml or .yml) against the goals (in a
    segmented file, those of the segment tracked)."""
    return read_actuals_each(path, [(goals, segments or Segments())])[0]


def read_actuals_each(
    path: str | Path, readers: Sequence[tuple[Goals, Segments]]
) -> list[list[Record]]:
    """Read an actuals file once for several readers (each segment of a company, against its
    own goals): the records of each."""
    source = str(path)
    suffix = Path(source).suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise InputError.single(source, "name actuals .csv, .yaml or .yml, so it is read right")
    data = read_input(path, limit=MAX_BYTES, kind="an actuals file")
    if len(data) > MAX_BYTES:
        raise InputError.single(source, f"is larger than {MAX_BYTES // 1024 // 1024} MiB")
    with collector_paused():
        if suffix == ".csv":
            return read_csv(data, source, readers)
        raw, positions = read_records(
            data, source=source, limit=MAX_YAML_BYTES, too_large=_YAML_LARGE
        )
        return [_from_yaml(raw, positions, source, goals, which) for goals, which in readers]


def _from_yaml(
    raw: list[Any], positions: Positions, source: str, goals: Goals, which: Segments
) -> list[Record]:
    totals: Totals = {}
    problems: list[Problem] = []
    skipped = 0
    for index, entry in enumerate(raw):
        line = (positions.of((index,)) or (None, None))[0]
        if not isinstance(entry, dict):
            problems.append(Problem(source, "a record must be a mapping of fields", line))
            continue
        unknown = [key for key in entry if key not in FIELDS]
        for key in unknown:
            at = positions.keys.get((index, key))
            hint = did_you_mean(key, list(FIELDS)) if len(problems) < HINTED else ""
            problems.append(
                Problem(
                    source, f"unknown field '{excerpt(key)}'{hint}", at and at[0], key=excerpt(key)
                )
            )
        if unknown:
            continue

        def where(key: str, index: int = index) -> tuple[str, int | None, str]:
            at = positions.of((index, key))
            return source, at[0] if at else None, key

        fields = {k: v for k, v in entry.items() if v is not None}
        if "segment" in fields and which.skips(str(fields["segment"])):
            skipped += 1
            continue
        check_record(fields, goals, totals, problems, where, which=which)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(source, STOPPED, line))
            break
    return done(totals, problems, source, skipped=skipped)
