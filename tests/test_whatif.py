"""What-ifs: --set, scenarios, compare and sweep, exact in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from funnelcalc import sweep as sweep_module
from tests.conftest import EXAMPLES, GOALS, WriteGoals, run_cli


def volumes(*args: str) -> list[int]:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [stage["volume"] for stage in json.loads(result.stdout)["stages"]]


def test_set_changes_one_rate() -> None:
    """--set stages.leads.rate=3% needs ⌈500 ÷ 0.03⌉ = 16,667 visitors."""
    assert volumes("plan", str(GOALS), "--set", "stages.leads.rate=3%") == [16667, 500, 200, 50, 10]


def test_set_is_repeatable_and_reads_yaml_scalars() -> None:
    """Several --set flags apply together; numbers are read exactly as in the file."""
    got = volumes("plan", str(GOALS), "--set", "deal_size=62500.00", "--set", "stages.SQL.rate=0.5")
    assert got == [8000, 200, 80, 40, 8]  # 8 clients; SQL = 8 ÷ 20%; MQL = 40 ÷ 50%


def test_set_by_stage_index_and_any_case() -> None:
    """stages[3].rate and stages.sql.rate name the same stage."""
    by_index = volumes("plan", str(GOALS), "--set", "stages[3].rate=50%")
    by_name = volumes("plan", str(GOALS), "--set", "stages.sql.rate=50%")
    assert by_index == by_name == [10000, 250, 100, 50, 10]


def test_setting_the_other_kind_of_target_replaces_it() -> None:
    """target.clients on a revenue target plans for that many clients instead."""
    result = run_cli("plan", str(GOALS), "-f", "json", "--set", "target.clients=4")
    document = json.loads(result.stdout)
    assert document["target"] == {"revenue": None, "clients": 4}
    assert document["clients"] == 4


def test_set_adds_a_limit() -> None:
    """limits.visitors can be set even when the file has no limits."""
    result = run_cli("plan", str(GOALS), "-f", "json", "--set", "limits.visitors=19999")
    document = json.loads(result.stdout)
    assert document["limits_hold"] is False
    assert document["stages"][0]["limit"] == 19999
    assert document["stages"][0]["within_limit"] is False


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("dealsize=5", "--set dealsize=5: unknown key 'dealsize'; did you mean 'deal_size'?"),
        ("stages.lead.rate=3%", "no stage is named 'lead'; did you mean 'leads'?"),
        ("stages.leads.rat=3%", "unknown key 'rat'; did you mean 'rate'?"),
        ("stages[9].rate=3%", "there is no stage [9]: there are 5"),
        ("stages.leads.name=x", "a stage cannot be renamed by a what-if"),
        ("scenarios.x.set=1", "scenarios cannot be set: choose one with --scenario"),
        ("target=5", "'target' is a group of keys; set one of them: target.revenue"),
        ("deal_size.x=5", "'deal_size' holds a single value"),
        ("deal_size", "expected KEY=VALUE"),
        ("=5", "expected KEY=VALUE"),
        ("stages..rate=1", "is not a key path"),
        ("deal_size=[1, 2]", "the value must be a single number or text"),
        ("deal_size=1e6", "'1e6' is read as text: YAML 1.1 needs a dot before the exponent"),
        ('deal_size="50000', "not valid YAML"),
        ("stages.leads.rate=3", 'a rate is at most 1 (100%); did you mean "3%"?'),
        ("stages.leads.owner=yes", "YAML reads a bare yes as true"),
        ("deal_size=", "needs deal_size at the top level"),
    ],
)
def test_bad_set_names_the_flag(flag: str, message: str) -> None:
    """Every bad --set is exit 2 with the flag named and a helpful message, no traceback."""
    result = run_cli("plan", str(GOALS), "--set", flag)
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert result.stderr.startswith(("--set ", f"{GOALS}:")), result.stderr


def test_every_bad_set_is_reported() -> None:
    """Two bad flags, two messages."""
    result = run_cli("plan", str(GOALS), "--set", "dealsize=5", "--set", "stages.leads.rate=0")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 2


def test_scenario_plans_with_its_values() -> None:
    """--scenario better-landing-pages is the base with leads at 3%; JSON names it."""
    result = run_cli("plan", str(GOALS), "--scenario", "better-landing-pages", "-f", "json")
    document = json.loads(result.stdout)
    assert document["scenario"] == "better-landing-pages"
    assert [s["volume"] for s in document["stages"]] == [16667, 500, 200, 50, 10]


def test_set_applies_on_top_of_a_scenario() -> None:
    """--set wins over the scenario's own value for the same key."""
    got = volumes("plan", str(GOALS), "-s", "better-landing-pages", "--set", "stages.leads.rate=4%")
    assert got == [12500, 500, 200, 50, 10]


def test_base_json_says_no_scenario() -> None:
    """Without --scenario, "scenario" is null."""
    assert json.loads(run_cli("plan", str(GOALS), "-f", "json").stdout)["scenario"] is None


def test_unknown_scenario() -> None:
    """A misspelt scenario gets a suggestion; a file without scenarios says so."""
    result = run_cli("plan", str(GOALS), "--scenario", "biger-deals")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "--scenario: no scenario is named 'biger-deals'; did you mean 'bigger-deals'?\n"
    )
    bare = run_cli("plan", str(EXAMPLES / "outbound-email.yaml"), "--scenario", "x")
    assert bare.stderr.endswith("has no scenarios\n")


def test_compare_defaults_to_every_scenario() -> None:
    """Base first, then each scenario in file order, every one shaped like plan's JSON."""
    document = json.loads(run_cli("compare", str(GOALS), "-f", "json").stdout)
    assert document["schema_version"] == 1
    names = [entry["name"] for entry in document["scenarios"]]
    assert names == ["base", "better-landing-pages", "bigger-deals"]
    plan = json.loads(run_cli("plan", str(GOALS), "-f", "json").stdout)
    base = document["scenarios"][0]
    assert base["stages"] == plan["stages"]
    assert {"name", "stages", "clients", "revenue", "deal_size", "target"} <= set(base)
    bigger = document["scenarios"][2]
    assert [s["volume"] for s in bigger["stages"]] == [18000, 450, 180, 45, 9]
    assert bigger["revenue"] == 540000
    assert bigger["description"].startswith("Packaging")


def test_compare_named_scenarios_and_set() -> None:
    """Naming scenarios picks them; --set applies to the base and each of them."""
    result = run_cli(
        "compare", str(GOALS), "bigger-deals", "-f", "json", "--set", "deal_size=100000"
    )
    document = json.loads(result.stdout)
    assert [e["name"] for e in document["scenarios"]] == ["base", "bigger-deals"]
    assert [e["clients"] for e in document["scenarios"]] == [5, 5]


def test_compare_table_shows_changes_against_the_base() -> None:
    """Each scenario cell carries its change: absolute and percent (≈ when rounded)."""
    text = run_cli("compare", str(GOALS)).stdout
    assert "16,667 (−3,333, ≈−16.7%)" in text
    assert "18,000 (−2,000, −10%)" in text
    assert "$540,000 (+$40,000, +8%)" in text
    for label in ("visitors", "clients needed", "revenue"):
        assert label in text


def test_compare_csv_and_markdown() -> None:
    """CSV is wide with numbers only; Markdown right-aligns every plan's column."""
    rows = list(csv.reader(io.StringIO(run_cli("compare", str(GOALS), "-f", "csv").stdout)))
    assert rows[0] == ["row", "base", "better-landing-pages", "bigger-deals"]
    assert rows[1] == ["visitors", "20000", "16667", "18000"]
    assert rows[-1] == ["revenue", "500000", "500000", "540000"]
    markdown = run_cli("compare", str(GOALS), "-f", "markdown").stdout
    assert "|:---|---:|---:|---:|" in markdown


def test_compare_without_scenarios_is_just_the_base() -> None:
    """A file without scenarios compares the base with nothing, without failing."""
    document = json.loads(
        run_cli("compare", str(EXAMPLES / "outbound-email.yaml"), "-f", "json").stdout
    )
    assert [e["name"] for e in document["scenarios"]] == ["base"]


def test_sweep_one_key() -> None:
    """Leads at 2% to 4% by 0.5%: the visitors needed, exactly."""
    result = run_cli("sweep", str(GOALS), "--vary", "stages.leads.rate=2%..4%/0.5%", "-f", "json")
    document = json.loads(result.stdout)
    assert document["show"] == "visitors"
    assert document["vary"] == [
        {"key": "stages.leads.rate", "values": [0.02, 0.025, 0.03, 0.035, 0.04]}
    ]
    assert document["volumes"] == [25000, 20000, 16667, 14286, 12500]


def test_sweep_cells_equal_plans_with_set() -> None:
    """Every cell of a grid is what plan --set gives for the same values."""
    args = ["--vary", "stages.MQL.rate=30%..50%/10%", "--vary", "deal_size=40000..60000/10000"]
    document = json.loads(
        run_cli("sweep", str(GOALS), *args, "--show", "leads", "-f", "json").stdout
    )
    rates, deals = (axis["values"] for axis in document["vary"])
    for rate, row in zip(rates, document["volumes"], strict=True):
        for deal, volume in zip(deals, row, strict=True):
            sets = ["--set", f"stages.MQL.rate={rate}", "--set", f"deal_size={deal}"]
            assert volumes("plan", str(GOALS), *sets)[1] == volume


def test_sweep_grid_in_every_format() -> None:
    """A 2-D grid: rows follow the first key, columns the second."""
    args = ["--vary", "stages.leads.rate=2%..3%/0.5%", "--vary", "deal_size=40000..60000/10000"]
    table = run_cli("sweep", str(GOALS), *args).stdout
    assert "$40,000" in table
    assert "2.5%" in table
    assert "32,500" in table
    rows = list(csv.reader(io.StringIO(run_cli("sweep", str(GOALS), *args, "-f", "csv").stdout)))
    assert rows[0] == ["stages.leads.rate \\ deal_size", "40000", "50000", "60000"]
    assert rows[1] == ["0.02", "32500", "25000", "22500"]
    markdown = run_cli("sweep", str(GOALS), *args, "-f", "markdown").stdout
    assert "| 2.5% | 26,000 | 20,000 | 18,000 |" in markdown


def test_sweep_on_a_scenario() -> None:
    """--scenario sets the starting point; the swept key varies on top of it."""
    args = ["--vary", "stages.MQL.rate=40%..40%/1%", "-s", "bigger-deals", "-f", "json"]
    assert json.loads(run_cli("sweep", str(GOALS), *args).stdout)["volumes"] == [18000]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vary", "stages.leads.rate"], "expected KEY=FROM..TO/STEP"),
        (["--vary", "stages.leads.rate=2%..4%"], "expected KEY=FROM..TO/STEP"),
        (["--vary", "stages.leads.rate=2%..4/1%"], "all as percentages, or none"),
        (["--vary", "deal_size=1..2/0"], "STEP must be above 0"),
        (["--vary", "deal_size=5..2/1"], "TO must not be below FROM"),
        (["--vary", "deal_size=a..b/c"], "FROM, TO and STEP must be numbers"),
        (["--vary", "deal_size=1..100000/1"], "at most 1,000 are swept"),
        (["--vary", "stages.leads.rate=90%..120%/10%"], "at 110%: a percentage rate must be"),
        (["--vary", "stages.lead.rate=1%..2%/1%"], "no stage is named 'lead'"),
        (["--vary", "deal..size=1..2/1"], "is not a key path"),
        (["--vary", "deal_size=1..2/1", "--show", "visitor"], "did you mean 'visitors'?"),
        (["--vary", "deal_size=1..2/1"] * 3, "give it once (a list) or twice (a grid)"),
    ],
)
def test_bad_vary(args: list[str], message: str) -> None:
    """A malformed or impossible --vary is exit 2 with a message naming it."""
    result = run_cli("sweep", str(GOALS), *args)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_sweep_cell_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A grid over MAX_CELLS is refused, naming its size (1,000 values a key keep real grids
    within the 1,000,000 cells the fast path sustains, so the limit is lowered here)."""
    monkeypatch.setattr(sweep_module, "MAX_CELLS", 10_000)
    args = ["--vary", "deal_size=1..200/1", "--vary", "stages.leads.rate=0.01%..1%/0.01%"]
    result = run_cli("sweep", str(GOALS), *args)
    assert result.exit_code == 2
    assert "that grid has 20,000 cells; at most 10,000 are planned" in result.stderr


def test_scenario_errors_point_at_the_scenario_line(write_goals: WriteGoals) -> None:
    """A bad entry in a scenario is reported at its own line, with its full key path."""
    text = GOALS.read_text(encoding="utf-8").replace(
        "      deal_size: 60000", "      deal_size: -5\n      stages.lead.rate: 3%"
    )
    path: Path = write_goals(text)
    result = run_cli("plan", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].endswith("scenarios.bigger-deals.set.deal_size: an amount must be above 0")
    assert "scenarios.bigger-deals.set.stages.lead.rate: no stage is named 'lead'" in lines[1]
    numbers = [int(line.split(":")[1]) for line in lines]
    assert [text.splitlines()[n - 1].strip().split(":")[0] for n in numbers] == [
        "deal_size",
        "stages.lead.rate",
    ]
