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
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from electoral._model import Election
from electoral._text import excerpt
from electoral.errors import FormatError
from electoral.io._cvr import UNDECLARED_WRITE_INS, CvrTable, MarkSpec, build_election
from electoral.io._files import file_mode, kind_of, open_binary
from electoral.io._json import UNREAD, load_json, read_json
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


#: the reader options that are whole numbers, and their least value
_WHOLE_OPTIONS = {"first_row": 1, "first_column": 1, "ranks": 1, "max_rankings": 1, "seats": 1}
_TEXT_OPTIONS = frozenset(
    {"contest", "overvote_label", "skipped_label", "undeclared_write_in", "overvote_delimiter", "title"}
)


def _check_options(options: Mapping[str, Any], source: str) -> None:
    """Refuse a reader option of the wrong type or range, naming it (the readers assume the types)."""

    def fail(key: str, expected: str) -> FormatError:
        return FormatError(f"option {key}: expected {expected}, not {excerpt(options[key], given=True)}", source=source)

    for key, value in options.items():
        if key in _WHOLE_OPTIONS:
            if not isinstance(value, int) or isinstance(value, bool) or value < _WHOLE_OPTIONS[key]:
                raise fail(key, f"a whole number of at least {_WHOLE_OPTIONS[key]}")
        elif key in _TEXT_OPTIONS:
            if not isinstance(value, str) and not (value is None and key != "contest"):
                raise fail(key, "text")
        elif key == "treat_blank_as_undeclared_write_in":
            if not isinstance(value, bool):
                raise fail(key, "True or False")
        elif key == "candidates":
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise fail(key, "a list of names")
            if not all(isinstance(name, str) for name in value):
                raise fail(key, "a list of names (text)")
        elif key == "aliases" and not _is_text_mapping(value):
            raise fail(key, "a mapping from code to candidate name")


def _is_text_mapping(value: object) -> bool:
    return isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _cvr_reader(load: Callable[..., CvrTable], table_options: frozenset[str]) -> Reader:
    def read_cvr(path: Path, _data: Any = UNREAD, **options: Any) -> Election:
        unknown = set(options) - table_options - _SPEC_FIELDS
        if unknown:
            raise FormatError(f"unknown option {excerpt(sorted(unknown)[0])} for this format", source=str(path))
        table_options_given = {k: v for k, v in options.items() if k in table_options}
        table = load(path, **table_options_given) if _data is UNREAD else load(path, data=_data, **table_options_given)
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


def _json(path: Path, _data: Any = UNREAD, **options: Any) -> Election:
    if options:
        raise FormatError(f"the election JSON takes no options, got {excerpt(sorted(options)[0])}", source=str(path))
    return read_json(path, _data)


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
            raise FormatError(
                f"the {name} reader takes no options, got {excerpt(sorted(options)[0])}", source=str(path)
            )
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


#: top-level keys of a CDF JSON report (an election JSON file refuses every one of them)
_CDF_KEYS = frozenset({"CVR", "Election", "@type", "GpUnit", "ReportGeneratingDeviceIds", "ReportingDevice"})
_ELECTION_KEYS = frozenset({"format", "candidates", "ballots", "votes"})


def _json_format(data: Any) -> str:
    """Election JSON or CDF, from the parsed document's top-level keys (not from its text)."""
    if isinstance(data, Mapping) and not data.keys() & _ELECTION_KEYS and data.keys() & _CDF_KEYS:
        return "cdf"
    return "json"


def _sniff_folder(folder: Path) -> str | None:
    try:
        names = {p.name for p in folder.iterdir()}
    except OSError as error:
        raise FormatError(f"cannot read the folder: {error.strerror or error}", source=str(folder)) from None
    if "CvrExport.json" in names or any(n.startswith("CvrExport_") for n in names):
        return "dominion"
    if any(n.lower().endswith(".xml") for n in names):
        return "hart"
    return None


def _sniff_file(file: Path) -> str | None:
    """Guess a format from the first bytes, for files whose extension does not say."""
    with open_binary(file) as stream:
        try:
            head = stream.read(4096)
        except OSError as error:
            raise FormatError(f"cannot read the file: {error.strerror or error}", source=str(file)) from None
    if head.startswith(b"PK\x03\x04"):
        return "ess"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")):
        return "json"
    if text.startswith(b"<"):
        return "hart" if b"<Cvr" in head else "cdf"
    if text.startswith(b"RowNumber,") and b"Choice_" in head:
        return "clearballot"
    return None


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
        if stat.S_ISDIR(mode):
            format = _sniff_folder(file)
        else:
            format = _EXTENSIONS.get(file.suffix.lower()) or _sniff_file(file)
        if format is None:
            raise FormatError(
                f"cannot tell the format from the extension {excerpt(file.suffix)} or the content;"
                f" pass format= (one of {', '.join(formats())})",
                source=source,
            )
        if format == "json" and stat.S_ISREG(mode):
            # one parse tells election JSON from CDF JSON by structure, and serves the reader
            data = load_json(file, source)
            if _json_format(data) == "cdf":
                return _READERS["cdf"](file, _data=data, **options)
            return _json(file, _data=data, **options)
    reader = _READERS.get(format)
    if reader is None:
        raise FormatError(f"unknown format {excerpt(format)} (formats: {', '.join(formats())})", source=source)
    return reader(file, **options)
