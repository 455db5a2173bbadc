"""Deck-ready output: the HTML report, the SVG and PNG funnel charts, terminal funnel bars."""

from __future__ import annotations

import struct
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from funnelcalc import load, plan, views
from funnelcalc.cli import emit
from funnelcalc.errors import InputError
from funnelcalc.render import png_format
from tests.conftest import EXAMPLES, GOALS, hide_imports, run_cli

SVG = "{http://www.w3.org/2000/svg}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> _Collector:
    collector = _Collector()
    collector.feed(text)
    return collector


def test_html_report_is_standalone_and_complete() -> None:
    """One file: title, target, the stage table, owners, definitions, an inline chart, and
    nothing fetched from anywhere (no scripts, links, fonts or remote images)."""
    text = run_cli("plan", str(GOALS), "--format", "html").stdout
    page = parse_html(text)
    words = " ".join(page.text)
    for expected in (
        "FY2027 new business",
        "$500,000 of new revenue",
        "20,000",
        "19,500",
        "marketing hands 200 MQL to sales",
        "Filled in a form with a work email",
        "smallest whole number",
    ):
        assert expected in words, expected
    assert "svg" in page.tags
    assert "table" in page.tags
    assert not {"script", "link", "img", "iframe"} & set(page.tags)
    assert "@font-face" not in text
    assert "url(" not in text
    urls = [value for _, value in page.attributes if value and "://" in value]
    assert urls == ["http://www.w3.org/2000/svg"]  # the SVG namespace, not a download


def test_html_escapes_what_users_write(tmp_path: Path) -> None:
    """A stage named <script> is text in the report, not markup."""
    path = tmp_path / "goals.yaml"
    path.write_text(
        'name: "<b>bold</b> & co"\ntarget: {clients: 2}\nstages:\n'
        '  - {name: "<script>alert(1)</script>"}\n  - {name: won, rate: 50%}\n',
        encoding="utf-8",
    )
    text = run_cli("plan", str(path), "-f", "html").stdout
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in text


def test_html_with_a_schedule() -> None:
    """plan --by month --format html adds the schedule."""
    text = run_cli(
        "plan", str(EXAMPLES / "monthly-plan.yaml"), "--by", "month", "-f", "html"
    ).stdout
    assert "Schedule by month" in text
    assert "must happen before the plan starts" in text


def svg_root(*args: str) -> ET.Element:
    return ET.fromstring(run_cli("plan", *args, "--format", "svg").stdout)


def test_svg_is_a_16_by_9_funnel() -> None:
    """viewBox 1600×900; a bar per stage, widest at the top; labels with volume and rate."""
    root = svg_root(str(GOALS))
    assert root.get("viewBox") == "0 0 1600 900"
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 5
    widths = [float(bar.get("width", 0)) for bar in bars]
    assert widths == sorted(widths, reverse=True)
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    for expected in ("20,000", "500", "10", "2.5% of visitors", "20% of SQL", "marketing", "sales"):
        assert expected in texts, expected
    assert any("log scale" in t for t in texts)


def test_svg_colours_by_owner_and_needs_no_font() -> None:
    """Stages of one owner share a colour; only generic font families are named."""
    root = svg_root(str(GOALS))
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert fills[0] == fills[1] == fills[2] != fills[3] == fills[4]
    assert root.get("font-family", "").endswith("sans-serif")
    text = run_cli("plan", str(GOALS), "-f", "svg").stdout
    assert "@font-face" not in text
    assert "href" not in text


def test_svg_is_linear_when_the_funnel_is_shallow(tmp_path: Path) -> None:
    """A funnel within two orders of magnitude is drawn in proportion, and says so."""
    path = tmp_path / "goals.yaml"
    path.write_text(
        "target: {clients: 10}\nstages:\n  - {name: a}\n  - {name: b, rate: 50%}\n",
        encoding="utf-8",
    )
    root = svg_root(str(path))
    bars = [float(r.get("width", 0)) for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert bars[0] == pytest.approx(2 * bars[1])
    assert any("in proportion" in (t.text or "") for t in root.iter(f"{SVG}text"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_is_a_16_by_9_chart(tmp_path: Path) -> None:
    """--format png -o chart.png writes a 1600×900 PNG."""
    target = tmp_path / "chart.png"
    result = run_cli("plan", str(GOALS), "-f", "png", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert png_size(target.read_bytes()) == (1600, 900)


def test_png_without_the_charts_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib the message says which extra to install."""
    hide_imports(monkeypatch, "matplotlib")
    with pytest.raises(InputError, match=r"pip install 'funnelcalc\[charts\]'"):
        png_format.render(views.report(plan(load(GOALS))))


def test_png_is_never_written_onto_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PNG on a terminal would be garbage: the message points at --output."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(InputError, match=r"png is binary: write it with --output chart\.png"):
        emit._write_binary(b"\x89PNG", "png")


def test_terminal_table_has_funnel_bars() -> None:
    """Each stage gets a compact bar, widest at the top."""
    lines = run_cli("plan", str(GOALS)).stdout.splitlines()
    assert "(log scale)" in "\n".join(lines)
    rows = [line for line in lines if "█" in line]
    assert len(rows) == 5
    lengths = [line.count("█") for line in rows]
    assert lengths == sorted(lengths, reverse=True)
