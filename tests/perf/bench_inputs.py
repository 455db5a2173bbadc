"""Input-size benchmark: the largest inputs the limits allow, each against one `plan` of the
same goals file, with the absolute time (the promise: every input within the limits answers in
under two seconds). Not collected by pytest; run it by hand from `pip install .`:

    python tests/perf/bench_inputs.py [--runs 5]

Inputs: a 16 MiB actuals CSV with one row per day and stage over three centuries (every row a
new day: nothing merges), the same size with 84 days repeated (everything merges), the same
rows quoted (the csv module's path), 16 MiB naming three segments (the company tracked: the
file is read once for all of them), 512 KiB of YAML actuals (valid, and empty records), and
1 MiB goals files of 500,000 weights or 88,000 keys (refused at 50,000 values).
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.perf._measure import ROOT, compare, funnelcalc_command, note_editable
else:  # run as a script: its folder is on the path, the repository is not
    from _measure import ROOT, compare, funnelcalc_command, note_editable

GOALS = ROOT / "examples" / "monthly-plan.yaml"
STAGES = ["visitors", "leads", "MQL", "SQL", "clients"]
SEGMENT_STAGES = ["inquiries", "MQL", "SQL", "opportunities", "won"]
SEGMENTS = ["SMB", "Mid-market", "Enterprise"]
MIB = 1024 * 1024


def _fill(lines: list[str], row: object, limit: int) -> str:
    """Lines made by `row(i)` until the next would pass `limit` bytes."""
    size = sum(len(line) + 1 for line in lines)
    index = 0
    while True:
        line = row(index)  # type: ignore[operator]
        if size + len(line) + 1 > limit:
            return "\n".join(lines) + "\n"
        lines.append(line)
        size += len(line) + 1
        index += 1


def _inputs(folder: Path) -> dict[str, tuple[list[str], tuple[int, ...]]]:
    """Each input's command line (after `funnelcalc`) and the exit codes it may give."""
    start = date(1900, 1, 1)

    def distinct(i: int) -> str:
        day = start + timedelta(days=i // 5)
        return f"{day},{STAGES[i % 5]},{i % 99991},{i % 9973}.{i % 100:02d}"

    def repeated(i: int) -> str:
        return f"2027-{i % 6 + 1:02d}-{i % 14 + 1:02d},{STAGES[i % 5]},{i % 99991},{i % 97}.5"

    def quoted(i: int) -> str:
        return ",".join(f'"{cell}"' for cell in repeated(i).split(","))

    def segmented(i: int) -> str:
        day = date(2027, 1, 1) + timedelta(days=(i // 15) % 170)
        return f"{day},{SEGMENT_STAGES[i % 5]},{i % 97},{SEGMENTS[(i // 5) % 3]}"

    def record(i: int) -> str:
        return f"- {{date: 2027-01-{i % 28 + 1:02d}, stage: leads, count: {i % 97}}}"

    files = {
        "actuals-distinct.csv": _fill(["date,stage,count,spend"], distinct, 16 * MIB),
        "actuals-repeated.csv": _fill(["date,stage,count,spend"], repeated, 16 * MIB),
        "actuals-quoted.csv": _fill(["date,stage,count,spend"], quoted, 16 * MIB),
        "segments-actuals.csv": _fill(["date,stage,count,segment"], segmented, 16 * MIB),
        "actuals.yaml": _fill([], record, 512 * 1024),
        "actuals-empty.yaml": _fill([], lambda i: "- {}", 512 * 1024),
        "weights.yaml": "target: {clients: 10}\ndeal_size: 1000\nstages: [{name: a}, "
        "{name: b, rate: 10%}]\nperiod: {start: 2027-01-01, months: 12, seasonality: ["
        + ",".join(["1"] * (MIB // 2 - 100))
        + "]}\n",
        "keys.yaml": _fill(
            ["target: {clients: 10}", "deal_size: 1000", "stages: [{name: a}]", "fixed_costs:"],
            lambda i: f"  k{i}: 1",
            MIB,
        ),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    track = ["track", str(GOALS), "--as-of", "2027-06-30", "-f", "json", "--actuals"]
    runs: dict[str, tuple[list[str], tuple[int, ...]]] = {
        name: ([*track, str(folder / name)], (0, 1, 2)) for name in files if name[:7] == "actuals"
    }
    company = ["track", str(ROOT / "examples" / "segments.yaml"), "--as-of", "2027-06-30"]
    runs["segments-actuals.csv (3 segments, read once)"] = (
        [*company, "-f", "json", "--actuals", str(folder / "segments-actuals.csv")],
        (0, 1),
    )
    runs["goals: 500,000 weights (refused)"] = (["plan", str(folder / "weights.yaml")], (2,))
    runs["goals: 88,000 keys (refused)"] = (["plan", str(folder / "keys.yaml")], (2,))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    note_editable()
    command = funnelcalc_command()
    baseline = [*command, "plan", str(GOALS), "-f", "json"]
    with tempfile.TemporaryDirectory() as folder:
        for label, (line, ok) in _inputs(Path(folder)).items():
            compare(label, [*command, *line], baseline, args.runs, ok)


if __name__ == "__main__":
    main()
