"""funnelcalc diff: inputs and figures that changed, worked by hand; git revisions; thresholds;
Markdown for pull requests and GitHub annotations on the changed lines."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GOALS, GOALS_TEXT, WriteGoals, run_cli

CHANGED = GOALS_TEXT.replace("deal_size: 50000", "deal_size: 45000").replace("2.5%", "2%")


def test_figures_are_the_hand_worked_ones(tmp_path: Path) -> None:
    """Deal size 50,000 → 45,000 and leads 2.5% → 2%: worked by hand from the rule."""
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(GOALS_TEXT)
    new.write_text(CHANGED)
    document = json.loads(run_cli("diff", str(old), str(new), "-f", "json").stdout)
    figures = {row["key"]: row for row in document["figures"]}
    # clients: ⌈500,000 ÷ 45,000⌉ = 12; SQL ⌈12 ÷ 0.2⌉ = 60; MQL ⌈60 ÷ 0.25⌉ = 240;
    # leads ⌈240 ÷ 0.4⌉ = 600; visitors ⌈600 ÷ 0.02⌉ = 30,000 (was 20,000: +50%)
    assert figures["stages.clients.volume"]["new"] == 12
    assert figures["stages.visitors.volume"] == {
        "key": "stages.visitors.volume",
        "old": 20000,
        "new": 30000,
        "change": 10000,
        "relative": 0.5,
    }
    assert figures["revenue"]["new"] == 540000  # 12 × 45,000
    assert figures["stages.leads.rate"]["change"] == -0.005
    inputs = {row["key"]: row for row in document["inputs"]}
    assert inputs["deal_size"] == {"key": "deal_size", "old": 50000, "new": 45000, "line": 3}
    assert set(inputs) == {"deal_size", "stages.leads.rate"}
    assert document["passed"] is True


def test_unchanged_files_say_nothing_moved(tmp_path: Path) -> None:
    """The same plan twice: no input, no figure."""
    copy = tmp_path / "copy.yaml"
    shutil.copy(GOALS, copy)
    result = run_cli("diff", str(GOALS), str(copy))
    assert result.exit_code == 0
    assert "No figure of the plan moved." in result.stdout


@pytest.mark.parametrize(
    ("threshold", "crossed"),
    [
        ("stages.visitors.volume>49%", True),
        ("stages.visitors.volume>50%", False),
        ("stages.visitors.volume>+9999", True),
        ("revenue<-1%", False),
        ("revenue>7.9%", True),
        ("stages.leads.rate<-0.004", True),
    ],
)
def test_fail_if_thresholds(tmp_path: Path, threshold: str, crossed: bool) -> None:
    """Exit 1 exactly when a figure moves past the threshold (percent or absolute)."""
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(GOALS_TEXT)
    new.write_text(CHANGED)
    result = run_cli("diff", str(old), str(new), "--fail-if", threshold, "--no-summary")
    assert result.exit_code == (1 if crossed else 0), result.stderr
    assert ("✗" in result.stdout) is crossed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-if", "budget 10%"], "--fail-if budget 10%: write KEY>CHANGE or KEY<CHANGE"),
        (["--fail-if", "nothing>1%"], "no figure is called 'nothing'"),
    ],
)
def test_bad_thresholds_are_usage_errors(args: list[str], message: str) -> None:
    """A malformed or unknown --fail-if is exit 2, naming the flag."""
    result = run_cli("diff", str(GOALS), str(GOALS), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_old_new_or_base_but_not_both() -> None:
    """diff needs two files, or one with --base."""
    assert run_cli("diff", str(GOALS)).exit_code == 2
    both = run_cli("diff", str(GOALS), str(GOALS), "--base", "HEAD")
    assert both.exit_code == 2
    assert "give OLD NEW, or FILE --base REV" in both.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_base_reads_the_file_at_a_git_revision(tmp_path: Path) -> None:
    """--base REV compares the file with itself as committed at REV."""

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "test@example.com")
    git("config", "user.name", "Test")
    goals = tmp_path / "goals.yaml"
    goals.write_text(GOALS_TEXT)
    git("add", "goals.yaml")
    git("commit", "-qm", "plan")
    goals.write_text(CHANGED)
    result = run_cli("diff", str(goals), "--base", "HEAD", "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["old"] == f"{goals}@HEAD"
    assert {row["key"] for row in document["inputs"]} == {"deal_size", "stages.leads.rate"}
    missing = run_cli("diff", str(goals), "--base", "no-such-branch")
    assert missing.exit_code == 2
    assert "--base no-such-branch: cannot read" in missing.stderr


def test_github_annotations_sit_on_the_changed_lines(tmp_path: Path) -> None:
    """Each changed input is a notice on its line of the new file; a crossed threshold an error."""
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(GOALS_TEXT)
    new.write_text(CHANGED)
    args = ["diff", str(old), str(new), "-f", "github", "--fail-if", "revenue>1%"]
    lines = run_cli(*args, "--no-summary").stdout.splitlines()
    assert f"::notice file={new},line=3,title=Input changed::deal_size: 50000 → 45000" in lines
    assert any(line.startswith("::error ") and "revenue moved +8%" in line for line in lines)


def test_markdown_suits_a_pull_request_comment(tmp_path: Path) -> None:
    """Markdown: the verdict, the inputs and figures as pipe tables."""
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(GOALS_TEXT)
    new.write_text(CHANGED)
    text = run_cli("diff", str(old), str(new), "-f", "markdown").stdout
    assert "### Inputs that changed" in text
    assert "| stages.visitors.volume | 20,000 | 30,000 | +10,000 | +50% |" in text


def test_check_annotates_an_invalid_file_on_its_line(write_goals: WriteGoals) -> None:
    """check --format github: each problem of a broken goals file is an error on its line."""
    path = write_goals("target: {clients: 1}\nstages:\n  - {name: a}\n  - {name: b, rate: 2}\n")
    result = run_cli("check", str(path), "-f", "github")
    assert result.exit_code == 2
    assert result.stdout.startswith(f"::error file={path},line=4,title=Invalid input::")
    assert "stages.b.rate: a rate is at most 1" in result.stdout
    assert "stages.b.rate" in result.stderr


def test_track_has_github_annotations_and_a_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """track --format github: an error per stage behind; the step summary gets the report."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monthly = GOALS.parent / "monthly-plan.yaml"
    actuals = GOALS.parent / "actuals" / "q1.csv"
    args = ["track", str(monthly), "--actuals", str(actuals), "--as-of", "2027-03-31"]
    result = run_cli(*args, "-f", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error title=Behind plan::leads: 640 to 2027-03-31")
    assert "## FY2027 monthly plan: tracking from 2026-11-01 to 2027-03-31" in summary.read_text()
