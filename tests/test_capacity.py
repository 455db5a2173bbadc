"""Sales capacity (issue 14, part 2): a team worked out by hand, the property that a hire never
counts before its start and ramp, the limits on heads and hires, and check failing when the
team cannot meet the plan."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from funnelcalc.capacity import capacity
from funnelcalc.loader import read_bytes
from funnelcalc.solver import solve
from funnelcalc.staffing import GROWTH, REPLACEMENT, Capacity, Staffing, staff
from funnelcalc.timeline import add_months
from funnelcalc.views.capacity import capacity_chart
from tests.conftest import EXAMPLES, WriteGoals, run_cli
from tests.test_project import code_blocks

# Six flat months of 10 wins (60 clients, no lag); one role, AE, tied to `won` by its owner.
HAND = """\
name: Hand-worked team
target:
  clients: 60
deal_size: 10000
period:
  start: 2027-01-01
  months: 6
stages:
  - name: SQL
  - name: won
    rate: 50%
    owner: AE
team:
  AE:
    quota: 25000
    attainment: 80%
    ramp: [50%]
    attrition: 60%
    lead_time: 1m
    heads: 4
"""


def _capacity(text: str) -> Capacity:
    goals = read_bytes(text, source="goals.yaml").goals()
    return capacity(goals, solve(goals))


def test_hand_worked_team() -> None:
    """Ramp, attrition, lead time and the hiring dates, worked out by hand.

    A ramped AE closes $25,000 ÷ $10,000 × 80% = 2 deals a month; 10 a month need
    ⌈10 ÷ 2⌉ = 5 ramped heads. Ramp [50%]: a hire is at full productivity from its 2nd month,
    so a hire needed ramped in month m starts in m − 1 and its requisition opens a month
    (the lead time) before that. A requisition opened on the plan's first day (2027-01-01)
    fills 2027-02-01 at the earliest.

    Jan: 4 heads × 2 = 8 < 10: short 2 → ⌈2 ÷ 2⌉ = 1 hire, to start 2026-12-01, requisition
         2026-11-01: before the plan starts, so late; it starts 2027-02-01 instead.
         Expected leavers: 4 ramped × 60% ÷ 12 = 0.2.
    Feb: 4 + the new hire at 50% = 4.5 ramped → 9 < 10, short 1 (the planned hire would
         have been ramped). Expected leavers 0.2 + 4 × 0.05 = 0.4 (the hire is ramping).
    Mar: 5 ramped → 10. Expected 0.4 + 5 × 0.05 = 0.65.   Apr: 10. Expected 0.9.
    May: 10. Expected 1.15: ⌊1.15⌋ = 1 head leaves at the end of May, one of the original
         four; its replacement's requisition opens 2027-06-01 (the day it leaves) and it
         starts a month later, 2027-07-01, ramped 2027-08-01.
    Jun: as planned the replacement takes the leaver's place (no second hire), but it has not
         started: 3 original + the Feb hire = 4 ramped → 8, short 2: what attrition costs.
         Expected 1.15 + 4 × 0.05 = 1.35: nobody else leaves.
    """
    (role,) = _capacity(HAND).roles
    assert role.staffing.per_head == 2
    months = [(m.label, m.need, m.heads_needed, m.heads, m.ramped, m.capacity) for m in role.months]
    expected: list[tuple[str, int, int, int, Fraction | int, Fraction | int]] = [
        ("2027-01", 10, 5, 4, 4, 8),
        ("2027-02", 10, 5, 5, Fraction(9, 2), 9),
        ("2027-03", 10, 5, 5, 5, 10),
        ("2027-04", 10, 5, 5, 5, 10),
        ("2027-05", 10, 5, 5, 5, 10),
        ("2027-06", 10, 5, 4, 4, 8),
    ]
    assert months == expected
    moves = [(m.starting, m.opening, m.leaving) for m in role.months]
    # the late requisition counts in the first month (open it at once)
    assert moves == [(0, 1, 0), (1, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 1), (0, 1, 0)]
    assert [m.short for m in role.months] == [2, 1, 0, 0, 0, 2]
    hires = [(h.count, h.reason, h.opens, h.starts, h.ramped, h.late) for h in role.hires]
    assert hires == [
        (1, GROWTH, date(2026, 11, 1), date(2027, 2, 1), date(2027, 3, 1), True),
        (1, REPLACEMENT, date(2027, 6, 1), date(2027, 7, 1), date(2027, 8, 1), False),
    ]


def test_hand_worked_team_through_the_command_line(write_goals: WriteGoals) -> None:
    """capacity --format json carries the same figures; check fails on the short months."""
    path = str(write_goals(HAND + "limits:\n  heads: 4\n  hires: 2\n"))
    document = json.loads(run_cli("capacity", path, "-f", "json").stdout)
    assert (document["covered"], document["heads"], document["hires"], document["late"]) == (
        False,
        5,  # Feb to May: 4 original + the Feb hire
        2,
        1,
    )
    assert document["limits"] == {
        "heads": {"limit": 4, "needed": 5, "holds": False},
        "hires": {"limit": 2, "needed": 2, "holds": True},
    }
    (role,) = document["roles"]
    assert (role["per_head"], role["quota"], role["ramp"]) == (2, 25000, [0.5])
    assert [m["capacity"] for m in role["months"]] == [8, 9, 10, 10, 10, 8]
    assert (role["hires"][0]["opens"], role["hires"][0]["late"]) == ("2026-11-01", True)
    checked = run_cli("check", path, "-f", "json")
    assert checked.exit_code == 1
    verdict = json.loads(checked.stdout)
    assert [(x["stage"], x["holds"]) for x in verdict["limits"]] == [
        ("heads", False),
        ("hires", True),
    ]
    short = [m["period"] for m in verdict["capacity"][0]["short"]]
    assert short == ["2027-01", "2027-02", "2027-06"]


def test_check_passes_when_the_team_covers_the_plan(write_goals: WriteGoals) -> None:
    """Six ramped AEs make 12 a month against 10: nothing to hire, check exits 0."""
    path = str(write_goals(HAND.replace("heads: 4", "heads: 6").replace("60%", "0%")))
    result = run_cli("check", path)
    assert result.exit_code == 0, result.stdout
    assert "The team covers every month." in result.stdout
    assert run_cli("capacity", path).exit_code == 0


def test_no_hire_before_the_plan_can_make_it_means_no_short_month() -> None:
    """With no lead time and no ramp, every shortfall is hired in its own month."""
    (role,) = _capacity(HAND.replace("lead_time: 1m", "lead_time: 0d").replace("[50%]", "[]")).roles
    assert (role.short_months, role.late) == ((), 0)
    assert role.hires[0].starts == date(2027, 1, 1)


def test_owner_links_the_role_to_the_last_stage_it_owns(write_goals: WriteGoals) -> None:
    """An owner carries down to the stages below: SDR owning SAL and SQL works SQL."""
    text = HAND.replace(
        "  - name: SQL\n",
        "  - name: MQL\n  - name: SAL\n    rate: 50%\n    owner: SDR\n"
        "  - name: SQL\n    rate: 50%\n",
    ).replace("team:\n", "team:\n  SDR:\n    productivity: 30\n    heads: 1\n")
    roles = {role.staffing.name: role.staffing.stage for role in _capacity(text).roles}
    assert roles == {"SDR": "SQL", "AE": "won"}


def test_a_file_without_a_team() -> None:
    """capacity says the file has no team (exit 2); check's output does not change."""
    result = run_cli("capacity", str(EXAMPLES / "goals.yaml"))
    assert result.exit_code == 2
    assert "has no team" in result.stderr
    document = json.loads(
        run_cli("check", str(EXAMPLES / "demand-waterfall.yaml"), "-f", "json").stdout
    )
    assert "capacity" not in document


def test_capacity_example_in_every_format() -> None:
    """examples/capacity.yaml: AEs are short until the late hires ramp; html draws the chart."""
    for output_format in ("table", "json", "csv", "markdown", "html"):
        result = run_cli("capacity", str(EXAMPLES / "capacity.yaml"), "-f", output_format)
        assert (result.exit_code, result.stderr) == (0, "")
    page = run_cli("capacity", str(EXAMPLES / "capacity.yaml"), "-f", "html").stdout
    assert 'class="bars"' in page
    assert "AE capacity by month (won)" in page
    assert run_cli("check", str(EXAMPLES / "capacity.yaml")).exit_code == 1


BOUNDS = [add_months(date(2027, 1, 1), k) for k in range(25)]
PLAN_START = date(2027, 1, 1)


@st.composite
def teams(draw: st.DrawFn) -> tuple[Staffing, list[int], bool]:
    """A role (random productivity, ramp, lead time, heads; attrition or none) and needs."""
    months = draw(st.integers(1, 24))
    needs = draw(st.lists(st.integers(0, 60), min_size=months, max_size=months))
    ramp = draw(st.lists(st.integers(0, 100).map(lambda p: Fraction(p, 100)), max_size=5))
    attrition = draw(st.booleans())
    staffing = Staffing(
        "AE",
        "won",
        Fraction(draw(st.integers(1, 40)), draw(st.integers(1, 8))),
        tuple(ramp),
        Fraction(draw(st.integers(0, 100)), 100) if attrition else Fraction(0),
        draw(st.sampled_from((None, "14d", "1m", "2m", "6w", "100d"))),
        draw(st.integers(0, 6)),
    )
    return staffing, needs, attrition


@settings(max_examples=300, deadline=None)
@given(teams())
def test_a_hire_never_counts_before_its_start_and_ramp(
    case: tuple[Staffing, list[int], bool],
) -> None:
    """Capacity in month m is at most per head × (today's heads + Σ hires × ramp[m − start]),
    a hire adding nothing before its start, and exactly that without attrition; a month is
    only short when a hire came late or a head left."""
    staffing, needs, attrition = case
    role = staff(staffing, needs, BOUNDS[: len(needs) + 1], PLAN_START)
    for index, month in enumerate(role.months):
        started = [
            (hire.count, (hire.starts.year - 2027) * 12 + hire.starts.month - 1)
            for hire in role.hires
        ]
        counted = staffing.heads + sum(
            count * staffing.ramp_at(index - start) for count, start in started
        )
        assert month.heads <= staffing.heads + sum(c for c, s in started if s <= index)
        if attrition:
            assert month.capacity <= staffing.per_head * counted
        else:
            assert month.capacity == staffing.per_head * counted
        assert month.heads_needed * staffing.per_head >= month.need
        assert (month.heads_needed - 1) * staffing.per_head < month.need or month.need == 0
    if not role.late and not any(month.leaving for month in role.months):
        assert not role.short_months


def test_readme_capacity_sample_is_real() -> None:
    """The AE table in the README's Sales capacity section is what capacity prints."""
    shown = code_blocks("Sales capacity: team, ramp and hiring")[1].splitlines()
    lines = [
        line.rstrip()
        for line in run_cli("capacity", str(EXAMPLES / "capacity.yaml")).stdout.splitlines()
    ]
    start = lines.index("AE: won by month") + 1
    assert shown == lines[start : start + len(shown)]


def test_a_weekly_plan_is_staffed_by_whole_months() -> None:
    """A weekly plan from 2027-01-15 (no lags, so no work before it): January and April are
    only partly in the plan, planned as whole months and said so; the needs add up to it."""
    text = HAND.replace("months: 6", "weeks: 12").replace("start: 2027-01-01", "start: 2027-01-15")
    result = _capacity(text)
    (role,) = result.roles
    assert [m.label for m in role.months] == ["2027-01", "2027-02", "2027-03", "2027-04"]
    assert sum(m.need for m in role.months) == 60
    # 12 weeks from 2027-01-15 end on 2027-04-08
    assert result.cut == ("2027-01", "2027-04")


def test_scenarios_and_set_reach_the_team(write_goals: WriteGoals) -> None:
    """A scenario (or --set) changes the team: 8 AEs today cover every month with no hire."""
    text = HAND + "scenarios:\n  staffed:\n    set:\n      team.AE.heads: 8\n"
    path = str(write_goals(text))
    staffed = json.loads(run_cli("capacity", path, "--scenario", "staffed", "-f", "json").stdout)
    assert (staffed["scenario"], staffed["covered"]) == ("staffed", True)
    assert staffed["roles"][0]["heads"] == 8
    flagged = json.loads(run_cli("capacity", path, "--set", "team.AE.heads=8", "-f", "json").stdout)
    assert flagged["covered"] is True
    checked = json.loads(run_cli("check", path, "--all-scenarios", "-f", "json").stdout)
    assert [(x["scenario"], x["covered"]) for x in checked["capacity"]] == [
        ("base", False),
        ("staffed", True),
    ]


def test_a_leaver_before_the_plan_starts_is_replaced_late() -> None:
    """A replacement whose requisition would open before the plan starts is late, like a
    growth hire: opened on the plan's first day, it starts a lead time after it.

    Twelve ramped AEs, 100% attrition a year: 12 × 100% ÷ 12 = 1 expected leaver a month.
    The schedule starts in 2026-11 (work before the plan, which starts 2027-01-01).
    Nov: expected 1 → one leaves at the end of Nov; its requisition would open 2026-12-01,
         before the plan: late, opened 2027-01-01, + 1m lead time → starts 2027-02-01.
    Dec: 11 on staff, expected 1 + 11 ÷ 12 ≈ 1.92: nobody leaves.
    Jan: 11 on staff (the replacement has not started), need 10: covered; as planned the
         replacement took the leaver's place, so no growth hire. Expected ≈ 1.92 + 11 ÷ 12
         ≈ 2.83 → one more leaves at the end of Jan: requisition 2027-02-01, in the plan,
         starts 2027-03-01.
    Feb: 11 − 1 + the first replacement = 11; expected ≈ 2.83 + 11 ÷ 12 = 3.75 → a third
         leaves, in the plan's last month: the next plan's to replace.
    """
    staffing = Staffing("AE", "won", Fraction(1), (), Fraction(1), "1m", 12)
    bounds = [add_months(date(2026, 11, 1), m) for m in range(5)]
    role = staff(staffing, [0, 0, 10, 10], bounds, date(2027, 1, 1))
    hires = [(h.count, h.reason, h.opens, h.starts, h.late) for h in role.hires]
    assert hires == [
        (1, REPLACEMENT, date(2026, 12, 1), date(2027, 2, 1), True),
        (1, REPLACEMENT, date(2027, 2, 1), date(2027, 3, 1), False),
    ]
    assert role.late == 1
    assert [m.heads for m in role.months] == [12, 11, 11, 11]
    # the late requisition is opened in the plan's first month, like a late growth hire
    assert [(m.starting, m.opening, m.leaving) for m in role.months] == [
        (0, 0, 1),
        (0, 0, 0),
        (0, 1, 1),
        (1, 1, 1),
    ]


def test_capacity_chart_bars_are_in_proportion_below_one() -> None:
    """A role producing under one a month still gets bars in proportion to its capacity.

    One ramped AE at 0.6 a month, a second hired with ramp [50%] and no lead time for a need
    of 1 in the second month: ⌈(1 − 0.6) ÷ 0.6⌉ = 1 hire, starting in month 1 at 50% (ideal
    start month 1 − 1 = 0, so it starts in month 0 at 50%, ramped in month 1).
    Capacity: month 0 = 0.6 + 0.3 = 0.9, month 1 = 1.2, so the bars are 9 : 12, not 0 : 1.
    """
    staffing = Staffing("AE", "won", Fraction(3, 5), (Fraction(1, 2),), heads=1)
    role = staff(staffing, [0, 1], BOUNDS[:3], PLAN_START)
    assert [m.capacity for m in role.months] == [Fraction(9, 10), Fraction(6, 5)]
    first, second = capacity_chart(role).bars
    assert first.value * 12 == second.value * 9
    assert (first.text, second.text) == ("0.9", "1.2")


RAMP_TEAM = """\
name: AE ramp
target:
  revenue: 1200000
deal_size: 10000
period:
  start: 2027-01-01
  months: 12
stages:
  - name: SQL
  - name: won
    rate: 25%
    owner: AE
team:
  AE:
    quota: 20000
    attainment: 50%
    ramp: [25%, 50%, 75%, 100%]
    attrition: 20%
    lead_time: 60d
    heads: 6
"""


def test_ramp_25_50_75_100_with_attrition_and_a_60_day_lead_time() -> None:
    """Worked by hand. 120 won over 12 flat months: 10 a month; a ramped AE closes
    $20,000 ÷ $10,000 × 50% = 1, so 10 heads are needed and 6 make 6: short 4.

    The ramp is at 100% from the 4th month (the trailing 100% adds no month): 4 hires ramped
    for 2027-01 start 3 months earlier, 2026-10-01, requisition 60 days before: 2026-08-02.
    Late: opened 2027-01-01 + 60 days = 2027-03-02, so they start 2027-04-01 and are ramped
    2027-07-01. Capacity: Jan–Mar 6, Apr 6 + 4 × 25% = 7, May 8, Jun 9, Jul 10.
    Attrition: 6 ramped × 20% ÷ 12 = 0.1 a month, Jan–Jun 0.6; from Jul 10 ramped × 20% ÷ 12
    = 1/6: Jul ≈ 0.77, Aug ≈ 0.93, Sep 1.1 → one leaves at the end of Sep. Its requisition
    opens 2027-10-01, + 60 days = 2027-11-30 → starts 2027-12-01 at 25%, ramped 2028-03-01.
    Oct and Nov 9, Dec 9.25 (expected 1.1 + 9 × 1/60 × 3 = 1.55: nobody else leaves).
    """
    (role,) = _capacity(RAMP_TEAM).roles
    assert [m.capacity for m in role.months] == [
        6,
        6,
        6,
        7,
        8,
        9,
        10,
        10,
        10,
        9,
        9,
        Fraction(37, 4),
    ]
    assert [m.leaving for m in role.months] == [0] * 8 + [1, 0, 0, 0]
    hires = [(h.count, h.reason, h.opens, h.starts, h.ramped, h.late) for h in role.hires]
    assert hires == [
        (4, GROWTH, date(2026, 8, 2), date(2027, 4, 1), date(2027, 7, 1), True),
        (1, REPLACEMENT, date(2027, 10, 1), date(2027, 12, 1), date(2028, 3, 1), False),
    ]
