"""The goals file as pydantic models: exact Decimal rates and money, unknown keys refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from funnelcalc.fields import (
    Churn,
    Clients,
    Cost,
    CostValue,
    Currency,
    Dates,
    Day,
    Definition,
    Growth,
    LagRange,
    LagValue,
    Limit,
    Margin,
    Money,
    MoneyValue,
    Month,
    Name,
    Per,
    PerCount,
    Range,
    RateValue,
    Share,
    Volume,
    Weekday,
    WeightValue,
    lag_point,
    point,
)
from funnelcalc.keypath import format_key
from funnelcalc.structure import STRUCTURE_ERROR, structure_problems
from funnelcalc.team import Role
from funnelcalc.timevalues import WEEKDAYS


class Stage(BaseModel):
    """One stage of the funnel, top first; `rate` is the share of the stage above."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    rate: RateValue | None = None
    owner: Name | None = None
    definition: Definition | None = None
    cost: CostValue | None = None
    """What one unit of this stage costs: a click, a lead, a meeting."""
    lag: LagValue | None = None
    """Time from the stage above to this one (14d), or a cohort curve of the share of the
    eventual conversions reached by each age ({30d: 30%, 60d: 100%})."""
    daily: bool = False
    """Daily work (leads, calls, emails): schedules also say how many per working day."""
    per: PerCount | None = None
    """Instead of a rate: how many of this stage each unit of the stage above brings (3
    contacts per account). The plan then uses it as the stage's rate (a multiplier)."""

    @model_validator(mode="before")
    @classmethod
    def _rate_or_per(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("per") is not None and data.get("rate") is not None:
            raise PydanticCustomError(
                "rate_or_per", "give a rate (a share) or per (a multiplier), not both"
            )
        return data

    @model_validator(mode="after")
    def _per_as_rate(self) -> Stage:
        if self.per is not None and self.rate is None:
            object.__setattr__(self, "rate", self.per)  # the arithmetic is a rate's
        return self


class Period(BaseModel):
    """When the plan runs: a start and a length, how closes spread, and the working days."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: Day
    months: Volume | None = None
    quarters: Volume | None = None
    weeks: Volume | None = None
    seasonality: list[WeightValue] | None = None
    """How the closes spread: one weight per month (or per quarter), or per week."""
    working_days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS[:5]), min_length=1)
    holidays: list[Day] = Field(default_factory=list)
    continuous: bool = False
    """A going concern: work before the start was done by the previous period at run-rate, and
    the end keeps generating at run-rate for the next one."""
    fiscal_year_start: Month | None = None
    """The month the fiscal year starts in: quarters then read FY28 Q1."""


class Target(BaseModel):
    """What the plan must win: new revenue, or a number of new clients."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revenue: Money | None = None
    """New revenue to win; with a baseline, the total revenue to reach."""
    clients: Clients | None = None
    growth: Growth | None = None
    """With a baseline: the total to reach as growth over the baseline revenue."""


class Source(BaseModel):
    """Where part of a stage's volume comes from (a channel): a fixed volume expected anyway, or
    a share of the rest, with its own rate from the stage above and its own cost per unit of it;
    optionally its own rates to the stages below, a fixed cost and a deal size."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    volume: Volume | None = None
    share: Share | None = None
    rate: RateValue | None = None
    cost: CostValue | None = None
    """A share source: what one unit of the stage above costs for it. A fixed volume: what the
    whole contribution costs (an event's budget)."""
    at: Dates | None = None
    """A fixed volume arrives on these dates (split evenly), else spreads over the period."""
    rates: dict[Name, RateValue] | None = None
    """Its own rates to stages below the one it feeds, by stage name (else the stage's rate)."""
    fixed_cost: CostValue | None = None
    """A share source: a total it costs on top of its unit cost (an agency retainer)."""
    deal_size: MoneyValue | None = None
    """What one of its wins brings, when not the plan's deal size."""

    def rate_to(self, stage: str) -> Decimal | None:
        """Its own rate (at its point) to the stage called `stage`, if it gives one."""
        for key, value in (self.rates or {}).items():
            if key.strip().casefold() == stage.strip().casefold():
                return point(value)
        return None

    @property
    def own_terms(self) -> bool:
        """Whether it converts below its stage at its own rates or wins its own deal size."""
        return bool(self.rates) or self.deal_size is not None


class Baseline(BaseModel):
    """The revenue already recurring, and how it changes over the period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revenue: Money
    churn: Churn = Decimal(0)
    """Revenue churn over the period: the share of the baseline revenue lost (contraction
    included)."""
    expansion: Growth = Decimal(0)
    customers: Volume | None = None
    logo_churn: Churn | None = None
    """Logo churn over the period: the share of the customers lost. Customers to replace come
    from it, never from revenue churn."""


class UnitEconomics(BaseModel):
    """What one customer is worth: revenue per account, gross margin and logo churn, in one
    time unit (`per`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    arpa: Money | None = None
    """Average revenue per account per `per`."""
    per: Per | None = None
    """The time unit of arpa and logo_churn: month or year."""
    margin: Margin | None = None
    """Gross margin: the share of revenue left after the cost of serving it."""
    logo_churn: Churn | None = None
    """The share of customers lost per `per`."""


class Scenario(BaseModel):
    """A named what-if: key paths of the goals file and the values they take instead."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: Definition | None = None
    set: dict[str, Any] = Field(min_length=1)


class Segment(BaseModel):
    """A funnel of its own inside the company plan: its share of the company target (or its own
    target), and any key of the goals file, overriding the shared document's (stages by name, or
    its own list of stages). The merged document is validated as a goals file of its own."""

    model_config = ConfigDict(extra="allow", frozen=True)

    description: Definition | None = None
    share: Share | None = None
    target: Target | None = None


class Goals(BaseModel):
    """A whole goals file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name | None = None
    currency: Currency = "USD"
    target: Target
    deal_size: MoneyValue | None = None
    stages: list[Stage]
    limits: dict[Name, Limit] = Field(default_factory=dict)
    """The most the plan may need of a stage (website traffic, SDR capacity), by stage name,
    or of its `budget`."""
    scenarios: dict[Name, Scenario] = Field(default_factory=dict)
    fixed_costs: dict[Name, Cost] = Field(default_factory=dict)
    """Costs that do not grow with volume (tools, events, salaries), by name."""
    sources: dict[Name, list[Source]] = Field(default_factory=dict)
    """For a stage, by name: where its volume comes from."""
    baseline: Baseline | None = None
    period: Period | None = None
    pipeline: dict[Name, Volume] = Field(default_factory=dict)
    """What is already in flight at the start, by stage name: it converts with the stages'
    rates and lags and reduces what must be generated."""
    pipeline_from: Name | None = None
    """The first opportunity stage: pipeline value and coverage are shown from it down
    (default: the stage above the last)."""
    unit_economics: UnitEconomics | None = None
    team: dict[Name, Role] = Field(default_factory=dict)
    """The sales team by role (SDR, AE): the stage each works, what a ramped head does a
    month, ramp, attrition, hiring lead time and heads today."""
    segments: dict[Name, Segment] = Field(default_factory=dict)
    """Funnels of their own (SMB, enterprise …) whose plans add up to the company's."""

    @property
    def uncertain(self) -> bool:
        """Whether any value is a range: a rate, a cost, the deal size, a source's rate or
        cost, a lag or a seasonality weight."""
        sources = [s for entries in self.sources.values() for s in entries]
        values: list[object] = [
            self.deal_size,
            *(s.rate for s in self.stages),
            *(s.cost for s in self.stages),
            *(s.lag for s in self.stages),
            *(s.rate for s in sources),
            *(s.cost for s in sources),
            *(s.fixed_cost for s in sources),
            *(s.deal_size for s in sources),
            *(rate for s in sources for rate in (s.rates or {}).values()),
            *((self.period.seasonality or []) if self.period else []),
        ]
        return any(isinstance(value, Range | LagRange) for value in values)

    def at_points(self) -> Goals:
        """The goals with every range replaced by its likely value (or midpoint)."""
        if not self.uncertain:
            return self
        stages = [
            stage.model_copy(
                update={
                    "rate": point(stage.rate),
                    "cost": point(stage.cost),
                    "lag": lag_point(stage.lag),
                }
            )
            for stage in self.stages
        ]
        sources = {
            name: [
                s.model_copy(
                    update={
                        "rate": point(s.rate),
                        "cost": point(s.cost),
                        "fixed_cost": point(s.fixed_cost),
                        "deal_size": point(s.deal_size),
                        "rates": (
                            {k: point(v) for k, v in s.rates.items()} if s.rates else s.rates
                        ),
                    }
                )
                for s in entries
            ]
            for name, entries in self.sources.items()
        }
        update: dict[str, Any] = {
            "stages": stages,
            "sources": sources,
            "deal_size": point(self.deal_size),
        }
        if self.period is not None and self.period.seasonality:
            weights = [point(weight) for weight in self.period.seasonality]
            update["period"] = self.period.model_copy(update={"seasonality": weights})
        return self.model_copy(update=update)

    def source_list(self, stage: str) -> list[Source]:
        """The sources that feed the stage called `stage` (ignoring case), if any."""
        for key, entries in self.sources.items():
            if key.casefold() == stage.casefold():
                return entries
        return []

    def stage_index(self, name: str) -> int | None:
        """Where the stage called `name` (ignoring case) stands, top first."""
        folded = name.strip().casefold()
        for index, stage in enumerate(self.stages):
            if stage.name.casefold() == folded:
                return index
        return None

    @model_validator(mode="after")
    def _check_structure(self) -> Goals:
        problems = structure_problems(self.model_dump())
        if problems:
            loc, message = problems[0]
            raise PydanticCustomError(
                STRUCTURE_ERROR, "{key}: {message}", {"key": format_key(loc), "message": message}
            )
        return self
