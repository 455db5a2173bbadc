"""The goals file as pydantic models: exact Decimal rates and money, unknown keys refused."""

from __future__ import annotations

import functools
import types
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from funnelcalc.errors import did_you_mean
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
    Money,
    MoneyValue,
    Month,
    Name,
    Range,
    RateValue,
    Share,
    Volume,
    Weekday,
    WeightValue,
    lag_point,
    point,
)
from funnelcalc.keypath import Loc, format_key
from funnelcalc.structure import STRUCTURE_ERROR, structure_problems
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
    """Where part of a stage's volume comes from: a fixed volume expected anyway, or a share of
    the rest, with its own rate from the stage above and its own cost per unit of it."""

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


class Baseline(BaseModel):
    """The revenue already recurring, and how it changes over the period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revenue: Money
    churn: Churn = Decimal(0)
    expansion: Growth = Decimal(0)
    customers: Volume | None = None


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
                s.model_copy(update={"rate": point(s.rate), "cost": point(s.cost)}) for s in entries
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


def keys_at(loc: Loc) -> list[str] | None:
    """The keys the goals model allows in the mapping at `loc`: a list for a model's fields,
    None where any key goes (limits, scenarios), [] where no mapping belongs."""
    if len(loc) >= 2 and loc[0] == "segments":
        return _segment_keys(loc[2:])
    annotation: Any = Goals
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif typing.get_origin(annotation) in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return None if typing.get_origin(annotation) is dict else []


def _segment_keys(loc: Loc) -> list[str] | None:
    """What a segment allows at `loc` inside it: its own keys and every key of the goals file it
    may override; its `stages` are a mapping by stage name (or a list of its own)."""
    if not loc:
        shared = [key for key in Goals.model_fields if key not in ("name", "currency", "segments")]
        return [*Segment.model_fields, *(k for k in shared if k != "scenarios")]
    if loc[0] in Segment.model_fields:
        return _own_keys(loc)
    if loc == ("stages",):
        return None
    return keys_at(loc)


def _own_keys(loc: Loc) -> list[str] | None:
    annotation: Any = Segment
    for part in loc:
        annotation = _unwrap(annotation)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        field = annotation.model_fields.get(str(part))
        if field is None:
            return []
        annotation = field.annotation
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the type underneath."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = arguments[0]
        else:
            return annotation


def misplaced_key_hint(key: str, loc: Loc) -> str:
    """Why `key` is unknown at `loc`: a close match here, or where it belongs instead."""
    allowed = keys_at(loc) or []
    if loc and loc[-1] in ("rate", "cost", "deal_size"):
        allowed = list(Range.model_fields)  # a value given as a range
    hint = did_you_mean(key, allowed)
    if "did you mean" in hint:
        return hint
    home = _key_homes().get(key.casefold())
    if home is not None and home.rsplit(".", 1)[-1] not in allowed:
        return f"; it belongs at {home}"
    return hint


@functools.cache
def _key_homes(model: type[BaseModel] = Goals, prefix: str = "") -> dict[str, str]:
    """Every key the model knows, mapped to the path where it belongs."""
    found: dict[str, str] = {}
    for name, field in model.model_fields.items():
        found.setdefault(name, prefix + name)
        child = _unwrap(field.annotation)
        if typing.get_origin(child) is list:
            child, suffix = _unwrap(typing.get_args(child)[0]), "[…]"
        else:
            suffix = ""
        if isinstance(child, type) and issubclass(child, BaseModel):
            for key, path in _key_homes(child, f"{prefix}{name}{suffix}.").items():
                found.setdefault(key, path)
    return found
