"""Simulation benchmark: 100,000 runs of a five-stage funnel with ranges. Not collected by
pytest; run it by hand:

    python tests/perf/bench_simulate.py [--runs 100000] [--repeat 7]

It times `simulate()` in this process (the median of several repeats) and, for scale, one exact
plan of the same file with no draws: the ratio says what a run costs against a plan.
Target: 100,000 runs well under a second.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from funnelcalc import loader
from funnelcalc.simulate import simulate
from funnelcalc.solver import solve

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "uncertain-waterfall.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
