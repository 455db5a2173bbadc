"""Renderers: snapshots at a fixed width, figures, and numbers never cut short."""

from __future__ import annotations

import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from funnelcalc import load, parse, plan, plan_file, views
from funnelcalc.render import markdown_format, table_format
from funnelcalc.views import cells
from tests.conftest import EXAMPLES, GOALS, ROOT, run_cli

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("FUNNELCALC_UPDATE_SNAPSHOTS") == "1"


def check_snapshot(name: str, text: str) -> None:
    """Compare with tests/snapshots/NAME; FUNNELCALC_UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_table_snapshot_at_100_columns(example: str) -> None:
    """The terminal table of every example, pinned at 100 columns."""
    result = run_cli("plan", str(EXAMPLES / example))
    assert result.exit_code == 0, result.stderr
    check_snapshot(example.replace(".yaml", ".table.txt"), result.stdout.replace(f"{ROOT}/", ""))


def test_markdown_snapshot() -> None:
    """The Markdown of the classic example, pinned."""
    check_snapshot("goals.md", markdown_format.render(views.report(plan(load(GOALS)))))


@pytest.mark.parametrize("width", [10, 40, 60, 80])
def test_numbers_are_never_cut_at_narrow_widths(width: int) -> None:
    """At any width every figure is printed whole: no "…" and no split digits."""
    big = parse(
        "currency: EUR\ntarget: {revenue: 987654321.99}\ndeal_size: 1234.56\nstages:\n"
        "  - {name: impressions in the most expensive channel we have, owner: paid media team}\n"
        "  - {name: clicks, rate: 0.3%}\n  - {name: leads, rate: 1.7%}\n"
        "  - {name: deals, rate: 3.3%}\n"
    )
    result = plan(big)
    text = table_format.to_text(table_format.view(views.report(result)), width=width)
    assert "…" not in text
    for stage in result.stages:
        assert cells.count(stage.volume) in text
    assert "€987,654,321.99 of new revenue" in text


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("500000", "USD", "$500,000"),
        ("50000.5", "USD", "$50,000.50"),
        ("0.125", "EUR", "€0.125"),
        ("1234", "GBP", "£1,234"),
        ("-12.3", "USD", "-$12.30"),
        ("99", "XYZ", "99 XYZ"),
        ("1000", "CHF", "CHF 1,000"),
    ],
)
def test_money(amount: str, currency: str, expected: str) -> None:
    """Money keeps its exact value, separators, cents when any, and the currency symbol."""
    assert cells.money(Decimal(amount), currency) == expected


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("0.007", "0.7%"), ("0.025", "2.5%"), ("1", "100%"), ("0.0005", "0.05%"), ("0.4", "40%")],
)
def test_percent_is_exact(rate: str, expected: str) -> None:
    """Percentages show every digit of the rate: 0.7%, never 1%."""
    assert cells.percent(Decimal(rate)) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(Fraction(2000), "2,000"), (Fraction(1000, 7), "≈142.86"), (Fraction(1, 8), "≈0.13")],
)
def test_one_in(ratio: Fraction, expected: str) -> None:
    """1 in N is exact when whole, else marked ≈ and rounded half up to two places."""
    assert cells.one_in(ratio) == expected


def test_markdown_escapes_user_text() -> None:
    """Markdown and HTML punctuation in names is inert, line breaks are folded."""
    assert markdown_format.escape("a|b *c* <x> $5\nnext") == "a\\|b \\*c\\* \\<x\\> \\$5 next"


def test_rich_markup_in_names_is_printed_literally() -> None:
    """A stage called [bold]x[/bold] is shown as written, not styled away."""
    goals = parse(
        'target: {clients: 1}\nstages:\n  - {name: "[bold]x[/bold]"}\n  - {name: b, rate: 1}\n'
    )
    text = table_format.to_text(table_format.view(views.report(plan(goals))), width=80)
    assert "[bold]x[/bold]" in text


def test_surplus_is_shown_when_clients_overshoot() -> None:
    """Whole clients can bring more than the target; the table says by how much."""
    goals = parse(
        "target: {revenue: 100001}\ndeal_size: 50000\n"
        "stages:\n  - {name: a}\n  - {name: b, rate: 1}\n"
    )
    text = table_format.to_text(table_format.view(views.report(plan(goals))), width=100)
    assert "$150,000 ($49,999 above the target" in text


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_no_word_or_number_is_split_at_the_least_width(example: str) -> None:
    """At the width the view asks for, every cell's words and numbers print whole."""
    report = views.report(plan_file(str(EXAMPLES / example)))  # a roll-up when segmented
    view = table_format.view(report)
    text = table_format.to_text(view, width=view.width)
    printed = set(text.split())
    for table in report.tables():
        for row in table.rows:
            for cell in row:
                assert set(cell.text.split()) <= printed, cell.text
    assert "…" not in text


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("compare-goals.table.txt", ["compare", "examples/goals.yaml"]),
        (
            "check-waterfall.table.txt",
            ["check", "examples/demand-waterfall.yaml", "--all-scenarios"],
        ),
        (
            "sweep-goals.table.txt",
            [
                "sweep",
                "examples/goals.yaml",
                "--vary",
                "stages.leads.rate=2%..3%/0.5%",
                "--vary",
                "deal_size=40000..60000/10000",
            ],
        ),
        ("compare-goals.md", ["compare", "examples/goals.yaml", "-f", "markdown"]),
    ],
)
def test_command_snapshots(name: str, args: list[str]) -> None:
    """compare, check and sweep tables, pinned at 100 columns."""
    result = run_cli(*[str(ROOT / a) if a.startswith("examples/") else a for a in args])
    assert result.exit_code in (0, 1), result.stderr
    check_snapshot(name, result.stdout.replace(str(ROOT) + "/", ""))
