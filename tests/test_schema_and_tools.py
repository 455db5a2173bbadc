"""Editor and file tooling: the JSON Schema, validate, init, and the CI workflow example."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from yamllint import linter
from yamllint.config import YamlLintConfig

from funnelcalc.schema import schema_text
from funnelcalc.starter import STARTER
from funnelcalc.yamlsource import read_yaml
from tests.conftest import EXAMPLES, GOALS_TEXT, ROOT, run_cli

COMMITTED = EXAMPLES / "goals.schema.json"
MODELINE = "# yaml-language-server: $schema=goals.schema.json"


def as_editors_read(text: str) -> Any:
    """YAML as an editor's language server reads it: dates stay text (YAML 1.2)."""
    return read_yaml(text, source="example")[0]


def validator() -> Draft202012Validator:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_committed_schema_is_in_sync() -> None:
    """examples/goals.schema.json is what `funnelcalc schema` prints: regenerate it with
    `funnelcalc schema > examples/goals.schema.json` after changing the model."""
    printed = run_cli("schema")
    assert printed.exit_code == 0
    assert printed.stdout == schema_text() == COMMITTED.read_text(encoding="utf-8")


def test_schema_is_draft_2020_12() -> None:
    """The schema declares and obeys draft 2020-12."""
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_schema_accepts_every_example(example: str) -> None:
    """Every example validates, and starts with the modeline that points editors at it."""
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    validator().validate(as_editors_read(text))


def test_schema_accepts_the_starter() -> None:
    """What `init` writes validates too."""
    validator().validate(as_editors_read(STARTER))


@pytest.mark.parametrize(
    "name",
    [
        "unknown-top-key.yaml",
        "unknown-stage-key.yaml",
        "rate-above-one.yaml",
        "rate-zero.yaml",
        "rate-text.yaml",
        "no-target.yaml",
        "deal-size-negative.yaml",
        "currency-bad.yaml",
        "clients-zero.yaml",
    ],
)
def test_schema_rejects_what_funnelcalc_rejects(name: str) -> None:
    """The schema flags the same mistakes in an editor that funnelcalc reports."""
    data = as_editors_read((Path(__file__).parent / "corpus" / "bad" / name).read_text("utf-8"))
    assert list(validator().iter_errors(data))


def test_validate_reports_a_good_file() -> None:
    """validate: exit 0 and a one-line summary."""
    result = run_cli("validate", str(EXAMPLES / "demand-waterfall.yaml"))
    assert result.exit_code == 0
    assert result.stdout == (
        f"{EXAMPLES / 'demand-waterfall.yaml'} is valid: 5 stages, 2 scenarios, 2 limits\n"
    )


def test_validate_reports_a_bad_file_and_bad_set() -> None:
    """validate: exit 2 with the located problems; --set is checked too."""
    bad = run_cli("validate", str(ROOT / "tests" / "corpus" / "bad" / "rate-zero.yaml"))
    assert bad.exit_code == 2
    assert "a rate must be above 0" in bad.stderr
    flag = run_cli("validate", str(EXAMPLES / "goals.yaml"), "--set", "deal_size=0")
    assert flag.exit_code == 2
    assert flag.stderr == "--set deal_size=0: an amount must be above 0\n"


def test_init_writes_a_starter_that_plans(tmp_path: Path) -> None:
    """init PATH writes the commented starter; it validates and plans."""
    path = tmp_path / "goals.yaml"
    result = run_cli("init", str(path))
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == STARTER
    assert f"Wrote {path}" in result.stderr
    assert run_cli("check", str(path), "--all-scenarios").exit_code == 0
    document = json.loads(run_cli("plan", str(path), "-f", "json").stdout)
    assert [s["volume"] for s in document["stages"]] == [20000, 500, 200, 50, 10]


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    """An existing file is kept unless --force."""
    path = tmp_path / "goals.yaml"
    path.write_text("mine\n", encoding="utf-8")
    refused = run_cli("init", str(path))
    assert refused.exit_code == 2
    assert refused.stderr == f"{path}: already exists: add --force to overwrite it\n"
    assert path.read_text(encoding="utf-8") == "mine\n"
    assert run_cli("init", str(path), "--force").exit_code == 0
    assert path.read_text(encoding="utf-8") == STARTER


def test_init_defaults_to_goals_yaml_and_dash_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without PATH it writes ./goals.yaml; with - it prints the starter."""
    monkeypatch.chdir(tmp_path)
    assert run_cli("init").exit_code == 0
    assert (tmp_path / "goals.yaml").read_text(encoding="utf-8") == STARTER
    assert run_cli("init", "-").stdout == STARTER


WORKFLOW = EXAMPLES / "ci" / "github-actions.yml"


def test_workflow_example_gates_every_goals_file() -> None:
    """The workflow runs on any *goals*.yaml change, installs a pinned funnelcalc, checks,
    diffs against the base branch, comments and uploads the reports."""
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert workflow["on"]["pull_request"]["paths"] == ["**/*goals*.yaml"]
    assert "@ git+https://" in workflow["env"]["FUNNELCALC"]
    steps = workflow["jobs"]["plan"]["steps"]
    script = "\n".join(step.get("run", "") for step in steps)
    assert "funnelcalc check" in script
    assert '--base "$BASE"' in script
    assert "gh pr comment" in script
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in steps)


def test_workflow_example_passes_yamllint() -> None:
    """yamllint's default rules (lines up to 120) find nothing in the workflow."""
    config = YamlLintConfig("{extends: default, rules: {line-length: {max: 120}}}")
    problems = list(linter.run(WORKFLOW.read_text("utf-8"), config))
    assert problems == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_workflow_script_runs_on_a_real_pull_request(tmp_path: Path) -> None:
    """The workflow's own shell step, run in a git repository with a base branch and a change:
    the budget jump fails it, the comment holds the diff, the reports are written."""
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    step = next(s for s in workflow["jobs"]["plan"]["steps"] if "while read" in s.get("run", ""))

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "ci@example.com")
    git("config", "user.name", "CI")
    plans = tmp_path / "plans"
    plans.mkdir()
    goals = plans / "emea-goals.yaml"
    goals.write_text(GOALS_TEXT + "fixed_costs: {tools: 1000}\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "base")
    goals.write_text(GOALS_TEXT + "fixed_costs: {tools: 2000}\n", encoding="utf-8")
    (tmp_path / "changed.txt").write_text("plans/emea-goals.yaml\n", encoding="utf-8")
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "BASE": "main", "PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert (
        "::error file=plans/emea-goals.yaml,title=--fail-if budget>10%25::budget moved +100%25"
        in done.stdout
    )
    comment = (tmp_path / "comment.md").read_text(encoding="utf-8")
    assert "| fixed\\_costs.tools | 1000 | 2000 |" in comment
    assert (tmp_path / "reports" / "plans_emea-goals.html").stat().st_size > 1000
    assert (tmp_path / "reports" / "plans_emea-goals.png").read_bytes()[:4] == b"\x89PNG"
