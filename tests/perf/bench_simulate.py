"""Simulation benchmark: 100,000 runs of a five-stage funnel with ranges, then 1,000,000 from
the command line. Not collected by pytest; run it by hand from `pip install .`:

    python tests/perf/bench_simulate.py [--runs 100000] [--repeat 7] [--cli-runs 5]

It times `simulate()` in this process (the median of several repeats) and, for scale, one exact
plan of the same file with no draws: the ratio says what a run costs against a plan. Then
`funnelcalc simulate --runs 1000000` and `funnelcalc plan` of the same file run in alternation:
the ratio of their medians, and the simulation's peak resident memory.
Targets: 100,000 runs well under a second; 1,000,000 runs ≤ 3× a plan and under 100 MB.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING

from funnelcalc import loader
from funnelcalc.simulate import simulate
from funnelcalc.solver import solve

if TYPE_CHECKING:
    from tests.perf._measure import compare, funnelcalc_command, note_editable
else:  # run as a script: its folder is on the path, the repository is not
    from _measure import compare, funnelcalc_command, note_editable

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "uncertain-waterfall.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cli-runs", type=int, default=5)
    args = parser.parse_args()
    note_editable()
    goals = loader.load(EXAMPLE)
    simulate(goals, runs=1000, seed=0, capacity={})  # warm up numpy
    timings = []
    for seed in range(args.repeat):
        start = time.perf_counter()
        simulate(goals, runs=args.runs, seed=seed, capacity={"inquiries": 12000})
        timings.append(time.perf_counter() - start)
    plans = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        solve(goals)
        plans.append(time.perf_counter() - start)
    median = statistics.median(timings)
    plan = statistics.median(plans)
    print(
        f"simulate {args.runs:,} runs of a {len(goals.stages)}-stage funnel: {median * 1000:.1f} ms"
    )
    print(f"one exact plan of the same file: {plan * 1000:.3f} ms; ratio {median / plan:.0f}×")
    verdict = "meets" if median < 1 else "MISSES"
    print(f"{verdict} the target of well under a second")
    command = funnelcalc_command()
    million = compare(
        "simulate --runs 1000000 (json) / plan",
        [*command, "simulate", str(EXAMPLE), "--runs", "1000000", "-f", "json"],
        [*command, "plan", str(EXAMPLE), "-f", "json"],
        args.cli_runs,
    )
    verdict = "meets" if million.ratio <= 3 and million.peak_mb < 100 else "MISSES"
    print(
        f"1,000,000 runs: {million.ratio:.2f}× a plan, peak {million.peak_mb:.0f} MB: "
        f"{verdict} the target of ≤ 3× and under 100 MB"
    )


if __name__ == "__main__":
    main()
