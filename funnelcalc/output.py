"""Writing what funnelcalc produces: to a file atomically, never over the user's files without
--force, never onto a device, a pipe or through a dangling link; and to standard output with
every failure (a full disk, a closed stream) reported rather than lost."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from funnelcalc.errors import InputError
from funnelcalc.safetext import excerpt

STDOUT = "-"
"""`--output -` is standard output."""
STDOUT_SOURCE = "<stdout>"


def output_path(output: Path | None) -> Path | None:
    """The file --output names, or None for standard output (no --output, or `-o -`)."""
    return None if output is None or str(output) == STDOUT else output


def write_atomically(
    path: Path, text: str | bytes, *, force: bool = False, protected: Iterable[Path] = ()
) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename, so a
    reader never sees half a file. `protected` files (the inputs) are never overwritten, nor
    special files (devices, pipes, sockets); a dangling symbolic link is refused."""
    source = excerpt(str(path), 200)
    with _reported(source):
        exists = _check_target(path, source, force=force, protected=protected)
        folder = path.parent
        if not folder.is_dir():
            raise InputError.single(
                source, f"cannot write it: the folder {excerpt(str(folder), 200)} does not exist"
            )
        mode = path.stat().st_mode & 0o777 if exists else _default_mode()
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".funnelcalc.", suffix=".tmp")
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        _install(temporary, path, source, replace=force)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise InputError.single(source, f"cannot write it: {_reason(error)}") from None
        raise


def _check_target(path: Path, source: str, *, force: bool, protected: Iterable[Path]) -> bool:
    """Whether `path` exists (as a regular file that may be replaced); refuse anything else."""
    try:
        link = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(link.st_mode) and not path.exists():
        raise InputError.single(
            source, "is a symbolic link to nothing: remove it or choose another --output"
        )
    for original in protected:
        with contextlib.suppress(OSError):
            if original.exists() and path.samefile(original):
                raise InputError.single(
                    source, "is an input of this command: choose another --output"
                )
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise InputError.single(source, "is a directory: --output needs a file name")
    if not stat.S_ISREG(mode):
        raise InputError.single(
            source,
            "is a device, pipe or socket, not a file: funnelcalc only replaces regular files "
            "(write to standard output with -o - or leave --output out)",
        )
    if not force:
        raise InputError.single(source, "already exists: add --force to overwrite it")
    return True


def _install(temporary: str, path: Path, source: str, *, replace: bool) -> None:
    """Move the finished temporary file into place: over the old file only with --force;
    otherwise as a new name only, atomically (a file created meanwhile is not replaced)."""
    if replace:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise InputError.single(source, "already exists: add --force to overwrite it") from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        if os.path.lexists(path):  # a file system without hard links: check, then rename
            raise InputError.single(source, "already exists: add --force to overwrite it") from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


@contextlib.contextmanager
def _reported(source: str) -> Iterator[None]:
    """Any OSError while looking at the target (a name too long, a folder we may not enter)
    as a located message."""
    try:
        yield
    except OSError as error:
        raise InputError.single(source, f"cannot write it: {_reason(error)}") from None


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def append_to(path: str, text: str, *, label: str, protected: Iterable[str] = ()) -> None:
    """Append `text` to the file at `path` (a summary page), never to an input or a special
    file; `label` names where the path came from (an environment variable)."""
    target = Path(path)
    shown = excerpt(path, 200)
    try:
        for original in protected:
            with contextlib.suppress(OSError):
                if Path(original).exists() and target.exists() and target.samefile(original):
                    raise InputError.single(label, f"{shown} is an input of this command")
        if target.is_symlink() and not target.exists():
            raise InputError.single(label, f"{shown} is a symbolic link to nothing")
        if target.exists() and not target.is_file():
            raise InputError.single(label, f"{shown} is not a regular file")
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(text)
    except OSError as error:
        raise InputError.single(label, f"cannot append to {shown}: {_reason(error)}") from None


def write_stdout(text: str | bytes) -> None:
    """Write to standard output and flush, so a full disk or a closed stream is an error
    (exit 2) rather than output silently lost."""
    stream = sys.stdout
    if stream is None:
        raise InputError.single(STDOUT_SOURCE, "standard output is closed: nowhere to write")
    try:
        if isinstance(text, bytes):
            stream.flush()
            stream.buffer.write(text)
            stream.buffer.flush()
        else:
            stream.write(text)
            stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as error:  # ValueError: the stream was closed
        _discard(stream)
        raise InputError.single(
            STDOUT_SOURCE, f"cannot write it: {_stream_reason(error)}"
        ) from None


def _discard(stream: object) -> None:
    """Point a failed stream at /dev/null, so what is left in its buffer cannot fail again
    when Python exits."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # type: ignore[attr-defined]
        os.close(devnull)


def _stream_reason(error: Exception) -> str:
    return _reason(error) if isinstance(error, OSError) else "it is closed"
