"""Reading elections from files, and RCTab contests and reports.

:func:`read` picks a reader by the ``format`` argument, else by the file's
extension, else by its content, and returns an :class:`~electoral.Election`.
Readers build elections and never count (the RCTab functions, which turn a
contest config into a count and a report, are the one exception). Each error
names the file and, where it can, the row or field.

Cast-vote-record formats read here (see :doc:`api/io`):

========== ============================================== ============================
format     what                                           options of :func:`read`
========== ============================================== ============================
json       this library's election JSON
ess        ES&S xlsx (one row per ballot)                 first_row, first_column, ranks
cdf        NIST SP 1500-103 CDF, JSON or XML              contest
dominion   Dominion JSON export folder                    contest
hart       Hart XML folder (one file per ballot)          contest
clearballot Clear Ballot CSV                              contest
csv        RCTab's generic CSV (one column per candidate) first_row, first_column
preflib    PrefLib .soi/.soc/.toi/.toc (if installed)
blt        BLT (OpenSTV/ERS) (if installed)
========== ============================================== ============================

Every CVR reader also takes the marking options of :class:`MarkSpec`
(``candidates``, ``aliases``, ``overvote_label``, ``skipped_label``,
``undeclared_write_in``, ``overvote_delimiter``, ``max_rankings``,
``seats``); without ``candidates``, every code marked is a candidate.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from electoral._model import Election
from electoral.errors import FormatError
from electoral.io._cvr import UNDECLARED_WRITE_INS, CvrTable, MarkSpec, build_election
from electoral.io._json import read_json
from electoral.io._rctab import (
    RctabContest,
    rctab_reports,
    read_rctab_config,
    tabulate_rctab,
    write_rctab_reports,
)
from electoral.io._rctab_report import rctab_report, rctab_report_csv

__all__ = [
    "UNDECLARED_WRITE_INS",
    "MarkSpec",
    "RctabContest",
    "formats",
    "rctab_report",
    "rctab_report_csv",
    "rctab_reports",
    "read",
    "read_rctab_config",
    "tabulate_rctab",
    "write_rctab_reports",
]

Reader = Callable[..., Election]

_SPEC_FIELDS = frozenset(
    {
        "candidates",
        "aliases",
        "overvote_label",
        "skipped_label",
        "undeclared_write_in",
        "overvote_delimiter",
        "treat_blank_as_undeclared_write_in",
        "max_rankings",
        "seats",
        "title",
    }
)


def _cvr_reader(load: Callable[..., CvrTable], table_options: frozenset[str]) -> Reader:
    def read_cvr(path: Path, **options: Any) -> Election:
        unknown = set(options) - table_options - _SPEC_FIELDS
        if unknown:
            raise FormatError(f"unknown option {sorted(unknown)[0]!r} for this format", source=str(path))
        table = load(path, **{k: v for k, v in options.items() if k in table_options})
        spec_options = {k: v for k, v in options.items() if k in _SPEC_FIELDS}
        if "candidates" in spec_options:
            spec_options["candidates"] = tuple(spec_options["candidates"])
        spec = MarkSpec(infer_candidates="candidates" not in spec_options, **spec_options)
        return build_election([table], spec)

    return read_cvr


def _ess(path: Path, **options: Any) -> CvrTable:
    from electoral.io._ess import read_ess_table

    return read_ess_table(path, **options)


def _cdf(path: Path, **options: Any) -> CvrTable:
    from electoral.io._cdf import read_cdf_table

    return read_cdf_table(path, **options)


def _dominion(path: Path, **options: Any) -> CvrTable:
    from electoral.io._dominion import read_dominion_table

    if "contest" not in options:
        raise FormatError("a Dominion export holds many contests: pass contest= (its Id)", source=str(path))
    return read_dominion_table(path, **options)


def _hart(path: Path, **options: Any) -> CvrTable:
    from electoral.io._hart import read_hart_table

    if "contest" not in options:
        raise FormatError("Hart CVRs hold many contests: pass contest= (its Id)", source=str(path))
    return read_hart_table(path, **options)


def _clearballot(path: Path, **options: Any) -> CvrTable:
    from electoral.io._clearballot import read_clearballot_table

    return read_clearballot_table(path, **options)


def _generic_csv(path: Path, **options: Any) -> CvrTable:
    from electoral.io._csv import read_generic_csv_table

    return read_generic_csv_table(path, **options)


def _json(path: Path, **options: Any) -> Election:
    if options:
        raise FormatError(f"the election JSON takes no options, got {sorted(options)[0]!r}", source=str(path))
    return read_json(path)


_READERS: dict[str, Reader] = {
    "json": _json,
    "ess": _cvr_reader(_ess, frozenset({"first_row", "first_column", "ranks"})),
    "cdf": _cvr_reader(_cdf, frozenset({"contest"})),
    "dominion": _cvr_reader(_dominion, frozenset({"contest"})),
    "hart": _cvr_reader(_hart, frozenset({"contest"})),
    "clearballot": _cvr_reader(_clearballot, frozenset({"contest"})),
    "csv": _cvr_reader(_generic_csv, frozenset({"first_row", "first_column"})),
}
_EXTENSIONS: dict[str, str] = {".json": "json", ".xlsx": "ess", ".xml": "cdf", ".csv": "csv"}


def _register_plain_reader(name: str, module: str, function: str, extensions: tuple[str, ...]) -> None:
    """Register a reader that takes no options from a module of this package (imported here, not at start-up)."""
    reader = getattr(importlib.import_module(module), function)

    def read_file(path: Path, **options: Any) -> Election:
        if options:
            raise FormatError(f"the {name} reader takes no options, got {sorted(options)[0]!r}", source=str(path))
        election: Election = reader(path)
        return election

    _READERS[name] = read_file
    for extension in extensions:
        _EXTENSIONS[extension] = name


_register_plain_reader("preflib", "electoral.io._preflib", "read_preflib", (".soi", ".soc", ".toi", ".toc"))
_register_plain_reader("blt", "electoral.io._blt", "read_blt", (".blt",))


def formats() -> tuple[str, ...]:
    """The names of the formats :func:`read` understands."""
    return tuple(sorted(_READERS))


def _sniff(file: Path) -> str | None:
    """Guess a format from the content, for files whose extension does not say."""
    if file.is_dir():
        names = {p.name for p in file.iterdir()}
        if "CvrExport.json" in names or any(n.startswith("CvrExport_") for n in names):
            return "dominion"
        if any(n.lower().endswith(".xml") for n in names):
            return "hart"
        return None
    try:
        with file.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04"):
        return "ess"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "cdf" if b"CVR" in head else "json"
    if text.startswith(b"<"):
        return "hart" if b"<Cvr" in head else "cdf"
    if text.startswith(b"RowNumber,") and b"Choice_" in head:
        return "clearballot"
    return None


def read(path: str | os.PathLike[str], format: str | None = None, **options: Any) -> Election:
    """Read an election from ``path``; ``format`` overrides the guess from the extension or content.

    ``options`` go to the format's reader (see the table above).

    >>> import electoral.io, pathlib, tempfile, json
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "e.json").write_text(json.dumps({"votes": {"A": 2, "B": 1}}))
    >>> electoral.io.read(folder / "e.json").names
    ('A', 'B')
    >>> _ = (folder / "cvr.csv").write_text("id,A,B,C\\n1,1,2,\\n2,,1,2\\n3,,,\\n")
    >>> e = electoral.io.read(folder / "cvr.csv", first_column=2)
    >>> [str(b) for b in e.ballots], e.cast
    (['A>B', 'B>C', ''], 3)
    """
    file = Path(path)
    if format is None:
        format = _EXTENSIONS.get(file.suffix.lower()) if file.is_file() else None
        if format == "json" and _sniff(file) == "cdf":
            format = "cdf"
        if format is None:
            format = _sniff(file) if file.exists() else None
        if format is None:
            if not file.exists():
                raise FormatError("no such file or folder", source=str(file))
            raise FormatError(
                f"cannot tell the format from the extension {file.suffix!r} or the content;"
                f" pass format= (one of {', '.join(formats())})",
                source=str(file),
            )
    reader = _READERS.get(format)
    if reader is None:
        raise FormatError(f"unknown format {format!r} (formats: {', '.join(formats())})", source=str(file))
    return reader(file, **options)
