"""The sales team of a goals file (`team:`): roles such as SDR and AE, each tied to the stage it
produces or works, with what a ramped head does a month, its ramp, attrition and hiring lead
time; and the rules that tie a team to the stages, the period and the limits."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from funnelcalc.errors import did_you_mean
from funnelcalc.fields import Lag, Money, Name
from funnelcalc.keypath import Loc
from funnelcalc.safetext import excerpt
from funnelcalc.values import decimal_of, fail, portion

HEADS = "heads"
"""The key of `limits` that caps the heads on staff in any month (every role together)."""
HIRES = "hires"
"""The key of `limits` that caps the hires over the plan (every role together)."""
TEAM_LIMITS = (HEADS, HIRES)
MAX_RAMP = 36
MAX_HEADS = 100_000


def parse_productivity(value: object) -> Decimal:
    """What one ramped head produces of its stage a month: above 0."""
    amount = decimal_of(value, "productivity")
    if amount <= 0:
        raise fail("productivity_range", "productivity must be above 0")
    return amount


def parse_attainment(value: object) -> Decimal:
    """The share of quota (or productivity) a ramped head is expected to reach: above 0."""
    share = portion(value, "attainment")
    if share <= 0:
        raise fail("portion_range", "attainment must be above 0%")
    return share


def parse_ramp_step(value: object) -> Decimal:
    """A month of ramp: the share of full productivity, 0% to 100%."""
    return portion(value, "a ramp month", most=Decimal(1))


def parse_attrition(value: object) -> Decimal:
    """The share of the ramped heads that leave in a year: 0% to 100%."""
    return portion(value, "attrition", most=Decimal(1))


def parse_heads(value: object) -> int:
    """A number of heads: a whole number, 0 or more."""
    heads = decimal_of(value, "heads")
    if heads != heads.to_integral_value():
        raise fail("count_whole", f"heads must be a whole number, not {heads:f}")
    if heads < 0:
        raise fail("count_range", "heads must not be negative")
    if heads > MAX_HEADS:
        raise fail("count_range", f"heads are at most {MAX_HEADS:,}")
    return int(heads)


_SHARE_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"%\s*$"}]
}
Productivity = Annotated[
    Decimal,
    BeforeValidator(parse_productivity),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0}),
]
Attainment = Annotated[Decimal, BeforeValidator(parse_attainment), WithJsonSchema(_SHARE_SCHEMA)]
RampStep = Annotated[Decimal, BeforeValidator(parse_ramp_step), WithJsonSchema(_SHARE_SCHEMA)]
Attrition = Annotated[Decimal, BeforeValidator(parse_attrition), WithJsonSchema(_SHARE_SCHEMA)]
Heads = Annotated[int, BeforeValidator(parse_heads), WithJsonSchema({"type": "integer"})]


class Role(BaseModel):
    """A role of the sales team: the stage it produces, what a ramped head does a month, how
    new heads ramp, how many leave, how long hiring takes, and how many there are today."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: Name | None = None
    """The stage the role produces or works (default: the last stage of the run of stages
    whose `owner:` names the role)."""
    productivity: Productivity | None = None
    """What one ramped head produces of its stage a month (SQLs, meetings, deals)."""
    quota: Money | None = None
    """Instead of productivity, for the last stage: revenue per ramped head a month (deals =
    quota ÷ deal size, exactly)."""
    attainment: Attainment = Decimal(1)
    """The share of quota (or productivity) a ramped head is expected to reach (the median)."""
    ramp: list[RampStep] = Field(default_factory=list, max_length=MAX_RAMP)
    """The share of full productivity in each month of tenure, first month first; 100% after."""
    attrition: Attrition = Decimal(0)
    """The share of ramped heads that leave in a year; each leaver is replaced."""
    lead_time: Lag | None = None
    """From opening a requisition to the hire's start date: 45d, 8w, 2m."""
    heads: Heads = 0
    """Heads on staff at the start, already ramped."""


def role_stage(stages: list[tuple[str, str | None]], role: Role, name: str) -> int | None:
    """Where the stage `role` works stands: its `stage:`, else the last stage of the first run
    of stages owned by `name` (an owner carries down to the stages below until the next one)."""
    names = [stage.casefold() for stage, _ in stages]
    if role.stage is not None:
        folded = role.stage.strip().casefold()
        return names.index(folded) if folded in names else None
    found: int | None = None
    owner: str | None = None
    for index, (_, written) in enumerate(stages):
        owner = written if written is not None else owner
        mine = owner is not None and owner.strip().casefold() == name.strip().casefold()
        if mine:
            found = index
        elif found is not None:
            break
    return found


def team_problems(data: dict[str, Any], names: list[str]) -> list[tuple[Loc, str]]:
    """A team needs a period; each role a known stage (one role a stage), and either a
    productivity or, on the last stage with a deal size, a quota."""
    team = data.get("team")
    if not isinstance(team, dict) or not team:
        return []
    problems: list[tuple[Loc, str]] = []
    if data.get("period") is None:
        problems.append(
            (("team",), "a team is planned month by month: add `period:` with a start and a length")
        )
    stages = [
        (s["name"].strip(), s.get("owner") if isinstance(s.get("owner"), str) else None)
        for s in data.get("stages") or []
        if isinstance(s, dict) and isinstance(s.get("name"), str)
    ]
    if len(stages) != len(names):
        return problems
    worked: dict[int, str] = {}
    for name, raw in team.items():
        if not isinstance(raw, dict):
            continue
        problems.extend(_role_problems(data, stages, str(name), raw, worked))
    return problems


def _role_problems(
    data: dict[str, Any],
    stages: list[tuple[str, str | None]],
    name: str,
    raw: dict[str, Any],
    worked: dict[int, str],
) -> list[tuple[Loc, str]]:
    at: Loc = ("team", name)
    written = raw.get("stage")
    role = Role.model_construct(stage=written if isinstance(written, str) else None)
    index = role_stage(stages, role, name)
    if index is None:
        if isinstance(written, str):
            hint = did_you_mean(written, [stage for stage, _ in stages])
            return [((*at, "stage"), f"no stage is named '{excerpt(written)}'{hint}")]
        return [
            (
                at,
                f"say which stage {name} works: give `stage:`, or name {name} as a stage's owner",
            )
        ]
    problems: list[tuple[Loc, str]] = []
    stage = stages[index][0]
    if index in worked:
        problems.append((at, f"{stage} is already worked by {worked[index]}: one role a stage"))
    worked[index] = name
    if index == 0:
        problems.append((at, f"{stage} is the top of the funnel: a role works a stage below it"))
    has_quota, has_productivity = raw.get("quota") is not None, raw.get("productivity") is not None
    if has_quota == has_productivity:
        problems.append(
            (
                at,
                f"give productivity ({stage} a ramped head produces a month) or quota (revenue "
                "a month, for the last stage): one of them",
            )
        )
    elif has_quota and index != len(stages) - 1:
        problems.append(
            (
                (*at, "quota"),
                f"a quota in revenue is for the stage that wins deals ({stages[-1][0]}); "
                f"give {stage} a productivity instead",
            )
        )
    elif has_quota and data.get("deal_size") is None:
        problems.append(((*at, "quota"), "a quota in revenue needs deal_size to count deals"))
    return problems


def team_limit_problem(data: dict[str, Any], key: str, known: set[str]) -> str | None:
    """What is wrong with a `heads` or `hires` limit, if anything."""
    folded = key.strip().casefold()
    if folded in known:
        return f"a stage is named {folded} too: rename the stage"
    if not data.get("team") and isinstance(data.get("segments"), dict) and data["segments"]:
        # a segmented file refuses a top-level team, so "add `team:`" would send the user astray
        return (
            f"a limit on {folded} needs a team, and each segment has its own: limit {folded} in "
            f"a segment's `limits:` (segments.NAME.limits.{folded})"
        )
    if not data.get("team"):
        return f"a limit on {folded} needs a team: add `team:` with its roles"
    return None
