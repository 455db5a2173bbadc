"""Start-up benchmark: `funnelcalc plan examples/goals.yaml` against the cost of importing
funnelcalc's own dependencies. Not collected by pytest; run it by hand:

    python tests/perf/bench_startup.py [--runs 30]

Runs alternate between the command and the baseline so that machine noise hits both, and
the medians are compared. Target: ratio ≤ 1.15. For context it also times a do-nothing Typer
command with the same dependencies: Typer ≥ 0.29 builds a pydantic TypeAdapter per option on
every run, which the import-only baseline does not pay.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.perf._measure import funnelcalc_command
else:  # run as a script: its folder is on the path, the repository is not
    from _measure import funnelcalc_command

ROOT = Path(__file__).resolve().parents[2]
BASELINE = [
    sys.executable,
    "-c",
    "import typer, rich.table, rich.console, yaml; from pydantic import BaseModel",
]
TARGET_RATIO = 1.15
# For context: a do-nothing Typer command with plan's parameters that imports the same
# dependencies. Typer >= 0.29 builds a pydantic TypeAdapter per parameter on every run, a
# cost the import-only baseline does not include; funnelcalc cannot start faster than this.
TYPER_FLOOR = [
    sys.executable,
    "-c",
    """
from enum import StrEnum
from pathlib import Path
from typing import Annotated
import typer
class Format(StrEnum):
    TABLE = "table"
app = typer.Typer()
@app.callback()
def root(version: Annotated[bool, typer.Option("--version")] = False) -> None: ...
@app.command()
def plan(
    file: str,
    output_format: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    output: Annotated[Path | None, typer.Option()] = None,
    force: bool = False,
) -> None:
    import rich.table, rich.console, yaml
    from pydantic import BaseModel
app()
""",
    "plan",
    "examples/goals.yaml",
]


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def compare(label: str, command: list[str], runs: int) -> float:
    """Median time of `command` over the baseline's, measured in alternation."""
    seconds(command)  # warm the file cache and bytecode
    seconds(BASELINE)
    ours: list[float] = []
    floor: list[float] = []
    for _ in range(runs):
        ours.append(seconds(command))
        floor.append(seconds(BASELINE))
    ratio = statistics.median(ours) / statistics.median(floor)
    print(
        f"{label:<40} {statistics.median(ours) * 1000:7.1f} ms   "
        f"baseline {statistics.median(floor) * 1000:7.1f} ms   ratio {ratio:.3f}"
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    command = funnelcalc_command()
    if sys.flags.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print(
            "note: PYTHONDONTWRITEBYTECODE is set: an editable install recompiles funnelcalc on "
            "every run; measure from `pip install .` (which compiles it) for users' figures"
        )
    ratio = compare(
        "plan examples/goals.yaml", [*command, "plan", "examples/goals.yaml"], args.runs
    )
    compare(
        "plan examples/goals.yaml --format json",
        [*command, "plan", "examples/goals.yaml", "-f", "json"],
        args.runs,
    )
    compare("typer floor (empty command, same deps)", TYPER_FLOOR, args.runs)
    compare("--version", [*command, "--version"], args.runs)
    compare("--help", [*command, "--help"], args.runs)
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"plan start-up ratio {ratio:.3f}: {verdict} the target of ≤ {TARGET_RATIO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
