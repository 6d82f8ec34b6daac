"""Reading elections from files, and RCTab contests and reports.

:func:`read` picks a reader by the ``format`` argument, else by the file's
extension, else by its content (one table, :mod:`electoral.io._formats`,
holds each format's reader, detection and options), and returns an :class:`~electoral.Election`.
Readers build elections and never count (the RCTab functions, which turn a
contest config into a count and a report, are the one exception). Each error
names the file and, where it can, the row or field.

Cast-vote-record formats read here (see :doc:`api/io`):

========== ============================================== ============================
format     what                                           options of :func:`read`
========== ============================================== ============================
json       this library's election JSON
ess        ES&S xlsx file or folder (a row per ballot)    first_row, first_column, ranks
cdf        NIST SP 1500-103 CDF, JSON or XML              contest
dominion   Dominion JSON export folder                    contest
hart       Hart XML folder (one file per ballot)          contest
clearballot Clear Ballot CSV                              contest
csv        RCTab's generic CSV (one column per candidate) first_row, first_column
rank-csv   rank-column CSV (a column per rank)            first_column, ranks, weight
preflib    PrefLib .soi/.soc/.toi/.toc (if installed)
blt        BLT (OpenSTV/ERS) (if installed)
aec-senate the AEC's Senate formal preferences CSV
========== ============================================== ============================

Every CVR reader also takes the marking options of :class:`MarkSpec`
(``candidates``, ``aliases``, ``overvote_label``, ``skipped_label``,
``undeclared_write_in``, ``overvote_delimiter``, ``max_rankings``,
``seats``); without ``candidates``, every code marked is a candidate.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from electoral._model import Election
from electoral._text import excerpt
from electoral.errors import FormatError
from electoral.io._cvr import UNDECLARED_WRITE_INS, MarkSpec
from electoral.io._files import file_mode, kind_of, open_binary
from electoral.io._formats import BY_NAME, READ_OPTIONS, detect
from electoral.io._json import load_json
from electoral.io._rctab import (
    RctabContest,
    rctab_reports,
    rctab_reports_csv,
    read_rctab_config,
    tabulate_rctab,
    write_rctab_reports,
)
from electoral.io._rctab_convert import write_cdf_cvr
from electoral.io._rctab_output import rctab_artifacts, write_rctab_output
from electoral.io._rctab_report import rctab_report, rctab_report_csv
from electoral.io._rctab_slices import rctab_slices, slice_artifacts
from electoral.io._returns import read_returns

__all__ = [
    "UNDECLARED_WRITE_INS",
    "MarkSpec",
    "RctabContest",
    "formats",
    "rctab_artifacts",
    "rctab_report",
    "rctab_report_csv",
    "rctab_reports",
    "rctab_reports_csv",
    "rctab_slices",
    "read",
    "read_rctab_config",
    "read_returns",
    "slice_artifacts",
    "tabulate_rctab",
    "write_cdf_cvr",
    "write_rctab_output",
    "write_rctab_reports",
]


def _check_options(options: Mapping[str, Any], source: str) -> None:
    """Refuse a reader option of the wrong type or range, naming it (the readers assume the types).

    The types are the options' declarations (``io._formats.READ_OPTIONS``);
    an undeclared option is left to the format to refuse.
    """
    for key, value in options.items():
        declared = READ_OPTIONS.get(key)
        if declared is not None and not declared.accepts(value):
            raise FormatError(
                f"option {key}: expected {declared.expected}, not {excerpt(value, given=True)}", source=source
            )


def formats() -> tuple[str, ...]:
    """The names of the formats :func:`read` understands."""
    return tuple(sorted(BY_NAME))


#: top-level keys of a CDF JSON report (an election JSON file refuses every one of them)
_CDF_KEYS = frozenset({"CVR", "Election", "@type", "GpUnit", "ReportGeneratingDeviceIds", "ReportingDevice"})
_ELECTION_KEYS = frozenset({"format", "candidates", "ballots", "votes"})


def _json_format(data: Any) -> str:
    """Election JSON or CDF, from the parsed document's top-level keys (not from its text)."""
    if isinstance(data, Mapping) and not data.keys() & _ELECTION_KEYS and data.keys() & _CDF_KEYS:
        return "cdf"
    return "json"


def _folder_names(folder: Path) -> set[str]:
    try:
        return {p.name for p in folder.iterdir()}
    except OSError as error:
        raise FormatError(f"cannot read the folder: {error.strerror or error}", source=str(folder)) from None


def _head(file: Path) -> bytes:
    """The first bytes of ``file``, for telling its format by content."""
    with open_binary(file) as stream:
        try:
            return stream.read(4096)
        except OSError as error:
            raise FormatError(f"cannot read the file: {error.strerror or error}", source=str(file)) from None


def read(path: str | os.PathLike[str], format: str | None = None, **options: Any) -> Election:
    """Read an election from ``path``; ``format`` overrides the guess from the extension or content.

    ``options`` go to the format's reader (see the table above). A path that
    is neither a regular file nor a folder (a FIFO, a device, a socket) is
    refused before anything opens it. A JSON file is parsed once, and its
    top-level keys tell election JSON (``format``, ``candidates``,
    ``ballots``, ``votes``) from a CDF report (``CVR``, ``Election``,
    ``@type``...), whatever the names inside it.

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
    if not isinstance(path, (str, os.PathLike)):
        raise FormatError(f"expected a file path, not {excerpt(path)}")
    file = Path(path)
    source = str(file)
    if format is not None and not isinstance(format, str):
        raise FormatError(f"format must be a format's name (one of {', '.join(formats())}), not {excerpt(format)}")
    _check_options(options, source)
    mode = file_mode(file, source)
    if mode is None:
        raise FormatError("no such file or folder", source=source)
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        # refused before anything opens it: a FIFO would block, a device would never end
        raise FormatError(f"{kind_of(mode)}, not a regular file or a folder: refused before reading", source=source)
    if format is None:
        format = detect(file, folder=stat.S_ISDIR(mode), head=lambda: _head(file), names=lambda: _folder_names(file))
        if format is None:
            raise FormatError(
                f"cannot tell the format from the extension {excerpt(file.suffix)} or the content;"
                f" pass format= (one of {', '.join(formats())})",
                source=source,
            )
        if format == "json" and stat.S_ISREG(mode):
            # one parse tells election JSON from CDF JSON by structure, and serves the reader
            data = load_json(file, source)
            return BY_NAME[_json_format(data)].read(file, _data=data, **options)
    reader = BY_NAME.get(format)
    if reader is None:
        raise FormatError(f"unknown format {excerpt(format)} (formats: {', '.join(formats())})", source=source)
    return reader.read(file, **options)
