"""Finding the bundled example files, in an installed package or in a checkout.

A wheel carries the repository's top-level ``examples/`` folder as the package
data ``electoral/examples/data`` (``force-include`` in ``pyproject.toml``), so
there is one copy of the files. Run from a checkout (``src`` on the path, or an
editable install), the package has no ``data`` folder and the files are read
where they are kept, in ``examples/`` at the root of the checkout.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Final

from electoral import io
from electoral._model import Election
from electoral._text import excerpt
from electoral.errors import UnknownExampleError

#: the extensions of example files; anything else in the folder (its README) is not an example
SUFFIXES: Final = (".json", ".blt")

# Files extracted from a zipped package stay until the interpreter exits.
_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)


def _folder() -> Traversable:
    packaged = resources.files(__package__ or "electoral.examples") / "data"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "examples"
    if checkout.is_dir():
        return checkout
    raise UnknownExampleError("the bundled examples are missing from this installation of electoral")


def _files() -> dict[str, Traversable]:
    found = {}
    for entry in _folder().iterdir():
        stem, dot, suffix = entry.name.rpartition(".")
        if dot and f".{suffix}" in SUFFIXES and entry.is_file():
            found[stem] = entry
    return dict(sorted(found.items()))


def names() -> tuple[str, ...]:
    """The names of the bundled examples, sorted: the file names without their extension."""
    return tuple(_files())


def path(name: str) -> Path:
    """The file of the example ``name`` on disk, for :func:`electoral.io.read` or the command line.

    >>> path("shetland-2012-north-isles").suffix
    '.blt'
    >>> path("atlantis-1999")
    Traceback (most recent call last):
    ...
    electoral.errors.UnknownExampleError: no bundled example is named 'atlantis-1999'; the examples are: ...
    """
    files = _files()
    entry = files.get(name) if isinstance(name, str) else None
    if entry is None:
        raise UnknownExampleError(f"no bundled example is named {excerpt(name)}; the examples are: {', '.join(files)}")
    if isinstance(entry, Path):
        return entry
    return _EXTRACTED.enter_context(resources.as_file(entry))  # a zipped package: a temporary copy


def load(name: str) -> Election:
    """The example ``name`` read as an :class:`~electoral.Election` (by :func:`electoral.io.read`).

    >>> load("burlington-2009").names[:2]
    ('Bob Kiss', 'Andy Montroll')
    """
    return io.read(path(name))
