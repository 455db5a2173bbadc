"""User text in messages: a bounded excerpt, with every character a terminal would act on
(C0/C1 controls such as ESC, bidi overrides, line separators, noncharacters) shown escaped."""

from __future__ import annotations

from collections.abc import MutableMapping

EXCERPT = 60
"""The most characters of one user value a message repeats."""
KEPT = "\n\t"
"""Characters a message may contain as they are (it is printed line by line)."""


def escape(text: str) -> str:
    """`text` with every non-printable character (except newline and tab) as \\xNN or \\uNNNN."""
    if text.isprintable():  # the fast path: plain text is returned as it is
        return text
    return "".join(c if c.isprintable() or c in KEPT else _escaped(c) for c in text)


def _escaped(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """At most `limit` characters of a user value (an ellipsis marks a cut), escaped: safe to
    quote in a message whatever its size or content."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return escape(text).replace("\n", "\\n").replace("\t", "\\t")


def noncharacter(text: str) -> bool:
    """Whether `text` holds a Unicode noncharacter or lone surrogate (invalid in XML and SVG)."""
    return any(
        0xFDD0 <= (code := ord(c)) <= 0xFDEF or code & 0xFFFE == 0xFFFE or 0xD800 <= code <= 0xDFFF
        for c in text
    )


def sane_columns(environ: MutableMapping[str, str]) -> None:
    """Drop a COLUMNS that is not a usable width (0, negative, text): help and usage errors
    would otherwise be laid out in no columns at all, and come out empty."""
    columns = environ.get("COLUMNS", "").strip()
    if columns and not (columns.isascii() and columns.isdigit() and 20 <= int(columns) <= 10_000):
        del environ["COLUMNS"]
