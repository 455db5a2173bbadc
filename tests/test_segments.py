"""Segments: each planned on its own target, rolled up without rounding again; composed with
--set, scenarios, check, compare, time, sweep and the other commands."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funnelcalc import loader
from funnelcalc.errors import InputError
from funnelcalc.phasing import schedule_for
from funnelcalc.scenarios import plan_for
from funnelcalc.simulate_rollup import simulate_company
from funnelcalc.solver import Plan, solve
from tests.conftest import EXAMPLES, run_cli

SEGMENTS = EXAMPLES / "segments.yaml"

THREE = """\
name: Three segments
target: {revenue: 1000000}
deal_size: 50000
stages:
  - {name: visitors, cost: 0.5}
  - {name: leads, rate: 2.5%}
  - {name: MQL, rate: 40%}
  - {name: SQL, rate: 25%}
  - {name: clients, rate: 20%}
limits: {visitors: 60000}
fixed_costs: {tools: 1000}
scenarios:
  bigger-smb:
    set: {segments.SMB.deal_size: 25000}
segments:
  SMB:
    share: 50%
    deal_size: 20000
    stages:
      leads: {rate: 3%}
  Mid-market:
    share: 30%
  Enterprise:
    share: 20%
    deal_size: 150000
    stages:
      SQL: {rate: 15%}
    limits: {SQL: 9}
"""


def write(tmp_path: Path, text: str, name: str = "goals.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def volumes(plan: Plan) -> list[int]:
    return [stage.volume for stage in plan.stages]


def test_three_segment_roll_up_worked_by_hand() -> None:
    """Each segment rounds its own target up; the roll-up adds the plans and rounds nothing."""
    plan = _plan(THREE)
    smb, mid, ent = (part.plan for part in plan.segments)
    # SMB: $1,000,000 × 50% = $500,000 at $20,000 → 25 clients; SQL ⌈25 ÷ 0.2⌉ = 125;
    # MQL ⌈125 ÷ 0.25⌉ = 500; leads ⌈500 ÷ 0.4⌉ = 1,250; visitors ⌈1,250 ÷ 0.03⌉ = 41,667
    assert volumes(smb) == [41667, 1250, 500, 125, 25]
    # Mid-market: $300,000 at $50,000 → 6; 30; 120; 300; ⌈300 ÷ 0.025⌉ = 12,000
    assert volumes(mid) == [12000, 300, 120, 30, 6]
    # Enterprise: $200,000 at $150,000 → ⌈1.33⌉ = 2; SQL ⌈2 ÷ 0.2⌉ = 10; MQL ⌈10 ÷ 0.15⌉ = 67;
    # leads ⌈67 ÷ 0.4⌉ = 168; visitors ⌈168 ÷ 0.025⌉ = 6,720
    assert volumes(ent) == [6720, 168, 67, 10, 2]
    # the roll-up: 41,667 + 12,000 + 6,720 = 60,387 visitors … 25 + 6 + 2 = 33 clients
    assert volumes(plan) == [60387, 1718, 687, 165, 33]
    # revenue 25 × 20,000 + 6 × 50,000 + 2 × 150,000 = 1,100,000 (not re-rounded to the target)
    assert plan.revenue == Decimal(1_100_000)
    # budget: 60,387 visitors × $0.50 = $30,193.50 spend, + $1,000 of company tools, once
    assert plan.budget is not None
    assert (plan.budget.spend, plan.budget.total) == (Decimal("30193.5"), Decimal("31193.5"))
    # the company limit is on the roll-up: 60,387 > 60,000
    assert [s.name for s in plan.broken_limits] == ["visitors"]


def _plan(text: str, *, scenario: str | None = None, sets: tuple[str, ...] = ()) -> Plan:
    return plan_for(loader.read_bytes(text, source="g.yaml"), scenario, sets)


def test_example_segments_worked_by_hand() -> None:
    """examples/segments.yaml: SMB 40% of $2M at $12,000 (67 won), mid-market 35% at $40,000
    (⌈17.5⌉ = 18), enterprise 25% at $150,000 (⌈3.33⌉ = 4)."""
    document = json.loads(run_cli("plan", str(SEGMENTS), "-f", "json").stdout)
    by_name = {entry["name"]: entry["plan"] for entry in document["segments"]}
    # SMB: opportunities ⌈67 ÷ 0.3⌉ = 224, SQL ⌈224 ÷ 0.6⌉ = 374, MQL ⌈374 ÷ 0.4⌉ = 935,
    # inquiries ⌈935 ÷ 0.3⌉ = 3,117
    assert [s["volume"] for s in by_name["SMB"]["stages"]] == [3117, 935, 374, 224, 67]
    assert [s["volume"] for s in by_name["Mid-market"]["stages"]] == [1200, 360, 144, 72, 18]
    assert [s["volume"] for s in by_name["Enterprise"]["stages"]] == [334, 100, 40, 20, 4]
    assert [s["volume"] for s in document["stages"]] == [4651, 1395, 558, 316, 89]
    # spend 3,117 × $40 + 1,200 × $40 + 334 × $120 = $212,760; fixed $30,000 + $40,000
    assert (document["spend"], document["budget"]) == (212760, 282760)
    # revenue 67 × 12,000 + 18 × 40,000 + 4 × 150,000
    assert document["revenue"] == 2_124_000
    assert [entry["share"] for entry in document["segments"]] == [0.4, 0.35, 0.25]
    assert all(stage["rate"] is None for stage in document["stages"])


def test_a_file_without_segments_has_no_segment_keys() -> None:
    """A plain plan's JSON gains nothing."""
    document = json.loads(run_cli("plan", str(EXAMPLES / "goals.yaml"), "-f", "json").stdout)
    assert "segments" not in document
    assert "segment" not in document


def test_a_share_of_a_clients_target_rounds_up_per_segment() -> None:
    """10 clients split 1/3 each: every segment needs ⌈10 × 33.34%⌉ = 4 (not 3.33 or 3), so
    the roll-up needs 4 + 4 + 4 = 12, more than the company's 10, never less."""
    text = (
        "target: {clients: 10}\nstages:\n  - {name: leads}\n  - {name: clients, rate: 10%}\n"
        "segments:\n  A: {share: 33.33%}\n  B: {share: 33.33%}\n  C: {share: 33.34%}\n"
    )
    plan = _plan(text)
    # ⌈10 × 0.3333⌉ = ⌈3.333⌉ = 4, ⌈10 × 0.3334⌉ = 4
    assert [part.plan.clients for part in plan.segments] == [4, 4, 4]
    assert volumes(plan) == [120, 12]
    # the table says the company's target (10), and what the segments need between them (12)
    shown = run_cli("plan", "-", stdin=text).stdout.splitlines()
    assert [line.rstrip() for line in shown[1:4:2]] == [
        "Target          10 clients",
        "Clients needed  12 (4 + 4 + 4)",
    ]


def test_own_targets_and_own_stages() -> None:
    """A segment with its own target and its own stages; a stage only it has is still listed
    in the roll-up, right after the stage above it."""
    text = """\
target: {revenue: 300000}
deal_size: 10000
stages:
  - {name: leads}
  - {name: SQL, rate: 20%}
  - {name: won, rate: 25%}
segments:
  Inbound:
    target: {revenue: 200000}
  Partner:
    target: {revenue: 100000}
    stages:
      - {name: referrals}
      - {name: SQL, rate: 50%}
      - {name: won, rate: 50%}
"""
    plan = _plan(text)
    # Inbound: 20 won, SQL 80, leads 400. Partner: 10 won, SQL 20, referrals 40.
    assert [(s.name, s.volume) for s in plan.stages] == [
        ("leads", 400),
        ("referrals", 40),
        ("SQL", 100),
        ("won", 30),
    ]
    assert [part.share for part in plan.segments] == [None, None]


def test_one_in_n_of_a_stage_only_some_segments_have(tmp_path: Path) -> None:
    """A rolled-up stage's "1 in N" divides by the won of the segments that have it, not the
    company's: leads only reach Inbound's won.

    Inbound: 20 won, SQL 80, leads 400. Partner: 10 won, SQL 20, referrals 40.
    leads: 400 ÷ 20 = 20 (not 400 ÷ 30 ≈ 13.33); referrals: 40 ÷ 10 = 4 (not 40 ÷ 30 ≈ 1.33);
    SQL, in both: 100 ÷ 30 ≈ 3.33; won: 30 ÷ 30 = 1.
    """
    text = """\
target: {revenue: 300000}
deal_size: 10000
period: {start: 2027-01-01, months: 6}
stages:
  - {name: leads}
  - {name: SQL, rate: 20%}
  - {name: won, rate: 25%}
segments:
  Inbound:
    target: {revenue: 200000}
  Partner:
    target: {revenue: 100000}
    stages:
      - {name: referrals}
      - {name: SQL, rate: 50%}
      - {name: won, rate: 50%}
"""
    path = write(tmp_path, text)
    document = json.loads(run_cli("plan", str(path), "-f", "json").stdout)
    assert [(s["name"], s["one_in"]) for s in document["stages"]] == [
        ("leads", 20),
        ("referrals", 4),
        ("SQL", 3.33),
        ("won", 1),
    ]
    # to_clients is 1 ÷ N: 1/20, 1/4, 30/100, 1
    assert [s["to_clients"] for s in document["stages"]] == [0.05, 0.25, 0.3, 1]
    # the schedule's roll-up (plan --by month) reads the same "1 in N"
    by_month = json.loads(run_cli("plan", str(path), "--by", "month", "-f", "json").stdout)
    assert [round(1 / s["to_clients"], 2) for s in by_month["stages"]] == [20, 4, 3.33, 1]
    table = run_cli("plan", str(path)).stdout
    # the roll-up table comes first: leads, 400, —, 400, 20
    rows = [line.split() for line in table.splitlines() if line.startswith(" leads ")]
    assert rows[0][-1] == "20"


def test_set_and_scenarios_reach_into_a_segment() -> None:
    """--set segments.SMB.deal_size and a scenario setting it plan the same."""
    by_set = _plan(THREE, sets=("segments.SMB.deal_size=25000",))
    by_scenario = _plan(THREE, scenario="bigger-smb")
    # SMB at $25,000: 20 clients, 100 SQL, 400 MQL, 1,000 leads, ⌈1,000 ÷ 0.03⌉ = 33,334
    assert volumes(by_set.segments[0].plan) == [33334, 1000, 400, 100, 20]
    assert volumes(by_set) == volumes(by_scenario)
    assert by_scenario.scenario == "bigger-smb"
    # a shared key reaches every segment that does not override it: MQL rate 50% for all
    shared = _plan(THREE, sets=("stages.MQL.rate=50%",))
    assert [p.plan.stages[2].rate for p in shared.segments] == [Decimal("0.5")] * 3


def test_segment_flag_plans_one_segment_with_sets_inside_it() -> None:
    """--segment plans one segment; with it, --set keys are the segment's own."""
    file = loader.read_bytes(THREE, source="g.yaml")
    alone = plan_for(file, None, (), "smb")
    assert (alone.name, alone.segment, volumes(alone)) == (
        "Three segments: SMB",
        "SMB",
        [41667, 1250, 500, 125, 25],
    )
    # SMB overrides the leads rate (3%); with --segment, --set sets SMB's own: 2% → 62,500
    changed = plan_for(file, None, ("stages.leads.rate=2%",), "SMB")
    assert changed.stages[0].volume == 62500
    # without --segment the same --set changes the shared rate, which SMB overrides
    company = plan_for(file, None, ("stages.leads.rate=2%",))
    assert company.segments[0].plan.stages[0].volume == 41667
    assert company.segments[1].plan.stages[0].volume == 15000  # ⌈300 ÷ 2%⌉


def test_unknown_segment_is_exit_2_with_a_suggestion(tmp_path: Path) -> None:
    """--segment with a typo names the flag and suggests the segment."""
    result = run_cli("plan", str(write(tmp_path, THREE)), "--segment", "Enterprize")
    assert result.exit_code == 2
    assert "--segment: no segment is named 'Enterprize'; did you mean 'Enterprise'?" in (
        result.stderr
    )
    plain = run_cli("plan", str(EXAMPLES / "goals.yaml"), "--segment", "SMB")
    assert plain.exit_code == 2
    assert "has no segments" in plain.stderr


def test_set_of_an_unknown_segment_is_located() -> None:
    """--set segments.SBM.share names the flag, with a did-you-mean."""
    with pytest.raises(InputError) as caught:
        _plan(THREE, sets=("segments.SBM.deal_size=1",))
    assert "no segment is named 'SBM'; did you mean 'SMB'?" in str(caught.value.problems[0])


def test_a_set_that_breaks_the_shares_is_located_at_the_flag() -> None:
    """Shares adding up to 110% after --set are reported at --set."""
    with pytest.raises(InputError) as caught:
        _plan(THREE, sets=("segments.SMB.share=60%",))
    assert "the shares add up to 110%, not 100%" in str(caught.value.problems[0])


def test_commands_that_plan_one_funnel_ask_for_a_segment() -> None:
    """simulate, levers, solve and project need --segment on a segmented file."""
    result = run_cli("levers", str(SEGMENTS))
    assert result.exit_code == 2
    assert "choose a segment with --segment NAME" in result.stderr
    assert run_cli("levers", str(SEGMENTS), "--segment", "SMB").exit_code == 0
    project = run_cli("project", str(SEGMENTS), "--segment", "SMB", "--from", "MQL=100")
    assert project.exit_code == 0


def test_check_applies_company_limits_to_the_roll_up_and_segment_limits_to_segments(
    tmp_path: Path,
) -> None:
    """visitors 60,387 > 60,000 on the roll-up; Enterprise's SQL 10 > 9 on its own plan."""
    result = run_cli("check", str(write(tmp_path, THREE)), "-f", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)["limits"]
    assert [(r["segment"], r["stage"], r["needed"], r["holds"]) for r in rows] == [
        (None, "visitors", 60387, False),
        ("Enterprise", "SQL", 10, False),
    ]
    alone = run_cli("check", str(write(tmp_path, THREE)), "--segment", "Mid-market")
    assert alone.exit_code == 0


def test_compare_rolls_up_each_scenario(tmp_path: Path) -> None:
    """compare puts the base roll-up beside the scenario's."""
    result = run_cli("compare", str(write(tmp_path, THREE)), "-f", "json")
    assert result.exit_code == 0
    plans = json.loads(result.stdout)["scenarios"]
    # bigger-smb: SMB visitors 33,334 instead of 41,667 → 60,387 − 8,333 = 52,054
    assert [p["stages"][0]["volume"] for p in plans] == [60387, 52054]


def test_schedule_of_the_roll_up_adds_the_segments_period_by_period() -> None:
    """plan --by month: each month of the roll-up is the sum of the segments' months."""
    file = loader.read(SEGMENTS)
    rolled = schedule_for(file, plan_for(file, None), "month", None, [])
    totals = [0] * 5
    for part in rolled.plan.segments:
        alone = schedule_for(
            file, plan_for(file, None, (), part.name), "month", None, [], segment=part.name
        )
        for bucket in alone.buckets:
            match = next(b for b in rolled.buckets if b.start == bucket.start)
            assert all(m >= v for m, v in zip(match.volumes, bucket.volumes, strict=True))
        for bucket in alone.in_period:
            totals = [t + v for t, v in zip(totals, bucket.volumes, strict=True)]
    in_period = [sum(b.volumes[i] for b in rolled.in_period) for i in range(5)]
    assert in_period == totals


def test_sweep_of_the_roll_up_is_what_plan_set_gives() -> None:
    """Each cell of a segmented sweep is the roll-up `plan --set` gives."""
    result = run_cli(
        "sweep", str(SEGMENTS), "--vary", "segments.SMB.deal_size=10000..14000/2000", "-f", "json"
    )
    assert result.exit_code == 0
    cells = json.loads(result.stdout)["volumes"]
    for value, cell in zip((10000, 12000, 14000), cells, strict=True):
        planned = json.loads(
            run_cli(
                "plan", str(SEGMENTS), "--set", f"segments.SMB.deal_size={value}", "-f", "json"
            ).stdout
        )
        assert cell == planned["stages"][0]["volume"]


def test_every_format_lays_out_a_segmented_plan() -> None:
    """Table, CSV, Markdown, HTML and SVG all carry the roll-up."""
    for output_format in ("table", "csv", "markdown", "html", "svg"):
        result = run_cli("plan", str(SEGMENTS), "-f", output_format)
        assert (result.exit_code, result.stderr) == (0, "")
        assert "4,651" in result.stdout or "4651" in result.stdout


# -- properties ------------------------------------------------------------------------------

rates = st.integers(min_value=1, max_value=1000).map(lambda n: f"{Decimal(n).scaleb(-1)}%")


@st.composite
def segmented(draw: st.DrawFn) -> str:
    """A funnel of 2–5 stages and 1–4 segments with shares adding up to 100% (in tenths of a
    percent), each maybe overriding the deal size and a rate."""
    count = draw(st.integers(min_value=2, max_value=5))
    revenue = draw(st.integers(min_value=1, max_value=10**9))
    deal = draw(st.integers(min_value=1, max_value=10**6))
    lines = [f"target: {{revenue: {revenue}}}\ndeal_size: {deal}\nstages:\n  - {{name: s0}}\n"]
    lines += [f"  - {{name: s{i}, rate: {draw(rates)}}}\n" for i in range(1, count)]
    parts = draw(st.integers(min_value=1, max_value=4))
    cuts = sorted(
        draw(st.lists(st.integers(1, 999), min_size=parts - 1, max_size=parts - 1, unique=True))
    )
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 1000], strict=True)]
    lines.append("segments:\n")
    for index, share in enumerate(shares):
        lines.append(f"  seg{index}:\n    share: {Decimal(share).scaleb(-1)}%\n")
        if draw(st.booleans()):
            lines.append(f"    deal_size: {draw(st.integers(1, 10**6))}\n")
        if draw(st.booleans()):
            stage = draw(st.integers(1, count - 1))
            lines.append(f"    stages:\n      s{stage}: {{rate: {draw(rates)}}}\n")
    return "".join(lines)


@given(segmented())
def test_the_roll_up_is_the_sum_of_the_segment_plans(text: str) -> None:
    """Every stage of the roll-up, its revenue and its clients are the segments' sums."""
    plan = _plan(text)
    for index, stage in enumerate(plan.stages):
        assert stage.volume == sum(part.plan.stages[index].volume for part in plan.segments)
    assert plan.revenue == sum(part.plan.revenue or 0 for part in plan.segments)
    assert plan.clients == sum(part.plan.clients for part in plan.segments)
    # each segment's target is exactly the company target × its share
    company = loader.read_bytes(text, source="g.yaml").base.target.revenue
    assert company is not None
    for part in plan.segments:
        assert part.share is not None
        assert part.plan.target_revenue == company * part.share
        assert part.plan.clients == math.ceil(
            Fraction(company * part.share) / Fraction(part.plan.deal_size or 1)
        )


@given(st.integers(1, 10**9), st.integers(1, 10**6), st.lists(rates, min_size=1, max_size=5))
def test_a_segment_with_the_whole_share_is_the_plain_plan(
    revenue: int, deal: int, stage_rates: list[str]
) -> None:
    """One segment at 100% and no overrides plans exactly as the file without segments."""
    plain = f"target: {{revenue: {revenue}}}\ndeal_size: {deal}\nstages:\n  - {{name: top}}\n"
    plain += "".join(f"  - {{name: s{i}, rate: {r}}}\n" for i, r in enumerate(stage_rates))
    plain += "fixed_costs: {tools: 100}\n"
    whole = plain + "segments:\n  all: {share: 100%}\n"
    alone = solve(loader.parse(plain))
    rolled = _plan(whole)
    assert volumes(rolled) == volumes(alone)
    assert volumes(rolled.segments[0].plan) == volumes(alone)
    assert (rolled.revenue, rolled.clients) == (alone.revenue, alone.clients)
    assert rolled.budget_total == alone.budget_total


def test_simulate_adds_the_segments_run_by_run() -> None:
    """Without ranges every run is the plan: the roll-up's percentiles are its volumes, and a
    capacity of exactly the plan holds in every run, one less in none."""
    result = run_cli("simulate", str(SEGMENTS), "--runs", "200", "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [s["p10"] for s in document["stages"]] == [4651, 1395, 558, 316, 89]
    assert [s["p90"] for s in document["stages"]] == [4651, 1395, 558, 316, 89]
    assert document["successes"] == 200  # the company limits (SQL 600, budget 15%) hold
    tight = run_cli("simulate", str(SEGMENTS), "--runs", "50", "--given", "SQL=557", "-f", "json")
    assert json.loads(tight.stdout)["successes"] == 0


def test_simulate_draws_each_segment() -> None:
    """A range in one segment spreads the roll-up; its P10 ≤ plan-ish ≤ P90 and a segment can be
    simulated alone."""
    text = SEGMENTS.read_text(encoding="utf-8").replace(
        "    deal_size: 12000\n", "    deal_size: {low: 9000, high: 15000, likely: 12000}\n"
    )
    file = loader.read_bytes(text, source="g.yaml")
    result = simulate_company(file, runs=2000, seed=7, given=[])
    won = result.stages[-1]
    # SMB needs ⌈800,000 ÷ 15,000⌉ = 54 to ⌈800,000 ÷ 9,000⌉ = 89 won; the others 18 + 4
    assert 54 + 22 <= won.p10 <= won.p50 <= won.p90 <= 89 + 22
    assert won.p10 < won.p90


def test_track_counts_the_rows_of_the_segment_tracked(tmp_path: Path) -> None:
    """Rows of other segments are skipped; rows naming no segment count for the one tracked."""
    actuals = write(
        tmp_path,
        "period,stage,count,segment\n"
        "2027-01,inquiries,260,SMB\n"
        "2027-01,MQL,78,smb\n"
        "2027-01,inquiries,100,Mid-market\n"
        "2027-02,inquiries,250,\n",
        "actuals.csv",
    )
    args = ("track", str(SEGMENTS), "--actuals", str(actuals), "--as-of", "2027-02-28")
    result = run_cli(*args, "--segment", "SMB", "-f", "json")
    assert result.exit_code in (0, 1)
    stages = {s["name"]: s["actual"] for s in json.loads(result.stdout)["stages"]}
    # inquiries 260 (SMB) + 250 (no segment) = 510; Mid-market's 100 skipped; MQL 78
    assert (stages["inquiries"], stages["MQL"]) == (510, 78)
    mid = run_cli(*args, "--segment", "Mid-market", "-f", "json")
    mid_stages = {s["name"]: s["actual"] for s in json.loads(mid.stdout)["stages"]}
    assert (mid_stages["inquiries"], mid_stages["MQL"]) == (350, 0)  # 100 + 250


def test_track_names_an_unknown_segment_in_actuals(tmp_path: Path) -> None:
    """A row's segment must be one of the file's; a plain goals file has none."""
    actuals = write(tmp_path, "period,stage,count,segment\n2027-01,MQL,5,SMBB\n", "actuals.csv")
    result = run_cli(
        "track", str(SEGMENTS), "--actuals", str(actuals), "--as-of", "2027-02-28", "-s", "x"
    )
    assert result.exit_code == 2
    result = run_cli(
        "track",
        str(SEGMENTS),
        "--actuals",
        str(actuals),
        "--as-of",
        "2027-02-28",
        "--segment",
        "SMB",
    )
    assert result.exit_code == 2
    assert "actuals.csv:2: segment: no segment is named 'SMBB'; did you mean 'SMB'?" in (
        result.stderr
    )
    plain = run_cli(
        "track",
        str(EXAMPLES / "monthly-plan.yaml"),
        "--actuals",
        str(actuals),
        "--as-of",
        "2027-02-28",
    )
    assert plain.exit_code == 2
    assert "the goals file has no segments" in plain.stderr


def test_track_of_the_roll_up_adds_up_the_segments(tmp_path: Path) -> None:
    """Without --segment, every row names its segment; the company's actual and planned to date
    are the segments' sums, each segment compared from the same first day."""
    actuals = write(
        tmp_path,
        "period,stage,count,segment\n"
        "2027-01,inquiries,260,SMB\n"
        "2027-02,MQL,78,SMB\n"
        "2027-01,inquiries,100,Mid-market\n"
        "2027-01,inquiries,30,Enterprise\n",
        "actuals.csv",
    )
    args = ("track", str(SEGMENTS), "--actuals", str(actuals), "--as-of", "2027-02-28", "-f")
    company = json.loads(run_cli(*args, "json").stdout)
    parts = [
        json.loads(run_cli(*args, "json", "--segment", name).stdout)
        for name in ("SMB", "Mid-market", "Enterprise")
    ]
    for index, stage in enumerate(company["stages"]):
        assert stage["actual"] == sum(p["stages"][index]["actual"] for p in parts)
        assert stage["planned"] == sum(p["stages"][index]["planned"] for p in parts)
    assert company["stages"][0]["actual"] == 390  # 260 + 100 + 30
    unnamed = write(tmp_path, "period,stage,count\n2027-01,MQL,5\n", "unnamed.csv")
    result = run_cli("track", str(SEGMENTS), "--actuals", str(unnamed), "--as-of", "2027-02-28")
    assert result.exit_code == 2
    assert "name the row's segment to track the company" in result.stderr


def test_the_roll_up_reads_its_actuals_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three segments tracked as a company split the file once (a 16 MiB CSV read three times
    took 2.5 s), and each segment still counts only its own rows."""
    from funnelcalc import actuals, actuals_csv  # noqa: PLC0415 - the reader counted here

    calls: list[int] = []
    real = actuals_csv.read_csv

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(actuals, "read_csv", counted)
    rows = "2027-01,inquiries,260,SMB\n2027-01,inquiries,100,Mid-market\n"
    path = write(tmp_path, "period,stage,count,segment\n" + rows, "actuals.csv")
    args = ("track", str(SEGMENTS), "--actuals", str(path), "--as-of", "2027-02-28", "-f", "json")
    company = json.loads(run_cli(*args).stdout)
    assert calls == [1]
    assert company["stages"][0]["actual"] == 360  # 260 SMB + 100 Mid-market, Enterprise none


def test_solve_and_compare_take_a_segment() -> None:
    """solve in SMB: inquiries within 3,000 need an MQL rate of ⌈935 ÷ 3,000⌉ in SMB's terms:
    935 MQL ÷ 3,000 = 31.1666…%, rounded up to 31.1667%."""
    result = run_cli(
        "solve",
        str(SEGMENTS),
        "--segment",
        "SMB",
        "--for",
        "stages.MQL.rate",
        "--given",
        "inquiries=3000",
        "-f",
        "json",
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["smallest"] == Decimal("0.311667")
    assert document["exact"] == {"numerator": 187, "denominator": 600}  # 935 / 3,000
    compared = run_cli("compare", str(SEGMENTS), "--segment", "Enterprise", "-f", "json")
    assert compared.exit_code == 0
    (base,) = json.loads(compared.stdout)["scenarios"]
    assert [s["volume"] for s in base["stages"]] == [334, 100, 40, 20, 4]


def test_segments_whose_periods_differ_cannot_be_rolled_up_by_month(tmp_path: Path) -> None:
    """A segment starting mid-month has months that overlap the others': exit 2, named."""
    text = SEGMENTS.read_text(encoding="utf-8").replace(
        "    share: 35%                  # the shared funnel as it is\n",
        "    share: 35%\n    period: {start: 2027-01-15}\n",
    )
    result = run_cli("plan", str(write(tmp_path, text)), "--by", "month")
    assert result.exit_code == 2
    assert "the segments' periods do not line up" in result.stderr
    alone = run_cli("plan", str(write(tmp_path, text)), "--by", "month", "--segment", "SMB")
    assert alone.exit_code == 0


def test_python_api_plans_a_segmented_file_from_its_path() -> None:
    """plan_file gives the roll-up (or one segment); plan refuses goals with segments."""
    import funnelcalc  # noqa: PLC0415 - the public API as a notebook uses it

    rolled = funnelcalc.plan_file(str(SEGMENTS))
    assert volumes(rolled) == [4651, 1395, 558, 316, 89]
    assert volumes(funnelcalc.plan_file(str(SEGMENTS), segment="Enterprise")) == [
        334,
        100,
        40,
        20,
        4,
    ]
    with pytest.raises(ValueError, match="plan_file"):
        funnelcalc.plan(funnelcalc.load(SEGMENTS))


def test_diff_reads_a_segments_ratios_as_ratios(tmp_path: Path) -> None:
    """diff of a roll-up shows `segments.SMB.roas` and `.coverage` as × like the company's,
    not as money.

    SMB at $12,000 → $15,000: 67 → ⌈800,000 ÷ 15,000⌉ = 54 won, inquiries 3,117 → 2,500
    ($124,680 → $100,000 spent); ROAS = revenue ÷ spend: 804,000 ÷ 124,680 ≈ 6.45× →
    810,000 ÷ 100,000 = 8.1×, moved +1.65×.
    """
    new = write(tmp_path, SEGMENTS.read_text().replace("deal_size: 12000", "deal_size: 15000"))
    result = run_cli("diff", str(SEGMENTS), str(new))
    lines = [line.split() for line in result.stdout.splitlines() if line.strip()]
    rows = {words[0]: words[1:] for words in lines}
    assert rows["segments.SMB.roas"][:3] == ["≈6.45×", "8.1×", "+1.65×"]
    assert rows["roas"][0].endswith("×")
    assert rows["segments.SMB.coverage"][0].endswith("×")


def test_budget_per_unit_of_a_stage_only_some_segments_have(tmp_path: Path) -> None:
    """The roll-up's budget per unit divides the company budget by stages every segment has;
    a stage only some have gets none (the budget pays for the other funnels too).

    Inbound: 20 won, SQL 80, leads 400 × $10 = $4,000. Partner: 10 won, SQL 20, referrals 40,
    no cost. Budget $4,000: SQL $4,000 ÷ 100 = $40, won $4,000 ÷ 30 ≈ $133.33; leads and
    referrals none (was $4,000 ÷ 40 = $100 a referral, which cost nothing).
    """
    text = """\
target: {revenue: 300000}
deal_size: 10000
period: {start: 2027-01-01, months: 6}
stages:
  - {name: leads, cost: 10}
  - {name: SQL, rate: 20%}
  - {name: won, rate: 25%}
segments:
  Inbound:
    target: {revenue: 200000}
  Partner:
    target: {revenue: 100000}
    stages:
      - {name: referrals}
      - {name: SQL, rate: 50%}
      - {name: won, rate: 50%}
"""
    path = write(tmp_path, text)
    for by in ((), ("--by", "month")):
        document = json.loads(run_cli("plan", str(path), *by, "-f", "json").stdout)
        assert document["budget"] == 4000
        per_unit = [(s["name"], s["cost_per_unit"]) for s in document["stages"]]
        assert per_unit == [("leads", None), ("referrals", None), ("SQL", 40), ("won", 133.33)]
    table = run_cli("plan", str(path)).stdout
    rows = [line.split() for line in table.splitlines() if line.startswith(" referrals ")]
    assert rows[1][-1] == "—"  # the money table: referrals, —, —, —


def test_plan_by_month_of_a_roll_up_carries_its_segments() -> None:
    """`plan --by month -f json` of a segmented file has the same `segments` as `plan`: each
    segment's own plan document (SMB's 67 won, mid-market's 18, enterprise's 4)."""
    plain = json.loads(run_cli("plan", str(SEGMENTS), "-f", "json").stdout)
    by_month = json.loads(run_cli("plan", str(SEGMENTS), "--by", "month", "-f", "json").stdout)
    assert [(s["name"], s["plan"]["clients"]) for s in by_month["segments"]] == [
        ("SMB", 67),
        ("Mid-market", 18),
        ("Enterprise", 4),
    ]
    assert by_month["segments"] == plain["segments"]
    assert by_month["stages"] == plain["stages"]
    assert sum(row["stages"]["won"] for row in by_month["schedule"]) == 89


def test_plan_by_month_of_a_roll_up_shows_its_segments() -> None:
    """`plan --by month` of a segmented file reads as `plan` does around its schedule: the
    segments and the roll-up by segment (not a roll-up table of "—" rates), each segment's
    own plan, and the rule that each segment rounds on its own."""
    text = run_cli("plan", str(SEGMENTS), "--by", "month").stdout
    assert "Schedule by month" in text
    assert "Volume every stage must reach, by segment" in text
    assert "Segment Enterprise" in text
    assert "Each segment applies the rounding rule to its own target" in text
    assert "each segment's won come whole" in text


PARTNER_HAS_NO_SQL = """\
target: {revenue: 300000}
deal_size: 10000
stages:
  - {name: leads}
  - {name: SQL, rate: 20%}
  - {name: won, rate: 25%}
segments:
  Inbound:
    target: {revenue: 200000}
  Partner:
    target: {revenue: 100000}
    stages:
      - {name: referrals}
      - {name: won, rate: 50%}
"""


def test_coverage_of_a_stage_only_some_segments_have(tmp_path: Path) -> None:
    """Pipeline coverage of the roll-up divides the pipeline by the targets of the segments
    whose funnels have the stage: Partner has no SQL, so its target is not in the ratio.

    Inbound $200,000: 20 won, SQL 80 × $10,000 = $800,000 of pipeline. Partner $100,000:
    referrals straight to won. SQL coverage = $800,000 ÷ $200,000 = 4× (was ÷ $300,000 ≈ 2.67×);
    won: $300,000 ÷ $300,000 = 1×.
    """
    path = str(write(tmp_path, PARTNER_HAS_NO_SQL))
    document = json.loads(run_cli("plan", path, "-f", "json").stdout)
    assert (document["pipeline_from"], document["pipeline_coverage"]) == ("SQL", 4)
    coverage = {s["name"]: s["coverage"] for s in document["stages"]}
    assert (coverage["SQL"], coverage["won"], coverage["leads"]) == (4, 1, None)


def test_compare_reads_a_roll_ups_coverage_as_plan_does(tmp_path: Path) -> None:
    """compare's roll-up stages carry the same coverage as plan's: SQL $800,000 of pipeline
    over Inbound's $200,000 = 4× (Partner has no SQL)."""
    same = "scenarios:\n  same:\n    set: {deal_size: 10000}\n"
    path = str(write(tmp_path, PARTNER_HAS_NO_SQL + same))
    compared = json.loads(run_cli("compare", path, "-f", "json").stdout)
    for scenario in compared["scenarios"]:
        assert {s["name"]: s["coverage"] for s in scenario["stages"]}["SQL"] == 4


def test_every_segment_command_names_its_segment_in_the_provenance() -> None:
    """`--segment smb` reads as the file spells it, "SMB", in the footer and in JSON."""
    for command in (
        ["levers"],
        ["project", "--from", "inquiries=3000"],
        ["check"],
        ["simulate", "--runs", "50"],
    ):
        text = run_cli(*command, str(SEGMENTS), "--segment", "smb")
        assert "\nSegment: SMB\n" in text.stdout, command
        document = json.loads(
            run_cli(*command, str(SEGMENTS), "--segment", "smb", "-f", "json").stdout
        )
        assert document["provenance"]["segment"] == "SMB", command
    whole = json.loads(run_cli("plan", str(SEGMENTS), "-f", "json").stdout)
    assert "segment" not in whole["provenance"]
