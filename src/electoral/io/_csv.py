"""RCTab's generic CSV: one row per ballot, one column per candidate, each cell the rank given.

The header row names the candidates from ``first_column`` (1-based) on;
rows from ``first_row`` on are ballots. A cell holds the rank (1, 2, ...)
the voter gave that column's candidate, or nothing. Two candidates at one
rank are an overvote at that rank.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from electoral._text import excerpt
from electoral.errors import FormatError
from electoral.io._cvr import MAX_RANK, CvrTable, Record, csv_errors
from electoral.io._files import open_text

__all__ = ["read_generic_csv_table"]


def read_generic_csv_table(path: Path, *, first_row: int = 2, first_column: int = 1) -> CvrTable:
    """Read a generic CSV CVR into a :class:`CvrTable`; the header is the row before ``first_row``."""
    source = str(path)
    if first_row < 2 or first_column < 1:
        raise FormatError(
            f"first row must be at least 2 and first column at least 1, got {first_row}, {first_column}", source=source
        )
    records: Counter[Record] = Counter()
    where: dict[Record, str] = {}
    with csv_errors(source), open_text(path, source) as stream:
        reader = csv.reader(stream, strict=True)
        header: list[str] | None = None
        for number, row in enumerate(reader, start=1):
            if number == first_row - 1:
                header = [cell.strip() for cell in row]
                if len(header) < first_column:
                    raise FormatError("the header has no candidate column", source=source, line=number)
                continue
            if number < first_row:
                continue
            if header is None:
                raise FormatError("the file has no header row", source=source)
            if not any(cell.strip() for cell in row) and not row:
                continue
            if len(row) > len(header):
                raise FormatError(
                    f"the row has {len(row)} fields, the header {len(header)}", source=source, line=number
                )
            ranks: dict[int, list[str]] = {}
            for index in range(first_column - 1, len(row)):
                cell = row[index].strip()
                if not cell:
                    continue
                # ASCII digits only (not '²' or '1_000'), checked inline: this runs for every cell
                rank = int(cell) if cell.isdigit() and cell.isascii() and len(cell) <= 40 else None
                if rank is None or not 1 <= rank <= MAX_RANK:
                    raise FormatError(
                        f"column {index + 1} {excerpt(header[index])}: rank {excerpt(cell)}"
                        f" is not a whole number from 1 to {MAX_RANK}",
                        source=source,
                        line=number,
                    )
                ranks.setdefault(rank, []).append(header[index])
            width = max(ranks, default=0)
            record = tuple(tuple(ranks.get(r, ())) for r in range(1, width + 1))
            records[record] += 1
            where.setdefault(record, f"line {number}")
    declared = {} if header is None else {name: name for name in header[first_column - 1 :] if name}
    return CvrTable(source, dict(records), lambda record: where.get(record, "a row"), declared)
