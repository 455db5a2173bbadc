"""The workbook recalculated by a real spreadsheet engine (LibreOffice, headless) gives
funnelcalc's exact numbers in every formula cell: on the examples and on random funnels
full of float traps (0.7, 0.07, 0.035, 2.5%, cents). Skipped where LibreOffice is absent."""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from funnelcalc import load, parse, plan, views
from funnelcalc.loader import read
from funnelcalc.model import Goals
from funnelcalc.render import xlsx_format
from funnelcalc.report import Provenance
from funnelcalc.workbook import Entry, Formula, Sheet, Workbook
from tests.conftest import EXAMPLES

pytest.importorskip("xlsxwriter", reason="the xlsx extra is not installed")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc): "
    "no spreadsheet engine to recalculate the workbooks with",
)
POISON = -7
"""Every formula's stored value is replaced by this, so only a recalculation passes."""
# Always recalculate .xlsx on load (0 = always) in a profile of the test's own.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
# Comma, double quote, UTF-8, raw values (not as shown), every sheet to its own file.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
TRAPS = ["0.7", "0.07", "0.035", "2.5%", "0.7%", "0.3", "0.1", "12.5%", "0.0035", "33.3%", "1"]
MADE = Provenance(("test",), None, (), None, date(2027, 1, 1), "test")


def random_goals(rng: random.Random, number: int) -> str:
    """A random funnel: trap rates, money with cents or a count target, sometimes sources."""
    lines = [f"name: random {number}"]
    if rng.random() < 0.25:
        lines.append(f"target:\n  clients: {rng.randint(1, 5000)}")
    else:
        cents = rng.choice(["", ".50", ".07", ".99"])
        lines.append(f"target:\n  revenue: {rng.randint(1, 10**8)}{cents}")
        lines.append(f"deal_size: {rng.randint(1, 10**5)}{rng.choice(['', '.5', '.25'])}")
    lines.append("stages:\n  - name: s0")
    depth = rng.randint(1, 6)
    for index in range(1, depth + 1):
        rate = rng.choice([*TRAPS, f"{rng.randint(1, 9999)}e-4", f"{rng.randint(1, 999)}e-3"])
        rate = str(Decimal(rate)) if "e" in rate else rate
        lines.append(f"  - name: s{index}\n    rate: {rate}")
    if depth >= 2 and rng.random() < 0.4:
        fed = rng.randint(1, depth)
        share = rng.choice(["60%", "37.5%", "0.35", "12.5%"])
        rest = str(100 - Decimal(share.rstrip("%")) * (1 if "%" in share else 100)) + "%"
        lines.append(f"sources:\n  s{fed}:")
        lines.append(f"    - {{name: fixed, volume: {rng.randint(1, 50)}}}")
        lines.append(f"    - {{name: a, share: {share}, rate: {rng.choice(TRAPS)}}}")
        lines.append(f"    - {{name: b, share: {rest}}}")
    return "\n".join(lines) + "\n"


def poisoned(book: Workbook) -> Workbook:
    """The workbook with every formula's stored value replaced by POISON."""

    def entry(cell: Entry | None) -> Entry | None:
        if cell is None or not isinstance(cell.value, Formula):
            return cell
        return cell._replace(value=Formula(cell.value.text, POISON))

    sheets = [
        Sheet(sheet.name, tuple(tuple(map(entry, row)) for row in sheet.rows))
        for sheet in book.sheets
    ]
    return book._replace(sheets=tuple(sheets))


def recalculated(
    books: dict[str, Workbook], folder: Path
) -> dict[tuple[str, str], list[list[str]]]:
    """Each workbook written with poisoned values, recalculated and saved as CSV by
    LibreOffice: (workbook, sheet) → its rows."""
    (folder / "profile" / "user").mkdir(parents=True)
    (folder / "profile" / "user" / "registrymodifications.xcu").write_text(PROFILE)
    paths = []
    for name, book in books.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(xlsx_format.write(poisoned(book)))
        paths.append(str(path))
    assert SOFFICE is not None
    command = [SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless"]
    command += ["--convert-to", CSV_FILTER, "--outdir", str(folder / "out"), *paths]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    sheets = {}
    for name, book in books.items():
        for sheet in book.sheets:
            path = folder / "out" / f"{name}-{sheet.name}.csv"
            with path.open(encoding="utf-8", newline="") as file:
                sheets[name, sheet.name] = list(csv.reader(file))
    return sheets


def number(text: str) -> Decimal:
    """A value as LibreOffice writes it: 1234, 0.035, 2.5%."""
    if text.endswith("%"):
        return Decimal(text[:-1]) / 100
    return Decimal(text)


def warned(book: Workbook) -> bool:
    """Whether the workbook warns that its figures pass the safe bound of 10^13."""
    return any(
        row and row[0] is not None and str(row[0].value).startswith("⚠ Some figures pass 10^13")
        for row in book.sheets[0].rows
    )


def compare(books: dict[str, Workbook], folder: Path) -> int:
    """Every formula cell of every workbook that does not warn of figures past 10^13, against
    funnelcalc's exact value; the number of cells compared."""
    sheets = recalculated(books, folder)
    checked = 0
    for name, book in books.items():
        if warned(book):
            continue
        for sheet in book.sheets:
            rows = sheets[name, sheet.name]
            for r, row in enumerate(sheet.rows):
                for c, cell in enumerate(row):
                    if cell is None or not isinstance(cell.value, Formula):
                        continue
                    got = number(rows[r][c])
                    assert got == Decimal(str(cell.value.value)), (name, sheet.name, r, c)
                    checked += 1
    return checked


def books_of(goals: dict[str, Goals]) -> dict[str, Workbook]:
    """The live workbook of each plan."""
    return {name: views.workbook(plan(source), MADE) for name, source in goals.items()}


def test_examples_recalculate_to_funnelcalc_numbers(tmp_path: Path) -> None:
    """Every example's workbook, recalculated by LibreOffice, matches in every formula cell."""
    examples = {path.stem: load(path) for path in sorted(EXAMPLES.glob("*.yaml"))}
    for stem, goals in list(examples.items()):  # a roll-up's workbook is values: each segment's
        if goals.segments:  # is live, as `plan --segment NAME --format xlsx` writes it
            del examples[stem]
            file = read(EXAMPLES / f"{stem}.yaml")
            examples |= {f"{stem}-{name}": file.segment_goals(name) for name in goals.segments}
    books = books_of(examples)
    assert not any(map(warned, books.values()))
    assert compare(books, tmp_path) >= 10 * len(books)


def test_random_funnels_recalculate_to_funnelcalc_numbers(tmp_path: Path) -> None:
    """200 random funnels full of float traps, recalculated by LibreOffice, match exactly
    (those few whose figures pass 10^13, and say so, aside)."""
    rng = random.Random(15)
    goals = {f"random-{n}": parse(random_goals(rng, n), source="random.yaml") for n in range(200)}
    books = books_of(goals)
    assert sum(map(warned, books.values())) <= 30
    assert compare(books, tmp_path) >= 170 * 4
