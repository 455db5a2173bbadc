"""The command line: every format, --output, stdin, version and help, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from funnelcalc import __version__
from tests.conftest import GOALS, ROOT, WriteGoals, run_cli


def test_version() -> None:
    """--version prints the package version."""
    result = run_cli("--version")
    assert (result.exit_code, result.stdout) == (0, f"funnelcalc {__version__}\n")


def test_help_lists_plan_and_its_options() -> None:
    """--help works (no rich-markup crash) and documents every option of plan."""
    top = run_cli("--help")
    assert top.exit_code == 0
    assert "plan" in top.stdout
    result = run_cli("plan", "--help")
    assert result.exit_code == 0
    for option in ("--format", "--output", "--force"):
        assert option in result.stdout


def test_table_is_the_default() -> None:
    """plan FILE prints the header, every stage and the rounding rule."""
    result = run_cli("plan", str(GOALS))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    for text in ("FY2027 new business", "$500,000 of new revenue", "20,000", "2.5%", "⌈"):
        assert text in result.stdout


def test_json_has_the_contract_keys() -> None:
    """The JSON keys that other tools rely on (DESIGN.md) are all present and typed."""
    document = json.loads(run_cli("plan", str(GOALS), "--format", "json").stdout)
    assert {
        "schema_version",
        "name",
        "currency",
        "target",
        "deal_size",
        "revenue",
        "stages",
    } <= set(document)
    assert document["schema_version"] == 1
    assert document["target"] == {"revenue": 500000, "clients": None}
    assert document["revenue"] == 500000
    assert document["deal_size"] == 50000
    for stage in document["stages"]:
        assert {"name", "rate", "volume", "owner"} <= set(stage)
        assert isinstance(stage["volume"], int)
    assert document["stages"][0]["rate"] is None
    assert [s["rate"] for s in document["stages"][1:]] == [0.025, 0.4, 0.25, 0.2]
    assert [s["volume"] for s in document["stages"]] == [20000, 500, 200, 50, 10]


def test_json_numbers_are_exact_decimals(write_goals: WriteGoals) -> None:
    """A rate of 0.1 + a cent amount are written as the decimals, not float noise."""
    path = write_goals(
        "target: {revenue: 100000.10}\ndeal_size: 0.1\nstages:\n"
        "  - {name: a}\n  - {name: b, rate: 0.1}\n"
    )
    text = run_cli("plan", str(path), "-f", "json").stdout
    assert '"rate": 0.1,' in text
    assert '"revenue": 100000.1,' in text
    assert json.loads(text)["clients"] == 1000001


def test_csv_has_a_header_and_a_row_per_stage() -> None:
    """CSV reads back with numbers as plain numbers."""
    result = run_cli("plan", str(GOALS), "--format", "csv")
    first_table = result.stdout.split("\n\n")[0]
    rows = list(csv.DictReader(io.StringIO(first_table)))
    assert [row["stage"] for row in rows] == ["visitors", "leads", "MQL", "SQL", "clients"]
    assert [int(row["volume"]) for row in rows] == [20000, 500, 200, 50, 10]
    assert rows[1]["rate"] == "0.025"
    assert rows[0]["rate"] == ""


def test_csv_defuses_formulas(write_goals: WriteGoals) -> None:
    """A stage named =HYPERLINK(…) is not a formula when the CSV is opened."""
    path = write_goals(
        'target: {clients: 1}\nstages:\n  - {name: "=1+1"}\n  - {name: b, rate: 1}\n'
    )
    rows = list(csv.reader(io.StringIO(run_cli("plan", str(path), "-f", "csv").stdout)))
    assert rows[1][0] == "'=1+1"


def test_markdown_aligns_numbers_right_and_escapes_pipes(write_goals: WriteGoals) -> None:
    """A pipe table with ---: under numbers; a | in a name does not break the table."""
    path = write_goals(
        "target: {clients: 2}\nstages:\n  - {name: a|b, owner: growth}\n  - {name: c, rate: 50%}\n"
    )
    text = run_cli("plan", str(path), "--format", "markdown").stdout
    assert "|:---|:---|---:|---:|---:|---:|" in text
    assert "| a\\|b | growth | — | 4 |" in text
    for line in text.splitlines():
        if line.startswith("| a"):
            assert line.count("|") - line.count("\\|") == 7


def test_markdown_example_has_owner_summary_and_glossary() -> None:
    """The hand-off and the definitions follow the stage table."""
    text = run_cli("plan", str(GOALS), "-f", "markdown").stdout
    assert "### Who owns what" in text
    assert "- → marketing hands 200 MQL to sales, who must turn them into 50 SQL (25%)" in text
    assert "### Definitions" in text
    assert "- **MQL:** A lead that fits" in text


def test_format_is_case_insensitive_and_validated() -> None:
    """--format JSON works; --format xml is a usage error (exit 2)."""
    assert run_cli("plan", str(GOALS), "-f", "JSON").exit_code == 0
    bad = run_cli("plan", str(GOALS), "-f", "xml")
    assert bad.exit_code == 2
    assert "xml" in bad.stderr


def test_stdin(write_goals: WriteGoals) -> None:
    """plan - reads the goals from standard input, named <stdin> in messages."""
    good = run_cli("plan", "-", "-f", "json", stdin=GOALS.read_bytes())
    assert json.loads(good.stdout)["clients"] == 10
    bad = run_cli("plan", "-", stdin=b"target: [")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("<stdin>:")


@pytest.mark.parametrize("output_format", ["table", "json", "csv", "markdown"])
def test_output_writes_the_same_as_stdout(tmp_path: Path, output_format: str) -> None:
    """--output writes what stdout would show (tables as plain text), and nothing to stdout."""
    target = tmp_path / f"plan.{output_format}"
    result = run_cli("plan", str(GOALS), "-f", output_format, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = target.read_text(encoding="utf-8")
    if output_format == "table":
        assert "20,000" in written
        assert "\x1b[" not in written
    else:
        assert written == run_cli("plan", str(GOALS), "-f", output_format).stdout
    assert list(tmp_path.iterdir()) == [target], "no temporary file is left behind"


def test_output_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    """An existing file is kept unless --force; with it, it is replaced whole."""
    target = tmp_path / "plan.json"
    target.write_text("mine", encoding="utf-8")
    refused = run_cli("plan", str(GOALS), "-f", "json", "-o", str(target))
    assert refused.exit_code == 2
    assert refused.stderr == f"{target}: already exists: add --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "mine"
    forced = run_cli("plan", str(GOALS), "-f", "json", "-o", str(target), "--force")
    assert forced.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["clients"] == 10


def test_output_never_overwrites_the_goals_file(write_goals: WriteGoals) -> None:
    """Even with --force, --output cannot be the goals file itself."""
    path = write_goals(GOALS.read_text(encoding="utf-8"))
    before = path.read_bytes()
    result = run_cli("plan", str(path), "-o", str(path), "--force")
    assert result.exit_code == 2
    assert "is an input of this command" in result.stderr
    assert path.read_bytes() == before


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    """A folder that does not exist is named, exit 2."""
    result = run_cli("plan", str(GOALS), "-o", str(tmp_path / "no" / "plan.md"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_output_keeps_the_file_mode_it_replaces(tmp_path: Path) -> None:
    """Replacing a file with --force keeps its permissions."""
    target = tmp_path / "plan.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert run_cli("plan", str(GOALS), "-f", "csv", "-o", str(target), "--force").exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o640


def test_internal_error_is_one_line_with_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception becomes one line on stderr and exit 3, no traceback."""

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("funnelcalc.scenarios.solve", explode)
    result = run_cli("plan", str(GOALS))
    assert result.exit_code == 3
    assert result.stderr.startswith("funnelcalc: internal error: RuntimeError: boom")
    assert len(result.stderr.splitlines()) == 1


def _run_process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "funnelcalc", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        check=False,
        timeout=60,
    )


def test_real_process_prints_no_traceback_on_bad_input() -> None:
    """In a real process (not CliRunner), a broken file gives exit 2 and no traceback."""
    result = _run_process("plan", "tests/corpus/bad/alias-bomb.yaml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("tests/corpus/bad/alias-bomb.yaml:2:8: ")


def test_debug_variable_shows_the_traceback_of_internal_errors(tmp_path: Path) -> None:
    """FUNNELCALC_DEBUG=1 lets an internal error through with its traceback."""
    script = tmp_path / "crash.py"
    script.write_text(
        "import funnelcalc.scenarios as s\n"
        "def boom(*a, **k):\n    raise RuntimeError('boom')\n"
        "s.solve = boom\n"
        "from funnelcalc.cli import main\nmain()\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FUNNELCALC_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, str(script), "plan", str(GOALS)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "RuntimeError: boom" in result.stderr


def test_closed_pipe_is_quiet() -> None:
    """`funnelcalc plan … | head -1` ends without a BrokenPipeError message."""
    process = subprocess.Popen(
        [sys.executable, "-m", "funnelcalc", "plan", str(GOALS), "-f", "markdown"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.read(1)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 1)
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr


def test_ascii_terminal_gets_no_crash() -> None:
    """An ASCII-only stdout replaces ⌈ and € instead of crashing."""
    result = _run_process("plan", "examples/demand-waterfall.yaml", PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr
    assert "EMEA demand waterfall" in result.stdout


def test_bad_columns_variable_is_harmless() -> None:
    """COLUMNS=abc or COLUMNS=5 still prints every number whole."""
    for columns in ("abc", "5", "-3"):
        result = _run_process("plan", str(GOALS), COLUMNS=columns)
        assert result.returncode == 0, result.stderr
        assert "20,000" in result.stdout
        assert "19,500" in result.stdout


@pytest.mark.parametrize(
    ("args", "must_not_import"),
    [
        (["--version"], ["yaml", "pydantic", "rich", "funnelcalc.model"]),
        (["plan", "--help"], ["yaml", "funnelcalc.model", "funnelcalc.loader"]),
        (["plan", str(GOALS), "-f", "json"], ["numpy", "rich.console"]),
    ],
)
def test_light_commands_do_not_import_the_core(args: list[str], must_not_import: list[str]) -> None:
    """--version and --help never load YAML or the model; plans never load numpy (or, in
    JSON, rich)."""
    probe = (
        "import sys\n"
        f"sys.argv = ['funnelcalc', *{args!r}]\n"
        "from funnelcalc.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {must_not_import!r} if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_closed_stdin_is_a_usage_error() -> None:
    """`plan -` with standard input closed says so (exit 2) instead of crashing."""
    result = subprocess.run(
        [sys.executable, "-m", "funnelcalc", "plan", "-"],
        stdin=None,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        preexec_fn=lambda: os.close(0),
    )
    assert (result.returncode, result.stderr) == (
        2,
        "<stdin>: standard input is closed: give a file name\n",
    )
