"""Dominion cast vote records: a folder of JSON manifests and ``CvrExport*.json`` files.

Sessions are read from ``CvrExport.json`` or, for multi-file exports, every
``CvrExport_N.json`` in path order (conformance note 4). A session's
``Modified`` record, if any, supersedes its ``Original``. Marks are coded by
``CandidateId`` (map them to names through aliases); ambiguous marks are not
votes. A contest whose ``OutstackConditionIds`` contains 7 is not counted on
that card, as RCTab does (197 → 124 ballots in ``2024_alaska_dominion``).
A rank is a JSON whole number (not ``true`` or ``2.0``) from 1 to 10,000.
Every export file found is read as a regular file: a link to a device or a
FIFO named ``CvrExport.json`` is refused, not skipped.
"""

from __future__ import annotations

import re
import stat
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from electoral.errors import FormatError
from electoral.io._cvr import MAX_RANK, CvrTable, Record
from electoral.io._files import file_mode
from electoral.io._json import json_excerpt, load_json

__all__ = ["dominion_rows", "read_dominion_table"]

_OUTSTACK_DROPPED = 7


def _export_files(folder: Path) -> list[Path]:
    single = folder / "CvrExport.json"
    if file_mode(single) is not None:
        return [single]
    numbered = [p for p in folder.glob("CvrExport_*.json") if file_mode(p) is not None]

    def key(p: Path) -> tuple[int, str]:
        match = re.fullmatch(r"CvrExport_(\d+)\.json", p.name)
        return (int(match.group(1)) if match else 1 << 62, p.name)

    return sorted(numbered, key=key)


def read_dominion_table(folder: Path, *, contest: str) -> CvrTable:
    """Read a Dominion export folder into a :class:`CvrTable` for contest id ``contest``."""
    if not stat.S_ISDIR(file_mode(folder) or 0):
        raise FormatError("a Dominion export is a folder of JSON files", source=str(folder))
    files = _export_files(folder)
    if not files:
        raise FormatError("no CvrExport.json or CvrExport_N.json in the folder", source=str(folder))
    records: Counter[Record] = Counter()
    where: dict[Record, str] = {}
    for path, label, session in _sessions(files):
        for record in _session_records(session, contest, str(path), label):
            records[record] += 1
            where.setdefault(record, label)
    return CvrTable(
        str(folder), dict(records), lambda record: where.get(record, "a session"), _manifest(folder, contest)
    )


def dominion_rows(folder: Path, *, contest: str) -> Iterator[tuple[dict[str, str], Record]]:
    """Each card's record of the contest, in export order, with its session's ids.

    The ids are ``tabulator``, ``batch`` and ``record`` (the session's
    ``TabulatorId``, ``BatchId`` and ``RecordId``), ``precinct`` (the
    ``PrecinctId``'s description in ``PrecinctManifest.json``, "" when the
    session names none) and ``portion`` (the ``PrecinctPortionId``'s in
    ``PrecinctPortionManifest.json``).
    """
    precincts = _descriptions(folder / "PrecinctManifest.json")
    portions = _descriptions(folder / "PrecinctPortionManifest.json")
    for path, label, session in _sessions(_export_files(folder)):
        records = _session_records(session, contest, str(path), label)
        body = session.get("Modified") or session.get("Original")
        ids = {key: _id(session.get(field)) for key, field in _SESSION_IDS}
        ids["precinct"] = precincts.get(_id(body.get("PrecinctId")), "")
        ids["portion"] = portions.get(_id(body.get("PrecinctPortionId")), "")
        for record in records:
            yield ids, record


def _sessions(files: list[Path]) -> Iterator[tuple[Path, str, Any]]:
    """Each session of the export files, in order, with its file and a label naming it."""
    for path in files:
        data = load_json(path)
        sessions = data.get("Sessions") if isinstance(data, Mapping) else None
        if not isinstance(sessions, list):
            raise FormatError("'Sessions' is missing or not a list", source=str(path))
        for index, session in enumerate(sessions):
            yield path, f"{path.name}, session {index + 1}", session


def _entries(path: Path) -> list[Any]:
    """A manifest's ``List`` (empty if the export has no such manifest)."""
    if file_mode(path) is None:
        return []
    data = load_json(path)
    entries = data.get("List") if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        raise FormatError("'List' is missing or not a list", source=str(path))
    return entries


_SESSION_IDS = (("tabulator", "TabulatorId"), ("batch", "BatchId"), ("record", "RecordId"))


def _id(value: Any) -> str:
    return str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else ""


def _descriptions(path: Path) -> dict[str, str]:
    """A manifest's ``Id`` -> ``Description`` (empty if the export has no such manifest)."""
    entries = _entries(path)
    return {
        _id(entry.get("Id")): str(entry.get("Description", ""))
        for entry in entries
        if isinstance(entry, Mapping) and _id(entry.get("Id"))
    }


def _manifest(folder: Path, contest: str) -> dict[str, str]:
    """Candidate ids -> names, from CandidateManifest.json if the export has one."""
    names: dict[str, str] = {}
    for entry in _entries(folder / "CandidateManifest.json"):
        if isinstance(entry, Mapping) and str(entry.get("ContestId")) == contest:
            code, name = entry.get("Id"), entry.get("Description")
            if isinstance(code, (int, str)) and isinstance(name, str) and name.strip():
                names[str(code)] = name.strip()
    return names


def _session_records(session: Any, contest: str, source: str, label: str) -> list[Record]:
    if not isinstance(session, Mapping):
        raise FormatError(f"{label} is not an object", source=source)
    body = session.get("Modified") or session.get("Original")
    if not isinstance(body, Mapping):
        raise FormatError(f"{label} has no 'Original' record", source=source)
    cards = body.get("Cards")
    if cards is None:
        cards = [body]
    if not isinstance(cards, list):
        raise FormatError(f"{label}: 'Cards' is not a list", source=source)
    out: list[Record] = []
    for card in cards:
        contests = card.get("Contests") if isinstance(card, Mapping) else None
        if not isinstance(contests, list):
            raise FormatError(f"{label}: a card has no 'Contests' list", source=source)
        for item in contests:
            if not isinstance(item, Mapping):
                raise FormatError(f"{label}: a contest is not an object", source=source)
            if str(item.get("Id")) != contest:
                continue
            outstack = item.get("OutstackConditionIds", [])
            if isinstance(outstack, list) and _OUTSTACK_DROPPED in outstack:
                continue
            out.append(_marks(item, source, label))
    return out


def _marks(item: Mapping[str, Any], source: str, label: str) -> Record:
    marks = item.get("Marks", [])
    if not isinstance(marks, list):
        raise FormatError(f"{label}: 'Marks' is not a list", source=source)
    ranks: dict[int, list[str]] = {}
    for mark in marks:
        if not isinstance(mark, Mapping):
            raise FormatError(f"{label}: a mark is not an object", source=source)
        if mark.get("IsAmbiguous") is True:
            continue
        rank, candidate = mark.get("Rank"), mark.get("CandidateId")
        if not isinstance(rank, int) or isinstance(rank, bool) or not 1 <= rank <= MAX_RANK:
            raise FormatError(
                f"{label}: rank {json_excerpt(rank)} is not a whole number from 1 to {MAX_RANK}", source=source
            )
        if not isinstance(candidate, (int, str)) or isinstance(candidate, bool):
            raise FormatError(f"{label}: candidate id {json_excerpt(candidate)} is not an id", source=source)
        ranks.setdefault(rank, []).append(str(candidate))
    width = max(ranks, default=0)
    return tuple(tuple(ranks.get(r, ())) for r in range(1, width + 1))
