"""Which keys the goals model allows where: for messages that name the keys a mapping takes,
a close match, or where a misplaced key belongs."""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

from pydantic import BaseModel

from funnelcalc.errors import did_you_mean
from funnelcalc.fields import Range
from funnelcalc.keypath import Loc
from funnelcalc.model import Goals, Segment


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
    if loc and (loc[-1] in ("rate", "cost", "deal_size", "fixed_cost") or loc[-2:-1] == ("rates",)):
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
