"""The document model: every command in every format, provenance on every output, the file's
own words in every label, and help that reads like a well-kept CLI."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from funnelcalc import parse, plan, views
from funnelcalc.cli import app
from funnelcalc.render import csv_format, markdown_format, table_format
from funnelcalc.report import Cell, Column, Facts, Note, Report, Table
from tests.conftest import EXAMPLES, GOALS, ROOT, run_cli

MONTHLY = EXAMPLES / "monthly-plan.yaml"
WATERFALL = EXAMPLES / "demand-waterfall.yaml"
UNCERTAIN = EXAMPLES / "uncertain-waterfall.yaml"
COMMANDS = {
    "plan": ["plan", str(GOALS)],
    "plan --by": ["plan", str(MONTHLY), "--by", "month"],
    "compare": ["compare", str(GOALS), "--no-summary"],
    "sweep": ["sweep", str(GOALS), "--vary", "stages.leads.rate=2%..3%/0.5%"],
    "check": ["check", str(WATERFALL), "--all-scenarios", "--no-summary"],
    "track": [
        "track",
        str(MONTHLY),
        "--actuals",
        str(EXAMPLES / "actuals" / "q1.csv"),
        "--as-of",
        "2027-03-31",
    ],
    "simulate": ["simulate", str(UNCERTAIN), "--runs", "2000"],
    "levers": ["levers", str(GOALS)],
    "solve": ["solve", str(GOALS), "--for", "stages.leads.rate", "--given", "visitors=15000"],
    "project": ["project", str(GOALS), "--from", "visitors=15000"],
}


class _Tags(HTMLParser):
    """Collects the tags of a page and checks that every opened element is closed."""

    VOID = frozenset({"meta", "br"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.seen: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("output_format", ["table", "markdown", "csv", "html", "json"])
def test_every_command_renders_in_every_format(name: str, output_format: str) -> None:
    """table, markdown, csv, html and json work for every command, with provenance."""
    result = run_cli(*COMMANDS[name], "-f", output_format)
    assert result.exit_code in (0, 1), result.stderr
    text = result.stdout
    source = COMMANDS[name][1]
    if output_format == "json":
        made = json.loads(text)["provenance"]
        assert made["sources"][0] == source
        assert made["made"] == "2027-01-01"
    elif output_format == "csv":
        assert next(csv.reader(io.StringIO(text)))
    elif output_format == "html":
        page = _Tags()
        page.feed(text)
        assert page.open in (["html"], [])
        assert "footer" in page.seen
        assert "table" in page.seen
        assert f"From {source}" in text
    else:
        assert f"From {source}" in text
        assert "Made 2027-01-01 with funnelcalc" in text


def test_provenance_names_every_set_and_the_scenario() -> None:
    """A pasted plan changed by a flag says so, in every text format and in JSON."""
    args = ["plan", str(WATERFALL), "-s", "smaller-deals", "--set", "deal_size=9000"]
    for output_format in ("table", "markdown", "html"):
        text = run_cli(*args, "-f", output_format).stdout.replace("\\_", "_")
        assert "Changed by --set deal_size=9000" in text
        assert "Scenario: smaller-deals" in text
    made = json.loads(run_cli(*args, "-f", "json").stdout)["provenance"]
    assert made["sets"] == ["deal_size=9000"]
    assert made["scenario"] == "smaller-deals"


def test_provenance_gives_the_period() -> None:
    """A plan with a period says when it runs."""
    made = json.loads(run_cli("plan", str(MONTHLY), "-f", "json").stdout)["provenance"]
    assert made["period"] == "12 months from 2027-01-01"


def test_a_bad_source_date_epoch_is_a_usage_error() -> None:
    """$SOURCE_DATE_EPOCH that is not a number of seconds is named, exit 2."""
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "tomorrow"}).invoke(app, ["plan", str(GOALS)])
    assert result.exit_code == 2
    assert "$SOURCE_DATE_EPOCH: must be whole seconds" in result.stderr


WON = """\
target: {revenue: 90000}
deal_size: 30000
stages:
  - {name: accounts}
  - {name: meetings, rate: 10%}
  - {name: won, rate: 30%}
"""


@pytest.mark.parametrize(
    "args",
    [
        ["plan"],
        ["levers"],
        ["project", "--from", "accounts=200"],
        ["solve", "--for", "stages.meetings.rate", "--given", "accounts=50"],
    ],
)
def test_labels_use_the_files_own_stage_names(write_goals: object, args: list[str]) -> None:
    """With a last stage called "won", no label says "client"."""
    path = write_goals(WON)  # type: ignore[operator]
    for output_format in ("table", "markdown", "html"):
        result = run_cli(args[0], str(path), *args[1:], "-f", output_format)
        assert result.exit_code in (0, 1), result.stderr
        assert "client" not in result.stdout.casefold()
    text = run_cli("plan", str(path)).stdout
    assert "Won needed" in text
    assert "1 in N reaches won" in text


def test_solve_markdown_has_as_many_header_cells_as_data_cells() -> None:
    """Every row of every Markdown table has the header's number of cells (Limit included)."""
    args = COMMANDS["solve"]
    text = run_cli(*args, "--set", "limits.visitors=30000", "-f", "markdown").stdout
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert rows
    assert "Limit" in rows[0]
    widths = {line.count(" | ") for line in rows if not line.startswith("|:") and "---" not in line}
    assert len(widths) == 1


def test_plan_by_month_keeps_the_stage_and_money_tables() -> None:
    """--by adds the schedule; the stage and pipeline tables stay."""
    text = run_cli("plan", str(MONTHLY), "--by", "quarter").stdout
    assert "Schedule by quarter" in text
    assert "Volume every stage must reach" in text
    assert "Pipeline" in text
    assert text.index("Schedule by quarter") < text.index("Volume every stage must reach")


def test_words_wrap_between_words_at_80_columns() -> None:
    """No word is split across lines in an 80-column terminal (no "visitor/s")."""
    goals = parse(
        "target: {clients: 10}\nstages:\n"
        "  - {name: website visitors, owner: marketing and demand generation team}\n"
        "  - {name: marketing qualified leads, rate: 2%, owner: marketing and demand team}\n"
        "  - {name: customers, rate: 5%, owner: sales}\n"
    )
    report = views.report(plan(goals))
    text = table_format.to_text(table_format.view(report, 80), width=80)
    printed = set(text.split())
    for table in report.tables():
        for row in table.rows:
            for cell in row:
                assert set(cell.text.split()) <= printed, cell.text


def test_help_reads_like_a_classic_cli() -> None:
    """Usage says FILE, not {FILE}; flags show no <bool> type."""
    for command in ("plan", "check", "init", "compare"):
        text = run_cli(command, "--help").stdout
        assert "{FILE}" not in text
        assert "<bool>" not in text
    assert "Usage: funnelcalc plan [OPTIONS] FILE" in run_cli("plan", "--help").stdout


def test_renderers_lay_out_any_report() -> None:
    """A report no view made renders in every family: the renderers know no capability."""
    table = Table(
        "Made up",
        (Column("who", "Who"), Column("n", "How many", "count")),
        ((Cell("=cmd", "=cmd"), Cell(3, "3")),),
        "made_up",
    )
    report = Report("Anything", (Facts(None, (("A", "b"),)), table, Note("careful", "warning")))
    assert "| =cmd | 3 |" in markdown_format.render(report)
    assert csv_format.render(report) == "who,n\n'=cmd,3\n"
    assert "careful" in table_format.render(report)


def test_csv_of_a_many_table_report_keeps_every_table() -> None:
    """Each table after the first follows a blank line and its title; none is dropped."""
    report = views.report(plan(parse((ROOT / "examples" / "saas-growth.yaml").read_text())))
    text = csv_format.render(report)
    blocks = text.split("\n\n")
    assert len(blocks) == len(report.tables())
    titles = [block.splitlines()[0] for block in blocks[1:]]
    assert titles == [table.title or table.key for table in report.tables()[1:]]
