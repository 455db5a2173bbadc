"""GitHub Actions workflow commands: an annotation on the line of every broken limit."""

from __future__ import annotations

from funnelcalc.limits import Check
from funnelcalc.views.cells import count, money
from funnelcalc.views.check import summary as check_summary


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: Check) -> str:
    """`check --format github`: `::error file=F,line=L::…` per broken limit, then a notice."""
    lines = []
    for item in result.results:
        if item.holds:
            continue
        where = f"file={_property(result.source)}"
        if item.line is not None:
            where += f",line={item.line}"
        limit, needed, over = (
            count(v) if isinstance(v, int) else money(v, result.currency)
            for v in (item.limit, item.needed, -item.headroom)
        )
        message = (
            f"{item.stage} needs {needed} in the {item.scenario} plan: "
            f"over its limit of {limit} by {over}"
        )
        lines.append(f"::error {where},title=Limit broken::{_data(message)}")
    kind = "notice" if result.passed else "error"
    lines.append(f"::{kind} file={_property(result.source)}::{_data(check_summary(result))}")
    return "\n".join(lines) + "\n"
