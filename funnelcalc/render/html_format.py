"""`--format html`: one standalone, printable report (inline CSS and chart, nothing fetched)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from funnelcalc import __version__
from funnelcalc.ownership import handoffs
from funnelcalc.render import figures, plan_of
from funnelcalc.render.chart import funnel_chart
from funnelcalc.render.svg_format import svg
from funnelcalc.solver import ROUNDING_RULE, Plan

if TYPE_CHECKING:
    from funnelcalc.phasing import Schedule
    from funnelcalc.render import Result

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
table { border-collapse: collapse; margin: .4rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: .35rem .8rem; border-bottom: 1px solid #e5e5e5; text-align: left; }
th { background: #f5f5f5; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.chart { margin-top: 1.2rem; }
.chart svg { width: 100%; height: auto; border: 1px solid #eee; }
.warning { color: #b00020; font-weight: 600; }
.note { color: #666; font-size: .92rem; }
ul { padding-left: 1.2rem; }
@media print {
  body { margin: 0; max-width: none; }
  .chart { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
  table { page-break-inside: avoid; }
}
"""


def table(columns: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[str]) -> str:
    """An HTML table whose numeric columns are right-aligned; every cell escaped."""

    def cls(column: str) -> str:
        return ' class="num"' if column in numeric else ""

    head = "".join(f"<th{cls(c)}>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td{cls(c)}>{escape(v)}</td>" for c, v in zip(columns, row, strict=True))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _facts(lines: Sequence[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in lines)
    return f'<dl class="facts">{items}</dl>'


def _list(lines: Sequence[str], cls: str = "") -> str:
    attribute = f' class="{cls}"' if cls else ""
    return f"<ul{attribute}>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def report(plan: Plan, schedule: Schedule | None = None) -> str:
    """The whole report."""
    title = plan.name or "Funnel plan"
    if plan.scenario:
        title += f" — scenario {plan.scenario}"
    body = [f"<h1>{escape(title)}</h1>", _facts(figures.summary(plan))]
    body.append(f'<div class="chart">{svg(funnel_chart(plan))}</div>')
    body.append("<h2>Volume every stage must reach</h2>")
    body.append(
        table(figures.stage_columns(plan), figures.stage_rows(plan), figures.NUMERIC_COLUMNS)
    )
    warnings = figures.limit_warnings(plan)
    if warnings:
        body.append(_list(warnings, "warning"))
    assumptions = figures.assumption_lines(plan)
    if assumptions:
        body.append(_list(assumptions, "note"))
    money_lines, money_columns = figures.money_lines(plan), figures.money_columns(plan)
    if money_lines or money_columns:
        body.append(f"<h2>{'Money' if plan.budget is not None else 'Pipeline'}</h2>")
        if money_lines:
            body.append(_facts(money_lines))
        if money_columns:
            body.append(table(money_columns, figures.money_rows(plan), figures.NUMERIC_COLUMNS))
    for heading, rows in figures.source_tables(plan):
        body.append(f"<h2>{escape(heading)}</h2>")
        body.append(table(figures.SOURCE_COLUMNS, rows, figures.NUMERIC_COLUMNS))
    if any(stage.owner for stage in plan.stages):
        body.append("<h2>Who owns what</h2>")
        body.append(table(figures.OWNER_COLUMNS, figures.owner_rows(plan), frozenset()))
        body.append(_list([figures.handoff_text(h) for h in handoffs(plan)]))
    if schedule is not None:
        columns = figures.schedule_columns(schedule)
        body.append(f"<h2>Schedule by {escape(schedule.by)}</h2>")
        body.append(table(columns, figures.schedule_rows(schedule), frozenset(columns[1:])))
        body.append(_list(figures.schedule_notes(schedule), "note"))
    glossary = figures.definitions(plan)
    if glossary:
        body.append("<h2>Definitions</h2><dl>")
        body.extend(f"<dt><b>{escape(n)}</b></dt><dd>{escape(d)}</dd>" for n, d in glossary)
        body.append("</dl>")
    body.append(f'<p class="note">{escape(ROUNDING_RULE)}</p>')
    body.append(f'<p class="note">Made with funnelcalc {escape(__version__)}.</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def render(result: Result) -> str:
    """`--format html` for a plan or a schedule."""
    return report(*plan_of(result))
