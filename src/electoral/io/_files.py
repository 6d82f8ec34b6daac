"""Opening input files: regular files only, refused before any byte is read otherwise.

Every reader opens its files here. A device (``/dev/zero``), a FIFO, a
socket or a folder given where a file is expected is refused with a
:class:`~electoral.errors.FormatError` naming it, before anything is read, so
that no input can block the reader forever or feed it without end. The file
is opened without blocking and checked with ``fstat`` on the open descriptor,
so a path swapped for a FIFO between a check and the open cannot slip
through. A path that the system cannot use (a NUL character in it, a name
too long) is a ``FormatError`` as well.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import BinaryIO, TextIO

from electoral.errors import FormatError

__all__ = ["check_folder", "kind_of", "open_binary", "open_text", "read_bytes"]

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words (for messages)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _os_error(error: OSError) -> str:
    return error.strerror or type(error).__name__


def open_binary(path: str | os.PathLike[str], source: str | None = None) -> BinaryIO:
    """Open a regular file for reading bytes; anything else is a FormatError naming ``source``."""
    source = str(path) if source is None else source
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
    except ValueError:
        raise FormatError("the path holds a NUL character", source=source) from None
    except OSError as error:
        raise FormatError(f"cannot read the file: {_os_error(error)}", source=source) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FormatError(f"{kind_of(mode)}, not a regular file: refused before reading", source=source)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def open_text(path: str | os.PathLike[str], source: str | None = None) -> TextIO:
    """Open a regular file as UTF-8 text (a leading byte-order mark is dropped), for the csv module."""
    return io.TextIOWrapper(open_binary(path, source), encoding="utf-8-sig", newline="")


def read_bytes(path: str | os.PathLike[str], source: str | None = None) -> bytes:
    """The whole content of a regular file (bounded by the file's size, which a regular file has)."""
    source = str(path) if source is None else source
    with open_binary(path, source) as stream:
        try:
            return stream.read()
        except OSError as error:
            raise FormatError(f"cannot read the file: {_os_error(error)}", source=source) from None


def check_folder(path: str | os.PathLike[str], source: str | None = None) -> Path:
    """``path`` as a Path, if it is a folder (following links); else a FormatError."""
    source = str(path) if source is None else source
    try:
        mode = os.stat(path).st_mode
    except ValueError:
        raise FormatError("the path holds a NUL character", source=source) from None
    except OSError as error:
        raise FormatError(f"cannot read the folder: {_os_error(error)}", source=source) from None
    if not stat.S_ISDIR(mode):
        raise FormatError(f"{kind_of(mode) if not stat.S_ISREG(mode) else 'a file'}, not a folder", source=source)
    return Path(path)
