"""CSV actuals: the quick column-by-column path reads exactly what checking every row the
careful way reads (the same records, the same located problems), on generated files that mix
good rows, bad rows, quotes, blank lines, ragged rows and repeated days."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnelcalc import parse
from funnelcalc.actual_records import FIELDS, Record, Segments, Totals, check_record, done
from funnelcalc.actuals_csv import read_csv
from funnelcalc.errors import InputError, Problem

GOALS = parse(
    """\
target: {clients: 10}
deal_size: 1000
period: {start: 2027-01-01, months: 12}
stages:
  - {name: visitors}
  - {name: leads, rate: 10%}
  - {name: won, rate: 10%}
"""
)


def _careful(text: str, which: Segments) -> list[Record] | list[str]:
    """Every row checked the careful way, as the reader did before it had a quick path."""
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n"), newline=""))
    problems: list[Problem] = []
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        totals: Totals = {}
        skipped = 0
        at = header.index("segment") if "segment" in header else None
        for row in reader:
            line = reader.line_num
            if len(row) > len(header):
                problems.append(Problem("a.csv", "has more cells than the header", line))
            elif at is not None and at < len(row) and which.skips(row[at]):
                skipped += 1
            elif row:
                fields = {k: v for k, v in zip(header, row, strict=False) if v != ""}
                where = lambda key, line=line: ("a.csv", line, key)  # noqa: E731
                check_record(fields, GOALS, totals, problems, where, which=which)
    except csv.Error as error:
        problems.append(Problem("a.csv", f"not valid CSV: {error}", reader.line_num))
    try:
        return sorted(done(totals, problems, "a.csv", skipped=skipped))
    except InputError as error:
        return sorted(str(problem) for problem in error.problems)


def _quick(text: str, which: Segments) -> list[Record] | list[str]:
    try:
        return sorted(read_csv(text.encode(), "a.csv", [(GOALS, which)])[0])
    except InputError as error:
        found = [str(problem) for problem in error.problems]
        lines = [problem.line or 0 for problem in error.problems]
        assert lines == sorted(lines), "problems are reported in the order of their lines"
        return sorted(found)


DAYS = ["2027-01-05", "2027-02-01", "2027-02-30", "2027-3-1", "0000-01-01", " 2027-01-05"]
PERIODS = ["2027-01", "2027-Q2", "2027-13", "9999-01"]
STAGES = ["visitors", "leads", "won", "Leads", " won", "clients", ""]
COUNTS = ["0", "12", "007", "1_000", "-3", "1.5", "", "１２", "1234567890123456", " 4"]
SPENDS = ["", "0", "12.50", "3.", ".5", "1e3", "10.000", "abc", "-1", "12.5.0", "1" * 29]
SEGMENTS = ["", "SMB", "smb ", "Enterprise", "Mid"]
CELLS = {
    "date": DAYS,
    "period": PERIODS,
    "stage": STAGES,
    "count": COUNTS,
    "spend": SPENDS,
    "segment": SEGMENTS,
}
WHICH = [
    Segments(),
    Segments("SMB", ("SMB", "Enterprise")),
    Segments(None, ("SMB", "Enterprise"), named=True),
]


@st.composite
def csv_files(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["date", "period"]))
    names = [kind, "stage", "count", *draw(st.sampled_from([[], ["spend"], ["spend", "segment"]]))]
    names = draw(st.permutations(names))
    good = draw(st.booleans())  # mostly good rows, or anything goes
    rows = []
    for _ in range(draw(st.integers(0, 40))):
        if good and draw(st.integers(0, 9)):
            row = [CELLS[name][draw(st.integers(0, 1))] for name in names]
        else:
            row = [draw(st.sampled_from(CELLS[name])) for name in names]
        shape = draw(st.integers(0, 19))
        if shape == 0:
            row = row[:-1]
        elif shape == 1:
            row = [*row, "5"]
        elif shape == 2:
            row = []
        rows.append(row)
    quote = draw(st.booleans()) and draw(st.booleans())
    lines = [",".join(f'"{cell}"' if quote and cell else cell for cell in row) for row in rows]
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = ending.join([",".join(names), *lines])
    return text + draw(st.sampled_from(["", ending]))


@settings(max_examples=300)
@given(csv_files(), st.sampled_from(WHICH))
def test_the_quick_path_reads_what_the_careful_path_reads(text: str, which: Segments) -> None:
    assert _quick(text, which) == _careful(text, which)


def test_records_of_the_same_day_and_stage_are_merged() -> None:
    text = "date,stage,count,spend\n2027-01-05,leads,3,1.50\n2027-01-05,leads,4,\n"
    text += "2027-01-05,leads,5,2.25\n2027-01-05,won,1,\n"
    records = sorted(read_csv(text.encode(), "a.csv", [(GOALS, Segments())])[0])
    # 3 + 4 + 5 leads, spend 1.50 + 2.25 (the empty cell adds nothing); the won row alone.
    assert [(r.stage, r.volume, r.spend) for r in records] == [
        (1, 12, Decimal("3.75")),
        (2, 1, None),
    ]


def test_a_large_file_is_read_in_chunks_with_the_right_lines() -> None:
    rows = ["date,stage,count"] + ["2027-01-05,leads,1"] * 150_000 + ["2027-01-05,leads,x"]
    with pytest.raises(InputError) as error:
        read_csv("\n".join(rows).encode(), "a.csv", [(GOALS, Segments())])
    assert [str(p) for p in error.value.problems] == [
        "a.csv:150002: count: is a whole number of at least 0"
    ]


def test_fields_are_the_columns_the_reader_knows() -> None:
    assert set(CELLS) == set(FIELDS)


def test_a_short_row_of_another_segment_is_skipped_as_a_full_one_is() -> None:
    """Tracking SMB, an Enterprise row is not read, whether it has every cell or not (a short
    one was read, and its missing count reported). Found by the property above."""
    which = Segments(chosen="SMB", known=("SMB", "Enterprise"), named=False)
    text = "date,stage,segment,spend,count\n2027-01-05,visitors,Enterprise,\n"
    text += "2027-01-05,visitors,SMB,,7\n"
    assert _quick(text, which) == _careful(text, which)
    # the SMB row alone: 7 visitors on 2027-01-05
    assert [(r.stage, r.volume) for r in _quick(text, which) if isinstance(r, Record)] == [(0, 7)]
