"""Open pipeline is honoured by every path that works out volumes, not only the plan: the
sweep, the simulation, the projection and goal seek agree with the plan on a file with one."""

from __future__ import annotations

import json

from tests.conftest import WriteGoals, run_cli

PIPELINE = """\
target: {revenue: 600000}
deal_size: 10000
stages:
  - {name: leads}
  - {name: SQL, rate: 20%}
  - {name: won, rate: 25%}
pipeline: {SQL: 40}
"""


def document(*args: str) -> dict[str, object]:
    result = run_cli(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_every_path_agrees_with_the_plan(write_goals: WriteGoals) -> None:
    """40 open SQL bring 10 wins: 50 fresh wins need 200 SQL and 1,000 leads, everywhere."""
    path = str(write_goals(PIPELINE))
    plan = document("plan", path)
    volumes = [stage["volume"] for stage in plan["stages"]]  # type: ignore[attr-defined]
    assert volumes == [1000, 200, 60]
    simulated = document("simulate", path, "--runs", "50")
    assert [s["p50"] for s in simulated["stages"]] == volumes  # type: ignore[attr-defined]
    projected = document("project", path, "--from", "leads=1000")
    assert projected["clients"] == 60
    solved = document("solve", path, "--for", "stages.SQL.rate", "--given", "leads=1000")
    assert solved["smallest"] == 0.2
    swept = document("sweep", path, "--vary", "deal_size=10000..10000/1")
    assert swept["volumes"] == [1000]
