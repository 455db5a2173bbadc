"""`--format pptx`: the deck's slides (title and provenance, the funnel as native shapes,
the stage table, the money, the owners and their hand-offs), long tables split evenly, and
the deck opened by LibreOffice Impress where it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from funnelcalc import load, parse, plan, plan_file, views
from funnelcalc.errors import InputError
from funnelcalc.render import pptx_format
from funnelcalc.render.chart import Label, drawing
from funnelcalc.report import Cell, Column, Report, Table
from tests.conftest import EXAMPLES, GOALS, hide_imports, run_cli

pptx = pytest.importorskip("pptx", reason="the pptx extra is not installed")


def deck(data: bytes) -> Any:
    """The deck python-pptx reads back."""
    return pptx.Presentation(BytesIO(data))


def texts(slide: Any) -> list[str]:
    """Every text on a slide: text boxes and table cells."""
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found += [cell.text for row in shape.table.rows for cell in row.cells]
    return found


def test_cli_writes_a_deck_of_the_plan(tmp_path: Path) -> None:
    """plan -f pptx -o: a 16:9 deck of title, funnel, stages, money, owners, definitions."""
    target = tmp_path / "plan.pptx"
    result = run_cli("plan", str(GOALS), "-f", "pptx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    slides = deck(target.read_bytes())
    assert (slides.slide_width, slides.slide_height) == (12192000, 6858000)
    pages = [texts(slide) for slide in slides.slides]
    assert len(pages) == 6
    assert pages[0][0] == "FY2027 new business"
    assert "Made 2027-01-01 with funnelcalc 0.1.0" in pages[0][-1]
    assert [t for t in pages[1] if t in ("visitors", "20,000")] == ["visitors", "20,000"]
    assert pages[2][:2] == ["Volume every stage must reach", "Stage"]
    assert "20,000" in pages[2]
    assert pages[3][0] == "Pipeline"
    assert "$2,500,000" in pages[3]  # SQL's pipeline; visitors have none
    assert "$1,000,000,000" not in pages[3]
    assert pages[4][0] == "Who owns what"
    assert any(t.startswith("→ marketing hands 200 MQL to sales") for t in pages[4])


def test_the_funnel_is_painted_as_native_shapes() -> None:
    """Every rectangle and label of the chart's display list becomes a shape (a label on a
    bar gets a white backing too), in painting order."""
    report = views.report(plan(load(GOALS)))
    chart = drawing(report.charts()[0])
    slide = deck(pptx_format.render(report)).slides[1]
    halos = sum(1 for shape in chart.shapes if getattr(shape, "halo", False))
    assert len(slide.shapes) == len(chart.shapes) + halos
    labels = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    painted = [shape.text for shape in chart.shapes if isinstance(shape, Label)]
    assert [label for label in labels if label] == painted


def test_money_facts_head_their_table() -> None:
    """A budget's facts sit above the money table on one slide."""
    pages = [texts(s) for s in deck(views_deck(EXAMPLES / "saas-growth.yaml")).slides]
    money = next(page for page in pages if page[0] == "Money")
    assert any(t.startswith("Spend: $35,325.80") for t in money)
    assert "Cost per unit" in money


def views_deck(path: Path) -> bytes:
    """The deck of a goals file's plan."""
    return pptx_format.render(views.report(plan_file(str(path))))  # a roll-up when segmented


def test_a_long_table_is_split_evenly() -> None:
    """40 rows go on as few slides as hold them (20 a slide at the least height), evenly, the
    later ones "(continued)"; 41 take three."""
    rows = tuple((Cell(n, str(n)),) for n in range(40))
    report = Report("Long", (Table("Numbers", (Column("n", "N", "count"),), rows),))
    pages = [texts(slide) for slide in deck(pptx_format.render(report)).slides]
    titles = [page[0] for page in pages[1:]]
    assert titles == ["Numbers", "Numbers (continued)"]
    assert [len(page) - 2 for page in pages[1:]] == [20, 20]  # less the title and the header
    longer = report._replace(sections=(report.tables()[0]._replace(rows=(*rows, rows[0])),))
    pages = [texts(slide) for slide in deck(pptx_format.render(longer)).slides]
    assert [len(page) - 2 for page in pages[1:]] == [14, 14, 13]


def test_clients_target_subtitle_says_it_once() -> None:
    """A clients target is not repeated in the chart's subtitle."""
    text = "target:\n  clients: 12\nstages:\n  - name: leads\n  - name: won\n    rate: 10%\n"
    assert views.report(plan(parse(text))).charts()[0].subtitle == "12 won"


def test_pptx_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without python-pptx the message says which extra to install."""
    hide_imports(monkeypatch, "pptx")
    with pytest.raises(InputError, match=r"pip install 'funnelcalc\[pptx\]'"):
        pptx_format.render(views.report(plan(load(GOALS))))


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed: no Impress to open it")
def test_impress_opens_every_slide(tmp_path: Path) -> None:
    """LibreOffice Impress turns each example's deck into a PDF of as many pages."""
    assert SOFFICE is not None
    expected = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = views_deck(path)
        (tmp_path / f"{path.stem}.pptx").write_bytes(data)
        expected[path.stem] = len(deck(data).slides)
    profile = (tmp_path / "profile").as_uri()
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    command += ["--outdir", str(tmp_path / "pdf"), *map(str, tmp_path.glob("*.pptx"))]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    for stem, slides in expected.items():
        pdf = (tmp_path / "pdf" / f"{stem}.pdf").read_bytes()
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == slides, stem
