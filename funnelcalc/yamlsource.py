"""YAML text → plain data, safely: aliases, deep nesting, tags and YAML 1.1 surprises refused
or explained, and every value's line and column kept for messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
import yaml.composer
import yaml.resolver

try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = object  # type: ignore[misc,assignment]

from funnelcalc.errors import InputError, Problem
from funnelcalc.keypath import Loc, format_key
from funnelcalc.safetext import excerpt

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 50_000
"""The most values (and keys) a goals file may hold: 100 scenarios of 200 keys each fit,
and a file at the limit is read in a fraction of a second (each value costs a few µs)."""
MAX_RECORD_VALUES = 150_000
"""For actuals: 512 KiB of the shortest records."""
_TAG = "tag:yaml.org,2002:"
_DECIMAL_INT = re.compile(r"[+-]?(0|[1-9]\d*)")
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_YAML11_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "~"}


Position = tuple[int, int]
"""Line and column, both counted from 1."""


def _position(mark: Any) -> Position | None:
    """Where a PyYAML mark points, as people count lines and columns."""
    return (mark.line + 1, mark.column + 1) if mark is not None else None


class _Refused(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.position = _position(mark)
        self.message = message


class _Guard:
    """Composes nodes as PyYAML does, refusing aliases and deep nesting before they can do harm.
    Mixed into a parser that supplies the events."""

    _depth = 0
    _values = 0
    most_values = MAX_VALUES

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark, "aliases (*name) are not allowed: write the value out in full"
            )
        self._values += 1
        if self._values > self.most_values:
            raise _Refused(
                event.start_mark,
                f"holds more than {self.most_values:,} values and keys: no plan needs so many",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
            node: yaml.Node | None = yaml.composer.Composer.compose_node(self, parent, index)  # type: ignore[arg-type]
            tag = getattr(event, "tag", None)
            if node is not None and tag not in (None, "!"):
                node.explicit_tag = True  # type: ignore[attr-defined]
            return node
        finally:
            self._depth -= 1


class _PythonComposer(_Guard, yaml.SafeLoader):
    """Pure-Python scanning and parsing, where PyYAML was built without libyaml."""


class _FastComposer(_Guard, CParser, yaml.composer.Composer, yaml.resolver.Resolver):
    """libyaml scans and parses (in C, many times faster); our Python composes the nodes."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    get_single_node = yaml.composer.Composer.get_single_node
    compose_document = yaml.composer.Composer.compose_document


def _composer(text: str) -> _PythonComposer | _FastComposer:
    return _FastComposer(text) if yaml.__with_libyaml__ else _PythonComposer(text)


@dataclass
class Positions:
    """Where each value and key of a YAML document sits, and which values were bare YAML 1.1
    words (yes, no, on, off, null) that people often mean as text."""

    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    plain_words: dict[Loc, str] = field(default_factory=dict)

    def of(self, loc: Loc) -> Position | None:
        """The position of the value at `loc`, or of its nearest ancestor in the file."""
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc)

    def word_hint(self, loc: Loc) -> str:
        """A note on YAML 1.1's reading of a bare word at `loc`, if there was one."""
        return bare_word_hint(self.plain_words.get(loc, ""))


def bare_word_hint(text: str) -> str:
    """How YAML 1.1 reads a bare yes, no, on, off or null, if `text` is one."""
    word = text.strip()
    if word.lower() not in _YAML11_WORDS:
        return ""
    return f" (YAML reads a bare {word} as {_word_meaning(word)}: quote it if it is text)"


def read_yaml(data: bytes | str, *, source: str) -> tuple[dict[str, Any], Positions]:
    """Parse a goals document into plain data (a mapping) and the positions of its values."""
    reader = _Reader(source)
    raw, node = reader.read(data, "target, deal_size and stages")
    if not isinstance(raw, dict):
        reader.fail(
            f"the file must be a mapping of keys (target, deal_size, stages …), not {_kind(node)}",
            at=_position(node.start_mark),
        )
        raise reader.stop()
    return raw, reader.positions


def read_records(
    data: bytes | str, *, source: str, limit: int = MAX_BYTES, too_large: str = ""
) -> tuple[list[Any], Positions]:
    """Parse a YAML list of records (actuals, up to `limit` bytes, else the `too_large`
    message) and the positions of its values."""
    reader = _Reader(source, limit=limit, too_large=too_large, most_values=MAX_RECORD_VALUES)
    raw, node = reader.read(data, "a list of records")
    if not isinstance(raw, list):
        reader.fail(f"the file must be a list of records, not {_kind(node)}")
        raise reader.stop()
    return raw, reader.positions


def read_value(text: str, *, source: str) -> Any:
    """One YAML scalar, read exactly as it would be in a goals file (for --set VALUE)."""
    reader = _Reader(source)
    node = reader.compose(text) if text.strip() else None
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        reader.fail("the value must be a single number or text, not a list or a mapping")
        raise reader.stop()
    value = reader.convert(node, ())
    if reader.problems:
        raise reader.stop()
    return value


class _Reader:
    """One YAML document being read: where each key sits, and what went wrong."""

    def __init__(
        self,
        source: str,
        *,
        limit: int = MAX_BYTES,
        too_large: str = "",
        most_values: int = MAX_VALUES,
    ) -> None:
        self.source = source
        self.limit = limit
        self.most_values = most_values
        self.too_large = (
            too_large or f"is larger than {limit // 1024 // 1024} MiB: not a goals file"
        )
        self.positions = Positions()
        self.problems: list[Problem] = []

    def fail(self, message: str, *, at: Position | None = None, key: str | None = None) -> None:
        line, column = at if at is not None else (None, None)
        self.problems.append(Problem(self.source, message, line, column, key))

    def stop(self) -> InputError:
        unique = list(dict.fromkeys(self.problems))
        unique.sort(key=lambda p: (p.line or 0, p.column or 0))
        return InputError(unique)

    # -- text and YAML ---------------------------------------------------------------------

    def read(self, data: bytes | str, needs: str) -> tuple[Any, yaml.Node]:
        text = self._decode(data)
        if not text.strip():
            self.fail(f"the file is empty: it needs {needs}")
            raise self.stop()
        node = self.compose(text)
        if node is None:
            self.fail(f"the file has no content: it needs {needs}")
            raise self.stop()
        raw = self.convert(node, ())
        if self.problems:
            raise self.stop()
        return raw, node

    def compose(self, text: str) -> yaml.Node | None:
        loader: _PythonComposer | _FastComposer | None = None
        try:
            loader = _composer(text)  # its reader already refuses non-printable characters
            loader.most_values = self.most_values
            node = loader.get_single_node()
        except _Refused as refused:
            self.fail(refused.message, at=refused.position)
            raise self.stop() from None
        except yaml.MarkedYAMLError as error:
            self.fail(_yaml_message(error), at=_position(error.problem_mark or error.context_mark))
            raise self.stop() from None
        except yaml.reader.ReaderError as error:
            self.fail(
                f"contains a character YAML does not allow (#x{error.character:04x}): remove it",
                at=_text_position(text, error.position),
            )
            raise self.stop() from None
        except yaml.YAMLError as error:
            self.fail(f"not valid YAML: {error}")
            raise self.stop() from None
        finally:
            if loader is not None:
                loader.dispose()
        return node

    def _decode(self, data: bytes | str) -> str:
        if isinstance(data, str):
            text = data
        else:
            if len(data) > self.limit:
                self.fail(self.too_large)
                raise self.stop()
            if data.startswith(_UTF16_32_BOMS):
                self.fail("is UTF-16 or UTF-32 text: save it as UTF-8")
                raise self.stop()
            if b"\x00" in data:
                self.fail("is a binary file, not YAML text")
                raise self.stop()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                valid = data[: error.start].decode()  # everything before the bad byte is fine
                self.fail(
                    f"is not UTF-8 text (byte 0x{data[error.start]:02x}): save it as UTF-8",
                    at=_text_position(valid, len(valid)),
                )
                raise self.stop() from None
        if len(text) > self.limit:
            self.fail(self.too_large)
            raise self.stop()
        return text

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        if getattr(node, "explicit_tag", False):  # !!str, !!null, !money …: refused, as documented
            self._bad_tag(node, loc)
            return None
        self.positions.values[loc] = _position(node.start_mark) or (1, 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self._bad_tag(node, loc)
            return [self.convert(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        if node.tag != _TAG + "map":
            self._bad_tag(node, loc)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.fail("merge keys (<<) are not allowed", at=_position(key_node.start_mark))
                continue
            if not isinstance(key_node, yaml.ScalarNode) or not key_node.value.strip():
                self.fail("a key must be plain text", at=_position(key_node.start_mark))
                continue
            key = key_node.value.strip()
            if key in result:
                first_line = self.positions.keys[(*loc, key)][0]
                self.fail(
                    f"duplicate key '{key}' (first at line {first_line}); "
                    "YAML would silently keep only the last one",
                    at=_position(key_node.start_mark),
                    key=format_key((*loc, key)),
                )
                continue
            self.positions.keys[(*loc, key)] = _position(key_node.start_mark) or (1, 1)
            result[key] = self.convert(value_node, (*loc, key))
        return result

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:  # noqa: PLR0911 - a return per YAML kind
        text: str = node.value
        kind = node.tag.removeprefix(_TAG)
        if not node.style and text.strip().lower() in _YAML11_WORDS:  # plain, unquoted
            self.positions.plain_words[loc] = text.strip()
        if kind in ("str", "timestamp"):
            return text
        if kind == "bool":
            return text.lower() in ("yes", "true", "on")
        if kind == "null":
            return None
        if kind == "int":
            digits = text.replace("_", "")
            if _DECIMAL_INT.fullmatch(digits):
                # Past 40 digits, leave it as text: the model rejects it by its size.
                return int(digits) if len(digits) <= 40 else digits
            self.fail(
                f"YAML 1.1 reads '{text}' as a number in another base (octal, hex or base 60); "
                "write plain decimal digits without a leading zero, or quote it if it is text",
                at=_position(node.start_mark),
                key=format_key(loc),
            )
            return None
        if kind == "float":
            number = text.replace("_", "").lower()
            if number.lstrip("+-") == ".inf" or number == ".nan":
                return Decimal("-Infinity" if number.startswith("-") else "NaN")
            if ":" in number:
                self.fail(
                    f"YAML 1.1 reads '{text}' as a base-60 number; quote it if it is text",
                    at=_position(node.start_mark),
                    key=format_key(loc),
                )
                return None
            try:
                return Decimal(number)
            except InvalidOperation:  # an exponent beyond what Decimal holds
                return text  # as text, the model refuses it by its size
        self._bad_tag(node, loc)
        return None

    def _bad_tag(self, node: yaml.Node, loc: Loc) -> None:
        tag = excerpt(node.tag.replace(_TAG, "!!"))
        self.fail(
            f"the YAML tag {tag} is not supported: write a plain value",
            at=_position(node.start_mark),
            key=format_key(loc) if loc else None,
        )


def _word_meaning(word: str) -> str:
    lowered = word.lower()
    if lowered in ("yes", "on", "true"):
        return "true"
    if lowered in ("no", "off", "false"):
        return "false"
    return "empty"


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return f"the single value '{node.value}'" if isinstance(node.value, str) else "that"


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    parts = [part for part in (error.context, error.problem) if part]
    return "not valid YAML: " + ", ".join(parts)


def _text_position(text: str, index: int) -> Position:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1
