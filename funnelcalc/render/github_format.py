"""GitHub Actions workflow commands: each annotation a `::error`, `::warning` or `::notice`
line, pinned to its file and line, so it shows on the pull request's diff."""

from __future__ import annotations

from collections.abc import Sequence

from funnelcalc.report import Annotation


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(annotations: Sequence[Annotation]) -> str:
    """`--format github`: one workflow command per annotation."""
    lines = []
    for note in annotations:
        where = []
        if note.file is not None:
            where.append(f"file={_property(note.file)}")
            if note.line is not None:
                where.append(f"line={note.line}")
        if note.title:
            where.append(f"title={_property(note.title)}")
        lines.append(f"::{note.level} {','.join(where)}::{_data(note.message)}")
    return "\n".join(lines) + "\n"
