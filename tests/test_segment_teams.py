"""A team per segment: a segmented file gives each segment its own `team:` (a shared one would
staff every segment at once), `capacity --segment` staffs one, and `check` checks each
segment's team on that segment's plan."""

from __future__ import annotations

import json

from tests.conftest import WriteGoals, run_cli

SEGMENTED = """\
target: {{revenue: 1200000}}
deal_size: 10000
period: {{start: 2027-01-01, months: 12}}
stages:
  - {{name: SQL}}
  - {{name: won, rate: 25%, owner: AE}}
{team}
segments:
  SMB:
    share: 50%
{smb_team}
  Enterprise:
    share: 50%
    deal_size: 60000
"""
# SMB: $600,000 ÷ $10,000 = 60 won a year, 5 a month; Enterprise: $600,000 ÷ $60,000 = 10 won.
SMB_TEAM = """\
    team:
      AE: {productivity: 1, heads: 2, lead_time: 2m}
"""


def test_a_shared_team_is_refused_with_segments(write_goals: WriteGoals) -> None:
    team = "team:\n  AE: {productivity: 1, heads: 2}"
    path = write_goals(SEGMENTED.format(team=team, smb_team=""))
    result = run_cli("plan", str(path))
    assert result.exit_code == 2
    assert "team: with segments, give each segment its own team" in result.stderr


def test_each_segment_team_is_checked_on_its_segment_plan(write_goals: WriteGoals) -> None:
    path = write_goals(SEGMENTED.format(team="", smb_team=SMB_TEAM))
    # 2 AEs at 1 won a month each cannot close SMB's 5 a month; the 3 more must be asked for
    # two months before January, before the plan starts: late, so SMB is short and check fails
    result = run_cli("check", str(path), "-f", "json")
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["passed"] is False
    (role,) = document["capacity"]
    assert (role["segment"], role["role"], role["covered"]) == ("SMB", "AE", False)
    assert [month["period"] for month in role["short"]] == ["2027-01", "2027-02"]
    staffed = run_cli("capacity", str(path), "--segment", "SMB", "-f", "json")
    assert staffed.exit_code == 0, staffed.stderr
    assert json.loads(staffed.stdout)["covered"] is False
    other = run_cli("capacity", str(path), "--segment", "Enterprise")
    assert other.exit_code == 2
    assert "has no team" in other.stderr


def test_capacity_of_a_segment_without_a_team_says_where_its_team_goes(
    write_goals: WriteGoals,
) -> None:
    """Enterprise has no team: the message points at segments.Enterprise.team, not at a
    top-level `team:`, which a segmented file refuses."""
    path = write_goals(SEGMENTED.format(team="", smb_team=SMB_TEAM))
    result = run_cli("capacity", str(path), "--segment", "enterprise")
    assert result.exit_code == 2
    assert "segment Enterprise has no team: give it one (segments.Enterprise.team)" in (
        result.stderr
    )
