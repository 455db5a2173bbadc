"""Issue 11's reproducers, class by class: each is exit 2 with a located message (or a
correct answer), in bounded time, and nothing is written where it should not be."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, GOALS, GOALS_TEXT, WriteGoals, run_cli

MONTHLY = EXAMPLES / "monthly-plan.yaml"
ACTUALS = EXAMPLES / "actuals" / "q1.csv"


# -- 1. huge exponents --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["plan", str(GOALS), "--set", "stages.leads.rate=1e999999999"],
        ["plan", str(GOALS), "--set", "stages.leads.rate=1.0e-999999999"],
        ["sweep", str(GOALS), "--vary", "stages.leads.rate=2%..4%/1e-999999999%"],
        ["sweep", str(GOALS), "--vary", "deal_size=1e999999999..2e999999999/1"],
        ["track", str(MONTHLY), "--actuals", str(ACTUALS), "--tolerance", "1e999999999"],
    ],
    ids=["set", "set-tiny", "vary-step", "vary-bounds", "tolerance"],
)
def test_huge_exponents_are_refused_at_once(args: list[str]) -> None:
    """A number with an exponent of a billion is refused by its size in well under a second,
    with a short message naming the flag."""
    started = time.monotonic()
    result = run_cli(*args)
    assert time.monotonic() - started < 2
    assert result.exit_code == 2
    assert result.stderr.startswith("--")
    assert "30 digits" in result.stderr
    assert len(result.stderr) < 300


# -- 2. exit 3 on valid or hostile input ----------------------------------------------------


def test_tiny_rates_plan_in_every_format(write_goals: WriteGoals, tmp_path: Path) -> None:
    """Twelve stages at 1e-30 give volumes of 360 digits: every format draws them exactly."""
    stages = "".join(
        f"  - name: s{i}\n    rate: 0.000000000000000000000000000001\n" for i in range(1, 13)
    )
    path = write_goals(f"target:\n  clients: 1\nstages:\n  - name: s0\n{stages}")
    for fmt in ("table", "html", "svg", "json", "csv", "markdown"):
        out = tmp_path / f"plan.{fmt}"
        result = run_cli("plan", str(path), "-f", fmt, "-o", str(out))
        assert result.exit_code == 0, (fmt, result.stderr)
        assert "1" + "0" * 360 in out.read_text(encoding="utf-8").replace(",", "")


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["simulate", "{goals}", "--seed", "-1"], "--seed: a seed is a whole number"),
        (["simulate", "{goals}", "--given", "visitors=²"], "--given visitors=²: the volume"),
        (["project", "{goals}", "--from", "visitors=" + "9" * 5000], "--from visitors=999"),
        (["track", "{monthly}", "--actuals", "{actuals}", "--as-of", "9999-12-31"], "--as-of:"),
        (["plan", "{goals}", "--set", "name=\udcff"], "--set name=\\udcff: is not UTF-8"),
    ],
    ids=["seed", "superscript", "5000-digits", "as-of-9999", "set-not-utf8"],
)
def test_hostile_flags_are_exit_2(args: list[str], start: str) -> None:
    """Flags that used to crash name themselves in an exit-2 message."""
    paths = {"goals": str(GOALS), "monthly": str(MONTHLY), "actuals": str(ACTUALS)}
    result = run_cli(*(arg.format(**paths) for arg in args))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(start), result.stderr


def test_simulate_refuses_a_plan_too_large_naming_the_file(write_goals: WriteGoals) -> None:
    """10¹⁹ clients cannot be drawn in 64-bit integers: refused, naming the file."""
    path = write_goals(GOALS_TEXT.replace("revenue: 500000", "clients: 10000000000000000000"))
    result = run_cli("simulate", str(path), "--runs", "10")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: the plan needs more than 10¹² at a stage")


def test_actuals_period_year_zero(tmp_path: Path) -> None:
    """An actuals period 0000-01 is a located problem, not a crash."""
    actuals = tmp_path / "actuals.csv"
    actuals.write_text("period,stage,count\n0000-01,visitors,5\n", encoding="utf-8")
    result = run_cli("track", str(MONTHLY), "--actuals", str(actuals), "--as-of", "2027-03-31")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{actuals}:2: period: '0000-01' is not a period")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_stdout_on_a_full_device_is_an_error() -> None:
    """Output that cannot be written is exit 2 naming <stdout>, for the table too."""
    for fmt in ("table", "json"):
        with open("/dev/full", "w", encoding="utf-8") as full:
            result = subprocess.run(
                [sys.executable, "-m", "funnelcalc", "plan", str(GOALS), "-f", fmt],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert result.returncode == 2, result.stderr
        assert result.stderr == "<stdout>: cannot write it: no space left on device\n"


def test_closed_stdout_is_an_error() -> None:
    """A closed stdout loses no output silently: exit 2, said on stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "funnelcalc", "plan", str(GOALS)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 2
    assert result.stderr == "<stdout>: standard output is closed: nowhere to write\n"


# -- 3. exactness -----------------------------------------------------------------------------


def test_budget_totals_are_exact_beyond_28_digits(write_goals: WriteGoals) -> None:
    """Spend summed over stages keeps every digit (it was rounded at 28)."""
    path = write_goals(
        "target:\n  clients: 1000000000000000000000000001\nstages:\n"
        "  - name: visitors\n    cost: 0.1\n  - name: clients\n    rate: 20%\n    cost: 0.25\n"
    )
    result = run_cli("plan", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    clients = 1000000000000000000000000001
    expected = Fraction(5 * clients, 10) + Fraction(clients, 4)
    assert Fraction(document["budget"]) == expected
    assert Fraction(document["spend"]) == expected


# -- 4. quadratic error paths ---------------------------------------------------------------


def test_actuals_with_a_bad_stage_on_every_row_stop_early(tmp_path: Path) -> None:
    """200,000 bad rows: the first thousand problems, then a stop, in bounded time."""
    actuals = tmp_path / "actuals.csv"
    rows = "".join(f"2027-01,nope{i},5\n" for i in range(200_000))
    actuals.write_text("period,stage,count\n" + rows, encoding="utf-8")
    started = time.monotonic()
    result = run_cli("track", str(MONTHLY), "--actuals", str(actuals), "--as-of", "2027-03-31")
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "… and 951 more problems"


@pytest.mark.parametrize(
    ("name", "body", "where"),
    [
        ("weights", "period: {start: 2027-01-01, seasonality: [" + "1," * 60_000 + "1]}", "4:"),
        # 19 values and keys before the first cost, 2 a cost: the 50,001st is the 24,991st
        # cost's value, on line 4 + 24,991.
        ("keys", "fixed_costs:\n" + "".join(f"  k{i}: 1\n" for i in range(30_000)), "24995:11"),
        ("lists", "x: [" + "[]," * 60_000 + "[]]", "4:"),
    ],
)
def test_a_goals_file_of_too_many_values_is_refused_as_it_is_read(
    write_goals: WriteGoals, name: str, body: str, where: str
) -> None:
    """A dense file (a MiB of tiny values) is refused once it passes 50,000 values and keys,
    located where it did, before any of them is checked one by one."""
    head = "target: {clients: 10}\ndeal_size: 1000\nstages: [{name: a}, {name: b, rate: 10%}]\n"
    path = write_goals(head + body + "\n", name=f"{name}.yaml")
    result = run_cli("plan", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:{where}")
    assert result.stderr.endswith(
        ": holds more than 50,000 values and keys: no plan needs so many\n"
    )


def test_yaml_actuals_have_their_own_limit(tmp_path: Path) -> None:
    """YAML actuals over 512 KiB are refused as actuals, pointing at CSV."""
    actuals = tmp_path / "actuals.yaml"
    actuals.write_text(
        "- {period: 2027-01, stage: visitors, count: 5}\n" * 15_000, encoding="utf-8"
    )
    result = run_cli("track", str(MONTHLY), "--actuals", str(actuals), "--as-of", "2027-03-31")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{actuals}: is larger than 512 KiB, the most read as YAML: "
        "write longer actuals as CSV (up to 16 MiB)\n"
    )


# -- 5. writes --------------------------------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_special_files_and_dangling_links_are_never_replaced(tmp_path: Path, force: bool) -> None:
    """A link to /dev/null, a FIFO and a dangling link are refused, with or without --force."""
    device = tmp_path / "null"
    device.symlink_to(os.devnull)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    for target, fragment in [
        (device, "is a device, pipe or socket"),
        (fifo, "is a device, pipe or socket"),
        (dangling, "is a symbolic link to nothing"),
    ]:
        result = run_cli("plan", str(GOALS), "-o", str(target), *(["--force"] if force else []))
        assert result.exit_code == 2
        assert result.stderr.startswith(f"{target}: {fragment}")
    init = run_cli("init", str(dangling), *(["--force"] if force else []))
    assert init.exit_code == 2
    assert device.resolve() == Path(os.devnull)
    assert Path(os.devnull).is_char_device()
    assert fifo.is_fifo()
    assert dangling.is_symlink()
    assert not (tmp_path / "nowhere").exists()


def test_output_dash_is_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o -` prints, and writes no file named -."""
    monkeypatch.chdir(tmp_path)
    result = run_cli("plan", str(GOALS), "-f", "json", "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["schema_version"] == 1
    assert not (tmp_path / "-").exists()


def test_unwritable_targets_are_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 300-character name, and a folder we may not write to (simulated), are exit 2."""
    long_name = tmp_path / ("a" * 300)
    result = run_cli("init", str(long_name))
    assert result.exit_code == 2
    assert "cannot write it: file name too long" in result.stderr

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    result = run_cli("plan", str(GOALS), "-o", str(tmp_path / "plan.txt"))
    assert (result.exit_code, result.stderr) == (
        2,
        f"{tmp_path / 'plan.txt'}: cannot write it: permission denied\n",
    )


def test_step_summary_never_appends_to_an_input(
    write_goals: WriteGoals, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GITHUB_STEP_SUMMARY naming the goals file is refused, and the file is unchanged."""
    path = write_goals(GOALS_TEXT)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(path))
    result = run_cli("compare", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"$GITHUB_STEP_SUMMARY: {path} is an input of this command\n"
    assert path.read_text(encoding="utf-8") == GOALS_TEXT


# -- 6. terminal safety -----------------------------------------------------------------------


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    """ESC and OSC sequences from --scenario and from actuals cells are shown escaped."""
    result = run_cli("plan", str(GOALS), "--scenario", "\x1bc\x1b]0;title\x07")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "'\\x1bc\\x1b]0;title\\x07'" in result.stderr
    actuals = tmp_path / "actuals.csv"
    actuals.write_text("period,stage,count\n2027-01,\x1bc\u202e,5\n", encoding="utf-8")
    result = run_cli("track", str(MONTHLY), "--actuals", str(actuals), "--as-of", "2027-03-31")
    assert result.exit_code == 2
    assert "'\\x1bc\\u202e'" in result.stderr
    assert all(c.isprintable() or c == "\n" for c in result.stderr)


# -- 7. smaller ones --------------------------------------------------------------------------


def test_levers_names_the_file_when_a_pulled_rate_is_too_long(write_goals: WriteGoals) -> None:
    """+10% of a 30-digit rate has 31 digits: the message names the file, line and key."""
    path = write_goals(GOALS_TEXT.replace("rate: 40%", "rate: 0.123456789012345678901234567891"))
    result = run_cli("levers", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:9: stages[2].rate: pulling this lever")


def test_columns_zero_still_shows_the_usage_error() -> None:
    """COLUMNS=0 no longer lays the usage error out in no columns at all."""
    from typer.testing import CliRunner  # noqa: PLC0415 - this test needs its own runner

    from funnelcalc.cli import app  # noqa: PLC0415

    result = CliRunner(env={"COLUMNS": "0"}).invoke(app, ["plan"])
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr
