"""Clear Ballot cast vote records: a CSV file, one row per ballot, one column per (candidate, rank).

A choice column is headed ``Choice_<id>_<n>:<contest>:<rank>:<vote for>:<candidate>:<party>``;
a cell of 1 marks that candidate at that rank, 0 or blank does not. Only the
columns of the contest named ``contest`` are read; rows are counted as
ballots of it. Candidates are named by the header's candidate field. A
column's rank is written in ASCII digits, from 1 to 10,000 (as the other
CVR readers allow).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from electoral._text import ascii_int, excerpt
from electoral.errors import FormatError
from electoral.io._cvr import MAX_RANK, CvrTable, Record, csv_errors
from electoral.io._files import open_text

__all__ = ["read_clearballot_table"]


def read_clearballot_table(path: Path, *, contest: str | None = None) -> CvrTable:
    """Read a Clear Ballot CSV into a :class:`CvrTable` (``contest``: the contest's name)."""
    source = str(path)
    records: Counter[Record] = Counter()
    where: dict[Record, str] = {}
    columns: list[tuple[int, int, str]] = []
    with csv_errors(source), open_text(path, source) as stream:
        reader = csv.reader(stream, strict=True)
        header = next(reader, None)
        if header is None:
            raise FormatError("the file is empty", source=source)
        columns = _choice_columns(header, contest, source)
        if not columns:
            raise FormatError(f"no choice column of contest {excerpt(contest, given=True)}", source=source)
        for row in reader:
            line = reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                raise FormatError(f"the row has {len(row)} fields, the header {len(header)}", source=source, line=line)
            ranks: dict[int, list[str]] = {}
            for index, rank, candidate in columns:
                cell = row[index].strip()
                if cell in ("", "0"):
                    continue
                if cell != "1":
                    raise FormatError(
                        f"column {index + 1}: mark {excerpt(cell)} is not 0 or 1", source=source, line=line
                    )
                ranks.setdefault(rank, []).append(candidate)
            width = max(ranks, default=0)
            record = tuple(tuple(ranks.get(r, ())) for r in range(1, width + 1))
            records[record] += 1
            where.setdefault(record, f"line {line}")
    declared = {candidate: candidate for _, _, candidate in columns}
    return CvrTable(source, dict(records), lambda record: where.get(record, "a row"), declared)


def _choice_columns(header: list[str], contest: str | None, source: str) -> list[tuple[int, int, str]]:
    columns = []
    for index, title in enumerate(header):
        if not title.startswith("Choice_"):
            continue
        parts = title.split(":")
        if len(parts) < 5:
            raise FormatError(
                f"column {index + 1} {excerpt(title)} does not have the Clear Ballot fields", source=source, line=1
            )
        name, rank_text, candidate = parts[1], parts[2], parts[4]
        if contest is not None and name != contest:
            continue
        rank = ascii_int(rank_text)
        if rank is None or not 1 <= rank <= MAX_RANK:
            raise FormatError(
                f"column {index + 1} {excerpt(title)}: rank {excerpt(rank_text)}"
                f" is not a whole number from 1 to {MAX_RANK}",
                source=source,
                line=1,
            )
        columns.append((index, rank, candidate))
    return columns
