"""Limits and `check`: the CI gate, its formats, GitHub annotations and the step summary."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, GOALS, GOALS_TEXT, WriteGoals, run_cli

WATERFALL = EXAMPLES / "demand-waterfall.yaml"


def test_check_passes_with_exit_0() -> None:
    """The base plan of the waterfall stays within both limits."""
    result = run_cli("check", str(WATERFALL))
    assert result.exit_code == 0, result.stderr
    assert "All 2 limits hold." in result.stdout


def test_check_fails_with_exit_1_when_a_scenario_breaks_a_limit() -> None:
    """--all-scenarios adds the scenarios; smaller deals need more SALs than SDRs can take."""
    result = run_cli("check", str(WATERFALL), "--all-scenarios", "-f", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["passed"] is False
    broken = [
        (i["scenario"], i["stage"], i["needed"]) for i in document["limits"] if not i["holds"]
    ]
    assert broken == [("smaller-deals", "inquiries", 7234), ("smaller-deals", "SAL", 607)]
    assert all(i["headroom"] == i["limit"] - i["needed"] for i in document["limits"])


def test_check_one_scenario() -> None:
    """--scenario checks that scenario instead of the base."""
    result = run_cli("check", str(WATERFALL), "--scenario", "smaller-deals", "-f", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["scenario"] for row in rows} == {"smaller-deals"}
    assert [row["holds"] for row in rows] == ["false", "false"]


def test_set_can_break_or_mend_a_limit() -> None:
    """--set limits.SAL=500 breaks the base plan; --set on a rate can mend it."""
    assert run_cli("check", str(WATERFALL), "--set", "limits.SAL=500").exit_code == 1
    mended = run_cli(
        "check", str(WATERFALL), "--set", "limits.SAL=500", "--set", "stages.won.rate=30%"
    )
    assert mended.exit_code == 0


def test_no_limits_is_not_a_failure() -> None:
    """A file without limits passes, and says there was nothing to check."""
    result = run_cli("check", str(GOALS))
    assert result.exit_code == 0
    assert "sets no limits: nothing to check" in result.stdout
    as_json = run_cli("check", str(GOALS), "-f", "json")
    document = json.loads(as_json.stdout)
    assert document["provenance"]["sources"] == [str(GOALS)]
    del document["provenance"]
    assert document == {"schema_version": 1, "passed": True, "limits": []}
    assert "nothing to check" in as_json.stderr


def test_github_annotations_point_at_the_limit_line() -> None:
    """--format github: an ::error with file and line per broken limit, then a summary."""
    result = run_cli("check", str(WATERFALL), "--all-scenarios", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    text = WATERFALL.read_text(encoding="utf-8").splitlines()
    sal_line = next(i for i, line in enumerate(text, 1) if line.strip().startswith("SAL: 520"))
    assert lines[1] == (
        f"::error file={WATERFALL},line={sal_line},title=Limit broken::"
        "SAL needs 607 in the smaller-deals plan: over its limit of 520 by 87"
    )
    assert lines[-1] == f"::error file={WATERFALL}::2 of 6 limits broken."


def test_github_notice_when_all_hold() -> None:
    """A passing check leaves one ::notice."""
    result = run_cli("check", str(WATERFALL), "-f", "github")
    assert result.stdout == f"::notice file={WATERFALL}::All 2 limits hold.\n"


def test_github_escapes_commas_and_colons_in_the_file_name(tmp_path: Path) -> None:
    """Workflow-command properties escape , and : (a file called a,b:c.yaml)."""
    path = tmp_path / "a,b:c.yaml"
    path.write_text(WATERFALL.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("check", str(path), "-f", "github", "--set", "limits.SAL=1")
    assert "a%2Cb%3Ac.yaml" in result.stdout


def test_plan_marks_broken_limits_but_exits_0() -> None:
    """plan shows the broken limit in every format and still exits 0."""
    args = ["plan", str(WATERFALL), "-s", "smaller-deals"]
    table = run_cli(*args)
    assert table.exit_code == 0
    assert "✗ SAL needs 607: over its limit of 520 by 87" in table.stdout
    assert "520 ✗" in table.stdout
    document = json.loads(run_cli(*args, "-f", "json").stdout)
    assert document["limits_hold"] is False
    assert [s["within_limit"] for s in document["stages"]] == [False, None, False, None, None]
    assert "- **✗ SAL needs 607" in run_cli(*args, "-f", "markdown").stdout


def test_step_summary_is_appended_for_check_and_compare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With GITHUB_STEP_SUMMARY set, check and compare append Markdown; --no-summary stops it."""
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli("check", str(WATERFALL), "-f", "github")
    run_cli("compare", str(GOALS), "-f", "json")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(f"earlier step\n## Limits of {WATERFALL}\n")
    assert "- All 2 limits hold." in text
    assert "## FY2027 new business: scenarios compared" in text
    before = summary.read_text(encoding="utf-8")
    run_cli("check", str(WATERFALL), "--no-summary")
    run_cli("compare", str(GOALS), "--no-summary")
    assert summary.read_text(encoding="utf-8") == before


def test_unwritable_step_summary_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GITHUB_STEP_SUMMARY that cannot be written is named, exit 2."""
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing" / "summary.md"))
    result = run_cli("check", str(WATERFALL))
    assert result.exit_code == 2
    assert result.stderr.startswith("$GITHUB_STEP_SUMMARY: cannot append to ")


@pytest.mark.parametrize(
    ("limits", "line", "message"),
    [
        (
            "limits:\n  visitor: 100\n",
            15,
            "limits.visitor: no stage is named 'visitor'; did you mean 'visitors'?",
        ),
        ("limits:\n  visitors: 0\n", 15, "limits.visitors: a limit must be above 0"),
        ("limits:\n  visitors: 2.5\n", 15, "a limit on a stage must be a whole number"),
        ("limits: [visitors]\n", 14, "limits: must be a mapping of keys"),
    ],
)
def test_bad_limits(write_goals: WriteGoals, limits: str, line: int, message: str) -> None:
    """Limits on unknown stages, or that are not positive whole numbers, are located errors."""
    path = write_goals(GOALS_TEXT + limits)
    result = run_cli("check", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:{line}:")
    assert message in result.stderr


def test_a_min_and_max_limit_reads_as_two_rows_in_csv(write_goals: WriteGoals) -> None:
    """10 won at 10% need 100 leads: within {min: 50, max: 120}, each bound its own CSV row."""
    path = write_goals(
        "target: {clients: 10}\nstages:\n  - {name: leads}\n  - {name: won, rate: 10%}\n"
        "limits:\n  leads: {min: 50, max: 120}\n"
    )
    result = run_cli("check", str(path), "-f", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "scenario,stage,limit,needed,headroom,holds",
        "base,leads,120,100,20,true",
        "base,leads ≥,50,100,50,true",
    ]
