"""District returns from a folder of CSV files (the layout of docs/parliaments.md).

- ``votes.csv``: ``district,party,votes`` and optional ``max_seats``,
  ``candidate`` (a candidate ballot: one row per candidate) or ``alliance``;
- ``districts.csv``: ``district,seats`` and optional ``region``, ``tier``,
  ``min_seats_per_unit``; other columns are kept as text in ``extra``;
- ``constituency.csv`` (optional): ``district,party,candidate,votes``;
- ``ballot_totals.csv`` (optional): ``district,kind,label,votes`` with
  ``kind`` ``blank`` or ``invalid``.

``expected_seats.csv`` is a result, not returns, and is not read. Every
error is a :class:`~electoral.errors.FormatError` naming the file and line.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

from electoral._systems._returns import CandidateVotes, DistrictReturns, Returns
from electoral._text import excerpt
from electoral.errors import ElectoralError, FormatError
from electoral.io._cvr import csv_errors
from electoral.io._files import check_folder, open_text

__all__ = ["read_returns"]

_MAX_COUNT_DIGITS = 15


def _rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    source = str(path)
    with csv_errors(source), open_text(path, source) as stream:
        reader = csv.reader(stream, strict=True)
        header = next(reader, None)
        if header is None:
            raise FormatError("the file is empty (it needs a header row)", source=source)
        header = [h.strip() for h in header]
        for column in required:
            if column not in header:
                raise FormatError(f"the header has no {excerpt(column)} column", source=source, line=1)
        if len(set(header)) != len(header):
            raise FormatError("the header names a column twice", source=source, line=1)
        for number, row in enumerate(reader, start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise FormatError(
                    f"the row has {len(row)} fields, the header {len(header)}", source=source, line=number
                )
            yield number, {h: cell.strip() for h, cell in zip(header, row, strict=True)}


def _count(text: str, what: str, source: str, line: int) -> int:
    if not (text.isdigit() and text.isascii() and len(text) <= _MAX_COUNT_DIGITS):
        raise FormatError(f"{what} {excerpt(text)} is not a whole number of zero or more", source=source, line=line)
    return int(text)


def _name(text: str, what: str, source: str, line: int) -> str:
    if not text:
        raise FormatError(f"the {what} is empty", source=source, line=line)
    return text


def _once(seen: set[tuple[str, str, str]], key: tuple[str, str, str], source: str, line: int) -> None:
    """Refuse a candidate named twice in one district for one list (a duplicated row would count twice)."""
    if key in seen:
        district, party, candidate = key
        raise FormatError(
            f"candidate {excerpt(candidate)} of {excerpt(party)} appears twice in {excerpt(district)}",
            source=source,
            line=line,
        )
    seen.add(key)


def read_returns(folder: str | os.PathLike[str]) -> Returns:
    """Read the returns in ``folder``: ``votes.csv`` and ``districts.csv``, with the optional files.

    Districts come in the order of ``districts.csv``, then any district that
    only ``votes.csv`` names. A list named twice in one district, a
    district named twice in ``districts.csv``, a candidate named twice for one
    list in one district, a count that is not a whole
    number, or a row of another file for a district not in ``votes.csv`` or
    ``districts.csv`` raises :class:`~electoral.errors.FormatError`.
    """
    base = check_folder(folder)
    votes_path, districts_path = base / "votes.csv", base / "districts.csv"
    for path in (votes_path, districts_path):
        if not path.is_file():
            raise FormatError("the folder has no such file", source=str(path))
    order: dict[str, dict[str, object]] = {}
    source = str(districts_path)
    for line, row in _rows(districts_path, ("district", "seats"), ()):
        name = _name(row["district"], "district", source, line)
        if name in order:
            raise FormatError(f"district {excerpt(name)} appears twice", source=source, line=line)
        entry: dict[str, object] = {}
        if row["seats"]:  # a higher-tier unit may leave its seats to be derived (Denmark's provinces)
            entry["seats"] = _count(row["seats"], "seats", source, line)
        if row.get("region"):
            entry["region"] = row["region"]
        if row.get("tier"):
            entry["tier"] = row["tier"]
        if row.get("min_seats_per_unit"):
            entry["min_seats"] = _count(row["min_seats_per_unit"], "min_seats_per_unit", source, line)
        known = {"district", "seats", "region", "tier", "min_seats_per_unit"}
        entry["extra"] = {k: v for k, v in row.items() if k not in known and v}
        order[name] = entry
    votes: dict[str, dict[str, int]] = {}
    caps: dict[str, dict[str, int]] = {}
    candidates: dict[str, list[CandidateVotes]] = {}
    seen: set[tuple[str, str, str]] = set()
    source = str(votes_path)
    for line, row in _rows(votes_path, ("district", "party", "votes"), ()):
        district = _name(row["district"], "district", source, line)
        party = _name(row["party"], "party", source, line)
        n = _count(row["votes"], "votes", source, line)
        per = votes.setdefault(district, {})
        if row.get("candidate"):
            _once(seen, (district, party, row["candidate"]), source, line)
            candidates.setdefault(district, []).append(CandidateVotes(row["candidate"], party, n))
            per[party] = per.get(party, 0) + n
        else:
            if party in per:
                raise FormatError(
                    f"list {excerpt(party)} appears twice in {excerpt(district)}", source=source, line=line
                )
            per[party] = n
        if row.get("max_seats"):
            caps.setdefault(district, {})[party] = _count(row["max_seats"], "max_seats", source, line)
    known_districts = set(order) | set(votes)
    blank: dict[str, int] = {}
    invalid: dict[str, int] = {}
    totals_path = base / "ballot_totals.csv"
    if totals_path.is_file():
        source = str(totals_path)
        for line, row in _rows(totals_path, ("district", "kind", "votes"), ()):
            district = row["district"]
            if district not in known_districts:
                raise FormatError(f"district {excerpt(district)} is not in the returns", source=source, line=line)
            kind = row["kind"]
            if kind not in ("blank", "invalid"):
                raise FormatError(f"kind {excerpt(kind)} is not 'blank' or 'invalid'", source=source, line=line)
            target = blank if kind == "blank" else invalid
            target[district] = target.get(district, 0) + _count(row["votes"], "votes", source, line)
    constituency_path = base / "constituency.csv"
    if constituency_path.is_file():
        source = str(constituency_path)
        seen = set()
        for line, row in _rows(constituency_path, ("district", "party", "candidate", "votes"), ()):
            district = _name(row["district"], "district", source, line)
            candidate = _name(row["candidate"], "candidate", source, line)
            _once(seen, (district, row["party"], candidate), source, line)
            candidates.setdefault(district, []).append(
                CandidateVotes(candidate, row["party"], _count(row["votes"], "votes", source, line))
            )
    names = list(dict.fromkeys([*order, *votes, *candidates]))
    try:
        districts = []
        for name in names:
            entry = order.get(name, {})
            districts.append(
                DistrictReturns(
                    name,
                    votes.get(name, {}),
                    blank.get(name, 0),
                    invalid.get(name, 0),
                    entry.get("seats"),  # type: ignore[arg-type]
                    entry.get("region"),  # type: ignore[arg-type]
                    entry.get("tier"),  # type: ignore[arg-type]
                    entry.get("min_seats"),  # type: ignore[arg-type]
                    caps.get(name, {}),
                    candidates.get(name, ()),
                    entry.get("extra", {}),  # type: ignore[arg-type]
                )
            )
        return Returns(tuple(districts), str(base))
    except FormatError:
        raise
    except ElectoralError as error:
        raise FormatError(str(error), source=str(base)) from None
