"""Shared test helpers: paths, a CLI runner with stdout and stderr apart, hypothesis profiles."""

from __future__ import annotations

import builtins
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from funnelcalc.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOALS = EXAMPLES / "goals.yaml"

MADE = "1798761600"
"""$SOURCE_DATE_EPOCH in tests: reports say they were made on 2027-01-01."""
FIXED_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "SOURCE_DATE_EPOCH": MADE}

settings.register_profile("default", deadline=None)
settings.register_profile(
    "ci", deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@dataclass(frozen=True)
class Run:
    """What one CLI invocation did."""

    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, stdin: str | bytes | None = None) -> Run:
    """Invoke funnelcalc in-process at a fixed terminal width."""
    runner = CliRunner(env={**FIXED_ENV, "FUNNELCALC_DEBUG": None})
    result = runner.invoke(app, list(args), input=stdin, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


WriteGoals = Callable[..., Path]


@pytest.fixture
def write_goals(tmp_path: Path) -> WriteGoals:
    """Write YAML text to a goals file in a temporary folder and return its path."""

    def write(text: str, name: str = "goals.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


GOALS_TEXT = """\
target:
  revenue: 500000
deal_size: 50000
stages:
  - name: visitors
  - name: leads
    rate: 2.5%
  - name: MQL
    rate: 40%
  - name: SQL
    rate: 25%
  - name: clients
    rate: 20%
"""


def hide_imports(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    """Make every import of `prefix` (an optional extra) fail, as if it were not installed."""
    real_import = builtins.__import__

    def without(name: str, *args: object, **kwargs: object) -> object:
        if name == prefix or name.startswith(prefix + "."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", without)
