"""Reading the user's files: bounded in size, every failure a located message."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from funnelcalc.errors import InputError


def read_input(path: str | Path, *, limit: int, kind: str) -> bytes:
    """At most `limit` + 1 bytes of a file (so the caller can tell it is too big)."""
    source = str(path)
    try:
        with open(path, "rb") as file:
            return file.read(limit + 1)
    except FileNotFoundError:
        raise InputError.single(source, "no such file") from None
    except IsADirectoryError:
        raise InputError.single(source, f"is a directory, not {kind}") from None
    except PermissionError:
        raise InputError.single(source, "permission denied: cannot read it") from None
    except OSError as error:
        raise InputError.single(source, f"cannot read it: {error.strerror or error}") from None


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while a large file becomes records: they hold no cycles, and
    collections triggered by making half a million of them take a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
