"""What the cast-vote-record (CVR) readers share: raw marks, their mapping to candidates, safe XML.

Each vendor reader turns its files into :class:`CvrTable` values: every
ballot as a tuple of ranks, each rank the tuple of raw codes marked there
(``()`` for a rank left blank), aggregated into unique records with counts.
:func:`build_election` then maps codes to candidates through a
:class:`MarkSpec` (names, aliases, the overvote, skipped-rank and
undeclared write-in labels, the overvote delimiter), so the vendor formats
stay free of RCTab's configuration and the mapping is written once.

Nothing is silently dropped: a code that names no candidate and no label is
an error naming the file and the row (or CVR id) where it first appears.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Final, TypeAlias

import attrs

from electoral._model import Ballot, Candidate, Election
from electoral._text import excerpt
from electoral.errors import ElectoralError, FormatError
from electoral.io._json import load_json

__all__ = [
    "MAX_RANK",
    "OVERVOTE",
    "UNDECLARED_WRITE_INS",
    "WRITE_IN",
    "CvrTable",
    "MarkSpec",
    "RecordMapper",
    "build_election",
    "csv_errors",
    "load_json",
    "slice_elections",
]

Rank: TypeAlias = tuple[str, ...]
Record: TypeAlias = tuple[Rank, ...]

#: The highest rank a CVR may give (every reader refuses ranks beyond it, rather than build that many ranks).
MAX_RANK: Final = 10_000
#: The report name RCTab gives the undeclared write-in pseudo-candidate.
UNDECLARED_WRITE_INS = "Undeclared Write-ins"
#: A code standing for an overvote whose candidates the CVR does not list
#: (ES&S and generic CSV write a label such as ``overvote``).
OVERVOTE = "\x00overvote"
#: A code standing for a write-in the CVR does not attribute to a declared candidate.
WRITE_IN = "\x00write-in"


@attrs.frozen
class CvrTable:
    """The aggregated records of one CVR source.

    ``records`` maps each unique record to its number of ballots;
    ``locate(record)`` says where the record first appears (``"row 17"``),
    for error messages, and may be slow: it is called only on an error.
    """

    source: str
    records: Mapping[Record, int]
    locate: Callable[[Record], str] = attrs.field(default=lambda record: "a record", eq=False)
    #: the candidates the file itself declares, code -> name, in the file's order
    #: (used when the caller declares none)
    names: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    #: the records again, split by slice: kind ("precinct", "batch") -> label -> record -> ballots
    #: (only the kinds the reader was asked for; see :func:`slice_elections`)
    slices: Mapping[str, Mapping[str, Mapping[Record, int]]] = attrs.field(factory=dict, eq=False)

    @property
    def ballots(self) -> int:
        return sum(self.records.values())


@attrs.frozen(kw_only=True)
class MarkSpec:
    """How raw CVR codes map to candidates.

    ``candidates`` lists the declared names in order; ``aliases`` maps other
    codes (vendor ids, ES&S codes) to those names. ``overvote_label`` and
    ``skipped_label`` are the codes a vendor writes for an overvote and a
    skipped rank; ``undeclared_write_in`` is the code for a write-in that
    names no declared candidate, counted for :data:`UNDECLARED_WRITE_INS`.
    ``overvote_delimiter`` splits one cell into several marks at one rank.
    ``max_rankings`` keeps only the first ranks. An overvote given only by
    its label is recorded as a rank marking every candidate, so that any
    rule sees more than one candidate at that rank.
    """

    candidates: tuple[str, ...] = ()
    aliases: Mapping[str, str] = attrs.field(factory=dict)
    overvote_label: str | None = None
    skipped_label: str | None = None
    undeclared_write_in: str | None = None
    overvote_delimiter: str | None = None
    treat_blank_as_undeclared_write_in: bool = False
    max_rankings: int | None = None
    seats: int = 1
    title: str = ""
    #: when no candidates are declared, take every code seen, in order
    infer_candidates: bool = False


def _clean(code: str) -> str:
    return code.strip()


#: a name with a vendor's code after it, as some ES&S county exports write it: ``"Golden, Jared F. (5471)"``
_CODED = re.compile(r"(.*\S)\s*\((\d+)\)")


def _refuse_coded_twins(names: Mapping[str, None], tables: list[CvrTable]) -> None:
    """Refuse inferred names that are one name with and without a vendor code: the count would split them.

    Whether ``"Golden (5471)"`` and ``"Golden"`` are one candidate is for the
    user to say (``aliases=``), not for the reader to guess; counted apart, a
    candidate's votes fall into two piles and the wrong candidate can win.
    """
    for name in names:
        match = _CODED.fullmatch(name)
        if match is not None and match.group(1) in names:
            raise FormatError(
                f"the records mark both {excerpt(match.group(1))} and {excerpt(name)}: if they are one candidate,"
                f" say so with aliases= (e.g. {{{json.dumps(name, ensure_ascii=False)}:"
                f" {json.dumps(match.group(1), ensure_ascii=False)}}}), or declare the candidates",
                source=_sources(tables),
            )


def build_election(tables: Iterable[CvrTable], spec: MarkSpec) -> Election:
    """Map every table's codes to candidates and return one aggregated :class:`Election`.

    A record that marks nothing (after labels are applied) is a blank
    ballot: it stays in the election as a ballot with an empty ranking, so
    that totals and undervotes are exact.
    """
    tables = list(tables)
    names: dict[str, None] = dict.fromkeys(spec.candidates)
    lookup: dict[str, str] = {name: name for name in names}
    for code, name in spec.aliases.items():
        lookup[_clean(code)] = name
    if spec.infer_candidates and not names:
        for table in tables:
            for code, name in table.names.items():
                names.setdefault(name, None)
                lookup.setdefault(code, name)
                lookup.setdefault(name, name)
        for table in tables:
            for record in table.records:
                for rank in record:
                    for raw in rank:
                        for code in _split(raw, spec):
                            if code and code not in _labels(spec) and code not in lookup and code[:1] != "\x00":
                                names.setdefault(code, None)
                                lookup.setdefault(code, code)
        _refuse_coded_twins(names, tables)
    uwi_used = (
        spec.undeclared_write_in is not None
        or spec.treat_blank_as_undeclared_write_in
        or any(WRITE_IN in rank for table in tables for record in table.records for rank in record)
    )
    all_names = list(names)
    if uwi_used and UNDECLARED_WRITE_INS not in names:
        all_names.append(UNDECLARED_WRITE_INS)
    if not all_names:
        raise FormatError("no candidates are declared and the records mark none", source=_sources(tables))
    try:
        candidates = {name: Candidate(name) for name in all_names}
    except ElectoralError as error:  # a name the file declares, or marks, that is no name (empty, blank)
        raise FormatError(str(error), source=_sources(tables)) from None
    mapper = RecordMapper(spec, lookup, candidates)
    # identical records of several sources (e.g. one contest split over many files) are mapped once
    merged: dict[Record, int] = {}
    origin: dict[Record, CvrTable] = {}
    for table in tables:
        for record, count in table.records.items():
            if record in merged:
                merged[record] += count
            else:
                merged[record] = count
                origin[record] = table
    ballots: dict[tuple[frozenset[Candidate], ...], int] = {}
    for record, count in merged.items():
        try:
            key = mapper.ranking(record)
        except FormatError as error:
            table = origin[record]
            raise FormatError(f"{table.locate(record)}: {error}", source=table.source) from None
        ballots[key] = ballots.get(key, 0) + count
    try:
        return Election(
            tuple(candidates.values()),
            tuple(Ballot(ranking, count=count) for ranking, count in ballots.items()),
            seats=spec.seats,
            title=spec.title,
        )
    except ElectoralError as error:
        raise FormatError(str(error), source=_sources(tables)) from None


class RecordMapper:
    """Turns a raw record into the ranking it gives (trailing empty ranks dropped), as :func:`build_election` does.

    ``lookup`` maps codes to names; ``candidates`` holds each name's
    :class:`Candidate`. Each distinct cell is resolved once. An error
    (an unknown code) names the code but not the record's place.
    """

    def __init__(self, spec: MarkSpec, lookup: Mapping[str, str], candidates: Mapping[str, Candidate]) -> None:
        self.spec = spec
        self.lookup = lookup
        self.candidates = candidates
        self.every = frozenset(candidates.values())
        self.cache: dict[str, frozenset[Candidate] | None] = {}

    @classmethod
    def of(cls, spec: MarkSpec, election: Election) -> RecordMapper:
        """The mapper of an election built with ``spec`` from declared candidates (RCTab's configs declare them)."""
        lookup = {c.name: c.name for c in election.candidates}
        for code, name in spec.aliases.items():
            lookup[_clean(code)] = name
        return cls(spec, lookup, {c.name: c for c in election.candidates})

    def ranking(self, record: Record) -> tuple[frozenset[Candidate], ...]:
        spec = self.spec
        ranking: list[frozenset[Candidate]] = []
        limit = record if spec.max_rankings is None else record[: spec.max_rankings]
        for rank in limit:
            marks: set[Candidate] = set()
            for raw in rank:
                mark = self.cache.get(raw, ...)
                if mark is ...:
                    mark = self.cache[raw] = _resolve(raw, spec, self.lookup, self.candidates, self.every)
                if mark:
                    marks |= mark
            if not rank and spec.treat_blank_as_undeclared_write_in:
                marks.add(self.candidates[UNDECLARED_WRITE_INS])
            ranking.append(frozenset(marks))
        while ranking and not ranking[-1]:
            ranking.pop()
        return tuple(ranking)


def slice_elections(tables: Iterable[CvrTable], spec: MarkSpec, election: Election, kind: str) -> dict[str, Election]:
    """``election`` split by the tables' slices of ``kind``: label -> the Election of that slice's ballots.

    Each slice has the contest's candidates and seats; labels come in the
    order they first appear. The slices together hold every ballot of
    ``election``. A table read without that kind of slice gives none.
    """
    tables = list(tables)
    parts: dict[str, list[CvrTable]] = {}
    for table in tables:
        for label, records in table.slices.get(kind, {}).items():
            parts.setdefault(label, []).append(attrs.evolve(table, records=records, slices={}))
    out: dict[str, Election] = {}
    for label, part in parts.items():
        # the contest's own candidates (a slice may lack the write-ins that add a pseudo-candidate)
        piece = build_election(part, attrs.evolve(spec, candidates=election.names, infer_candidates=False))
        out[label] = Election(election.candidates, piece.ballots, seats=election.seats, title=election.title)
    return out


def _sources(tables: list[CvrTable]) -> str:
    return ", ".join(dict.fromkeys(t.source for t in tables)) or "<no CVR source>"


def _labels(spec: MarkSpec) -> set[str]:
    return {x for x in (spec.overvote_label, spec.skipped_label, spec.undeclared_write_in) if x is not None}


def _split(raw: str, spec: MarkSpec) -> list[str]:
    if spec.overvote_delimiter and spec.overvote_delimiter in raw:
        return [_clean(part) for part in raw.split(spec.overvote_delimiter)]
    return [_clean(raw)]


def _resolve(
    raw: str,
    spec: MarkSpec,
    lookup: Mapping[str, str],
    candidates: Mapping[str, Candidate],
    every: frozenset[Candidate],
) -> frozenset[Candidate] | None:
    """The candidates one cell marks; None for a skipped rank."""
    if raw == OVERVOTE:
        return every
    if raw == WRITE_IN:
        return frozenset({candidates[UNDECLARED_WRITE_INS]})
    codes = _split(raw, spec)
    marked: set[Candidate] = set()
    for code in codes:
        if spec.overvote_label is not None and code == spec.overvote_label:
            return every
        if code == "" or (spec.skipped_label is not None and code == spec.skipped_label):
            if len(codes) > 1:
                raise FormatError(f"an empty mark inside the overvote {excerpt(raw)}")
            if code == "" and spec.treat_blank_as_undeclared_write_in:
                return frozenset({candidates[UNDECLARED_WRITE_INS]})
            return None
        if spec.undeclared_write_in is not None and code == spec.undeclared_write_in:
            marked.add(candidates[UNDECLARED_WRITE_INS])
            continue
        name = lookup.get(code)
        if name is None or name not in candidates:
            raise FormatError(f"unknown candidate code {excerpt(code)} (declare it as a candidate or an alias)")
        marked.add(candidates[name])
    return frozenset(marked)


@contextmanager
def csv_errors(source: str) -> Iterator[None]:
    """Turn the errors of reading a CSV file into FormatErrors naming the file."""
    try:
        yield
    except OSError as error:
        raise FormatError(f"cannot read the file: {error.strerror or error}", source=source) from None
    except UnicodeDecodeError as error:
        raise FormatError(f"the file is not UTF-8 text ({error.reason})", source=source) from None
    except csv.Error as error:
        raise FormatError(f"malformed CSV: {error}", source=source) from None
