"""Condensed rank-column CSV: one row per ballot, one column per rank, each cell the candidate's name.

This is the layout of the condensed cast vote records Multnomah County's
Portland 2024 files are published in, as shipped with votekit, and of
votekit's own ``load_csv``/``load_ranking_csv`` (rank columns, an optional
weight column, an id column; see votekit's documentation)::

    Precinct,rank1,rank2,rank3
    M4703,Terrence Hayes,Loretta Smith,skipped
    M4508,Loretta Smith,,

- The first row is the header. Its rank columns are found by their names
  (``rank1``, ``Rank 1``, ``Choice 1``, ``1st Choice``: see
  :mod:`electoral.io._rank_headers`), or given by ``first_column`` (1-based)
  and ``ranks``; other columns (a precinct, a ballot id) are ignored.
- ``weight`` names the header of a column of ballot counts (whole numbers
  of at least 1, ASCII digits); without it each row is one ballot.
- A cell holds a candidate's name, or is blank or ``skipped`` (a rank left
  blank: Portland's spelling) or ``overvote`` (more than one candidate
  marked there). Those two words are the format's default ``skipped_label``
  and ``overvote_label`` (its entry in :mod:`electoral.io._formats`), read
  like every other format's labels; other spellings are set with them.

The file is read row by row, and identical ballots merge as they are read,
so memory grows with the unique ballots, not the file. A row is at most
:data:`MAX_ROW_BYTES` bytes and the header at most :data:`MAX_COLUMNS`
columns; a field at most the csv module's limit (131,072 characters); the
text is UTF-8 without NUL characters. Anything else is one FormatError
naming the file and line.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final

from electoral._text import ascii_int, excerpt
from electoral.errors import FormatError
from electoral.io._cvr import CvrTable, Record, csv_errors
from electoral.io._files import open_binary
from electoral.io._rank_headers import find_rank_columns

__all__ = ["MAX_COLUMNS", "MAX_ROW_BYTES", "looks_like_rank_csv", "read_rank_csv_table"]

#: The most bytes of one row (a real Portland row: under 200).
MAX_ROW_BYTES: Final = 1 << 20
#: The most columns of the header (Excel's 16,384).
MAX_COLUMNS: Final = 1 << 14
_SETTLE = "first_column= (and ranks=)"


class _Lines:
    """The file's lines for the csv module, each checked; ``used`` counts the characters of the current row."""

    def __init__(self, stream: BinaryIO, source: str) -> None:
        self.stream = stream
        self.source = source
        self.line = 0
        self.used = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            data = self.stream.readline(MAX_ROW_BYTES + 1)
        except OSError as error:
            raise FormatError(f"cannot read the file: {error.strerror or error}", source=self.source) from None
        if not data:
            raise StopIteration
        self.line += 1
        self.used += len(data)
        if self.used > MAX_ROW_BYTES:
            raise FormatError(f"a row longer than {MAX_ROW_BYTES:,} bytes", source=self.source, line=self.line)
        if b"\x00" in data:
            raise FormatError("the line holds a NUL character", source=self.source, line=self.line)
        try:
            # each line decoded alone, so that an error names its line
            return data.decode("utf-8-sig" if self.line == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise FormatError(
                f"the line is not UTF-8 text ({error.reason})", source=self.source, line=self.line
            ) from None


def looks_like_rank_csv(head: bytes) -> bool:
    """Whether a file's first bytes hold a whole header row whose rank columns are found (for detection)."""
    line, newline, _ = head.partition(b"\n")
    if not newline or line.startswith(b"RowNumber,"):  # a Clear Ballot header (its Choice_1_1 columns)
        return False
    try:
        text = line.decode("utf-8-sig").rstrip("\r")
        header = next(csv.reader([text], strict=True))
        find_rank_columns(header, source="", row=1, column=str, options="")
    except (UnicodeDecodeError, csv.Error, StopIteration, FormatError):
        return False
    return True


def read_rank_csv_table(
    path: Path, *, first_column: int | None = None, ranks: int | None = None, weight: str | None = None
) -> CvrTable:
    """Read a condensed rank-column CSV into a :class:`CvrTable` (see the module notes)."""
    source = str(path)
    records: Counter[Record] = Counter()
    where: dict[Record, str] = {}
    with csv_errors(source), open_binary(path, source) as stream:
        lines = _Lines(stream, source)
        reader = csv.reader(lines, strict=True)
        header = next(reader, None)
        if header is None:
            raise FormatError("the file is empty: no header row", source=source)
        if len(header) > MAX_COLUMNS:
            raise FormatError(
                f"the header has {len(header):,} columns, more than {MAX_COLUMNS:,}", source=source, line=1
            )
        header = [cell.strip() for cell in header]
        start, count = _rank_columns(header, first_column, ranks, source)
        stop = start + count
        weight_at = None if weight is None else _weight_column(header, weight, source)
        marks: dict[str, tuple[str, ...]] = {}
        while True:
            lines.used = 0
            at = lines.line + 1
            row = next(reader, None)
            if row is None:
                break
            if not row:
                continue  # a blank line
            if len(row) > len(header):
                raise FormatError(
                    f"the row has {len(row):,} fields, the header {len(header):,}", source=source, line=at
                )
            ranking: list[tuple[str, ...]] = []
            for cell in row[start:stop]:
                mark = marks.get(cell)
                if mark is None:
                    text = cell.strip()
                    mark = marks[cell] = (text,) if text else ()
                ranking.append(mark)
            record = tuple(ranking)
            records[record] += 1 if weight_at is None else _weight(row, weight_at, header, source, at)
            where.setdefault(record, f"line {at}")
    return CvrTable(source, dict(records), lambda record: where.get(record, "a row"))


def _rank_columns(header: list[str], first_column: int | None, ranks: int | None, source: str) -> tuple[int, int]:
    """The 0-based first rank column and the number of rank columns: given, or found from the header."""
    if first_column is None:
        start, count = find_rank_columns(header, source=source, row=1, column=lambda i: str(i + 1), options=_SETTLE)
        return start, count if ranks is None else ranks
    if first_column > len(header):
        raise FormatError(
            f"first_column is {first_column}, but the header has {len(header)} columns", source=source, line=1
        )
    return first_column - 1, len(header) - first_column + 1 if ranks is None else ranks


def _weight_column(header: list[str], weight: str, source: str) -> int:
    found = [i for i, name in enumerate(header) if name == weight.strip()]
    if len(found) != 1:
        what = "no column" if not found else f"{len(found)} columns"
        raise FormatError(f"weight {excerpt(weight)}: {what} of the header has that name", source=source, line=1)
    return found[0]


def _weight(row: list[str], index: int, header: list[str], source: str, line: int) -> int:
    cell = row[index].strip() if index < len(row) else ""
    value = ascii_int(cell)
    if value is None or value < 1:
        raise FormatError(
            f"column {index + 1} {excerpt(header[index])}: weight {excerpt(cell)} is not a whole number of at least 1",
            source=source,
            line=line,
        )
    return value
