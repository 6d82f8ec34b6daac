"""RCTab's generic CSV: one row per ballot, one column per candidate, each cell the rank given.

The header row names the candidates from ``first_column`` (1-based) on;
rows from ``first_row`` on are ballots. A cell holds the rank (1, 2, ...)
the voter gave that column's candidate, or nothing. Two candidates at one
rank are an overvote at that rank.

``precinct_column`` and ``batch_column`` (1-based) also split the records by
the precinct or batch each row gives there, in the table's ``slices``; a
blank cell is RCTab's ``no precinct id`` or ``no batch id`` (the labels of
the generic CSV slices in RCTab's test suite, ``generic_csv_test``).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Final

from electoral._text import excerpt
from electoral.errors import FormatError
from electoral.io._cvr import MAX_RANK, CvrTable, Record, csv_errors
from electoral.io._files import open_text

__all__ = ["read_generic_csv_table"]


#: what RCTab calls the slice of rows whose precinct or batch cell is blank, in a generic CSV
_MISSING: Final = {"precinct": "no precinct id", "batch": "no batch id"}


def read_generic_csv_table(
    path: Path,
    *,
    first_row: int = 2,
    first_column: int = 1,
    precinct_column: int | None = None,
    batch_column: int | None = None,
) -> CvrTable:
    """Read a generic CSV CVR into a :class:`CvrTable`; the header is the row before ``first_row``."""
    source = str(path)
    if first_row < 2 or first_column < 1:
        raise FormatError(
            f"first row must be at least 2 and first column at least 1, got {first_row}, {first_column}", source=source
        )
    records: Counter[Record] = Counter()
    where: dict[Record, str] = {}
    wanted = {k: c for k, c in (("precinct", precinct_column), ("batch", batch_column)) if c is not None}
    slices: dict[str, dict[str, Counter[Record]]] = {kind: {} for kind in wanted}
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
            for kind, column in wanted.items():
                label = row[column - 1].strip() if 0 < column <= len(row) else ""
                slices[kind].setdefault(label or _MISSING[kind], Counter())[record] += 1
    declared = {} if header is None else {name: name for name in header[first_column - 1 :] if name}
    parts = {kind: {label: dict(part) for label, part in by.items()} for kind, by in slices.items()}
    return CvrTable(source, dict(records), lambda record: where.get(record, "a row"), declared, slices=parts)
