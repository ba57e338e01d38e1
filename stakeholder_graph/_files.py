"""Private helpers: writing files all or nothing, and writing to devices, pipes and standard output."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

#: The output path that means standard output.
STDOUT = "-"


def writes_in_place(path: str | os.PathLike) -> bool:
    """True when ``path`` must be written directly rather than replaced by a renamed file.

    A rename would replace a device (``/dev/full``, ``/dev/null``), a named pipe or a socket with a
    regular file, and ``/dev/stdout``, ``/dev/fd/N`` and ``/proc/...`` are the process's own streams:
    all of them are opened and written as they are. Only regular files (and new paths) are replaced.
    """
    text = os.fspath(path)
    if text.startswith(("/dev/", "/proc/")):
        return True
    try:
        mode = os.stat(text).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def atomic_write(path: str | os.PathLike, write: Callable[[str], None]) -> Path:
    """Run ``write(temporary_path)``, then rename the result to ``path``: all or nothing.

    The temporary file is in the same folder (so the rename is atomic) and gets the permissions of an
    ordinary new file, not ``mkstemp``'s 0600. On any error (an interrupt included) it is removed and
    ``path`` is untouched. A symbolic link is followed: the file it points to is replaced.

    ``path`` ``-`` is standard output: the file is written to a temporary file and copied there whole.
    A device, a pipe or ``/dev/stdout`` is written directly (see :func:`writes_in_place`).
    """
    if os.fspath(path) == STDOUT:
        with tempfile.TemporaryDirectory() as folder:
            temporary = os.path.join(folder, "output")
            write(temporary)
            with open(temporary, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    write_stdout(chunk)
        return Path(STDOUT)
    if writes_in_place(path):
        with _named(path):
            write(os.fspath(path))
        return Path(path)
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with _named(path, temporary):
            write(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


@contextlib.contextmanager
def _named(path: str | os.PathLike, temporary: str | None = None):
    """An error while writing names ``path`` (the file the user asked for), not a temporary file or nothing."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None or exc.filename == temporary:
            raise OSError(exc.errno, exc.strerror or str(exc), os.fspath(path)) from None
        raise


def write_stdout(data: bytes) -> None:
    """Write ``data`` to standard output whole, or raise the OSError that stopped it.

    The file descriptor is written directly: Python's buffered stdout can drop the end of a large write
    without an error when the reader closes the pipe between two chunks.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # no file descriptor (as under a test runner)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    view = memoryview(data)
    with _named("standard output"):
        sys.stdout.flush()
        while view:
            view = view[os.write(fd, view) :]


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text to ``path`` all or nothing."""
    return atomic_write(path, lambda temporary: Path(temporary).write_text(text, encoding="utf-8"))
