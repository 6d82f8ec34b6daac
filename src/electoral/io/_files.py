"""Opening input files: regular files only, refused before any byte is read otherwise.

Every reader opens its files here. A device (``/dev/zero``), a FIFO, a
socket or a folder given where a file is expected is refused with a
:class:`~electoral.errors.FormatError` naming it, before anything is read, so
that no input can block the reader forever or feed it without end. The file
is opened without blocking and checked with ``fstat`` on the open descriptor,
so a path swapped for a FIFO between a check and the open cannot slip
through. A path that the system cannot use (a NUL character in it, a name
too long) is a ``FormatError`` as well.

Outputs are written by :func:`write_files`, all or nothing: each file goes to
a temporary file beside its target, and the targets are replaced only once
every one of them is written.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from electoral._text import excerpt, path_text
from electoral.errors import FormatError

__all__ = ["check_folder", "file_mode", "kind_of", "open_binary", "open_text", "read_bytes", "write_files"]

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


def file_mode(path: str | os.PathLike[str], source: str | None = None) -> int | None:
    """The ``st_mode`` of ``path`` (following links), or None if nothing is there.

    A path the system cannot use (a NUL character, a name too long, a
    folder that cannot be searched) is a FormatError naming ``source``.
    """
    source = str(path) if source is None else source
    try:
        return os.stat(path).st_mode
    except ValueError:
        raise FormatError("the path holds a NUL character", source=source) from None
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise FormatError(f"cannot use the path: {_os_error(error)}", source=source) from None


def open_binary(path: str | os.PathLike[str], source: str | None = None, *, what: str = "the file") -> BinaryIO:
    """Open a regular file for reading bytes; anything else is a FormatError naming ``source``.

    ``what`` names the file in the message ("cannot read the config: ...").
    """
    source = str(path) if source is None else source
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
    except ValueError:
        raise FormatError("the path holds a NUL character", source=source) from None
    except OSError as error:
        raise FormatError(f"cannot read {what}: {_os_error(error)}", source=source) from None
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


def read_bytes(path: str | os.PathLike[str], source: str | None = None, *, what: str = "the file") -> bytes:
    """The whole content of a regular file (bounded by the file's size, which a regular file has)."""
    source = str(path) if source is None else source
    with open_binary(path, source, what=what) as stream:
        try:
            return stream.read()
        except OSError as error:
            raise FormatError(f"cannot read {what}: {_os_error(error)}", source=source) from None


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


class _Output:
    """One file of :func:`write_files`: where it goes, and the temporary file and backup on the way."""

    def __init__(self, target: Path) -> None:
        self.source = str(target)
        try:
            # a link is written through: its final target gets the content, the link stays a link
            self.real = Path(os.path.realpath(target))
            status: os.stat_result | None = os.lstat(self.real)
        except ValueError:
            raise FormatError("the path holds a NUL character", source=self.source) from None
        except FileNotFoundError:
            status = None
        except OSError as error:
            raise FormatError(f"cannot write the file: {_os_error(error)}", source=self.source) from None
        if status is not None and stat.S_ISLNK(status.st_mode):
            raise FormatError("a symbolic link that does not resolve (a loop?): not written", source=self.source)
        if status is not None and not stat.S_ISREG(status.st_mode):
            raise FormatError(f"{kind_of(status.st_mode)}, not a regular file: not written", source=self.source)
        if status is not None and not os.access(self.real, os.W_OK):
            raise FormatError("cannot write the file: it is read-only for this user", source=self.source)
        self.status = status
        self.temporary: Path | None = None
        self.backup: Path | None = None

    def _sibling(self, suffix: str) -> Path:
        return self.real.with_name(f".electoral-{secrets.token_hex(6)}{suffix}")

    def write(self, data: bytes) -> None:
        """Write ``data`` to a new temporary file in the target's folder (so that renaming it is atomic)."""
        temporary = self._sibling(".tmp")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _BINARY, 0o666)
        except OSError as error:
            raise FormatError(f"cannot write the file: {_os_error(error)}", source=self.source) from None
        self.temporary = temporary
        try:
            with os.fdopen(fd, "wb") as stream:
                if self.status is not None:
                    # the new content keeps the old file's permissions (and owner, where allowed)
                    if hasattr(os, "fchmod"):
                        os.fchmod(fd, stat.S_IMODE(self.status.st_mode))
                    if hasattr(os, "fchown") and (self.status.st_uid, self.status.st_gid) != (
                        os.getuid(),
                        os.getgid(),
                    ):
                        with contextlib.suppress(OSError):
                            os.fchown(fd, self.status.st_uid, self.status.st_gid)
                stream.write(data)
                stream.flush()
                os.fsync(fd)
        except OSError as error:
            raise FormatError(f"cannot write the file: {_os_error(error)}", source=self.source) from None

    def replace(self) -> None:
        """Put the temporary file in the target's place, keeping a link to the old content until :meth:`done`."""
        assert self.temporary is not None
        if self.status is not None:
            backup = self._sibling(".bak")
            with contextlib.suppress(OSError):
                os.link(self.real, backup)
                self.backup = backup
        os.replace(self.temporary, self.real)
        self.temporary = None

    def undo(self) -> None:
        """After a later file failed: bring back the old content (or remove the new file)."""
        with contextlib.suppress(OSError):
            if self.backup is not None:
                os.replace(self.backup, self.real)
                self.backup = None
            elif self.status is None:
                os.unlink(self.real)

    def done(self) -> None:
        """Remove whatever temporary file or backup is left."""
        for leftover in (self.temporary, self.backup):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
        self.temporary = self.backup = None


def write_files(files: Sequence[tuple[Path, str]]) -> list[Path]:
    """Write each ``(target, text)`` as UTF-8, all or nothing; return the targets.

    Every text is first written to a temporary file beside its target; the
    targets are replaced (by renaming, which is atomic) only once all of them
    are written. On any failure, every temporary file is removed and no
    target is changed. A target that is a symbolic link is written through,
    as the shell's ``> link`` does: the file it points to gets the content
    and the link stays. A target that is a folder, a device, a FIFO or a
    socket is refused, as is one file given twice.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_files([(folder / "a.txt", "A"), (folder / "b.txt", "B")])]
    ['a.txt', 'b.txt']
    >>> write_files([(folder / "c.txt", "C"), (folder / "no" / "d.txt", "D")])
    Traceback (most recent call last):
    ...
    electoral.errors.FormatError: .../no/d.txt: cannot write the file: No such file or directory
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt']
    """
    outputs: list[_Output] = []
    replaced: list[_Output] = []
    try:
        seen: dict[Path, str] = {}
        for target, text in files:
            output = _Output(target)
            if output.real in seen:
                raise FormatError(
                    f"another output is already written to this file ({path_text(seen[output.real])})",
                    source=output.source,
                )
            seen[output.real] = output.source
            outputs.append(output)
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError as error:  # a lone surrogate, which no UTF-8 file can hold
                raise FormatError(
                    f"cannot write the file: the text holds {excerpt(error.object[error.start : error.end])},"
                    " which is not a character",
                    source=output.source,
                ) from None
            output.write(data)
        for output in outputs:
            try:
                output.replace()
            except OSError as error:
                for earlier in reversed(replaced):
                    earlier.undo()
                raise FormatError(f"cannot write the file: {_os_error(error)}", source=output.source) from None
            replaced.append(output)
    finally:
        for output in outputs:
            output.done()
    return [target for target, _ in files]
