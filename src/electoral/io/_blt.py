"""BLT ballot files (the OpenSTV / Electoral Reform Society format).

::

    4 2              candidates and seats
    -3               optional: withdrawn candidates, as negative numbers
    12 1 2 3 0       a weight (how many voters), their preferences by number, then 0
    3 2=4 1 0        "a=b" marks equal preferences; "-" an empty (skipped) rank
    0                the end of the ballots
    "Ann"            one name per candidate, in number order ("" escapes a quote)
    "Bob"
    ...
    "The title"      optional

Decisions, documented because real files need them:

- *Withdrawn candidates* are removed from the election, and each ballot
  closes up over them (its later preferences move up), as the ERS rules
  treat a withdrawn candidate's preferences.
- *Stray commas*: one Scottish file (``perth_kinross_2016_by_election_ward9``)
  ends every line with a comma, a spreadsheet export artefact. A comma at
  the end of a line is dropped; a comma anywhere else in a ballot line is an
  error, and inside an unquoted name it is kept as written.
- Names may be quoted (``"..."``) or, one to a line, bare. A candidate line
  with two quoted fields gives the name and then the party (as the 2022
  Scottish files do).
- *Spaces around a name* are not part of it (``"Name  "`` is ``Name``, as
  they are padding, and a trailing space would split one person in two
  when files are compared), nor around a party. A name that is empty once
  trimmed is an error, and so are two names that are equal once trimmed
  (the error names both, as written, and their lines).

Numbers are ASCII decimal integers (``1_000``, signs where none belong and
other scripts' digits are errors). A weight is a number of voters: each, and
their sum, must be below 2**62 (the library's bound on voters).

The file is read line by line, and identical ballots merge as they are read,
so memory grows with unique ballots. Every error names the file and line.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from pathlib import Path

import numpy as np
import numpy.typing as npt

from electoral._model import MAX_VOTERS, Ballot, Candidate, Election
from electoral._model._array import ArrayBallots
from electoral._text import ascii_int, excerpt
from electoral.errors import ElectoralError, FormatError
from electoral.io._files import open_text

__all__ = ["read_blt"]


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with open_text(path, str(path)) as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.strip()
                if line.endswith(","):
                    line = line[:-1].rstrip()
                yield number, line
    except OSError as error:
        raise FormatError(f"cannot read the file: {error.strerror or error}", source=str(path)) from None
    except UnicodeDecodeError as error:
        raise FormatError(f"the file is not UTF-8 text ({error.reason})", source=str(path)) from None


def _int(token: str, what: str, source: str, line: int, *, signed: bool = False) -> int:
    """An ASCII decimal integer; anything else (``1_000``, ``٣``, ``2.0``) is a FormatError naming it."""
    value = ascii_int(token, signed=signed)
    if value is not None:
        return value
    digits = token.lstrip("+-") if signed else token
    if digits.isascii() and digits.isdigit():
        raise FormatError(f"{what} {excerpt(token)} is beyond any number this library counts", source=source, line=line)
    raise FormatError(f"{what} must be a whole number in ASCII digits, not {excerpt(token)}", source=source, line=line)


def _too_many(weight: int, total: int, source: str, line: int) -> FormatError:
    """The error for a weight, or a running total of weights, at or beyond the bound on voters."""
    if weight >= MAX_VOTERS:
        return FormatError(
            f"a ballot's weight of {excerpt(weight)} is more than this library counts ({MAX_VOTERS - 1} voters)",
            source=source,
            line=line,
        )
    return FormatError(
        f"the ballots up to this line add up to {excerpt(total)} voters, more than this library counts"
        f" ({MAX_VOTERS - 1})",
        source=source,
        line=line,
    )


def read_blt(path: Path) -> Election:
    """Read a BLT file into an :class:`~electoral.Election` (see the module notes)."""
    source = str(path)
    lines = (item for item in _lines(Path(path)) if item[1])
    first = next(lines, None)
    if first is None:
        raise FormatError("the file is empty (expected 'candidates seats' on the first line)", source=source)
    number, text = first
    head = text.split()
    if len(head) != 2:
        raise FormatError(f"the first line must be 'candidates seats', not {excerpt(text)}", source=source, line=number)
    n_candidates = _int(head[0], "the number of candidates", source, number)
    seats = _int(head[1], "the number of seats", source, number)
    if n_candidates < 1 or seats < 1:
        raise FormatError(f"candidates and seats must be positive, not {excerpt(text)}", source=source, line=number)
    withdrawn: set[int] = set()
    merged: dict[tuple[Rank, ...], int] = {}
    ended = False
    ties = False
    voters = 0
    for number, text in lines:
        if text == "0":
            ended = True
            break
        tokens = text.split()
        values: list[int] = []
        # The common line, plain ASCII digits only, parsed inline: this loop is the reader's hot path.
        # int() alone would also take signs, underscores and other scripts' digits.
        if text.isascii() and "_" not in text and "-" not in text and "+" not in text:
            try:
                values = [int(t) for t in tokens]
            except ValueError:
                values = []
        if len(values) >= 2 and values[-1] == 0 and values[0] >= 1:
            body = values[1:-1]
            if not body or (min(body) >= 1 and max(body) <= n_candidates):
                voters += values[0]
                if voters >= MAX_VOTERS:
                    raise _too_many(values[0], voters, source, number)
                key = tuple(body)
                merged[key] = merged.get(key, 0) + values[0]
                continue
        if not merged and not withdrawn and tokens[0].startswith("-") and tokens[0] != "-":
            for token in tokens:
                value = _int(token, "a withdrawn candidate", source, number, signed=True)
                if not -n_candidates <= value <= -1:
                    raise FormatError(
                        f"withdrawn candidate {excerpt(token)} is not -1 to -{n_candidates}", source=source, line=number
                    )
                withdrawn.add(-value)
            continue
        ranking, weight = _ballot(tokens, n_candidates, source, number)
        ties = ties or any(isinstance(rank, tuple) for rank in ranking)
        voters += weight
        if voters >= MAX_VOTERS:
            raise _too_many(weight, voters, source, number)
        merged[ranking] = merged.get(ranking, 0) + weight
    if not ended:
        raise FormatError("the ballots do not end with a line '0'", source=source)
    entries = [(number, _names(text, source, number)) for number, text in lines]
    if len(entries) == 1 and len(entries[0][1]) > 2:
        entries = [(entries[0][0], [name]) for name in entries[0][1]]  # every name on one line
    if len(entries) < n_candidates:
        raise FormatError(f"expected {n_candidates} candidate names, found {len(entries)}", source=source)
    if len(entries) > n_candidates + 1:
        number = entries[n_candidates + 1][0]
        raise FormatError(
            f"expected {n_candidates} candidate names and a title; more lines follow", source=source, line=number
        )
    people: list[tuple[str, str | None]] = []
    seen: dict[str, tuple[str, int]] = {}
    for number, fields in entries[:n_candidates]:
        if len(fields) > 2:
            raise FormatError(
                f"a candidate line holds a name and at most a party, not {excerpt(fields)}", source=source, line=number
            )
        name = fields[0].strip()
        if not name:
            raise FormatError(f"candidate name {excerpt(fields[0])} is empty once trimmed", source=source, line=number)
        if name in seen:
            earlier, at = seen[name]
            raise FormatError(
                f"candidate names {excerpt(earlier)} (line {at}) and {excerpt(fields[0])} are the same once trimmed",
                source=source,
                line=number,
            )
        seen[name] = (fields[0], number)
        party = fields[1].strip() if len(fields) == 2 else None
        people.append((name, party or None))
    title = " ".join(entries[n_candidates][1]) if len(entries) > n_candidates else ""
    return _election(people, withdrawn, merged, seats, title, source, ties=ties)


Rank = int | tuple[int, ...]  # a candidate number, 0 for an empty rank, or a tuple of equal preferences


def _ballot(tokens: list[str], n: int, source: str, line: int) -> tuple[tuple[Rank, ...], int]:
    weight = _int(tokens[0], "a ballot's weight", source, line)
    if weight < 1:
        raise FormatError(f"a ballot's weight must be positive, not {excerpt(tokens[0])}", source=source, line=line)
    if len(tokens) < 2 or tokens[-1] != "0":
        raise FormatError("a ballot line must end with 0", source=source, line=line)
    ranks: list[Rank] = []
    for token in tokens[1:-1]:
        if token == "-":
            ranks.append(0)
            continue
        rank = []
        for part in token.split("="):
            value = _int(part, "a preference", source, line)
            if not 1 <= value <= n:
                raise FormatError(
                    f"preference {excerpt(part)} is not a candidate number (1 to {n})", source=source, line=line
                )
            rank.append(value)
        ranks.append(rank[0] if len(rank) == 1 else tuple(sorted(rank)))
    while ranks and ranks[-1] == 0:
        ranks.pop()
    return tuple(ranks), weight


def _names(text: str, source: str, line: int) -> list[str]:
    if not text.startswith('"'):
        return [text]
    names: list[str] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        if text[i] != '"':
            raise FormatError(f"expected a quoted name, found {excerpt(text[i:])}", source=source, line=line)
        j = i + 1
        chars: list[str] = []
        while True:
            if j >= len(text):
                raise FormatError(f"unterminated quoted name {excerpt(text[i:])}", source=source, line=line)
            if text[j] == '"':
                if j + 1 < len(text) and text[j + 1] == '"':
                    chars.append('"')
                    j += 2
                    continue
                break
            chars.append(text[j])
            j += 1
        names.append("".join(chars))
        i = j + 1
    return names


def _election(
    names: list[tuple[str, str | None]],
    withdrawn: set[int],
    merged: dict[tuple[Rank, ...], int],
    seats: int,
    title: str,
    source: str,
    *,
    ties: bool,
) -> Election:
    try:
        people = [Candidate(name, party=party) for name, party in names]
        kept = tuple(c for i, c in enumerate(people, start=1) if i not in withdrawn)
        if seats > len(kept):
            raise FormatError(f"{seats} seats but only {len(kept)} candidates stand", source=source)
        if not ties:
            return _array_election(people, kept, withdrawn, merged, seats, title)
        number = {i: c for i, c in enumerate(people, start=1) if i not in withdrawn}
        ballots: dict[tuple[frozenset[Candidate], ...], int] = {}
        for ranking, weight in merged.items():
            ranks = []
            for rank in ranking:
                marks = rank if isinstance(rank, tuple) else (rank,) if rank else ()
                found = frozenset(number[c] for c in marks if c in number)
                if found or not marks:  # close up over the withdrawn; a skipped rank stays skipped
                    ranks.append(found)
            key = tuple(ranks)
            ballots[key] = ballots.get(key, 0) + weight
        return Election(kept, [Ballot(list(r), count=w) for r, w in ballots.items()], seats=seats, title=title)
    except FormatError:
        raise
    except ElectoralError as error:
        raise FormatError(str(error), source=source) from None


def _array_election(
    people: list[Candidate],
    kept: tuple[Candidate, ...],
    withdrawn: set[int],
    merged: dict[tuple[Rank, ...], int],
    seats: int,
    title: str,
) -> Election:
    """One candidate (or none) per rank: keep the ballots as arrays, building Ballot objects only on demand."""
    keys = list(merged)
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    flat = np.fromiter(chain.from_iterable(keys), dtype=np.int64, count=int(lengths.sum()))
    lookup = np.full(len(people) + 1, -1, dtype=np.int64)  # file number -> index among the kept, -1 if empty
    lookup[[i for i in range(1, len(people) + 1) if i not in withdrawn]] = np.arange(len(kept))
    row_of = np.repeat(np.arange(len(keys)), lengths)
    keep = (lookup[flat] >= 0) | (flat == 0)  # drop withdrawn marks (closing up), keep skipped ranks
    flat, row_of = lookup[flat[keep]], row_of[keep]
    lengths = np.bincount(row_of, minlength=len(keys))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    columns = np.arange(len(flat)) - np.repeat(starts, lengths)
    rows = np.full((len(keys), int(lengths.max(initial=0))), -1, dtype=np.int32)
    rows[row_of, columns] = flat
    counts = np.fromiter(merged.values(), dtype=np.int64, count=len(keys))
    rows = _trim(rows)
    if withdrawn:  # closing up can make two ballots equal
        rows, inverse = np.unique(rows, axis=0, return_inverse=True)
        merged_counts = np.zeros(len(rows), dtype=np.int64)
        np.add.at(merged_counts, inverse.reshape(-1), counts)
        counts = merged_counts
    return Election(kept, ArrayBallots(kept, rows, counts), seats=seats, title=title)


def _trim(rows: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    filled = np.flatnonzero((rows >= 0).any(axis=0))
    return np.ascontiguousarray(rows[:, : int(filled[-1]) + 1 if len(filled) else 0])
