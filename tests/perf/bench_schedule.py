"""Schedule scaling benchmark: `plan --by week` over a 520-week period (the longest a plan may
run) against a `plan` of the same file. Not collected by pytest; run it by hand from
`pip install .`:

    python tests/perf/bench_schedule.py [--runs 7]

The commands run in alternation and their medians are compared, JSON and table apart (a
528-row terminal table is a cost of its own). This measures; it sets no target.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.perf._measure import compare, funnelcalc_command, note_editable
else:  # run as a script: its folder is on the path, the repository is not
    from _measure import compare, funnelcalc_command, note_editable

TEN_YEARS = """\
name: Ten years by week
target:
  revenue: 52000000
deal_size: 25000
period:
  start: 2027-01-04
  weeks: 520
  holidays: [2027-12-24, 2028-12-25, 2029-12-25]
stages:
  - name: visitors
    owner: marketing
  - name: leads
    rate: 3%
    daily: true
  - name: MQL
    rate: 40%
    lag: 7d
  - name: SQL
    rate: 30%
    owner: sales
    lag: 14d
  - name: clients
    rate: 25%
    lag: 2m
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    note_editable()
    command = funnelcalc_command()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "ten-years.yaml")
        Path(path).write_text(TEN_YEARS, encoding="utf-8")
        for output in ("json", "table"):
            compare(
                f"plan --by week, 520 weeks ({output})",
                [*command, "plan", path, "--by", "week", "-f", output],
                [*command, "plan", path, "-f", output],
                args.runs,
            )


if __name__ == "__main__":
    main()
