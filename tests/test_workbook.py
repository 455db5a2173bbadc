"""`--format xlsx`: the plan's live workbook (its formulas, their stored values, its sheets),
any report as value sheets, and the file on disk. The recalculation by a real spreadsheet
engine is tests/test_libreoffice.py."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest

from funnelcalc import load, parse, plan, views
from funnelcalc.errors import InputError
from funnelcalc.render import xlsx_format
from funnelcalc.views.plan_workbook import TOO_BIG, scale
from funnelcalc.workbook import Entry, Formula, Workbook, column_letter, sheet_name
from tests.conftest import EXAMPLES, GOALS, GOALS_TEXT, hide_imports, run_cli

pytest.importorskip("xlsxwriter", reason="the xlsx extra is not installed")


def formulas(book: Workbook, sheet: str) -> dict[str, Formula]:
    """A sheet's formulas by A1 reference."""
    found = {}
    rows = next(s for s in book.sheets if s.name == sheet).rows
    for r, row in enumerate(rows):
        for c, entry in enumerate(row):
            if entry is not None and isinstance(entry.value, Formula):
                found[f"{column_letter(c)}{r + 1}"] = entry.value
    return found


def test_plan_sheet_is_live_formulas_of_the_inputs() -> None:
    """clients = ROUNDUP(target × 100 ÷ deal × 100); each stage above divides by its rate in
    whole numbers; every formula carries funnelcalc's figure."""
    book = views.workbook(plan(load(GOALS)))
    assert [sheet.name for sheet in book.sheets][:2] == ["Plan", "Inputs"]
    cells = formulas(book, "Plan")
    assert cells["D9"] == Formula("=ROUNDUP(Inputs!D5/Inputs!D6,0)", 10)
    assert cells["D8"] == Formula("=ROUNDUP(D9*Inputs!C12/Inputs!D12,0)", 50)
    assert cells["D5"] == Formula("=ROUNDUP(D6*Inputs!C9/Inputs!D9,0)", 20000)
    assert [cells[f"D{row}"].value for row in range(5, 10)] == [20000, 500, 200, 50, 10]
    inputs = formulas(book, "Inputs")
    assert inputs["D9"] == Formula("=ROUND(B9*C9,0)", 250)  # 2.5% = 250 / 10000
    assert inputs["D5"] == Formula("=ROUND(B5*C5,0)", 50000000)  # $500,000 in cents


def test_a_clients_target_is_an_input_and_float_traps_are_whole() -> None:
    """A clients target is read as it is; 0.7 is 7000/10000, so 21 ÷ 0.7 needs 30, not 31."""
    text = "target:\n  clients: 21\nstages:\n  - name: SQL\n  - name: won\n    rate: 0.7\n"
    book = views.workbook(plan(parse(text)))
    cells = formulas(book, "Plan")
    assert cells["D6"] == Formula("=Inputs!B5", 21)
    assert cells["D5"] == Formula("=ROUNDUP(D6*Inputs!C8/Inputs!D8,0)", 30)
    assert formulas(book, "Inputs")["D8"].value == 7000


def test_sources_draw_on_the_stage_above() -> None:
    """A sourced stage's sources have live targets and draws; the stage above is their sum."""
    book = views.workbook(plan(load(EXAMPLES / "saas-growth.yaml")))
    cells = formulas(book, "Plan")
    assert cells["D5"].text == "=SUM(D16,D17)"
    assert cells["D5"].value == 15600 + 7429
    assert cells["C16"].text.startswith("=ROUNDUP(MAX(0,D6-Inputs!B")
    assert (cells["C15"].value, cells["C16"].value, cells["C17"].value) == (150, 390, 260)


@pytest.mark.parametrize(
    ("value", "least", "expected"),
    [("0.7", 4, 10**4), ("0.00125", 4, 10**5), ("50000.5", 2, 100), ("12", 0, 1)],
)
def test_scale_holds_every_written_decimal(value: str, least: int, expected: int) -> None:
    """The scale is 10 to the places the value needs, at least the least."""
    assert scale(Decimal(value), least) == expected


def test_figures_past_ten_to_the_thirteen_are_flagged() -> None:
    """A funnel whose whole-number products pass 10^13 says a spreadsheet may be off by one;
    the example does not."""
    huge = "target:\n  clients: 90000000\nstages:\n  - name: a\n  - name: b\n    rate: 0.0001%\n"
    assert TOO_BIG in first_column(views.workbook(plan(parse(huge))))
    assert TOO_BIG not in first_column(views.workbook(plan(load(GOALS))))


def first_column(book: Workbook) -> list[str]:
    """The Plan sheet's first column, as text."""
    return [str(row[0].value) for row in book.sheets[0].rows if row and row[0] is not None]


def test_other_tables_and_provenance_are_sheets() -> None:
    """Money, sources, owners and the schedule as value sheets; the About sheet last."""
    book = views.workbook(plan(load(EXAMPLES / "saas-growth.yaml")))
    names = [sheet.name for sheet in book.sheets]
    assert names == [
        "Plan",
        "Inputs",
        "Money",
        "Sources of leads",
        "Channels of leads",
        "Who owns what",
        "About",
    ]
    money = book.sheets[2].rows
    assert [entry.value if entry else None for entry in money[2]][:3] == [
        "Stage",
        "Cost per unit",
        "Spend",
    ]


def test_channels_below_their_stage_are_values() -> None:
    """Channels followed at their own rates are solved by search: from their stage down the
    Plan sheet holds the plan's values (and says so); the stages above stay formulas."""
    book = views.workbook(plan(load(EXAMPLES / "channel-mix.yaml")))
    rows = book.sheets[0].rows
    volumes = [row[3].value if row and len(row) > 3 and row[3] else None for row in rows[4:9]]
    assert volumes[1:] == [1048, 379, 189, 42]  # leads and below: values
    assert isinstance(volumes[0], Formula)  # visitors: the sum of the channels' draws
    assert volumes[0].value == 43027
    notes = [row[0].value for row in rows if row and row[0] and row[0].style == "note"]
    assert any("found by search" in str(note) for note in notes)


def read_sheet(data: bytes, number: int) -> str:
    """The XML of the n-th worksheet of an .xlsx file."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode()


def test_cli_writes_a_workbook_with_stored_values(tmp_path: Path) -> None:
    """plan -f xlsx -o writes the formulas and their values, so viewers that never
    recalculate still show funnelcalc's numbers; the same plan gives the same bytes."""
    target = tmp_path / "plan.xlsx"
    result = run_cli("plan", str(GOALS), "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    xml = read_sheet(target.read_bytes(), 1)
    assert re.search(r"<f>ROUNDUP\(D6\*Inputs!C9/Inputs!D9,0\)</f><v>20000</v>", xml)
    again = tmp_path / "again.xlsx"
    assert run_cli("plan", str(GOALS), "-f", "xlsx", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == target.read_bytes()


def test_plan_by_month_has_the_schedule(tmp_path: Path) -> None:
    """plan --by month: the live sheets, then the schedule as values."""
    target = tmp_path / "plan.xlsx"
    monthly = EXAMPLES / "monthly-plan.yaml"
    result = run_cli("plan", str(monthly), "--by", "month", "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(target) as archive:
        names = archive.read("xl/workbook.xml").decode()
    assert 'name="Plan"' in names
    assert 'name="Schedule by month"' in names


def test_any_report_becomes_value_sheets() -> None:
    """The generic renderer lays out a report without a workbook of its own."""
    data = xlsx_format.render(views.report(plan(parse(GOALS_TEXT))))
    assert "<f>" not in read_sheet(data, 2)
    assert ">20000<" in read_sheet(data, 2)


def test_user_text_is_never_a_formula() -> None:
    """A stage named like a formula stays text."""
    text = GOALS_TEXT.replace("name: visitors", "name: '=HYPERLINK(\"x\")'")
    data = xlsx_format.write(views.workbook(plan(parse(text))))
    assert not any("HYPERLINK" in f for f in re.findall(r"<f>[^<]*</f>", read_sheet(data, 1)))
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert '<t>=HYPERLINK("x")</t>' in archive.read("xl/sharedStrings.xml").decode()


def test_sheet_names_are_legal_and_unique() -> None:
    """Forbidden characters go, names are cut to 31 and never repeat."""
    taken: set[str] = set()
    assert sheet_name("Sources of a/b", taken) == "Sources of a b"
    assert sheet_name("Sources of a/b", taken) == "Sources of a b 2"
    assert len(sheet_name("x" * 40, taken)) == 31
    assert column_letter(0) == "A"
    assert column_letter(27) == "AB"


def test_xlsx_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without XlsxWriter the message says which extra to install."""
    hide_imports(monkeypatch, "xlsxwriter")
    with pytest.raises(InputError, match=r"pip install 'funnelcalc\[xlsx\]'"):
        xlsx_format.write(views.workbook(plan(load(GOALS))))


def test_editable_cells_show_what_may_be_typed() -> None:
    """An input rate shows up to three decimals of a percent and money its cents, so a typed
    3.25% or $15,000.50 never reads as 3% or $15,001; value sheets show the exact figure."""
    assert xlsx_format.number_format(Entry(Decimal("0.03"), "rate", "input")) == "0.0##%"
    assert xlsx_format.number_format(Entry(Decimal("15000"), "money", "input")) == "#,##0.00"
    assert xlsx_format.number_format(Entry(Decimal("0.025"), "rate")) == "0.0%"
    assert xlsx_format.number_format(Entry(Decimal("15000"), "money")) == "#,##0"


def test_plan_by_month_of_a_segmented_file_is_values(tmp_path: Path) -> None:
    """plan --by month of a roll-up (no rates of its own to write formulas with) is a workbook
    of values, as plan's is; it was exit 3."""
    target = tmp_path / "plan.xlsx"
    segments = EXAMPLES / "segments.yaml"
    result = run_cli("plan", str(segments), "--by", "month", "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(BytesIO(target.read_bytes())) as archive:
        names = archive.read("xl/workbook.xml").decode()
    assert "Schedule by month" in names
