"""The project keeps its promises: README commands match CI, README output matches reality."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command

from funnelcalc.cli import app
from tests.conftest import GOALS, ROOT, WriteGoals, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(after_heading: str) -> list[str]:
    section = README.split(f"## {after_heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.S)


def test_quickstart_has_exactly_two_commands() -> None:
    """One installs and plans the example, one installs the test extra and runs the suite."""
    commands = code_blocks("Quickstart")[0].strip().splitlines()
    assert len(commands) == 2
    assert commands[0].endswith("funnelcalc plan examples/goals.yaml")
    assert "'.[test]'" in commands[1]
    assert commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs the Quickstart's test command word for word."""
    test_command = code_blocks("Quickstart")[0].strip().splitlines()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_readme_shows_real_output() -> None:
    """The Quickstart's sample output is what `plan examples/goals.yaml` prints."""
    shown = code_blocks("Quickstart")[1].splitlines()
    assert shown[-1] == "…"
    actual = [line.rstrip() for line in run_cli("plan", str(GOALS)).stdout.splitlines()]
    assert shown[:-1] == actual[: len(shown) - 1]


def test_readme_error_sample_is_real(write_goals: WriteGoals) -> None:
    """The error messages shown in the README are the ones funnelcalc prints."""
    path = write_goals(
        "target:\n  revenue: 500000\ndeal_size: 50000\nstages:\n  - name: visitors\n"
        "  - name: leads\n    rate: 2.5\n    ownr: marketing\n  - name: yes\n    rate: 40%\n"
    )
    shown = code_blocks("Errors and exit codes")[0].strip().splitlines()
    result = run_cli("plan", str(path))
    assert result.exit_code == 2
    assert result.stderr.replace(str(path), "goals.yaml").splitlines() == shown


def test_every_command_is_documented() -> None:
    """Each CLI command has help text and a mention in the README."""
    group = get_command(app)
    commands = getattr(group, "commands", {})
    assert commands
    for name, command in commands.items():
        assert command.help, name
        assert f"funnelcalc {name}" in README, name


@pytest.mark.parametrize(
    ("block", "args"),
    [
        (2, ["compare", "examples/goals.yaml"]),
        (4, ["sweep", "examples/goals.yaml", "--vary", "stages.leads.rate=2%..4%/0.5%"]),
    ],
)
def test_readme_what_if_samples_are_real(block: int, args: list[str]) -> None:
    """The compare and sweep tables shown in the README are what the commands print."""
    shown = code_blocks("What-ifs: --set, scenarios, compare and sweep")[block].splitlines()
    actual = run_cli(*[str(ROOT / a) if a.startswith("examples/") else a for a in args]).stdout
    assert shown == [line.rstrip() for line in actual.splitlines()][: len(shown)]


def test_readme_baseline_sample_is_real() -> None:
    """The derivation lines shown in the README's Money section are printed by plan."""
    blocks = code_blocks("Money: costs, budget, sources and existing customers")
    shown = next(b for b in blocks if b.startswith("Baseline revenue")).splitlines()
    actual = run_cli("plan", str(ROOT / "examples" / "saas-growth.yaml")).stdout
    lines = [line.rstrip() for line in actual.splitlines()]
    assert shown == lines[1 : 1 + len(shown)]


@pytest.mark.parametrize(
    ("block", "args", "skip"),
    [
        (1, ["plan", "examples/monthly-plan.yaml", "--by", "quarter"], 7),
        (
            2,
            [
                "track",
                "examples/monthly-plan.yaml",
                "--actuals",
                "examples/actuals/q1.csv",
                "--as-of",
                "2027-03-31",
            ],
            3,
        ),
    ],
)
def test_readme_time_samples_are_real(block: int, args: list[str], skip: int) -> None:
    """The schedule and tracking tables shown in the README are what the commands print."""
    shown = code_blocks("Time: schedules, lags and tracking")[block].splitlines()
    actual = run_cli(*[str(ROOT / a) if a.startswith("examples/") else a for a in args]).stdout
    lines = [line.rstrip() for line in actual.splitlines()]
    assert shown == lines[skip : skip + len(shown)]


def test_readme_simulate_sample_is_real() -> None:
    """The simulate table in the README is what 100,000 runs with seed 0 print."""
    shown = code_blocks("Uncertainty and levers: simulate, levers, solve, project")[1].splitlines()
    args = ["simulate", str(ROOT / "examples" / "uncertain-waterfall.yaml"), "--runs", "100000"]
    lines = [line.rstrip() for line in run_cli(*args).stdout.splitlines()]
    assert shown == lines[2 : 2 + len(shown)]


def test_readme_unit_economics_sample_is_real() -> None:
    """The unit economics lines shown in the README's Money section are printed by plan."""
    blocks = code_blocks("Money: costs, budget, sources and existing customers")
    shown = next(b for b in blocks if b.startswith("ARPA")).splitlines()
    actual = run_cli("plan", str(ROOT / "examples" / "saas-growth.yaml")).stdout
    lines = [line.rstrip() for line in actual.splitlines()]
    start = lines.index(shown[0])
    assert lines[start - 1] == "Unit economics"
    assert shown == lines[start : start + len(shown)]


def test_readme_segments_sample_is_real() -> None:
    """The roll-up shown in the README's Segments section is what plan prints."""
    shown = code_blocks("Segments: one target, several funnels")[1].splitlines()
    assert shown[-1] == "…"
    actual = run_cli("plan", str(ROOT / "examples" / "segments.yaml")).stdout
    lines = [line.rstrip() for line in actual.splitlines()]
    assert shown[:-1] == lines[: len(shown) - 1]


def test_readme_capacity_sample_is_real() -> None:
    """The AE months shown in the README's Sales capacity section are what capacity prints."""
    shown = code_blocks("Sales capacity: team, ramp and hiring")[1].splitlines()
    actual = run_cli("capacity", str(ROOT / "examples" / "capacity.yaml")).stdout
    lines = [line.rstrip() for line in actual.splitlines()]
    start = lines.index("AE: won by month") + 1
    assert shown == lines[start : start + len(shown)]
