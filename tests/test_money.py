"""Money, sources and the baseline: the issue's worked figures, and properties that sources
and netting never leave a target short."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from funnelcalc import parse
from funnelcalc.exact import floor_mul
from funnelcalc.model import Source
from funnelcalc.solver import solve
from funnelcalc.sources import allocate
from tests.conftest import EXAMPLES, WriteGoals, run_cli

CLICKS = """\
target:
  revenue: 50000
deal_size: 500
stages:
  - name: visits
    cost: 0.50
  - name: leads
    rate: 2%
  - name: sales
    rate: 10%
"""


def test_cost_per_click_example() -> None:
    """$50,000 at $500 a sale, 10% lead → sale, 2% visit → lead, $0.50 a click: 50,000
    visits and a $25,000 budget; CAC $250, ROI 100%, ROAS 2."""
    plan = solve(parse(CLICKS))
    assert [s.volume for s in plan.stages] == [50000, 1000, 100]
    assert plan.budget is not None
    assert plan.budget.total == Decimal(25000)
    assert plan.stages[0].spend == Decimal(25000)
    document = json.loads(run_cli("plan", "-", "-f", "json", stdin=CLICKS).stdout)
    assert (document["budget"], document["cac"], document["roi"], document["roas"]) == (
        25000,
        250,
        1,
        2,
    )
    assert document["budget_share"] == 0.5
    assert [s["spend"] for s in document["stages"]] == [25000, None, None]
    assert [s["cost_per_unit"] for s in document["stages"]] == [0.5, 25, 250]


def test_budget_limit_gives_the_most_per_unit() -> None:
    """At 10% of a $10,000 deal per win and 10 MQLs per win: at most $100 per MQL."""
    text = (
        "target: {revenue: 100000}\ndeal_size: 10000\nstages:\n"
        "  - {name: MQL, cost: 150}\n  - {name: won, rate: 10%}\nlimits:\n  budget: 10%\n"
    )
    plan = solve(parse(text))
    assert plan.budget is not None
    assert plan.budget.limit == Decimal(10000)
    assert plan.stages[0].max_cost == Decimal(100)
    assert plan.budget.over_limit
    assert not plan.limits_hold
    check = run_cli("check", "-", "-f", "json", stdin=text)
    assert check.exit_code == 1
    (budget,) = json.loads(check.stdout)["limits"]
    assert (budget["stage"], budget["limit"], budget["needed"]) == ("budget", 10000, 15000)


def test_most_per_unit_rounds_down_to_the_cent() -> None:
    """$1,000 over 3 units is $333.33 a unit: rounding up would break the limit."""
    text = (
        "target: {clients: 1}\nstages:\n  - {name: calls, cost: 1}\n"
        "  - {name: won, rate: 34%}\nlimits:\n  budget: 1000\n"
    )
    plan = solve(parse(text))
    assert plan.stages[0].volume == 3
    assert plan.stages[0].max_cost == Decimal("333.33")


def test_fixed_costs_join_the_budget() -> None:
    """fixed_costs are added to what the stages spend."""
    plan = solve(parse(CLICKS + "fixed_costs:\n  tools: 1200.50\n  events: 3000\n"))
    assert plan.budget is not None
    assert plan.budget.fixed == Decimal("4200.50")
    assert plan.budget.total == Decimal("29200.50")


def test_sources_net_out_fixed_and_split_the_rest() -> None:
    """100 referrals first; 60/40 of the rest at their own rates and costs."""
    text = CLICKS + (
        "sources:\n  leads:\n    - {name: referrals, volume: 100}\n"
        "    - {name: paid, share: 60%, rate: 3%, cost: 1.20}\n"
        "    - {name: organic, share: 40%}\n"
    )
    plan = solve(parse(text))
    referrals, paid, organic = plan.stages[1].sources
    assert (referrals.target, paid.target, organic.target) == (100, 540, 360)
    assert paid.upstream == 18000  # 540 ÷ 3%
    assert organic.upstream == 18000  # 360 ÷ 2%, the stage's own rate
    assert plan.stages[0].volume == 36000
    assert plan.stages[0].spend == Decimal("30600.00")  # 18,000 × $1.20 + 18,000 × $0.50


def test_sales_generated_sqls_work_the_same_way() -> None:
    """Sources can feed any stage: here SQLs, partly sourced by sales themselves."""
    text = (
        "target: {clients: 10}\nstages:\n  - {name: MQL}\n  - {name: SQL, rate: 25%}\n"
        "  - {name: won, rate: 20%}\nsources:\n  SQL:\n    - {name: sales-generated, volume: 20}\n"
        "    - {name: marketing, share: 100%}\n"
    )
    plan = solve(parse(text))
    assert [s.volume for s in plan.stages] == [120, 50, 10]


def test_fixed_sources_that_cover_everything_need_nothing_above() -> None:
    """When fixed contributions exceed the need, the shares and the stages above are 0."""
    text = CLICKS + (
        "sources:\n  leads:\n    - {name: referrals, volume: 5000}\n"
        "    - {name: paid, share: 100%}\n"
    )
    plan = solve(parse(text))
    assert plan.stages[0].volume == 0
    assert [s.target for s in plan.stages[1].sources] == [5000, 0]


def test_baseline_derivation() -> None:
    """$2.4M recurring, 8% churn, 6% expansion, 20% growth: $528,000 of new revenue, 36 deals."""
    plan = solve(parse((EXAMPLES / "saas-growth.yaml").read_bytes()))
    derivation = plan.baseline
    assert derivation is not None
    assert derivation.churned == Decimal(192000)
    assert derivation.expanded == Decimal(144000)
    assert derivation.existing == Decimal(2352000)
    assert derivation.total == Decimal(2880000)
    assert derivation.new_revenue == Decimal(528000)
    # customers to replace come from logo churn, not revenue churn: ⌈160 × 10%⌉ = 16
    assert derivation.churned_customers == 16
    assert plan.target_revenue == Decimal(528000)
    assert plan.clients == 36


def test_baseline_with_a_total_target_and_nothing_new_to_win() -> None:
    """A total target the existing customers already reach needs no new clients."""
    text = (
        "baseline: {revenue: 100000, expansion: 10%}\ntarget: {revenue: 105000}\n"
        "deal_size: 1000\nstages:\n  - {name: leads}\n  - {name: won, rate: 10%}\n"
    )
    plan = solve(parse(text))
    assert plan.baseline is not None
    assert plan.baseline.new_revenue == 0
    assert [s.volume for s in plan.stages] == [0, 0]


def test_baseline_lines_in_the_table() -> None:
    """The derivation is shown line by line above the funnel."""
    text = run_cli("plan", str(EXAMPLES / "saas-growth.yaml")).stdout
    for line in (
        "Baseline revenue           $2,400,000",
        "− revenue churn 8%         −$192,000",
        "Customers to replace       16 of 160 (logo churn 10%)",
        "+ expansion 6%             +$144,000",
        "= from existing customers  $2,352,000",
        "New revenue to win         $528,000",
    ):
        assert line in text


def test_pipeline_value_and_coverage() -> None:
    """Each stage's volume × deal size and its coverage of the target, from the stage above
    the last down (never the top stage): 1,000 leads × $500 = $500,000, 10× $50,000."""
    plan = solve(parse(CLICKS))
    assert [s.pipeline_value for s in plan.stages] == [None, 500000, 50000]
    assert [plan.coverage(s) for s in plan.stages] == [None, 10, 1]


def test_money_in_compare_check_and_sweep() -> None:
    """Budget and CAC rows in compare; the budget limit in check; budget in sweep."""
    saas = str(EXAMPLES / "saas-growth.yaml")
    table = run_cli("compare", saas).stdout
    assert "$109,965.80 (−$9,360, ≈−7.8%)" in table
    assert "CAC" in table
    check = json.loads(run_cli("check", saas, "--all-scenarios", "-f", "json").stdout)
    budgets = [i for i in check["limits"] if i["stage"] == "budget"]
    assert [b["limit"] for b in budgets] == [135000, 135000, 132000]
    sweep = run_cli(
        "sweep",
        "-",
        "--vary",
        "stages.visits.cost=0.3..0.6/0.1",
        "--show",
        "budget",
        "-f",
        "json",
        stdin=CLICKS,
    )
    assert json.loads(sweep.stdout)["volumes"] == [15000, 20000, 25000, 30000]


def test_show_budget_needs_costs() -> None:
    """--show budget on a file without costs is a clear error."""
    result = run_cli(
        "sweep", str(EXAMPLES / "goals.yaml"), "--vary", "deal_size=1..2/1", "--show", "budget"
    )
    assert result.exit_code == 2
    assert result.stderr == "--show: the file names no cost: there is no budget\n"


def test_money_in_csv_and_markdown(write_goals: WriteGoals) -> None:
    """CSV gains a money table (cost, spend, max_cost, pipeline_value); Markdown a Money section."""
    path = write_goals(CLICKS + "limits:\n  budget: 30000\n")
    csv_text = run_cli("plan", str(path), "-f", "csv").stdout
    money = csv_text.split("\n\n")[1].splitlines()
    assert money[0] == "money"
    assert money[1] == "stage,cost,spend,budget_per_unit,max_cost,pipeline_value,coverage"
    assert money[2] == "visits,0.5,25000,0.5,0.6,,"  # no pipeline above leads
    markdown = run_cli("plan", str(path), "-f", "markdown").stdout
    assert "### Money" in markdown
    assert "- **Budget:** \\$25,000 (within its limit of \\$30,000)" in markdown


@st.composite
def sourced_stages(draw: st.DrawFn) -> tuple[int, list[Source], Decimal]:
    """A volume to reach and a random list of sources for it."""
    volume = draw(st.integers(min_value=0, max_value=100_000))
    fixed = draw(st.lists(st.integers(min_value=1, max_value=5_000), max_size=3))
    count = draw(st.integers(min_value=1, max_value=5))
    weights = draw(st.lists(st.integers(1, 100), min_size=count, max_size=count))
    shares = [Fraction(w, sum(weights)) for w in weights]
    # Round shares to 4 places and give the last one the rest, so they add to exactly 100%.
    written = [Decimal(int(s * 10_000)).scaleb(-4) for s in shares[:-1]]
    written.append(Decimal(1) - sum(written, Decimal(0)))
    rates = [
        draw(st.none() | st.integers(1, 10_000).map(lambda n: Decimal(n).scaleb(-4)))
        for _ in written
    ]
    sources = [Source(name=f"fixed{i}", volume=v) for i, v in enumerate(fixed)]
    sources += [
        Source(name=f"share{i}", share=share, rate=rate)
        for i, (share, rate) in enumerate(zip(written, rates, strict=True))
        if share > 0
    ]
    stage_rate = draw(st.integers(1, 10_000).map(lambda n: Decimal(n).scaleb(-4)))
    return volume, sources, stage_rate


@given(sourced_stages())
def test_sources_never_leave_a_target_short(case: tuple[int, list[Source], Decimal]) -> None:
    """Fixed contributions plus share targets reach the volume; every upstream volume,
    converted forward and rounded down, reaches its source's target; nothing is wasted."""
    volume, sources, stage_rate = case
    if not any(s.share for s in sources):
        return
    plans = allocate(volume, sources, stage_rate=stage_rate)
    fixed = sum(p.target for p in plans if p.share is None)
    shared = sum(p.target for p in plans if p.share is not None)
    rest = max(0, volume - fixed)
    assert fixed + shared >= volume
    shares = [p for p in plans if p.share is not None]
    assert shared - rest < len(shares)  # each rounded up once, no more
    for plan in shares:  # each is the fewest whole units that cover its share of the rest
        exact = rest * Fraction(plan.share or 0)
        assert plan.target >= exact > plan.target - 1
    for plan in plans:
        if plan.upstream is None:
            continue
        rate = Fraction(plan.rate or stage_rate)
        assert floor_mul(plan.upstream, rate) >= plan.target
        assert plan.upstream == 0 or floor_mul(plan.upstream - 1, rate) < plan.target


@given(
    st.integers(1, 2_000),
    st.integers(1, 100).map(lambda n: Decimal(n).scaleb(-2)),
    st.integers(1, 99).map(lambda n: Decimal(n).scaleb(-2)),
)
def test_a_sourced_funnel_reaches_its_clients(clients: int, rate: Decimal, share: Decimal) -> None:
    """Converted forward from the planned top, through per-source rates, the clients are won."""
    text = (
        f"target: {{clients: {clients}}}\nstages:\n  - {{name: visits}}\n"
        f"  - {{name: leads, rate: {rate}}}\n  - {{name: won, rate: 0.25}}\n"
        "sources:\n  leads:\n    - {name: events, volume: 7}\n"
        f"    - {{name: paid, share: {share}, rate: 0.03}}\n"
        f"    - {{name: organic, share: {1 - share}}}\n"
    )
    plan = solve(parse(text))
    leads = plan.stages[1]
    reached = sum(s.reaches for s in leads.sources)
    assert reached >= leads.volume
    assert plan.stages[0].volume == sum(s.upstream or 0 for s in leads.sources)
    assert floor_mul(reached, Fraction(1, 4)) >= clients
