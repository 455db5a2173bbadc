"""Fuzz every command with generated goals files, flags, actuals and output targets.

Whatever the input: exit 0, 1 or 2 (never 3), no traceback, an exit-2 message that names the
file or the flag, bounded time, memory and output, no control character on stderr, the plan
invariants on every plan printed, and nothing written but --output (nothing replaced without
--force). The default run is bounded for CI; FUNNELCALC_FUZZ_EXAMPLES=N runs N cases.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import resource
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from funnelcalc.cli import app
from tests.fuzzing import (
    COMMANDS,
    Case,
    cases,
)

EXAMPLES = int(os.environ.get("FUNNELCALC_FUZZ_EXAMPLES", "0"))
DEFAULT_EXAMPLES = 500
SECONDS_PER_CASE = 5.0
MAX_STDERR = 64 * 1024
MAX_STDOUT = 8 * 1024 * 1024
EXTRA_MEMORY = 2 * 1024**3
"""The address space the fuzzed commands may add to the test process's."""


@dataclass
class Outcome:
    """What one fuzzed invocation did, for the report at the end of the run."""

    exit_codes: dict[int, int] = field(default_factory=dict)
    commands: dict[str, int] = field(default_factory=dict)
    slowest: float = 0.0
    plans_checked: int = 0


SEEN = Outcome()


@contextmanager
def _memory_ceiling() -> Iterator[None]:
    """Cap the address space (where the platform allows): a blow-up is a MemoryError (exit 3,
    which fails the test), not a machine swapping for minutes."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, AttributeError):
        yield
        return
    ceiling = used + EXTRA_MEMORY
    if hard != resource.RLIM_INFINITY and ceiling > hard:
        ceiling = hard
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _snapshot(root: Path) -> dict[str, tuple[str, str]]:
    """Every entry under `root`: its kind and, for files, a hash of the content."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(root.rglob("*")):
        mode = path.lstat().st_mode
        name = str(path.relative_to(root))
        if stat.S_ISLNK(mode):
            found[name] = ("link", os.readlink(path))
        elif stat.S_ISREG(mode):
            found[name] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
        elif stat.S_ISDIR(mode):
            found[name] = ("dir", "")
        elif stat.S_ISFIFO(mode):
            found[name] = ("fifo", "")
        else:
            found[name] = ("other", "")
    return found


def _run(case: Case, root: Path) -> tuple[int, str, str, float]:
    env: dict[str, str | None] = {
        "COLUMNS": case.columns,
        "NO_COLOR": "1",
        "FUNNELCALC_DEBUG": None,
        "GITHUB_STEP_SUMMARY": str(root / case.summary) if case.summary else None,
    }
    runner = CliRunner(env=env)
    before = os.getcwd()
    os.chdir(root)
    started = time.monotonic()
    try:
        with _memory_ceiling():
            result = runner.invoke(app, case.args(root), input=case.stdin, catch_exceptions=True)
    finally:
        os.chdir(before)
    elapsed = time.monotonic() - started
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails with it
    return result.exit_code, result.stdout, result.stderr, elapsed


def _names_its_source(first: str, case: Case) -> bool:
    """An exit-2 message starts with the file, the flag or the stream at fault."""
    sources = [*case.files(), "<stdin>", "<stdout>", "$GITHUB_STEP_SUMMARY", "--"]
    written = case.written_path()
    if written is not None:
        sources.append(written[:100])  # a long name is shown cut short
    if first.startswith(tuple(sources)):
        return True
    # Typer's own usage errors: a usage line, then a box naming the option or argument.
    return first.startswith("Usage: ")


def _check_plan(document: dict[str, Any]) -> None:
    """Each stage the smallest whole number that reaches the next; the schedule sums exact."""
    stages = document["stages"]
    followed = {c["stage"] for c in document.get("channels", []) if c["attribution"] == "followed"}
    names = [stage["name"] for stage in stages]
    # below a stage whose channels convert at their own rates, a stage holds what they bring
    channels = min((names.index(name) for name in followed), default=len(stages))
    for number, (above, below) in enumerate(itertools.pairwise(stages)):
        rate, volume, needed = below["rate"], above["volume"], below["volume"]
        if not isinstance(rate, Decimal) or below.get("sources") or above.get("sources"):
            continue
        if number >= channels:
            continue
        exact = Fraction(rate)  # (a Decimal product would round at 28 digits)
        assert math.floor(volume * exact) >= needed, (above, below)
        assert volume == 0 or math.floor((volume - 1) * exact) < needed, (above, below)
    if document.get("budget") is not None and document.get("spend") is not None:
        fixed = sum((Fraction(v) for v in (document.get("fixed_costs") or {}).values()), Fraction())
        assert Fraction(document["budget"]) == Fraction(document["spend"]) + fixed
    for segment in document.get("segments") or []:  # a roll-up: each segment is a plan too
        _check_plan(segment["plan"])
    for stage in stages:
        rows = document.get("schedule") or []
        if rows and stage["name"] in rows[0]["stages"]:
            assert sum(row["stages"][stage["name"]] for row in rows) == stage["volume"]


def _check_case(case: Case) -> None:
    root = Path(tempfile.mkdtemp(prefix="funnelcalc-fuzz-"))
    try:
        case.prepare(root)
        before = _snapshot(root)
        code, stdout, stderr, elapsed = _run(case, root)
        after = _snapshot(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    SEEN.exit_codes[code] = SEEN.exit_codes.get(code, 0) + 1
    SEEN.commands[case.command] = SEEN.commands.get(case.command, 0) + 1
    SEEN.slowest = max(SEEN.slowest, elapsed)
    shown = f"{case.describe()}\nexit {code}\nstderr: {stderr[:2000]!r}"
    assert code in (0, 1, 2), shown
    assert "Traceback" not in stderr, shown
    assert "internal error" not in stderr, shown
    assert elapsed < SECONDS_PER_CASE, shown
    assert len(stderr) < MAX_STDERR, shown
    assert len(stdout) < MAX_STDOUT, shown
    assert all(c.isprintable() or c == "\n" for c in stderr), shown
    if code == 2:
        # The first problem (after any note such as "funnelcalc: FILE sets no limits").
        problems = [line for line in stderr.splitlines() if not line.startswith("funnelcalc: ")]
        first = problems[0] if problems else ""
        assert _names_its_source(first, case), shown
    _check_writes(case, code, before, after, shown)
    printed = case.output in (None, "-")
    if code in (0, 1) and case.command == "plan" and case.format == "json" and printed:
        _check_plan(json.loads(stdout, parse_float=Decimal))
        SEEN.plans_checked += 1


def _check_writes(
    case: Case,
    code: int,
    before: dict[str, tuple[str, str]],
    after: dict[str, tuple[str, str]],
    shown: str,
) -> None:
    """Only the --output file (or init's) may appear or change, and a file already there only
    with --force (never an input); the step summary may change; nothing else, and no
    temporary file is left behind."""
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    allowed: set[str] = set()
    target = case.written_path()
    if target is not None:  # (exit 2 after writing it, when the step summary fails)
        previous = before.get(target)
        ours = previous is None or (previous[0] == "file" and case.force)
        if ours and target not in case.files():
            allowed.add(target)
    if case.summary and case.summary not in case.files():
        allowed.add(case.summary)
    assert changed <= allowed, f"{shown}\nchanged: {sorted(changed)}"


@pytest.mark.skipif(EXAMPLES > 0, reason="the long run below replaces it")
@settings(
    max_examples=DEFAULT_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(cases())
def test_fuzz_every_command(case: Case) -> None:
    """Exit 0/1/2, no traceback, located messages, bounded, invariants, safe writes."""
    _check_case(case)


PER_COMMAND = 12


@pytest.mark.skipif(EXAMPLES > 0, reason="the long run below replaces it")
@pytest.mark.parametrize("command", COMMANDS)
def test_fuzz_each_command(command: str) -> None:
    """A few cases of every command, so none is left out of the run whatever the draws."""

    @settings(
        max_examples=PER_COMMAND,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=True,
    )
    @given(cases(command=command))
    def run(case: Case) -> None:
        _check_case(case)

    run()


@pytest.mark.skipif(EXAMPLES == 0, reason="set FUNNELCALC_FUZZ_EXAMPLES=N for a long run")
@settings(
    max_examples=max(EXAMPLES, 1),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases())
def test_fuzz_every_command_long(case: Case) -> None:
    """The same properties over FUNNELCALC_FUZZ_EXAMPLES random cases."""
    _check_case(case)


def test_fuzz_covers_every_command() -> None:
    """The fuzzer's command list is the CLI's."""
    registered = {
        command.name or (command.callback.__name__ if command.callback else "")
        for command in app.registered_commands
    }
    assert set(COMMANDS) == registered


def test_fuzz_reached_every_command() -> None:
    """After the fuzz run: every command was driven, and plans were checked (the counts are
    printed, visible with -s, for the note)."""
    if not SEEN.commands:
        pytest.skip("the fuzz test did not run in this session")
    print(
        f"fuzz: {sum(SEEN.commands.values())} cases; by command {SEEN.commands}; "
        f"exit codes {SEEN.exit_codes}; slowest {SEEN.slowest:.2f}s; "
        f"plans checked {SEEN.plans_checked}"
    )
    assert set(SEEN.commands) == set(COMMANDS)
    assert SEEN.plans_checked > 0
