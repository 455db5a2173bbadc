"""Shared by the scaling benchmarks: run a command and its baseline in alternation (so machine
noise hits both) and compare medians; peak memory per run from the kernel's own accounting."""

from __future__ import annotations

import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def funnelcalc_command() -> list[str]:
    """The installed console script beside this Python, else `python -m funnelcalc`."""
    script = Path(sys.executable).with_name("funnelcalc")
    if script.exists():
        return [str(script)]
    found = shutil.which("funnelcalc")
    return [found] if found else [sys.executable, "-m", "funnelcalc"]


@dataclass(frozen=True)
class Run:
    """One run of a command: wall time and peak resident memory."""

    seconds: float
    peak_mb: float


def run(command: list[str], ok: tuple[int, ...] = (0,)) -> Run:
    """Run `command` (output discarded) and measure it; fail loudly if it exits other than
    `ok` (a refused input exits 2 on purpose)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in ok:
        raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}")
    return Run(elapsed, usage.ru_maxrss / 1024)  # Linux reports kilobytes


@dataclass(frozen=True)
class Comparison:
    """Medians of a command and its baseline, run in alternation."""

    label: str
    ours: float
    baseline: float
    peak_mb: float
    """The largest peak resident memory of the command's runs."""

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline

    def show(self) -> str:
        return (
            f"{self.label:<44} {self.ours * 1000:8.1f} ms   baseline {self.baseline * 1000:7.1f} ms"
            f"   ratio {self.ratio:6.2f}   peak {self.peak_mb:5.0f} MB"
        )


def compare(
    label: str, command: list[str], baseline: list[str], runs: int, ok: tuple[int, ...] = (0,)
) -> Comparison:
    """Median time of `command` over the baseline's, measured in alternation after a warm-up."""
    run(command, ok)
    run(baseline)
    ours: list[Run] = []
    floor: list[Run] = []
    for _ in range(runs):
        ours.append(run(command, ok))
        floor.append(run(baseline))
    result = Comparison(
        label,
        statistics.median(r.seconds for r in ours),
        statistics.median(r.seconds for r in floor),
        max(r.peak_mb for r in ours),
    )
    print(result.show(), flush=True)
    return result


def note_editable() -> None:
    """Say so when funnelcalc has no compiled bytecode (an editable install with bytecode
    writing off): every run then recompiles it, which users do not pay."""
    import funnelcalc  # noqa: PLC0415 (only to find where it is installed)

    source = funnelcalc.__file__ or ""
    if not Path(importlib.util.cache_from_source(source)).exists():
        print(f"note: {source} is not compiled: measure from `pip install .` instead")
