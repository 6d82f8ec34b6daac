"""The Australian Electoral Commission's Senate "formal preferences" CSV (``aec-senate-formalpreferences-*.csv``).

The layout the AEC has published since the 2019 federal election: a header
row, then one row per formal ballot paper::

    State,Division,Vote Collection Point Name,Vote Collection Point ID,Batch No,Paper No,A:Party X,B:Party Y,...
    ACT,Bean,Belconnen,123,1,1,1,2,,,...

After the six fixed columns comes one column per above-the-line square
(``CODE:group name``, one per group, in ballot-paper order) and then one
per candidate below the line (``CODE:SURNAME Given names``, ``UG`` for
ungrouped candidates). Below-the-line columns begin at the first column
whose code was already seen (or is ``UG``). A cell holds the number the
voter wrote, nothing, or ``*`` / ``/`` for a tick or a cross, which count
as the number 1 (the Act's savings provisions, s 269; the reading of
dividebatur's AEC reader, which reproduces the AEC's 2016 counts).
An older file with a second row of dashes under the header is accepted,
and so is the ``.zip`` the AEC publishes (holding the one ``.csv``), named
as the format (``format="aec-senate"``, ``--input-format aec-senate``): a
``.zip`` is not detected.

Each paper becomes a ranking of candidates (Commonwealth Electoral Act
1918, ss 268A, 269 and 272, with the savings provisions as dividebatur's
notes on the 2016 Act state them; the Act's text was not read here):

- below the line, the numbers 1, 2, 3, ... are followed until one is
  missing or repeated; the paper counts below the line when that sequence
  reaches at least 6 (s 268A; every candidate, when fewer stand), and a
  formal below-the-line vote is counted in preference to the marks above
  the line;
- otherwise above the line: the groups numbered 1, 2, 3, ... until a number
  is missing or repeated, each group standing for its candidates in their
  order on the ballot paper (s 272);
- a paper formal in neither way is an error (the file holds formal papers
  only), naming the row.

Candidates are named as in their column (``SURNAME Given names``), with the
group's name above the line as their party. The seats are 2 for a
territory (ACT, NT) and 6 for a state (a half-Senate election); give
``--seats 12`` (or read and set ``seats``) after a double dissolution.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import attrs
import numpy as np

from electoral._model import MAX_VOTERS, Candidate, Election
from electoral._text import excerpt
from electoral.errors import ElectoralError, FormatError
from electoral.io._cvr import csv_errors
from electoral.io._files import open_binary, open_text

__all__ = ["HEADER", "looks_like_aec_senate", "read_aec_senate"]

#: the six columns before the preferences, as the AEC writes them
HEADER = ("State", "Division", "Vote Collection Point Name", "Vote Collection Point ID", "Batch No", "Paper No")
_TERRITORIES = frozenset({"ACT", "NT"})
_STATES = frozenset({"NSW", "VIC", "QLD", "WA", "SA", "TAS"}) | _TERRITORIES
_TICK = frozenset({"*", "/"})
#: the least below-the-line sequence that makes a paper formal below the line (s 268A)
BTL_MINIMUM = 6


def looks_like_aec_senate(head: bytes) -> bool:
    """Whether a file's first bytes begin with the AEC formal preferences header."""
    return head.lstrip(b"\xef\xbb\xbf").startswith(",".join(HEADER).encode())


def read_aec_senate(path: Path) -> Election:
    """Read an AEC Senate formal preferences file into an :class:`~electoral.Election` (see the module notes)."""
    source = str(path)
    papers: Counter[tuple[int, ...]] = Counter()
    state: str | None = None
    with csv_errors(source), _open(path, source) as stream:
        reader = csv.reader(stream, strict=True)
        header = next(reader, None)
        if header is None:
            raise FormatError("the file is empty", source=source)
        header = [cell.strip() for cell in header]
        if len(header) >= 1 and header[0].startswith("\ufeff"):
            header[0] = header[0].removeprefix("\ufeff")
        if tuple(header[: len(HEADER)]) != HEADER:
            raise FormatError(
                f"the header must begin {','.join(HEADER)}, not {excerpt(','.join(header[: len(HEADER)]))}",
                source=source,
                line=1,
            )
        groups, group_names, people = _columns(header[len(HEADER) :], source)
        above = len(groups)
        members: list[list[int]] = [[] for _ in groups]
        place = {group: g for g, group in enumerate(groups)}
        for i, (code, _) in enumerate(people):
            if code in place:
                members[place[code]].append(i)
        layout = _Layout(header, above, members, min(BTL_MINIMUM, len(people)))
        known: dict[tuple[str, ...], tuple[int, ...]] = {}
        voters = 0
        for number, row in enumerate(reader, start=2):
            if not row or (number == 2 and row[0].startswith("---")):
                continue
            if len(row) < len(HEADER):
                raise FormatError(
                    f"the row has {len(row)} fields, fewer than the {len(HEADER)} before the preferences",
                    source=source,
                    line=number,
                )
            if len(row) > len(header):
                raise FormatError(
                    f"the row has {len(row)} fields, the header {len(header)}", source=source, line=number
                )
            where = row[0].strip()
            if where not in _STATES:
                raise FormatError(
                    f"State {excerpt(where)} is not an Australian state or territory", source=source, line=number
                )
            if state is None:
                state = where
            elif where != state:
                raise FormatError(f"State {excerpt(where)} in a file of {state}", source=source, line=number)
            form = tuple(row[len(HEADER) :])
            ranking = known.get(form)
            if ranking is None:  # each distinct set of marks is read once
                ranking = known[form] = _ranking(form, row, layout, source, number)
            papers[ranking] += 1
            voters += 1
            if voters >= MAX_VOTERS:
                raise FormatError(
                    f"more papers than this library counts ({MAX_VOTERS - 1})", source=source, line=number
                )
    if state is None:
        raise FormatError("the file has no ballot papers", source=source)
    try:
        party = dict(zip(groups, group_names, strict=True))
        candidates = [Candidate(name, party=party.get(code)) for code, name in people]
        width = max((len(ranking) for ranking in papers), default=0)
        rankings = np.full((len(papers), width), -1, dtype=np.int32)
        for row_index, ranking in enumerate(papers):
            rankings[row_index, : len(ranking)] = ranking
        counts = np.fromiter(papers.values(), dtype=np.int64, count=len(papers))
        seats = 2 if state in _TERRITORIES else 6
        return Election.from_array(rankings, candidates=candidates, counts=counts, seats=seats, title=f"Senate {state}")
    except ElectoralError as error:
        raise FormatError(str(error), source=source) from None


@attrs.frozen
class _Layout:
    """What reading a paper's marks needs: the header, the squares above the line, each group's candidates."""

    header: list[str]
    above: int
    members: list[list[int]]
    least: int


def _ranking(form: tuple[str, ...], row: list[str], layout: _Layout, source: str, number: int) -> tuple[int, ...]:
    """The candidates a paper's marks (``form``, the cells after the six fixed columns) rank, in order."""
    above: dict[int, list[int]] = {}
    below: dict[int, list[int]] = {}
    for box, cell in enumerate(form):
        if cell and not cell.isspace():  # most cells are empty: only the marked ones are read
            mark = _mark(cell, layout.header, len(HEADER) + box, source, number)
            if box < layout.above:
                above.setdefault(mark, []).append(box)
            else:
                below.setdefault(mark, []).append(box - layout.above)
    people = _sequence(below)
    if len(people) >= layout.least:
        return tuple(people)
    chosen = _sequence(above)
    if not chosen:
        raise FormatError(
            f"paper {excerpt(row[5].strip())} of batch {excerpt(row[4].strip())} is formal neither"
            f" above the line (a single 1) nor below it (1 to {layout.least})",
            source=source,
            line=number,
        )
    return tuple(c for g in chosen for c in layout.members[g])


@contextmanager
def _open(path: Path, source: str) -> Iterator[TextIO]:
    """The file as text; a ``.zip`` (as the AEC publishes them) must hold exactly one ``.csv``."""
    if Path(path).suffix.lower() != ".zip":
        with open_text(path, source) as stream:
            yield stream
        return
    with open_binary(path, source) as raw:
        try:
            archive = zipfile.ZipFile(raw)
        except (zipfile.BadZipFile, ValueError):
            raise FormatError("not a readable zip archive", source=source) from None
        with archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
            if len(members) != 1:
                raise FormatError(f"the zip archive must hold one .csv file, not {len(members)}", source=source)
            try:
                member = archive.open(members[0])
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as error:
                raise FormatError(f"cannot read {excerpt(members[0])} in the archive: {error}", source=source) from None
            with member, io.TextIOWrapper(member, encoding="utf-8-sig", newline="") as stream:
                yield stream


def _columns(columns: list[str], source: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """The group codes and names above the line, and each candidate's (code, name) below it."""
    groups: list[str] = []
    names: list[str] = []
    people: list[tuple[str, str]] = []
    seen_groups: set[str] = set()  # ``groups`` as a set: a header of 10**6 columns stays linear
    for index, column in enumerate(columns, start=len(HEADER) + 1):
        code, sep, name = column.partition(":")
        code, name = code.strip(), name.strip()
        if not sep or not code or not name:
            raise FormatError(f"column {index} {excerpt(column)} is not CODE:name", source=source, line=1)
        if not people and code != "UG" and code not in seen_groups:
            seen_groups.add(code)
            groups.append(code)
            names.append(name)
        else:
            if code != "UG" and code not in seen_groups:
                raise FormatError(
                    f"column {index} {excerpt(column)}: group {excerpt(code)} has no square above the line",
                    source=source,
                    line=1,
                )
            people.append((code, name))
    if not people:
        raise FormatError("the header names no candidate below the line", source=source, line=1)
    standing = {code for code, _ in people}
    empty = [code for code in groups if code not in standing]
    if empty:
        raise FormatError(f"group {excerpt(empty[0])} has no candidate below the line", source=source, line=1)
    seen = Counter(name for _, name in people)
    twice = [name for name, n in seen.items() if n > 1]
    if twice:
        raise FormatError(f"candidate {excerpt(twice[0])} has two columns", source=source, line=1)
    return groups, names, people


def _mark(cell: str, header: list[str], index: int, source: str, number: int) -> int:
    text = cell.strip()
    if text in _TICK:
        return 1
    if text.isascii() and text.isdigit() and len(text) <= 6:
        return int(text)
    raise FormatError(
        f"column {index + 1} {excerpt(header[index])}: mark {excerpt(text)} is not a number of at most 6"
        " digits, '*' or '/'",
        source=source,
        line=number,
    )


def _sequence(at: dict[int, list[int]]) -> list[int]:
    """The boxes numbered 1, 2, 3, ... in order, up to the first number missing or repeated."""
    out: list[int] = []
    number = 1
    while len(at.get(number, ())) == 1:
        out.append(at[number][0])
        number += 1
    return out
