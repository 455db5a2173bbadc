"""Issue 13, parts 2–4: ratios where they mean something, unit economics, limits with a
direction, and multipliers. Expected values are worked out by hand from DOMAIN.md's
definitions (the arithmetic is in the comments), not copied from the code's output."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from funnelcalc import parse
from funnelcalc.bounds import UNBOUNDED
from funnelcalc.solver import project, solve
from tests.conftest import WriteGoals, run_cli

# won = ⌈600,000 ÷ 12,000⌉ = 50; SQL = ⌈50 ÷ 25%⌉ = 200; leads = ⌈200 ÷ 20%⌉ = 1,000;
# visitors = ⌈1,000 ÷ 5%⌉ = 20,000.
# spend: visitors 20,000 × $2 = $40,000 (ad spend: above SQL); won 50 × $500 = $25,000
# (commission: below the opportunity stage, not ad spend); fixed $10,000.
# budget = 40,000 + 25,000 + 10,000 = $75,000.
PLAN = """\
target: {revenue: 600000}
deal_size: 12000
stages:
  - {name: visitors, cost: 2}
  - {name: leads, rate: 5%}
  - {name: SQL, rate: 20%}
  - {name: won, rate: 25%, cost: 500}
fixed_costs: {tools: 10000}
unit_economics: {arpa: 1000, per: month, margin: 75%, logo_churn: 2%}
"""


def _document(text: str, *args: str) -> dict[str, object]:
    run = run_cli("plan", "-", "-f", "json", *args, stdin=text)
    assert run.exit_code == 0, run.stderr
    document: dict[str, object] = json.loads(run.stdout)
    return document


def test_volumes_and_budget_of_the_worked_plan() -> None:
    """The plan the other cases divide: 20,000 / 1,000 / 200 / 50 and a $75,000 budget."""
    plan = solve(parse(PLAN))
    assert [s.volume for s in plan.stages] == [20000, 1000, 200, 50]
    assert plan.budget is not None
    assert plan.budget.total == Decimal(75000)


def test_pipeline_starts_at_the_stage_above_the_last() -> None:
    """No pipeline for visitors or leads; SQL: 200 × $12,000 = $2,400,000, coverage
    2,400,000 ÷ 600,000 = 4×; won: 50 × 12,000 = 600,000, 1×."""
    plan = solve(parse(PLAN))
    assert [s.pipeline_value for s in plan.stages] == [None, None, 2400000, 600000]
    assert [plan.coverage(s) for s in plan.stages] == [None, None, 4, 1]
    document = _document(PLAN)
    assert document["pipeline_from"] == "SQL"
    assert document["pipeline_coverage"] == 4
    stages = document["stages"]
    assert isinstance(stages, list)
    assert [s["coverage"] for s in stages] == [None, None, 4, 1]


def test_pipeline_from_moves_the_start() -> None:
    """pipeline_from: leads counts leads too: 1,000 × 12,000 ÷ 600,000 = 20×."""
    plan = solve(parse(PLAN + "pipeline_from: leads\n"))
    assert [plan.coverage(s) for s in plan.stages] == [None, 20, 4, 1]
    assert plan.economics is not None
    assert plan.economics.coverage == 20


def test_blended_roas_divides_by_ad_spend_only() -> None:
    """ROAS = 600,000 ÷ 40,000 (visitors' spend) = 15×, not 600,000 ÷ 65,000 (all spend)."""
    plan = solve(parse(PLAN))
    assert plan.economics is not None
    assert plan.economics.ad_spend == Decimal(40000)
    assert plan.economics.blended_roas == 15
    document = _document(PLAN)
    assert (document["blended_roas"], document["roas"], document["ad_spend"]) == (15, 15, 40000)
    text = run_cli("plan", "-", stdin=PLAN).stdout
    assert "Blended ROAS" in text
    assert "15× (all new revenue ÷ $40,000 spent above SQL)" in text


def test_no_ad_spend_no_roas() -> None:
    """With costs only below the opportunity stage (commission), there is no ROAS at all."""
    text = PLAN.replace("{name: visitors, cost: 2}", "{name: visitors}")
    document = _document(text)
    assert document["roas"] is None
    assert document["blended_roas"] is None
    assert document["ad_spend"] is None
    assert "ROAS" not in run_cli("plan", "-", stdin=text).stdout


def test_roi_on_gross_profit_and_revenue_roi() -> None:
    """Gross profit 600,000 × 75% = 450,000; ROI (450,000 − 75,000) ÷ 75,000 = 5 (500%).
    Revenue ROI (600,000 − 75,000) ÷ 75,000 = 7 (700%), labelled as such without a margin."""
    document = _document(PLAN)
    assert (document["gross_profit"], document["gross_roi"]) == (450000, 5)
    assert (document["roi"], document["revenue_roi"]) == (7, 7)
    table = run_cli("plan", "-", stdin=PLAN).stdout
    assert "ROI on gross profit" in table
    assert "500%" in table
    no_margin = PLAN.replace(", margin: 75%", "")
    table = run_cli("plan", "-", stdin=no_margin).stdout
    assert "Revenue ROI" in table
    assert "700%" in table
    assert "no gross margin given" in table
    assert _document(no_margin)["gross_roi"] is None


def test_unit_economics_monthly() -> None:
    """CAC = 75,000 ÷ 50 = 1,500; LTV = 1,000 × 75% ÷ 2% = 37,500; LTV:CAC = 25;
    payback = 1,500 ÷ (1,000 × 75%) = 2 months."""
    plan = solve(parse(PLAN))
    e = plan.economics
    assert e is not None
    assert [e.cac, e.ltv, e.ltv_cac, e.payback_months] == [
        Fraction(n) for n in (1500, 37500, 25, 2)
    ]
    units = _document(PLAN)["unit_economics"]
    assert isinstance(units, dict)
    assert (units["cac"], units["ltv"], units["ltv_cac"], units["payback_months"]) == (
        1500,
        37500,
        25,
        2,
    )
    assert units["cac_basis"] == "blended"


def test_unit_economics_yearly() -> None:
    """ARPA $12,000 a year is $1,000 a month: LTV = 12,000 × 75% ÷ 24% = 37,500 (yearly
    churn with yearly ARPA); payback = 1,500 ÷ (12,000 ÷ 12 × 75%) = 2 months."""
    text = PLAN.replace(
        "{arpa: 1000, per: month, margin: 75%, logo_churn: 2%}",
        "{arpa: 12000, per: year, margin: 75%, logo_churn: 24%}",
    )
    e = solve(parse(text)).economics
    assert e is not None
    assert [e.monthly_arpa, e.ltv, e.payback_months] == [Fraction(n) for n in (1000, 37500, 2)]


def test_payback_that_does_not_end() -> None:
    """ARPA $700 a month at 60% margin, CAC 1,500: 1,500 ÷ 420 = 25/7 ≈ 3.6 months."""
    text = PLAN.replace("arpa: 1000", "arpa: 700").replace("margin: 75%", "margin: 60%")
    e = solve(parse(text)).economics
    assert e is not None
    assert e.payback_months == Fraction(25, 7)
    assert "≈3.6 months" in run_cli("plan", "-", stdin=text).stdout


def test_no_churn_is_unbounded_not_huge() -> None:
    """A logo churn of 0: LTV and LTV:CAC are unbounded, shown and written as such."""
    text = PLAN.replace("logo_churn: 2%", "logo_churn: 0")
    e = solve(parse(text)).economics
    assert e is not None
    assert e.ltv is UNBOUNDED
    assert e.ltv_cac is UNBOUNDED
    units = _document(text)["unit_economics"]
    assert isinstance(units, dict)
    assert (units["ltv"], units["ltv_unbounded"], units["ltv_cac_unbounded"]) == (None, True, True)
    assert "LTV           unbounded" in run_cli("plan", "-", stdin=text).stdout


def test_a_zero_margin_never_pays_back() -> None:
    """Margin 0: nothing is earned back, payback is unbounded ("never")."""
    text = PLAN.replace("margin: 75%", "margin: 0")
    e = solve(parse(text)).economics
    assert e is not None
    assert e.payback_months is UNBOUNDED
    assert "never" in run_cli("plan", "-", stdin=text).stdout


BASELINE = """\
baseline: {revenue: 1000000, churn: 10%, expansion: 15%, customers: 200, logo_churn: 6%}
target: {growth: 20%}
deal_size: 10000
stages:
  - {name: leads}
  - {name: won, rate: 10%}
"""


def test_grr_nrr_and_customers_to_replace() -> None:
    """GRR = (1,000,000 − 100,000) ÷ 1,000,000 = 90%; NRR = (1,000,000 − 100,000 + 150,000)
    ÷ 1,000,000 = 105%; customers to replace ⌈200 × 6%⌉ = 12 (logo churn), not ⌈200 × 10%⌉."""
    plan = solve(parse(BASELINE))
    assert plan.economics is not None
    assert (plan.economics.grr, plan.economics.nrr) == (Fraction(9, 10), Fraction(21, 20))
    assert plan.baseline is not None
    assert plan.baseline.churned_customers == 12
    text = run_cli("plan", "-", stdin=BASELINE).stdout
    assert "Customers to replace       12 of 200 (logo churn 6%)" in text
    assert "GRR  90% over the plan" in text
    assert "NRR  105% over the plan" in text


def test_revenue_churn_alone_names_no_customers() -> None:
    """Without logo churn, revenue churn says nothing of how many customers leave."""
    text = BASELINE.replace(", logo_churn: 6%", "")
    plan = solve(parse(text))
    assert plan.baseline is not None
    assert plan.baseline.churned_customers is None
    assert "to replace" not in run_cli("plan", "-", stdin=text).stdout


# limits: payback 2 > 1.5 (over by 0.5); ltv_cac 25 < 30 (under by 5); coverage 4 within
# [3, 5]; SQL 200 < 250 (under by 50); budget 75,000 ≤ 80,000 (holds, +5,000).
LIMITS = (
    PLAN
    + """\
limits:
  payback_months: 1.5
  ltv_cac: 30
  coverage: {min: 3, max: 5}
  SQL: {min: 250}
  budget: 80000
"""
)


def test_check_gates_ratios_in_both_directions(write_goals: WriteGoals) -> None:
    """Each bound becomes a row with its direction; broken ones fail check with exit 1."""
    path = str(write_goals(LIMITS))
    run = run_cli("check", path, "-f", "json")
    assert run.exit_code == 1
    rows = {(r["stage"], r["bound"]): r for r in json.loads(run.stdout)["limits"]}
    assert list(rows) == [
        ("SQL", "min"),
        ("budget", "max"),
        ("payback_months", "max"),
        ("ltv_cac", "min"),
        ("coverage", "max"),
        ("coverage", "min"),
    ]
    sql = rows[("SQL", "min")]
    assert (sql["limit"], sql["needed"], sql["headroom"], sql["holds"]) == (250, 200, -50, False)
    payback = rows[("payback_months", "max")]
    assert (payback["needed"], payback["headroom"], payback["holds"]) == (2, -0.5, False)
    ltv = rows[("ltv_cac", "min")]
    assert (ltv["needed"], ltv["headroom"], ltv["holds"]) == (25, -5, False)
    assert rows[("coverage", "max")]["headroom"] == 1  # 5 − 4
    assert rows[("coverage", "min")]["headroom"] == 1  # 4 − 3
    assert rows[("budget", "max")]["headroom"] == 5000


def test_check_fails_in_every_format(write_goals: WriteGoals) -> None:
    """table, csv, markdown and github all exit 1 and say which bound broke."""
    path = str(write_goals(LIMITS))
    table = run_cli("check", path)
    assert table.exit_code == 1
    assert "✗ under by 5×" in table.stdout
    assert "3 of 6 limits broken." in table.stdout
    csv = run_cli("check", path, "-f", "csv")
    assert csv.exit_code == 1
    assert "base,payback_months,1.5,2,-0.5,false" in csv.stdout
    markdown = run_cli("check", path, "-f", "markdown")
    assert markdown.exit_code == 1
    assert "ltv\\_cac ≥ | 30× | 25× | −5× | ✗ under by 5×" in markdown.stdout
    github = run_cli("check", path, "-f", "github")
    assert github.exit_code == 1
    assert "ltv_cac is 25× in the base plan: under its minimum of 30× by 5×" in github.stdout
    plan = run_cli("plan", path)
    assert plan.exit_code == 0
    assert "✗ SQL is 200: under its minimum of 250 by 50" in plan.stdout
    assert json.loads(run_cli("plan", path, "-f", "json").stdout)["limits_hold"] is False


def test_limits_that_hold_pass(write_goals: WriteGoals) -> None:
    """payback ≤ 18 and LTV:CAC ≥ 3 hold at 2 months and 25×: exit 0."""
    path = write_goals(PLAN + "limits: {payback_months: 18, ltv_cac: 3, roas: 10}\n")
    run = run_cli("check", str(path))
    assert run.exit_code == 0, run.stdout
    assert "All 3 limits hold." in run.stdout


# per: 3 contacts an account. won 30 → meetings ⌈30 ÷ 20%⌉ = 150 → contacts ⌈150 ÷ 10%⌉
# = 1,500 → accounts ⌈1,500 ÷ 3⌉ = 500; with 31 won: meetings 155, contacts 1,550,
# accounts ⌈1,550 ÷ 3⌉ = 517 (516 × 3 = 1,548 would fall 2 contacts short).
PER = """\
target: {clients: %d}
stages:
  - {name: accounts}
  - {name: contacts, per: 3}
  - {name: meetings, rate: 10%%}
  - {name: won, rate: 20%%}
"""


def test_a_multiplier_rounds_up_like_a_rate() -> None:
    """accounts = ⌈contacts ÷ 3⌉, the fewest that still bring the contacts."""
    assert [s.volume for s in solve(parse(PER % 30)).stages] == [500, 1500, 150, 30]
    assert [s.volume for s in solve(parse(PER % 31)).stages] == [517, 1550, 155, 31]
    document = _document(PER % 30)
    stages = document["stages"]
    assert isinstance(stages, list)
    assert (stages[1]["per"], stages[1]["rate"], stages[0]["lost"]) == (3, 3, None)
    assert "×3 per accounts" in run_cli("plan", "-", stdin=PER % 30).stdout


def test_a_multiplier_in_project_and_solve() -> None:
    """project: 500 accounts → 1,500 contacts → 150 → 30; solve refuses a multiplier."""
    run = run_cli("project", "-", "--from", "accounts=500", "-f", "json", stdin=PER % 30)
    assert [s["volume"] for s in json.loads(run.stdout)["stages"]] == [500, 1500, 150, 30]
    refused = run_cli(
        "solve", "-", "--for", "stages.contacts.rate", "--given", "accounts=400", stdin=PER % 30
    )
    assert refused.exit_code == 2
    assert "is a multiplier" in refused.stderr


@given(
    clients=st.integers(min_value=1, max_value=5000),
    per=st.integers(min_value=2, max_value=9),
    rate=st.integers(min_value=1, max_value=100),
)
def test_a_multiplier_never_leaves_the_target_short(clients: int, per: int, rate: int) -> None:
    """Converted forward (×per, then rounded down at each rate), the top reaches the target,
    and one account fewer does not."""
    text = (
        f"target: {{clients: {clients}}}\nstages:\n  - {{name: accounts}}\n"
        f"  - {{name: contacts, per: {per}}}\n  - {{name: won, rate: {rate}%}}\n"
    )
    plan = solve(parse(text))
    rates = [Fraction(per), Fraction(rate, 100)]
    top = plan.stages[0].volume
    assert project(top, rates)[-1] >= clients
    assert top == 0 or project(top - 1, rates)[-1] < clients


@given(commission=st.integers(min_value=0, max_value=5000))
def test_roas_ignores_costs_below_the_opportunity_stage(commission: int) -> None:
    """A commission on won deals changes CAC and the budget, never the blended ROAS."""
    text = PLAN.replace("cost: 500", f"cost: {commission}")
    e = solve(parse(text)).economics
    assert e is not None
    assert e.blended_roas == 15
    assert e.cac == Fraction(40000 + 50 * commission + 10000, 50)


def test_diff_gates_a_ratio(write_goals: WriteGoals) -> None:
    """Margin 75% → 50%: payback 1,500 ÷ (1,000 × 50%) = 3 months, +1 month (+50%)."""
    old = write_goals(PLAN, "old.yaml")
    new = write_goals(PLAN.replace("margin: 75%", "margin: 50%"), "new.yaml")
    run = run_cli("diff", str(old), str(new), "--fail-if", "payback_months>+40%", "-f", "json")
    assert run.exit_code == 1
    moved = {item["key"]: item for item in json.loads(run.stdout)["figures"]}
    assert (moved["payback_months"]["old"], moved["payback_months"]["new"]) == (2, 3)
    assert (
        "payback_months   2 months   3 months   +1 month "
        in run_cli("diff", str(old), str(new)).stdout
    )


# The PLG plan: 250 paid at €348 a year; paid ← ⌈250 ÷ 25%⌉ = 1,000 activated ←
# ⌈1,000 ÷ 40%⌉ = 2,500 sign-ups ← ⌈2,500 ÷ 5%⌉ = 50,000 visitors at €5.024 = €251,200:
# CAC = 251,200 ÷ 250 = €1,004.80; payback = 1,004.80 ÷ (348 ÷ 12 × 100%) = 1,004.80 ÷ 29
# = 34.648… months, over 18; ROI = (87,000 × 100% − 251,200) ÷ 251,200 = −0.65366… ≈ −65.4%.
PLG = """\
currency: EUR
target: {clients: 250}
deal_size: 348
stages:
  - {name: visitors, cost: 5.024}
  - {name: signups, rate: 5%}
  - {name: activated, rate: 40%}
  - {name: paid, rate: 25%}
unit_economics: {arpa: 348, per: year, margin: 100%, logo_churn: 30%}
limits: {payback_months: 18}
"""


def test_a_plg_plan_with_35_months_of_payback_fails_check() -> None:
    """€1,004.80 CAC on €348 ARR: ≈34.6 months of payback breaks an 18-month limit, and a
    plan that loses money shows its ROI with a real minus sign."""
    run = run_cli("check", "-", "-f", "json", stdin=PLG)
    assert run.exit_code == 1
    (gate,) = json.loads(run.stdout)["limits"]
    assert (gate["stage"], gate["needed"], gate["holds"]) == ("payback_months", 34.6483, False)
    document = _document(PLG)
    economics = document["unit_economics"]
    assert isinstance(economics, dict)
    assert economics["cac"] == 1004.8
    assert economics["payback_months"] == 34.65
    text = run_cli("plan", "-", stdin=PLG).stdout
    assert "ROI on gross profit      ≈−65.4%" in text


def test_check_headroom_puts_the_approximation_first() -> None:
    """Headroom of the PLG payback: 18 − 34.648… = −16.648… ≈ −16.6 months, written
    "≈−16.6 months" as every other approximate signed figure ("≈−1.1%"), not "−≈16.6"."""
    text = run_cli("check", "-", stdin=PLG).stdout
    assert "≈−16.6 months" in text
    assert "−≈" not in text


def test_pipeline_value_counts_the_open_pipeline_at_its_stage() -> None:
    """Pipeline value = open opportunities × deal size, the ones already open included.

    won = ⌈600,000 ÷ 12,000⌉ = 50; 40 open SQL bring ⌊40 × 25%⌋ = 10, so 40 are generated:
    SQL = ⌈40 ÷ 25%⌉ = 160 new. Pipeline at SQL = (160 new + 40 open) × $12,000 = $2,400,000;
    coverage = 2,400,000 ÷ 600,000 = 4× (not 160 × $12,000 ÷ $600,000 = 3.2×)."""
    text = (
        "target: {revenue: 600000}\ndeal_size: 12000\nstages:\n  - {name: visitors}\n"
        "  - {name: leads, rate: 5%}\n  - {name: SQL, rate: 20%}\n  - {name: won, rate: 25%}\n"
        "pipeline: {SQL: 40}\n"
    )
    plan = solve(parse(text))
    assert [s.volume for s in plan.stages] == [16_000, 800, 160, 50]
    assert plan.stages[2].pipeline_value == Decimal(2_400_000)
    assert plan.economics is not None
    assert plan.economics.coverage == 4
    assert plan.stages[3].pipeline_value == Decimal(600_000)  # 50 won, 10 of them from open
    assert _document(text)["pipeline_coverage"] == 4


# Partner-sourced SQLs: 40 at $100,000 in fees, 10 wins at $50,000; inbound: ⌈100 ÷ 50%⌉ = 200
# MQL ← 500 leads ← 25,000 visitors at $1, 100 SQL → 25 wins at $20,000.
PARTNER_SQL = """\
target: {revenue: 1000000}
deal_size: 20000
stages:
  - {name: visitors, cost: 1}
  - {name: leads, rate: 2%}
  - {name: MQL, rate: 40%}
  - {name: SQL, rate: 50%}
  - {name: won, rate: 25%}
sources:
  SQL:
    - {name: partners, volume: 40, deal_size: 50000, cost: 100000}
    - {name: inbound, share: 100%}
"""


def test_blended_roas_counts_the_spend_of_channels_at_the_opportunity_stage() -> None:
    """Blended ROAS = all new revenue ÷ all ad spend: the partners' $500,000 is in the revenue,
    so their $100,000 is in the spend. 1,000,000 ÷ (25,000 clicks + 100,000 partners) = 8×,
    not 1,000,000 ÷ 25,000 = 40× (all revenue over inbound's spend alone)."""
    document = _document(PARTNER_SQL)
    assert document["ad_spend"] == 125000
    assert document["blended_roas"] == 8
    text = run_cli("plan", "-", stdin=PARTNER_SQL).stdout
    assert "Blended ROAS             8× (all new revenue ÷ $125,000" in text
