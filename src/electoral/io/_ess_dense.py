"""The quickest way through an ES&S sheet: every ballot row holds one shared-string cell per rank.

ES&S exports write every rank cell of every ballot (a skipped rank holds the
``undervote`` label), as shared strings. For such a sheet, one regular
expression (running in C) collects the shared-string index of every rank
cell, numpy counts the identical rows, and no Python code runs per ballot.

The path is taken only when counts prove the sheet has that shape, chunk by
chunk: as many ``<row`` as ``</row>`` (no empty self-closed rows), and as
many of those as matches of the strict pattern of one row's rank cells,
adjacent and in column order (a row holds each column once, so each row has
exactly one match). Anything else returns None, and
:mod:`electoral.io._ess` reads the sheet on its general paths. Memory is
bounded by the chunk size and the number of unique ballots.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import IO

import numpy as np

from electoral.io._cvr import Record

__all__ = ["dense_records"]

_CHUNK = 1 << 23


def dense_records(
    stream: IO[bytes], first_row: int, first_column: int, ranks: int, strings: list[str]
) -> Counter[Record] | None:
    """The records of a dense sheet, or None if the sheet is not dense (the caller then re-reads it)."""
    last = first_column + ranks - 1
    if not strings or ranks < 1 or last > 26:
        return None
    letters = [chr(64 + c).encode() for c in range(first_column, last + 1)]
    # one match per ballot row: its rank cells, adjacent and in column order
    cell = re.compile(b"".join(rb'<c r="' + letter + rb'\d+" t="s"><v>(\d+)</v></c>' for letter in letters))
    head = b""
    while b"<sheetData>" not in head:
        chunk = stream.read(1 << 16)
        if not chunk or len(head) > 1 << 22:
            return None
        head += chunk
    pending = head[head.index(b"<sheetData>") + len(b"<sheetData>") :]
    first = re.search(rb'<row r="(\d+)"', pending)
    if first is None or int(first.group(1)) > first_row:
        return None
    # the header rows (before first_row) are skipped; rows after it are all ballots
    header = pending.find(b'<row r="%d"' % first_row)
    if header < 0:
        return None
    pending = pending[header:]
    keys: Counter[tuple[int, ...]] = Counter()
    while True:
        chunk = stream.read(_CHUNK)
        pending += chunk
        end = pending.find(b"</sheetData>")
        if end >= 0:
            body = pending[:end]
        elif not chunk:
            return None
        else:
            cut = pending.rfind(b"</row>") + 6
            if cut < 6:
                continue
            body, pending = pending[:cut], pending[cut:]
        counted = _count_chunk(body, cell, ranks, len(strings))
        if counted is None:
            return None
        keys.update(counted)
        if end >= 0:
            break
    records: Counter[Record] = Counter()
    for key, count in keys.items():
        ranking = [(strings[i].strip(),) if strings[i].strip() else () for i in key]
        while ranking and not ranking[-1]:
            ranking.pop()
        records[tuple(ranking)] += count
    return records


def _count_chunk(body: bytes, cell: re.Pattern[bytes], ranks: int, size: int) -> Counter[tuple[int, ...]] | None:
    rows = body.count(b"<row ")
    if rows == 0:
        return Counter() if not body.strip() else None
    # a self-closed (empty) row, an entity, a comment or CDATA: not this path's shape
    if body.count(b"</row>") != rows or b"&" in body or b"<!" in body or b"<?" in body:
        return None
    found = cell.findall(body)
    if len(found) != rows:
        return None
    flat = found if ranks == 1 else itertools.chain.from_iterable(found)
    values = np.fromiter(map(int, flat), dtype=np.int64, count=rows * ranks).reshape(rows, ranks)
    if int(values.max()) >= size:
        return None
    if size**ranks < 2**62:
        weights = size ** np.arange(ranks - 1, -1, -1, dtype=np.int64)
        unique, counts = np.unique(values @ weights, return_counts=True)
        decoded = list(map(tuple, ((unique[:, None] // weights) % size).tolist()))
    else:
        rows_unique, counts = np.unique(values, axis=0, return_counts=True)
        decoded = [tuple(int(x) for x in row) for row in rows_unique.tolist()]
    return Counter(dict(zip(decoded, counts.tolist(), strict=True)))
