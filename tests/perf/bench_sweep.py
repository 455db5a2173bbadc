"""Sweep scaling benchmark: 1,000, 10,000 and 1,000,000 points of examples/goals.yaml against
one `plan` of the same file. Not collected by pytest; run it by hand from `pip install .`:

    python tests/perf/bench_sweep.py [--runs 7] [--skip-million]

Each command and `funnelcalc plan examples/goals.yaml` run in alternation and their medians
are compared (JSON out, so that the figures are the sweep's and not a terminal table's). It
also times the sweep in this process against one exact plan, the kernel's own cost.
Target: 10,000 points ≤ 2× a plan; 1,000,000 points in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import TYPE_CHECKING

from funnelcalc import loader
from funnelcalc.solver import solve
from funnelcalc.sweep import parse_vary, sweep

if TYPE_CHECKING:
    from tests.perf._measure import compare, funnelcalc_command, note_editable
else:  # run as a script: its folder is on the path, the repository is not
    from _measure import compare, funnelcalc_command, note_editable

FILE = "examples/goals.yaml"
GRIDS = {
    "1,000": ["stages.leads.rate=0.1%..100%/0.1%"],
    "10,000": ["stages.leads.rate=1%..100%/1%", "deal_size=1000..100000/1000"],
    "1,000,000": ["stages.leads.rate=0.1%..100%/0.1%", "deal_size=1000..1000000/1000"],
}
TARGET_10K = 2.0


def in_process(flags: list[str], repeat: int) -> tuple[float, float]:
    """Median seconds of sweep() (reading the file included) and of read + one plan."""
    sweeps, plans = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        sweep(loader.read(FILE), [parse_vary(flag) for flag in flags])
        sweeps.append(time.perf_counter() - start)
        start = time.perf_counter()
        solve(loader.read(FILE).base)
        plans.append(time.perf_counter() - start)
    return statistics.median(sweeps), statistics.median(plans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-million", action="store_true")
    args = parser.parse_args()
    note_editable()
    command = funnelcalc_command()
    plan = [*command, "plan", FILE, "-f", "json"]
    ratios = {}
    for points, flags in GRIDS.items():
        if args.skip_million and points == "1,000,000":
            continue
        varied = [part for flag in flags for part in ("--vary", flag)]
        runs = args.runs if points != "1,000,000" else max(3, args.runs // 2)
        ratios[points] = compare(
            f"sweep {points} points (json)",
            [*command, "sweep", FILE, *varied, "-f", "json"],
            plan,
            runs,
        ).ratio
    print("in this process (sweep() against read + one plan):")
    for points, flags in GRIDS.items():
        if args.skip_million and points == "1,000,000":
            continue
        ours, one = in_process(flags, 3 if points == "1,000,000" else args.runs)
        print(
            f"  {points:>9} points {ours * 1000:9.1f} ms   one plan {one * 1000:6.2f} ms   "
            f"ratio {ours / one:8.0f}   {ours / int(points.replace(',', '')) * 1e6:5.2f} µs/point"
        )
    verdict = "meets" if ratios["10,000"] <= TARGET_10K else "MISSES"
    print(
        f"10,000-point sweep / plan {ratios['10,000']:.2f}: {verdict} the target of ≤ {TARGET_10K}"
    )


if __name__ == "__main__":
    main()
