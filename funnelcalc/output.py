"""Writing what funnelcalc produces to a file: atomically, and never over the user's files
without --force."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from funnelcalc.errors import InputError


def write_atomically(
    path: Path, text: str | bytes, *, force: bool = False, protected: Iterable[Path] = ()
) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename, so a
    reader never sees half a file. `protected` files (the inputs) are never overwritten."""
    source = str(path)
    if path.exists():
        for original in protected:
            with contextlib.suppress(OSError):
                if original.exists() and path.samefile(original):
                    raise InputError.single(
                        source, "is an input of this command: choose another --output"
                    )
        if path.is_dir():
            raise InputError.single(source, "is a directory: --output needs a file name")
        if not force:
            raise InputError.single(source, "already exists: add --force to overwrite it")
    folder = path.parent
    if not folder.is_dir():
        raise InputError.single(source, f"cannot write it: the folder {folder} does not exist")
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InputError.single(source, f"cannot write it: {error.strerror or error}") from None
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise InputError.single(source, f"cannot write it: {error.strerror or error}") from None
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
