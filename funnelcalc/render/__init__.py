"""Renderers: one module per output family, each turning a result object into text."""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    """The output families every planning command offers."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
