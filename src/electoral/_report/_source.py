"""The provenance of a report: each input file's name, size and SHA-256."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from electoral._text import excerpt, path_text
from electoral.errors import FormatError

__all__ = ["Source", "rctab_sources"]

_CHUNK = 1 << 20


def _digest(path: Path, source: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as error:
        raise FormatError(
            f"cannot read the file to hash it: {error.strerror or type(error).__name__}", source=source
        ) from None
    return digest.hexdigest(), size


@attrs.frozen
class Source:
    """One input of a count, as the report's provenance names it.

    ``sha256`` is the SHA-256 of the file's bytes, in hex. For a folder (the
    Dominion and Hart formats are folders) it is the SHA-256 of a manifest
    of its ``files`` regular files (symbolic links are not followed), one line ``<sha256>  <path>`` per file
    in the order of their paths relative to the folder (the lines
    ``sha256sum`` prints), so ``cd FOLDER && find . -type f -printf '%P\\n'
    | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum`` gives the same
    digest; ``size`` is then the files' total bytes.

    >>> Source.of_bytes(b"abc", name="e.json").sha256[:16]
    'ba7816bf8f01cfea'
    """

    name: str
    sha256: str
    size: int
    role: str = "input"
    files: int | None = None

    @classmethod
    def of_bytes(cls, data: bytes, *, name: str, role: str = "input") -> Source:
        """The source of bytes already in memory."""
        return cls(name, hashlib.sha256(data).hexdigest(), len(data), role)

    @classmethod
    def of_file(cls, path: str | os.PathLike[str], *, role: str = "input", name: str | None = None) -> Source:
        """Hash the file (or folder) at ``path``; ``name`` is what the report shows (default: ``path`` as given)."""
        if not isinstance(path, (str, os.PathLike)):
            raise FormatError(f"a report's source must be a file path or a Source, not {excerpt(path)}")
        file = Path(path)
        source = path_text(file)
        shown = os.fspath(path) if name is None else name
        try:
            mode = os.stat(file).st_mode
        except OSError as error:
            raise FormatError(
                f"cannot hash the file: {error.strerror or type(error).__name__}", source=source
            ) from None
        if stat.S_ISREG(mode):
            digest, size = _digest(file, source)
            return cls(shown, digest, size, role)
        if stat.S_ISDIR(mode):
            lines: list[str] = []
            total = 0
            try:
                inside = sorted(
                    (p for p in file.rglob("*") if p.is_file() and not p.is_symlink()),
                    key=lambda p: p.relative_to(file).as_posix().encode("utf-8", "surrogateescape"),
                )
            except OSError as error:
                raise FormatError(
                    f"cannot list the folder to hash it: {error.strerror or type(error).__name__}", source=source
                ) from None
            for item in inside:
                digest, size = _digest(item, path_text(item))
                total += size
                lines.append(f"{digest}  {item.relative_to(file).as_posix()}\n")
            manifest = "".join(lines).encode("utf-8", "surrogateescape")
            return cls(shown, hashlib.sha256(manifest).hexdigest(), total, role, files=len(lines))
        raise FormatError("is neither a regular file nor a folder: nothing to hash", source=source)


def rctab_sources(config_path: str | os.PathLike[str], config: Mapping[str, Any]) -> list[Source]:
    """The provenance of an RCTab contest: its config, then each CVR source it lists.

    A source is named as the config writes its ``filePath``, and found, as
    RCTab finds it, relative to the config's folder unless absolute.
    """
    folder = Path(config_path).parent
    sources = [Source.of_file(config_path, role="RCTab config")]
    raw = config.get("cvrFileSources")
    for item in raw if isinstance(raw, list) else ():
        if not isinstance(item, Mapping) or not isinstance(item.get("filePath"), str):
            continue
        written = item["filePath"].strip()
        provider = item.get("provider")
        role = f"CVR ({provider})" if isinstance(provider, str) and provider else "CVR"
        sources.append(Source.of_file(folder / written, role=role, name=written))
    return sources
