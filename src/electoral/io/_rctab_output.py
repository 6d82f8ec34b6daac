"""Every file RCTab writes for a contest, named as RCTab's test suite names them, written into one folder.

``electoral rctab CONFIG --output-dir DIR`` writes what RCTab writes for the
config's ``outputSettings``. The files come in pieces, each a function of the
contest (and its result) that maps a relative POSIX path to the file's text:

- :func:`report_artifacts`: the detailed report as JSON and CSV, one of each
  per pass for a multi-pass (``multiPassIrv``) contest;
- :func:`slice_artifacts`: the per-precinct and per-batch reports
  (``tabulateByPrecinct``, ``tabulateByBatch``), in ``Tabulate by Precinct/``
  and ``Tabulate by Batch/``;
- :func:`cvr_artifacts`: the CDF CVR JSON (``generateCdfJson``) and RCTab's
  CSV CVR conversion.

A file is named as RCTab's expected file for it in the suite, with
``_expected`` taken out: the prefix is the config's file name without
``_config.json``, then ``_<n>`` for pass n of a multi-pass contest, then the
kind (``_detailed_report.json``). RCTab itself names its outputs by a
timestamp, ``<timestamp>_detailed_report[_<n>].json`` in its
``ResultsWriter.getOutputFilePath``; its tests rename them to the case's
names, and those are the names used here, so that a folder written by
``--output-dir`` can be compared file by file with the suite's.

The folder is written all or nothing (:func:`write_rctab_output`): DIR is
either absent (its parent must be a folder) or an empty folder; a DIR that
is a file, or a folder that holds anything, is refused, so that no earlier
file is ever overwritten or mixed with the new ones. Every file is computed
first, then written into a new hidden folder beside DIR, which is renamed to
DIR only once every file is written (into an empty DIR that exists, the
files are moved, so that DIR keeps its place, owner and mode). On any error,
or Ctrl-C, the hidden folder is removed and DIR is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Final

from electoral._result import Result
from electoral._text import excerpt
from electoral.errors import FormatError
from electoral.io._files import file_mode, kind_of
from electoral.io._rctab import _passes, rctab_csv_layout, rctab_reports, report_json_text
from electoral.io._rctab_config import RctabContest, artifact_prefix, tabulate_rctab
from electoral.io._rctab_convert import conversion_artifacts
from electoral.io._rctab_csv import rctab_report_csv
from electoral.io._rctab_slices import slice_artifacts as rctab_slice_files

__all__ = [
    "ARTIFACT_PIECES",
    "cvr_artifacts",
    "rctab_artifacts",
    "report_artifacts",
    "slice_artifacts",
    "write_rctab_output",
]


def report_artifacts(contest: RctabContest, result: Result, skipped: list[str]) -> dict[str, str]:
    """The detailed report(s): ``<prefix>_detailed_report.json`` and ``.csv``, or ``<prefix>_<n>_...`` per pass."""
    prefix = artifact_prefix(contest)
    reports = rctab_reports(contest, result)
    passes = _passes(contest, result)
    files: dict[str, str] = {}
    for number, (report, one) in enumerate(zip(reports, passes, strict=True), start=1):
        stem = f"{prefix}_{number}" if len(reports) > 1 else prefix
        files[f"{stem}_detailed_report.json"] = report_json_text(report)
        files[f"{stem}_detailed_report.csv"] = rctab_report_csv(
            report, **rctab_csv_layout(contest, report, one, number)
        )
    return files


def slice_artifacts(contest: RctabContest, result: Result, skipped: list[str]) -> dict[str, str]:
    """The per-precinct and per-batch reports (``tabulateByPrecinct``, ``tabulateByBatch``).

    See :func:`electoral.io._rctab_slices.slice_artifacts`. A multi-pass
    contest's slices are followed in Python but not written (the suite shows
    no names for them); that is said in ``skipped``.
    """
    if contest.slices and contest.mode == "multiPassIrv":
        skipped.append("the slice reports of a multi-pass count (RCTab's suite shows no names for them)")
        return {}
    return rctab_slice_files(contest, result)


def cvr_artifacts(contest: RctabContest, result: Result, skipped: list[str]) -> dict[str, str]:
    """RCTab's CSV CVR (``<prefix>_rctab_cvr.csv``) and, with ``generateCdfJson``, the CDF CVR JSON.

    See :func:`electoral.io._rctab_convert.conversion_artifacts`; a conversion
    that cannot be made is left out, and the reason joins ``skipped``.
    """
    return conversion_artifacts(contest, result, skipped=skipped)


#: A piece: the files of one kind, given the contest, its count, and a list that collects what it could not write.
Piece = Callable[[RctabContest, Result, list[str]], dict[str, str]]

#: The pieces :func:`rctab_artifacts` collects, in order; each maps a relative path to a file's text.
ARTIFACT_PIECES: Final[tuple[Piece, ...]] = (
    report_artifacts,
    slice_artifacts,
    cvr_artifacts,
)


def _check_name(name: str, source: str) -> PurePosixPath:
    path = PurePosixPath(name)
    parts = path.parts
    if (
        not parts
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in parts)
        or "\\" in name
        or "\0" in name
        or name != str(path)
    ):
        raise FormatError(f"an output file name must be a plain relative path, not {excerpt(name)}", source=source)
    return path


def rctab_artifacts(
    contest: RctabContest,
    result: Result | None = None,
    *,
    pieces: Sequence[Piece] = ARTIFACT_PIECES,
    skipped: list[str] | None = None,
) -> dict[str, str]:
    """Every file RCTab writes for the contest, as ``{relative POSIX path: text}``.

    Two pieces may not give the same file, and no file may sit where
    another piece puts a folder. A file that cannot be made (a conversion of
    records of a provider not converted) is left out, and a line saying
    which and why joins ``skipped``.
    """
    notes: list[str] = [] if skipped is None else skipped
    if result is None:
        result = tabulate_rctab(contest)
    source = str(contest.path)
    files: dict[str, str] = {}
    for piece in pieces:
        for name, text in piece(contest, result, notes).items():
            _check_name(name, source)
            if name in files:
                raise FormatError(f"two outputs are named {excerpt(name)}", source=source)
            files[name] = text
    folders = {str(parent) for name in files for parent in PurePosixPath(name).parents if str(parent) != "."}
    clash = sorted(folders & set(files))
    if clash:
        raise FormatError(f"an output file is also a folder of others: {excerpt(clash[0])}", source=source)
    return files


def _os_error(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _what(mode: int) -> str:
    return "a file" if stat.S_ISREG(mode) else kind_of(mode)


def _target(folder: Path) -> Path:
    """Where the folder goes (a link to a folder: the folder it names), once it is known to be new or empty."""
    source = str(folder)
    try:
        real = Path(os.path.realpath(folder))
    except ValueError:
        raise FormatError("the path holds a NUL character", source=source) from None
    mode = file_mode(real, source)
    if mode is None:
        if real.name in ("", ".", ".."):
            raise FormatError("not a folder name", source=source)
        parent = file_mode(real.parent, source)
        if parent is None or not stat.S_ISDIR(parent):
            missing = "does not exist" if parent is None else f"is {_what(parent)}, not a folder"
            raise FormatError(f"cannot create the folder: the folder it would go in {missing}", source=source)
        return real
    if not stat.S_ISDIR(mode):
        raise FormatError(
            f"{'a file' if stat.S_ISREG(mode) else kind_of(mode)}, not a folder: nothing written", source=source
        )
    try:
        with os.scandir(real) as entries:
            if any(True for _ in entries):
                raise FormatError(
                    "the folder is not empty: nothing written (give a new or empty folder)", source=source
                )
    except OSError as error:
        raise FormatError(f"cannot read the folder: {_os_error(error)}", source=source) from None
    return real


def _write_one(path: Path, text: str, source: str) -> None:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate, which no UTF-8 file can hold
        raise FormatError(
            f"cannot write {excerpt(path.name)}: the text holds {excerpt(error.object[error.start : error.end])},"
            " which is not a character",
            source=source,
        ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(fd)


def _move_into(temporary: Path, real: Path) -> None:
    """Move the new files and folders into the empty folder ``real``, then remove ``temporary``.

    The folder keeps its place: its owner and mode, and a shell or a process
    whose current folder it is (``--output-dir .``) sees the files; a
    folder replaced by a rename would leave them in a deleted one. If the
    folder is no longer empty, or a move fails, whatever was moved goes back.
    """
    moved: list[str] = []
    try:
        with os.scandir(real) as entries:
            if any(True for _ in entries):
                raise OSError(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY))
        for name in sorted(os.listdir(temporary)):
            if os.path.lexists(real / name):
                raise OSError(errno.EEXIST, os.strerror(errno.EEXIST))
            os.rename(temporary / name, real / name)
            moved.append(name)
    except BaseException:
        for name in reversed(moved):
            with contextlib.suppress(OSError):
                os.rename(real / name, temporary / name)
        raise
    os.rmdir(temporary)


def write_rctab_output(folder: str | os.PathLike[str], files: Mapping[str, str]) -> list[Path]:
    """Write ``files`` (relative path -> text) into ``folder``, all or nothing; return the paths written.

    ``folder`` must not exist (its parent must be a folder) or must be an
    empty folder; a link to a folder writes into the folder it names. The
    files are written into a new hidden folder beside it, which then
    becomes it in one rename (or, for an empty folder that exists, whose
    entries are moved into it, so that the folder keeps its place). On
    any error nothing is left behind and the folder is as it was.
    """
    given = Path(folder)
    source = str(given)
    for name in files:
        _check_name(name, source)
    real = _target(given)
    existing = os.path.lexists(real)  # an empty folder, checked by _target
    temporary = real.with_name(f".electoral-{secrets.token_hex(6)}.tmp")
    try:
        os.mkdir(temporary)  # the usual mode of a new folder (0o777 less the umask)
    except OSError as error:
        raise FormatError(f"cannot create the folder: {_os_error(error)}", source=source) from None
    try:
        for name, text in files.items():
            _write_one(temporary.joinpath(*PurePosixPath(name).parts), text, source)
        if existing:
            _move_into(temporary, real)
        else:
            os.rename(temporary, real)  # one rename; a folder or file put there meanwhile is not replaced
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        raise FormatError(f"cannot write the folder: {_os_error(error)}", source=source) from None
    except BaseException:  # a FormatError, or Ctrl-C (KeyboardInterrupt) between two files
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    with contextlib.suppress(OSError):
        parent = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(parent)
        finally:
            os.close(parent)
    return [given / PurePosixPath(name) for name in files]
