"""Reading elections from files.

:func:`read` picks a reader by the file's extension (or the ``format``
argument) and returns an :class:`~electoral.Election`. Readers build
elections and never count. Each error names the file and, where it can, the
line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from electoral._model import Election
from electoral.errors import FormatError
from electoral.io._json import read_json

__all__ = ["formats", "read"]

Reader = Callable[[Path], Election]
_READERS: dict[str, Reader] = {"json": read_json}
_EXTENSIONS: dict[str, str] = {".json": "json"}


def formats() -> tuple[str, ...]:
    """The names of the formats :func:`read` understands."""
    return tuple(sorted(_READERS))


def read(path: str | os.PathLike[str], format: str | None = None) -> Election:
    """Read an election from ``path``; ``format`` overrides the guess from the extension.

    >>> import electoral.io, pathlib, tempfile, json
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "e.json").write_text(json.dumps({"votes": {"A": 2, "B": 1}}))
    >>> electoral.io.read(folder / "e.json").names
    ('A', 'B')
    """
    file = Path(path)
    if format is None:
        format = _EXTENSIONS.get(file.suffix.lower())
        if format is None:
            raise FormatError(
                f"cannot tell the format from the extension {file.suffix!r}; pass format= (one of {', '.join(formats())})",
                source=str(file),
            )
    reader = _READERS.get(format)
    if reader is None:
        raise FormatError(f"unknown format {format!r} (formats: {', '.join(formats())})", source=str(file))
    return reader(file)
