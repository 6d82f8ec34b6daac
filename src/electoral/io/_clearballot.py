"""Clear Ballot cast vote records: a CSV file, one row per ballot, one column per (candidate, rank).

A choice column is headed ``Choice_<id>_<n>:<contest>:<rank>:<vote for>:<candidate>:<party>``;
a cell of 1 marks that candidate at that rank, 0 or blank does not. Only the
columns of the contest named ``contest`` are read; rows are counted as
ballots of it. Candidates are named by the header's candidate field.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from electoral.errors import FormatError
from electoral.io._cvr import CvrTable, Record, csv_errors

__all__ = ["read_clearballot_table"]


def read_clearballot_table(path: Path, *, contest: str | None = None) -> CvrTable:
    """Read a Clear Ballot CSV into a :class:`CvrTable` (``contest``: the contest's name)."""
    source = str(path)
    records: Counter[Record] = Counter()
    where: dict[Record, str] = {}
    columns: list[tuple[int, int, str]] = []
    with csv_errors(source), path.open(newline="", encoding="utf-8-sig") as stream:
        reader = csv.reader(stream, strict=True)
        header = next(reader, None)
        if header is None:
            raise FormatError("the file is empty", source=source)
        columns = _choice_columns(header, contest, source)
        if not columns:
            raise FormatError(f"no choice column of contest {contest!r}", source=source)
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
                    raise FormatError(f"column {index + 1}: mark {cell!r} is not 0 or 1", source=source, line=line)
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
            raise FormatError(f"choice column {title!r} does not have the Clear Ballot fields", source=source, line=1)
        name, rank_text, candidate = parts[1], parts[2], parts[4]
        if contest is not None and name != contest:
            continue
        if not rank_text.isdigit() or int(rank_text) < 1:
            raise FormatError(
                f"choice column {title!r}: rank {rank_text!r} is not a whole number", source=source, line=1
            )
        columns.append((index, int(rank_text), candidate))
    return columns
