"""Channels as funnels of their own (issue 13, part 1): figures computed by hand from the
definitions, and properties: channel wins and revenue add up to the plan's, a channel's ROAS
uses only its own spend, 1 in N is the top volume ÷ the wins, the channel stage is minimal."""

from __future__ import annotations

import itertools
import json
import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnelcalc import parse, views
from funnelcalc.channels import ChannelPlan, largest_remainder
from funnelcalc.levers import levers
from funnelcalc.loader import read, read_bytes
from funnelcalc.projection import project_from
from funnelcalc.simulate import simulate
from funnelcalc.solver import Plan, solve
from tests.conftest import EXAMPLES, run_cli

THREE = """\
target: {revenue: 1000000}
deal_size: 20000
stages:
  - {name: visitors}
  - {name: leads, rate: 2%}
  - {name: MQL, rate: 40%}
  - {name: SQL, rate: 50%}
  - {name: won, rate: 25%}
sources:
  leads:
    - {name: events, volume: 200, cost: 30000, rates: {MQL: 20%}}
    - {name: paid search, share: 60%, rate: 2.5%, cost: 1.50, rates: {won: 20%}}
    - {name: organic, share: 40%, rate: 1.5%, fixed_cost: 5000, deal_size: 30000}
"""


def by_name(plan: Plan) -> dict[str, ChannelPlan]:
    return {channel.name: channel for channel in plan.channels}


def test_three_channels_by_hand() -> None:
    """Each channel followed at its own rates, whole people rounded down at every stage.

    leads 1,048: 200 fixed, rest 848; paid ⌈60% × 848⌉ = ⌈508.8⌉ = 509, organic ⌈339.2⌉ = 340.
    events 200 → MQL ⌊200 × 20%⌋ = 40 → SQL 20 → won ⌊20 × 25%⌋ = 5       → 5 × $20,000
    paid   509 → ⌊203.6⌋ = 203 → ⌊101.5⌋ = 101 → ⌊101 × 20%⌋ = 20       → 20 × $20,000
    organic 340 → 136 → 68 → ⌊68 × 25%⌋ = 17                              → 17 × $30,000
    $100,000 + $400,000 + $510,000 = $1,010,000 ≥ $1,000,000.
    leads 1,047: organic ⌈338.8⌉ = 339 → 135 → 67 → 16: $100k + $400k + $480k = $980k, short.
    """
    plan = solve(parse(THREE))
    assert [s.volume for s in plan.stages] == [
        20_360 + 22_667,  # ⌈509 ÷ 2.5%⌉ + ⌈340 ÷ 1.5%⌉ = 20,360 + ⌈22,666.67⌉
        1_048,
        40 + 203 + 136,
        20 + 101 + 68,
        5 + 20 + 17,
    ]
    channels = by_name(plan)
    events, paid, organic = channels["events"], channels["paid search"], channels["organic"]
    assert (events.volume, events.wins, events.revenue) == (200, 5, Decimal(100_000))
    assert (paid.volume, paid.wins, paid.revenue) == (509, 20, Decimal(400_000))
    assert (organic.volume, organic.wins, organic.revenue) == (340, 17, Decimal(510_000))
    assert plan.revenue == 1_010_000
    # own spend: paid 20,360 clicks × $1.50 = $30,540; organic its fixed $5,000; events $30,000
    assert paid.spend == Decimal("30540")
    assert organic.spend == 5000
    assert events.spend == 30000
    assert paid.cac == Fraction(30540, 20)  # $1,527
    assert paid.roas == Fraction(400_000, 30_540)  # ≈13.0976×
    assert organic.roas == 102  # $510,000 ÷ $5,000
    assert plan.budget is not None
    assert plan.budget.total == 30_540 + 5_000 + 30_000
    assert plan.stages[0].one_in == Fraction(43_027, 42)


def test_three_channels_in_json_and_the_table() -> None:
    """The channel table and the `channels` key show the same hand-computed figures."""
    document = json.loads(run_cli("plan", "-", "--format", "json", stdin=THREE).stdout)
    rows = {row["name"]: row for row in document["channels"]}
    assert rows["paid search"]["wins"] == 20
    assert rows["paid search"]["roas"] == 13.0976  # 400,000 ÷ 30,540 = 13.09757…
    assert rows["paid search"]["cac"] == 1527
    assert rows["organic"]["deal_size"] == 30000
    assert rows["events"]["attribution"] == "followed"
    assert document["stages"][1]["effective_rate"] == round(1048 / 43027, 6)
    assert document["rate_notes"] == [{"stage": "leads", "rate": 0.02, "sources_of": "leads"}]
    text = run_cli("plan", "-", stdin=THREE).stdout
    assert "Channels of leads" in text
    assert "The rate of leads (2%) is not used" in text


def test_wins_split_by_largest_remainder() -> None:
    """saas-growth: 36 customers split in proportion to 150 / 390 / 260 leads: exact parts
    6.75 / 17.55 / 11.7 → floors 6 / 17 / 11 (34), the 2 left to the largest remainders
    (.75 and .7) → 7 / 17 / 12, at $15,000 each."""
    plan = solve(read(EXAMPLES / "saas-growth.yaml").base)
    assert [(c.name, c.volume, c.wins) for c in plan.channels] == [
        ("referrals", 150, 7),
        ("paid search", 390, 17),
        ("content and SEO", 260, 12),
    ]
    assert [c.revenue for c in plan.channels] == [105_000, 255_000, 180_000]
    assert not any(c.followed for c in plan.channels)


def test_largest_remainder() -> None:
    """Whole parts that add up exactly; ties go to the first listed."""
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert largest_remainder(7, [5, 3, 2]) == [4, 2, 1]  # 3.5, 2.1, 1.4 → 3, 2, 1 + 1 to the first
    assert largest_remainder(0, [2, 3]) == [0, 0]
    assert largest_remainder(5, [0, 0]) == [0, 0]


def test_a_stage_rate_sources_give_is_optional() -> None:
    """Without the stage's own rate, every share source's rate applies: leads = ⌈paid⌉ …"""
    text = THREE.replace("{name: leads, rate: 2%}", "{name: leads}")
    plan = solve(parse(text))
    assert plan.stages[1].rate is None
    assert plan.stages[1].volume == 1_048
    assert plan.rate_notes == ()


def test_channel_levers_and_unused_stage_rate() -> None:
    """levers pulls each source's own rates, and not the stage rate sources make unused."""
    file = read_bytes(THREE, source="three.yaml")
    keys = {lever.key for lever in levers(file).levers}
    assert "sources.leads.paid search.rate" in keys
    assert "sources.leads.paid search.rates.won" in keys
    assert "stages[1].rate" not in keys  # leads' own 2% is used by no one
    assert "stages[2].rate" in keys  # paid and organic convert to MQL at the stage's 40%


def test_solve_for_a_source_rate() -> None:
    """visitors within 40,000: organic draws ⌈340 ÷ 1.5%⌉ = 22,667, leaving 17,333 for paid,
    which must bring 509: r ≥ 509 ÷ 17,333 = 2.93659…%, to a millionth 2.9366%."""
    result = run_cli(
        "solve",
        "-",
        "--for",
        "sources.leads.paid search.rate",
        "--given",
        "visitors=40000",
        "--format",
        "json",
        stdin=THREE,
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert Decimal(str(document["smallest"])) == Decimal("0.029366")
    assert document["plan"]["stages"][0]["volume"] <= 40_000
    assert math.ceil(Fraction(509) / Fraction("0.029365")) + 22_667 > 40_000  # one less fails


def test_project_the_plans_own_top_reaches_its_wins() -> None:
    """Projected through the plan's mix, the plan's own top volume makes the plan's wins."""
    for goals in (parse(THREE), read(EXAMPLES / "saas-growth.yaml").base):
        plan = solve(goals)
        projection = project_from(goals, 0, plan.stages[0].volume)
        assert projection.clients >= plan.clients
        assert projection.revenue is not None
        assert plan.revenue is not None
        assert projection.revenue >= plan.revenue


def test_simulate_without_ranges_is_the_plan() -> None:
    """With channels at their own rates and nothing uncertain, every run is the plan."""
    goals = parse(THREE)
    result = simulate(goals, runs=200, seed=1, capacity={})
    plan = solve(goals)
    assert [s.p50 for s in result.stages] == [s.volume for s in plan.stages]
    assert [s.p90 for s in result.stages] == [s.volume for s in plan.stages]
    assert result.budget is not None
    assert result.budget.p50 == plan.budget_total


def test_three_channel_example_adds_up() -> None:
    """The example with three channels: its channel wins and revenue add up to the plan's."""
    plan = solve(read(EXAMPLES / "channel-mix.yaml").base)
    assert len(plan.channels) == 3
    assert sum(c.wins for c in plan.channels) == plan.clients
    assert sum(c.revenue or 0 for c in plan.channels) == plan.revenue


# --- properties ---------------------------------------------------------------------------

rates = st.integers(min_value=50, max_value=10_000).map(lambda n: Decimal(n).scaleb(-4))


@st.composite
def channel_files(draw: st.DrawFn) -> str:
    """A four-stage funnel whose leads come from up to three channels with their own rates,
    costs and deal sizes, some fixed."""
    count = draw(st.integers(2, 3))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    shares = [b - a for a, b in itertools.pairwise(bounds)]
    if any(share <= 0 for share in shares):
        shares = [100] + [0] * (count - 1)
    lines = []
    for number, share in enumerate(shares):
        if share <= 0:
            continue
        own = []
        for stage in ("MQL", "won"):
            if draw(st.booleans()) or (number, stage) == (0, "won"):  # c0 always has its own
                own.append(f"{stage}: {draw(rates)}")
        extra = f", rates: {{{', '.join(own)}}}" if own else ""
        if draw(st.booleans()):
            extra += f", deal_size: {draw(st.integers(1_000, 90_000))}"
        cost = draw(st.integers(1, 500))
        lines.append(
            f"    - {{name: c{number}, share: {share}%, rate: {draw(rates)}, "
            f"cost: {cost}{extra}}}\n"
        )
    if draw(st.booleans()):
        lines.append(f"    - {{name: fixed, volume: {draw(st.integers(1, 300))}, cost: 900}}\n")
    if draw(st.booleans()):
        head = f"target: {{revenue: {draw(st.integers(1, 10**6))}}}\ndeal_size: 5000\n"
    else:
        head = f"target: {{clients: {draw(st.integers(1, 200))}}}\ndeal_size: 5000\n"
    return (
        head + "stages:\n  - {name: visits}\n  - {name: leads, rate: 5%}\n"
        f"  - {{name: MQL, rate: {draw(rates)}}}\n  - {{name: won, rate: {draw(rates)}}}\n"
        "sources:\n  leads:\n" + "".join(lines)
    )


def _wins(text: str, leads: int) -> tuple[int, Fraction]:
    """The wins and revenue of `leads` split between the file's channels, each converted at its
    own rates (else the stage's), whole people rounded down: from the definitions."""
    goals = parse(text)
    sources = goals.source_list("leads")
    fixed = sum(s.volume or 0 for s in sources if s.share is None)
    rest = max(0, leads - fixed)
    wins, revenue = 0, Fraction(0)
    for source in sources:
        volume = source.volume if source.share is None else math.ceil(rest * Fraction(source.share))
        assert volume is not None
        for stage in goals.stages[2:]:
            own = (source.rates or {}).get(stage.name)
            rate = Fraction(own if own is not None else stage.rate)  # type: ignore[arg-type]
            volume = volume * rate.numerator // rate.denominator
        wins += volume
        revenue += volume * Fraction(source.deal_size or goals.deal_size or 0)  # type: ignore[arg-type]
    return wins, revenue


@settings(max_examples=60, deadline=None)
@given(channel_files())
def test_channel_plans_add_up_and_are_minimal(text: str) -> None:
    """Channel wins and revenue add up to the plan's; the top is Σ the channels' draws; 1 in N
    is top ÷ wins; leads is the smallest volume whose channels reach the target."""
    goals = parse(text)
    plan = solve(goals)
    assert sum(c.wins for c in plan.channels) == plan.clients
    assert sum(c.revenue or 0 for c in plan.channels) == plan.revenue
    assert plan.stages[0].volume == sum(s.upstream or 0 for s in plan.stages[1].sources)
    if plan.clients:
        assert plan.stages[0].one_in == Fraction(plan.stages[0].volume, plan.clients)
    leads = plan.stages[1].volume
    fixed = sum(s.volume or 0 for s in goals.source_list("leads") if s.share is None)
    target_revenue = goals.target.revenue
    wins, revenue = _wins(text, leads)
    short_wins, short_revenue = _wins(text, leads - 1)
    own_deals = any(s.deal_size is not None for s in goals.source_list("leads"))
    if target_revenue is not None and own_deals:
        assert revenue >= target_revenue
        assert leads == fixed or short_revenue < target_revenue
    else:
        needed = goals.target.clients or math.ceil(Fraction(target_revenue or 0) / 5000)
        assert wins >= needed
        assert leads == fixed or short_wins < needed


@settings(max_examples=40, deadline=None)
@given(channel_files(), st.integers(1, 999))
def test_a_channels_roas_uses_only_its_own_spend(text: str, cost: int) -> None:
    """Changing another channel's cost leaves a channel's spend, CAC and ROAS unchanged."""
    plan = solve(parse(text))
    first = plan.channels[0]
    changed = [
        line if "name: c0," in line or "cost:" not in line else _recost(line, cost)
        for line in text.split("\n")
    ]
    again = solve(parse("\n".join(changed)))
    assert [c.wins for c in again.channels] == [c.wins for c in plan.channels]
    assert again.channels[0].spend == first.spend
    assert again.channels[0].roas == first.roas
    assert again.channels[0].cac == first.cac


def _recost(line: str, cost: int) -> str:
    start = line.index("cost: ") + len("cost: ")
    end = start
    while end < len(line) and line[end].isdigit():
        end += 1
    return line[:start] + str(cost) + line[end:]


@settings(max_examples=40, deadline=None)
@given(channel_files())
def test_split_channels_add_up(text: str) -> None:
    """Without their own rates or deal sizes, the plan's wins are split: they still add up."""
    text = re.sub(r", (rates: \{[^}]*\}|deal_size: [0-9]+)", "", text)
    plan = solve(parse(text))
    assert not any(c.followed for c in plan.channels)
    assert sum(c.wins for c in plan.channels) == plan.clients
    assert sum(c.revenue or 0 for c in plan.channels) == plan.revenue
    if plan.clients:
        assert plan.stages[0].one_in == Fraction(plan.stages[0].volume, plan.clients)


def test_pipeline_value_counts_each_channel_at_its_deal_size() -> None:
    """Pipeline value = open opportunities × deal size, each channel's at its own deal size.

    SQL: events 20 + paid 101 at $20,000, organic 68 at $30,000:
    121 × $20,000 + 68 × $30,000 = $2,420,000 + $2,040,000 = $4,460,000; coverage ÷ $1,000,000
    = 4.46× (not 189 × $20,000 = $3,780,000). won: 25 × $20,000 + 17 × $30,000 = $1,010,000, the
    plan's revenue (not 42 × $20,000 = $840,000).
    """
    plan = solve(parse(THREE))
    values = {s.name: s.pipeline_value for s in plan.stages}
    assert values == {
        "visitors": None,
        "leads": None,
        "MQL": None,
        "SQL": Decimal(4_460_000),
        "won": Decimal(1_010_000),
    }
    assert values["won"] == plan.revenue
    assert plan.economics is not None
    assert plan.economics.coverage == Fraction(446, 100)
    assert plan.coverage(plan.stages[3]) == Fraction(446, 100)


def test_the_sources_table_spends_what_the_channel_table_spends() -> None:
    """A source's spend is its whole cost, the same in both tables and in JSON.

    events: a fixed volume whose `cost` is its whole cost: $30,000 (no unit cost).
    paid search: ⌈509 ÷ 2.5%⌉ = 20,360 clicks × $1.50 = $30,540.
    organic: free clicks, its $5,000 retainer: $5,000.
    """
    document = json.loads(run_cli("plan", "-", "--format", "json", stdin=THREE).stdout)
    sources = {row["name"]: row for row in document["stages"][1]["sources"]}
    assert {name: row["spend"] for name, row in sources.items()} == {
        "events": 30000,
        "paid search": 30540,
        "organic": 5000,
    }
    assert sources["events"]["cost"] == 30000  # unchanged: a fixed source's whole cost
    csv_text = run_cli("plan", "-", "--format", "csv", stdin=THREE).stdout
    section = csv_text.split("Sources of leads")[1].split("Channels of leads")[0]
    rows = {line.split(",")[0]: line.split(",")[-1] for line in section.splitlines()[2:] if line}
    assert rows["events"] == "30000"
    assert rows["organic"] == "5000"


def test_the_chart_subtitle_does_not_price_every_win_at_the_plans_deal_size() -> None:
    """Channels with their own deal sizes: 42 won bring $1,010,000 (5 + 20 at $20,000, 17 at
    $30,000), so "42 won at $20,000" (= $840,000) would be false; the subtitle says what
    they bring."""
    chart = views.report(solve(parse(THREE))).charts()[0]
    assert chart.subtitle == "$1,000,000 of new revenue · 42 won bringing $1,010,000"
    assert "at $20,000" not in chart.subtitle


def test_json_rounding_rule_is_the_channel_rule() -> None:
    """The JSON `rounding` says what the table says: with channels the wins are not
    ⌈revenue ÷ deal size⌉ (⌈$1,000,000 ÷ $20,000⌉ = 50, the plan has 42)."""
    document = json.loads(run_cli("plan", "-", "--format", "json", stdin=THREE).stdout)
    assert document["clients"] == 42
    assert "⌈revenue ÷ deal size⌉" not in document["rounding"]
    assert document["rounding"].startswith("Every volume is the smallest whole number")
    assert "leads is the smallest volume whose channels" in document["rounding"]


DEALS = """\
target: {revenue: 100000}
deal_size: 10000
stages:
  - {name: visitors}
  - {name: leads, rate: 10%}
  - {name: won, rate: 50%}
sources:
  leads:
    - {name: partner, volume: 2, deal_size: 30000}
    - {name: inbound, share: 100%}
"""


def test_solve_for_the_deal_size_with_channels_at_their_own_deal_sizes() -> None:
    """partner: 2 leads → 1 win at $30,000; inbound must bring the other $70,000 at the plan's
    deal size D. visitors ≤ 100 → inbound leads ≤ ⌊100 × 10%⌋ = 10 → wins ≤ ⌊10 × 50%⌋ = 5, so
    5 × D ≥ 70,000: D ≥ $14,000 (at $13,999.99 five wins bring $69,999.95: a sixth needs 12
    leads, 120 visitors). Was refused as "more than any deal can bring"."""
    run = run_cli(
        "solve", "-", "--for", "deal_size", "--given", "visitors=100", "-f", "json", stdin=DEALS
    )
    assert run.exit_code == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["smallest"] == 14000
    assert [s["volume"] for s in document["plan"]["stages"]] == [100, 12, 6]
    text = run_cli("solve", "-", "--for", "deal_size", "--given", "visitors=100", stdin=DEALS)
    assert "$14,000" in text.stdout
    assert "millionth" not in text.stdout


def test_solve_help_names_the_source_rates() -> None:
    """`solve --for` takes a source's rate: its help says so (it named only stage rates)."""
    text = " ".join(run_cli("solve", "--help").stdout.replace("│", " ").split())
    assert "sources.STAGE.SOURCE.rate" in text


def test_the_channel_example_has_its_unit_economics() -> None:
    """examples/channel-mix.yaml: three channels, a gross margin and a logo churn, worked from
    the definitions in DOMAIN.md (Money)."""
    result = run_cli("plan", str(EXAMPLES / "channel-mix.yaml"), "-f", "json")
    document = json.loads(result.stdout)
    unit = document["unit_economics"]
    # budget: $30,540 paid search clicks + $30,000 event + $5,000 content + $400,000 sales team
    assert document["budget"] == 465_540
    # blended CAC = budget ÷ 42 won = $11,084.2857… (to the cent in JSON)
    assert unit["cac"] == 11_084.29
    assert unit["cac_basis"] == "blended"
    # LTV = ARPA × margin ÷ logo churn = $20,000 × 75% ÷ 12% a year = $125,000
    assert unit["ltv"] == 125_000
    # LTV:CAC = 125,000 ÷ (465,540 ÷ 42) = 5,250,000 ÷ 465,540 = 11.2772…
    assert unit["ltv_cac"] == 11.2772
    # payback = CAC ÷ (monthly ARPA × margin) = 11,084.2857 ÷ (1,666.67 × 75% = 1,250) = 8.867
    assert unit["payback_months"] == 8.87
    # ROI on gross profit = ($1,010,000 × 75% − $465,540) ÷ $465,540 = 291,960 ÷ 465,540
    assert document["gross_roi"] == 0.6271
    # blended ROAS = $1,010,000 ÷ $65,540 of ad spend (the sales team is not ad spend) = 15.41
    assert document["blended_roas"] == 15.4104


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("fixed_cost: {low: 5000, high: -3}", "sources.leads[0].fixed_cost.high: a cost"),
        ("rates: {won: {low: 5%, hgh: 9%}}", "sources.leads[0].rates.won.hgh: unknown key"),
    ],
)
def test_a_range_in_a_source_is_located_by_its_own_keys(value: str, where: str) -> None:
    """No `.range.` (pydantic's tag for a value that may be a range) in the key a message names."""
    text = (
        "target: {clients: 10}\nstages:\n  - {name: visitors}\n  - {name: leads, rate: 10%}\n"
        "  - {name: won, rate: 10%}\nsources:\n  leads:\n"
        f"    - {{name: paid, share: 100%, rate: 2%, {value}}}\n"
    )
    result = run_cli("plan", "-", stdin=text)
    assert result.exit_code == 2
    assert "<stdin>:8:" in result.stderr
    assert where in result.stderr
    assert ".range." not in result.stderr
