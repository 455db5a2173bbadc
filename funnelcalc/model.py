"""The goals file as pydantic models: exact Decimal rates and money, unknown keys refused."""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from funnelcalc.errors import did_you_mean
from funnelcalc.exact import plain

MAX_DIGITS = 30
MAX_STAGES = 50
MAX_NAME_LENGTH = 200
MAX_DEFINITION_LENGTH = 2000

Loc = tuple[str | int, ...]

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# What YAML 1.2 (and most people) read as a number but PyYAML's YAML 1.1 reads as text.
_YAML12_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")


def _fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context or None)


def _to_decimal(value: object, what: str) -> Decimal:
    """A finite Decimal of at most MAX_DIGITS digits from an int, Decimal, float or numeric text."""
    if isinstance(value, bool) or value is None:
        raise _fail("number_type", f"{what} must be a number, not {_describe(value)}")
    if isinstance(value, float):
        value = Decimal(repr(value))  # the shortest repr is the decimal the caller wrote
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if _YAML12_NUMBER.fullmatch(text):
            raise _fail(
                "number_yaml11",
                f"'{value}' is read as text: YAML 1.1 needs a dot before the exponent; "
                f"write {plain(Decimal(text)):f}",
            )
        if "," in text:
            raise _fail(
                "number_separator",
                f"'{value}' is text: write numbers without thousands separators, "
                f"like {text.replace(',', '')}",
            )
        if not text or not _PLAIN_NUMBER.fullmatch(text):
            raise _fail("number_type", f"{what} must be a number, not '{value}'")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise _fail("number_type", f"{what} must be a number, not '{value}'") from None
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise _fail("number_type", f"{what} must be a number, not {_describe(value)}")
    if not value.is_finite():
        raise _fail("number_finite", f"{what} must be a finite number")
    digits = len(format(plain(value), "f").lstrip("-").replace(".", "").lstrip("0"))
    if digits > MAX_DIGITS or abs(value.adjusted()) > MAX_DIGITS:
        raise _fail("number_size", f"{what} has more than {MAX_DIGITS} digits")
    return plain(value)


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


def parse_rate(value: object) -> Decimal:
    """A conversion rate in (0, 1] from 0.025, "2.5%" or a Decimal; exact."""
    if isinstance(value, str) and value.strip().endswith("%"):
        percent = _to_decimal(value.strip()[:-1], "a percentage")
        if not 0 < percent <= 100:
            raise _fail("rate_range", "a percentage rate must be above 0% and at most 100%")
        return plain(percent.scaleb(-2))
    if isinstance(value, str) and not _looks_numeric(value):
        raise _fail(
            "rate_type",
            'a rate is a number in (0, 1] like 0.025, or a percentage like "2.5%"; '
            f"not '{value}'",
        )
    rate = _to_decimal(value, "a rate")
    if rate > 1:
        raise _fail(
            "rate_range",
            f'a rate is at most 1 (100%); did you mean "{rate:f}%"?',
        )
    if rate <= 0:
        raise _fail("rate_range", "a rate must be above 0: nobody would reach this stage")
    return rate


def _looks_numeric(text: str) -> bool:
    text = text.strip().replace("_", "")
    return bool(_PLAIN_NUMBER.fullmatch(text) or _YAML12_NUMBER.fullmatch(text))


def parse_money(value: object) -> Decimal:
    """A positive amount of money, exact to the cent or beyond."""
    amount = _to_decimal(value, "an amount")
    if amount <= 0:
        raise _fail("money_range", "an amount must be above 0")
    return amount


def parse_count(value: object, what: str = "a count") -> int:
    """A positive whole number: clients to win, or a limit on a stage's volume."""
    count = _to_decimal(value, what)
    if count != count.to_integral_value():
        raise _fail("count_whole", f"{what} must be a whole number, not {count:f}")
    if count <= 0:
        raise _fail("count_range", f"{what} must be at least 1")
    return int(count)


def parse_clients(value: object) -> int:
    """A positive whole number of clients."""
    return parse_count(value, "clients")


def parse_limit(value: object) -> int:
    """The most of a stage the plan may need: a positive whole number."""
    return parse_count(value, "a limit")


def _text(value: object, *, limit: int, multiline: bool = False) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise _fail("text_type", f"must be text, not {_describe(value)}")
    if isinstance(value, int | Decimal | float):
        value = str(value)
    if not isinstance(value, str):
        raise _fail("text_type", "must be text")
    text = value.strip()
    if not text:
        raise _fail("text_empty", "must not be empty")
    if len(text) > limit:
        raise _fail("text_long", f"is longer than {limit} characters")
    allowed = "\n\t" if multiline else ""
    visible = text.replace("\n", "").replace("\t", "") if multiline else text
    if not visible.isprintable() and any(  # isprintable() is the fast path for plain text
        unicodedata.category(c) in ("Cc", "Cf") and c not in allowed for c in text
    ):
        raise _fail("text_control", "contains control characters")
    return text


def parse_name(value: object) -> str:
    """A stage, owner or plan name: one line of text."""
    return _text(value, limit=MAX_NAME_LENGTH)


def parse_definition(value: object) -> str:
    """A stage definition: text that may run over several lines."""
    return _text(value, limit=MAX_DEFINITION_LENGTH, multiline=True)


def parse_currency(value: object) -> str:
    """An ISO 4217 currency code such as USD."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        raise _fail(
            "currency", "a currency is a three-letter ISO 4217 code such as USD, EUR or GBP"
        )
    return value.strip().upper()


_NUMBER_TEXT = r"^\s*[0-9][0-9_]*(\.[0-9_]+)?\s*$"
_RATE_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        {"type": "string", "pattern": r"^\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*%\s*$"},
    ],
    "description": 'Share of the stage above: a number in (0, 1] such as 0.025, or "2.5%".',
}
_MONEY_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "string", "pattern": _NUMBER_TEXT},
    ],
    "description": "An amount of money in the file's currency, above 0.",
}
_COUNT_SCHEMA = {"type": "integer", "minimum": 1}
_NAME_SCHEMA = {
    "anyOf": [{"type": "string", "minLength": 1, "maxLength": MAX_NAME_LENGTH}, {"type": "number"}]
}
_CURRENCY_SCHEMA = {"type": "string", "pattern": "^[A-Za-z]{3}$", "description": "ISO 4217 code"}

Rate = Annotated[Decimal, BeforeValidator(parse_rate), WithJsonSchema(_RATE_SCHEMA)]
Money = Annotated[Decimal, BeforeValidator(parse_money), WithJsonSchema(_MONEY_SCHEMA)]
Clients = Annotated[int, BeforeValidator(parse_clients), WithJsonSchema(_COUNT_SCHEMA)]
Limit = Annotated[int, BeforeValidator(parse_limit), WithJsonSchema(_COUNT_SCHEMA)]
Name = Annotated[str, BeforeValidator(parse_name), WithJsonSchema(_NAME_SCHEMA)]
Definition = Annotated[str, BeforeValidator(parse_definition), WithJsonSchema({"type": "string"})]
Currency = Annotated[str, BeforeValidator(parse_currency), WithJsonSchema(_CURRENCY_SCHEMA)]


class Stage(BaseModel):
    """One stage of the funnel, top first; `rate` is the share of the stage above."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    rate: Rate | None = None
    owner: Name | None = None
    definition: Definition | None = None


class Target(BaseModel):
    """What the plan must win: new revenue, or a number of new clients."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revenue: Money | None = None
    clients: Clients | None = None


class Scenario(BaseModel):
    """A named what-if: key paths of the goals file and the values they take instead."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: Definition | None = None
    set: dict[str, Any] = Field(min_length=1)


class Goals(BaseModel):
    """A whole goals file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name | None = None
    currency: Currency = "USD"
    target: Target
    deal_size: Money | None = None
    stages: list[Stage]
    limits: dict[Name, Limit] = Field(default_factory=dict)
    """The most the plan may need of a stage (website traffic, SDR capacity), by stage name."""
    scenarios: dict[Name, Scenario] = Field(default_factory=dict)

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


STRUCTURE_ERROR = "funnel_structure"


def structure_problems(data: object) -> list[tuple[Loc, str]]:
    """Rules that tie keys together, checked on raw data so they show beside field errors."""
    if not isinstance(data, dict):
        return []
    problems: list[tuple[Loc, str]] = []
    target = data.get("target")
    if isinstance(target, dict):
        has_revenue = target.get("revenue") is not None
        has_clients = target.get("clients") is not None
        if has_revenue and has_clients:
            problems.append((("target",), "give either revenue or clients, not both"))
        elif not (has_revenue or has_clients):
            problems.append(
                (("target",), "give revenue (with deal_size) or clients: what must the plan win?")
            )
        if has_revenue and data.get("deal_size") is None:
            problems.append(
                (
                    ("target", "revenue"),
                    "needs deal_size at the top level: the average revenue per new client",
                )
            )
    stages = data.get("stages")
    if isinstance(stages, list):
        problems.extend(_stage_problems(stages))
        problems.extend(_limit_problems(data.get("limits"), stages))
    scenarios = data.get("scenarios")
    if isinstance(scenarios, dict):
        problems.extend(
            (("scenarios", name), f"'{name}' names the plan without a scenario: choose another")
            for name in scenarios
            if str(name).strip().casefold() == BASE.casefold()
        )
    return problems


BASE = "base"
"""What compare and check call the plan without any scenario."""


def _limit_problems(limits: object, stages: list[Any]) -> list[tuple[Loc, str]]:
    if not isinstance(limits, dict):
        return []
    names = [
        stage["name"].strip()
        for stage in stages
        if isinstance(stage, dict) and isinstance(stage.get("name"), str)
    ]
    known = {name.casefold() for name in names}
    return [
        (("limits", key), f"no stage is named '{key}'{did_you_mean(str(key), names)}")
        for key in limits
        if str(key).strip().casefold() not in known
    ]


def _stage_problems(stages: list[Any]) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if len(stages) < 2:
        problems.append(
            (("stages",), "a funnel needs at least two stages: the top and the paying clients")
        )
    if len(stages) > MAX_STAGES:
        problems.append((("stages",), f"a funnel has at most {MAX_STAGES} stages"))
        return problems
    seen: dict[str, int] = {}
    for index, stage in enumerate(stages):
        if not isinstance(stage, dict):
            continue
        rate = stage.get("rate")
        if index == 0 and rate is not None:
            problems.append(
                (
                    ("stages", 0, "rate"),
                    "the first stage is the top of the funnel: it has no stage above it, "
                    "so no rate; remove it",
                )
            )
        if index > 0 and rate is None:
            above = stages[index - 1].get("name") if isinstance(stages[index - 1], dict) else None
            share = f"the share of {above} that" if isinstance(above, str) else "the share that"
            problems.append((("stages", index), f"needs a rate: {share} reaches this stage"))
        name = stage.get("name")
        if isinstance(name, str) and name.strip():
            folded = name.strip().casefold()
            if folded in seen:
                problems.append(
                    (
                        ("stages", index, "name"),
                        f"'{name.strip()}' is already the name of stage {seen[folded] + 1}; "
                        "stage names must be unique",
                    )
                )
            else:
                seen[folded] = index
    return problems


def format_key(loc: Loc, data: object = None) -> str:
    """A key path as users write it: `stages.leads.rate`, or `stages[2]` when names are unclear."""
    parts: list[str] = []
    stages = data.get("stages") if isinstance(data, dict) else None
    names = _unique_stage_names(stages)
    for index, part in enumerate(loc):
        if isinstance(part, int):
            under_stages = index == 1 and loc[0] == "stages"
            name = names.get(part) if under_stages else None
            if name is not None:
                parts.append(f".{name}")
            else:
                parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else part)
    return "".join(parts)


def _unique_stage_names(stages: object) -> dict[int, str]:
    if not isinstance(stages, list):
        return {}
    names: dict[int, str] = {}
    for index, stage in enumerate(stages):
        name = stage.get("name") if isinstance(stage, dict) else None
        if isinstance(name, str) and re.fullmatch(r"[^\s.\[\]][^.\[\]]*", name.strip()):
            names[index] = name.strip()
    folded = [n.casefold() for n in names.values()]
    return {i: n for i, n in names.items() if folded.count(n.casefold()) == 1}


def keys_at(loc: Loc) -> list[str] | None:
    """The keys the goals model allows in the mapping at `loc`: a list for a model's fields,
    None where any key goes (limits, scenarios), [] where no mapping belongs."""
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
    hint = did_you_mean(key, allowed)
    if "did you mean" in hint:
        return hint
    home = _key_homes().get(key.casefold())
    if home is not None and home.rsplit(".", 1)[-1] not in allowed:
        return f"; it belongs at {home}"
    return hint


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
