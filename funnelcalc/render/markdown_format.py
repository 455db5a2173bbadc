"""Markdown that pastes into GitHub, Notion or a doc: pipe tables, numbers right-aligned.
Charts are left out (their numbers are in the tables); everything else is laid out."""

from __future__ import annotations

import re

from funnelcalc.report import Chart, Facts, Note, Report, Section, Table

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~$])")


def escape(text: str) -> str:
    """User text made inert: Markdown punctuation escaped, line breaks folded to spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def table(section: Table) -> str:
    """A pipe table whose numeric columns are right-aligned (`---:`)."""
    lines = [
        "| " + " | ".join(escape(column.label) for column in section.columns) + " |",
        "|" + "|".join("---:" if c.numeric else ":---" for c in section.columns) + "|",
    ]
    lines += ["| " + " | ".join(escape(cell.text) for cell in row) + " |" for row in section.rows]
    return "\n".join(lines)


def _note(note: Note) -> str:
    text = escape(note.text)
    return f"- **{text}**" if note.level == "failure" else f"- {text}"


def _section(section: Section) -> str | None:
    if isinstance(section, Table):
        return table(section)
    if isinstance(section, Facts):
        return "\n".join(
            f"- **{escape(label)}:** {escape(value)}" for label, value in section.items
        )
    return None


def render(report: Report) -> str:
    """`--format markdown` for any report."""
    parts = [f"## {escape(report.title)}"]
    notes: list[str] = []
    for section in report.sections:
        if isinstance(section, Note):
            notes.append(_note(section))
            continue
        if notes:
            parts.append("\n".join(notes))
            notes = []
        if isinstance(section, Chart):
            continue
        if section.title:
            parts.append(f"### {escape(section.title)}")
        text = _section(section)
        if text:
            parts.append(text)
    if notes:
        parts.append("\n".join(notes))
    if report.provenance is not None:
        parts.append(
            "---\n\n" + "  \n".join(f"_{escape(line)}_" for line in report.provenance.lines())
        )
    return "\n\n".join(parts) + "\n"
