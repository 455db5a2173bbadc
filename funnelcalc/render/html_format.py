"""`--format html`: any report as one standalone, printable page (inline CSS and charts,
nothing fetched, no scripts)."""

from __future__ import annotations

from html import escape

from funnelcalc.render.chart import drawing, shares
from funnelcalc.render.svg_format import svg
from funnelcalc.report import Chart, Facts, Note, Report, Table

STYLE = """
:root { color-scheme: light; }
body { font-family: Helvetica, Arial, "Liberation Sans", sans-serif; color: #222;
       max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
h1 { font-size: 1.9rem; margin: 0 0 .4rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #ddd;
     padding-bottom: .2rem; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2rem 1.2rem; margin: 0; }
dl.facts dt { color: #666; }
dl.facts dd { margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .4rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: .35rem .8rem; border-bottom: 1px solid #e5e5e5; text-align: left; }
th { background: #f5f5f5; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.chart { margin-top: 1.2rem; }
.chart svg { width: 100%; height: auto; border: 1px solid #eee; }
.bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: .25rem .8rem;
        align-items: center; margin: .6rem 0; font-variant-numeric: tabular-nums; }
.bars .track { background: #f1f1f1; height: 1.1rem; border-radius: 3px; }
.bars .fill { background: #0072B2; height: 100%; border-radius: 3px; min-width: 2px; }
.bars .value { text-align: right; white-space: nowrap; }
.failure { color: #b00020; font-weight: 600; }
.warning { color: #8a5a00; }
.note, footer { color: #666; font-size: .92rem; }
footer { margin-top: 2.5rem; border-top: 1px solid #ddd; padding-top: .6rem; }
ul { padding-left: 1.2rem; }
@media print {
  body { margin: 0; max-width: none; }
  .chart, table, .bars { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
}
"""


def table(section: Table) -> str:
    """An HTML table whose numeric columns are right-aligned; every cell escaped."""
    classes = [' class="num"' if column.numeric else "" for column in section.columns]
    head = "".join(
        f"<th{cls}>{escape(c.label)}</th>" for c, cls in zip(section.columns, classes, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{cls}>{escape(c.text)}</td>" for c, cls in zip(row, classes, strict=True))
        + "</tr>"
        for row in section.rows
    )
    rows = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{rows}</div>'


def _facts(facts: Facts) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts.items)
    return f'<dl class="facts">{items}</dl>' if items else ""


def _chart(chart: Chart) -> str:
    if chart.kind == "funnel":
        return f'<div class="chart">{svg(drawing(chart))}</div>'
    widths, _ = shares([bar.value for bar in chart.bars])
    rows = "".join(
        f"<span>{escape(bar.label)}</span>"
        f'<span class="track"><span class="fill" style="display:block;width:{share * 100:.1f}%">'
        f'</span></span><span class="value">{escape(bar.text)}'
        + (f" <small>{escape(bar.side)}</small>" if bar.side else "")
        + "</span>"
        for bar, share in zip(chart.bars, widths, strict=True)
    )
    return f'<div class="bars" role="img" aria-label="{escape(chart.title)}">{rows}</div>'


def _notes(notes: list[Note]) -> str:
    items = "".join(f'<li class="{note.level}">{escape(note.text)}</li>' for note in notes)
    return f'<ul class="notes">{items}</ul>'


def render(report: Report) -> str:
    """The whole page."""
    body = [f"<h1>{escape(report.title)}</h1>"]
    notes: list[Note] = []
    for section in report.sections:
        if isinstance(section, Note):
            notes.append(section)
            continue
        if notes:
            body.append(_notes(notes))
            notes = []
        if section.title and not (isinstance(section, Chart) and section.kind == "funnel"):
            body.append(f"<h2>{escape(section.title)}</h2>")
        if isinstance(section, Table):
            body.append(table(section))
        elif isinstance(section, Facts):
            body.append(_facts(section))
        else:
            body.append(_chart(section))
    if notes:
        body.append(_notes(notes))
    if report.provenance is not None:
        lines = "<br>".join(escape(line) for line in report.provenance.lines())
        body.append(f"<footer>{lines}</footer>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )
